// SPDX-License-Identifier: MIT
/*
 * External interrupts: the per-vector dispatch table behind entry.S's
 * interrupt entry points, the vector allocator, and the legacy 8259 PICs,
 * which are remapped out of the exception range and masked (KVM's in-kernel
 * irqchip emulates them; everything here goes through the local APIC and
 * the I/O APIC). See asm/irq.h for the vector map.
 *
 * One CPU, handlers run with interrupts off: the table needs no lock, but
 * it is changed only with interrupts off too.
 */
#include "asm/apic.h"
#include "asm/io.h"
#include "asm/irq.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/types.h"

/* 8259A ports and initialisation words. */
#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xa0
#define PIC_SLAVE_DATA 0xa1
#define PIC_ICW1_INIT 0x11      /* init, edge triggered, cascade, ICW4 follows */
#define PIC_ICW3_MASTER 0x04    /* a slave on IRQ 2 */
#define PIC_ICW3_SLAVE 0x02     /* cascade identity 2 */
#define PIC_ICW4_8086 0x01      /* 8086 mode, normal EOI */
#define PIC_MASK_ALL 0xff

struct irq_desc {
	irq_handler_t handler;
	void *data;
	const char *name;
	unsigned long count;
	bool reported; /* an unexpected delivery was printed once */
};

static struct irq_desc irq_desc[NR_VECTORS];

/* Nothing to do but count: the APIC wants no EOI for its spurious vector. */
static void spurious_interrupt(unsigned int vector, void *data)
{
	(void)vector;
	(void)data;
}

/*
 * A vector of the masked PICs: an 8259 spurious IRQ 7 or 15 (the only way
 * one can arrive). Counted, printed once by do_irq().
 */
static void pic_interrupt(unsigned int vector, void *data)
{
	(void)data;
	if (!irq_desc[vector].reported) {
		irq_desc[vector].reported = true;
		printk("irq: spurious 8259 interrupt on vector 0x%x (IRQ %u)\n", vector,
		       vector - PIC_MASTER_VECTOR);
	}
}

/* Remap and mask the 8259s (see asm/irq.h). */
void legacy_pic_mask_all(void)
{
	outb(PIC_MASK_ALL, PIC_MASTER_DATA);
	outb(PIC_MASK_ALL, PIC_SLAVE_DATA);
	outb(PIC_ICW1_INIT, PIC_MASTER_CMD);
	outb(PIC_MASTER_VECTOR, PIC_MASTER_DATA);
	outb(PIC_ICW3_MASTER, PIC_MASTER_DATA);
	outb(PIC_ICW4_8086, PIC_MASTER_DATA);
	outb(PIC_ICW1_INIT, PIC_SLAVE_CMD);
	outb(PIC_SLAVE_VECTOR, PIC_SLAVE_DATA);
	outb(PIC_ICW3_SLAVE, PIC_SLAVE_DATA);
	outb(PIC_ICW4_8086, PIC_SLAVE_DATA);
	outb(PIC_MASK_ALL, PIC_MASTER_DATA);
	outb(PIC_MASK_ALL, PIC_SLAVE_DATA);
}

/* The fixed vectors: spurious, and the PIC range when the PICs exist. */
void irq_init(void)
{
	unsigned int v;

	request_irq_vector(SPURIOUS_APIC_VECTOR, spurious_interrupt, NULL, "spurious");
	if (!apic_present())
		return;
	/* apic_init() masked the PICs already (legacy_pic_mask_all()). */
	for (v = PIC_MASTER_VECTOR; v < PIC_MASTER_VECTOR + PIC_NR_IRQS; v++)
		request_irq_vector(v, pic_interrupt, NULL, "8259");
}

/* Register a handler and open its gate (see asm/irq.h). */
int request_irq_vector(unsigned int vector, irq_handler_t handler, void *data, const char *name)
{
	struct irq_desc *d;
	unsigned long flags;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS || !handler)
		return -EINVAL;
	d = &irq_desc[vector];
	if (d->handler) {
		printk("irq: vector 0x%x already belongs to %s (wanted by %s)\n", vector, d->name,
		       name);
		return -EINVAL;
	}
	flags = local_irq_save();
	d->handler = handler;
	d->data = data;
	d->name = name;
	d->reported = false;
	idt_set_irq_gate(vector);
	local_irq_restore(flags);
	return 0;
}

/* Close a vector's gate and forget its handler. */
void free_irq_vector(unsigned int vector)
{
	unsigned long flags;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return;
	flags = local_irq_save();
	idt_clear_irq_gate(vector);
	irq_desc[vector].handler = NULL;
	irq_desc[vector].data = NULL;
	local_irq_restore(flags);
}

/* The lowest device vector nobody has (a device then request_irq_vector()s it). */
int irq_alloc_vector(void)
{
	for (unsigned int v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++)
		if (!irq_desc[v].handler)
			return (int)v;
	return -ENOSPC;
}

unsigned long irq_count(unsigned int vector)
{
	return vector < NR_VECTORS ? READ_ONCE(irq_desc[vector].count) : 0;
}

/*
 * From entry.S: run the vector's handler, then tell the local APIC the
 * interrupt is done. The spurious vector and the PIC range get no EOI:
 * neither sets a bit in the APIC's in-service register. A gate exists only
 * for vectors with a handler, so a delivery always finds one.
 */
void do_irq(struct pt_regs *regs)
{
	unsigned int vector = (unsigned int)regs->vector;
	struct irq_desc *d;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return;
	d = &irq_desc[vector];
	d->count++;
	if (d->handler)
		d->handler(vector, d->data);
	if (vector == SPURIOUS_APIC_VECTOR ||
	    (vector >= PIC_MASTER_VECTOR && vector < PIC_MASTER_VECTOR + PIC_NR_IRQS))
		return;
	apic_eoi();
}
