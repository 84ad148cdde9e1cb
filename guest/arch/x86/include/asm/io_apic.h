/* SPDX-License-Identifier: MIT */
/*
 * The I/O APIC (guest/arch/x86/kernel/io_apic.c): KVM's in-kernel irqchip
 * and QEMU's machines put one at the standard address; there are no ACPI
 * or MP tables to say otherwise, so the kernel assumes it there. A GSI is
 * an I/O APIC pin (GSI n = pin n of the one I/O APIC).
 */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include "kernel/types.h"

#define IO_APIC_DEFAULT_PHYS_BASE 0xfec00000ul

/* Register indices (through IOREGSEL/IOWIN). */
#define IO_APIC_REG_ID 0x00
#define IO_APIC_REG_VERSION 0x01 /* bits 0-7 version, 16-23 highest redirection entry */
#define IO_APIC_REG_REDTBL 0x10  /* entry n: 0x10 + 2n (low), 0x11 + 2n (high) */

/* Redirection entry bits (low word; the destination is bits 56-63). */
#define IO_APIC_RTE_VECTOR_MASK 0xffu
#define IO_APIC_RTE_DELIVERY_MASK 0x700u /* 000 = fixed */
#define IO_APIC_RTE_DEST_LOGICAL (1u << 11)
#define IO_APIC_RTE_POLARITY_LOW (1u << 13)
#define IO_APIC_RTE_REMOTE_IRR (1u << 14)
#define IO_APIC_RTE_LEVEL (1u << 15)
#define IO_APIC_RTE_MASKED (1u << 16)
#define IO_APIC_RTE_DEST_SHIFT 56

/*
 * With a local APIC (an irqchip): map the I/O APIC uncached in the device
 * window, read how many pins it has, mask every one, print one line.
 * Without, or if nothing answers there, the kernel has no I/O APIC.
 */
void io_apic_init(void);

/* Pins of the I/O APIC (valid GSIs are below it); 0 without one. */
unsigned int io_apic_nr_pins(void);

/*
 * Route @gsi to @vector on the boot CPU: fixed delivery, physical
 * destination (its APIC ID), edge triggered, active high, unmasked.
 * Returns 0, or -EINVAL for a GSI beyond the pins or a vector below 32.
 */
int io_apic_route(unsigned int gsi, unsigned int vector);

/* Mask @gsi's pin. */
void io_apic_mask(unsigned int gsi);

/* The 64-bit redirection entry of @gsi (0 without an I/O APIC). */
u64 io_apic_read_entry(unsigned int gsi);

#endif /* ASM_IO_APIC_H */
