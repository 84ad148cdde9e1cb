// SPDX-License-Identifier: MIT
/*
 * The memblock selftest suite (`selftest=memblock`): the guest's own build
 * of guest/mm/memblock.c exercised inside the guest, and one check that the
 * boot fed it the E820 RAM and the reservations it must have.
 *
 * memblock is one global, already filled by the boot when the suites run.
 * Every case gets it empty: case_init copies the boot's state aside and
 * calls memblock_init(); case_exit checks the invariants of whatever the
 * case left, then puts the boot's state back exactly. The copy holds the
 * region contents, not only the struct: the struct's region pointers name
 * memblock's static arrays, which the case overwrites (and memblock swaps
 * with a spare one it keeps private), so the restore writes the saved
 * regions into whichever arrays memblock uses at that moment.
 *
 * tests/unit/test_memblock.c covers the corner cases at length on the
 * host; here each case is short, since the guest may run emulated (about a
 * million instructions a second): a few hundred memblock calls at most.
 *
 * Diagrams: addresses grow to the right, not to scale; "[==]" a region,
 * "m" memory, "R" reserved, "n" the range the case adds, "x" a hole.
 */
#include "asm/page.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "mm/e820_setup.h"
#include "mm/memblock.h"

#define SZ_1K 0x400ull
#define SZ_4K 0x1000ull
#define SZ_8K 0x2000ull
#define SZ_16K 0x4000ull
#define SZ_64K 0x10000ull
#define SZ_512K 0x80000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull
#define SZ_4M 0x400000ull
#define SZ_8M 0x800000ull
#define SZ_16M 0x1000000ull
#define SZ_32M 0x2000000ull
#define SZ_64M 0x4000000ull

/* Linker-script symbols (kernel.lds): the higher-half image's start and end. */
extern char _text[], _end[];

/*
 * The boot's memblock as case_init found it: a struct copy whose region
 * pointers are redirected to the arrays below, so it stays a valid
 * memblock_type pair that the live-state case can search.
 */
static struct memblock boot_memblock;
static struct memblock_region boot_memory_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region boot_reserved_regions[INIT_MEMBLOCK_REGIONS];
static bool boot_debug;
/* memblock_phys_mem_size() of the boot state, read before the reset. */
static phys_addr_t boot_phys_mem_size;

/* Room to compare a collection before and after a call that must change nothing. */
static struct memblock_type snapshot;
static struct memblock_region snapshot_regions[INIT_MEMBLOCK_REGIONS];

/*
 * Make @dst a copy of @src whose regions live in @dst_regions (room for
 * INIT_MEMBLOCK_REGIONS). Used both ways: to save into this file's arrays
 * and to restore into memblock's.
 */
static void type_copy(struct memblock_type *dst, struct memblock_region *dst_regions,
		      const struct memblock_type *src)
{
	unsigned long n = src->cnt < INIT_MEMBLOCK_REGIONS ? src->cnt : INIT_MEMBLOCK_REGIONS;

	memcpy(dst_regions, src->regions, n * sizeof(*dst_regions));
	*dst = *src;
	dst->cnt = n;
	dst->regions = dst_regions;
}

/* Whether two collections hold the same regions (the arrays themselves may differ). */
static bool type_same(const struct memblock_type *a, const struct memblock_type *b)
{
	unsigned long i;

	if (a->cnt != b->cnt || a->total_size != b->total_size)
		return false;
	for (i = 0; i < a->cnt; i++) {
		const struct memblock_region *ra = &a->regions[i], *rb = &b->regions[i];

		if (ra->base != rb->base || ra->size != rb->size || ra->flags != rb->flags)
			return false;
	}
	return true;
}

/* Whether the regions of @type (sorted) cover all of [@base, @base + @size). */
static bool type_covers(const struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t pos = base, end = base + size;
	unsigned long i;

	for (i = 0; i < type->cnt && pos < end; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base + r->size <= pos)
			continue;
		if (r->base > pos)
			return false; /* a gap at pos */
		pos = r->base + r->size;
	}
	return pos >= end;
}

