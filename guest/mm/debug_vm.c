// SPDX-License-Identifier: MIT
/*
 * Consistency checks of the buddy allocator (Linux's CONFIG_DEBUG_VM checks
 * on free, plus a full checker of the free lists).
 *
 * The checker uses no memory and touches no page outside the lists: it
 * walks every list once, verifies each link both ways (a node added to a
 * second list breaks the first list's back links), and finds overlapping
 * blocks through the buddy structure itself: two naturally aligned blocks
 * overlap only if one contains the other, and the blocks that could
 * contain a block of order k are the MAX_ORDER - k aligned heads above it.
 * So the cost is O(free blocks x MAX_ORDER).
 */
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"

/* Why freeing 2^@order pages at @pfn is wrong, or NULL if it is fine. */
const char *free_page_problem(unsigned long pfn, unsigned int order)
{
	struct zone *z;
	struct page *page;

	if (order > MAX_ORDER)
		return "order above MAX_ORDER";
	z = pfn_zone(pfn);
	if (!z)
		return "pfn not in any zone";
	if (pfn & ((1ul << order) - 1))
		return "pfn misaligned for its order";
	if (pfn + (1ul << order) > z->zone_end_pfn)
		return "block crosses the end of its zone";
	page = pfn_to_page(pfn);
	/*
	 * Boot reservations are not marked page by page (that would cost a
	 * store per reserved page at boot: the memmap alone is 0.78% of RAM);
	 * memblock still knows them, and this is the error path.
	 */
	if (PageReserved(page) ||
	    (!page->flags && !page->_refcount && memblock_is_reserved(PFN_PHYS(pfn))))
		return "reserved page";
	if (PageBuddy(page) || page_test_flag(page, PG_pcp) || page->_refcount == 0)
		return "page already free";
	if (page->_refcount < 0)
		return "negative refcount";
	if (PageSlab(page))
		return "page still owned by the slab allocator";
	if (order ? !PageHead(page) || page->private != order : PageHead(page))
		return "wrong order (not the order it was allocated with)";
	return NULL;
}

/* One problem line, counted. */
#define REPORT(n, ...)                                            \
	do {                                                      \
		printk("check_free_lists: " __VA_ARGS__);        \
		(n)++;                                            \
	} while (0)

/* Whether the block (@pfn, @order) lies inside a larger free block of @z; reports it. */
static int check_not_contained(const struct zone *z, unsigned long pfn, unsigned int order)
{
	unsigned int o;

	for (o = order + 1; o < NR_PAGE_ORDERS; o++) {
		unsigned long head = pfn & ~((1ul << o) - 1);
		const struct page *hp;

		if (!zone_spans_pfn(z, head))
			continue;
		hp = pfn_to_page(head);
		if (PageBuddy(hp) && hp->private == o) {
			printk("check_free_lists: %s: block pfn %#lx order %u"
			       " overlaps free block pfn %#lx order %u\n",
			       z->name, pfn, order, head, o);
			return 1;
		}
	}
	return 0;
}

/* Whether [@pfn, @pfn + 2^@order) overlaps one of @z's deferred boot ranges. */
static bool in_deferred(const struct zone *z, unsigned long pfn, unsigned int order)
{
	for (unsigned int r = 0; r < z->nr_deferred_ranges; r++)
		if (pfn < z->deferred[r].end_pfn && pfn + (1ul << order) > z->deferred[r].start_pfn)
			return true;
	return false;
}

/*
 * Walk one list; check each link and call @check on each entry. Returns
 * problems found; *@len gets the entries seen. Stops at a broken link or
 * past @max entries (a cycle that does not come back to the head).
 */
static int walk_list(const struct zone *z, struct list_head *head, unsigned long max,
		     unsigned int order, bool pcp, unsigned long *len)
{
	struct list_head *pos, *prev = head;
	int bad = 0;

	*len = 0;
	for (pos = head->next; pos != head; prev = pos, pos = pos->next) {
		struct page *page = list_entry(pos, struct page, lru);
		unsigned long pfn = page_to_pfn(page);

		if (pos->prev != prev) {
			REPORT(bad, "%s: %s list order %u: broken link at pfn %#lx"
			       " (on two lists?)\n",
			       z->name, pcp ? "pcp" : "free", order, pfn);
			return bad;
		}
		if (++*len > max) {
			REPORT(bad, "%s: %s list order %u longer than the zone allows\n", z->name,
			       pcp ? "pcp" : "free", order);
			return bad;
		}
		if (!zone_spans_pfn(z, pfn) || pfn + (1ul << order) > z->zone_end_pfn) {
			REPORT(bad, "%s: pfn %#lx order %u is outside the zone [%#lx, %#lx)\n",
			       z->name, pfn, order, z->zone_start_pfn, z->zone_end_pfn);
			return bad; /* its links cannot be trusted either */
		}
		if (pfn & ((1ul << order) - 1))
			REPORT(bad, "%s: pfn %#lx misaligned for order %u\n", z->name, pfn, order);
		if (pcp) {
			if (!page_test_flag(page, PG_pcp) || PageBuddy(page))
				REPORT(bad, "%s: pcp page pfn %#lx has flags %#lx\n", z->name, pfn,
				       page->flags);
		} else if (!PageBuddy(page) || page->private != order) {
			REPORT(bad, "%s: pfn %#lx on the order %u list has flags %#lx order %u\n",
			       z->name, pfn, order, page->flags, page->private);
		}
		if (page->_refcount != 0 || PageReserved(page))
			REPORT(bad, "%s: free pfn %#lx has refcount %d flags %#lx\n", z->name, pfn,
			       page->_refcount, page->flags);
		bad += check_not_contained(z, pfn, order);
		if (in_deferred(z, pfn, order))
			REPORT(bad, "%s: listed block pfn %#lx order %u lies in a deferred range\n",
			       z->name, pfn, order);
	}
	if (head->prev != prev)
		REPORT(bad, "%s: %s list order %u: head's back link is wrong\n", z->name,
		       pcp ? "pcp" : "free", order);
	return bad;
}

