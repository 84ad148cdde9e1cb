// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's memblock (guest/mm/memblock.c, compiled
 * for the host as Linux tests its memblock in tools/testing/memblock).
 *
 * printk is provided here: it formats with the guest's own vsnprintf
 * (guest/lib/vsprintf.c, linked in) into a log the tests compare byte for
 * byte, so a dump that matches here is what the guest console shows.
 *
 * Every case starts from memblock_init(); after every case the teardown
 * checks the invariants of both collections (sorted, disjoint, minimal,
 * total_size equal to the sum). A randomised case compares every
 * operation with a page-bitmap model that shares no code with memblock.
 *
 * Diagrams: "|" are the ends of the address space drawn, "[==]" regions,
 * "r1, r2" regions in address order, "m" memory, "R" reserved, "n" new.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/memblock.h"
#include "guest_log.h"

#define SZ_4K 0x1000ull
#define SZ_8K 0x2000ull
#define SZ_16K 0x4000ull
#define SZ_64K 0x10000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull
#define SZ_16M 0x1000000ull
#define SZ_1G 0x40000000ull

/* The default VM's E820 (vmm/layout.c for 4 GiB): low RAM below the EBDA, RAM to 3 GiB, 4-5 GiB. */
#define E820_LOW_END 0x9fc00ull
#define E820_HOLE_START (3 * SZ_1G)
#define E820_HIGH_START (4 * SZ_1G)
#define E820_HIGH_END (5 * SZ_1G)

/* A kernel image loaded at 1 MiB whose end is not page aligned. */
#define KERNEL_START SZ_1M
#define KERNEL_END 0x2a5123ull

#define RGN(b, s) { .base = (b), .size = (s), .flags = MEMBLOCK_NONE }
#define RGNF(b, s, f) { .base = (b), .size = (s), .flags = (f) }

/* Show a collection, to make a failure readable. */
static void print_type(const char *what, const struct memblock_region *r, unsigned long n)
{
	unsigned long i;

	print_error("%s: %lu regions\n", what, n);
	for (i = 0; i < n; i++)
		print_error("  [%lu] 0x%016llx size 0x%016llx flags 0x%x\n", i,
			    (unsigned long long)r[i].base, (unsigned long long)r[i].size,
			    (unsigned int)r[i].flags);
}

/* Fail unless @type holds exactly the @n regions of @want and their total. */
static void expect_regions(const struct memblock_type *type, const struct memblock_region *want,
			   unsigned long n)
{
	phys_addr_t total = 0;
	unsigned long i;
	bool same = type->cnt == n;

	for (i = 0; i < n; i++) {
		total += want[i].size;
		if (same && (type->regions[i].base != want[i].base ||
			     type->regions[i].size != want[i].size ||
			     type->regions[i].flags != want[i].flags))
			same = false;
	}
	if (!same) {
		print_type("want", want, n);
		print_type(type->name, type->regions, type->cnt);
		fail();
	}
	assert_int_equal(type->total_size, total);
}

#define EXPECT_REGIONS(type, ...)                                                 \
	do {                                                                      \
		const struct memblock_region want_[] = { __VA_ARGS__ };           \
		expect_regions(type, want_, sizeof(want_) / sizeof(want_[0]));   \
	} while (0)

#define EXPECT_EMPTY(type) expect_regions(type, NULL, 0)

/* Whether @type keeps memblock's invariants; says which one broke. */
static bool type_is_sane(const struct memblock_type *type)
{
	phys_addr_t total = 0;
	unsigned long i;

	if (type->cnt > type->max || type->max != INIT_MEMBLOCK_REGIONS) {
		print_error("%s: cnt %lu max %lu\n", type->name, type->cnt, type->max);
		return false;
	}
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (!r->size || r->base + r->size < r->base) {
			print_error("%s[%lu]: empty or wrapping\n", type->name, i);
			return false;
		}
		if (i && r[-1].base + r[-1].size > r->base) {
			print_error("%s[%lu]: unsorted or overlapping\n", type->name, i);
			return false;
		}
		if (i && r[-1].base + r[-1].size == r->base && r[-1].flags == r->flags) {
			print_error("%s[%lu]: not merged with its neighbour\n", type->name, i);
			return false;
		}
		total += r->size;
	}
	if (total != type->total_size) {
		print_error("%s: total_size 0x%llx, regions sum to 0x%llx\n", type->name,
			    (unsigned long long)type->total_size, (unsigned long long)total);
		return false;
	}
	return true;
}

/* Every case starts empty, with debug off and an empty log. */
static int setup(void **state)
{
	(void)state;
	memblock_init();
	log_reset();
	return 0;
}

/* Every case must leave both collections sane. */
static int teardown(void **state)
{
	(void)state;
	return type_is_sane(&memblock.memory) && type_is_sane(&memblock.reserved) ? 0 : -1;
}

/* Add @n disjoint 4 KiB regions, 8 KiB apart from @base, to memory or reserved. */
static void fill_disjoint(bool reserved, phys_addr_t base, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		phys_addr_t b = base + i * SZ_8K;

		assert_int_equal(reserved ? memblock_reserve(b, SZ_4K) : memblock_add(b, SZ_4K), 0);
	}
}

/* ------------------------------------------------------------------ add */

/*
 * One region into empty memory:
 *
 *   |     [===r1===]          |
 */
static void test_add_simple(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1G, SZ_1G), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1G, SZ_1G));
	EXPECT_EMPTY(&memblock.reserved);
	expect_log(""); /* quiet without debug */
}

/*
 * Two regions with a gap, added top one first: they stay apart, sorted.
 *
 *   |  [=r1=]       [=r2=]    |   (r2 added first)
 */
static void test_add_disjoint_sorted(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(4 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, SZ_1M), RGN(4 * SZ_1M, SZ_1M));
}

/*
 * A region touching r1 from below and one touching it from above merge
 * into a single region:
 *
 *   |      [=r1=]             |
 *   |  [n1][=r1=][n2]         |
 *   |  [=======r1=====]       |
 */
static void test_add_adjacent_merges(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(2 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(3 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, 3 * SZ_1M));
}

/*
 * The new region overlaps the top of r1 and goes beyond it:
 *
 *   |   [===r1===]            |
 *   |        [=====n=====]    |
 *   |   [=========r1=====]    |
 */
static void test_add_overlap_top(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(memblock_add(3 * SZ_1M, 5 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, 7 * SZ_1M));
}

/*
 * The new region overlaps the bottom of r1 and starts below it:
 *
 *   |        [===r1===]       |
 *   |   [===n===]             |
 *   |   [======r1=====]       |
 */
static void test_add_overlap_bottom(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(4 * SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(memblock_add(2 * SZ_1M, 3 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(2 * SZ_1M, 6 * SZ_1M));
}

/*
 * The new region lies inside r1: nothing changes.
 *
 *   |   [=======r1=======]    |
 *   |       [==n==]           |
 */
static void test_add_within(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, 8 * SZ_1M), 0);
	assert_int_equal(memblock_add(3 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, 8 * SZ_1M));
}

/* The same region twice counts once. */
static void test_add_twice(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1G, SZ_16M), 0);
	assert_int_equal(memblock_add(SZ_1G, SZ_16M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1G, SZ_16M));
	assert_int_equal(memblock_phys_mem_size(), SZ_16M);
}

/*
 * A region spanning two others and the gaps around them: one region.
 *
 *   |     [r1]   [r2]         |
 *   |  [==========n=======]   |
 *   |  [=========r1=======]   |
 */