/*
 * Check what mm/memblock.h promises of every collection: at most @max
 * regions; each non-empty and ending at or below PHYS_ADDR_MAX; sorted and
 * disjoint; touching neighbours only when their flags differ (else they
 * would have been merged); @total_size the sum of the sizes. Stops at the
 * first bad region, naming it.
 */
static void check_type(struct selftest *t, const struct memblock_type *type)
{
	phys_addr_t sum_of_sizes = 0, prev_end = 0;
	unsigned long i;

	if (!EXPECT_TRUE(t, type->cnt <= type->max))
		return;
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		const struct memblock_region *prev = i ? &type->regions[i - 1] : NULL;
		bool region_not_empty = r->size != 0;
		bool region_not_past_phys_addr_max = r->size <= PHYS_ADDR_MAX - r->base;
		bool above_previous_region = !prev || prev_end <= r->base;
		bool touching_previous_has_other_flags =
			!prev || prev_end != r->base || prev->flags != r->flags;

		if (!EXPECT_TRUE(t, region_not_empty) ||
		    !EXPECT_TRUE(t, region_not_past_phys_addr_max) ||
		    !EXPECT_TRUE(t, above_previous_region) ||
		    !EXPECT_TRUE(t, touching_previous_has_other_flags)) {
			printk("    # %s: bad region %s[%lu] base 0x%llx size 0x%llx flags 0x%x\n",
			       t->name, type->name, i, (unsigned long long)r->base,
			       (unsigned long long)r->size, (unsigned int)r->flags);
			return;
		}
		sum_of_sizes += r->size;
		prev_end = r->base + r->size;
	}
	EXPECT_EQ(t, type->total_size, sum_of_sizes);
}

/* Before every case: keep the boot's state, and hand the case an empty allocator. */
static void memblock_case_init(struct selftest *t)
{
	(void)t;
	boot_memblock = memblock;
	type_copy(&boot_memblock.memory, boot_memory_regions, &memblock.memory);
	type_copy(&boot_memblock.reserved, boot_reserved_regions, &memblock.reserved);
	boot_debug = memblock_get_debug();
	boot_phys_mem_size = memblock_phys_mem_size();
	memblock_init();
}

/*
 * After every case: check the lists the case left, then put the boot's
 * state back, into the arrays memblock uses now (its spare stays spare).
 */
static void memblock_case_exit(struct selftest *t)
{
	check_type(t, &memblock.memory);
	check_type(t, &memblock.reserved);

	memblock.current_limit = boot_memblock.current_limit;
	type_copy(&memblock.memory, memblock.memory.regions, &boot_memblock.memory);
	type_copy(&memblock.reserved, memblock.reserved.regions, &boot_memblock.reserved);
	memblock_set_debug(boot_debug);
}

/*
 * The whole pages of E820 entry @e, in [*@start, *@end), if it is usable
 * RAM with at least one: what memblock_trim_memory(PAGE_SIZE) keeps of it.
 */
static bool e820_ram_pages(const struct e820_entry *e, phys_addr_t *start, phys_addr_t *end)
{
	if (e->type != E820_TYPE_RAM || e->addr > PHYS_ADDR_MAX - (PAGE_SIZE - 1))
		return false;
	*start = (e->addr + PAGE_SIZE - 1) & PAGE_MASK;
	*end = (e->addr + e->size) & PAGE_MASK;
	/* Page 0 is the BIOS's, never memory (setup_memblock.c, Linux's trim_bios_range()). */
	if (*start < PAGE_SIZE)
		*start = PAGE_SIZE;
	return *start < *end;
}

/* Entries of the sanitized E820 table (its count bounded by the array, to be safe). */
static u32 e820_nr_entries(void)
{
	return e820_table.nr_entries < E820_TABLE_MAX ? e820_table.nr_entries : E820_TABLE_MAX;
}

