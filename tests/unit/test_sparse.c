// SPDX-License-Identifier: MIT
/*
 * Host tests of the sparse memory model's generic part (guest/mm/sparse.c)
 * with the guest's own memblock: section marking for layouts with holes,
 * DIMMs starting mid-section, ranges crossing sections and roots, the top
 * of the physical address space, pfn_valid(), the runs handed to the arch,
 * and memory use proportional to present sections.
 *
 * The arch side is replaced here: vmemmap_populate() records its calls
 * (and can be told to fail), and sparse_early_va() maps an arena of host
 * memory standing in for physical [ARENA_PA, ARENA_PA + ARENA_SIZE). Every
 * layout adds the arena as RAM, reserves what lies below it and caps
 * memblock's allocations at its end, so section roots always come from it
 * (which makes section 0 present in every layout).
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
#include "mm/page.h"
#include "mm/sparse.h"
#include "guest_log.h"

#define SZ_1M 0x100000ull
#define SZ_8M 0x800000ull
#define SZ_64M 0x4000000ull
#define SZ_128M 0x8000000ull
#define SZ_256M 0x10000000ull
#define SZ_1G 0x40000000ull
#define SZ_1T 0x10000000000ull

#define ARENA_PA SZ_1M
#define ARENA_SIZE (64 * PAGE_SIZE)
#define ARENA_END (ARENA_PA + ARENA_SIZE)

/* Bytes of memmap per section. */
#define SECTION_MEMMAP (PAGES_PER_SECTION * sizeof(struct page))

static _Alignas(4096) unsigned char arena[ARENA_SIZE];

#define MAX_CALLS 64
struct populate_call {
	unsigned long start, end;
};
static struct populate_call calls[MAX_CALLS];
static unsigned int nr_calls;
static int populate_ret;       /* what the fake vmemmap_populate() returns */
static unsigned int nr_summaries; /* vmemmap_print_summary() calls */

static jmp_buf panic_jmp;
static bool panic_expected;
static char panic_msg[256];

/* The guest's panic: back to the test that expected it, or a failure. */
void panic(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, args);
	va_end(args);
	if (!panic_expected)
		fail_msg("unexpected panic: %s", panic_msg);
	longjmp(panic_jmp, 1);
}

/* Fake arch hook: record the range; fail on request. */
int vmemmap_populate(unsigned long start_va, unsigned long end_va)
{
	assert_true(nr_calls < MAX_CALLS);
	calls[nr_calls].start = start_va;
	calls[nr_calls].end = end_va;
	nr_calls++;
	return populate_ret;
}

/* Fake arch hook: count the summaries. */
void vmemmap_print_summary(void)
{
	nr_summaries++;
}

/* Physical memory in the arena is host memory; anything else is a bug in sparse.c. */
void *sparse_early_va(phys_addr_t pa)
{
	if (pa < ARENA_PA || pa >= ARENA_END)
		fail_msg("sparse_early_va(0x%llx) outside the arena", (unsigned long long)pa);
	return arena + (pa - ARENA_PA);
}

/* Fresh memblock and sparse state, with the arena as the only allocatable RAM. */
static int setup(void **state)
{
	(void)state;
	memblock_init();
	sparse_reset();
	/* Garbage in the roots: sparse.c must not trust .noinit. */
	memset(mem_section, 0xa5, sizeof(mem_section));
	memset(arena, 0x5a, sizeof(arena));
	log_len = 0;
	log_buf[0] = '\0';
	nr_calls = 0;
	populate_ret = 0;
	nr_summaries = 0;
	panic_expected = false;
	assert_int_equal(memblock_add(ARENA_PA, ARENA_SIZE), 0);
	assert_int_equal(memblock_reserve(0, ARENA_PA), 0);
	memblock_set_current_limit(ARENA_END);
	return 0;
}

/* memblock_add() that must succeed. */
static void add_ram(phys_addr_t base, phys_addr_t size)
{
	assert_int_equal(memblock_add(base, size), 0);
}

/* Section number of physical address @pa. */
static unsigned long sec(phys_addr_t pa)
{
	return pfn_to_section_nr(PHYS_PFN(pa));
}

/* VA of the struct page of physical address @pa. */
static unsigned long memmap_va(phys_addr_t pa)
{
	return VMEMMAP_START + PHYS_PFN(pa) * sizeof(struct page);
}

/* Fail unless populate call @i covered the memmap of [@first_pa, @end_pa). */
static void expect_call(unsigned int i, phys_addr_t first_pa, phys_addr_t end_pa)
{
	assert_true(i < nr_calls);
	assert_int_equal(calls[i].start, memmap_va(first_pa));
	assert_int_equal(calls[i].end, memmap_va(end_pa));
}

