// SPDX-License-Identifier: MIT
/*
 * The kernel's GDT and TSS. head.S ran on a throw-away boot GDT; this one
 * lives in the image for good and adds the 64-bit TSS, whose interrupt
 * stack table gives #DF, NMI and #MC known-good stacks: a double fault
 * caused by a broken stack pointer can still be reported.
 */
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/segment.h"
#include "asm/traps.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

#define IST_STACK_SIZE (2 * PAGE_SIZE)

static struct x86_hw_tss tss;
static u8 ist_stacks[IST_NR_STACKS][IST_STACK_SIZE] __aligned(16) __noinit;

/* Written by LTR (which marks the TSS busy), so not const. */
static u64 gdt[GDT_ENTRIES] __aligned(16) = {
	[GDT_ENTRY_KERNEL_CS] = GDT_DESC_KERNEL_CODE64,
	[GDT_ENTRY_KERNEL_DS] = GDT_DESC_KERNEL_DATA,
};

/*
 * Fill the two GDT slots of a 64-bit TSS descriptor: base and limit split
 * over the fields of a legacy descriptor, the upper 32 base bits in the
 * second slot.
 */
static void set_tss_desc(u64 *desc, u64 base, u32 limit)
{
	desc[0] = (limit & 0xffffull) | (base & 0xffffffull) << 16 |
		  (u64)(DESC_PRESENT | DESC_TSS_AVAILABLE) << 40 |
		  (u64)((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	desc[1] = base >> 32;
}

/* Load GDTR, then reload CS (by a far return) and the data segments. */
static void load_gdt(const struct desc_ptr *ptr)
{
	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "movl %2, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "xorl %%eax, %%eax\n\t"
		     "movl %%eax, %%fs\n\t"
		     "movl %%eax, %%gs"
		     :
		     : "m"(*ptr), "i"(__KERNEL_CS), "i"(__KERNEL_DS)
		     : "rax", "memory");
}

/* Install the GDT and the TSS with its IST stacks. */
void gdt_init(void)
{
	struct desc_ptr ptr = { .size = sizeof(gdt) - 1, .address = (u64)gdt };

	tss.ist[IST_INDEX_DF - 1] = (u64)ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_INDEX_NMI - 1] = (u64)ist_stacks[1] + IST_STACK_SIZE;
	tss.ist[IST_INDEX_MC - 1] = (u64)ist_stacks[2] + IST_STACK_SIZE;
	tss.io_bitmap_base = sizeof(tss);
	set_tss_desc(&gdt[GDT_ENTRY_TSS], (u64)&tss, sizeof(tss) - 1);

	load_gdt(&ptr);
	asm volatile("ltr %w0" : : "r"((u16)__KERNEL_TSS) : "memory");
}
