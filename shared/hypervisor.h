/* SPDX-License-Identifier: MIT */
/*
 * The CPUID hypervisor leaves this VMM offers its guest.
 */
#ifndef SHARED_HYPERVISOR_H
#define SHARED_HYPERVISOR_H

/* CPUID.1:ECX bit 31: running under a hypervisor. */
#define CPUID_1_ECX_HYPERVISOR (1u << 31)

/*
 * 0x40000000: EAX = highest hypervisor leaf, EBX:ECX:EDX = 12-byte vendor
 * signature, the way KVM ("KVMKVMKVM\0\0\0") and Xen do it.
 */
#define CPUID_HV_VENDOR_LEAF 0x40000000u
#define VMM_CPUID_SIGNATURE "MemLabVMM\0\0\0" /* exactly 12 bytes */

/*
 * 0x40000001: EAX = this VMM's feature bits (KVM uses the same leaf number
 * for its own features; ours replace them).
 */
#define CPUID_HV_FEATURES_LEAF 0x40000001u
/*
 * Guest RAM that the loader did not write (ELF segments, PVH start info,
 * memory map, command line) reads as zero at entry: the guest may skip
 * clearing memory it takes from firmware-free ranges (e.g. its memmap).
 * Set while every DIMM is fresh anonymous memory.
 */
#define MEMLAB_HV_FEATURE_ZEROED_RAM (1u << 0)

/*
 * 0x40000010: timing leaf in VMware's convention (QEMU: vmware-cpuid-freq):
 * EAX = TSC frequency in kHz, EBX = local APIC timer frequency in kHz.
 */
#define CPUID_HV_TIMING_LEAF 0x40000010u

#endif /* SHARED_HYPERVISOR_H */
