/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for vmm/layout.c: -m into DIMMs, the DIMM rules, and the E820
 * table built from DIMMs and --e820 extras. Layouts are drawn above each
 * case, low addresses on the left; '#' is RAM, '.' a hole, 'r' reserved.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../vmm/layout.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define LOW_USABLE 0x9fc00ull /* E820_LOWMEM_USABLE_END, spelled out */
#define SLOTS 8u              /* memslots the tests pretend KVM offers */
#define PHYS48 48u
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RAM E820_TYPE_RAM
#define RSV E820_TYPE_RESERVED

/* layout_from_total() must refuse @total with exactly @msg. */
static void expect_total_error(uint64_t total, const char *msg)
{
	struct dimm d[2];
	unsigned nr = 99;
	struct vmm_err err = { "" };

	assert_int_equal(layout_from_total(total, d, &nr, &err), -1);
	assert_string_equal(err.msg, msg);
	assert_int_equal(nr, 99);
}

/* layout_from_total() must give the DIMMs @want, which must then pass layout_check(). */
static void expect_total(uint64_t total, const struct dimm *want, unsigned nr_want)
{
	struct dimm d[2];
	unsigned nr = 0, i;
	struct vmm_err err = { "" };

	assert_int_equal(layout_from_total(total, d, &nr, &err), 0);
	assert_int_equal(nr, nr_want);
	for (i = 0; i < nr; i++) {
		assert_true(d[i].base == want[i].base);
		assert_true(d[i].size == want[i].size);
	}
	assert_int_equal(layout_check(d, nr, PHYS48, SLOTS, &err), 0);
}