/* Fail unless the present sections are exactly @want[0..@n). */
static void expect_present(const unsigned long *want, unsigned long n)
{
	unsigned long nr, i = 0;

	for_each_present_section(nr) {
		assert_true(i < n);
		assert_int_equal(nr, want[i]);
		i++;
	}
	assert_int_equal(i, n);
	assert_int_equal(sparse_stats.present_sections, n);
}

static void one_dimm_marks_its_sections_and_one_run(void **state)
{
	static const unsigned long want[] = { 0, 1, 2, 3 };

	(void)state;
	add_ram(0, 4 * SZ_128M);
	assert_int_equal(memory_present(0, PHYS_PFN(4 * SZ_128M)), 0);
	expect_present(want, 4);
	/* Present but not populated: no struct pages yet. */
	assert_false(pfn_valid(0));

	sparse_init();
	expect_present(want, 4);
	assert_int_equal(nr_calls, 1);
	expect_call(0, 0, 4 * SZ_128M);
	assert_true(pfn_valid(0));
	assert_true(pfn_valid(PHYS_PFN(4 * SZ_128M) - 1));
	assert_false(pfn_valid(PHYS_PFN(4 * SZ_128M)));
	assert_int_equal(sparse_stats.memmap_sections, 4);
	assert_int_equal(nr_summaries, 1);
}

static void holes_between_dimms_cost_no_sections(void **state)
{
	/* 512M@0, 256M@1G, 1G@4G (the integration layout). */
	static const unsigned long want[] = { 0, 1, 2, 3, 8, 9, 32, 33, 34, 35, 36, 37, 38, 39 };

	(void)state;
	add_ram(0, 4 * SZ_128M);
	add_ram(SZ_1G, SZ_256M);
	add_ram(4 * SZ_1G, SZ_1G);
	sparse_init();
	expect_present(want, ARRAY_SIZE(want));
	assert_int_equal(nr_calls, 3);
	expect_call(0, 0, 4 * SZ_128M);
	expect_call(1, SZ_1G, SZ_1G + SZ_256M);
	expect_call(2, 4 * SZ_1G, 5 * SZ_1G);
	assert_false(pfn_valid(PHYS_PFN(4 * SZ_128M)));
	assert_false(pfn_valid(PHYS_PFN(SZ_1G) - 1));
	assert_false(pfn_valid(PHYS_PFN(3 * SZ_1G)));
	assert_true(pfn_valid(PHYS_PFN(5 * SZ_1G) - 1));
	assert_false(pfn_valid(PHYS_PFN(5 * SZ_1G)));
}

static void dimm_starting_mid_section_makes_whole_section_valid(void **state)
{
	static const unsigned long want[] = { 0, 1 };

	(void)state;
	/* 64M@0 and 8M@0x0a400000: the second one lies inside section 1. */
	add_ram(0, SZ_64M);
	add_ram(0x0a400000, SZ_8M);
	sparse_init();
	expect_present(want, 2);
	/* One run: sections 0 and 1 are consecutive although RAM is not. */
	assert_int_equal(nr_calls, 1);
	expect_call(0, 0, 2 * SZ_128M);
	/* pfn_valid is per section: the hole below the DIMM has struct pages too. */
	assert_true(pfn_valid(PHYS_PFN(SZ_128M)));
	assert_true(pfn_valid(PHYS_PFN(SZ_64M)));
	assert_true(pfn_valid(PHYS_PFN(2 * SZ_128M) - 1));
	assert_false(pfn_valid(PHYS_PFN(2 * SZ_128M)));
}

static void hole_inside_one_section_keeps_it_one_section(void **state)
{
	static const unsigned long want[] = { 0 };

	(void)state;
	add_ram(0, SZ_64M);
	add_ram(SZ_64M + SZ_8M, SZ_8M);
	sparse_init();
	expect_present(want, 1);
	assert_int_equal(nr_calls, 1);
	expect_call(0, 0, SZ_128M);
	assert_true(pfn_valid(PHYS_PFN(SZ_64M + 1)));
}

static void range_crossing_section_boundary_marks_both(void **state)
{
	static const unsigned long want[] = { 0, 5, 6 };

	(void)state;
	add_ram(6 * SZ_128M - PAGE_SIZE, 2 * PAGE_SIZE);
	sparse_init();
	expect_present(want, 3);
	assert_int_equal(nr_calls, 2);
	expect_call(0, 0, SZ_128M);
	expect_call(1, 5 * SZ_128M, 7 * SZ_128M);
}