static void test_add_spans_several(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(2 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(5 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(SZ_1M, 8 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, 8 * SZ_1M));
}

/* Size 0 adds nothing, wherever it is. */
static void test_add_size_zero_is_noop(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, 0), 0);
	assert_int_equal(memblock_add(PHYS_ADDR_MAX, 0), 0);
	EXPECT_EMPTY(&memblock.memory);
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(SZ_1M + SZ_4K, 0), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, SZ_1M));
}

/*
 * A region whose end passes 2^64 is clamped to end at PHYS_ADDR_MAX
 * (Linux's memblock_cap_size), for add, reserve and remove alike:
 *
 *   |                 [==r1==|==>   (cut at 2^64 - 1)
 */
static void test_wraparound_is_clamped(void **state)
{
	const phys_addr_t base = 0xffffffffffff0000ull;

	(void)state;
	assert_int_equal(memblock_add(base, 0x20000), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(base, PHYS_ADDR_MAX - base));
	assert_int_equal(memblock_end_of_DRAM(), PHYS_ADDR_MAX);

	assert_int_equal(memblock_reserve(base + SZ_4K, PHYS_ADDR_MAX), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(base + SZ_4K, PHYS_ADDR_MAX - base - SZ_4K));
	assert_true(memblock_is_region_memory(base, PHYS_ADDR_MAX));
	assert_true(memblock_is_region_reserved(base + SZ_8K, PHYS_ADDR_MAX));

	assert_int_equal(memblock_remove(base + SZ_8K, PHYS_ADDR_MAX), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(base, SZ_8K));
	assert_int_equal(memblock_phys_free(base, PHYS_ADDR_MAX), 0);
	EXPECT_EMPTY(&memblock.reserved);
}

/*
 * 128 disjoint regions fill the array: a 129th disjoint one is refused
 * with -ENOMEM and one message, and nothing changes; a region that merges
 * (here one bridging r1 and r2) still fits, and frees a slot.
 *
 *   |[r1]  [r2]  [r3] ... [r128]        [n]   |  -> -ENOMEM
 *   |[r1][n][r2] ...                          |  -> r1 + n + r2 merge
 */
static void test_add_full_array_fails(void **state)
{
	struct memblock_region before[INIT_MEMBLOCK_REGIONS];

	(void)state;
	fill_disjoint(false, 0, INIT_MEMBLOCK_REGIONS);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	memcpy(before, memblock.memory.regions, sizeof(before));
	log_reset();

	assert_int_equal(memblock_add(SZ_16M, SZ_4K), -ENOMEM);
	expect_log("memblock: memblock_add [0x0000000001000000-0x0000000001000fff] refused: "
		   "memory array full (128 regions)\n");
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	assert_memory_equal(before, memblock.memory.regions, sizeof(before));
	assert_int_equal(memblock_phys_mem_size(), INIT_MEMBLOCK_REGIONS * SZ_4K);

	/* Extending the last region needs no slot. */
	assert_int_equal(memblock_add(127 * SZ_8K + SZ_4K, SZ_4K), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	/* Bridging two regions frees one... */
	assert_int_equal(memblock_add(SZ_4K, SZ_4K), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS - 1);
	assert_int_equal(memblock.memory.regions[0].base, 0);
	assert_int_equal(memblock.memory.regions[0].size, 3 * SZ_4K);
	assert_int_equal(memblock.memory.regions[1].base, 2 * SZ_8K);
	assert_int_equal(memblock.memory.regions[1].size, SZ_4K);
	/* ...which the refused region can now take. */
	assert_int_equal(memblock_add(SZ_16M, SZ_4K), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
}

/* ------------------------------------------------------------------ reserve */

/*
 * One reservation inside memory:
 *
 *   m |  [=========m=========]   |
 *   R |       [=R=]              |
 */
static void test_reserve_simple(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, SZ_1G), 0);
	assert_int_equal(memblock_reserve(SZ_16M, SZ_2M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_16M, SZ_2M));
	EXPECT_REGIONS(&memblock.memory, RGN(0, SZ_1G)); /* memory is untouched */
	assert_int_equal(memblock_reserved_size(), SZ_2M);
}

/*
 * Reservations touching R1 from both sides merge with it:
 *
 *   R |    [n1][R1][n2]    |  ->  [=====R1=====]
 */
static void test_reserve_adjacent_merges(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(2 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_reserve(3 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_reserve(SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 3 * SZ_1M));
}

/*
 * A reservation overlapping the top of R1:
 *
 *   R |  [==R1==]          |
 *   n |      [====n====]   |
 *   R |  [======R1=====]   |
 */
static void test_reserve_overlap_top(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_1M, 2 * SZ_1M), 0);
	assert_int_equal(memblock_reserve(2 * SZ_1M, 4 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 5 * SZ_1M));
}

/*
 * A reservation overlapping the bottom of R1:
 *
 *   R |       [==R1==]     |
 *   n |  [===n===]         |
 *   R |  [=====R1====]     |
 */
static void test_reserve_overlap_bottom(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(4 * SZ_1M, 2 * SZ_1M), 0);
	assert_int_equal(memblock_reserve(3 * SZ_1M, 2 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(3 * SZ_1M, 3 * SZ_1M));
}

/* A reservation inside R1 changes nothing. */
static void test_reserve_within(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(memblock_reserve(2 * SZ_1M, SZ_4K), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 4 * SZ_1M));
}

/* Reserving the same range twice reserves it once. */
static void test_reserve_twice(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_16M, SZ_64K), 0);
	assert_int_equal(memblock_reserve(SZ_16M, SZ_64K), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_16M, SZ_64K));
	assert_int_equal(memblock_reserved_size(), SZ_64K);
}

/*
 * Reserving where there is no memory is allowed (firmware tables, Linux
 * reserves those too); it does not create memory.
 *
 *   m |  [==m==]                   |
 *   R |      [====R====]   [=R=]   |
 */
static void test_reserve_outside_memory(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, SZ_16M), 0);
	assert_int_equal(memblock_reserve(8 * SZ_1M, SZ_16M), 0);
	assert_int_equal(memblock_reserve(SZ_1G, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(8 * SZ_1M, SZ_16M), RGN(SZ_1G, SZ_1M));
	EXPECT_REGIONS(&memblock.memory, RGN(0, SZ_16M));
	assert_false(memblock_is_memory(SZ_1G));
	assert_true(memblock_is_reserved(SZ_1G));
}

/* A full reserved array refuses a disjoint reservation and keeps its regions. */
static void test_reserve_full_array_fails(void **state)
{
	struct memblock_region before[INIT_MEMBLOCK_REGIONS];

	(void)state;
	fill_disjoint(true, SZ_1M, INIT_MEMBLOCK_REGIONS);
	memcpy(before, memblock.reserved.regions, sizeof(before));
	log_reset();
	assert_int_equal(memblock_reserve(SZ_1G, SZ_4K), -ENOMEM);
	expect_log("memblock: memblock_reserve [0x0000000040000000-0x0000000040000fff] refused: "
		   "reserved array full (128 regions)\n");
	assert_memory_equal(before, memblock.reserved.regions, sizeof(before));
	assert_int_equal(memblock_reserved_size(), INIT_MEMBLOCK_REGIONS * SZ_4K);
	assert_false(memblock_is_reserved(SZ_1G));
}

/* ------------------------------------------------------------------ remove */

/*
 * Removing a whole region leaves the others:
 *
 *   m |  [r1]   [r2]   [r3]   |  remove r2  ->  [r1]          [r3]
 */
