/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for vmm/mtrr.c. Besides exact MSR values for known layouts,
 * every case is judged by an independent model of the MTRR lookup the CPU
 * does: an address is UC when (addr & PhysMask) == (PhysBase & PhysMask)
 * for some valid variable range, otherwise the default type (WB). Sampled
 * addresses must come out UC exactly when they lie in a hole between
 * 1 MiB and 4 GiB, never on RAM and never above 4 GiB.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../vmm/mtrr.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define CAP_KVM 0x508ull     /* what MTRRcap reads on the project's host */
#define CAP_NO_FIX 0x408ull  /* WC, 8 ranges, no fixed ranges */
#define VCNT_KVM 8u
#define PAGE_MASK_LOW 0xfffull
#define SAMPLE_STEP MiB
#define VCNT_MSR_SPACE 40u /* pairs 0x200..0x24f, below the fixed MSRs */
#define FUZZ_LAYOUTS 300
#define FUZZ_SEED 20240601u

struct var_range {
	uint64_t base, mask; /* as written: base | type, mask | V */
};

/* The value written to MSR @index, asserting it was written exactly once. */
static uint64_t msr_value(const struct mtrr_plan *p, uint32_t index)
{
	unsigned i, found = 0;
	uint64_t v = 0;

	for (i = 0; i < p->nr_msrs; i++) {
		if (p->msrs[i].index == index) {
			v = p->msrs[i].value;
			found++;
		}
	}
	if (found != 1)
		fail_msg("MSR %#x written %u times", index, found);
	return v;
}

/* True if the plan writes MSR @index at all. */
static int msr_written(const struct mtrr_plan *p, uint32_t index)
{
	unsigned i;

	for (i = 0; i < p->nr_msrs; i++)
		if (p->msrs[i].index == index)
			return 1;
	return 0;
}

/* The @vcnt variable pairs as the CPU would hold them after the plan. */
static void read_vars(const struct mtrr_plan *p, unsigned vcnt, struct var_range *v)
{
	unsigned i;

	for (i = 0; i < vcnt; i++) {
		v[i].base = msr_value(p, MSR_MTRRphysBase(i));
		v[i].mask = msr_value(p, MSR_MTRRphysMask(i));
	}
}

/* The CPU's lookup restricted to variable ranges: UC if any valid one matches. */
static int model_is_uc(const struct var_range *v, unsigned vcnt, uint64_t addr)
{
	unsigned i;

	for (i = 0; i < vcnt; i++) {
		uint64_t mask = v[i].mask & ~PAGE_MASK_LOW;

		if (!(v[i].mask & MTRRphysMask_V))
			continue;
		assert_int_equal(v[i].base & 0xff, MTRR_TYPE_UC);
		if ((addr & mask) == (v[i].base & mask))
			return 1;
	}
	return 0;
}

/* Ground truth from the DIMMs alone: a hole between 1 MiB and 4 GiB. */
static int is_low_hole(const struct dimm *d, unsigned nr, uint64_t addr)
{
	unsigned i;

	if (addr < MiB || addr >= 4 * GiB)
		return 0;
	for (i = 0; i < nr; i++)
		if (addr >= d[i].base && addr - d[i].base < d[i].size)
			return 0;
	return 1;
}

/* Bytes of hole in [1 MiB, 4 GiB): the window minus what disjoint DIMMs cover of it. */
static uint64_t hole_bytes(const struct dimm *d, unsigned nr)
{
	uint64_t total = 4 * GiB - MiB;
	unsigned i;

	for (i = 0; i < nr; i++) {
		uint64_t lo = d[i].base > MiB ? d[i].base : MiB;
		uint64_t hi = d[i].base + d[i].size < 4 * GiB ? d[i].base + d[i].size : 4 * GiB;

		if (lo < hi)
			total -= hi - lo;
	}
	return total;
}

/* Bytes the valid ranges cover: each is 2^k bytes, k = lowest mask bit. */
static uint64_t covered_bytes(const struct var_range *v, unsigned vcnt)
{
	uint64_t total = 0;
	unsigned i;

	for (i = 0; i < vcnt; i++)
		if (v[i].mask & MTRRphysMask_V)
			total += 1ull << __builtin_ctzll(v[i].mask & ~PAGE_MASK_LOW);
	return total;
}

