// SPDX-License-Identifier: MIT
/*
 * Selftests of the memtype reservations (asm/memtype.h): RAM pages with one
 * type each, non-RAM reservations that may overlap only when their types
 * agree, the MTRR hint on WB requests, frees, and the untracked ISA hole.
 *
 * Physical ranges used (none of them is mapped or touched, only reserved):
 *
 *   0 ... ISA hole [0xa0000, 0x100000) ... RAM ... | far non-RAM, past the
 *   last E820 entry (MTRR default type: WB under ./vmm, MTRRs off: UC-
 *   under QEMU microvm)  and the PCI hole at 0xd0000000 that ./vmm's
 *   MTRRs make UC.
 */
#include "asm/memtype.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "kernel/errno.h"
#include "kernel/selftest.h"
#include "mm/e820_setup.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

/* A page in the 32-bit PCI hole, clear of the local APIC and the I/O APIC. */
#define HOLE_TEST_ADDR 0xd0000000ull
/* The far non-RAM range starts this far above the last E820 entry (1 GiB aligned). */
#define FAR_GAP PUD_SIZE

/* Nothing is tracked without PAT: skip (and say so) rather than pass vacuously. */
static bool need_pat(struct selftest *t)
{
	if (pat_enabled())
		return true;
	selftest_skip(t, "PAT not enabled: memtypes are not tracked");
	return false;
}

/*
 * 2^@order RAM pages for a RAM case, their physical address in *@pa, or
 * NULL with the case skipped (no PAT) or failed (no memory).
 */
static struct page *need_pat_ram(struct selftest *t, unsigned int order, u64 *pa)
{
	struct page *page;

	if (!need_pat(t))
		return NULL;
	page = alloc_pages(GFP_KERNEL, order);
	if (!EXPECT_TRUE(t, page))
		return NULL;
	*pa = PFN_PHYS(page_to_pfn(page));
	return page;
}

/* A page-aligned non-RAM address above every E820 entry. */
static u64 far_nonram(void)
{
	u64 top = 0;

	for (u32 i = 0; i < e820_table.nr_entries; i++) {
		u64 end = e820_table.entries[i].addr + e820_table.entries[i].size;

		if (end > top)
			top = end;
	}
	return ((top + PUD_SIZE - 1) & ~(PUD_SIZE - 1)) + FAR_GAP;
}

/* What a WB request becomes at [@start, @end): WB only where the MTRRs say WB. */
static enum page_cache_mode wb_after_mtrr(u64 start, u64 end)
{
	u8 uniform;

	return mtrr_type_lookup(start, end, &uniform) == MTRR_TYPE_WRBACK ?
		       _PAGE_CACHE_MODE_WB : _PAGE_CACHE_MODE_UC_MINUS;
}

/* RAM: one type per page, WB by default; a second, different type is refused. */
static void ram_one_type_per_page(struct selftest *t)
{
	enum page_cache_mode nt = _PAGE_CACHE_MODE_NUM;
	unsigned long n = memtype_nr_entries();
	u64 pa;
	struct page *page = need_pat_ram(t, 1, &pa);

	if (!page)
		return;
	EXPECT_EQ(t, pat_pagerange_is_ram(pa, pa + 2 * PAGE_SIZE), 1);
	EXPECT_EQ(t, memtype_lookup(pa), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_UC_MINUS, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_lookup(pa), _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_lookup(pa + PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_nr_entries(), n + 1);
	/* Any second reservation overlapping it is refused, WB included, and names the type. */
	EXPECT_EQ(t, memtype_reserve(pa, pa + 2 * PAGE_SIZE, _PAGE_CACHE_MODE_WC, NULL), -EBUSY);
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_WB, &nt), -EBUSY);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_UC_MINUS);
	/* The neighbour page is still free to take a type. */
	EXPECT_EQ(t, memtype_reserve(pa + PAGE_SIZE, pa + 2 * PAGE_SIZE, _PAGE_CACHE_MODE_WC, &nt),
		  0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_WC);
	EXPECT_EQ(t, memtype_free(pa, pa + 2 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_lookup(pa), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_lookup(pa + PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_nr_entries(), n);
	/* Linux's RAM rules: WP refused, strong UC downgraded to UC-, WB always WB. */
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_WP, &nt), -EINVAL);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_UC, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_free(pa, pa + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_WB, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_free(pa, pa + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_nr_entries(), n);
	__free_pages(page, 1);
}

