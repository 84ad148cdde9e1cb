// SPDX-License-Identifier: MIT
/*
 * Selftests of the runtime page-table primitives (asm/pgtable.h): map and
 * unmap with buddy page-table pages, PTE slots, splitting a 2 MiB leaf with
 * its PAT bit, full flushes. They work in a scratch window of the address
 * space that nothing else uses (Linux x86-64's unused hole below the
 * vmalloc area) and leave it unmapped.
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/errno.h"
#include "kernel/selftest.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

/* Scratch window: 0xffffc88000000000 starts Linux's unused 0.5 TiB hole. */
#define SCRATCH_VA 0xffffc88000000000ul
#define TEST_PAGES 4
#define TEST_ORDER 2 /* 2^TEST_ORDER == TEST_PAGES */
#define LARGE_ORDER 9 /* a 2 MiB block */
#define PAGES_PER_PMD (PMD_SIZE / PAGE_SIZE)

/* Map four buddy pages, write through the new mapping, read through the direct map. */
static void map_write_read_unmap(struct selftest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, TEST_ORDER);
	unsigned long before = pgtable_nr_tables, va = SCRATCH_VA;
	phys_addr_t pa;
	unsigned int shift;

	ASSERT_TRUE(t, page);
	pa = PFN_PHYS(page_to_pfn(page));
	ASSERT_EQ(t, kernel_map_range(va, pa, TEST_PAGES * PAGE_SIZE, pgtable_prot_kernel_data(),
				      0), 0);
	/* A fresh window needs a PUD, PMD and PT page, from the buddy allocator now. */
	EXPECT_TRUE(t, pgtable_nr_tables >= before);
	for (unsigned int i = 0; i < TEST_PAGES; i++) {
		EXPECT_EQ(t, pgtable_lookup(va + i * PAGE_SIZE, &shift) & PTE_PFN_MASK,
			  pa + i * PAGE_SIZE);
		EXPECT_EQ(t, shift, PAGE_SHIFT);
		*(volatile u32 *)(va + i * PAGE_SIZE) = 0x5a5a0000u + i;
	}
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		EXPECT_EQ(t, *(volatile u32 *)((unsigned long)__va(pa) + i * PAGE_SIZE),
			  0x5a5a0000u + i);
	/* Mapping over a present page is refused. */
	EXPECT_EQ(t, kernel_map_range(va, pa, PAGE_SIZE, pgtable_prot_kernel_data(), 0), -EINVAL);
	EXPECT_EQ(t, kernel_unmap_range(va, TEST_PAGES * PAGE_SIZE), 0);
	for (unsigned int i = 0; i < TEST_PAGES; i++)
		EXPECT_EQ(t, pgtable_lookup(va + i * PAGE_SIZE, &shift), 0);
	__free_pages(page, TEST_ORDER);
}

/* pgtable_pte_alloc() gives the slot kernel_map_range() would fill. */
static void pte_slot_is_the_mapping(struct selftest *t)
{
	unsigned long va = SCRATCH_VA + PMD_SIZE;
	unsigned long pfn = get_zeroed_page_pfn(GFP_KERNEL);
	unsigned int shift;
	u64 *pte;

	ASSERT_TRUE(t, pfn);
	pte = pgtable_pte_alloc(va);
	ASSERT_TRUE(t, pte);
	EXPECT_EQ(t, *pte, 0);
	*pte = PFN_PHYS(pfn) | pgtable_prot_kernel_data();
	EXPECT_EQ(t, pgtable_leaf_ptr(va, &shift), pte);
	EXPECT_EQ(t, *(volatile u64 *)va, 0);
	*pte = 0;
	flush_tlb_one_kernel(va);
	EXPECT_EQ(t, pgtable_leaf_ptr(va, &shift), NULL);
	free_pages_pfn(pfn, 0);
}

/*
 * A 2 MiB leaf with the PAT bit (bit 12) splits into 512 4 KiB leaves with
 * PAT at bit 7, the same physical pages and the same other bits; unmap
 * refuses a large leaf, and works after the split.
 */
static void split_moves_pat_bit(struct selftest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, LARGE_ORDER);
	unsigned long va = SCRATCH_VA + 2 * PUD_SIZE;
	u64 prot = pgtable_prot_kernel_data() | _PAGE_PAT; /* 4 KiB encoding: moved to bit 12 */
	unsigned int shift;
	phys_addr_t pa;
	u64 large;

	if (!page) {
		selftest_skip(t, "no free 2 MiB block");
		return;
	}
	pa = PFN_PHYS(page_to_pfn(page));
	ASSERT_EQ(t, kernel_map_range(va, pa, PMD_SIZE, prot, PGTABLE_MAP_LARGE), 0);
	large = pgtable_lookup(va, &shift);
	EXPECT_EQ(t, shift, PMD_SHIFT);
	EXPECT_TRUE(t, large & _PAGE_PAT_LARGE);
	EXPECT_TRUE(t, large & _PAGE_PSE);
	EXPECT_EQ(t, large & PTE_PFN_MASK & ~_PAGE_PAT_LARGE, pa);
	EXPECT_EQ(t, kernel_unmap_range(va, PAGE_SIZE), -EINVAL);
	ASSERT_EQ(t, pgtable_split_large(va + PAGE_SIZE), 0);
	for (unsigned long i = 0; i < PAGES_PER_PMD; i++) {
		u64 pte = pgtable_lookup(va + i * PAGE_SIZE, &shift);

		if (!EXPECT_EQ(t, shift, PAGE_SHIFT) ||
		    !EXPECT_EQ(t, pte & PTE_PFN_MASK, pa + i * PAGE_SIZE) ||
		    !EXPECT_EQ(t, pte & ~PTE_PFN_MASK, prot | _PAGE_PRESENT))
			break;
	}
	EXPECT_EQ(t, pgtable_split_large(va), -EINVAL); /* already 4 KiB */
	EXPECT_EQ(t, kernel_unmap_range(va, PMD_SIZE), 0);
	EXPECT_EQ(t, pgtable_lookup(va + PMD_SIZE - PAGE_SIZE, &shift), 0);
	__free_pages(page, LARGE_ORDER);
}

