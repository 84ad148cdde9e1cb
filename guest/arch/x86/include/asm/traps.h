/* SPDX-License-Identifier: MIT */
/* Exception vectors (C and assembly) and the kernel's trap set-up. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#define X86_TRAP_DE 0  /* divide error */
#define X86_TRAP_DB 1  /* debug */
#define X86_TRAP_NMI 2 /* non-maskable interrupt */
#define X86_TRAP_BP 3  /* breakpoint */
#define X86_TRAP_OF 4  /* overflow */
#define X86_TRAP_BR 5  /* bound range exceeded */
#define X86_TRAP_UD 6  /* invalid opcode */
#define X86_TRAP_NM 7  /* device not available */
#define X86_TRAP_DF 8  /* double fault */
#define X86_TRAP_TS 10 /* invalid TSS */
#define X86_TRAP_NP 11 /* segment not present */
#define X86_TRAP_SS 12 /* stack-segment fault */
#define X86_TRAP_GP 13 /* general protection */
#define X86_TRAP_PF 14 /* page fault */
#define X86_TRAP_MF 16 /* x87 floating-point error */
#define X86_TRAP_AC 17 /* alignment check */
#define X86_TRAP_MC 18 /* machine check */
#define X86_TRAP_XF 19 /* SIMD floating-point exception */
#define X86_TRAP_CP 21 /* control protection */
#define X86_TRAP_VC 29 /* VMM communication */
#define X86_TRAP_SX 30 /* security exception */
#define NR_EXCEPTION_VECTORS 32

/*
 * Vectors for which the CPU pushes an error code: 8, 10-14, 17, 21, 29,
 * 30. entry.S pushes a 0 for the others, so every frame looks the same.
 */
#define X86_TRAP_ERRCODE_MASK 0x60227d00

/* TSS interrupt stack table slots (1-based in the IDT gate, 0 = none). */
#define IST_INDEX_DF 1
#define IST_INDEX_NMI 2
#define IST_INDEX_MC 3
#define IST_NR_STACKS 3

#ifndef __ASSEMBLY__
#include "asm/ptrace.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

/* Entry points of entry.S, one per exception vector. */
extern const u64 exception_entries[NR_EXCEPTION_VECTORS];

/* Load the kernel's GDT and TSS, then the IDT: from here faults are reported. */
void trap_init(void);

/* Install the GDT and the TSS with its IST stacks (gdt.c). */
void gdt_init(void);

/* Build and load the IDT (idt.c). */
void idt_init(void);

/* Load an empty IDT: the next exception escalates to a triple fault. */
void idt_invalidate(void);

/* Called by entry.S for every exception: report it and exit. */
void __noreturn do_exception(struct pt_regs *regs);
#endif

#endif /* ASM_TRAPS_H */