static void test_remove_simple(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(4 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(8 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_remove(4 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, SZ_1M), RGN(8 * SZ_1M, SZ_1M));
}

/*
 * A removal overlapping the bottom of r1 trims it:
 *
 *   m |     [=====r1=====]   |
 *   - |  [====]              |
 *   m |       [====r1====]   |
 */
static void test_remove_overlap_bottom(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(2 * SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(memblock_remove(SZ_1M, 2 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(3 * SZ_1M, 3 * SZ_1M));
}

/*
 * A removal overlapping the top of r1 trims it:
 *
 *   m |  [=====r1=====]      |
 *   - |            [=====]   |
 *   m |  [===r1===]          |
 */
static void test_remove_overlap_top(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(2 * SZ_1M, 4 * SZ_1M), 0);
	assert_int_equal(memblock_remove(5 * SZ_1M, 4 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(2 * SZ_1M, 3 * SZ_1M));
}

/*
 * A removal inside r1 splits it in two:
 *
 *   m |  [=======r1========]   |
 *   - |       [==]             |
 *   m |  [r1=]    [===r2===]   |
 */
static void test_remove_within_splits(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, 8 * SZ_1M), 0);
	assert_int_equal(memblock_remove(3 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, 2 * SZ_1M), RGN(4 * SZ_1M, 5 * SZ_1M));
}

/*
 * A removal covering everything, across regions and gaps, empties memory;
 * the DRAM bounds then read 0.
 *
 *   m |   [r1]  [r2]  [r3]   |
 *   - | [==================] |
 */
static void test_remove_whole(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(4 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_add(SZ_1G, SZ_1G), 0);
	assert_int_equal(memblock_remove(0, 4 * SZ_1G), 0);
	EXPECT_EMPTY(&memblock.memory);
	assert_int_equal(memblock_phys_mem_size(), 0);
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), 0);
}

/* Removing from a gap, or with size 0, changes nothing. */
static void test_remove_absent_is_noop(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_remove(4 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_remove(SZ_1M, 0), 0);
	assert_int_equal(memblock_remove(0, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1M, SZ_1M));
}

/*
 * On a full array a removal that would split a region is refused (the
 * split needs a slot); one that drops a whole region succeeds, after which
 * the split fits.
 */
static void test_remove_split_on_full_array_fails(void **state)
{
	struct memblock_region before[INIT_MEMBLOCK_REGIONS];

	(void)state;
	assert_int_equal(memblock_add(0, SZ_16K), 0); /* r1: 4 pages */
	fill_disjoint(false, SZ_1M, INIT_MEMBLOCK_REGIONS - 1);
	memcpy(before, memblock.memory.regions, sizeof(before));
	log_reset();

	assert_int_equal(memblock_remove(SZ_4K, SZ_4K), -ENOMEM);
	expect_log("memblock: memblock_remove [0x0000000000001000-0x0000000000001fff] refused: "
		   "memory array full (128 regions)\n");
	assert_memory_equal(before, memblock.memory.regions, sizeof(before));

	/* Trimming an end needs no slot. */
	assert_int_equal(memblock_remove(3 * SZ_4K, SZ_4K), 0);
	assert_int_equal(memblock_remove(SZ_1M, SZ_4K), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS - 1);
	assert_int_equal(memblock_remove(SZ_4K, SZ_4K), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	assert_int_equal(memblock.memory.regions[0].base, 0);
	assert_int_equal(memblock.memory.regions[0].size, SZ_4K);
	assert_int_equal(memblock.memory.regions[1].base, SZ_8K);
	assert_int_equal(memblock.memory.regions[1].size, SZ_4K);
}

/* ------------------------------------------------------------------ phys_free */

/*
 * Freeing the middle of a reservation splits it:
 *
 *   R |  [=======R1=======]   |
 *   - |       [free]          |
 *   R |  [R1=]      [==R2=]   |
 */
static void test_phys_free_splits(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_1M, 8 * SZ_1M), 0);
	assert_int_equal(memblock_phys_free(4 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 3 * SZ_1M), RGN(5 * SZ_1M, 4 * SZ_1M));
	assert_false(memblock_is_reserved(4 * SZ_1M));
	assert_true(memblock_is_reserved(5 * SZ_1M));
}

/*
 * Reserving the hole again merges the halves back into one region; freeing
 * across two reservations trims one and removes the other.
 *
 *   R |  [R1=]      [==R2=]   |  reserve hole -> [=======R1=======]
 */
static void test_phys_free_merges_back(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_1M, 8 * SZ_1M), 0);
	assert_int_equal(memblock_phys_free(4 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_reserve(4 * SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 8 * SZ_1M));

	assert_int_equal(memblock_reserve(SZ_16M, SZ_1M), 0);
	assert_int_equal(memblock_phys_free(8 * SZ_1M, 9 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, 7 * SZ_1M));
}

/* Freeing what is not reserved changes nothing. */
static void test_phys_free_unreserved_is_noop(void **state)
{
	(void)state;
	assert_int_equal(memblock_reserve(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_phys_free(SZ_16M, SZ_1M), 0);
	assert_int_equal(memblock_phys_free(SZ_1M, 0), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, SZ_1M));
}

/* ------------------------------------------------------------------ alloc */

/*
 * Top-down: the block comes from the top of the highest free range, and
 * is reserved.
 *
 *   m |  [==========m==========]   |
 *   R |                   [=a=]    |
 */
static void test_alloc_top_down_simple(void **state)
{
	phys_addr_t a;

	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_16M), 0);
	a = memblock_phys_alloc(SZ_64K, SZ_4K);
	assert_int_equal(a, SZ_1M + SZ_16M - SZ_64K);
	EXPECT_REGIONS(&memblock.reserved, RGN(a, SZ_64K));
	/* The next one goes right below, and merges with the first. */
	assert_int_equal(memblock_phys_alloc(SZ_64K, SZ_4K), a - SZ_64K);
	EXPECT_REGIONS(&memblock.reserved, RGN(a - SZ_64K, 2 * SZ_64K));
}

/* A block exactly the size of the only free range takes all of it; the next fails. */
static void test_alloc_fits_exactly(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_8K), 0);
	assert_int_equal(memblock_phys_alloc(SZ_8K, SZ_4K), SZ_1M);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, SZ_8K));
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, SZ_8K));
}

/*
 * The address is rounded down to the alignment, below an unaligned end:
 *
 *   m |  [==============m====)   |   end 0x112345
 *   R |            [a]           |   a = 0x110000 (16 KiB aligned)
 */
static void test_alloc_with_alignment(void **state)
{
	phys_addr_t a;

	(void)state;
	assert_int_equal(memblock_add(SZ_1M, 0x12345), 0);
	a = memblock_phys_alloc(SZ_4K, SZ_16K);
	assert_int_equal(a, 0x110000);
	a = memblock_phys_alloc(SZ_4K, SZ_1M);
	assert_int_equal(a, SZ_1M);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, SZ_4K), RGN(0x110000, SZ_4K));
	/* No other 1 MiB aligned address is in memory. */
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_1M), 0);
}

/*
 * MEMBLOCK_ALLOC_ACCESSIBLE allocations (memblock_phys_alloc) stay below
 * the current limit; an explicit end, MEMBLOCK_ALLOC_ANYWHERE included,
 * is used as given, as in Linux.
 *
 *   m |  [=============m==============]   |
 *   R |        [a]|limit          [b]     |
 */
static void test_alloc_respects_limit(void **state)
{
	(void)state;
	assert_int_equal(memblock_get_current_limit(), MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(memblock_add(0, SZ_1G), 0);
	memblock_set_current_limit(SZ_16M);
	assert_int_equal(memblock_get_current_limit(), SZ_16M);

	assert_int_equal(memblock_phys_alloc(SZ_1M, SZ_4K), SZ_16M - SZ_1M);
	assert_int_equal(memblock_phys_alloc_range(SZ_1M, SZ_4K, 0, MEMBLOCK_ALLOC_ACCESSIBLE),
			 SZ_16M - 2 * SZ_1M);
	assert_int_equal(memblock_phys_alloc_range(SZ_1M, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 SZ_1G - SZ_1M);
	/* A limit below every free byte makes ACCESSIBLE allocations fail. */
	memblock_set_current_limit(SZ_4K);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_16M - 2 * SZ_1M, 2 * SZ_1M),
		       RGN(SZ_1G - SZ_1M, SZ_1M));
}

