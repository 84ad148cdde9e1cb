/* SPDX-License-Identifier: MIT */
/*
 * x86 vCPU set-up that firmware would do and the PVH protocol promises:
 * CPUID (what KVM supports plus this VMM's hypervisor leaves), MTRRs, and
 * the 32-bit protected-mode entry state. Also the register dump printed
 * when the guest crashes.
 */
#ifndef VMM_X86_CPU_H
#define VMM_X86_CPU_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "kvm.h"
#include "mtrr.h"

#define MSR_IA32_EFER 0xc0000080

struct x86_cpu_info {
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID, owned */
	unsigned phys_bits;       /* CPUID 0x80000008 EAX[7:0] (MAXPHYADDR) */
	uint32_t tsc_khz;         /* KVM_GET_TSC_KHZ, 0 if unknown */
};

/* Query what KVM can offer a guest. Returns 0, or -1 with @err. */
int x86_cpu_probe(struct kvm_vm *vm, struct x86_cpu_info *info, struct vmm_err *err);

void x86_cpu_info_free(struct x86_cpu_info *info);

/*
 * Give vCPU 0 KVM's supported CPUID, with the APIC ID set, the hypervisor
 * bit set and KVM's own hypervisor leaves replaced by ours (signature and
 * TSC frequency, see shared/hypervisor.h).
 */
int x86_cpu_set_cpuid(struct kvm_vm *vm, const struct x86_cpu_info *info, struct vmm_err *err);

/* Read one MSR of vCPU 0. */
int x86_cpu_get_msr(struct kvm_vm *vm, uint32_t index, uint64_t *value, struct vmm_err *err);

/* Write the MSRs of an MTRR plan to vCPU 0; all or nothing is an error. */
int x86_cpu_set_mtrrs(struct kvm_vm *vm, const struct mtrr_plan *plan, struct vmm_err *err);

/*
 * PVH entry state: 32-bit protected mode, paging off, flat 4 GiB code and
 * data segments, a valid TR, interrupts off, EIP = @entry, EBX =
 * @start_info.
 */
int x86_cpu_set_pvh_entry(struct kvm_vm *vm, uint32_t entry, uint32_t start_info,
			  struct vmm_err *err);

/* Print RIP, RSP, RFLAGS, CR0/2/3/4, EFER and the pending exception. */
void x86_cpu_dump(struct kvm_vm *vm, FILE *out);

#endif /* VMM_X86_CPU_H */
