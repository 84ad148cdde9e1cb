// SPDX-License-Identifier: MIT
/*
 * Selftests of change-page-attribute on the direct map (asm/set_memory.h).
 * Each case takes 2 MiB buddy blocks whose direct-map leaf is still one
 * 2 MiB page (a block split by an earlier case or boot stays split: like
 * Linux, nothing merges leaves back), changes attributes in them, reads
 * the leaves back, and restores WB/RW before freeing.
 *
 *   one 2 MiB leaf                 set_memory_uc(va + 5 pages, 1)
 *   [..............................]   ->   512 x 4 KiB leaves, the 6th UC-
 *                                           DirectMap4k += 512, DirectMap2M -= 1
 */
#include "asm/direct_map.h"
#include "asm/extable.h"
#include "asm/fault.h"
#include "asm/memtype.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/set_memory.h"
#include "kernel/list.h"
#include "kernel/errno.h"
#include "kernel/selftest.h"
#include "mm/gfp.h"
#include "mm/lowmem_hog.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define PMD_ORDER (PMD_SHIFT - PAGE_SHIFT) /* a 2 MiB buddy block */
#define TWO_PMD_ORDER (PMD_ORDER + 1) /* two adjacent 2 MiB leaves */
#define PAGES_PER_PMD (1 << PMD_ORDER)
/*
 * Blocks tried before giving up on one mapped by the leaf size wanted: a
 * 1 GiB leaf holds 512 blocks, all tried before any below it.
 */
#define UNSPLIT_TRIES 1024
/* A range longer than the per-page flush ceiling (33): one full flush. */
#define LONG_RANGE_PAGES 64
#define RET_OPCODE 0xc3
#define MISALIGN 8 /* bytes into a page */

/* Whether every 2 MiB of [@va, @va + @size) is mapped by leaves of 1 << @shift bytes. */
static bool in_leaves(unsigned long va, unsigned long size, unsigned int shift_wanted)
{
	for (unsigned long off = 0; off < size; off += PMD_SIZE) {
		unsigned int shift;

		if (!pgtable_leaf_ptr(va + off, &shift) || shift != shift_wanted)
			return false;
	}
	return true;
}

/*
 * A block of 2^@order pages (2 MiB or more) whose direct map is made of
 * leaves of 1 << @shift bytes (2 MiB or 1 GiB), or NULL. Blocks that do
 * not qualify are chained through their lru (the owner's to use) and
 * freed before returning: the buddy allocator hands out the top of memory
 * first, which may be one large leaf.
 */
static struct page *alloc_in_leaves(unsigned int order, unsigned int shift_wanted,
				    unsigned long *va)
{
	struct list_head tried = LIST_HEAD_INIT(tried);
	struct page *found = NULL, *p, *n;

	for (unsigned int i = 0; i < UNSPLIT_TRIES; i++) {
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (!p)
			break;
		*va = (unsigned long)page_address(p);
		if (in_leaves(*va, PAGE_SIZE << order, shift_wanted)) {
			found = p;
			break;
		}
		list_add(&p->lru, &tried);
	}
	list_for_each_entry_safe(p, n, &tried, lru) {
		list_del(&p->lru);
		__free_pages(p, order);
	}
	return found;
}

/* A 2 MiB block mapped by one 2 MiB leaf of its own, or NULL. */
static struct page *alloc_unsplit_2m(unsigned long *va)
{
	return alloc_in_leaves(PMD_ORDER, PMD_SHIFT, va);
}

/* Take an unsplit 2 MiB block, or skip the case. */
static struct page *need_unsplit_2m(struct selftest *t, unsigned long *va)
{
	struct page *p = alloc_unsplit_2m(va);

	if (!p)
		selftest_skip(t, "no free 2 MiB block still mapped by a 2 MiB leaf");
	return p;
}

/* The leaf mapping @va and its size. */
static u64 leaf(unsigned long va, unsigned int *shift)
{
	return pgtable_lookup(va, shift);
}