/*
 * [start, end) bounds the block on both sides; a window smaller than the
 * block fails.
 *
 *   m |  [===============m================]   |
 *   w |          [start.......end)            |
 *   R |                   [=a=]               |
 */
static void test_alloc_respects_start_end(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, SZ_1G), 0);
	assert_int_equal(memblock_phys_alloc_range(SZ_64K, SZ_4K, 2 * SZ_1M, 3 * SZ_1M),
			 3 * SZ_1M - SZ_64K);
	/* Window of 60 KiB: too small. */
	assert_int_equal(memblock_phys_alloc_range(SZ_64K, SZ_4K, 5 * SZ_1M, 5 * SZ_1M + 0xf000),
			 0);
	/* start above end: nothing. */
	assert_int_equal(memblock_phys_alloc_range(SZ_4K, SZ_4K, 6 * SZ_1M, 5 * SZ_1M), 0);
	/* Window exactly the block. */
	assert_int_equal(memblock_phys_alloc_range(SZ_64K, SZ_4K, 7 * SZ_1M, 7 * SZ_1M + SZ_64K),
			 7 * SZ_1M);
	EXPECT_REGIONS(&memblock.reserved, RGN(3 * SZ_1M - SZ_64K, SZ_64K),
		       RGN(7 * SZ_1M, SZ_64K));
}

/*
 * Reserved ranges are skipped: the top free range is too small, so the
 * block comes from the next one down and merges with the reservation
 * above it.
 *
 *   m |  [==================m===================]   |
 *   R |               [=====R1=====]    [R2]        |   0..16M: R1 8M-14M, R2 15M-16M
 *   a |          [=a=]                              |   a = 6M
 */
static void test_alloc_skips_reserved(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, SZ_16M), 0);
	assert_int_equal(memblock_reserve(15 * SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_reserve(8 * SZ_1M, 6 * SZ_1M), 0);
	assert_int_equal(memblock_phys_alloc(SZ_2M, SZ_4K), 6 * SZ_1M);
	EXPECT_REGIONS(&memblock.reserved, RGN(6 * SZ_1M, 8 * SZ_1M), RGN(15 * SZ_1M, SZ_1M));
	/* 1 MiB fits in the hole between the reservations: it fills it exactly. */
	assert_int_equal(memblock_phys_alloc(SZ_1M, SZ_4K), 14 * SZ_1M);
	EXPECT_REGIONS(&memblock.reserved, RGN(6 * SZ_1M, 10 * SZ_1M));
}

/* When every byte is reserved, allocation fails and reserves nothing. */
static void test_alloc_fails_when_full(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_16M), 0);
	assert_int_equal(memblock_reserve(SZ_1M, SZ_16M), 0);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_1M, SZ_16M));
	/* Nothing at all: no memory. */
	memblock_init();
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_EMPTY(&memblock.reserved);
	expect_log(""); /* failing to find memory is the caller's to report */
}

/*
 * Page 0 is never handed out, so 0 can mean failure:
 *
 *   m | [p0][p1] |   alloc 8K -> 0 (fails), alloc 4K -> p1, alloc 4K -> 0
 */
static void test_alloc_never_returns_zero(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, SZ_8K), 0);
	assert_int_equal(memblock_phys_alloc(SZ_8K, SZ_4K), 0);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_4K);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	assert_int_equal(memblock_phys_alloc(16, 16), 0);
	EXPECT_REGIONS(&memblock.reserved, RGN(SZ_4K, SZ_4K));
}

/* align 0 means SMP_CACHE_BYTES (64), with a warning, as in Linux. */
static void test_alloc_align_zero_uses_cache_line(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M + 100), 0);
	assert_int_equal(memblock_phys_alloc(10, 0), 2 * SZ_1M + 64);
	expect_log("memblock: memblock_phys_alloc_range: align 0, using SMP_CACHE_BYTES (64)\n");
	EXPECT_REGIONS(&memblock.reserved, RGN(2 * SZ_1M + 64, 10));
}

/* An alignment that is not a power of two is refused with a message. */
static void test_alloc_bad_align_refused(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_phys_alloc(SZ_4K, 0x3000), 0);
	expect_log("memblock: memblock_phys_alloc_range: align 0x3000 is not a power of two\n");
	EXPECT_EMPTY(&memblock.reserved);
}

/* A zero-byte allocation is refused: there would be nothing to reserve. */
static void test_alloc_size_zero_refused(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1M, SZ_1M), 0);
	assert_int_equal(memblock_phys_alloc(0, SZ_4K), 0);
	expect_log("memblock: memblock_phys_alloc_range: size 0 refused\n");
	EXPECT_EMPTY(&memblock.reserved);
}

/*
 * NOMAP memory is memory (counted, is_memory) but never allocated from,
 * and is left out of the memory and free iterators.
 *
 *   m |  [=====m=====][####NOMAP####]   |
 *   a |            [a]                  |
 */
static void test_alloc_skips_nomap(void **state)
{
	phys_addr_t start, end;
	u64 i;
	int n = 0;

	(void)state;
	assert_int_equal(memblock_add(0, SZ_16M), 0);
	assert_int_equal(memblock_mark_nomap(8 * SZ_1M, 8 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(0, 8 * SZ_1M),
		       RGNF(8 * SZ_1M, 8 * SZ_1M, MEMBLOCK_NOMAP));
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 8 * SZ_1M - SZ_4K);
	assert_true(memblock_is_memory(12 * SZ_1M));
	assert_int_equal(memblock_phys_mem_size(), SZ_16M);

	for_each_mem_range(i, &start, &end) {
		assert_int_equal(start, 0);
		assert_int_equal(end, 8 * SZ_1M);
		n++;
	}
	assert_int_equal(n, 1);

	assert_int_equal(memblock_clear_nomap(8 * SZ_1M, 8 * SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(0, SZ_16M));
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_16M - SZ_4K);
}

/*
 * A full reserved array: a block that would need a new reserved region is
 * refused (0, one message, nothing changes); one that lands next to a
 * reservation merges and succeeds.
 *
 *   m |  [================m================]   0..4M
 *   R |  [r][r][r] ... [r128]                  128 x 4K below 1M
 */
static void test_alloc_reserved_array_full(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, 4 * SZ_1M), 0);
	fill_disjoint(true, 0, INIT_MEMBLOCK_REGIONS); /* last: [0xfe000, 0xff000) */
	log_reset();
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	expect_log("memblock: memblock_reserve [0x00000000003ff000-0x00000000003fffff] refused: "
		   "reserved array full (128 regions)\n");
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
	assert_false(memblock_is_reserved(4 * SZ_1M - SZ_4K));

	assert_int_equal(memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, SZ_1M), SZ_1M - SZ_4K);
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS); /* merged */
	assert_int_equal(memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, SZ_1M), SZ_1M - 3 * SZ_4K);
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS - 1); /* bridged */
}

/* ------------------------------------------------------------------ iterators */

/*
 * The default VM's E820, fed as the boot will: RAM added, partial pages
 * trimmed, page 0 and the low megabyte and the kernel image reserved.
 *
 *   E820 |[usable 0-0x9fc00)|res|[usable 1M-3G)|  hole  |[usable 4G-5G)|
 *   R    |[0 ........... 1M)[kernel 1M-0x2a5123)
 *   free |                                 [0x2a5123-3G)  [4G-5G)
 */
