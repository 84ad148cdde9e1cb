/* SPDX-License-Identifier: MIT */
/* RDMSR/WRMSR. An MSR the CPU does not have raises #GP: check CPUID first. */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include "asm/msr-index.h"
#include "kernel/types.h"

/* Read MSR @msr (EDX:EAX). */
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

/* Write @val to MSR @msr. */
static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)) : "memory");
}

#endif /* ASM_MSR_H */
