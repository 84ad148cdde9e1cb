// SPDX-License-Identifier: MIT
/*
 * The IDT: an interrupt gate for each of the 32 exception vectors, pointing
 * at entry.S's entry points; #DF, NMI and #MC switch to their IST stacks. Vectors
 * 32..255 stay not-present until irq.c gives one a handler, so a stray
 * interrupt shows up as #NP naming it in the error code instead of going
 * unnoticed.
 */
#include "asm/desc.h"
#include "asm/irq.h"
#include "asm/segment.h"
#include "asm/traps.h"
#include "kernel/types.h"

#define IDT_ENTRIES 256

static struct gate_struct idt_table[IDT_ENTRIES] __aligned(16);

/* An interrupt gate (IF cleared on entry) to @addr on IST slot @ist. */
static void set_intr_gate(unsigned int vector, u64 addr, u8 ist)
{
	struct gate_struct *g = &idt_table[vector];

	g->offset_low = (u16)addr;
	g->segment = __KERNEL_CS;
	g->ist = ist;
	g->type = GATE_PRESENT | GATE_INTERRUPT; /* DPL 0 */
	g->offset_middle = (u16)(addr >> 16);
	g->offset_high = (u32)(addr >> 32);
	g->reserved = 0;
}

/* IST slot for @vector: the exceptions that may strike on a broken stack. */
static u8 vector_ist(unsigned int vector)
{
	switch (vector) {
	case X86_TRAP_DF:
		return IST_INDEX_DF;
	case X86_TRAP_NMI:
		return IST_INDEX_NMI;
	case X86_TRAP_MC:
		return IST_INDEX_MC;
	default:
		return 0;
	}
}

/* Point IDTR at a table. */
static void load_idt(const struct desc_ptr *ptr)
{
	asm volatile("lidt %0" : : "m"(*ptr) : "memory");
}

/* Build and load the IDT. */
void idt_init(void)
{
	struct desc_ptr ptr = { .size = sizeof(idt_table) - 1, .address = (u64)idt_table };
	unsigned int v;

	for (v = 0; v < NR_EXCEPTION_VECTORS; v++)
		set_intr_gate(v, exception_entries[v], vector_ist(v));
	load_idt(&ptr);
}

/* Install the gate of external vector @vector (irq.c, once it has a handler). */
void idt_set_irq_gate(unsigned int vector)
{
	if (vector >= FIRST_EXTERNAL_VECTOR && vector < IDT_ENTRIES)
		set_intr_gate(vector, irq_entries[vector - FIRST_EXTERNAL_VECTOR], 0);
}

/* Make external vector @vector not-present again (a delivery then raises #NP). */
void idt_clear_irq_gate(unsigned int vector)
{
	if (vector >= FIRST_EXTERNAL_VECTOR && vector < IDT_ENTRIES)
		idt_table[vector] = (struct gate_struct){ 0 };
}

/* An IDT of limit 0: no vector can be delivered, so a fault ends in shutdown. */
void idt_invalidate(void)
{
	struct desc_ptr ptr = { .size = 0, .address = 0 };

	load_idt(&ptr);
}