/* Bytes of whole pages but page 0 inside the usable (RAM) entries of the sanitized E820 table. */
static phys_addr_t e820_ram_in_whole_pages(void)
{
	phys_addr_t total = 0, start, end;

	for (u32 i = 0; i < e820_nr_entries(); i++)
		if (e820_ram_pages(&e820_table.entries[i], &start, &end))
			total += end - start;
	return total;
}

/*
 * The state the boot built (saved by case_init before the reset): page 0,
 * the low megabyte and the whole kernel image reserved, and memory exactly
 * the whole pages of the E820 RAM. Listed last, so what it sees has been
 * through every other case's save and restore as well.
 */
static void boot_state_from_e820(struct selftest *t)
{
	const struct memblock_type *memory = &boot_memblock.memory;
	const struct memblock_type *reserved = &boot_memblock.reserved;
	phys_addr_t image_pa_start = KERNEL_PHYS_START;
	phys_addr_t text_pa = __pa_symbol(_text), end_pa = __pa_symbol(_end);
	bool page0_reserved, low_megabyte_reserved;
	bool image_boot_part_reserved, image_text_to_end_reserved;

	check_type(t, memory);
	check_type(t, reserved);
	EXPECT_NE(t, memory->cnt, 0);

	page0_reserved = type_covers(reserved, 0, PAGE_SIZE);
	low_megabyte_reserved = type_covers(reserved, 0, SZ_1M);
	EXPECT_TRUE(t, page0_reserved);
	EXPECT_TRUE(t, low_megabyte_reserved);

	/* The image: .boot.* from KERNEL_PHYS_START, then _text to _end. */
	if (EXPECT_TRUE(t, image_pa_start <= text_pa && text_pa < end_pa)) {
		image_boot_part_reserved =
			type_covers(reserved, image_pa_start, text_pa - image_pa_start);
		image_text_to_end_reserved = type_covers(reserved, text_pa, end_pa - text_pa);
		EXPECT_TRUE(t, image_boot_part_reserved);
		EXPECT_TRUE(t, image_text_to_end_reserved);
	}

	EXPECT_EQ(t, boot_phys_mem_size, e820_ram_in_whole_pages());
	/* Equal sums could hide swapped pieces: each RAM entry's pages must be memory. */
	for (u32 i = 0; i < e820_nr_entries(); i++) {
		phys_addr_t start, end;
		bool e820_ram_pages_are_memory;

		if (!e820_ram_pages(&e820_table.entries[i], &start, &end))
			continue;
		e820_ram_pages_are_memory = type_covers(memory, start, end - start);
		if (!EXPECT_TRUE(t, e820_ram_pages_are_memory))
			printk("    # %s: e820 RAM [0x%llx-0x%llx) is not memblock memory\n",
			       t->name, (unsigned long long)start, (unsigned long long)end);
	}
}

/* Region @i of @type is [@base, @base + @size) with no flags. */
static void expect_region(struct selftest *t, const struct memblock_type *type, unsigned long i,
			  phys_addr_t base, phys_addr_t size)
{
	if (!EXPECT_TRUE(t, i < type->cnt))
		return;
	EXPECT_EQ(t, type->regions[i].base, base);
	EXPECT_EQ(t, type->regions[i].size, size);
	EXPECT_EQ(t, type->regions[i].flags, MEMBLOCK_NONE);
}

/*
 *   [m1]    [m2]      m1 = [1M, 2M), m2 = [3M, 4M)
 *       [n ]          n = [2M, 3M) touches both: one region [1M, 4M)
 * [n   ]              n = [512K, 1.5M) overlaps its bottom: [512K, 4M)
 *         [n]         n inside: nothing changes
 */
