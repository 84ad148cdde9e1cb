/* SPDX-License-Identifier: MIT */
/*
 * A test double of the page allocator for host tests of the slab allocator
 * (tests/unit/fake_page_alloc.c): alloc_pages()/__free_pages() over one
 * aligned host arena with its own struct page array, page_address() and
 * virt_to_page() between the two, and counters the tests check (pages in
 * use, by reclaimability; frees the fake found wrong).
 *
 * It keeps the real allocator's conventions (guest/mm/page_alloc.c): an
 * allocated head has refcount 1, PG_head and the order in @private when
 * the order is above 0; a free must give the order it was allocated with,
 * without PG_slab, and (stricter than the real one) with every tail struct
 * page back to all zeroes. New pages are filled with FAKE_JUNK unless
 * __GFP_ZERO, so nothing can rely on fresh memory being zero.
 */
#ifndef TESTS_UNIT_FAKE_PAGE_ALLOC_H
#define TESTS_UNIT_FAKE_PAGE_ALLOC_H

#include "mm/page_alloc.h"

#define FAKE_NR_PAGES 4096 /* 16 MiB arena */
#define FAKE_JUNK 0xdb     /* fill of newly allocated, non-zeroed pages */

/* Page allocations (calls) of each kind, and pages currently allocated. */
struct fake_page_stats {
	unsigned long pages_in_use;
	unsigned long reclaimable_pages_in_use; /* allocated with __GFP_RECLAIMABLE */
	unsigned long allocs, frees;
	unsigned long bad_frees; /* frees the fake refused (reported on stderr) */
	gfp_t last_gfp;          /* of the last alloc_pages() call */
};

extern struct fake_page_stats fake_stats;

/* Forget every allocation (the arena is reused) and zero the statistics. */
void fake_page_alloc_reset(void);

/* Make the allocation after @n more succeed fail (-1: never fail). */
void fake_page_alloc_fail_after(long n);

/* The arena, for tests that need an address inside it that slab never gave. */
char *fake_arena(void);

#endif /* TESTS_UNIT_FAKE_PAGE_ALLOC_H */