static void run_crossing_a_root_is_one_call(void **state)
{
	/* Sections SECTIONS_PER_ROOT - 1 and SECTIONS_PER_ROOT live in different roots. */
	phys_addr_t base = (phys_addr_t)(SECTIONS_PER_ROOT - 1) * SZ_128M;

	(void)state;
	add_ram(base, 2 * SZ_128M);
	sparse_init();
	assert_int_equal(nr_calls, 2);
	expect_call(1, base, base + 2 * SZ_128M);
	assert_int_equal(sparse_stats.root_pages, 2);
	assert_true(present_section_nr(SECTIONS_PER_ROOT - 1));
	assert_true(present_section_nr(SECTIONS_PER_ROOT));
	assert_false(present_section_nr(SECTIONS_PER_ROOT + 1));
}

static void top_of_physical_address_space(void **state)
{
	phys_addr_t top = 1ull << MAX_PHYSMEM_BITS;
	static const unsigned long want[] = { 0, NR_MEM_SECTIONS - 1 };

	(void)state;
	add_ram(top - SZ_128M, SZ_128M);
	sparse_init();
	expect_present(want, 2);
	assert_int_equal(mem_section_roots_cleared, NR_SECTION_ROOTS);
	assert_int_equal(nr_calls, 2);
	expect_call(1, top - SZ_128M, top);
	assert_int_equal(calls[1].end, VMEMMAP_START + MAX_PHYS_PFN * sizeof(struct page));
	assert_true(pfn_valid(MAX_PHYS_PFN - 1));
	assert_false(pfn_valid(MAX_PHYS_PFN));
	assert_false(pfn_valid(~0ul));
	assert_null(__nr_to_section(NR_MEM_SECTIONS));
	assert_null(strstr(log_buf, "ignoring"));
}

static void memory_beyond_max_physmem_is_ignored_once(void **state)
{
	phys_addr_t top = 1ull << MAX_PHYSMEM_BITS;
	static const unsigned long want[] = { 0, NR_MEM_SECTIONS - 1 };
	char line[128];

	(void)state;
	add_ram(top - PAGE_SIZE, SZ_1G);
	add_ram(top + 4 * SZ_1G, SZ_1G);
	sparse_init();
	expect_present(want, 2);
	snprintf(line, sizeof(line), "sparse: ignoring memory above 46 bits: pfns [0x%lx-0x%lx)\n",
		 MAX_PHYS_PFN, (unsigned long)PHYS_PFN(top - PAGE_SIZE + SZ_1G));
	expect_log_has(line);
	assert_null(strstr(strstr(log_buf, "ignoring") + 1, "ignoring"));
}

static void memory_use_is_proportional_to_present_sections(void **state)
{
	phys_addr_t before;

	(void)state;
	/* 128 MiB at 0 and at 1 TiB: two roots, each one page; 1 TiB of hole costs nothing. */
	add_ram(SZ_1T, SZ_128M);
	before = memblock_reserved_size();
	sparse_init();
	assert_int_equal(sparse_stats.present_sections, 2);
	assert_int_equal(sparse_stats.root_pages, 2);
	assert_int_equal(memblock_reserved_size() - before, 2 * PAGE_SIZE);
	assert_int_equal(mem_section_roots_cleared, section_nr_to_root(sec(SZ_1T)) + 1);
	/* No memmap asked for the hole: exactly the two sections' worth. */
	assert_int_equal(nr_calls, 2);
	assert_int_equal(calls[0].end - calls[0].start + calls[1].end - calls[1].start,
			 2 * SECTION_MEMMAP);
}

static void sixty_four_gib_needs_two_root_pages(void **state)
{
	(void)state;
	add_ram(0, 64 * SZ_1G);
	sparse_init();
	assert_int_equal(sparse_stats.present_sections, 512);
	assert_int_equal(sparse_stats.root_pages, 512 / SECTIONS_PER_ROOT);
	assert_int_equal(nr_calls, 1);
	expect_call(0, 0, 64 * SZ_1G);
	expect_log_has("sparse: 512 present sections of 128 MiB, memmap 524288 KiB "
		       "(32 bytes per 4 KiB page, 0.78% of present RAM)\n");
}

static void summary_line_percentage_of_small_ram(void **state)
{
	(void)state;
	/* The arena (256 KiB) plus 8 MiB in section 1: 2 MiB of memmap for 8.25 MiB. */
	add_ram(SZ_128M, SZ_8M);
	sparse_init();
	expect_log_has("sparse: 2 present sections of 128 MiB, memmap 2048 KiB "
		       "(32 bytes per 4 KiB page, 24.24% of present RAM)\n");
}

static void nomap_memory_still_gets_struct_pages(void **state)
{
	static const unsigned long want[] = { 0, 8 };

	(void)state;
	add_ram(SZ_1G, SZ_128M);
	assert_int_equal(memblock_mark_nomap(SZ_1G, SZ_128M), 0);
	sparse_init();
	expect_present(want, 2);
	assert_true(pfn_valid(PHYS_PFN(SZ_1G)));
}