/* layout_check() must refuse @d with exactly @msg. */
static void expect_check_error(struct dimm *d, unsigned nr, unsigned phys_bits, unsigned slots,
			       const char *msg)
{
	struct vmm_err err = { "" };

	assert_int_equal(layout_check(d, nr, phys_bits, slots, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* layout_check() must accept @d. */
static void expect_check_ok(struct dimm *d, unsigned nr, unsigned phys_bits)
{
	struct vmm_err err = { "" };

	if (layout_check(d, nr, phys_bits, SLOTS, &err))
		fail_msg("layout_check refused: %s", err.msg);
}

/* Every table layout_build_e820() gives: sorted, disjoint, nothing empty. */
static void assert_table_sane(const struct e820_entry *t, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		assert_true(t[i].size > 0);
		if (i)
			assert_true(t[i - 1].addr + t[i - 1].size <= t[i].addr);
	}
}

/* Build the table and compare it entry by entry with @want. */
static void expect_e820(const struct dimm *d, unsigned nr, const struct e820_entry *x,
			unsigned nx, const struct e820_entry *want, unsigned nr_want)
{
	struct e820_entry out[E820_MAX_ENTRIES];
	struct vmm_err err = { "" };
	int n = layout_build_e820(d, nr, x, nx, out, E820_MAX_ENTRIES, &err);
	unsigned i;

	if (n < 0)
		fail_msg("layout_build_e820 refused: %s", err.msg);
	assert_int_equal(n, nr_want);
	assert_table_sane(out, n);
	for (i = 0; i < nr_want; i++) {
		const struct e820_entry *g = &out[i], *w = &want[i];

		if (g->addr != w->addr || g->size != w->size || g->type != w->type)
			fail_msg("entry %u: got [%#llx +%#llx type %u], "
				 "want [%#llx +%#llx type %u]",
				 i, (unsigned long long)g->addr, (unsigned long long)g->size,
				 g->type, (unsigned long long)w->addr, (unsigned long long)w->size,
				 w->type);
	}
}

/* layout_build_e820() must refuse with exactly @msg. */
static void expect_e820_error(const struct dimm *d, unsigned nr, const struct e820_entry *x,
			      unsigned nx, unsigned max, const char *msg)
{
	struct e820_entry out[E820_MAX_ENTRIES];
	struct vmm_err err = { "" };

	assert_true(max <= E820_MAX_ENTRIES);
	assert_int_equal(layout_build_e820(d, nr, x, nx, out, max, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* ---------------------------------------------------------------- -m */

/*
 * -m 1M: the smallest machine, the low megabyte alone.
 *   0          0x9fc00   1M
 *   |##########|rrrrrrrr|
 */
static void test_total_1M_is_one_dimm(void **state)
{
	const struct dimm want[] = { { 0, MiB } };

	(void)state;
	expect_total(MiB, want, 1);
}

static void test_total_640K_refused_below_1M(void **state)
{
	(void)state;
	expect_total_error(640 * KiB, "-m 640K: below the 1M minimum (the PC low megabyte)");
}

static void test_total_zero_refused(void **state)
{
	(void)state;
	expect_total_error(0, "-m 0: memory size is zero");
}

static void test_total_unaligned_refused(void **state)
{
	(void)state;
	expect_total_error(GiB + 1, "-m 1073741825: not a multiple of 4 KiB");
	expect_total_error(2 * MiB + 512, "-m 2097664: not a multiple of 4 KiB");
}

static void test_total_overflow_refused(void **state)
{
	(void)state;
	expect_total_error(UINT64_MAX & ~0xfffull,
			   "-m 18014398509481980K: too large for a 64-bit address space");
}

/*
 * -m 3G: exactly fills the space below the hole, so no second DIMM.
 *   0                    3G        4G
 *   |####################|.........|
 */
static void test_total_3G_exactly_one_dimm(void **state)
{
	const struct dimm want[] = { { 0, 3 * GiB } };

	(void)state;
	expect_total(3 * GiB, want, 1);
}

/*
 * -m 3G+4K: one page spills over the hole to 4 GiB.
 *   0                    3G        4G  4G+4K
 *   |####################|.........|#|
 */
static void test_total_3G_plus_4K_spills_above_hole(void **state)
{
	const struct dimm want[] = { { 0, 3 * GiB }, { 4 * GiB, 4 * KiB } };

	(void)state;
	expect_total(3 * GiB + 4 * KiB, want, 2);
}

/*
 * -m 4G, the default: 3 GiB below the hole, 1 GiB above it.
 *   0                    3G        4G        5G
 *   |####################|.........|#########|
 */
static void test_total_4G_default_two_dimms(void **state)
{
	const struct dimm want[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };

	(void)state;
	expect_total(LAYOUT_DEFAULT_MEM, want, 2);
}

static void test_total_64G(void **state)
{
	const struct dimm want[] = { { 0, 3 * GiB }, { 4 * GiB, 61 * GiB } };

	(void)state;
	expect_total(64 * GiB, want, 2);
}

/* -m 64G ends at 65G: past what a 36-bit CPU can address. */
static void test_total_64G_refused_on_36_bit_cpu(void **state)
{
	struct dimm d[2];
	unsigned nr;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(layout_from_total(64 * GiB, d, &nr, &err), 0);
	expect_check_error(d, nr, 36, SLOTS,
			   "DIMM 61G@0x100000000 ends beyond the 36-bit physical address limit");
}

/* ---------------------------------------------------------------- layout_check */

/*
 * The example, given out of order; layout_check sorts it.
 *   0     512M   1G  1.25G          4G       5G
 *   |#####|......|###|..............|########|
 */
static void test_check_sorts_dimms_by_address(void **state)
{
	struct dimm d[] = { { 4 * GiB, GiB }, { GiB, 256 * MiB }, { 0, 512 * MiB } };

	(void)state;
	expect_check_ok(d, 3, PHYS48);
	assert_true(d[0].base == 0 && d[0].size == 512 * MiB);
	assert_true(d[1].base == GiB && d[1].size == 256 * MiB);
	assert_true(d[2].base == 4 * GiB && d[2].size == GiB);
}

static void test_check_no_dimms_refused(void **state)
{
	struct dimm d[1];

	(void)state;
	expect_check_error(d, 0, PHYS48, SLOTS, "no DIMMs: the guest needs memory");
}

static void test_check_zero_size_refused(void **state)
{
	struct dimm d[] = { { 0, GiB }, { 2 * GiB, 0 } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS, "DIMM 0@0x80000000: size is zero");
}

static void test_check_unaligned_address_refused(void **state)
{
	struct dimm d[] = { { 0, 256 * MiB }, { 0x10000800, 256 * MiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS, "DIMM 256M@0x10000800: address not 4 KiB aligned");
}

static void test_check_unaligned_size_refused(void **state)
{
	struct dimm d[] = { { 0, 256 * MiB + 100 } };

	(void)state;
	expect_check_error(d, 1, PHYS48, SLOTS, "DIMM 268435556@0: size not a multiple of 4 KiB");
}

/*
 *   0          512M       1G
 *   |####################|      1G@0
 *              |#########|      512M@512M  (inside the first)
 */
static void test_check_overlap_refused(void **state)
{
	struct dimm d[] = { { 0x20000000, 512 * MiB }, { 0, GiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS, "DIMMs 1G@0 and 512M@0x20000000 overlap");
}

/* Overlap by a single page at the end of one and start of the next. */
static void test_check_overlap_by_one_page_refused(void **state)
{
	struct dimm d[] = { { 0, GiB }, { GiB - 4 * KiB, GiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS, "DIMMs 1G@0 and 1G@0x3ffff000 overlap");
}

static void test_check_identical_dimms_overlap(void **state)
{
	struct dimm d[] = { { 0, GiB }, { 4 * GiB, GiB }, { 4 * GiB, GiB } };

	(void)state;
	expect_check_error(d, 3, PHYS48, SLOTS, "DIMMs 1G@0x100000000 and 1G@0x100000000 overlap");
}

/*
 * Touching DIMMs are two memslots and no overlap.
 *   0        1G        2G
 *   |########|########|
 */
static void test_check_touching_dimms_accepted(void **state)
{
	struct dimm d[] = { { GiB, GiB }, { 0, GiB } };

	(void)state;
	expect_check_ok(d, 2, PHYS48);
}

/* The last byte of the 48-bit space is addressable; one page more is not. */
static void test_check_48_bit_limit(void **state)
{
	struct dimm ok[] = { { 0, GiB }, { 0xffffc0000000ull, GiB } };
	struct dimm bad[] = { { 0, GiB }, { 0xfffff0000000ull, GiB } };

	(void)state;
	expect_check_ok(ok, 2, PHYS48);
	expect_check_error(bad, 2, PHYS48, SLOTS,
			   "DIMM 1G@0xfffff0000000 ends beyond the 48-bit physical address limit");
	expect_check_error(ok, 2, 40, SLOTS,
			   "DIMM 1G@0xffffc0000000 ends beyond the 40-bit physical address limit");
}

static void test_check_wraparound_refused(void **state)
{
	struct dimm d[] = { { 0, GiB }, { 0xfffffffffffff000ull, 8 * KiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS,
			   "DIMM 8K@0xfffffffffffff000 wraps around the 64-bit address space");
}

/* KVM maps at most 2^31 - 1 pages per memslot: 8T - 4K is the largest DIMM. */
static void test_check_dimm_larger_than_a_memslot_refused(void **state)
{
	struct dimm ok[] = { { 0, GiB }, { 4 * GiB, LAYOUT_DIMM_MAX_SIZE } };
	struct dimm bad[] = { { 0, GiB }, { 4 * GiB, 8192 * GiB } };

	(void)state;
	expect_check_ok(ok, 2, PHYS48);
	expect_check_error(bad, 2, PHYS48, SLOTS,
			   "DIMM 8T@0x100000000: larger than one KVM memory slot maps (8589934588K)");
}

static void test_check_bad_phys_bits_refused(void **state)
{
	struct dimm d[] = { { 0, GiB } };

	(void)state;
	expect_check_error(d, 1, 0, SLOTS, "physical address width 0 outside [32, 52]");
	expect_check_error(d, 1, 53, SLOTS, "physical address width 53 outside [32, 52]");
	expect_check_ok(d, 1, 52);
}

/*
 * A DIMM that starts inside the low megabyte and reaches its reserved part.
 *   0        0x9fc00 0xa0000   1M          1.625M
 *   |###|    |rrrrrrr|rrrrrrrrr|
 *                    |######################|   1M@0xa0000
 */
static void test_check_dimm_over_low_reserved_refused(void **state)
{
	struct dimm d[] = { { 0, 16 * KiB * 4 }, { 0xa0000, MiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS,
			   "DIMM 1M@0xa0000 overlaps the low megabyte's reserved area "
			   "[0x9fc00-0xfffff]");
}

/* One page that ends at 0xa0000 crosses into [0x9fc00, 1M) as well. */
static void test_check_dimm_ending_in_ebda_refused(void **state)
{
	struct dimm d[] = { { 0, 0x10000 }, { 0x9f000, 4 * KiB } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS,
			   "DIMM 4K@0x9f000 overlaps the low megabyte's reserved area "
			   "[0x9fc00-0xfffff]");
}

/*
 * Low DIMMs that stay below the EBDA are fine, as is a DIMM at 0 that
 * covers the whole megabyte (it gets the reserved entry) and one at 1M.
 *   0     64K                 0x9f000 0x9fc00  1M      2M
 *   |#####|###################|       |        |#######|
 */
static void test_check_low_dimms_below_ebda_accepted(void **state)
{
	struct dimm d[] = { { 0, 64 * KiB }, { 64 * KiB, 0x9f000 - 64 * KiB }, { MiB, MiB } };
	struct dimm whole[] = { { 0, 2 * MiB } };

	(void)state;
	expect_check_ok(d, 3, PHYS48);
	expect_check_ok(whole, 1, PHYS48);
}

/*
 * The IOAPIC/LAPIC/firmware window below 4 GiB is never RAM.
 *   3G          0xfec00000  4G
 *   |###########|mmmmmmmmmm|     1G@3G covers it: refused
 *   |##########|            |     up to 0xfec00000 exactly: accepted
 */
static void test_check_x86_mmio_area_refused(void **state)
{
	struct dimm bad[] = { { 0, GiB }, { 3 * GiB, GiB } };
	struct dimm ok[] = { { 0, GiB }, { 3 * GiB, 0xfec00000ull - 3 * GiB } };
	struct dimm top[] = { { 0, GiB }, { 0xfffff000ull, 4 * KiB } };

	(void)state;
	expect_check_error(bad, 2, PHYS48, SLOTS,
			   "DIMM 1G@0xc0000000 overlaps the x86 interrupt controller and firmware "
			   "area [0xfec00000-0xffffffff]");
	expect_check_ok(ok, 2, PHYS48);
	expect_check_error(top, 2, PHYS48, SLOTS,
			   "DIMM 4K@0xfffff000 overlaps the x86 interrupt controller and firmware "
			   "area [0xfec00000-0xffffffff]");
}

static void test_check_more_dimms_than_slots_refused(void **state)
{
	struct dimm d[12];
	unsigned i;

	(void)state;
	for (i = 0; i < 12; i++) {
		d[i].base = i * GiB + (i >= 3 ? GiB : 0);
		d[i].size = GiB;
	}
	expect_check_error(d, 12, PHYS48, SLOTS, "12 DIMMs but KVM offers only 8 memory slots");
	expect_check_ok(d, SLOTS, PHYS48);
}

/* Nothing at 0: the start info, memmap and command line have nowhere to go. */
static void test_check_no_dimm_for_boot_area_refused(void **state)
{
	struct dimm d[] = { { GiB, GiB } };

	(void)state;
	expect_check_error(d, 1, PHYS48, SLOTS,
			   "no DIMM holds the PVH boot area [0x6000-0x8fff]: add a DIMM at 0");
}

/*
 * The boot area split over two DIMMs is refused: the VMM writes it
 * through one host mapping.
 *   0        0x7000    0x9000
 *   |########|#########|....
 *       ^ boot area [0x6000, 0x9000) straddles the boundary
 */
static void test_check_boot_area_split_over_dimms_refused(void **state)
{
	struct dimm d[] = { { 0, 0x7000 }, { 0x7000, 0x10000 } };
	struct dimm small[] = { { 0, 0x8000 } };
	struct dimm exact[] = { { 0, 0x9000 } };

	(void)state;
	expect_check_error(d, 2, PHYS48, SLOTS,
			   "no DIMM holds the PVH boot area [0x6000-0x8fff]: add a DIMM at 0");
	expect_check_error(small, 1, PHYS48, SLOTS,
			   "no DIMM holds the PVH boot area [0x6000-0x8fff]: add a DIMM at 0");
	expect_check_ok(exact, 1, PHYS48);
}

/* ---------------------------------------------------------------- E820 */

/*
 * Default -m 4G:
 *   0       0x9fc00  1M              3G        4G        5G
 *   |usable|reserved|usable..........|  hole   |usable...|
 */
static void test_e820_default_layout(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, 3 * GiB - MiB, RAM },
		{ 4 * GiB, GiB, RAM },
	};

	(void)state;
	expect_e820(d, 2, NULL, 0, want, ARRAY_SIZE(want));
}

/*
 * --dimm 512M@0 --dimm 256M@1G --dimm 1G@4G
 *   0      0x9fc00 1M      512M     1G    1.25G          4G       5G
 *   |usable|rsv|usable.....| hole   |usable| hole ...     |usable..|
 */
static void test_e820_three_dimms_with_holes(void **state)
{
	const struct dimm d[] = { { 0, 512 * MiB }, { GiB, 256 * MiB }, { 4 * GiB, GiB } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, 511 * MiB, RAM },
		{ GiB, 256 * MiB, RAM },
		{ 4 * GiB, GiB, RAM },
	};

	(void)state;
	expect_e820(d, 3, NULL, 0, want, ARRAY_SIZE(want));
}

/* Two touching DIMMs stay two entries: each DIMM remains visible. */
static void test_e820_touching_dimms_not_merged(void **state)
{
	const struct dimm d[] = { { 0, GiB }, { GiB, GiB } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, GiB - MiB, RAM },
		{ GiB, GiB, RAM },
	};

	(void)state;
	expect_e820(d, 2, NULL, 0, want, ARRAY_SIZE(want));
}

/*
 * A DIMM at 0 shorter than the megabyte: the low entries are clipped.
 *   0        0x9f000                0        0x9fc00 0xa0000
 *   |usable..|           and        |usable..|rsv|
 */
static void test_e820_small_dimm_at_zero_clipped(void **state)
{
	const struct dimm below[] = { { 0, 0x9f000 } };
	const struct dimm vga[] = { { 0, 0xa0000 } };
	const struct dimm one_m[] = { { 0, MiB } };
	const struct e820_entry want_below[] = { { 0, 0x9f000, RAM } };
	const struct e820_entry want_vga[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, 0xa0000 - LOW_USABLE, RSV },
	};
	const struct e820_entry want_one_m[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
	};

	(void)state;
	expect_e820(below, 1, NULL, 0, want_below, ARRAY_SIZE(want_below));
	expect_e820(vga, 1, NULL, 0, want_vga, ARRAY_SIZE(want_vga));
	expect_e820(one_m, 1, NULL, 0, want_one_m, ARRAY_SIZE(want_one_m));
}

/*
 * An extra inside RAM splits it in three.
 *   1M            1G  1G+4K                  2G
 *   |usable.......|rsv|usable................|
 */
static void test_e820_extra_carves_middle_of_ram(void **state)
{
	const struct dimm d[] = { { 0, 2 * GiB } };
	const struct e820_entry x[] = { { GiB, 4 * KiB, RSV } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, GiB - MiB, RAM },
		{ GiB, 4 * KiB, RSV },
		{ GiB + 4 * KiB, GiB - 4 * KiB, RAM },
	};

	(void)state;
	expect_e820(d, 1, x, 1, want, ARRAY_SIZE(want));
}

/*
 * Extras at both edges of a DIMM, and one covering a whole DIMM.
 *   4G  4G+1M                5G-2M  5G    6G              6G+256M
 *   |nvs|usable..............|acpi|       |pmem.............|
 */
static void test_e820_extras_carve_edges_and_whole_dimm(void **state)
{
	const struct dimm d[] = { { 0, MiB }, { 4 * GiB, GiB }, { 6 * GiB, 256 * MiB } };
	const struct e820_entry x[] = {
		{ 6 * GiB, 256 * MiB, E820_TYPE_PMEM },
		{ 5 * GiB - 2 * MiB, 2 * MiB, E820_TYPE_ACPI },
		{ 4 * GiB, MiB, E820_TYPE_NVS },
	};
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ 4 * GiB, MiB, E820_TYPE_NVS },
		{ 4 * GiB + MiB, GiB - 3 * MiB, RAM },
		{ 5 * GiB - 2 * MiB, 2 * MiB, E820_TYPE_ACPI },
		{ 6 * GiB, 256 * MiB, E820_TYPE_PMEM },
	};

	(void)state;
	expect_e820(d, 3, x, ARRAY_SIZE(x), want, ARRAY_SIZE(want));
}

/*
 * Reserved MMIO in a hole, and one range straddling RAM and the hole.
 *   2.5G              3G                3.5G   0xfed00000  4G
 *   |usable...|reserved...........|     |      |rsv|
 *             2.75G        (into the hole)     (wholly outside RAM)
 */
static void test_e820_extras_outside_or_across_dimms(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB } };
	const struct e820_entry x[] = {
		{ 0xfed00000ull, 4 * KiB, RSV },
		{ 2 * GiB + 768 * MiB, 768 * MiB, RSV },
	};
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, 2 * GiB + 768 * MiB - MiB, RAM },
		{ 2 * GiB + 768 * MiB, 768 * MiB, RSV },
		{ 0xfed00000ull, 4 * KiB, RSV },
	};

	(void)state;
	expect_e820(d, 1, x, ARRAY_SIZE(x), want, ARRAY_SIZE(want));
}