static void setup_default_vm(void)
{
	assert_int_equal(memblock_add(0, E820_LOW_END), 0);
	assert_int_equal(memblock_add(SZ_1M, E820_HOLE_START - SZ_1M), 0);
	assert_int_equal(memblock_add(E820_HIGH_START, E820_HIGH_END - E820_HIGH_START), 0);
	memblock_trim_memory(SZ_4K);
	assert_int_equal(memblock_reserve(0, SZ_4K), 0);
	assert_int_equal(memblock_reserve(0, SZ_1M), 0);
	assert_int_equal(memblock_reserve(KERNEL_START, KERNEL_END - KERNEL_START), 0);
}

static void test_free_range_default_vm(void **state)
{
	static const phys_addr_t want[][2] = {
		{ KERNEL_END, E820_HOLE_START },
		{ E820_HIGH_START, E820_HIGH_END },
	};
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	(void)state;
	setup_default_vm();
	EXPECT_REGIONS(&memblock.memory, RGN(0, 0x9f000), RGN(SZ_1M, E820_HOLE_START - SZ_1M),
		       RGN(E820_HIGH_START, SZ_1G));
	EXPECT_REGIONS(&memblock.reserved, RGN(0, KERNEL_END));

	for_each_free_mem_range(i, &start, &end) {
		assert_true(n < 2);
		assert_int_equal(start, want[n][0]);
		assert_int_equal(end, want[n][1]);
		n++;
	}
	assert_int_equal(n, 2);

	n = 0;
	for_each_free_mem_range_reverse(i, &start, &end) {
		assert_true(n < 2);
		assert_int_equal(start, want[1 - n][0]);
		assert_int_equal(end, want[1 - n][1]);
		n++;
	}
	assert_int_equal(n, 2);

	/* What the free ranges add up to is memory minus its reserved part. */
	assert_int_equal((E820_HOLE_START - KERNEL_END) + SZ_1G,
			 memblock_phys_mem_size() - (0x9f000 + KERNEL_END - SZ_1M));
	/* Early page tables come from the top of what is mapped. */
	memblock_set_current_limit(SZ_1G);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_1G - SZ_4K);
	assert_int_equal(memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 E820_HIGH_END - SZ_4K);
}

/*
 * Free ranges are the holes of reserved inside memory: many small pieces,
 * reservations straddling region edges and reservations outside memory.
 *
 *   m |    [=====m1=====]      [====m2====]        |
 *   R | [R1]  [R2]    [===R3=====]    [R4]  [R5]   |
 *   f |    [f][f1][f2]            [f3]    [f4]     |
 */
static void test_free_range_pieces(void **state)
{
	static const phys_addr_t want[][2] = {
		{ 3 * SZ_1M, 4 * SZ_1M },
		{ 5 * SZ_1M, 8 * SZ_1M },
		{ 12 * SZ_1M, 14 * SZ_1M },
		{ 15 * SZ_1M, 16 * SZ_1M },
	};
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	(void)state;
	assert_int_equal(memblock_add(2 * SZ_1M, 7 * SZ_1M), 0);  /* m1 2-9M */
	assert_int_equal(memblock_add(10 * SZ_1M, 6 * SZ_1M), 0); /* m2 10-16M */
	assert_int_equal(memblock_reserve(0, 3 * SZ_1M), 0);       /* R1 straddles m1's start */
	assert_int_equal(memblock_reserve(4 * SZ_1M, SZ_1M), 0);   /* R2 inside m1 */
	assert_int_equal(memblock_reserve(8 * SZ_1M, 4 * SZ_1M), 0); /* R3 across the gap */
	assert_int_equal(memblock_reserve(14 * SZ_1M, SZ_1M), 0);  /* R4 inside m2 */
	assert_int_equal(memblock_reserve(20 * SZ_1M, SZ_1M), 0);  /* R5 outside memory */

	for_each_free_mem_range(i, &start, &end) {
		assert_true(n < 4);
		assert_int_equal(start, want[n][0]);
		assert_int_equal(end, want[n][1]);
		n++;
	}
	assert_int_equal(n, 4);
	for_each_free_mem_range_reverse(i, &start, &end) {
		assert_true(n > 0);
		n--;
		assert_int_equal(start, want[n][0]);
		assert_int_equal(end, want[n][1]);
	}
	assert_int_equal(n, 0);
}

/* Memory and reserved ranges come out as their regions; NULL outputs are allowed. */
static void test_mem_and_reserved_ranges(void **state)
{
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	(void)state;
	for_each_mem_range(i, &start, &end)
		n++;
	for_each_reserved_mem_range(i, &start, &end)
		n++;
	for_each_free_mem_range(i, &start, &end)
		n++;
	assert_int_equal(n, 0); /* empty: no iteration at all */

	setup_default_vm();
	for_each_mem_range(i, &start, &end) {
		assert_int_equal(start, memblock.memory.regions[n].base);
		assert_int_equal(end, memblock.memory.regions[n].base +
					      memblock.memory.regions[n].size);
		n++;
	}
	assert_int_equal(n, 3);
	n = 0;
	for_each_reserved_mem_range(i, &start, &end) {
		assert_int_equal(start, 0);
		assert_int_equal(end, KERNEL_END);
		n++;
	}
	assert_int_equal(n, 1);
	n = 0;
	for_each_free_mem_range(i, NULL, &end)
		n++;
	assert_int_equal(n, 2);
}

/*
 * __next_mem_range() on collections of the caller's: touching regions of
 * different flags in @type_b leave an empty hole, which yields no range;
 * NOMAP is skipped only in memblock.memory itself.
 *
 *   a | [=========a1=========]          [a2 NOMAP]   |
 *   b |        [=b1=][=b2 HOTPLUG=]                  |
 *   = | [=f1=]               [f2]       [===f3===]   |
 */
static void test_next_mem_range_custom_types(void **state)
{
	struct memblock_region ra[] = {
		RGN(0, 4 * SZ_1M),
		RGNF(8 * SZ_1M, SZ_1M, MEMBLOCK_NOMAP),
	};
	struct memblock_region rb[] = {
		RGN(SZ_1M, SZ_1M),
		RGNF(2 * SZ_1M, SZ_1M, MEMBLOCK_HOTPLUG),
	};
	struct memblock_type a = { .cnt = 2, .max = 2, .total_size = 5 * SZ_1M, .regions = ra,
				   .name = "a" };
	struct memblock_type b = { .cnt = 2, .max = 2, .total_size = 2 * SZ_1M, .regions = rb,
				   .name = "b" };
	static const phys_addr_t want[][2] = {
		{ 0, SZ_1M },
		{ 3 * SZ_1M, 4 * SZ_1M },
		{ 8 * SZ_1M, 9 * SZ_1M },
	};
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	(void)state;
	__for_each_mem_range(i, &a, &b, &start, &end) {
		assert_true(n < 3);
		assert_int_equal(start, want[n][0]);
		assert_int_equal(end, want[n][1]);
		n++;
	}
	assert_int_equal(n, 3);
	__for_each_mem_range_rev(i, &a, &b, &start, &end) {
		assert_true(n > 0);
		n--;
		assert_int_equal(start, want[n][0]);
		assert_int_equal(end, want[n][1]);
	}
	assert_int_equal(n, 0);
	/* Without @type_b, every region of @type_a, top down. */
	__for_each_mem_range_rev(i, &a, NULL, &start, &end) {
		assert_int_equal(start, ra[1 - n].base);
		n++;
	}
	assert_int_equal(n, 2);
}

