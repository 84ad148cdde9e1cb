/* SPDX-License-Identifier: MIT */
/*
 * The registers of an interrupted context, as entry.S saves them: general
 * registers (pushed by the entry point), vector and error code, then the frame
 * the CPU pushes. The order must match entry.S.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include "kernel/types.h"

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 bp, di, si, dx, cx, bx, ax;
	u64 vector;
	u64 error_code; /* 0 for exceptions without one */
	/* Pushed by the CPU. */
	u64 ip, cs, flags, sp, ss;
};

#endif /* ASM_PTRACE_H */