/*
 * ACPI tables in the BIOS area: the extra wins over the low megabyte's
 * reserved entry, which is cut around it.
 *   0x9fc00     0xe0000      1M
 *   |reserved...|acpi........|
 */
static void test_e820_extra_over_low_megabyte_reserved(void **state)
{
	const struct dimm d[] = { { 0, 2 * MiB } };
	const struct e820_entry x[] = { { 0xe0000, 128 * KiB, E820_TYPE_ACPI } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, 0xe0000 - LOW_USABLE, RSV },
		{ 0xe0000, 128 * KiB, E820_TYPE_ACPI },
		{ MiB, MiB, RAM },
	};

	(void)state;
	expect_e820(d, 1, x, 1, want, ARRAY_SIZE(want));
}

/* One extra spanning two DIMMs and the hole between them. */
static void test_e820_extra_spanning_two_dimms(void **state)
{
	const struct dimm d[] = { { 0, GiB }, { 2 * GiB, GiB } };
	const struct e820_entry x[] = { { GiB - MiB, GiB + 2 * MiB, E820_TYPE_UNUSABLE } };
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ MiB, GiB - 2 * MiB, RAM },
		{ GiB - MiB, GiB + 2 * MiB, E820_TYPE_UNUSABLE },
		{ 2 * GiB + MiB, GiB - MiB, RAM },
	};

	(void)state;
	expect_e820(d, 2, x, 1, want, ARRAY_SIZE(want));
}