/* ------------------------------------------------------------------ sizes and queries */

/* Sizes and DRAM bounds follow every change. */
static void test_sizes_and_dram_bounds(void **state)
{
	(void)state;
	assert_int_equal(memblock_phys_mem_size(), 0);
	assert_int_equal(memblock_reserved_size(), 0);
	setup_default_vm();
	assert_int_equal(memblock_phys_mem_size(), 0x9f000 + (E820_HOLE_START - SZ_1M) + SZ_1G);
	assert_int_equal(memblock_reserved_size(), KERNEL_END);
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), E820_HIGH_END);

	assert_int_equal(memblock_remove(0, SZ_1M), 0);
	assert_int_equal(memblock_remove(E820_HIGH_START + SZ_1G / 2, SZ_1G), 0);
	assert_int_equal(memblock_start_of_DRAM(), SZ_1M);
	assert_int_equal(memblock_end_of_DRAM(), E820_HIGH_START + SZ_1G / 2);
	assert_int_equal(memblock_phys_mem_size(), (E820_HOLE_START - SZ_1M) + SZ_1G / 2);
	/* Reserved does not follow memory (as in Linux). */
	assert_int_equal(memblock_reserved_size(), KERNEL_END);
}

/* is_memory and is_reserved at every edge of the default layout. */
static void test_is_memory_is_reserved(void **state)
{
	(void)state;
	assert_false(memblock_is_memory(0));
	assert_false(memblock_is_reserved(0));
	setup_default_vm();
	assert_true(memblock_is_memory(0));
	assert_true(memblock_is_memory(0x9efff));
	assert_false(memblock_is_memory(0x9f000)); /* trimmed partial page */
	assert_false(memblock_is_memory(SZ_1M - 1));
	assert_true(memblock_is_memory(SZ_1M));
	assert_true(memblock_is_memory(E820_HOLE_START - 1));
	assert_false(memblock_is_memory(E820_HOLE_START));
	assert_false(memblock_is_memory(E820_HIGH_START - 1));
	assert_true(memblock_is_memory(E820_HIGH_START));
	assert_true(memblock_is_memory(E820_HIGH_END - 1));
	assert_false(memblock_is_memory(E820_HIGH_END));
	assert_false(memblock_is_memory(PHYS_ADDR_MAX));

	assert_true(memblock_is_reserved(0));
	assert_true(memblock_is_reserved(0xa0000)); /* reserved where there is no memory */
	assert_true(memblock_is_reserved(KERNEL_END - 1));
	assert_false(memblock_is_reserved(KERNEL_END));
	assert_false(memblock_is_reserved(E820_HIGH_START));
}

/* Region queries: memory needs one region to hold the whole range; reserved any overlap. */
static void test_is_region_memory_reserved(void **state)
{
	(void)state;
	setup_default_vm();
	assert_true(memblock_is_region_memory(SZ_1M, E820_HOLE_START - SZ_1M));
	assert_false(memblock_is_region_memory(SZ_1M, E820_HOLE_START - SZ_1M + 1));
	assert_false(memblock_is_region_memory(0x9e000, 0x3000)); /* runs past the region */
	assert_false(memblock_is_region_memory(E820_HOLE_START, SZ_4K));
	/* Spanning two regions is not "a region of memory". */
	assert_false(memblock_is_region_memory(E820_HOLE_START - SZ_4K, SZ_1G + SZ_8K));

	assert_true(memblock_is_region_reserved(KERNEL_END - 1, 1));
	assert_false(memblock_is_region_reserved(KERNEL_END, SZ_1G));
	assert_true(memblock_is_region_reserved(0x9f000, SZ_4K));
	assert_true(memblock_is_region_reserved(0, PHYS_ADDR_MAX));
	assert_false(memblock_is_region_reserved(E820_HIGH_START, SZ_1G));
}

/* ------------------------------------------------------------------ flags and trim */

/*
 * Regions with different flags touch without merging; an add over a
 * flagged region keeps its flags; clearing the flag merges them back.
 *
 *   m |  [==HOTPLUG==][====none====]   |
 */
static void test_flags_keep_regions_apart(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(SZ_1G, SZ_1G), 0);
	assert_int_equal(memblock_mark_hotplug(SZ_1G, SZ_1G), 0);
	assert_int_equal(memblock_add(2 * SZ_1G, SZ_1G), 0);
	assert_int_equal(memblock_add(SZ_1G + SZ_1G / 2, SZ_1G), 0);
	EXPECT_REGIONS(&memblock.memory, RGNF(SZ_1G, SZ_1G, MEMBLOCK_HOTPLUG),
		       RGN(2 * SZ_1G, SZ_1G));
	/* Marking part of a region splits it in three. */
	assert_int_equal(memblock_mark_nomap(2 * SZ_1G + SZ_1M, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGNF(SZ_1G, SZ_1G, MEMBLOCK_HOTPLUG),
		       RGN(2 * SZ_1G, SZ_1M),
		       RGNF(2 * SZ_1G + SZ_1M, SZ_1M, MEMBLOCK_NOMAP),
		       RGN(2 * SZ_1G + 2 * SZ_1M, SZ_1G - 2 * SZ_1M));
	assert_int_equal(memblock_clear_nomap(2 * SZ_1G, SZ_1G), 0);
	/* Flags add up: NOMAP on HOTPLUG memory is 0x5. */
	assert_int_equal(memblock_mark_nomap(SZ_1G, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGNF(SZ_1G, SZ_1M, MEMBLOCK_HOTPLUG | MEMBLOCK_NOMAP),
		       RGNF(SZ_1G + SZ_1M, SZ_1G - SZ_1M, MEMBLOCK_HOTPLUG),
		       RGN(2 * SZ_1G, SZ_1G));
	assert_int_equal(memblock_clear_hotplug(0, 4 * SZ_1G), 0);
	EXPECT_REGIONS(&memblock.memory, RGNF(SZ_1G, SZ_1M, MEMBLOCK_NOMAP),
		       RGN(SZ_1G + SZ_1M, 2 * SZ_1G - SZ_1M));
	assert_int_equal(memblock_clear_nomap(SZ_1G, SZ_1M), 0);
	EXPECT_REGIONS(&memblock.memory, RGN(SZ_1G, 2 * SZ_1G));
}

/*
 * Trimming keeps whole pages only, drops regions without one, and refuses
 * an alignment that is not a power of two.
 *
 *   m | [0 .. 0x9fc00)  [0x100800 .. 0x100fff)  [0x200001 .. 0x400000) |
 *   -> [0 .. 0x9f000)   (gone)                  [0x201000 .. 0x400000)
 */
static void test_trim_memory(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0, E820_LOW_END), 0);
	assert_int_equal(memblock_add(0x100800, 0x7ff), 0);
	assert_int_equal(memblock_add(0x200001, 0x1fffff), 0);
	memblock_trim_memory(0x3000);
	expect_log("memblock: memblock_trim_memory: alignment 0x3000 is not a power of two\n");
	assert_int_equal(memblock.memory.cnt, 3);
	memblock_trim_memory(SZ_4K);
	EXPECT_REGIONS(&memblock.memory, RGN(0, 0x9f000), RGN(0x201000, 0x1ff000));
	/* A region at the very top: rounding its base up would wrap. */
	assert_int_equal(memblock_add(PHYS_ADDR_MAX - 0x800, 0x800), 0);
	memblock_trim_memory(SZ_4K);
	EXPECT_REGIONS(&memblock.memory, RGN(0, 0x9f000), RGN(0x201000, 0x1ff000));
}

/* ------------------------------------------------------------------ dump and debug */

