// SPDX-License-Identifier: MIT
/*
 * Selftests of the PAT set-up: the MSR holds Linux's layout, and every
 * cache mode round-trips through PTE bits, in 4 KiB and in 2 MiB entries
 * (where the PAT bit moves from bit 7, PSE there, to bit 12).
 */
#include "asm/msr.h"
#include "asm/pat.h"
#include "asm/pgtable_types.h"
#include "kernel/selftest.h"

#define PAT_ENTRY_BITS 8
#define PAT_TYPE_MASK 0x7

/* The memory type (MTRR/PAT encoding) each mode must select. */
static const u8 mode_type[_PAGE_CACHE_MODE_NUM] = {
	[_PAGE_CACHE_MODE_WB] = 6,	 [_PAGE_CACHE_MODE_WC] = 1, [_PAGE_CACHE_MODE_UC_MINUS] = 7,
	[_PAGE_CACHE_MODE_UC] = 0,	 [_PAGE_CACHE_MODE_WT] = 4, [_PAGE_CACHE_MODE_WP] = 5,
};

static void pat_msr_holds_linux_layout(struct selftest *t)
{
	if (!pat_enabled()) {
		selftest_skip(t, "no PAT on this CPU");
		return;
	}
	EXPECT_EQ(t, rdmsr(MSR_IA32_CR_PAT), PAT_LINUX_VALUE);
}

/* The PAT entry the bits of @prot select, read from the MSR itself. */
static unsigned int selected_type(u64 prot, bool large)
{
	unsigned int index = (prot & _PAGE_PWT ? 1u : 0u) | (prot & _PAGE_PCD ? 2u : 0u) |
			     (prot & (large ? _PAGE_PAT_LARGE : _PAGE_PAT) ? 4u : 0u);

	return (rdmsr(MSR_IA32_CR_PAT) >> (index * PAT_ENTRY_BITS)) & PAT_TYPE_MASK;
}

static void round_trip(struct selftest *t, bool large)
{
	if (!pat_enabled()) {
		selftest_skip(t, "no PAT on this CPU");
		return;
	}
	for (int m = 0; m < _PAGE_CACHE_MODE_NUM; m++) {
		u64 prot = cachemode2protval((enum page_cache_mode)m, large);

		EXPECT_EQ(t, pgprot2cachemode(prot, large), m);
		EXPECT_EQ(t, selected_type(prot, large), mode_type[m]);
		/* Only PWT, PCD and the right PAT bit, never PSE in a 4 KiB PTE. */
		EXPECT_EQ(t, prot & ~(_PAGE_PWT | _PAGE_PCD | (large ? _PAGE_PAT_LARGE : _PAGE_PAT)),
			  0);
	}
}

static void cachemodes_round_trip_4k(struct selftest *t)
{
	round_trip(t, false);
}

static void cachemodes_round_trip_2m(struct selftest *t)
{
	round_trip(t, true);
}

/* WB is no bits at all (the boot mappings' default); WP and WT need the PAT bit. */
static void pat_bit_only_for_wp_and_wt(struct selftest *t)
{
	EXPECT_EQ(t, cachemode2protval(_PAGE_CACHE_MODE_WB, false), 0);
	EXPECT_EQ(t, cachemode2protval(_PAGE_CACHE_MODE_UC, true), _PAGE_PWT | _PAGE_PCD);
	EXPECT_EQ(t, cachemode2protval(_PAGE_CACHE_MODE_WP, false), _PAGE_PAT | _PAGE_PWT);
	EXPECT_EQ(t, cachemode2protval(_PAGE_CACHE_MODE_WP, true), _PAGE_PAT_LARGE | _PAGE_PWT);
	EXPECT_EQ(t, cachemode2protval(_PAGE_CACHE_MODE_WT, true),
		  _PAGE_PAT_LARGE | _PAGE_PCD | _PAGE_PWT);
	/* Index 4 and 6 repeat WB and UC-: a PAT bit alone still means WB. */
	EXPECT_EQ(t, pgprot2cachemode(_PAGE_PAT, false), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, pgprot2cachemode(_PAGE_PAT_LARGE | _PAGE_PCD, true), _PAGE_CACHE_MODE_UC_MINUS);
}

static const struct selftest_case pat_cases[] = {
	SELFTEST_CASE(pat_msr_holds_linux_layout),
	SELFTEST_CASE(cachemodes_round_trip_4k),
	SELFTEST_CASE(cachemodes_round_trip_2m),
	SELFTEST_CASE(pat_bit_only_for_wp_and_wt),
};
SELFTEST_SUITE(pat, pat_cases);
