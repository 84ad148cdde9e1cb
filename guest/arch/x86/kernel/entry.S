/* SPDX-License-Identifier: MIT */
/*
 * Exception entry: one entry point per vector 0..31 gives every exception the
 * same frame (a 0 in place of a missing error code, then the vector
 * number), then exception_common saves the general registers as a
 * struct pt_regs (asm/ptrace.h) and calls do_exception(), which reports
 * and exits: there is no way back, so no iretq path.
 */
#include "asm/traps.h"

/* Save the general registers in the reverse order of struct pt_regs: r15 ends up first. */
.macro SAVE_REGS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

/* Undo SAVE_REGS. */
.macro RESTORE_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
.endm

.macro EXCEPTION_ENTRY vec
	.p2align 4
exception_entry_\vec:
	.if ((1 << \vec) & X86_TRAP_ERRCODE_MASK) == 0
	pushq	$0			/* no error code from the CPU */
	.endif
	pushq	$\vec
	jmp	exception_common
.endm

.macro EXCEPTION_ENTRY_ADDR vec
	.quad	exception_entry_\vec
.endm

	.text
	.altmacro
	.set	vec, 0
	.rept	NR_EXCEPTION_VECTORS
	EXCEPTION_ENTRY %vec
	.set	vec, vec + 1
	.endr

exception_common:
	SAVE_REGS
	/*
	 * The CPU aligned RSP to 16 bytes before its 5-quadword frame; with
	 * error code, vector and 15 registers the total is 22 quadwords, so
	 * RSP is 16-byte aligned here, as the C ABI wants at a call.
	 */
	movq	%rsp, %rdi
	cld
	call	do_exception
1:	cli
	hlt
	jmp	1b

	/* The entry-point addresses, for idt_init(). */
	.section .rodata
	.balign 8
	.globl exception_entries
exception_entries:
	.set	vec, 0
	.rept	NR_EXCEPTION_VECTORS
	EXCEPTION_ENTRY_ADDR %vec
	.set	vec, vec + 1
	.endr

/*
 * External interrupts (vectors 32..255, asm/irq.h): one entry point per
 * vector gives the same frame as an exception (a 0 error code, then the
 * vector), irq_common saves the general registers as a struct pt_regs,
 * calls do_irq() and returns to the interrupted code with iretq. The C
 * code is built with general registers only, so nothing else needs saving.
 */
#include "asm/irq.h"

.macro IRQ_ENTRY vec
	.p2align 4
irq_entry_\vec:
	pushq	$0			/* no error code for interrupts */
	pushq	$\vec
	jmp	irq_common
.endm

.macro IRQ_ENTRY_ADDR vec
	.quad	irq_entry_\vec
.endm

	.text
	.set	vec, FIRST_EXTERNAL_VECTOR
	.rept	NR_EXTERNAL_VECTORS
	IRQ_ENTRY %vec
	.set	vec, vec + 1
	.endr

irq_common:
	SAVE_REGS
	/* 22 quadwords on a 16-byte aligned frame: RSP is aligned for the call. */
	movq	%rsp, %rdi
	cld
	call	do_irq
	RESTORE_REGS
	addq	$16, %rsp		/* vector and error code */
	iretq

	/* The entry-point addresses, for request_irq_vector(). */
	.section .rodata
	.balign 8
	.globl irq_entries
irq_entries:
	.set	vec, FIRST_EXTERNAL_VECTOR
	.rept	NR_EXTERNAL_VECTORS
	IRQ_ENTRY_ADDR %vec
	.set	vec, vec + 1
	.endr