static const char default_vm_dump[] =
	"MEMBLOCK configuration:\n"
	" memory size = 0x00000000fff9f000 reserved size = 0x00000000002a5123\n"
	" memory.cnt  = 0x3\n"
	" memory[0x0]\t[0x0000000000000000-0x000000000009efff], "
	"0x000000000009f000 bytes flags: 0x0\n"
	" memory[0x1]\t[0x0000000000100000-0x00000000bfffffff], "
	"0x00000000bff00000 bytes flags: 0x0\n"
	" memory[0x2]\t[0x0000000100000000-0x000000013fffffff], "
	"0x0000000040000000 bytes flags: 0x0\n"
	" reserved.cnt  = 0x1\n"
	" reserved[0x0]\t[0x0000000000000000-0x00000000002a5122], "
	"0x00000000002a5123 bytes flags: 0x0\n";

/* memblock_dump_all() in Linux's memblock=debug format, byte for byte. */
static void test_dump_format(void **state)
{
	(void)state;
	setup_default_vm();
	log_reset();
	memblock_set_debug(true);
	memblock_dump_all();
	expect_log(default_vm_dump);
}

/* Without memblock=debug memblock_dump_all() is silent; __memblock_dump_all() is not. */
static void test_dump_needs_debug(void **state)
{
	(void)state;
	setup_default_vm();
	log_reset();
	memblock_dump_all();
	expect_log("");
	__memblock_dump_all();
	expect_log(default_vm_dump);
}

/* Empty collections print their count and no region. */
static void test_dump_empty(void **state)
{
	(void)state;
	__memblock_dump_all();
	expect_log("MEMBLOCK configuration:\n"
		   " memory size = 0x0000000000000000 reserved size = 0x0000000000000000\n"
		   " memory.cnt  = 0x0\n"
		   " reserved.cnt  = 0x0\n");
}

/* Indices and flags print in hex with 0x, as Linux's %#x does ("memory[0xa]", "flags: 0x4"). */
static void test_dump_hex_index_and_flags(void **state)
{
	char line[128];

	(void)state;
	fill_disjoint(false, SZ_1M, 11);
	assert_int_equal(memblock_mark_nomap(SZ_1M + 10 * SZ_8K, SZ_4K), 0);
	__memblock_dump_all();
	expect_log_has(" memory.cnt  = 0xb\n");
	snprintf(line, sizeof(line),
		 " memory[0xa]\t[0x%016llx-0x%016llx], 0x0000000000001000 bytes flags: 0x4\n",
		 SZ_1M + 10 * SZ_8K, SZ_1M + 10 * SZ_8K + SZ_4K - 1);
	expect_log_has(line);
	expect_log_has(" memory[0x9]\t[0x0000000000112000-0x0000000000112fff], "
		       "0x0000000000001000 bytes flags: 0x0\n");
}

/* Under memblock=debug every change prints Linux's line; an allocation also its reserve. */
static void test_debug_lines(void **state)
{
	(void)state;
	memblock_set_debug(true);
	assert_true(memblock_get_debug());
	assert_int_equal(memblock_add(SZ_1M, SZ_16M), 0);
	assert_int_equal(memblock_reserve(SZ_1M, SZ_64K), 0);
	assert_int_equal(memblock_remove(SZ_16M, SZ_1M), 0);
	assert_int_equal(memblock_phys_free(SZ_1M, SZ_4K), 0);
	assert_int_equal(memblock_phys_alloc_range(SZ_8K, SZ_4K, SZ_2M, 3 * SZ_1M),
			 3 * SZ_1M - SZ_8K);
	assert_int_equal(memblock_phys_alloc(SZ_4K, SZ_4K), SZ_16M - SZ_4K);
	expect_log("memblock_add: [0x0000000000100000-0x00000000010fffff]\n"
		   "memblock_reserve: [0x0000000000100000-0x000000000010ffff]\n"
		   "memblock_remove: [0x0000000001000000-0x00000000010fffff]\n"
		   "memblock_phys_free: [0x0000000000100000-0x0000000000100fff]\n"
		   "memblock_phys_alloc_range: 8192 bytes align=0x1000 from=0x0000000000200000 "
		   "max_addr=0x0000000000300000\n"
		   "memblock_reserve: [0x00000000002fe000-0x00000000002fffff]\n"
		   "memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 "
		   "max_addr=0x0000000000000000\n"
		   "memblock_reserve: [0x0000000000fff000-0x0000000000ffffff]\n");
	memblock_set_debug(false);
	log_reset();
	assert_int_equal(memblock_add(SZ_1G, SZ_1M), 0);
	assert_int_equal(memblock_reserve(SZ_1G, SZ_4K), 0);
	expect_log("");
}

/* memblock=<value>: "debug" anywhere in it turns debug on (Linux's strstr). */
static void test_early_param(void **state)
{
	(void)state;
	memblock_early_param(NULL);
	assert_false(memblock_get_debug());
	memblock_early_param("");
	memblock_early_param("debu");
	memblock_early_param("Debug");
	assert_false(memblock_get_debug());
	memblock_early_param("x,debug");
	assert_true(memblock_get_debug());
	memblock_init();
	memblock_early_param("debug");
	assert_true(memblock_get_debug());
}

/* memblock_init() forgets everything: regions, limit, debug. */
static void test_init_resets(void **state)
{
	(void)state;
	setup_default_vm();
	memblock_set_current_limit(SZ_16M);
	memblock_set_debug(true);
	memblock_init();
	EXPECT_EMPTY(&memblock.memory);
	EXPECT_EMPTY(&memblock.reserved);
	assert_int_equal(memblock_get_current_limit(), MEMBLOCK_ALLOC_ANYWHERE);
	assert_false(memblock_get_debug());
	assert_int_equal(memblock_end_of_DRAM(), 0);
}

/* ------------------------------------------------------------------ model check */

/*
 * Random operations on a 96-page address space, each checked against a
 * page bitmap: the regions of both collections (exact, so sorting and
 * merging are checked too), the free ranges both ways, and the address
 * every allocation returns (the highest aligned free block in its window
 * above page 0, found by brute force).
 */
#define MODEL_PAGES 96
#define MODEL_ROUNDS 200
#define MODEL_OPS 150

struct model {
	bool mem[MODEL_PAGES];
	bool nomap[MODEL_PAGES];
	bool res[MODEL_PAGES];
	u64 limit; /* memblock.current_limit, in pages */
};

static u64 rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64: a fixed sequence, so a failure reproduces. */
static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The regions the model implies: maximal runs of @in (split where @flag changes). */
static unsigned long model_regions(const bool *in, const bool *flag, struct memblock_region *out)
{
	unsigned long n = 0;
	unsigned int p = 0;

	while (p < MODEL_PAGES) {
		unsigned int q = p;
		bool f;

		if (!in[p]) {
			p++;
			continue;
		}
		f = flag && flag[p];
		while (q < MODEL_PAGES && in[q] && (flag && flag[q]) == f)
			q++;
		out[n].base = p * SZ_4K;
		out[n].size = (q - p) * SZ_4K;
		out[n].flags = f ? MEMBLOCK_NOMAP : MEMBLOCK_NONE;
		n++;
		p = q;
	}
	return n;
}

/* Whether page @p is free in the model. */
static bool model_free(const struct model *m, unsigned int p)
{
	return m->mem[p] && !m->nomap[p] && !m->res[p];
}