/* Freeing the middle of a RAM reservation leaves its two ends typed. */
static void ram_free_middle(struct selftest *t)
{
	unsigned long n = memtype_nr_entries();
	u64 pa;
	struct page *page = need_pat_ram(t, 2, &pa);

	if (!page)
		return;
	ASSERT_EQ(t, memtype_reserve(pa, pa + 4 * PAGE_SIZE, _PAGE_CACHE_MODE_WC, NULL), 0);
	EXPECT_EQ(t, memtype_free(pa + PAGE_SIZE, pa + 3 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_nr_entries(), n + 2);
	EXPECT_EQ(t, memtype_lookup(pa), _PAGE_CACHE_MODE_WC);
	EXPECT_EQ(t, memtype_lookup(pa + PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_lookup(pa + 2 * PAGE_SIZE), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_lookup(pa + 3 * PAGE_SIZE), _PAGE_CACHE_MODE_WC);
	memtype_show(); /* two RAM ranges, for tests/integration/memtype_cpa.sh */
	EXPECT_EQ(t, memtype_free(pa, pa + 4 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_nr_entries(), n);
	__free_pages(page, 2);
}

/*
 * Non-RAM: a WB reservation, then UC over part of it is refused ("conflicting
 * memory types"); asked with new_type the same request is granted the
 * existing type; the same type overlapping is fine.
 *
 *   [a        a+2p)          first, WB (or UC- where the MTRRs are not WB)
 *        [a+p        a+3p)   UC: refused; with new_type: granted the first's type
 */
static void nonram_conflict(struct selftest *t)
{
	u64 a = far_nonram();
	enum page_cache_mode first = _PAGE_CACHE_MODE_NUM, nt = _PAGE_CACHE_MODE_NUM;
	unsigned long n = memtype_nr_entries();

	if (!need_pat(t))
		return;
	EXPECT_EQ(t, pat_pagerange_is_ram(a, a + 3 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_lookup(a), _PAGE_CACHE_MODE_UC_MINUS); /* untracked non-RAM */
	ASSERT_EQ(t, memtype_reserve(a, a + 2 * PAGE_SIZE, _PAGE_CACHE_MODE_WB, &first), 0);
	EXPECT_EQ(t, first, wb_after_mtrr(a, a + 2 * PAGE_SIZE));
	EXPECT_EQ(t, memtype_lookup(a + PAGE_SIZE), first);
	EXPECT_EQ(t, memtype_reserve(a + PAGE_SIZE, a + 3 * PAGE_SIZE, _PAGE_CACHE_MODE_UC, NULL),
		  -EBUSY);
	EXPECT_EQ(t, memtype_nr_entries(), n + 1);
	EXPECT_EQ(t, memtype_reserve(a + PAGE_SIZE, a + 3 * PAGE_SIZE, _PAGE_CACHE_MODE_UC, &nt),
		  0);
	EXPECT_EQ(t, nt, first);
	EXPECT_EQ(t, memtype_lookup(a + 2 * PAGE_SIZE), first);
	/* Exactly the first's type, without new_type: compatible, granted. */
	EXPECT_EQ(t, memtype_reserve(a, a + PAGE_SIZE, first, NULL), 0);
	EXPECT_EQ(t, memtype_nr_entries(), n + 3);
	/* Three overlapping entries of one type, for tests/integration/memtype_cpa.sh. */
	memtype_show();
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_free(a + PAGE_SIZE, a + 3 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_free(a, a + 2 * PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_nr_entries(), n);
	EXPECT_EQ(t, memtype_lookup(a), _PAGE_CACHE_MODE_UC_MINUS);
}

/*
 * Two adjacent reservations of different types: a third spanning both is
 * refused even with new_type (no one type to grant).
 */
static void nonram_two_types_refused(struct selftest *t)
{
	u64 a = far_nonram();
	enum page_cache_mode nt;

	if (!need_pat(t))
		return;
	ASSERT_EQ(t, memtype_reserve(a, a + PAGE_SIZE, _PAGE_CACHE_MODE_WC, NULL), 0);
	ASSERT_EQ(t, memtype_reserve(a + PAGE_SIZE, a + 2 * PAGE_SIZE, _PAGE_CACHE_MODE_UC, NULL),
		  0);
	EXPECT_EQ(t, memtype_reserve(a, a + 2 * PAGE_SIZE, _PAGE_CACHE_MODE_WC, &nt), -EBUSY);
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_free(a + PAGE_SIZE, a + 2 * PAGE_SIZE), 0);
}

/*
 * Frees: of a range never reserved ("freeing invalid memtype"), of a part
 * that is not the tail: refused; of the tail (Linux's mremap case): the
 * reservation shrinks.
 */
static void free_rules(struct selftest *t)
{
	u64 a = far_nonram();
	unsigned long n = memtype_nr_entries();

	if (!need_pat(t))
		return;
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), -EINVAL);
	ASSERT_EQ(t, memtype_reserve(a, a + 3 * PAGE_SIZE, _PAGE_CACHE_MODE_WC, NULL), 0);
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), -EINVAL); /* the head: no */
	EXPECT_EQ(t, memtype_free(a + PAGE_SIZE, a + 2 * PAGE_SIZE), -EINVAL); /* middle: no */
	EXPECT_EQ(t, memtype_free(a + PAGE_SIZE, a + 3 * PAGE_SIZE), 0); /* the tail: shrinks */
	EXPECT_EQ(t, memtype_lookup(a), _PAGE_CACHE_MODE_WC);
	EXPECT_EQ(t, memtype_lookup(a + PAGE_SIZE), _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_free(a, a + PAGE_SIZE), -EINVAL); /* twice: no */
	EXPECT_EQ(t, memtype_nr_entries(), n);
}