static void add_merges_touching_and_overlapping(struct selftest *t)
{
	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_1M), 0);
	EXPECT_EQ(t, memblock_add(3 * SZ_1M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 2);

	EXPECT_EQ(t, memblock_add(SZ_2M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, SZ_1M, 3 * SZ_1M);

	EXPECT_EQ(t, memblock_add(SZ_512K, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, SZ_512K, 4 * SZ_1M - SZ_512K);

	EXPECT_EQ(t, memblock_add(SZ_2M, SZ_4K), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 1);
	EXPECT_EQ(t, memblock_phys_mem_size(), 4 * SZ_1M - SZ_512K);
	EXPECT_EQ(t, memblock.reserved.cnt, 0);
}

/*
 *   [R1  ]             R1 = [16K, 32K)
 *       [n     ]       n = [24K, 48K) overlaps its top: [16K, 48K)
 * [n]                  n = [8K, 12K) apart: a second region
 *    [n]               n = [12K, 16K) fills the gap: one region [8K, 48K)
 * With no memory at all: reserving outside memory is allowed.
 */
static void reserve_overlapping_merges(struct selftest *t)
{
	EXPECT_EQ(t, memblock_reserve(SZ_16K, SZ_16K), 0);
	EXPECT_EQ(t, memblock_reserve(24 * SZ_1K, SZ_16K + SZ_8K), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, SZ_16K, 32 * SZ_1K);

	EXPECT_EQ(t, memblock_reserve(SZ_8K, SZ_4K), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 2);
	EXPECT_EQ(t, memblock_reserve(12 * SZ_1K, SZ_4K), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, SZ_8K, 40 * SZ_1K);

	EXPECT_EQ(t, memblock_reserved_size(), 40 * SZ_1K);
	EXPECT_EQ(t, memblock.memory.cnt, 0);
}

/*
 * [m              ]    [1M, 5M)
 *     [x ]             remove [2M, 3M): [1M, 2M) [3M, 5M)
 *            [x     ]  remove [4M, 6M), across the top: [1M, 2M) [3M, 4M)
 * [x]                  remove [0, 1.5M), across the bottom: [1.5M, 2M) [3M, 4M)
 *                          remove [8M, 9M), outside: nothing changes
 */
static void remove_splits_and_trims(struct selftest *t)
{
	const phys_addr_t one_and_half_m = SZ_1M + SZ_512K;

	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_4M), 0);
	EXPECT_EQ(t, memblock_remove(SZ_2M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, SZ_1M, SZ_1M);
	expect_region(t, &memblock.memory, 1, 3 * SZ_1M, SZ_2M);

	EXPECT_EQ(t, memblock_remove(SZ_4M, SZ_2M), 0);
	expect_region(t, &memblock.memory, 1, 3 * SZ_1M, SZ_1M);

	EXPECT_EQ(t, memblock_remove(0, one_and_half_m), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, one_and_half_m, SZ_2M - one_and_half_m);

	EXPECT_EQ(t, memblock_remove(SZ_8M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 2);
	EXPECT_EQ(t, memblock_phys_mem_size(), SZ_512K + SZ_1M);
}

/*
 * [R              ]    [1M, 4M)
 *     [x ]             free [2M, 3M): [1M, 2M) [3M, 4M)
 *     [n ]             reserve [2M, 3M) again: merged back into [1M, 4M)
 * [x                       ]  free [0, 8M): nothing left
 */
static void phys_free_splits_and_merges_back(struct selftest *t)
{
	EXPECT_EQ(t, memblock_reserve(SZ_1M, 3 * SZ_1M), 0);
	EXPECT_EQ(t, memblock_phys_free(SZ_2M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 2);
	EXPECT_FALSE(t, memblock_is_reserved(SZ_2M));
	EXPECT_TRUE(t, memblock_is_reserved(SZ_2M - 1));
	EXPECT_TRUE(t, memblock_is_reserved(3 * SZ_1M));

	EXPECT_EQ(t, memblock_reserve(SZ_2M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, SZ_1M, 3 * SZ_1M);

	EXPECT_EQ(t, memblock_phys_free(0, SZ_8M), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 0);
	EXPECT_EQ(t, memblock_reserved_size(), 0);
}

/*
 * Memory [1M, 16M); allocations come from the top, each at the highest
 * address its alignment allows:
 *                            [b ]   [c][a]|16M
 *  a: 4K, align 4K   -> 16M - 4K
 *  b: 8K, align 64K  -> 16M - 64K (the highest 64K boundary with 8K free above)
 *  c: 4K, align 4K   -> 16M - 8K, just below a, merging with it
 */
static void alloc_top_down_aligned(struct selftest *t)
{
	phys_addr_t a, b, c;

	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_16M - SZ_1M), 0);
	a = memblock_phys_alloc(SZ_4K, SZ_4K);
	b = memblock_phys_alloc(SZ_8K, SZ_64K);
	c = memblock_phys_alloc(SZ_4K, SZ_4K);
	EXPECT_EQ(t, a, SZ_16M - SZ_4K);
	EXPECT_EQ(t, b, SZ_16M - SZ_64K);
	EXPECT_EQ(t, b & (SZ_64K - 1), 0);
	EXPECT_EQ(t, c, SZ_16M - SZ_8K);

	EXPECT_EQ(t, memblock.reserved.cnt, 2);
	expect_region(t, &memblock.reserved, 0, SZ_16M - SZ_64K, SZ_8K);
	expect_region(t, &memblock.reserved, 1, SZ_16M - SZ_8K, SZ_8K);
	EXPECT_EQ(t, memblock_reserved_size(), SZ_16K);
	/* Allocating takes nothing out of memory. */
	EXPECT_EQ(t, memblock_phys_mem_size(), SZ_16M - SZ_1M);
}

/*
 * Memory [1M, 64M); the ceilings an allocation obeys:
 *  - the current limit (8M) for memblock_phys_alloc();
 *  - an explicit end (4M), even above or below the limit;
 *  - MEMBLOCK_ALLOC_ANYWHERE: no ceiling at all (64M);
 *  - a window [32M, 32M + 8K): the top page of it;
 *  - a window too small, or without memory: 0.
 */
static void alloc_respects_limit_and_window(struct selftest *t)
{
	phys_addr_t below_limit, below_end, anywhere, in_window;

	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_64M - SZ_1M), 0);
	memblock_set_current_limit(SZ_8M);
	EXPECT_EQ(t, memblock_get_current_limit(), SZ_8M);

	below_limit = memblock_phys_alloc(SZ_4K, SZ_4K);
	below_end = memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, SZ_4M);
	anywhere = memblock_phys_alloc_range(SZ_4K, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE);
	in_window = memblock_phys_alloc_range(SZ_4K, SZ_4K, SZ_32M, SZ_32M + SZ_8K);
	EXPECT_EQ(t, below_limit, SZ_8M - SZ_4K);
	EXPECT_EQ(t, below_end, SZ_4M - SZ_4K);
	EXPECT_EQ(t, anywhere, SZ_64M - SZ_4K);
	EXPECT_EQ(t, in_window, SZ_32M + SZ_4K);

	EXPECT_EQ(t, memblock_phys_alloc_range(SZ_8K, SZ_4K, SZ_2M, SZ_2M + SZ_4K), 0);
	EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, SZ_4K, SZ_1M), 0);
	EXPECT_EQ(t, memblock.reserved.cnt, 4);
	EXPECT_EQ(t, memblock_reserved_size(), 4 * SZ_4K);
}

