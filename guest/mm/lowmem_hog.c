// SPDX-License-Identifier: MIT
/*
 * lowmem_hog (mm/lowmem_hog.h): a selftest tool that empties the lowmem
 * zones so the error paths behind an allocation failure can be exercised
 * without a fault-injection framework. Each block taken records its order
 * and the next block in its own first bytes.
 */
#include "mm/gfp.h"
#include "mm/lowmem_hog.h"
#include "mm/mmzone.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* The header written at the start of every block taken. */
struct hog_block {
	void *next;
	unsigned int order;
};

void lowmem_hog_take(struct lowmem_hog *hog)
{
	hog->chain = NULL;
	hog->pages = 0;
	/* Largest blocks first: a few hundred calls empty a GiB instead of 262144. */
	for (int order = MAX_ORDER; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, (unsigned int)order))) {
			struct hog_block *b = page_address(page);

			b->next = hog->chain;
			b->order = (unsigned int)order;
			hog->chain = b;
			hog->pages += 1ul << order;
		}
	}
}

void lowmem_hog_release(struct lowmem_hog *hog)
{
	while (hog->chain) {
		struct hog_block *b = hog->chain;

		hog->chain = b->next;
		__free_pages(virt_to_page(b), b->order);
	}
	hog->pages = 0;
}