/* Compare the model with the truth at @addr; @exact: all ranges fitted. */
static void check_addr(const struct dimm *d, unsigned nr, const struct var_range *v,
		       unsigned vcnt, uint64_t addr, int exact)
{
	int uc = model_is_uc(v, vcnt, addr), hole = is_low_hole(d, nr, addr);

	if (uc && !hole)
		fail_msg("%#llx is RAM or above 4 GiB but UC", (unsigned long long)addr);
	if (exact && hole && !uc)
		fail_msg("%#llx is a hole but WB", (unsigned long long)addr);
}

/* Sample a 1 MiB grid, every DIMM edge +-1 and +-4K, and some addresses above 4 GiB. */
static void check_layout(const struct dimm *d, unsigned nr, const struct mtrr_plan *p,
			 unsigned vcnt)
{
	static const uint64_t high[] = { 4 * GiB, 5 * GiB - 1, 7 * GiB, 1ull << 40, 1ull << 47 };
	struct var_range v[MTRR_MAX_VAR];
	int exact = p->var_used == p->var_needed;
	uint64_t a;
	unsigned i, k;

	read_vars(p, vcnt, v);
	for (a = 0; a < 4 * GiB; a += SAMPLE_STEP)
		check_addr(d, nr, v, vcnt, a, exact);
	for (i = 0; i < nr; i++) {
		uint64_t edges[2] = { d[i].base, d[i].base + d[i].size };

		for (k = 0; k < 2; k++) {
			check_addr(d, nr, v, vcnt, edges[k], exact);
			check_addr(d, nr, v, vcnt, edges[k] - 1, exact);
			check_addr(d, nr, v, vcnt, edges[k] + 4 * KiB, exact);
			check_addr(d, nr, v, vcnt, edges[k] - 4 * KiB, exact);
		}
	}
	for (i = 0; i < ARRAY_SIZE(high); i++)
		check_addr(d, nr, v, vcnt, high[i], exact);
	/* What is not covered is what the plan says stayed WB. */
	assert_true(covered_bytes(v, vcnt) + p->uncovered == hole_bytes(d, nr));
	assert_int_equal(p->var_used, exact ? p->var_needed : vcnt);
	assert_true(p->var_used <= vcnt);
}

/* One expected variable range: base and size. */
struct want_range {
	uint64_t base, size;
};

/* The programmed ranges must be exactly @want, in order, then zeroed pairs. */
static void expect_ranges(const struct mtrr_plan *p, unsigned vcnt, unsigned phys_bits,
			  const struct want_range *want, unsigned nr_want)
{
	struct var_range v[MTRR_MAX_VAR];
	uint64_t phys = (1ull << phys_bits) - 1;
	unsigned i;

	read_vars(p, vcnt, v);
	assert_int_equal(p->var_used, nr_want);
	for (i = 0; i < nr_want; i++) {
		assert_true(v[i].base == (want[i].base | MTRR_TYPE_UC));
		assert_true(v[i].mask == ((~(want[i].size - 1) & phys) | MTRRphysMask_V));
	}
	for (; i < vcnt; i++) {
		assert_true(v[i].base == 0);
		assert_true(v[i].mask == 0);
	}
}

/*
 * Default -m 4G: one UC range, [3G, 4G), as SeaBIOS programs on q35.
 *   0                    3G        4G        5G
 *   |########WB##########|###UC####|###WB####|
 */