/*
 * A map that runs into a present page leaves nothing of itself behind,
 * whatever the leaf size it had reached:
 *
 *   va: [ free | free | taken | free ]   map 4 pages -> -EINVAL, pages 0-1 free
 *   va: [ 2 MiB (free)      | taken ]    map 2 MiB + 4 KiB, large -> -EINVAL, no 2 MiB leaf
 */
static void failed_map_leaves_nothing(struct selftest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, LARGE_ORDER);
	unsigned long va = SCRATCH_VA + 3 * PUD_SIZE;
	u64 prot = pgtable_prot_kernel_data();
	unsigned int shift;
	phys_addr_t pa;

	if (!page) {
		selftest_skip(t, "no free 2 MiB block");
		return;
	}
	pa = PFN_PHYS(page_to_pfn(page));
	ASSERT_EQ(t, kernel_map_range(va + 2 * PAGE_SIZE, pa, PAGE_SIZE, prot, 0), 0);
	EXPECT_EQ(t, kernel_map_range(va, pa, TEST_PAGES * PAGE_SIZE, prot, 0), -EINVAL);
	EXPECT_EQ(t, pgtable_lookup(va, &shift), 0);
	EXPECT_EQ(t, pgtable_lookup(va + PAGE_SIZE, &shift), 0);
	EXPECT_EQ(t, pgtable_lookup(va + 2 * PAGE_SIZE, &shift) & PTE_PFN_MASK, pa);
	EXPECT_EQ(t, pgtable_lookup(va + 3 * PAGE_SIZE, &shift), 0);
	EXPECT_EQ(t, kernel_unmap_range(va + 2 * PAGE_SIZE, PAGE_SIZE), 0);

	va += PUD_SIZE;
	ASSERT_EQ(t, kernel_map_range(va + PMD_SIZE, pa, PAGE_SIZE, prot, 0), 0);
	EXPECT_EQ(t, kernel_map_range(va, pa, PMD_SIZE + PAGE_SIZE, prot, PGTABLE_MAP_LARGE),
		  -EINVAL);
	EXPECT_EQ(t, pgtable_lookup(va, &shift), 0);
	EXPECT_EQ(t, pgtable_lookup(va + PMD_SIZE, &shift) & PTE_PFN_MASK, pa);
	EXPECT_EQ(t, kernel_unmap_range(va + PMD_SIZE, PAGE_SIZE), 0);
	__free_pages(page, LARGE_ORDER);
}

/* A long range flush is one full flush; a short one is none. */
static void range_flush_ceiling(struct selftest *t)
{
	unsigned long n = nr_tlb_flush_all;

	flush_tlb_kernel_range(SCRATCH_VA, SCRATCH_VA + 2 * PAGE_SIZE);
	EXPECT_EQ(t, nr_tlb_flush_all, n);
	flush_tlb_kernel_range(SCRATCH_VA, SCRATCH_VA + PMD_SIZE);
	EXPECT_EQ(t, nr_tlb_flush_all, n + 1);
}

/* Bad arguments change nothing. */
static void bad_arguments_refused(struct selftest *t)
{
	unsigned int shift;

	EXPECT_EQ(t, kernel_unmap_range(SCRATCH_VA + 1, PAGE_SIZE), -EINVAL);
	EXPECT_EQ(t, kernel_unmap_range(0x1000, PAGE_SIZE), -EINVAL);
	EXPECT_EQ(t, pgtable_pte_alloc(0x1000), NULL);
	EXPECT_EQ(t, pgtable_split_large(SCRATCH_VA), -EINVAL);
	EXPECT_EQ(t, pgtable_leaf_ptr(SCRATCH_VA, &shift), NULL);
}

static const struct selftest_case pgtable_cases[] = {
	SELFTEST_CASE(map_write_read_unmap),   SELFTEST_CASE(pte_slot_is_the_mapping),
	SELFTEST_CASE(split_moves_pat_bit),    SELFTEST_CASE(range_flush_ceiling),
	SELFTEST_CASE(bad_arguments_refused), SELFTEST_CASE(failed_map_leaves_nothing),
};
SELFTEST_SUITE(pgtable, pgtable_cases);
