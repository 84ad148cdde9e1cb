// SPDX-License-Identifier: MIT
/*
 * The sparse selftest suite (`selftest=sparse`): checks of what
 * sparse_init() left at boot, on the live memory map. Read-only: nothing
 * here changes the sections or the vmemmap.
 *
 * tests/unit/test_sparse.c covers the section bookkeeping at length on
 * the host; here every case costs a few dozen instructions per memblock
 * region or present section, since the guest may run emulated (about a
 * million instructions a second).
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/vmemmap.h"
#include "kernel/selftest.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/sparse.h"

/* First pfn of memory region @i. */
static unsigned long region_first_pfn(unsigned long i)
{
	return PFN_DOWN(memblock.memory.regions[i].base);
}

/* Last pfn of memory region @i. */
static unsigned long region_last_pfn(unsigned long i)
{
	const struct memblock_region *r = &memblock.memory.regions[i];

	return PFN_DOWN(r->base + r->size - 1);
}

/* pfn_valid() at both edges of every memory region, and in the sections between them. */
static void pfn_valid_at_region_edges_and_in_holes(struct selftest *t)
{
	unsigned long i, prev_end_pfn = 0;

	ASSERT_TRUE(t, memblock.memory.cnt > 0);
	for (i = 0; i < memblock.memory.cnt; i++) {
		unsigned long first = region_first_pfn(i), last = region_last_pfn(i);
		/* The first section wholly above the previous region's end. */
		unsigned long hole = (prev_end_pfn + PAGES_PER_SECTION - 1) & PAGE_SECTION_MASK;

		EXPECT_TRUE(t, pfn_valid(first));
		EXPECT_TRUE(t, pfn_valid(last));
		/* Within the edge sections, pfns outside the region are valid too. */
		EXPECT_TRUE(t, pfn_valid(first & PAGE_SECTION_MASK));
		EXPECT_TRUE(t, pfn_valid(last | ~PAGE_SECTION_MASK));
		/* A whole section in the hole before this region: no struct pages. */
		if (hole + PAGES_PER_SECTION <= first) {
			EXPECT_FALSE(t, pfn_valid(hole));
			EXPECT_FALSE(t, pfn_valid(hole + PAGES_PER_SECTION - 1));
			EXPECT_FALSE(t, present_section_nr(pfn_to_section_nr(hole)));
		}
		prev_end_pfn = last + 1;
	}
	/* Past the last present section, and past the model's address space. */
	EXPECT_FALSE(t, pfn_valid((prev_end_pfn + PAGES_PER_SECTION - 1) & PAGE_SECTION_MASK));
	EXPECT_FALSE(t, pfn_valid(MAX_PHYS_PFN));
	EXPECT_FALSE(t, pfn_valid(MAX_PHYS_PFN - 1));
	EXPECT_FALSE(t, pfn_valid(~0ul));
}

/* pfn_to_page() is vmemmap + pfn, and page_to_pfn() undoes it, at each section's edges. */
static void pfn_to_page_round_trip(struct selftest *t)
{
	unsigned long nr;

	for_each_present_section(nr) {
		unsigned long first = section_nr_to_pfn(nr), last = first + PAGES_PER_SECTION - 1;

		EXPECT_EQ(t, (unsigned long)pfn_to_page(first),
			  VMEMMAP_START + first * sizeof(struct page));
		EXPECT_EQ(t, page_to_pfn(pfn_to_page(first)), first);
		EXPECT_EQ(t, page_to_pfn(pfn_to_page(last)), last);
	}
}

/*
 * Every present section has its memmap: the flags say so, both ends are
 * mapped writable (NX where the CPU has it on), and one struct page reads
 * without a fault.
 */
static void memmap_of_every_present_section_is_mapped(struct selftest *t)
{
	u64 nx = pgtable_prot_kernel_data() & _PAGE_NX;
	unsigned long nr, count = 0;

	for_each_present_section(nr) {
		unsigned long pfn = section_nr_to_pfn(nr);
		unsigned long va = (unsigned long)pfn_to_page(pfn);
		unsigned long va_last = (unsigned long)(pfn_to_page(pfn + PAGES_PER_SECTION) - 1);
		unsigned int shift = 0;
		u64 pte = pgtable_lookup(va, &shift);

		count++;
		EXPECT_TRUE(t, valid_section_nr(nr));
		EXPECT_TRUE(t, pte & _PAGE_RW);
		EXPECT_EQ(t, pte & _PAGE_NX, nx);
		EXPECT_NE(t, pgtable_lookup(va_last, &shift), 0);
		/* A read through the mapping: a missing one would fault here. */
		EXPECT_EQ(t, READ_ONCE(pfn_to_page(pfn)->_refcount), 0);
	}
	EXPECT_EQ(t, count, sparse_stats.present_sections);
	EXPECT_EQ(t, sparse_stats.memmap_sections, sparse_stats.present_sections);
	EXPECT_TRUE(t, count > 0);
}