/* Touching extras are fine; each stays its own entry. */
static void test_e820_touching_extras_accepted(void **state)
{
	const struct dimm d[] = { { 0, MiB } };
	const struct e820_entry x[] = {
		{ 0xfee00000ull, 4 * KiB, RSV },
		{ 0xfec00000ull, 0x200000, RSV },
	};
	const struct e820_entry want[] = {
		{ 0, LOW_USABLE, RAM },
		{ LOW_USABLE, MiB - LOW_USABLE, RSV },
		{ 0xfec00000ull, 0x200000, RSV },
		{ 0xfee00000ull, 4 * KiB, RSV },
	};

	(void)state;
	expect_e820(d, 1, x, 2, want, ARRAY_SIZE(want));
}

/*
 *   0xfec00000      0xfec01000
 *   |reserved.......|
 *          |acpi..........|    starts inside the first: refused
 */
static void test_e820_overlapping_extras_refused(void **state)
{
	const struct dimm d[] = { { 0, GiB } };
	const struct e820_entry x[] = {
		{ 0xfec00800ull, 4 * KiB, E820_TYPE_ACPI },
		{ 0xfec00000ull, 4 * KiB, RSV },
	};
	const struct e820_entry same[] = { { 0x1000, 4 * KiB, 0x99 }, { 0x1000, 8 * KiB, RSV } };

	(void)state;
	expect_e820_error(d, 1, x, 2, E820_MAX_ENTRIES,
			  "E820 entries reserved@0xfec00000+4K and acpi@0xfec00800+4K overlap");
	expect_e820_error(d, 1, same, 2, E820_MAX_ENTRIES,
			  "E820 entries 0x99@0x1000+4K and reserved@0x1000+8K overlap");
}

