/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the guest's MTRR lookup (guest/arch/x86/kernel/
 * mtrr_lookup.c): mtrr_snapshot_lookup() on crafted MSR snapshots, for the
 * rules of Linux 6.x's mtrr_type_lookup() (disabled, fixed ranges below
 * 1 MiB, overlapping variable ranges, default type, uniformity), and the
 * /proc/mtrr lines mtrr_snapshot_show() prints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "asm/msr-index.h"
#include "asm/mtrr.h"
#include "guest_log.h"

#define UC MTRR_TYPE_UNCACHABLE
#define WC MTRR_TYPE_WRCOMB
#define WT MTRR_TYPE_WRTHROUGH
#define WP MTRR_TYPE_WRPROT
#define WB MTRR_TYPE_WRBACK

#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define SZ_256M 0x10000000ULL
#define SZ_1G 0x40000000ULL
#define SZ_4G 0x100000000ULL
#define PHYS_MASK ((1ULL << 46) - 1) /* a 46-bit CPU, as the host */
#define VGA_START 0xa0000ULL
#define ROM_START 0xc0000ULL

/* A fresh snapshot: MTRRs enabled with @def_type, fixed ranges supported, VCNT 8. */
static struct mtrr_snapshot *snap_new(uint8_t def_type)
{
	struct mtrr_snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->valid = true;
	s->cap = MTRR_CAP_FIX | MTRR_CAP_WC | 8;
	s->nr_var = 8;
	s->def_type = MTRR_DEF_TYPE_E | def_type;
	return s;
}

/* Variable range @i: [base, base + size), @size a power of two, of @type. */
static void snap_var(struct mtrr_snapshot *s, unsigned int i, uint64_t base, uint64_t size,
		     uint8_t type)
{
	s->var[i].base = base | type;
	s->var[i].mask = (~(size - 1) & PHYS_MASK) | MTRR_PHYSMASK_V;
}

/* The PC fixed ranges as SeaBIOS and bin/vmm set them, enabled. */
static void snap_pc_fixed(struct mtrr_snapshot *s)
{
	unsigned int i;

	for (i = 0; i < MTRR_NUM_FIXED_RANGES; i++)
		s->fixed[i] = i < 16 ? WB : i < 24 ? UC : WP; /* 8x64K + 8x16K WB, 8x16K UC */
	s->def_type |= MTRR_DEF_TYPE_FE;
}

/* Look up [start, end) and check type and uniformity. */
static void check(const struct mtrr_snapshot *s, uint64_t start, uint64_t end, uint8_t type,
		  uint8_t uniform)
{
	uint8_t u = 0xaa; /* the lookup must write it */

	assert_int_equal(mtrr_snapshot_lookup(s, start, end, &u), type);
	assert_int_equal(u, uniform);
}

static void disabled_returns_invalid_and_uniform(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, 0, SZ_1G, UC);
	snap_pc_fixed(s);
	s->def_type &= ~MTRR_DEF_TYPE_E; /* FE still set: E alone decides */
	check(s, 0, SZ_4G, MTRR_TYPE_INVALID, 1);
	check(s, VGA_START, ROM_START, MTRR_TYPE_INVALID, 1);
	free(s);
}

static void empty_range_is_invalid(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	check(s, SZ_1G, SZ_1G, MTRR_TYPE_INVALID, 1);
	check(s, SZ_1G, SZ_1M, MTRR_TYPE_INVALID, 1); /* end before start */
	free(s);
}

static void no_ranges_gives_default_type(void **state)
{
	struct mtrr_snapshot *s = snap_new(WT);

	(void)state;
	check(s, 0, SZ_4G, WT, 1);
	check(s, SZ_4G, 64 * SZ_4G, WT, 1);
	free(s);
}

static void vcnt_zero_ignores_variable_registers(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, SZ_1G, SZ_1G, UC);
	s->nr_var = 0;
	check(s, SZ_1G, 2 * SZ_1G, WB, 1);
	s->nr_var = 1;
	check(s, SZ_1G, 2 * SZ_1G, UC, 1);
	free(s);
}

static void range_without_valid_bit_ignored(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 2, SZ_1G, SZ_1G, UC);
	s->var[2].mask &= ~MTRR_PHYSMASK_V;
	check(s, SZ_1G, 2 * SZ_1G, WB, 1);
	free(s);
}

static void overlap_uc_wb_gives_uc(void **state)
{
	struct mtrr_snapshot *s = snap_new(UC);

	(void)state;
	snap_var(s, 0, 0, SZ_4G, WB);
	snap_var(s, 1, 3 * SZ_1G, SZ_1G, UC);
	check(s, 3 * SZ_1G, SZ_4G, UC, 1);
	/* Order of the registers does not matter. */
	snap_var(s, 0, 3 * SZ_1G, SZ_1G, UC);
	snap_var(s, 1, 0, SZ_4G, WB);
	check(s, 3 * SZ_1G, SZ_4G, UC, 1);
	free(s);
}

