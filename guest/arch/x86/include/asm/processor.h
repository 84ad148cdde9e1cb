/* SPDX-License-Identifier: MIT */
/* The boot CPU: what CPUID says about it, control registers, idling. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include "asm/cpufeature.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

/* CPUID signatures are 12 bytes; one more for the NUL. */
#define CPUID_SIG_LEN 12

/* What identify_boot_cpu() learnt (Linux's struct cpuinfo_x86, reduced). */
struct cpuinfo_x86 {
	char x86_vendor_id[CPUID_SIG_LEN + 1];
	u32 x86;          /* family */
	u32 x86_model;
	u32 x86_stepping;
	u32 cpuid_level;          /* highest basic leaf */
	u32 extended_cpuid_level; /* highest 0x8000xxxx leaf, 0 if none */
	u8 x86_phys_bits;
	u8 x86_virt_bits;
	bool address_sizes_known; /* from CPUID 0x80000008, else defaults */
	u32 features;             /* bit n: X86_FEATURE_* n */
	char hypervisor_sig[CPUID_SIG_LEN + 1]; /* "" without a hypervisor */
	u32 hypervisor_max_leaf;
	u32 tsc_khz; /* from the hypervisor's timing leaf, 0 if unknown */
};

extern struct cpuinfo_x86 boot_cpu_data;

/* Whether CPUID reported feature @f on the boot CPU (after identify_boot_cpu()). */
static inline bool boot_cpu_has(enum x86_feature f)
{
	return boot_cpu_data.features & (1u << f);
}

/* Fill boot_cpu_data from CPUID. */
void identify_boot_cpu(void);

/* Print vendor, family/model, hypervisor, TSC, address sizes, mm features. */
void print_cpu_info(void);

/* CR0: mode bits (PE, PG, WP, CD...), printed in exception reports. */
static inline unsigned long read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* CR2: the address of the last page fault. */
static inline unsigned long read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* CR3: the physical address of the top-level page table. */
static inline unsigned long read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* CR4: paging-feature enables (PAE, PGE, PCIDE...). */
static inline unsigned long read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Load CR3: switches tables and drops every non-global TLB entry. */
static inline void write_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* Load CR4 (toggling PGE drops global TLB entries too). */
static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Drop the TLB entry of one page. */
static inline void invlpg(unsigned long va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* The spin-wait hint: lets a hyperthread sibling (or the host) run. */
static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

/* Mask maskable interrupts (RFLAGS.IF = 0). */
static inline void local_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

/* Stop for good: interrupts off, then halt (again after an NMI). */
static inline void __noreturn halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}

#endif /* ASM_PROCESSOR_H */