/* The deferred boot ranges: aligned, inside the zone, disjoint, adding up. */
static int check_deferred(const struct zone *z)
{
	unsigned long blocks = 0, align = (1ul << MAX_ORDER) - 1;
	int bad = 0;

	if (z->nr_deferred_ranges > ZONE_DEFERRED_RANGES)
		REPORT(bad, "%s: %u deferred ranges, at most %u\n", z->name, z->nr_deferred_ranges,
		       ZONE_DEFERRED_RANGES);
	for (unsigned int r = 0; r < z->nr_deferred_ranges && r < ZONE_DEFERRED_RANGES; r++) {
		unsigned long s = z->deferred[r].start_pfn, e = z->deferred[r].end_pfn;

		if ((s & align) || (e & align) || s >= e || s < z->zone_start_pfn ||
		    e > z->zone_end_pfn)
			REPORT(bad, "%s: bad deferred range [%#lx, %#lx)\n", z->name, s, e);
		else
			blocks += (e - s) >> MAX_ORDER;
		for (unsigned int q = 0; q < r; q++)
			if (s < z->deferred[q].end_pfn && e > z->deferred[q].start_pfn)
				REPORT(bad, "%s: deferred ranges %u and %u overlap\n", z->name, q, r);
	}
	if (blocks != z->nr_deferred_blocks)
		REPORT(bad, "%s: %lu deferred blocks counted but the ranges hold %lu\n", z->name,
		       z->nr_deferred_blocks, blocks);
	if (z->nr_deferred_blocks &&
	    list_empty(&z->free_area[MAX_ORDER].free_list[MIGRATE_MOVABLE]))
		REPORT(bad, "%s: deferred blocks remain but the order %u movable list is empty\n",
		       z->name, MAX_ORDER);
	return bad;
}

/* Check one zone's free lists, counters and pcp lists. */
static int check_zone(struct zone *z)
{
	unsigned long free = 0, len, blocks;
	int bad = check_deferred(z), mt;
	unsigned int o;

	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long max = (z->spanned_pages >> o) + 1;

		blocks = 0;
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			bad += walk_list(z, &z->free_area[o].free_list[mt], max, o, false, &len);
			blocks += len;
		}
		if (o == MAX_ORDER)
			blocks += z->nr_deferred_blocks; /* counted, not listed (mmzone.h) */
		if (blocks != z->free_area[o].nr_free)
			REPORT(bad, "%s: order %u nr_free %lu but %lu blocks on the lists%s\n",
			       z->name, o, z->free_area[o].nr_free, blocks,
			       o == MAX_ORDER ? " and deferred" : "");
		free += z->free_area[o].nr_free << o;
	}
	if (free != zone_page_state(z, NR_FREE_PAGES))
		REPORT(bad, "%s: nr_free_pages %lu but the free areas hold %lu\n", z->name,
		       zone_page_state(z, NR_FREE_PAGES), free);
	blocks = 0;
	for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
		bad += walk_list(z, &z->pcp.lists[mt], z->spanned_pages + 1, 0, true, &len);
		blocks += len;
	}
	if (blocks != (unsigned long)z->pcp.count)
		REPORT(bad, "%s: pcp count %d but %lu pages on the pcp lists\n", z->name,
		       z->pcp.count, blocks);
	if (free + blocks > z->managed_pages)
		REPORT(bad, "%s: %lu free pages but only %lu managed\n", z->name, free + blocks,
		       z->managed_pages);
	return bad;
}

/* Check every zone; print each problem; return how many. */
int check_free_lists(void)
{
	struct zone *z;
	int bad = 0;

	for_each_zone(z)
		if (populated_zone(z))
			bad += check_zone(z);
	return bad;
}
