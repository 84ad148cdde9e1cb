// SPDX-License-Identifier: MIT
/*
 * The page allocator test double (see fake_page_alloc.h): first fit over a
 * FAKE_NR_PAGES arena, every block naturally aligned for its order
 * relative to the arena, which is itself aligned to the largest block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_page_alloc.h"
#include "mm/slab.h"

#define FAKE_MAX_ORDER 10

struct fake_page_stats fake_stats;

static char *arena;
static struct page fake_pages[FAKE_NR_PAGES];
/* Order + 1 of the block starting at each page, 0 if none starts there. */
static unsigned char block_order[FAKE_NR_PAGES];
static bool page_used[FAKE_NR_PAGES];
static bool block_reclaimable[FAKE_NR_PAGES];
static long fail_countdown = -1;

char *fake_arena(void)
{
	return arena;
}

void fake_page_alloc_reset(void)
{
	if (!arena) {
		arena = aligned_alloc(PAGE_SIZE << FAKE_MAX_ORDER, FAKE_NR_PAGES * PAGE_SIZE);
		if (!arena) {
			fprintf(stderr, "fake_page_alloc: no arena\n");
			abort();
		}
	}
	memset(fake_pages, 0, sizeof(fake_pages));
	memset(block_order, 0, sizeof(block_order));
	memset(page_used, 0, sizeof(page_used));
	memset(block_reclaimable, 0, sizeof(block_reclaimable));
	memset(&fake_stats, 0, sizeof(fake_stats));
	fail_countdown = -1;
}

void fake_page_alloc_fail_after(long n)
{
	fail_countdown = n;
}

void *page_address(const struct page *page)
{
	long idx = page - fake_pages;

	if (idx < 0 || idx >= FAKE_NR_PAGES) {
		fprintf(stderr, "page_address: %p is not a fake struct page\n", (const void *)page);
		abort();
	}
	return arena + (unsigned long)idx * PAGE_SIZE;
}

struct page *virt_to_page(const void *addr)
{
	const char *p = addr;

	if (p < arena || p >= arena + FAKE_NR_PAGES * PAGE_SIZE) {
		fprintf(stderr, "virt_to_page: %p is outside the fake arena\n", addr);
		abort();
	}
	return &fake_pages[(unsigned long)(p - arena) / PAGE_SIZE];
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long n = 1ul << order, i, j;

	fake_stats.last_gfp = gfp;
	if (order > FAKE_MAX_ORDER)
		return NULL;
	if (fail_countdown == 0)
		return NULL;
	if (fail_countdown > 0)
		fail_countdown--;
	for (i = 0; i + n <= FAKE_NR_PAGES; i += n) {
		for (j = 0; j < n && !page_used[i + j]; j++)
			;
		if (j < n)
			continue;
		for (j = 0; j < n; j++)
			page_used[i + j] = true;
		block_order[i] = (unsigned char)(order + 1);
		block_reclaimable[i] = gfp & __GFP_RECLAIMABLE;
		fake_pages[i].flags = order ? 1ul << PG_head : 0;
		fake_pages[i].private = order;
		fake_pages[i]._refcount = 1;
		memset(arena + i * PAGE_SIZE, (gfp & __GFP_ZERO) ? 0 : FAKE_JUNK, n * PAGE_SIZE);
		fake_stats.allocs++;
		fake_stats.pages_in_use += n;
		if (block_reclaimable[i])
			fake_stats.reclaimable_pages_in_use += n;
		return &fake_pages[i];
	}
	return NULL;
}

/* Report a wrong free and count it. */
static void bad_free(unsigned long idx, unsigned int order, const char *why)
{
	fprintf(stderr, "fake __free_pages: page %lu order %u: %s\n", idx, order, why);
	fake_stats.bad_frees++;
}

void __free_pages(struct page *page, unsigned int order)
{
	long idx = page - fake_pages;
	unsigned long n = 1ul << order, j;
	static const struct page zero_page;

	if (idx < 0 || idx >= FAKE_NR_PAGES)
		return bad_free(0, order, "not a fake page");
	if (block_order[idx] != order + 1)
		return bad_free((unsigned long)idx, order, "no block of that order starts here");
	if (PageSlab(page) || page->flags & ~(1ul << PG_head) ||
	    (order ? !PageHead(page) || page->private != order : PageHead(page)))
		return bad_free((unsigned long)idx, order, "head page flags or order not restored");
	for (j = 1; j < n; j++)
		if (memcmp(&fake_pages[idx + j], &zero_page, sizeof(zero_page)))
			return bad_free((unsigned long)idx, order, "tail struct page not zero");
	for (j = 0; j < n; j++)
		page_used[idx + j] = false;
	block_order[idx] = 0;
	memset(page, 0, sizeof(*page));
	fake_stats.frees++;
	fake_stats.pages_in_use -= n;
	if (block_reclaimable[idx])
		fake_stats.reclaimable_pages_in_use -= n;
	/* What a use after free of the whole block would read. */
	memset(arena + (unsigned long)idx * PAGE_SIZE, FAKE_JUNK, n * PAGE_SIZE);
}
