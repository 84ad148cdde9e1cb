/* SPDX-License-Identifier: MIT */
/*
 * External interrupts (vectors 32..255): the vector map, the dispatch
 * table (guest/arch/x86/kernel/irq.c), the entry points (entry.S) and the
 * RFLAGS.IF helpers. See docs/guest-interrupts.md.
 *
 * Vector map (after Linux's arch/x86/include/asm/irq_vectors.h):
 *   0x00..0x1f  exceptions (traps.c)
 *   0x20..0x2f  the legacy 8259 PICs, remapped here and masked: a vector in
 *               this range can only be a spurious PIC interrupt
 *   0x30..0xdf  device vectors, handed out by irq_alloc_vector()
 *   0xec        local APIC timer (Linux's LOCAL_TIMER_VECTOR)
 *   0xf0        local APIC self-test (the apic selftest's self-IPI)
 *   0xfe        local APIC error (Linux's ERROR_APIC_VECTOR)
 *   0xff        local APIC spurious (Linux's SPURIOUS_APIC_VECTOR)
 * A vector without a handler has no gate: it arrives as #NP naming it.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#define FIRST_EXTERNAL_VECTOR 0x20
#define NR_VECTORS 256
#define NR_EXTERNAL_VECTORS (NR_VECTORS - FIRST_EXTERNAL_VECTOR)

#define PIC_MASTER_VECTOR 0x20 /* IRQ 0..7 */
#define PIC_SLAVE_VECTOR 0x28  /* IRQ 8..15 */
#define PIC_NR_IRQS 16
#define FIRST_DEVICE_VECTOR 0x30
#define LAST_DEVICE_VECTOR 0xdf
#define LOCAL_TIMER_VECTOR 0xec
#define APIC_SELFTEST_VECTOR 0xf0
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff

#ifndef __ASSEMBLY__
#include "asm/processor-flags.h"
#include "asm/ptrace.h"
#include "kernel/types.h"

/* Entry points of entry.S, one per external vector (index = vector - 32). */
extern const u64 irq_entries[NR_EXTERNAL_VECTORS];

/*
 * A handler runs with interrupts off (interrupt gates), on the interrupted
 * stack; the local APIC EOI is sent by do_irq() after it returns.
 */
typedef void (*irq_handler_t)(unsigned int vector, void *data);

/* Mask the legacy PICs and install the spurious and PIC-range handlers. */
void irq_init(void);

/*
 * Remap the 8259s to vectors 0x20..0x2f (their reset base 0x08 would
 * collide with #DF) and mask every line. apic_init() calls it once it has
 * found a local APIC (then the PICs are the irqchip's, and a VMM without
 * one would see unhandled port writes), before it masks LINT0.
 */
void legacy_pic_mask_all(void);

/*
 * Make @vector call @handler(@vector, @data) and install its IDT gate.
 * Returns 0, or -EINVAL for a vector below 32 or one that has a handler.
 */
int request_irq_vector(unsigned int vector, irq_handler_t handler, void *data, const char *name);

/* Remove @vector's handler and its gate (the vector then raises #NP again). */
void free_irq_vector(unsigned int vector);

/* A free device vector (0x30..0xdf), or -ENOSPC. It is yours after request_irq_vector(). */
int irq_alloc_vector(void);

/* How many times @vector was delivered since boot. */
unsigned long irq_count(unsigned int vector);

/* Install / remove the IDT gate of an external vector (idt.c). */
void idt_set_irq_gate(unsigned int vector);
void idt_clear_irq_gate(unsigned int vector);

/* Called by entry.S for every external interrupt. */
void do_irq(struct pt_regs *regs);

/* Set RFLAGS.IF: interrupts may be delivered from the next instruction on. */
static inline void local_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

/* Whether RFLAGS.IF is clear. */
static inline bool irqs_disabled(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags) : : "memory");
	return !(flags & X86_EFLAGS_IF);
}

/* Disable interrupts and return the previous RFLAGS (for local_irq_restore()). */
static inline unsigned long local_irq_save(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/* Put RFLAGS.IF back as local_irq_save() found it. */
static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		asm volatile("sti" : : : "memory");
}

/*
 * Enable interrupts and halt in one step: STI's one-instruction shadow
 * means no interrupt can slip in between the two, so a wake-up is never
 * lost (Linux's safe_halt()). Returns after the next interrupt, with
 * interrupts enabled.
 */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}
#endif /* __ASSEMBLY__ */

#endif /* ASM_IRQ_H */
