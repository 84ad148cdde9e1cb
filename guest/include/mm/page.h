/* SPDX-License-Identifier: MIT */
/*
 * struct page: one per 4 KiB page frame of every present memory section,
 * in the virtually contiguous array `vmemmap` indexed by pfn (Linux's
 * SPARSEMEM_VMEMMAP), so pfn_to_page() and page_to_pfn() are one addition.
 *
 * 32 bytes, half of Linux's 64 (0.78% of RAM instead of 1.56%): there is no
 * page cache, no anonymous rmap and no memcg here. The zone is not stored:
 * zones are pfn ranges, and page_zone() compares the pfn with at most
 * MAX_NR_ZONES boundaries.
 *
 * Which struct pages hold meaningful values (the memmap is not initialised
 * page by page at boot; see docs/physical-memory.md):
 *  - the head of every free buddy block (PG_buddy, order in @private);
 *  - every page handed out by the allocator (refcount >= 1), heads of
 *    higher-order allocations included; tails only after split_page();
 *  - pages explicitly marked PG_reserved (mark_page_reserved_range());
 *    boot reservations are not marked page by page: they stay zero and
 *    memblock.reserved, kept after boot, says what they are;
 * everything else is all zeroes (vmemmap is zero-filled when populated):
 * "nothing here", which the buddy allocator's merge check reads as "not a
 * free block", exactly what it must conclude for such pages.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "asm/page.h"
#include "kernel/list.h"
#include "kernel/types.h"

/* Page flags (bits of page->flags). */
enum pageflags {
	PG_reserved, /* never given to the allocator (set explicitly; see above) */
	PG_buddy,    /* head of a free block in a buddy free list; order in @private */
	PG_pcp,      /* free order-0 page on a per-CPU list */
	PG_head,     /* head of a higher-order allocation (order in @private) */
	PG_slab,     /* owned by the slab allocator */
	PG_hwpoison, /* memory failure: never hand out again */
	NR_PAGEFLAGS,
};

struct page {
	unsigned long flags;
	union {
		struct list_head lru; /* buddy free list, per-CPU list, slab partial list */
	};
	u32 private;   /* buddy/head: the block's order; slab: allocator's use */
	s32 _refcount; /* 0: free or never handed out; >= 1: in use */
};

_Static_assert(sizeof(struct page) == 32, "struct page is 32 bytes");

/* The struct page array, virtually contiguous, indexed by pfn (set by sparse init). */
extern struct page *vmemmap;

#define pfn_to_page(pfn) (vmemmap + (pfn))
#define page_to_pfn(page) ((unsigned long)((page) - vmemmap))
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa) ((unsigned long)((pa) >> PAGE_SHIFT))
#define PFN_UP(pa) ((unsigned long)(((pa) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#define PFN_DOWN(pa) ((unsigned long)((pa) >> PAGE_SHIFT))

static inline bool page_test_flag(const struct page *page, enum pageflags f)
{
	return page->flags & (1ul << f);
}

static inline void page_set_flag(struct page *page, enum pageflags f)
{
	page->flags |= 1ul << f;
}

static inline void page_clear_flag(struct page *page, enum pageflags f)
{
	page->flags &= ~(1ul << f);
}

#define PageReserved(p) page_test_flag(p, PG_reserved)
#define PageBuddy(p) page_test_flag(p, PG_buddy)
#define PageHead(p) page_test_flag(p, PG_head)
#define PageSlab(p) page_test_flag(p, PG_slab)
#define PageHWPoison(p) page_test_flag(p, PG_hwpoison)

#endif /* MM_PAGE_H */