static void overlap_wt_wb_gives_wt(void **state)
{
	struct mtrr_snapshot *s = snap_new(UC);

	(void)state;
	snap_var(s, 0, 0, SZ_1G, WB);
	snap_var(s, 1, SZ_256M, SZ_256M, WT);
	check(s, SZ_256M, 2 * SZ_256M, WT, 1);
	check(s, 0, SZ_256M, WB, 1);
	free(s);
}

static void overlap_wc_wb_gives_uc(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, SZ_1G, SZ_1G, WB);
	snap_var(s, 1, SZ_1G, SZ_256M, WC);
	check(s, SZ_1G, SZ_1G + SZ_256M, UC, 1);
	free(s);
}

static void overlap_wt_wp_gives_uc(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, SZ_1G, SZ_1G, WT);
	snap_var(s, 1, SZ_1G, SZ_1G, WP);
	check(s, SZ_1G, 2 * SZ_1G, UC, 1);
	free(s);
}

static void overlap_same_type_stays(void **state)
{
	struct mtrr_snapshot *s = snap_new(UC);

	(void)state;
	snap_var(s, 0, SZ_1G, SZ_1G, WC);
	snap_var(s, 1, SZ_1G, SZ_256M, WC);
	check(s, SZ_1G, 2 * SZ_1G, WC, 1);
	free(s);
}

/* Nested masks of four sizes: 2 GiB WB, 256 MiB UC in it, 4 KiB WT in the WB part. */
static void masks_of_different_sizes(void **state)
{
	struct mtrr_snapshot *s = snap_new(UC);

	(void)state;
	snap_var(s, 0, 0, 2 * SZ_1G, WB);
	snap_var(s, 1, SZ_1G, SZ_256M, UC);
	snap_var(s, 2, 0x1000000, SZ_4K, WT);
	snap_var(s, 3, 64 * SZ_1G, 64 * SZ_1G, WC); /* above 4 GiB, 64 GiB */
	check(s, SZ_1M, 0x1000000, WB, 1);
	check(s, 0x1000000, 0x1001000, WT, 1);
	check(s, 0x1001000, SZ_1G, WB, 1);
	check(s, SZ_1G, SZ_1G + SZ_256M, UC, 1);
	check(s, SZ_1G + SZ_256M, 2 * SZ_1G, WB, 1);
	check(s, 2 * SZ_1G, 4 * SZ_1G, UC, 1);	     /* default */
	check(s, 4 * SZ_1G, 64 * SZ_1G, UC, 1);
	check(s, 64 * SZ_1G, 128 * SZ_1G, WC, 1);
	check(s, 128 * SZ_1G, 129 * SZ_1G, UC, 1);
	free(s);
}

static void fixed_ranges_decide_below_1m(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s);
	s->fixed[3] = WC;  /* 64K range [0x30000, 0x40000) */
	s->fixed[9] = WT;  /* 16K range [0x84000, 0x88000) */
	s->fixed[30] = UC; /* 4K range [0xc6000, 0xc7000) */
	check(s, 0, 0x30000, WB, 1);
	check(s, 0x30000, 0x40000, WC, 1);
	check(s, 0x84000, 0x88000, WT, 1);
	check(s, VGA_START, ROM_START, UC, 1);
	check(s, ROM_START, 0xc6000, WP, 1);
	check(s, 0xc6000, 0xc7000, UC, 1);
	check(s, 0xc7000, SZ_1M, WP, 1);
	free(s);
}

/* Fixed ranges win below 1 MiB over a variable range covering that area. */
static void fixed_ranges_override_variable(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s);
	snap_var(s, 0, 0, 2 * SZ_1M, UC);
	check(s, 0, VGA_START, WB, 1);
	check(s, ROM_START, SZ_1M, WP, 1);
	check(s, SZ_1M, 2 * SZ_1M, UC, 1);
	free(s);
}

static void fixed_disabled_by_fe(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s);
	s->def_type &= ~MTRR_DEF_TYPE_FE;
	check(s, VGA_START, ROM_START, WB, 1); /* default, not the fixed UC */
	snap_var(s, 0, 0, SZ_1M, WT);
	check(s, 0, SZ_1M, WT, 1);
	free(s);
}

static void fixed_unsupported_by_cap(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s); /* FE set, but MTRRcap.FIX clear */
	s->cap &= ~MTRR_CAP_FIX;
	check(s, VGA_START, ROM_START, WB, 1);
	check(s, 0, SZ_1M, WB, 1);
	free(s);
}

static void crossing_1m_not_uniform(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s);
	check(s, SZ_1M - SZ_4K, SZ_1M + SZ_4K, UC, 0); /* WP then WB */
	/* Same type on both sides: one type throughout. */
	memset(s->fixed, WB, sizeof(s->fixed));
	check(s, SZ_1M - SZ_64K, SZ_1M + SZ_64K, WB, 1);
	free(s);
}

static void crossing_fixed_types_not_uniform(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_pc_fixed(s);
	check(s, VGA_START - SZ_4K, VGA_START + SZ_4K, UC, 0); /* WB then UC */
	check(s, 0, SZ_1M, UC, 0);
	free(s);
}