static void test_e820_zero_size_extra_refused(void **state)
{
	const struct dimm d[] = { { 0, GiB } };
	const struct e820_entry x[] = { { 0x2000, 0, E820_TYPE_NVS } };

	(void)state;
	expect_e820_error(d, 1, x, 1, E820_MAX_ENTRIES, "E820 entry nvs@0x2000+0: size is zero");
}

static void test_e820_wrapping_extra_refused(void **state)
{
	const struct dimm d[] = { { 0, GiB } };
	const struct e820_entry x[] = { { 0xfffffffffffff000ull, 8 * KiB, RSV } };

	(void)state;
	expect_e820_error(d, 1, x, 1, E820_MAX_ENTRIES,
			  "E820 entry reserved@0xfffffffffffff000+8K wraps around the 64-bit "
			  "address space");
}

/* The default table has 4 entries: a limit of 3 is refused, 4 is enough. */
static void test_e820_max_entries_exact_and_exceeded(void **state)
{
	const struct dimm d[] = { { 0, 3 * GiB }, { 4 * GiB, GiB } };
	struct e820_entry out[4];
	struct vmm_err err = { "" };

	(void)state;
	expect_e820_error(d, 2, NULL, 0, 3, "E820 table needs 4 entries, more than the 3 allowed");
	assert_int_equal(layout_build_e820(d, 2, NULL, 0, out, 4, &err), 4);
	assert_table_sane(out, 4);
}