/*
 * Memory [1M, 1M + 16K): four page allocations fill it from the top, the
 * fifth finds nothing and returns 0 without touching either list; so does
 * one larger than all memory.
 */
static void alloc_fails_cleanly_when_full(struct selftest *t)
{
	static const phys_addr_t want[] = {
		SZ_1M + 3 * SZ_4K, SZ_1M + 2 * SZ_4K, SZ_1M + SZ_4K, SZ_1M,
	};
	struct memblock_type memory_before;
	struct memblock_region memory_before_region;

	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_16K), 0);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		phys_addr_t got = memblock_phys_alloc(SZ_4K, SZ_4K);

		EXPECT_EQ(t, got, want[i]);
	}
	EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, SZ_1M, SZ_16K);

	type_copy(&snapshot, snapshot_regions, &memblock.reserved);
	memory_before = memblock.memory;
	memory_before_region = memblock.memory.regions[0];
	EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_EQ(t, memblock_phys_alloc_range(SZ_32M, SZ_4K, 0, MEMBLOCK_ALLOC_ANYWHERE), 0);
	EXPECT_TRUE(t, type_same(&snapshot, &memblock.reserved));
	memory_before.regions = &memory_before_region;
	EXPECT_TRUE(t, type_same(&memory_before, &memblock.memory));
}