static void crossing_variable_boundary_not_uniform(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, 3 * SZ_1G, SZ_1G, UC);
	check(s, 3 * SZ_1G - SZ_4K, 3 * SZ_1G + SZ_4K, UC, 0); /* WB then UC */
	check(s, SZ_1M, SZ_4G, UC, 0);
	snap_var(s, 1, SZ_1G, SZ_1G, WT);
	check(s, SZ_1G - SZ_4K, SZ_1G + SZ_4K, WT, 0); /* WB then WT */
	free(s);
}

/*
 * Linux's type_merge() clears uniform only when a piece changes the type
 * so far: UC then WB stays UC, WT then WB stays WT, both "uniform".
 */
static void absorbing_first_type_stays_uniform_like_linux(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, 3 * SZ_1G, SZ_1G, UC);
	check(s, SZ_4G - SZ_4K, SZ_4G + SZ_4K, UC, 1);
	snap_var(s, 1, SZ_1G, SZ_1G, WT);
	check(s, 2 * SZ_1G - SZ_4K, 2 * SZ_1G + SZ_4K, WT, 1);
	/* ...but a third piece of another kind still breaks it: WT, WB, UC. */
	check(s, 2 * SZ_1G - SZ_4K, 3 * SZ_1G + SZ_4K, UC, 0);
	free(s);
}

static void top_of_address_space(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	check(s, UINT64_MAX - SZ_4K, UINT64_MAX, WB, 1);
	snap_var(s, 0, 0, 0, UC); /* mask without address bits: all of memory */
	s->var[0].mask = MTRR_PHYSMASK_V;
	check(s, SZ_4G, UINT64_MAX, UC, 1);
	free(s);
}

/* A VCNT above the register array is bounded, never read past it (ASan run). */
static void oversized_vcnt_is_bounded(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	s->nr_var = 1000;
	snap_var(s, MTRR_MAX_VAR_RANGES - 1, SZ_1G, SZ_1G, UC);
	check(s, SZ_1G, 2 * SZ_1G, UC, 1);
	log_reset();
	mtrr_snapshot_show(s);
	expect_log("reg254: base=0x040000000 ( 1024MB), size= 1024MB, count=1: uncachable\n");
	free(s);
}

static void show_prints_proc_mtrr_lines(void **state)
{
	struct mtrr_snapshot *s = snap_new(WB);

	(void)state;
	snap_var(s, 0, 3 * SZ_1G, SZ_1G, UC);
	snap_var(s, 1, 0xd0000000ULL, 64 * SZ_4K, WC);	/* 256 KB: below 1 MB, in KB */
	snap_var(s, 3, 64 * SZ_1G, 16 * SZ_1G, WB);	/* above 4 GiB */
	snap_var(s, 4, SZ_1M, SZ_1M, WT);
	snap_var(s, 5, 2 * SZ_1M, 2 * SZ_1M, WP);
	snap_var(s, 6, SZ_1G, SZ_1G, 2);		/* reserved type */
	snap_var(s, 7, SZ_4G, SZ_4K, WB);
	s->var[7].mask &= ~MTRR_PHYSMASK_V;		/* disabled: not shown */
	log_reset();
	mtrr_snapshot_show(s);
	expect_log("reg00: base=0x0c0000000 ( 3072MB), size= 1024MB, count=1: uncachable\n"
		   "reg01: base=0x0d0000000 ( 3328MB), size=  256KB, count=1: write-combining\n"
		   "reg03: base=0x1000000000 (65536MB), size=16384MB, count=1: write-back\n"
		   "reg04: base=0x000100000 (    1MB), size=    1MB, count=1: write-through\n"
		   "reg05: base=0x000200000 (    2MB), size=    2MB, count=1: write-protect\n"
		   "reg06: base=0x040000000 ( 1024MB), size= 1024MB, count=1: ?\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disabled_returns_invalid_and_uniform),
		cmocka_unit_test(empty_range_is_invalid),
		cmocka_unit_test(no_ranges_gives_default_type),
		cmocka_unit_test(vcnt_zero_ignores_variable_registers),
		cmocka_unit_test(range_without_valid_bit_ignored),
		cmocka_unit_test(overlap_uc_wb_gives_uc),
		cmocka_unit_test(overlap_wt_wb_gives_wt),
		cmocka_unit_test(overlap_wc_wb_gives_uc),
		cmocka_unit_test(overlap_wt_wp_gives_uc),
		cmocka_unit_test(overlap_same_type_stays),
		cmocka_unit_test(masks_of_different_sizes),
		cmocka_unit_test(fixed_ranges_decide_below_1m),
		cmocka_unit_test(fixed_ranges_override_variable),
		cmocka_unit_test(fixed_disabled_by_fe),
		cmocka_unit_test(fixed_unsupported_by_cap),
		cmocka_unit_test(crossing_1m_not_uniform),
		cmocka_unit_test(crossing_fixed_types_not_uniform),
		cmocka_unit_test(crossing_variable_boundary_not_uniform),
		cmocka_unit_test(absorbing_first_type_stays_uniform_like_linux),
		cmocka_unit_test(top_of_address_space),
		cmocka_unit_test(oversized_vcnt_is_bounded),
		cmocka_unit_test(show_prints_proc_mtrr_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
