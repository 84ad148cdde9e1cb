/* SPDX-License-Identifier: MIT */
/*
 * The CPUID features this kernel looks at, named as in /proc/cpuinfo.
 * Each has a bit in boot_cpu_data.features (see cpu.c for the CPUID bits).
 */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

enum x86_feature {
	X86_FEATURE_PAE,
	X86_FEATURE_PSE,
	X86_FEATURE_PSE36,
	X86_FEATURE_PGE,
	X86_FEATURE_PAT,
	X86_FEATURE_MTRR,
	X86_FEATURE_NX,
	X86_FEATURE_GBPAGES, /* "pdpe1gb" */
	X86_FEATURE_PCID,
	X86_FEATURE_INVPCID,
	X86_FEATURE_SMEP,
	X86_FEATURE_SMAP,
	X86_FEATURE_HYPERVISOR,
	X86_FEATURE_LM,
	X86_NR_FEATURES
};

#endif /* ASM_CPUFEATURE_H */