/* Compare memblock with the model in every way the API shows it. */
static void model_check(const struct model *m)
{
	struct memblock_region want[MODEL_PAGES];
	bool freemap[MODEL_PAGES];
	phys_addr_t start, end;
	unsigned long n, k;
	u64 i;
	unsigned int p;

	n = model_regions(m->mem, m->nomap, want);
	expect_regions(&memblock.memory, want, n);
	n = model_regions(m->res, NULL, want);
	expect_regions(&memblock.reserved, want, n);

	for (p = 0; p < MODEL_PAGES; p++)
		freemap[p] = model_free(m, p);
	n = model_regions(freemap, NULL, want);
	k = 0;
	for_each_free_mem_range(i, &start, &end) {
		assert_true(k < n);
		assert_int_equal(start, want[k].base);
		assert_int_equal(end, want[k].base + want[k].size);
		k++;
	}
	assert_int_equal(k, n);
	for_each_free_mem_range_reverse(i, &start, &end) {
		assert_true(k > 0);
		k--;
		assert_int_equal(start, want[k].base);
		assert_int_equal(end, want[k].base + want[k].size);
	}
	assert_int_equal(k, 0);
	for (p = 0; p < MODEL_PAGES; p++) {
		assert_int_equal(memblock_is_memory(p * SZ_4K + 7), m->mem[p]);
		assert_int_equal(memblock_is_reserved(p * SZ_4K + 7), m->res[p]);
	}
}

/*
 * The model's answer to an allocation of @len pages aligned to @align pages
 * in [@lo, @hi): the highest such block of free pages, by brute force; 0
 * if none.
 */
static u64 model_alloc(const struct model *m, u64 len, u64 align, u64 lo, u64 hi)
{
	u64 p, q;

	if (lo < 1)
		lo = 1; /* page 0 is never handed out */
	if (hi > MODEL_PAGES)
		hi = MODEL_PAGES;
	if (hi < len)
		return 0;
	for (p = (hi - len) / align * align; p >= lo; p -= align) {
		for (q = p; q < p + len && model_free(m, (unsigned int)q); q++)
			;
		if (q == p + len)
			return p;
		if (p < align)
			break;
	}
	return 0;
}

/* Set bits [@p, @p + @len) of @map to @val. */
static void model_set(bool *map, u64 p, u64 len, bool val)
{
	u64 q;

	for (q = p; q < p + len; q++)
		map[q] = val;
}

/* A random memblock_phys_alloc_range() of @len pages, checked against model_alloc(). */
static void model_step_alloc(struct model *m, u64 len)
{
	u64 align = 1ull << (rng() % 4);
	u64 lo = rng() % 3 ? 0 : rng() % MODEL_PAGES;
	/* hi 0 is MEMBLOCK_ALLOC_ACCESSIBLE: the current limit. */
	u64 hi = rng() % 3 ? 0 : rng() % (MODEL_PAGES + 1);
	u64 want = model_alloc(m, len, align, lo, hi ? hi : m->limit);
	phys_addr_t got = memblock_phys_alloc_range(len * SZ_4K, align * SZ_4K, lo * SZ_4K,
						    hi * SZ_4K);

	if (got != want * SZ_4K) {
		print_error("alloc %llu pages align %llu in [%llu, %llu): "
			    "got page %llu, want %llu\n",
			    (unsigned long long)len, (unsigned long long)align,
			    (unsigned long long)lo, (unsigned long long)hi,
			    (unsigned long long)(got / SZ_4K), (unsigned long long)want);
		fail();
	}
	if (want)
		model_set(m->res, want, len, true);
}

/* One random operation on [@p, @p + @len) pages, applied to memblock and to the model. */
static void model_step(struct model *m, u64 p, u64 len)
{
	phys_addr_t base = p * SZ_4K, size = len * SZ_4K;
	bool set;
	u64 q;

	switch (rng() % 9) {
	case 0:
	case 1:
		assert_int_equal(memblock_add(base, size), 0);
		model_set(m->mem, p, len, true);
		break;
	case 2:
		assert_int_equal(memblock_remove(base, size), 0);
		model_set(m->mem, p, len, false);
		model_set(m->nomap, p, len, false);
		break;
	case 3:
		assert_int_equal(memblock_reserve(base, size), 0);
		model_set(m->res, p, len, true);
		break;
	case 4:
		assert_int_equal(memblock_phys_free(base, size), 0);
		model_set(m->res, p, len, false);
		break;
	case 5:
		set = rng() & 1;
		assert_int_equal(set ? memblock_mark_nomap(base, size) :
				       memblock_clear_nomap(base, size), 0);
		for (q = p; q < p + len; q++)
			m->nomap[q] = m->mem[q] && set;
		break;
	case 6:
		/* Sometimes no limit at all: here the same as a limit at the last page. */
		m->limit = rng() % 4 ? rng() % (MODEL_PAGES + 1) : MODEL_PAGES;
		memblock_set_current_limit(m->limit == MODEL_PAGES ? MEMBLOCK_ALLOC_ANYWHERE :
								      m->limit * SZ_4K);
		break;
	default:
		model_step_alloc(m, len);
		break;
	}
}

static void test_model_random(void **state)
{
	struct model m;
	unsigned int round, op;

	(void)state;
	for (round = 0; round < MODEL_ROUNDS; round++) {
		memblock_init();
		memset(&m, 0, sizeof(m));
		m.limit = MODEL_PAGES;
		for (op = 0; op < MODEL_OPS; op++) {
			u64 p = rng() % MODEL_PAGES;
			u64 len = 1 + rng() % 12;

			model_step(&m, p, p + len > MODEL_PAGES ? MODEL_PAGES - p : len);
			model_check(&m);
		}
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_add_simple),
		T(test_add_disjoint_sorted),
		T(test_add_adjacent_merges),
		T(test_add_overlap_top),
		T(test_add_overlap_bottom),
		T(test_add_within),
		T(test_add_twice),
		T(test_add_spans_several),
		T(test_add_size_zero_is_noop),
		T(test_wraparound_is_clamped),
		T(test_add_full_array_fails),
		T(test_reserve_simple),
		T(test_reserve_adjacent_merges),
		T(test_reserve_overlap_top),
		T(test_reserve_overlap_bottom),
		T(test_reserve_within),
		T(test_reserve_twice),
		T(test_reserve_outside_memory),
		T(test_reserve_full_array_fails),
		T(test_remove_simple),
		T(test_remove_overlap_bottom),
		T(test_remove_overlap_top),
		T(test_remove_within_splits),
		T(test_remove_whole),
		T(test_remove_absent_is_noop),
		T(test_remove_split_on_full_array_fails),
		T(test_phys_free_splits),
		T(test_phys_free_merges_back),
		T(test_phys_free_unreserved_is_noop),
		T(test_alloc_top_down_simple),
		T(test_alloc_fits_exactly),
		T(test_alloc_with_alignment),
		T(test_alloc_respects_limit),
		T(test_alloc_respects_start_end),
		T(test_alloc_skips_reserved),
		T(test_alloc_fails_when_full),
		T(test_alloc_never_returns_zero),
		T(test_alloc_align_zero_uses_cache_line),
		T(test_alloc_bad_align_refused),
		T(test_alloc_size_zero_refused),
		T(test_alloc_skips_nomap),
		T(test_alloc_reserved_array_full),
		T(test_free_range_default_vm),
		T(test_free_range_pieces),
		T(test_mem_and_reserved_ranges),
		T(test_next_mem_range_custom_types),
		T(test_sizes_and_dram_bounds),
		T(test_is_memory_is_reserved),
		T(test_is_region_memory_reserved),
		T(test_flags_keep_regions_apart),
		T(test_trim_memory),
		T(test_dump_format),
		T(test_dump_needs_debug),
		T(test_dump_empty),
		T(test_dump_hex_index_and_flags),
		T(test_debug_lines),
		T(test_early_param),
		T(test_init_resets),
		T(test_model_random),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