static void test_default_layout_one_uc_range(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	const struct want_range want[] = { { 0xc0000000ull, GiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	expect_ranges(&p, VCNT_KVM, 48, want, 1);
	assert_true(msr_value(&p, MSR_MTRRphysBase(0)) == 0xc0000000ull);
	assert_true(msr_value(&p, MSR_MTRRphysMask(0)) == 0xffffc0000800ull);
	assert_int_equal(p.var_needed, 1);
	assert_true(p.uncovered == 0);
	check_layout(d, 2, &p, VCNT_KVM);
}

/* SeaBIOS's fixed ranges, then the 8 pairs, then defType last. */
static void test_fixed_ranges_and_write_order(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;
	unsigned i;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	assert_int_equal(p.nr_msrs, MTRR_NR_FIXED_MSRS + 2 * VCNT_KVM + 1);
	assert_true(msr_value(&p, MSR_MTRRfix64K_00000) == 0x0606060606060606ull);
	assert_true(msr_value(&p, MSR_MTRRfix16K_80000) == 0x0606060606060606ull);
	assert_true(msr_value(&p, MSR_MTRRfix16K_A0000) == 0);
	for (i = 0; i < 8; i++)
		assert_true(msr_value(&p, MSR_MTRRfix4K_C0000 + i) == 0x0505050505050505ull);
	for (i = 0; i < MTRR_NR_FIXED_MSRS; i++)
		assert_true(p.msrs[i].index == 0x250 || p.msrs[i].index == 0x258 ||
			    p.msrs[i].index == 0x259 ||
			    (p.msrs[i].index >= 0x268 && p.msrs[i].index <= 0x26f));
	for (i = 0; i < 2 * VCNT_KVM; i++)
		assert_int_equal(p.msrs[MTRR_NR_FIXED_MSRS + i].index, 0x200 + i);
	assert_int_equal(p.msrs[p.nr_msrs - 1].index, MSR_MTRRdefType);
	assert_true(p.msrs[p.nr_msrs - 1].value == 0xc06); /* E | FE | WB */
}

static void test_no_fixed_ranges_without_fix(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, CAP_NO_FIX, 48, &p);
	assert_false(msr_written(&p, MSR_MTRRfix64K_00000));
	assert_false(msr_written(&p, MSR_MTRRfix16K_A0000));
	assert_false(msr_written(&p, MSR_MTRRfix4K_C0000 + 7));
	assert_int_equal(p.nr_msrs, 2 * VCNT_KVM + 1);
	assert_true(msr_value(&p, MSR_MTRRdefType) == (MTRRdefType_E | MTRR_TYPE_WB));
	check_layout(d, 2, &p, VCNT_KVM);
}

/*
 * Three holes:
 *   0      512M    1G       2G   2.5G   3G        4G
 *   |######|..UC...|########|.UC.|######|...UC....|
 */
static void test_three_holes(void **state)
{
	const struct dimm d[] = {
		{ 0, 512 * MiB },
		{ GiB, GiB },
		{ 2 * GiB + 512 * MiB, 512 * MiB },
		{ 4 * GiB, GiB },
	};
	const struct want_range want[] = {
		{ 512 * MiB, 512 * MiB }, { 2 * GiB, 512 * MiB }, { 3 * GiB, GiB },
	};
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, ARRAY_SIZE(d), CAP_KVM, 48, &p);
	expect_ranges(&p, VCNT_KVM, 48, want, ARRAY_SIZE(want));
	check_layout(d, ARRAY_SIZE(d), &p, VCNT_KVM);
}

/*
 * The issue's --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G: the hole from
 * 1.25G to 4G is not a power of two and splits into 256M, 512M and 2G.
 *   0     512M   1G  1.25G 1.5G   2G              4G      5G
 *   |#####|..UC..|###|.UC.|.UC...|......UC........|#######|
 */
static void test_issue_layout_splits_hole(void **state)
{
	const struct dimm d[] = { { 0, 512 * MiB }, { GiB, 256 * MiB }, { 4 * GiB, GiB } };
	const struct want_range want[] = {
		{ 512 * MiB, 512 * MiB },
		{ GiB + 256 * MiB, 256 * MiB },
		{ GiB + 512 * MiB, 512 * MiB },
		{ 2 * GiB, 2 * GiB },
	};
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 3, CAP_KVM, 48, &p);
	expect_ranges(&p, VCNT_KVM, 48, want, ARRAY_SIZE(want));
	check_layout(d, 3, &p, VCNT_KVM);
}

/*
 * A hole across the 1 GiB boundary: [768M, 1280M) is two 256M blocks, on
 * either side of 1G, not one 512M block (which would have to start at 512M).
 *   0        768M    1G     1280M            3G      4G
 *   |########|..UC...|..UC..|################|..UC...|
 */
static void test_hole_crossing_power_of_two_boundary(void **state)
{
	const struct dimm d[] = { { 0, 768 * MiB }, { 1280 * MiB, 3 * GiB - 1280 * MiB } };
	const struct want_range want[] = {
		{ 768 * MiB, 256 * MiB }, { GiB, 256 * MiB }, { 3 * GiB, GiB },
	};
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	expect_ranges(&p, VCNT_KVM, 48, want, ARRAY_SIZE(want));
	check_layout(d, 2, &p, VCNT_KVM);
}

/*
 * RAM up to the x86 MMIO area: only [0xfec00000, 4G) is a hole, a 4M and
 * a 16M block (0xfec00000 is 4M aligned).
 */
static void test_ram_up_to_x86_mmio_area(void **state)
{
	const struct dimm d[] = { { 0, 0xfec00000ull }, { 4 * GiB, 4 * GiB } };
	const struct want_range want[] = {
		{ 0xfec00000ull, 4 * MiB },
		{ 0xff000000ull, 16 * MiB },
	};
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	expect_ranges(&p, VCNT_KVM, 48, want, ARRAY_SIZE(want));
	check_layout(d, 2, &p, VCNT_KVM);
}