/*
 * The effective type combines with the MTRRs: WB asked in the hole the VMM
 * made UC becomes UC-; WC asked there stays WC; WB asked for RAM stays WB.
 */
static void effective_type_follows_mtrr(struct selftest *t)
{
	struct page *page;
	enum page_cache_mode nt = _PAGE_CACHE_MODE_NUM;
	u8 uniform;
	u64 pa;

	if (!need_pat(t))
		return;
	if (mtrr_type_lookup(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE, &uniform) !=
	    MTRR_TYPE_UNCACHABLE) {
		selftest_skip(t, "the MTRRs do not make the PCI hole UC (not ./vmm's firmware)");
		return;
	}
	ASSERT_EQ(t, pat_pagerange_is_ram(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_reserve(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE,
				     _PAGE_CACHE_MODE_WB, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_lookup(HOLE_TEST_ADDR), _PAGE_CACHE_MODE_UC_MINUS);
	EXPECT_EQ(t, memtype_free(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE), 0);
	EXPECT_EQ(t, memtype_reserve(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE,
				     _PAGE_CACHE_MODE_WC, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_WC);
	EXPECT_EQ(t, memtype_free(HOLE_TEST_ADDR, HOLE_TEST_ADDR + PAGE_SIZE), 0);

	page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, page);
	pa = PFN_PHYS(page_to_pfn(page));
	EXPECT_EQ(t, mtrr_type_lookup(pa, pa + PAGE_SIZE, &uniform), MTRR_TYPE_WRBACK);
	EXPECT_EQ(t, memtype_reserve(pa, pa + PAGE_SIZE, _PAGE_CACHE_MODE_WB, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_free(pa, pa + PAGE_SIZE), 0);
	__free_page(page);
}

/* A range that is part RAM, part not, is refused; the ISA hole is untracked (WB). */
static void mixed_and_untracked(struct selftest *t)
{
	enum page_cache_mode nt = _PAGE_CACHE_MODE_NUM;
	unsigned long n = memtype_nr_entries();
	u64 ram_end = 0;

	if (!need_pat(t))
		return;
	for (u32 i = 0; i < e820_table.nr_entries && !ram_end; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		u64 end = e->addr + e->size;

		if (e->type == E820_TYPE_RAM && !(end & ~PAGE_MASK) && e->size >= PAGE_SIZE &&
		    e->addr >= 0x100000)
			ram_end = end;
	}
	ASSERT_TRUE(t, ram_end);
	EXPECT_EQ(t, pat_pagerange_is_ram(ram_end - PAGE_SIZE, ram_end + PAGE_SIZE), -1);
	EXPECT_EQ(t, memtype_reserve(ram_end - PAGE_SIZE, ram_end + PAGE_SIZE,
				     _PAGE_CACHE_MODE_UC_MINUS, NULL), -EINVAL);
	EXPECT_EQ(t, memtype_reserve(0xa0000, 0xc0000, _PAGE_CACHE_MODE_UC, &nt), 0);
	EXPECT_EQ(t, nt, _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_lookup(0xa0000), _PAGE_CACHE_MODE_WB);
	EXPECT_EQ(t, memtype_nr_entries(), n);
	EXPECT_EQ(t, memtype_free(0xa0000, 0xc0000), 0);
	/* Empty, wrapping and beyond-52-bit ranges are refused. */
	EXPECT_EQ(t, memtype_reserve(0x200000, 0x200000, _PAGE_CACHE_MODE_WB, NULL), -EINVAL);
	EXPECT_EQ(t, memtype_reserve(0x200000, 0x100000, _PAGE_CACHE_MODE_WB, NULL), -EINVAL);
	EXPECT_EQ(t, memtype_reserve(1ull << 52, (1ull << 52) + PAGE_SIZE, _PAGE_CACHE_MODE_WB,
				     NULL), -EINVAL);
	EXPECT_EQ(t, memtype_nr_entries(), n);
}

/* Linux's is_new_memtype_allowed() table. */
static void new_memtype_allowed(struct selftest *t)
{
	u64 a = 0x40000000;

	EXPECT_FALSE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_UC_MINUS,
					       _PAGE_CACHE_MODE_WB));
	EXPECT_FALSE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_WC,
					       _PAGE_CACHE_MODE_WB));
	EXPECT_FALSE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_WT,
					       _PAGE_CACHE_MODE_WB));
	EXPECT_FALSE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_WT,
					       _PAGE_CACHE_MODE_WC));
	EXPECT_TRUE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_WC,
					      _PAGE_CACHE_MODE_UC_MINUS));
	EXPECT_TRUE(t, is_new_memtype_allowed(a, PAGE_SIZE, _PAGE_CACHE_MODE_WB,
					      _PAGE_CACHE_MODE_UC_MINUS));
	EXPECT_TRUE(t, is_new_memtype_allowed(0xa0000, PAGE_SIZE, _PAGE_CACHE_MODE_WC,
					      _PAGE_CACHE_MODE_WB));
}

static const struct selftest_case memtype_cases[] = {
	SELFTEST_CASE(ram_one_type_per_page),
	SELFTEST_CASE(ram_free_middle),
	SELFTEST_CASE(nonram_conflict),
	SELFTEST_CASE(nonram_two_types_refused),
	SELFTEST_CASE(free_rules),
	SELFTEST_CASE(effective_type_follows_mtrr),
	SELFTEST_CASE(mixed_and_untracked),
	SELFTEST_CASE(new_memtype_allowed),
};
SELFTEST_SUITE(memtype, memtype_cases);