/* Whether the struct page of @pfn is all zero. */
static bool page_is_zero(unsigned long pfn)
{
	const volatile unsigned long *w = (const volatile unsigned long *)pfn_to_page(pfn);

	for (size_t i = 0; i < sizeof(struct page) / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/* Whether the page allocator has a claim on @pfn's struct page (so it may be non-zero). */
static bool page_owned_by_allocator(unsigned long pfn)
{
	const struct page *page = pfn_to_page(pfn);

	return page_test_flag(page, PG_buddy) || page_test_flag(page, PG_pcp) ||
	       READ_ONCE(page->_refcount) > 0;
}

/*
 * The struct pages of free memory read as zero: the first and last page of
 * every free memblock range. Once the page allocator owns free memory, the
 * pages it has marked (free block heads, pages handed out) are its own
 * business and are passed over.
 */
static void free_memory_struct_pages_are_zero(struct selftest *t)
{
	phys_addr_t start, end;
	unsigned long checked = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		unsigned long first = PFN_UP(start), last = PFN_DOWN(end) - 1;

		if (PFN_UP(start) >= PFN_DOWN(end))
			continue;
		unsigned long pfns[] = { first, last };

		for (size_t k = 0; k < ARRAY_SIZE(pfns); k++) {
			EXPECT_TRUE(t, pfn_valid(pfns[k]));
			if (page_owned_by_allocator(pfns[k]))
				continue;
			EXPECT_TRUE(t, page_is_zero(pfns[k]));
			checked++;
		}
	}
	EXPECT_TRUE(t, checked > 0);
}

/*
 * The memmap was zero when it was populated: either the CPU cleared all of
 * it, or it was taken as zero and every sample read back as zero.
 */
static void memmap_was_zero_when_populated(struct selftest *t)
{
	unsigned long memmap = sparse_stats.memmap_sections * PAGES_PER_SECTION *
			       sizeof(struct page);

	EXPECT_EQ(t, vmemmap_nonzero_samples, 0);
	EXPECT_EQ(t, vmemmap_nr_2m_pages * PMD_SIZE + vmemmap_nr_4k_pages * PAGE_SIZE, memmap);
	if (vmemmap_cleared_bytes != memmap)
		EXPECT_TRUE(t, vmemmap_zero_samples >= 2 * (memmap / PMD_SIZE));
}

/*
 * The memory behind the memmap, the page tables mapping it and the section
 * roots is reserved in memblock, so nothing else can be given it.
 */
static void memmap_memory_is_reserved(struct selftest *t)
{
	unsigned long nr, root;

	for_each_present_section(nr) {
		unsigned int shift = 0;
		unsigned long va = (unsigned long)pfn_to_page(section_nr_to_pfn(nr));
		u64 pte = pgtable_lookup(va, &shift);
		phys_addr_t pa = (pte & PTE_PFN_MASK & ~((1ull << shift) - 1)) +
				 (va & ((1ul << shift) - 1));

		EXPECT_TRUE(t, pte && memblock_is_reserved(pa));
	}
	/* Root pages are reached through the identity map: their address is physical. */
	for (root = 0; root < mem_section_roots_cleared; root++)
		if (mem_section[root])
			EXPECT_TRUE(t, memblock_is_reserved((unsigned long)mem_section[root]));
}

/* The counters agree with the structures: one root page per root in use. */
static void root_pages_match_counters(struct selftest *t)
{
	unsigned long root, roots = 0;

	for (root = 0; root < mem_section_roots_cleared; root++)
		roots += mem_section[root] != NULL;
	EXPECT_EQ(t, roots, sparse_stats.root_pages);
	/* Proportional to present memory: at most one root per present section. */
	EXPECT_TRUE(t, roots <= sparse_stats.present_sections);
	EXPECT_TRUE(t, pgtable_nr_tables > 0);
}

static const struct selftest_case sparse_cases[] = {
	SELFTEST_CASE(pfn_valid_at_region_edges_and_in_holes),
	SELFTEST_CASE(pfn_to_page_round_trip),
	SELFTEST_CASE(memmap_of_every_present_section_is_mapped),
	SELFTEST_CASE(free_memory_struct_pages_are_zero),
	SELFTEST_CASE(memmap_was_zero_when_populated),
	SELFTEST_CASE(memmap_memory_is_reserved),
	SELFTEST_CASE(root_pages_match_counters),
};
SELFTEST_SUITE(sparse, sparse_cases);