/*
 * Twelve 128M DIMMs every 256M leave 11 holes of 128M plus [2944M, 4G),
 * which is 128M + 1G: 13 blocks for 8 ranges. The 1G block and the seven
 * lowest 128M blocks win; five 128M holes (640M) stay WB.
 *   0    128M  256M  384M  ...  2816M 2944M 3G            4G
 *   |####|.UC.|####|.UC.| ... |####|.WB.|......UC......|
 */
static void test_many_holes_exceed_vcnt(void **state)
{
	struct dimm d[12];
	struct mtrr_plan p;
	struct var_range v[VCNT_KVM];
	unsigned i;

	(void)state;
	for (i = 0; i < 12; i++) {
		d[i].base = i * 256 * MiB;
		d[i].size = 128 * MiB;
	}
	mtrr_plan_build(d, 12, CAP_KVM, 48, &p);
	assert_int_equal(p.var_needed, 13);
	assert_int_equal(p.var_used, VCNT_KVM);
	assert_true(p.uncovered == 5 * 128 * MiB);
	read_vars(&p, VCNT_KVM, v);
	for (i = 0; i < 7; i++)
		assert_true(v[i].base == i * 256 * MiB + 128 * MiB);
	assert_true(v[7].base == 3 * GiB);
	assert_true(v[7].mask == (0xffffc0000000ull | MTRRphysMask_V));
	check_layout(d, 12, &p, VCNT_KVM);
}

/*
 * A hole from 1 MiB to 4 GiB (only the low megabyte is RAM below 4G) is
 * 12 blocks, 1M..2G; with 8 ranges the 1M, 2M, 4M and 8M blocks stay WB.
 */
static void test_hole_from_1M_largest_blocks_win(void **state)
{
	const struct dimm d[] = { { 0, MiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;
	struct var_range v[VCNT_KVM];
	unsigned i;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	assert_int_equal(p.var_needed, 12);
	assert_true(p.uncovered == 15 * MiB);
	read_vars(&p, VCNT_KVM, v);
	for (i = 0; i < VCNT_KVM; i++)
		assert_true(v[i].base == (16 * MiB << i)); /* 16M@16M, 32M@32M, ... 2G@2G */
	check_layout(d, 2, &p, VCNT_KVM);
}

/* An odd-sized hole [3G+4K, 4G) needs 18 blocks, 4K up to 512M. */
static void test_page_granular_hole_exceeds_vcnt(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB + 4 * KiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 1, CAP_KVM, 48, &p);
	assert_int_equal(p.var_needed, 18);
	assert_int_equal(p.var_used, VCNT_KVM);
	/* Kept: 512M..4M (8 blocks); left: 2M..4K, i.e. 4M - 4K. */
	assert_true(p.uncovered == 4 * MiB - 4 * KiB);
	check_layout(d, 1, &p, VCNT_KVM);
	mtrr_plan_build(d, 1, 0x500 | 32, 48, &p);
	assert_int_equal(p.var_used, 18);
	assert_true(p.uncovered == 0);
	check_layout(d, 1, &p, 32);
}

/* The mask covers exactly MAXPHYADDR bits: 36, 48 and 52. */
static void test_phys_bits_36_48_52_masks(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, CAP_KVM, 36, &p);
	assert_true(msr_value(&p, MSR_MTRRphysMask(0)) == 0xfc0000800ull);
	check_layout(d, 2, &p, VCNT_KVM);
	mtrr_plan_build(d, 2, CAP_KVM, 48, &p);
	assert_true(msr_value(&p, MSR_MTRRphysMask(0)) == 0xffffc0000800ull);
	mtrr_plan_build(d, 2, CAP_KVM, 52, &p);
	assert_true(msr_value(&p, MSR_MTRRphysMask(0)) == 0xfffffc0000800ull);
}

/* No variable ranges at all: everything stays WB and is reported uncovered. */
static void test_vcnt_zero(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 2, MTRRcap_FIX, 48, &p);
	assert_int_equal(p.var_used, 0);
	assert_int_equal(p.var_needed, 1);
	assert_true(p.uncovered == GiB);
	assert_false(msr_written(&p, MSR_MTRRphysBase(0)));
	assert_int_equal(p.nr_msrs, MTRR_NR_FIXED_MSRS + 1);
}

