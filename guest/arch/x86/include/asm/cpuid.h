/* SPDX-License-Identifier: MIT */
/* The CPUID instruction. */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

#include "kernel/types.h"

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* CPUID leaf @leaf, sub-leaf @subleaf. */
static inline struct cpuid_regs cpuid_count(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

/* CPUID leaf @leaf (sub-leaf 0). */
static inline struct cpuid_regs cpuid(u32 leaf)
{
	return cpuid_count(leaf, 0);
}

#endif /* ASM_CPUID_H */