static void second_sparse_init_populates_nothing_again(void **state)
{
	(void)state;
	add_ram(SZ_1G, SZ_256M);
	sparse_init();
	assert_int_equal(nr_calls, 2);
	sparse_init();
	assert_int_equal(nr_calls, 2);
	assert_int_equal(sparse_stats.present_sections, 3);
	assert_int_equal(sparse_stats.memmap_sections, 3);
}

static void populate_failure_panics_and_leaves_sections_invalid(void **state)
{
	(void)state;
	add_ram(SZ_1G, SZ_128M);
	populate_ret = -ENOMEM;
	panic_expected = true;
	if (!setjmp(panic_jmp)) {
		sparse_init();
		fail_msg("sparse_init() returned although vmemmap_populate() failed");
	}
	assert_string_equal(panic_msg, "sparse: cannot populate the vmemmap");
	expect_log_has("sparse: cannot map the memmap of sections 0-0 (error -12)\n");
	assert_true(present_section_nr(0));
	assert_false(pfn_valid(0));
	assert_int_equal(sparse_stats.memmap_sections, 0);
}

static void root_allocation_failure_is_enomem(void **state)
{
	(void)state;
	/* Nothing left to allocate a root from. */
	assert_int_equal(memblock_reserve(ARENA_PA, ARENA_SIZE), 0);
	assert_int_equal(memory_present(PHYS_PFN(SZ_1G), PHYS_PFN(SZ_1G) + 1), -ENOMEM);
	expect_log_has("sparse: no memory for the section root of section 8\n");
	assert_false(present_section_nr(8));
	assert_int_equal(next_present_section_nr(0), -1ul);
	assert_int_equal(sparse_stats.present_sections, 0);
}

static void empty_and_backwards_ranges_mark_nothing(void **state)
{
	(void)state;
	assert_int_equal(memory_present(10, 10), 0);
	assert_int_equal(memory_present(20, 10), 0);
	assert_int_equal(memory_present(MAX_PHYS_PFN, MAX_PHYS_PFN + 5), 0);
	assert_int_equal(sparse_stats.present_sections, 0);
	assert_int_equal(sparse_stats.root_pages, 0);
	assert_int_equal(next_present_section_nr(0), -1ul);
}

static void for_each_present_section_skips_missing_roots(void **state)
{
	static const unsigned long want[] = { 0, 3 * SECTIONS_PER_ROOT + 7, 1000 * 8 };
	unsigned long nr;

	(void)state;
	assert_int_equal(memory_present(PHYS_PFN(ARENA_PA), PHYS_PFN(ARENA_END)), 0);
	assert_int_equal(memory_present(section_nr_to_pfn(want[1]), section_nr_to_pfn(want[1]) + 1),
			 0);
	assert_int_equal(memory_present(section_nr_to_pfn(want[2]), section_nr_to_pfn(want[2]) + 1),
			 0);
	expect_present(want, 3);
	/* The roots in between were cleared, never allocated. */
	assert_int_equal(sparse_stats.root_pages, 3);
	for (nr = 1; nr < SECTIONS_PER_ROOT; nr++)
		assert_false(present_section_nr(nr));
	assert_null(mem_section[1]);
	assert_int_equal(next_present_section_nr(want[2] + 1), -1ul);
}

static void pfn_page_conversions_are_one_addition(void **state)
{
	unsigned long pfn = PHYS_PFN(SZ_1G) + 12345;

	(void)state;
	assert_int_equal((unsigned long)vmemmap, VMEMMAP_START);
	assert_int_equal((unsigned long)pfn_to_page(pfn), VMEMMAP_START + pfn * 32);
	assert_int_equal(page_to_pfn(pfn_to_page(pfn)), pfn);
	assert_int_equal(section_nr_to_pfn(pfn_to_section_nr(pfn)), PHYS_PFN(SZ_1G));
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(one_dimm_marks_its_sections_and_one_run),
		T(holes_between_dimms_cost_no_sections),
		T(dimm_starting_mid_section_makes_whole_section_valid),
		T(hole_inside_one_section_keeps_it_one_section),
		T(range_crossing_section_boundary_marks_both),
		T(run_crossing_a_root_is_one_call),
		T(top_of_physical_address_space),
		T(memory_beyond_max_physmem_is_ignored_once),
		T(memory_use_is_proportional_to_present_sections),
		T(sixty_four_gib_needs_two_root_pages),
		T(summary_line_percentage_of_small_ram),
		T(nomap_memory_still_gets_struct_pages),
		T(second_sparse_init_populates_nothing_again),
		T(populate_failure_panics_and_leaves_sections_invalid),
		T(root_allocation_failure_is_enomem),
		T(empty_and_backwards_ranges_mark_nothing),
		T(for_each_present_section_skips_missing_roots),
		T(pfn_page_conversions_are_one_addition),
	};

	return cmocka_run_group_tests_name("sparse", tests, NULL, NULL);
}