/*
 * Memory [0, 8K): the first allocation gets page 1; page 0 is free but
 * never handed out (0 means failure), so the second one fails, and page 0
 * stays unreserved.
 */
static void alloc_never_returns_page_zero(struct selftest *t)
{
	EXPECT_EQ(t, memblock_add(0, SZ_8K), 0);
	EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), SZ_4K);
	EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 0);
	EXPECT_EQ(t, memblock_phys_alloc_range(SZ_1K, SZ_1K, 0, SZ_4K), 0);
	EXPECT_FALSE(t, memblock_is_reserved(0));
	EXPECT_EQ(t, memblock_reserved_size(), SZ_4K);
}

/* One range as the iterators give it. */
struct range {
	phys_addr_t start, end;
};

/*
 * memory:   [m0 0x1000 ............................ 0x10000)   [m1 0x20000 ........ 0x30000)
 * reserved:           [R 0x4000-0x5000)   [R 0xf000 .................... 0x22000)
 * free:     [0x1000-0x4000)       [0x5000-0xf000)                    [0x22000-0x30000)
 */
static void free_ranges_of_small_layout(struct selftest *t)
{
	static const struct range want_free[] = {
		{ 0x1000, 0x4000 }, { 0x5000, 0xf000 }, { 0x22000, 0x30000 },
	};
	static const struct range want_memory[] = { { 0x1000, 0x10000 }, { 0x20000, 0x30000 } };
	phys_addr_t start, end;
	size_t nr_free = 0, nr_free_reverse = 0, nr_memory = 0, nr_reserved = 0;
	u64 i;

	EXPECT_EQ(t, memblock_add(0x1000, 0xf000), 0);
	EXPECT_EQ(t, memblock_add(0x20000, 0x10000), 0);
	EXPECT_EQ(t, memblock_reserve(0x4000, 0x1000), 0);
	EXPECT_EQ(t, memblock_reserve(0xf000, 0x13000), 0);

	for_each_free_mem_range(i, &start, &end) {
		if (nr_free < ARRAY_SIZE(want_free)) {
			EXPECT_EQ(t, start, want_free[nr_free].start);
			EXPECT_EQ(t, end, want_free[nr_free].end);
		}
		nr_free++;
	}
	EXPECT_EQ(t, nr_free, ARRAY_SIZE(want_free));

	for_each_free_mem_range_reverse(i, &start, &end) {
		size_t k = ARRAY_SIZE(want_free) - 1 - nr_free_reverse;

		if (nr_free_reverse < ARRAY_SIZE(want_free)) {
			EXPECT_EQ(t, start, want_free[k].start);
			EXPECT_EQ(t, end, want_free[k].end);
		}
		nr_free_reverse++;
	}
	EXPECT_EQ(t, nr_free_reverse, ARRAY_SIZE(want_free));

	for_each_mem_range(i, &start, &end) {
		if (nr_memory < ARRAY_SIZE(want_memory)) {
			EXPECT_EQ(t, start, want_memory[nr_memory].start);
			EXPECT_EQ(t, end, want_memory[nr_memory].end);
		}
		nr_memory++;
	}
	EXPECT_EQ(t, nr_memory, ARRAY_SIZE(want_memory));

	for_each_reserved_mem_range(i, NULL, NULL)
		nr_reserved++;
	EXPECT_EQ(t, nr_reserved, 2);
}

