// SPDX-License-Identifier: MIT
/*
 * The MTRR state the firmware (the VMM, SeaBIOS, qboot) left, printed in
 * the format of Linux's print_mtrr_state() (arch/x86/kernel/cpu/mtrr/
 * generic.c, shown with mtrr=debug): default type, fixed ranges merged into
 * runs of one type, then every variable range as base/mask or "disabled".
 * A first line gives the raw MTRRcap and MTRRdefType.
 *
 * MSRs are read only when CPUID says MTRRs exist, fixed-range MSRs only
 * when MTRRcap.FIX says they do, and only VCNT variable pairs.
 */
#include "asm/msr.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "kernel/printk.h"

#define MTRR_NR_FIXED_MSRS 11
#define MTRR_RANGES_PER_MSR 8 /* one type byte each */
#define MTRR_NR_FIXED_RANGES (MTRR_NR_FIXED_MSRS * MTRR_RANGES_PER_MSR)
#define MTRR_NR_FIX4K_MSRS 8

/* One fixed-range MSR: the address its first range starts at, and the range size. */
struct mtrr_fixed_msr {
	u32 msr;
	u32 base;
	u32 step;
};

/* Ascending addresses: 64K ranges over [0, 512K), 16K to 768K, 4K to 1M. */
static const struct mtrr_fixed_msr mtrr_fixed_msrs[MTRR_NR_FIXED_MSRS] = {
	{ MSR_MTRRfix64K_00000, 0x00000, 0x10000 },
	{ MSR_MTRRfix16K_80000, 0x80000, 0x4000 },
	{ MSR_MTRRfix16K_A0000, 0xa0000, 0x4000 },
	{ MSR_MTRRfix4K_C0000 + 0, 0xc0000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 1, 0xc8000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 2, 0xd0000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 3, 0xd8000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 4, 0xe0000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 5, 0xe8000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 6, 0xf0000, 0x1000 },
	{ MSR_MTRRfix4K_C0000 + 7, 0xf8000, 0x1000 },
};

/* Linux's mtrr_attrib_to_str(). */
static const char *mtrr_attrib_to_str(unsigned int type)
{
	static const char *const names[] = {
		[0] = "uncachable", [1] = "write-combining", [2] = "?", [3] = "?",
		[4] = "write-through", [5] = "write-protect", [6] = "write-back",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

/* A run of fixed ranges of one type, printed when the type changes. */
struct fixed_run {
	u32 start, end; /* end exclusive; end == 0: no run yet */
	unsigned int type;
};

/* One "  START-END type" line, END inclusive, as Linux's print_fixed_last(). */
static void fixed_run_print(const struct fixed_run *run)
{
	printk("  %05X-%05X %s\n", run->start, run->end - 1, mtrr_attrib_to_str(run->type));
}

/* Every fixed range in address order, adjacent ranges of one type merged. */
static void print_fixed_ranges(void)
{
	struct fixed_run run = { 0, 0, 0 };
	unsigned int i, j;

	for (i = 0; i < MTRR_NR_FIXED_MSRS; i++) {
		const struct mtrr_fixed_msr *f = &mtrr_fixed_msrs[i];
		u64 types = rdmsr(f->msr);

		for (j = 0; j < MTRR_RANGES_PER_MSR; j++) {
			u32 base = f->base + j * f->step;
			unsigned int type = (types >> (8 * j)) & 0xff;

			if (run.end == base && run.type == type) {
				run.end = base + f->step;
				continue;
			}
			if (run.end)
				fixed_run_print(&run);
			run.start = base;
			run.end = base + f->step;
			run.type = type;
		}
	}
	fixed_run_print(&run);
}

/* Each variable range: "  N base B mask M type" or "  N disabled". */
static void print_variable_ranges(unsigned int vcnt)
{
	/* Hex digits above the low 32 bits of a page-aligned address (Linux's high_width). */
	int high_width = (boot_cpu_data.x86_phys_bits - (32 - PAGE_SHIFT) + 3) / 4;
	unsigned int i;

	for (i = 0; i < vcnt; i++) {
		u64 base = rdmsr(MSR_MTRRphysBase(i));
		u64 mask = rdmsr(MSR_MTRRphysMask(i));

		if (!(mask & MTRR_PHYSMASK_V)) {
			printk("  %u disabled\n", i);
			continue;
		}
		printk("  %u base %0*X%05X000 mask %0*X%05X000 %s\n", i, high_width,
		       (u32)(base >> 32), (u32)base >> PAGE_SHIFT, high_width, (u32)(mask >> 32),
		       (u32)mask >> PAGE_SHIFT, mtrr_attrib_to_str(base & MTRR_PHYSBASE_TYPE));
	}
}

/* Print MTRRcap, MTRRdefType and the ranges, or why there are none. */
void mtrr_print_state(void)
{
	u64 cap, def_type;
	unsigned int vcnt;
	bool enabled;

	if (!boot_cpu_has(X86_FEATURE_MTRR)) {
		printk("MTRR: not supported by the CPU\n");
		return;
	}
	cap = rdmsr(MSR_MTRRcap);
	def_type = rdmsr(MSR_MTRRdefType);
	vcnt = cap & MTRR_CAP_VCNT_MASK;
	enabled = def_type & MTRR_DEF_TYPE_E;

	printk("MTRRcap: 0x%lx (VCNT %u, fixed ranges %s, WC %s), MTRRdefType: 0x%lx\n", cap, vcnt,
	       (cap & MTRR_CAP_FIX) ? "yes" : "no", (cap & MTRR_CAP_WC) ? "yes" : "no", def_type);
	printk("MTRR default type: %s\n", mtrr_attrib_to_str(def_type & MTRR_DEF_TYPE_TYPE));
	if (cap & MTRR_CAP_FIX) {
		printk("MTRR fixed ranges %sabled:\n",
		       enabled && (def_type & MTRR_DEF_TYPE_FE) ? "en" : "dis");
		print_fixed_ranges();
	}
	printk("MTRR variable ranges %sabled:\n", enabled ? "en" : "dis");
	print_variable_ranges(vcnt);
}
