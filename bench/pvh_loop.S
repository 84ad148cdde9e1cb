/* SPDX-License-Identifier: MIT */
/*
 * The smallest PVH guest: run LOOP_ITERATIONS iterations of a two-instruction
 * register loop in 32-bit protected mode, then write 0 to the debug-exit
 * port. With 0 iterations it measures a monitor's own cost (process start,
 * VM creation, ELF load, one exit, teardown); with many, the host's guest
 * instruction rate (docs/platform-notes.md).
 */
#include "../shared/ports.h"
#include "../shared/pvh.h"

#ifndef LOOP_ITERATIONS
#define LOOP_ITERATIONS 0
#endif

	.code32
	.section .text, "ax"
	.globl pvh_start
pvh_start:
	movl	$LOOP_ITERATIONS, %ecx
	jecxz	2f
1:	addl	$1, %ebx
	loop	1b
2:	movw	$DEBUG_EXIT_PORT, %dx
	xorl	%eax, %eax
	outl	%eax, %dx
3:	hlt			/* QEMU without isa-debug-exit: stop here */
	jmp	3b

	/* Xen's PHYS32_ENTRY note: owner "Xen", 4-byte entry address. */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* namesz */
	.long	4			/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.long	pvh_start
