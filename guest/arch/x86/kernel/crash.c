// SPDX-License-Identifier: MIT
/*
 * Deliberate CPU exceptions for the crash= test parameter. Each is raised
 * with inline assembly, so the compiler can neither fold it away nor turn
 * it into something else; none of them returns.
 */
#include "asm/crash.h"
#include "asm/traps.h"

/* #DE: DIV by a zero register. */
void __noreturn crash_divide_error(void)
{
	asm volatile("xorl %%ecx, %%ecx\n\t"
		     "movl $1, %%eax\n\t"
		     "xorl %%edx, %%edx\n\t"
		     "divl %%ecx"
		     :
		     :
		     : "rax", "rcx", "rdx");
	unreachable();
}

/* #UD: UD2, the instruction defined to be invalid. */
void __noreturn crash_invalid_opcode(void)
{
	asm volatile("ud2");
	unreachable();
}

/* #GP(0): a load from a non-canonical address. */
void __noreturn crash_general_protection(void)
{
	asm volatile("movq (%0), %%rax" : : "r"(CRASH_NONCANONICAL_ADDR) : "rax", "memory");
	unreachable();
}

/* #PF: a load from a canonical address no page table maps (CR2 names it). */
void __noreturn crash_page_fault(void)
{
	asm volatile("movq (%0), %%rax" : : "r"(CRASH_UNMAPPED_ADDR) : "rax", "memory");
	unreachable();
}

/*
 * Triple fault: with an IDT of limit 0, the #UD cannot be delivered (#GP),
 * neither can the #GP (#DF), nor the #DF: the CPU shuts down.
 */
void __noreturn crash_triple_fault(void)
{
	idt_invalidate();
	asm volatile("ud2");
	unreachable();
}