/*
 * Memory [1M, 2M), reserved [1.5M, 1.5M + 4K): the point and range
 * queries at both edges of each.
 */
static void is_memory_and_is_reserved_at_edges(struct selftest *t)
{
	const phys_addr_t r = SZ_1M + SZ_512K;

	EXPECT_EQ(t, memblock_add(SZ_1M, SZ_1M), 0);
	EXPECT_EQ(t, memblock_reserve(r, SZ_4K), 0);

	EXPECT_FALSE(t, memblock_is_memory(SZ_1M - 1));
	EXPECT_TRUE(t, memblock_is_memory(SZ_1M));
	EXPECT_TRUE(t, memblock_is_memory(SZ_2M - 1));
	EXPECT_FALSE(t, memblock_is_memory(SZ_2M));

	EXPECT_FALSE(t, memblock_is_reserved(r - 1));
	EXPECT_TRUE(t, memblock_is_reserved(r));
	EXPECT_TRUE(t, memblock_is_reserved(r + SZ_4K - 1));
	EXPECT_FALSE(t, memblock_is_reserved(r + SZ_4K));

	EXPECT_TRUE(t, memblock_is_region_memory(SZ_1M, SZ_1M));
	EXPECT_FALSE(t, memblock_is_region_memory(SZ_1M, SZ_1M + 1));
	EXPECT_FALSE(t, memblock_is_region_reserved(r - SZ_4K, SZ_4K));
	EXPECT_TRUE(t, memblock_is_region_reserved(r - SZ_4K, SZ_4K + 1));

	EXPECT_EQ(t, memblock_start_of_DRAM(), SZ_1M);
	EXPECT_EQ(t, memblock_end_of_DRAM(), SZ_2M);
}

/*
 * Memory [1M, 4M) with [3M, 4M) marked NOMAP: two regions (same range
 * kinds, different flags, never merged); allocations and the memory
 * iterator skip the NOMAP part; clearing the flag merges them back.
 */
static void nomap_splits_and_is_never_allocated(struct selftest *t)
{
	phys_addr_t start = 0, end = 0;
	unsigned int nr_ranges = 0;
	u64 i;

	EXPECT_EQ(t, memblock_add(SZ_1M, 3 * SZ_1M), 0);
	EXPECT_EQ(t, memblock_mark_nomap(3 * SZ_1M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 2);
	if (EXPECT_EQ(t, memblock.memory.regions[1].base, 3 * SZ_1M))
		EXPECT_EQ(t, memblock.memory.regions[1].flags, MEMBLOCK_NOMAP);

	EXPECT_EQ(t, memblock_phys_alloc(SZ_4K, SZ_4K), 3 * SZ_1M - SZ_4K);
	for_each_mem_range(i, &start, &end)
		nr_ranges++;
	EXPECT_EQ(t, nr_ranges, 1);
	EXPECT_EQ(t, start, SZ_1M);
	EXPECT_EQ(t, end, 3 * SZ_1M);

	EXPECT_EQ(t, memblock_clear_nomap(3 * SZ_1M, SZ_1M), 0);
	EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, SZ_1M, 3 * SZ_1M);
}

/*
 * The default VM's low RAM [0, 0x9fc00) ends inside a page; trimming to
 * pages keeps [0, 0x9f000), cuts [1M, 1M + 6K) to one page, and drops
 * [2M + 2K, 2M + 3K), which holds no whole page.
 */