/*
 * 63 one-page reserved islands in RAM above 1 MiB: each splits the RAM
 * once more. 2 low entries + 63 islands + 64 RAM pieces = 129 > 128.
 */
static void test_e820_many_islands_exceed_max(void **state)
{
	const struct dimm d[] = { { 0, GiB } };
	struct e820_entry x[63], out[E820_MAX_ENTRIES];
	struct vmm_err err = { "" };
	unsigned i;
	int n;

	(void)state;
	for (i = 0; i < 63; i++) {
		x[i].addr = 2 * MiB + (uint64_t)i * 2 * MiB;
		x[i].size = 4 * KiB;
		x[i].type = RSV;
	}
	expect_e820_error(d, 1, x, 63, E820_MAX_ENTRIES,
			  "E820 table needs 129 entries, more than the 128 allowed");
	n = layout_build_e820(d, 1, x, 62, out, E820_MAX_ENTRIES, &err);
	assert_int_equal(n, 127);
	assert_table_sane(out, n);
	for (i = 3; i < (unsigned)n; i += 2)
		assert_int_equal(out[i].type, RSV);
}

static void test_e820_type_parse_names(void **state)
{
	static const struct {
		const char *name;
		uint32_t type;
	} cases[] = {
		{ "usable", 1 }, { "ram", 1 }, { "reserved", 2 }, { "acpi", 3 },
		{ "nvs", 4 }, { "unusable", 5 }, { "pmem", 7 }, { "pram", 12 },
		{ "soft-reserved", 0xefffffffu }, { "RESERVED", 2 }, { "Acpi", 3 },
	};
	uint32_t t;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		t = 0;
		assert_int_equal(e820_type_parse(cases[i].name, &t), 0);
		assert_int_equal(t, cases[i].type);
	}
}