/* A stale range from an earlier owner must be cleared, not left valid. */
static void test_unused_pairs_zeroed(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct mtrr_plan p;
	unsigned i;

	(void)state;
	mtrr_plan_build(d, 2, 0x500 | 16, 48, &p);
	assert_int_equal(p.nr_msrs, MTRR_NR_FIXED_MSRS + 2 * 16 + 1);
	for (i = 1; i < 16; i++) {
		assert_true(msr_value(&p, MSR_MTRRphysBase(i)) == 0);
		assert_true(msr_value(&p, MSR_MTRRphysMask(i)) == 0);
	}
}

/* Tiny xorshift so the fuzz layouts are the same on every run. */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A VCNT beyond the MSR space is clamped: no pair lands on a fixed-range MSR. */
static void test_vcnt_beyond_msr_space_clamped(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB + 4 * KiB } };
	struct mtrr_plan p;

	(void)state;
	mtrr_plan_build(d, 1, 0x500 | MTRR_MAX_VAR, 48, &p);
	assert_int_equal(p.nr_msrs, MTRR_NR_FIXED_MSRS + 2 * VCNT_MSR_SPACE + 1);
	assert_int_equal(p.var_used, 18);
	assert_true(msr_value(&p, MSR_MTRRfix64K_00000) == 0x0606060606060606ull);
	assert_true(msr_value(&p, MSR_MTRRphysMask(VCNT_MSR_SPACE - 1)) == 0);
	check_layout(d, 1, &p, VCNT_MSR_SPACE);
}

/*
 * Random sorted layouts below 0xfec00000 plus one DIMM above 4 GiB; half
 * with 64M granularity (few blocks), half page-granular (many). With 40
 * ranges most fit and every hole must be exactly UC; with 8, UC must still
 * never touch RAM and the uncovered count must add up.
 */
static void test_random_layouts_match_model(void **state)
{
	uint32_t seed = FUZZ_SEED;
	unsigned round, exact = 0;

	(void)state;
	for (round = 0; round < FUZZ_LAYOUTS; round++) {
		uint64_t unit = (round & 1) ? 4 * KiB : 64 * MiB;
		uint64_t span = 3 * GiB / unit; /* gaps and sizes up to 3G */
		struct dimm d[10];
		struct mtrr_plan p;
		uint64_t cur = 0;
		unsigned nr = 0;

		/* Page-granular holes need many blocks each: fewer of them. */
		while (nr < ((round & 1) ? 3u : 9u)) {
			uint64_t gap = (next_rand(&seed) % (span / 4)) * unit;
			uint64_t size = (next_rand(&seed) % (span / 4) + 1) * unit;

			if (nr == 0)
				gap = 0;
			if (cur + gap + size > 0xfec00000ull)
				break;
			d[nr].base = cur + gap;
			d[nr].size = size;
			cur = d[nr].base + size;
			nr++;
		}
		d[nr].base = 4 * GiB;
		d[nr].size = GiB;
		nr++;
		mtrr_plan_build(d, nr, 0x500 | VCNT_MSR_SPACE, 48, &p);
		exact += p.var_used == p.var_needed;
		check_layout(d, nr, &p, VCNT_MSR_SPACE);
		mtrr_plan_build(d, nr, CAP_KVM, 48, &p);
		check_layout(d, nr, &p, VCNT_KVM);
	}
	/* The exact-coverage branch of the check must really have been taken. */
	assert_true(exact > FUZZ_LAYOUTS / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_layout_one_uc_range),
		cmocka_unit_test(test_fixed_ranges_and_write_order),
		cmocka_unit_test(test_no_fixed_ranges_without_fix),
		cmocka_unit_test(test_three_holes),
		cmocka_unit_test(test_issue_layout_splits_hole),
		cmocka_unit_test(test_hole_crossing_power_of_two_boundary),
		cmocka_unit_test(test_ram_up_to_x86_mmio_area),
		cmocka_unit_test(test_many_holes_exceed_vcnt),
		cmocka_unit_test(test_hole_from_1M_largest_blocks_win),
		cmocka_unit_test(test_page_granular_hole_exceeds_vcnt),
		cmocka_unit_test(test_phys_bits_36_48_52_masks),
		cmocka_unit_test(test_vcnt_zero),
		cmocka_unit_test(test_unused_pairs_zeroed),
		cmocka_unit_test(test_vcnt_beyond_msr_space_clamped),
		cmocka_unit_test(test_random_layouts_match_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