static void trim_memory_keeps_whole_pages(struct selftest *t)
{
	EXPECT_EQ(t, memblock_add(0, E820_LOWMEM_USABLE_END), 0);
	EXPECT_EQ(t, memblock_add(SZ_1M, 6 * SZ_1K), 0);
	EXPECT_EQ(t, memblock_add(SZ_2M + 2 * SZ_1K, SZ_1K), 0);
	memblock_trim_memory(PAGE_SIZE);

	EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, 0, E820_LOWMEM_USABLE_END & PAGE_MASK);
	expect_region(t, &memblock.memory, 1, SZ_1M, SZ_4K);
	EXPECT_EQ(t, memblock_phys_mem_size(), (E820_LOWMEM_USABLE_END & PAGE_MASK) + SZ_4K);
}

/* Regions the full-array case adds: one page every other page from 1M. */
#define FULL_BASE SZ_1M
#define FULL_STRIDE SZ_8K
#define FULL_REGION_BASE(i) (FULL_BASE + (phys_addr_t)(i) * FULL_STRIDE)

/*
 * 128 disjoint regions fill memory's array; a 129th, and a remove that
 * would split one region in two, are refused with -ENOMEM and change
 * nothing. An add that merges two regions still works on the full array.
 *
 * [r0] [r1] [r2] ... [r127]  [n]   refused
 *  [x]                             refused (would split r0)
 *     [n]                          accepted: r0 and r1 become one
 */
static void full_array_refuses_and_changes_nothing(struct selftest *t)
{
	int ret;

	for (unsigned long i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		ret = memblock_add(FULL_REGION_BASE(i), SZ_4K);
		if (!EXPECT_EQ(t, ret, 0))
			return;
	}
	EXPECT_EQ(t, memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);

	/* memblock reports each refusal on a console line of its own. */
	printk("    # %s: two \"refused\" lines from memblock expected\n", t->name);
	type_copy(&snapshot, snapshot_regions, &memblock.memory);
	ret = memblock_add(FULL_REGION_BASE(INIT_MEMBLOCK_REGIONS), SZ_4K);
	EXPECT_EQ(t, ret, -ENOMEM);
	EXPECT_TRUE(t, type_same(&snapshot, &memblock.memory));

	ret = memblock_remove(FULL_BASE + SZ_1K, SZ_1K);
	EXPECT_EQ(t, ret, -ENOMEM);
	EXPECT_TRUE(t, type_same(&snapshot, &memblock.memory));

	ret = memblock_add(FULL_BASE + SZ_4K, SZ_4K);
	EXPECT_EQ(t, ret, 0);
	EXPECT_EQ(t, memblock.memory.cnt, INIT_MEMBLOCK_REGIONS - 1);
	expect_region(t, &memblock.memory, 0, FULL_BASE, FULL_STRIDE + SZ_4K);
}

static const struct selftest_case memblock_cases[] = {
	SELFTEST_CASE(add_merges_touching_and_overlapping),
	SELFTEST_CASE(reserve_overlapping_merges),
	SELFTEST_CASE(remove_splits_and_trims),
	SELFTEST_CASE(phys_free_splits_and_merges_back),
	SELFTEST_CASE(alloc_top_down_aligned),
	SELFTEST_CASE(alloc_respects_limit_and_window),
	SELFTEST_CASE(alloc_fails_cleanly_when_full),
	SELFTEST_CASE(alloc_never_returns_page_zero),
	SELFTEST_CASE(free_ranges_of_small_layout),
	SELFTEST_CASE(is_memory_and_is_reserved_at_edges),
	SELFTEST_CASE(nomap_splits_and_is_never_allocated),
	SELFTEST_CASE(trim_memory_keeps_whole_pages),
	SELFTEST_CASE(full_array_refuses_and_changes_nothing),
	SELFTEST_CASE(boot_state_from_e820),
};

SELFTEST_SUITE_HOOKS(memblock, memblock_cases, memblock_case_init, memblock_case_exit);