/* The cache mode of the leaf mapping @va, whatever its size (_PAGE_CACHE_MODE_NUM: unmapped). */
static enum page_cache_mode pte_mode(unsigned long va)
{
	unsigned int shift;
	u64 e = leaf(va, &shift);

	return e ? pgprot2cachemode(e, shift != PAGE_SHIFT) : _PAGE_CACHE_MODE_NUM;
}

/*
 * A 4 KiB change inside a 2 MiB leaf splits exactly that leaf: +512 4k,
 * -1 2M; the PTEs keep every other bit of the leaf; a second change in the
 * same 2 MiB splits nothing.
 */
static void split_one_leaf_for_4k(struct selftest *t)
{
	unsigned long va, d4 = direct_map_pages_4k, d2, s2;
	struct page *p = need_unsplit_2m(t, &va);
	unsigned int shift;
	u64 large, pa;

	if (!p)
		return;
	pa = __pa(va);
	large = leaf(va, &shift);
	d4 = direct_map_pages_4k;
	d2 = direct_map_pages_2m;
	s2 = cpa_stats.splits_2m;
	ASSERT_EQ(t, set_memory_uc(va + 5 * PAGE_SIZE, 1), 0);
	EXPECT_EQ(t, direct_map_pages_4k, d4 + PAGES_PER_PMD);
	EXPECT_EQ(t, direct_map_pages_2m, d2 - 1);
	EXPECT_EQ(t, cpa_stats.splits_2m, s2 + 1);
	EXPECT_EQ(t, pte_mode(va + 5 * PAGE_SIZE), _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_lookup(pa + 5 * PAGE_SIZE), _PAGE_CACHE_MODE_UC_MINUS);
	for (unsigned long i = 0; i < PAGES_PER_PMD; i++) {
		u64 e = leaf(va + i * PAGE_SIZE, &shift);

		if (i == 5)
			continue;
		/* Same frame, same bits as the large leaf (PSE gone; PAT at bit 7 if set). */
		if (!EXPECT_EQ(t, shift, PAGE_SHIFT) ||
		    !EXPECT_EQ(t, e & PTE_PFN_MASK, pa + i * PAGE_SIZE) ||
		    !EXPECT_EQ(t, e & ~PTE_PFN_MASK, large & ~PTE_PFN_MASK & ~_PAGE_PSE))
			break;
	}
	/* Second change in the same 2 MiB: nothing left to split. */
	ASSERT_EQ(t, set_memory_wc(va + 7 * PAGE_SIZE, 1), 0);
	EXPECT_EQ(t, direct_map_pages_4k, d4 + PAGES_PER_PMD);
	EXPECT_EQ(t, direct_map_pages_2m, d2 - 1);
	EXPECT_EQ(t, cpa_stats.splits_2m, s2 + 1);
	EXPECT_EQ(t, pte_mode(va + 7 * PAGE_SIZE), pat_enabled() ? _PAGE_CACHE_MODE_WC :
								    _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, set_memory_wb(va + 5 * PAGE_SIZE, 1), 0);
	EXPECT_EQ(t, set_memory_wb(va + 7 * PAGE_SIZE, 1), 0);
	EXPECT_EQ(t, pte_mode(va + 5 * PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_lookup(pa + 5 * PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	__free_pages(p, PMD_ORDER);
}

/* A change covering a whole 2 MiB leaf rewrites it in place: no split, PAT at bit 12. */
static void whole_leaf_kept_large(struct selftest *t)
{
	static const enum page_cache_mode modes[] = {
		_PAGE_CACHE_MODE_WT, _PAGE_CACHE_MODE_WP, _PAGE_CACHE_MODE_UC,
		_PAGE_CACHE_MODE_WC, _PAGE_CACHE_MODE_UC_MINUS, _PAGE_CACHE_MODE_WB,
	};
	unsigned long va, d2 = direct_map_pages_2m, kept = cpa_stats.large_kept;
	struct page *p = need_unsplit_2m(t, &va);
	unsigned int shift;

	if (!p)
		return;
	d2 = direct_map_pages_2m;
	for (unsigned int i = 0; i < ARRAY_SIZE(modes); i++) {
		u64 e;

		ASSERT_EQ(t, _set_memory_cachemode(va, PAGES_PER_PMD, modes[i]), 0);
		e = leaf(va, &shift);
		EXPECT_EQ(t, shift, PMD_SHIFT);
		EXPECT_TRUE(t, e & _PAGE_PSE);
		EXPECT_EQ(t, pgprot2cachemode(e, true), modes[i]);
	}
	EXPECT_EQ(t, direct_map_pages_2m, d2);
	EXPECT_EQ(t, cpa_stats.large_kept, kept + ARRAY_SIZE(modes));
	/* Asking for what the leaf already has changes nothing at all. */
	EXPECT_EQ(t, set_memory_rw(va, 1), 0);
	EXPECT_EQ(t, leaf(va, &shift) & _PAGE_PSE, _PAGE_PSE);
	EXPECT_EQ(t, cpa_stats.large_kept, kept + ARRAY_SIZE(modes));
	__free_pages(p, PMD_ORDER);
}

/* Every PAT cache mode round-trips through the 4 KiB PTE bits. */
static void cache_modes_round_trip(struct selftest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long va;

	ASSERT_TRUE(t, p);
	va = (unsigned long)page_address(p);
	for (int m = 0; m < _PAGE_CACHE_MODE_NUM; m++) {
		ASSERT_EQ(t, _set_memory_cachemode(va, 1, (enum page_cache_mode)m), 0);
		EXPECT_EQ(t, pte_mode(va), m);
	}
	if (pat_enabled()) {
		ASSERT_EQ(t, set_memory_uc(va, 1), 0);
		EXPECT_EQ(t, pte_mode(va), _PAGE_CACHE_MODE_UC_MINUS);
		EXPECT_EQ(t, set_memory_wb(va, 1), 0);
		ASSERT_EQ(t, set_memory_wc(va, 1), 0);
		EXPECT_EQ(t, pte_mode(va), _PAGE_CACHE_MODE_WC);
		EXPECT_EQ(t, set_memory_wb(va, 1), 0);
		/* A misaligned address means its page (Linux WARNs and does the same). */
		ASSERT_EQ(t, set_memory_uc(va + MISALIGN, 1), 0);
		EXPECT_EQ(t, pte_mode(va), _PAGE_CACHE_MODE_UC_MINUS);
		EXPECT_EQ(t, memtype_lookup(__pa(va)), _PAGE_CACHE_MODE_UC_MINUS);
		EXPECT_EQ(t, set_memory_wb(va + MISALIGN, 1), 0);
		EXPECT_EQ(t, memtype_lookup(__pa(va)), _PAGE_CACHE_MODE_WB);
	}
	EXPECT_EQ(t, _set_memory_cachemode(va, 1, _PAGE_CACHE_MODE_WB), 0);
	EXPECT_EQ(t, pte_mode(va), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, _set_memory_cachemode(va, 1, _PAGE_CACHE_MODE_NUM), -EINVAL);
	__free_page(p);
}

/* set_memory_uc reserves the memtype: a later WC request is refused, until set_memory_wb. */
static void memtype_conflict_refused(struct selftest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long va;

	if (!pat_enabled()) {
		selftest_skip(t, "PAT not enabled: memtypes are not tracked");
		if (p)
			__free_page(p);
		return;
	}
	ASSERT_TRUE(t, p);
	va = (unsigned long)page_address(p);
	ASSERT_EQ(t, set_memory_uc(va, 1), 0);
	EXPECT_EQ(t, set_memory_wc(va, 1), -EBUSY);
	EXPECT_EQ(t, pte_mode(va), _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, set_memory_uc(va, 1), -EBUSY); /* RAM: one reservation per page */
	EXPECT_EQ(t, set_memory_wb(va, 1), 0);
	EXPECT_EQ(t, memtype_lookup(__pa(va)), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, set_memory_wc(va, 1), 0);
	EXPECT_EQ(t, set_memory_wb(va, 1), 0);
	__free_page(p);
}

/* set_memory_ro: RW clear, a write faults (write, protection); set_memory_rw: it works again. */
static void ro_then_write_faults(struct selftest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned long va, faults;
	const struct fault_info *fi;
	unsigned int shift;
	u64 v = 0;

	ASSERT_TRUE(t, p);
	va = (unsigned long)page_address(p);
	ASSERT_EQ(t, set_memory_ro(va, 1), 0);
	EXPECT_EQ(t, leaf(va, &shift) & _PAGE_RW, 0);
	EXPECT_EQ(t, probe_read_u64((void *)va, &v), 0);
	faults = nr_probe_faults;
	EXPECT_EQ(t, probe_write_u64((void *)va, 0x1234), -EFAULT);
	EXPECT_EQ(t, nr_probe_faults, faults + 1);
	fi = probe_last_fault();
	EXPECT_EQ(t, fi->addr, va);
	EXPECT_EQ(t, fi->error_code & (X86_PF_PROT | X86_PF_WRITE), X86_PF_PROT | X86_PF_WRITE);
	ASSERT_EQ(t, set_memory_rw(va, 1), 0);
	EXPECT_TRUE(t, leaf(va, &shift) & _PAGE_RW);
	EXPECT_EQ(t, probe_write_u64((void *)va, 0x1234), 0);
	EXPECT_EQ(t, *(volatile u64 *)va, 0x1234);
	__free_page(p);
}

/* set_memory_x lets a RET run there; set_memory_nx makes the fetch fault. */
static void nx_and_x(struct selftest *t)
{
	struct page *p;
	unsigned long va;
	unsigned int shift;

	if (!(pgtable_prot_kernel_data() & _PAGE_NX)) {
		selftest_skip(t, "EFER.NXE is off: no NX bit (set_memory_nx/x do nothing)");
		return;
	}
	p = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, p);
	va = (unsigned long)page_address(p);
	*(volatile u8 *)va = RET_OPCODE;
	EXPECT_TRUE(t, leaf(va, &shift) & _PAGE_NX); /* the direct map is NX from boot */
	ASSERT_EQ(t, set_memory_x(va, 1), 0);
	EXPECT_EQ(t, leaf(va, &shift) & _PAGE_NX, 0);
	EXPECT_EQ(t, probe_exec((void *)va), 0);
	ASSERT_EQ(t, set_memory_nx(va, 1), 0);
	EXPECT_TRUE(t, leaf(va, &shift) & _PAGE_NX);
	EXPECT_EQ(t, probe_exec((void *)va), -EFAULT);
	EXPECT_EQ(t, probe_last_fault()->error_code & X86_PF_INSTR, X86_PF_INSTR);
	__free_page(p);
}

/*
 * A split that fails for want of a page-table page changes nothing, not
 * even the pages before it in the range:
 *
 *   [ 4 KiB leaves (split before) ][ one 2 MiB leaf              ]
 *                         set_memory_ro(^ last page, 2 pages)
 *   with lowmem exhausted: -ENOMEM, and the last 4 KiB page still RW.
 */
static void failed_split_changes_nothing(struct selftest *t)
{
	unsigned long va, last, d4, d2;
	struct lowmem_hog hog;
	unsigned int shift;
	struct page *p;
	int err;

	p = alloc_in_leaves(TWO_PMD_ORDER, PMD_SHIFT, &va);
	if (!p) {
		selftest_skip(t, "no free 4 MiB block still mapped by two 2 MiB leaves");
		return;
	}
	last = va + PMD_SIZE - PAGE_SIZE;
	/* Split the first leaf while there is memory for it. */
	ASSERT_EQ(t, set_memory_ro(last, 1), 0);
	ASSERT_EQ(t, set_memory_rw(last, 1), 0);
	d4 = direct_map_pages_4k;
	d2 = direct_map_pages_2m;
	lowmem_hog_take(&hog);
	err = set_memory_ro(last, 2);
	lowmem_hog_release(&hog);
	EXPECT_EQ(t, err, -ENOMEM);
	EXPECT_TRUE(t, leaf(last, &shift) & _PAGE_RW);
	EXPECT_EQ(t, shift, PAGE_SHIFT);
	EXPECT_TRUE(t, leaf(va + PMD_SIZE, &shift) & _PAGE_RW);
	EXPECT_EQ(t, shift, PMD_SHIFT);
	EXPECT_EQ(t, direct_map_pages_4k, d4);
	EXPECT_EQ(t, direct_map_pages_2m, d2);
	/* With memory back, the same call works. */
	EXPECT_EQ(t, set_memory_ro(last, 2), 0);
	EXPECT_EQ(t, leaf(last, &shift) & _PAGE_RW, 0);
	EXPECT_EQ(t, set_memory_rw(last, 2), 0);
	EXPECT_TRUE(t, leaf(last, &shift) & _PAGE_RW);
	__free_pages(p, TWO_PMD_ORDER);
}

/* One flush per call: a long range is one full flush, not one per page. */
static void one_flush_per_call(struct selftest *t)
{
	unsigned long va, full, calls;
	struct page *p = need_unsplit_2m(t, &va);

	if (!p)
		return;
	full = nr_tlb_flush_all;
	calls = cpa_stats.flushes;
	ASSERT_EQ(t, set_memory_ro(va + PAGE_SIZE, LONG_RANGE_PAGES), 0);
	EXPECT_EQ(t, nr_tlb_flush_all, full + 1);
	EXPECT_EQ(t, cpa_stats.flushes, calls + 1);
	ASSERT_EQ(t, set_memory_rw(va + PAGE_SIZE, LONG_RANGE_PAGES), 0);
	EXPECT_EQ(t, nr_tlb_flush_all, full + 2);
	/* Nothing to change: no flush at all. */
	ASSERT_EQ(t, set_memory_rw(va + PAGE_SIZE, LONG_RANGE_PAGES), 0);
	EXPECT_EQ(t, nr_tlb_flush_all, full + 2);
	EXPECT_EQ(t, cpa_stats.flushes, calls + 2);
	__free_pages(p, PMD_ORDER);
}

/* DirectMap4k/2M/1G add up to the lowmem RAM the direct map covers, after every split. */
static void counters_add_up(struct selftest *t)
{
	phys_addr_t start, end, limit = PFN_PHYS(max_low_pfn);
	unsigned long pages = 0;
	u64 i;

	for_each_mem_range(i, &start, &end) {
		if (start >= limit)
			break;
		pages += ((end < limit ? end : limit) - start) >> PAGE_SHIFT;
	}
	EXPECT_EQ(t, direct_map_pages_4k + direct_map_pages_2m * PAGES_PER_PMD +
			     direct_map_pages_1g * PAGES_PER_PMD * PTRS_PER_TABLE,
		  pages);
}

/* Addresses outside the direct map, holes and bad counts are refused; nothing changes. */
static void outside_direct_map_refused(struct selftest *t)
{
	unsigned long beyond = (unsigned long)__va(PFN_PHYS(max_low_pfn));
	unsigned long isa = (unsigned long)__va(0xa0000);
	unsigned int shift;

	EXPECT_EQ(t, set_memory_uc(0xffffc90000000000ul, 1), -EINVAL); /* vmalloc space */
	EXPECT_EQ(t, set_memory_ro(__START_KERNEL_map + KERNEL_PHYS_START, 1), -EINVAL);
	EXPECT_EQ(t, set_memory_nx(0x1000, 1), -EINVAL);
	EXPECT_EQ(t, set_memory_rw(beyond, 1), -EINVAL);
	EXPECT_EQ(t, set_memory_rw(beyond - PAGE_SIZE, 2), -EINVAL); /* straddles the end */
	EXPECT_EQ(t, set_memory_ro(PAGE_OFFSET + PAGE_SIZE * 0x100, -1), -EINVAL);
	EXPECT_EQ(t, set_memory_ro(PAGE_OFFSET + PAGE_SIZE * 0x100, 0), 0);
	if (!pgtable_leaf_ptr(isa, &shift)) {
		/* A hole in lowmem (the legacy VGA/BIOS area) was never mapped. */
		EXPECT_EQ(t, set_memory_uc(isa, 1), -EINVAL);
		EXPECT_EQ(t, pgtable_leaf_ptr(isa, &shift), NULL);
	}
}

/*
 * A 4 KiB change in a 1 GiB leaf splits it twice (1 GiB -> 2 MiB -> 4 KiB);
 * without 1 GiB leaves in the direct map there is nothing to check.
 */
static void split_1g_twice(struct selftest *t)
{
	unsigned long va = 0, d1 = direct_map_pages_1g, d2, d4, s1;
	unsigned int shift = 0;
	struct page *p;

	if (!d1) {
		selftest_skip(t, direct_gbpages ?
					 "no 1 GiB leaf left (lowmem below 1 GiB, or split)" :
					 "CPU without pdpe1gb: no 1 GiB leaf in the direct map");
		return;
	}
	p = alloc_in_leaves(PMD_ORDER, PUD_SHIFT, &va);
	if (!p) {
		selftest_skip(t, "no free 2 MiB block inside a 1 GiB leaf");
		return;
	}
	d2 = direct_map_pages_2m;
	d4 = direct_map_pages_4k;
	s1 = cpa_stats.splits_1g;
	ASSERT_EQ(t, set_memory_ro(va, 1), 0);
	EXPECT_EQ(t, direct_map_pages_1g, d1 - 1);
	EXPECT_EQ(t, direct_map_pages_2m, d2 + PTRS_PER_TABLE - 1);
	EXPECT_EQ(t, direct_map_pages_4k, d4 + PAGES_PER_PMD);
	EXPECT_EQ(t, cpa_stats.splits_1g, s1 + 1);
	EXPECT_EQ(t, leaf(va, &shift) & _PAGE_RW, 0);
	EXPECT_EQ(t, shift, PAGE_SHIFT);
	/* The other 2 MiB of the same 1 GiB stay one leaf each. */
	EXPECT_EQ(t, leaf(va ^ PMD_SIZE, &shift) & _PAGE_PSE, _PAGE_PSE);
	EXPECT_EQ(t, shift, PMD_SHIFT);
	EXPECT_EQ(t, set_memory_rw(va, 1), 0);
	__free_pages(p, PMD_ORDER);
}

static const struct selftest_case set_memory_cases[] = {
	SELFTEST_CASE(split_1g_twice), /* first: later cases may split the 1 GiB leaves */
	SELFTEST_CASE(split_one_leaf_for_4k),
	SELFTEST_CASE(whole_leaf_kept_large),
	SELFTEST_CASE(cache_modes_round_trip),
	SELFTEST_CASE(memtype_conflict_refused),
	SELFTEST_CASE(ro_then_write_faults),
	SELFTEST_CASE(nx_and_x),
	SELFTEST_CASE(one_flush_per_call),
	SELFTEST_CASE(outside_direct_map_refused),
	SELFTEST_CASE(failed_split_changes_nothing),
	SELFTEST_CASE(counters_add_up),
};
SELFTEST_SUITE(set_memory, set_memory_cases);