static void test_e820_type_parse_numbers(void **state)
{
	uint32_t t = 77;

	(void)state;
	assert_int_equal(e820_type_parse("7", &t), 0);
	assert_int_equal(t, 7);
	assert_int_equal(e820_type_parse("0xefffffff", &t), 0);
	assert_int_equal(t, 0xefffffffu);
	assert_int_equal(e820_type_parse("4294967295", &t), 0);
	assert_int_equal(t, UINT32_MAX);
	assert_int_equal(e820_type_parse("0", &t), 0);
	assert_int_equal(t, 0);
	t = 77;
	assert_int_equal(e820_type_parse("4294967296", &t), -1);
	assert_int_equal(e820_type_parse("0x100000000", &t), -1);
	assert_int_equal(e820_type_parse("", &t), -1);
	assert_int_equal(e820_type_parse("ramm", &t), -1);
	assert_int_equal(e820_type_parse("-1", &t), -1);
	assert_int_equal(e820_type_parse(" acpi", &t), -1);
	assert_int_equal(t, 77);
}

static void test_e820_type_cli_name_round_trip(void **state)
{
	static const uint32_t types[] = { 1, 2, 3, 4, 5, 7, 12, 0xefffffffu };
	uint32_t t;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		const char *name = e820_type_cli_name(types[i]);

		assert_non_null(name);
		assert_int_equal(e820_type_parse(name, &t), 0);
		assert_int_equal(t, types[i]);
	}
	assert_string_equal(e820_type_cli_name(1), "usable");
	assert_null(e820_type_cli_name(0));
	assert_null(e820_type_cli_name(6));
	assert_null(e820_type_cli_name(0xffffffffu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total_1M_is_one_dimm),
		cmocka_unit_test(test_total_640K_refused_below_1M),
		cmocka_unit_test(test_total_zero_refused),
		cmocka_unit_test(test_total_unaligned_refused),
		cmocka_unit_test(test_total_overflow_refused),
		cmocka_unit_test(test_total_3G_exactly_one_dimm),
		cmocka_unit_test(test_total_3G_plus_4K_spills_above_hole),
		cmocka_unit_test(test_total_4G_default_two_dimms),
		cmocka_unit_test(test_total_64G),
		cmocka_unit_test(test_total_64G_refused_on_36_bit_cpu),
		cmocka_unit_test(test_check_sorts_dimms_by_address),
		cmocka_unit_test(test_check_no_dimms_refused),
		cmocka_unit_test(test_check_zero_size_refused),
		cmocka_unit_test(test_check_unaligned_address_refused),
		cmocka_unit_test(test_check_unaligned_size_refused),
		cmocka_unit_test(test_check_overlap_refused),
		cmocka_unit_test(test_check_overlap_by_one_page_refused),
		cmocka_unit_test(test_check_identical_dimms_overlap),
		cmocka_unit_test(test_check_touching_dimms_accepted),
		cmocka_unit_test(test_check_48_bit_limit),
		cmocka_unit_test(test_check_wraparound_refused),
		cmocka_unit_test(test_check_dimm_larger_than_a_memslot_refused),
		cmocka_unit_test(test_check_bad_phys_bits_refused),
		cmocka_unit_test(test_check_dimm_over_low_reserved_refused),
		cmocka_unit_test(test_check_dimm_ending_in_ebda_refused),
		cmocka_unit_test(test_check_low_dimms_below_ebda_accepted),
		cmocka_unit_test(test_check_x86_mmio_area_refused),
		cmocka_unit_test(test_check_more_dimms_than_slots_refused),
		cmocka_unit_test(test_check_no_dimm_for_boot_area_refused),
		cmocka_unit_test(test_check_boot_area_split_over_dimms_refused),
		cmocka_unit_test(test_e820_default_layout),
		cmocka_unit_test(test_e820_three_dimms_with_holes),
		cmocka_unit_test(test_e820_touching_dimms_not_merged),
		cmocka_unit_test(test_e820_small_dimm_at_zero_clipped),
		cmocka_unit_test(test_e820_extra_carves_middle_of_ram),
		cmocka_unit_test(test_e820_extras_carve_edges_and_whole_dimm),
		cmocka_unit_test(test_e820_extras_outside_or_across_dimms),
		cmocka_unit_test(test_e820_extra_over_low_megabyte_reserved),
		cmocka_unit_test(test_e820_extra_spanning_two_dimms),
		cmocka_unit_test(test_e820_touching_extras_accepted),
		cmocka_unit_test(test_e820_overlapping_extras_refused),
		cmocka_unit_test(test_e820_zero_size_extra_refused),
		cmocka_unit_test(test_e820_wrapping_extra_refused),
		cmocka_unit_test(test_e820_max_entries_exact_and_exceeded),
		cmocka_unit_test(test_e820_many_islands_exceed_max),
		cmocka_unit_test(test_e820_type_parse_names),
		cmocka_unit_test(test_e820_type_parse_numbers),
		cmocka_unit_test(test_e820_type_cli_name_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
