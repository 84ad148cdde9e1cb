// SPDX-License-Identifier: MIT
/*
 * The buddy page allocator, after Linux's mm/page_alloc.c (own code).
 *
 * Free memory is kept as naturally aligned blocks of 2^order pages, order
 * 0..MAX_ORDER, on per-zone, per-order, per-migratetype lists. Only the
 * head struct page of a free block holds anything (PG_buddy, the order in
 * @private); the others stay all zero, so boot hands memory over block by
 * block without touching every struct page. A block's buddy is one XOR
 * away (pfn ^ 2^order); two buddies merge when both are free heads of the
 * same order in the same zone. Order-0 requests go through a per-CPU list
 * per migratetype (one CPU for now). See docs/page-alloc.md.
 *
 * Arch-neutral, free of everything but the mm headers and printk: the
 * host unit test (tests/unit/test_page_alloc.c) links this very file.
 */
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/page_alloc.h"

#define BITS_PER_LONG (8 * sizeof(unsigned long))
#define PB_BITS 2 /* bits per pageblock in zone->pageblock_flags */
#define PB_PER_LONG (BITS_PER_LONG / PB_BITS)
#define PB_MASK ((1ul << PB_BITS) - 1)

/* Linux's bounds for min_free_kbytes (calculate_min_free_kbytes()). */
#define MIN_FREE_KBYTES_FLOOR 128
#define MIN_FREE_KBYTES_CEIL 262144
/* min_free_kbytes before init_per_zone_wmark_min() (Linux's static value). */
#define MIN_FREE_KBYTES_DEFAULT 1024
/* Highmem/movable min watermark: managed / 1024, clamped to [32, 128]. */
#define HIGHMEM_MIN_DIVISOR 1024
#define HIGHMEM_MIN_CEIL 128ul
/* watermark_scale_factor is in 1/10000 of the zone. */
#define WMARK_SCALE_DIVISOR 10000
/* zone_batchsize(): at most 1 MiB worth of pages per batch. */
#define PCP_BATCH_MAX_PAGES ((1ul << 20) / PAGE_SIZE)
#define PCP_BATCH_ZONE_SHIFT 10 /* one batch page per 1024 zone pages */
#define PCP_HIGH_MIN_BATCHES 4  /* high is at least 4 batches */
#define KB_PER_PAGE (PAGE_SIZE >> 10)

struct pglist_data contig_page_data;
int min_free_kbytes = MIN_FREE_KBYTES_DEFAULT;
int watermark_scale_factor = 10;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };
unsigned long totalreserve_pages;
unsigned long vm_events[NR_VM_EVENT_ITEMS];

static const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_high", "pgalloc_movable",
	"pgfree", "pgalloc_fail", "pgalloc_nofail_forced",
};

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = { "nr_free_pages" };

/* Where each migratetype takes pages from when its own lists are empty (Linux's order). */
static const enum migratetype fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};


/* Whether the lists of every zone are initialised (empty lists are not all-zero). */
static bool node_ready;

/* Name of a vm event, for reports. */
const char *vm_event_name(enum vm_event_item item)
{
	return item < NR_VM_EVENT_ITEMS ? vm_event_names[item] : "?";
}

/* Name of a zone counter, for reports. */
const char *zone_stat_name(enum zone_stat_item item)
{
	return item < NR_VM_ZONE_STAT_ITEMS ? zone_stat_names[item] : "?";
}

/* Give every zone its name, type and empty lists; the first use of the node does it. */
static void node_init_once(void)
{
	struct zone *z;
	int o, mt;

	if (node_ready)
		return;
	for_each_zone(z) {
		z->type = (enum zone_type)(z - contig_page_data.node_zones);
		z->name = zone_names[z->type];
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				INIT_LIST_HEAD(&z->free_area[o].free_list[mt]);
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			INIT_LIST_HEAD(&z->pcp.lists[mt]);
		z->pcp.batch = 1;
		z->pcp.high = PCP_HIGH_MIN_BATCHES;
	}
	node_ready = true;
}

/* Forget every zone and counter (tests; boot starts from this state). */
void page_alloc_reset(void)
{
	memset(&contig_page_data, 0, sizeof(contig_page_data));
	memset(vm_events, 0, sizeof(vm_events));
	min_free_kbytes = MIN_FREE_KBYTES_DEFAULT;
	totalreserve_pages = 0;
	node_ready = false;
	node_init_once();
}

/* Floor of the square root, one result bit at a time. */
unsigned long int_sqrt(unsigned long x)
{
	unsigned long bit = 1ul << (BITS_PER_LONG - 2);
	unsigned long root = 0;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= root + bit) {
			x -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

/* Smallest order whose block holds @size bytes. */
unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* Define one zone's span and present pages; allocate its pageblock bitmap. */
int zone_init(enum zone_type t, unsigned long start_pfn, unsigned long end_pfn,
	      unsigned long present_pages)
{
	struct zone *z;
	unsigned long nr_blocks, words;
	int i;

	node_init_once();
	if ((unsigned int)t >= MAX_NR_ZONES) {
		printk("zone_init: bad zone type %u\n", (unsigned int)t);
		return -EINVAL;
	}
	z = &contig_page_data.node_zones[t];
	if (end_pfn < start_pfn || present_pages > end_pfn - start_pfn) {
		printk("zone_init: bad %s range [%#lx, %#lx) with %lu present pages\n", z->name,
		       start_pfn, end_pfn, present_pages);
		return -EINVAL;
	}
	if (z->spanned_pages || z->managed_pages) {
		printk("zone_init: zone %s already set up\n", z->name);
		return -EINVAL;
	}
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *o = &contig_page_data.node_zones[i];

		if (i == (int)t || !o->spanned_pages || start_pfn == end_pfn)
			continue;
		if ((i < (int)t && o->zone_end_pfn > start_pfn) ||
		    (i > (int)t && o->zone_start_pfn < end_pfn)) {
			printk("zone_init: %s [%#lx, %#lx) overlaps or is out of order with %s\n",
			       z->name, start_pfn, end_pfn, o->name);
			return -EINVAL;
		}
	}
	if (start_pfn != end_pfn) {
		nr_blocks = ((end_pfn - 1) >> pageblock_order) - (start_pfn >> pageblock_order) + 1;
		words = (nr_blocks + PB_PER_LONG - 1) / PB_PER_LONG;
		z->pageblock_flags = mm_boot_alloc(words * sizeof(unsigned long));
		if (!z->pageblock_flags) {
			printk("zone_init: no memory for the %s pageblock bitmap (%lu bytes)\n",
			       z->name, words * sizeof(unsigned long));
			return -ENOMEM;
		}
	}
	z->zone_start_pfn = start_pfn;
	z->zone_end_pfn = end_pfn;
	z->spanned_pages = end_pfn - start_pfn;
	z->present_pages = present_pages;
	return 0;
}

/* Where @pfn's pageblock type lives in its zone's bitmap: word and shift. */
static unsigned long *pageblock_word(const struct zone *z, unsigned long pfn, unsigned int *shift)
{
	unsigned long idx = (pfn >> pageblock_order) - (z->zone_start_pfn >> pageblock_order);

	*shift = (unsigned int)(idx % PB_PER_LONG) * PB_BITS;
	return &z->pageblock_flags[idx / PB_PER_LONG];
}

/* Migratetype of the pageblock holding @pfn (movable outside any zone). */
enum migratetype get_pfnblock_migratetype(unsigned long pfn)
{
	struct zone *z = pfn_zone(pfn);
	unsigned int shift;
	unsigned long *w;

	if (!z)
		return MIGRATE_MOVABLE;
	w = pageblock_word(z, pfn, &shift);
	return (enum migratetype)(((*w >> shift) & PB_MASK) ^ MIGRATE_MOVABLE);
}

/* Set the migratetype of the pageblock holding @pfn. */
void set_pageblock_migratetype(unsigned long pfn, enum migratetype mt)
{
	struct zone *z = pfn_zone(pfn);
	unsigned int shift;
	unsigned long *w;

	if (!z || (unsigned int)mt >= MIGRATE_PCPTYPES)
		return;
	w = pageblock_word(z, pfn, &shift);
	*w = (*w & ~(PB_MASK << shift)) | ((unsigned long)(mt ^ MIGRATE_MOVABLE) << shift);
}

/* Put the free block at @pfn on a free list (at the tail if it should stay long). */
static void add_to_free_list(struct zone *z, unsigned long pfn, unsigned int order,
			     enum migratetype mt, bool tail)
{
	struct page *page = pfn_to_page(pfn);
	struct free_area *area = &z->free_area[order];

	page->flags = 1ul << PG_buddy;
	page->private = order;
	page->_refcount = 0;
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
	z->vm_stat[NR_FREE_PAGES] += 1ul << order;
}

bool page_alloc_defer_boot_blocks = true;

/*
 * Keep the zone's invariant: while deferred boot blocks remain, the
 * MAX_ORDER movable list is not empty. Puts the highest deferred block on
 * it; nr_free and NR_FREE_PAGES already count that block.
 */
static void deferred_refill(struct zone *z)
{
	struct list_head *list = &z->free_area[MAX_ORDER].free_list[MIGRATE_MOVABLE];

	while (z->nr_deferred_blocks && list_empty(list)) {
		unsigned int r = z->nr_deferred_ranges - 1;
		unsigned long pfn = z->deferred[r].end_pfn - (1ul << MAX_ORDER);
		struct page *page = pfn_to_page(pfn);

		z->deferred[r].end_pfn = pfn;
		if (z->deferred[r].start_pfn == pfn)
			z->nr_deferred_ranges--;
		z->nr_deferred_blocks--;
		page->flags = 1ul << PG_buddy;
		page->private = MAX_ORDER;
		page->_refcount = 0;
		list_add_tail(&page->lru, list);
	}
}

/* Take a free block off its list; its head goes back to all zero. */
static void del_from_free_list(struct zone *z, struct page *page, unsigned int order)
{
	list_del(&page->lru);
	page->lru.next = NULL;
	page->lru.prev = NULL;
	page->flags = 0;
	page->private = 0;
	z->free_area[order].nr_free--;
	z->vm_stat[NR_FREE_PAGES] -= 1ul << order;
	if (order == MAX_ORDER)
		deferred_refill(z);
}

/* Whether @pfn is the head of a free block of exactly @order in @z. */
static bool pfn_is_free_head(const struct zone *z, unsigned long pfn, unsigned int order)
{
	const struct page *page;

	if (!zone_spans_pfn(z, pfn))
		return false;
	page = pfn_to_page(pfn);
	return PageBuddy(page) && page->private == order;
}

/*
 * Free the block at @pfn of @order into @z, merging it with free buddies
 * (Linux's __free_one_page()). @to_tail puts it where it is taken last.
 */
static void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order,
			    enum migratetype mt, bool to_tail)
{
	unsigned long buddy_pfn;

	while (order < MAX_ORDER) {
		buddy_pfn = pfn ^ (1ul << order); /* __find_buddy_pfn() */
		if (!pfn_is_free_head(z, buddy_pfn, order))
			break;
		del_from_free_list(z, pfn_to_page(buddy_pfn), order);
		pfn &= buddy_pfn;
		order++;
	}
	/*
	 * If the block one order up is free, this one will likely merge with
	 * it soon: keep it at the tail, away from allocations (Linux's
	 * buddy_merge_likely()).
	 */
	if (!to_tail && order < MAX_ORDER - 1) {
		unsigned long higher = pfn & ~(1ul << order);

		to_tail = pfn_is_free_head(z, higher ^ (1ul << (order + 1)), order + 1);
	}
	add_to_free_list(z, pfn, order, mt, to_tail);
}

/*
 * The whole MAX_ORDER blocks from @pfn (if aligned) below @stop, recorded
 * as deferred without touching their struct pages; returns the pages so
 * handed over (0: not aligned, too short, or no range slot left).
 */
static unsigned long defer_boot_blocks(struct zone *z, unsigned long pfn, unsigned long stop)
{
	unsigned long end = stop & ~((1ul << MAX_ORDER) - 1), pages;
	unsigned int r = z->nr_deferred_ranges;

	if (!page_alloc_defer_boot_blocks || (pfn & ((1ul << MAX_ORDER) - 1)) || end <= pfn ||
	    !z->pageblock_flags)
		return 0;
	if (r && z->deferred[r - 1].end_pfn == pfn) {
		z->deferred[r - 1].end_pfn = end;
	} else if (r < ZONE_DEFERRED_RANGES) {
		z->deferred[r].start_pfn = pfn;
		z->deferred[r].end_pfn = end;
		z->nr_deferred_ranges++;
	} else {
		return 0;
	}
	pages = end - pfn;
	z->nr_deferred_blocks += pages >> MAX_ORDER;
	z->free_area[MAX_ORDER].nr_free += pages >> MAX_ORDER;
	z->vm_stat[NR_FREE_PAGES] += pages;
	z->managed_pages += pages;
	vm_events[PGFREE] += pages;
	deferred_refill(z);
	return pages;
}

/* Hand one boot block to the buddy allocator; only its head page is written. */
int __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *z = pfn_zone(pfn);

	if (order > MAX_ORDER || !z || (pfn & ((1ul << order) - 1)) ||
	    pfn + (1ul << order) > z->zone_end_pfn || !z->pageblock_flags) {
		printk("__free_pages_core: bad boot block pfn %#lx order %u\n", pfn, order);
		return -EINVAL;
	}
	if (page->flags & ~(1ul << PG_reserved) || page->_refcount) {
		printk("__free_pages_core: pfn %#lx is in use (flags %#lx refcount %d)\n", pfn,
		       page->flags, page->_refcount);
		return -EINVAL;
	}
	page->flags = 0;
	z->managed_pages += 1ul << order;
	vm_events[PGFREE] += 1ul << order;
	__free_one_page(z, pfn, order, get_pfnblock_migratetype(pfn), true);
	return 0;
}

/* Lowest set bit of @x as an order (x != 0), capped at MAX_ORDER. */
static unsigned int align_order(unsigned long x)
{
	unsigned int o = 0;

	while (o < MAX_ORDER && !(x & (1ul << o)))
		o++;
	return o;
}

/* Cut a pfn range into the largest aligned blocks and free them, zone by zone. */
unsigned long free_boot_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long given = 0;
	unsigned long pfn = start_pfn ? start_pfn : 1; /* pfn 0 is never handed out */

	while (pfn < end_pfn) {
		struct zone *z = pfn_zone(pfn);
		unsigned long stop;

		if (!z) {
			printk("free_boot_range: pfn %#lx is in no zone;"
			       " range [%#lx, %#lx) refused from there\n", pfn, start_pfn, end_pfn);
			break;
		}
		stop = end_pfn < z->zone_end_pfn ? end_pfn : z->zone_end_pfn;
		while (pfn < stop) {
			unsigned int order;
			unsigned long run = defer_boot_blocks(z, pfn, stop);

			if (run) {
				given += run;
				pfn += run;
				continue;
			}
			order = align_order(pfn);

			while ((1ul << order) > stop - pfn)
				order--;
			if (__free_pages_core(pfn_to_page(pfn), order))
				return given;
			given += 1ul << order;
			pfn += 1ul << order;
		}
	}
	return given;
}

/* PG_reserved on every page of a small range (boot reservations inside present sections). */
void mark_page_reserved_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		page_set_flag(pfn_to_page(pfn), PG_reserved);
}

/* Split the block at @pfn of order @high down to @low, freeing the upper halves (expand()). */
static void expand(struct zone *z, unsigned long pfn, unsigned int low, unsigned int high,
		   enum migratetype mt)
{
	while (high > low) {
		high--;
		add_to_free_list(z, pfn + (1ul << high), high, mt, false);
	}
}

/* The smallest free block of @mt that fits @order, split to size (__rmqueue_smallest()). */
static struct page *rmqueue_smallest(struct zone *z, unsigned int order, enum migratetype mt)
{
	unsigned int o;

	for (o = order; o < NR_PAGE_ORDERS; o++) {
		struct list_head *list = &z->free_area[o].free_list[mt];
		struct page *page;
		unsigned long pfn;

		if (list_empty(list))
			continue;
		page = list_first_entry(list, struct page, lru);
		pfn = page_to_pfn(page);
		del_from_free_list(z, page, o);
		expand(z, pfn, order, o, mt);
		return page;
	}
	return NULL;
}

/* Whether a fallback of @order for @start_mt may take the whole pageblock (can_steal_fallback). */
static bool can_steal_fallback(unsigned int order, enum migratetype start_mt)
{
	if (order >= pageblock_order / 2)
		return true;
	return start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE;
}

/* The first fallback type with a free block at @order, or -1 (find_suitable_fallback()). */
static int find_suitable_fallback(struct zone *z, unsigned int order, enum migratetype start_mt,
				  bool *can_steal)
{
	struct free_area *area = &z->free_area[order];
	unsigned int i;

	*can_steal = false;
	if (!area->nr_free)
		return -1;
	for (i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		enum migratetype fmt = fallbacks[start_mt][i];

		if (list_empty(&area->free_list[fmt]))
			continue;
		*can_steal = can_steal_fallback(order, start_mt);
		return (int)fmt;
	}
	return -1;
}

/*
 * Move every free block of @pfn's pageblock to @mt's lists; returns the
 * free pages moved, 0 if the pageblock is not wholly inside @z
 * (move_freepages_block()). Allocated pages are never movable here: there
 * is no LRU, so Linux's movable_pages count is always 0.
 */
static unsigned long move_freepages_block(struct zone *z, unsigned long pfn, enum migratetype mt)
{
	unsigned long start = pfn & ~(pageblock_nr_pages - 1);
	unsigned long end = start + pageblock_nr_pages;
	unsigned long moved = 0;

	if (!zone_spans_pfn(z, start))
		start = pfn;
	if (!zone_spans_pfn(z, end - 1))
		return 0;
	for (pfn = start; pfn < end;) {
		struct page *page = pfn_to_page(pfn);

		if (PageBuddy(page)) {
			list_move(&page->lru, &z->free_area[page->private].free_list[mt]);
			moved += 1ul << page->private;
			pfn += 1ul << page->private;
			deferred_refill(z);
		} else if (PageHead(page) && !PageSlab(page) && page->_refcount > 0 &&
			   page->private <= MAX_ORDER) {
			/* An allocated block: skip it whole (slab heads use @private otherwise). */
			pfn += 1ul << page->private;
		} else {
			pfn++;
		}
	}
	return moved;
}

/* Take the fallback block at @page (order @o) for @start_mt (steal_suitable_fallback()). */
static void steal_suitable_fallback(struct zone *z, struct page *page, unsigned int o,
				    enum migratetype start_mt, bool whole_block)
{
	unsigned long pfn = page_to_pfn(page);
	enum migratetype old_mt = get_pfnblock_migratetype(pfn);
	unsigned long free_pages, alike_pages;

	if (o >= pageblock_order) {
		unsigned long p;

		for (p = pfn; p < pfn + (1ul << o); p += pageblock_nr_pages)
			set_pageblock_migratetype(p, start_mt);
		list_move(&page->lru, &z->free_area[o].free_list[start_mt]);
		deferred_refill(z);
		return;
	}
	if (whole_block) {
		free_pages = move_freepages_block(z, pfn, start_mt);
		if (free_pages) {
			/* Non-movable requests count a movable block's used pages as alike. */
			if (start_mt != MIGRATE_MOVABLE && old_mt == MIGRATE_MOVABLE)
				alike_pages = pageblock_nr_pages - free_pages;
			else
				alike_pages = 0;
			if (free_pages + alike_pages >= (1ul << (pageblock_order - 1)))
				set_pageblock_migratetype(pfn, start_mt);
			return;
		}
	}
	list_move(&page->lru, &z->free_area[o].free_list[start_mt]);
	deferred_refill(z);
}

/*
 * No block of @start_mt fits: take one from another type, the largest
 * available (or the smallest, for a movable request that cannot take the
 * pageblock), and move it to @start_mt's lists (__rmqueue_fallback()).
 */
static bool rmqueue_fallback(struct zone *z, unsigned int order, enum migratetype start_mt)
{
	bool can_steal;
	int o, fmt = -1;

	for (o = MAX_ORDER; o >= (int)order; o--) {
		fmt = find_suitable_fallback(z, (unsigned int)o, start_mt, &can_steal);
		if (fmt < 0)
			continue;
		if (!can_steal && start_mt == MIGRATE_MOVABLE && o > (int)order) {
			for (o = (int)order; o < NR_PAGE_ORDERS; o++) {
				fmt = find_suitable_fallback(z, (unsigned int)o, start_mt,
							     &can_steal);
				if (fmt >= 0)
					break;
			}
		}
		break;
	}
	if (fmt < 0 || o < (int)order || o > MAX_ORDER)
		return false;
	steal_suitable_fallback(z,
				list_first_entry(&z->free_area[o].free_list[fmt], struct page, lru),
				(unsigned int)o, start_mt, can_steal);
	return true;
}

/* A block of @order for @mt from the buddy lists, falling back to other types (__rmqueue()). */
static struct page *__rmqueue(struct zone *z, unsigned int order, enum migratetype mt)
{
	struct page *page;

	do {
		page = rmqueue_smallest(z, order, mt);
		if (page)
			return page;
	} while (rmqueue_fallback(z, order, mt));
	return NULL;
}

/* Give @count pcp pages back to the buddy, oldest first, types in turn (free_pcppages_bulk). */
static void free_pcppages_bulk(struct zone *z, int count)
{
	struct per_cpu_pages *pcp = &z->pcp;
	int mt = 0, empty = 0;

	/* A count larger than the lists (corruption) must not spin forever. */
	while (count > 0 && pcp->count > 0 && empty < MIGRATE_PCPTYPES) {
		struct list_head *list = &pcp->lists[mt];

		empty = list_empty(list) ? empty + 1 : 0;
		if (!list_empty(list)) {
			struct page *page = list_last_entry(list, struct page, lru);
			unsigned long pfn = page_to_pfn(page);

			list_del(&page->lru);
			page->lru.next = NULL;
			page->lru.prev = NULL;
			page->flags = 0;
			pcp->count--;
			count--;
			__free_one_page(z, pfn, 0, get_pfnblock_migratetype(pfn), false);
		}
		mt = (mt + 1) % MIGRATE_PCPTYPES;
	}
}

/* Empty one zone's per-CPU lists into its buddy lists. */
void drain_zone_pages(struct zone *z)
{
	free_pcppages_bulk(z, z->pcp.count);
}

/* Empty every zone's per-CPU lists (drain_all_pages()). */
void drain_all_pages(void)
{
	struct zone *z;

	for_each_zone(z)
		if (managed_zone(z))
			drain_zone_pages(z);
}

/* An order-0 page of @mt from the per-CPU list, refilled by one batch when empty. */
static struct page *rmqueue_pcplist(struct zone *z, enum migratetype mt)
{
	struct per_cpu_pages *pcp = &z->pcp;
	struct list_head *list = &pcp->lists[mt];
	struct page *page;
	int i;

	if (list_empty(list)) {
		for (i = 0; i < pcp->batch; i++) {
			page = __rmqueue(z, 0, mt);
			if (!page)
				break;
			page_set_flag(page, PG_pcp);
			list_add_tail(&page->lru, list);
			pcp->count++;
		}
		if (list_empty(list))
			return NULL;
	}
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	page->lru.next = NULL;
	page->lru.prev = NULL;
	page->flags = 0;
	pcp->count--;
	return page;
}

/* Linux's __zone_watermark_ok(), without highatomic and CMA reserves. */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int o;
	int mt;

	free_pages -= (1l << order) - 1;
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (o = order; o < NR_PAGE_ORDERS; o++) {
		if (!z->free_area[o].nr_free)
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&z->free_area[o].free_list[mt]))
				return true;
	}
	return false;
}

/* __zone_watermark_ok() with the zone's current free pages. */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* Make a block just taken off the lists an allocation (prep_new_page()). */
static void prep_new_page(struct zone *z, struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long pfn = page_to_pfn(page), i;

	page->flags = order ? 1ul << PG_head : 0;
	page->private = order;
	page->_refcount = 1;
	if (gfp & __GFP_ZERO)
		for (i = 0; i < (1ul << order); i++)
			arch_clear_page(pfn + i);
	vm_events[PGALLOC_DMA + zone_idx(z)] += 1ul << order;
}

/* Try each allowed zone, highest first, under @alloc_flags (get_page_from_freelist()). */
static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags, enum zone_type highest)
{
	enum migratetype mt = gfp_migratetype(gfp);
	int t;

	for (t = (int)highest; t >= 0; t--) {
		struct zone *z = &contig_page_data.node_zones[t];
		struct page *page;

		if (!managed_zone(z))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_ok(z, order, z->_watermark[alloc_flags & ALLOC_WMARK_MASK],
				       highest, alloc_flags))
			continue;
		page = order ? __rmqueue(z, order, mt) : rmqueue_pcplist(z, mt);
		if (page) {
			prep_new_page(z, page, order, gfp);
			return page;
		}
	}
	return NULL;
}

/* The watermark and reserves a slow-path request may use (gfp_to_alloc_flags()). */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		flags |= ALLOC_NON_BLOCK;
	return flags;
}

/* Allocate 2^@order pages: low watermark, then min with reserves, then (NOFAIL) none. */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	enum zone_type highest = gfp_zone(gfp);
	struct page *page;

	node_init_once();
	if (order > MAX_ORDER || highest == ZONE_BAD) {
		if (!(gfp & __GFP_NOWARN))
			printk("alloc_pages: invalid request order:%u mode:%#x\n", order, gfp);
		vm_events[PGALLOC_FAIL]++;
		return NULL;
	}
	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, highest);
	if (page)
		return page;
	page = get_page_from_freelist(gfp, order, gfp_to_alloc_flags(gfp), highest);
	if (!page && (gfp & __GFP_DIRECT_RECLAIM)) {
		/* What direct reclaim does last in Linux: give back the per-CPU pages, retry. */
		drain_all_pages();
		page = get_page_from_freelist(gfp, order, gfp_to_alloc_flags(gfp), highest);
	}
	if (!page && (gfp & __GFP_NOFAIL)) {
		/* No reclaim to wait for: the reserves are the last resort. */
		drain_all_pages();
		page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS, highest);
		if (page) {
			vm_events[PGALLOC_NOFAIL_FORCED]++;
			return page;
		}
		warn_alloc(gfp, order);
		panic("Out of memory: __GFP_NOFAIL order:%u allocation cannot be satisfied", order);
	}
	if (!page) {
		vm_events[PGALLOC_FAIL]++;
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order);
	}
	return page;
}

/* Free a checked order-0 page to the per-CPU list, spilling a batch above high. */
static void free_unref_page(struct zone *z, struct page *page)
{
	struct per_cpu_pages *pcp = &z->pcp;
	enum migratetype mt = get_pfnblock_migratetype(page_to_pfn(page));

	page->flags = 1ul << PG_pcp;
	page->private = 0;
	list_add(&page->lru, &pcp->lists[mt]);
	pcp->count++;
	if (pcp->count >= pcp->high)
		free_pcppages_bulk(z, pcp->batch);
}

/* Drop a reference; the last one returns the block (after the DEBUG_VM checks). */
void __free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn;
	const char *why;
	struct zone *z;

	if (!page) {
		printk("BUG: Bad page free: NULL page order:%u\n", order);
		return;
	}
	pfn = page_to_pfn(page);
	why = free_page_problem(pfn, order);
	if (why) {
		printk("BUG: Bad page free: pfn:%#lx order:%u: %s\n", pfn, order, why);
		return;
	}
	if (--page->_refcount > 0)
		return;
	z = pfn_zone(pfn);
	vm_events[PGFREE] += 1ul << order;
	if (PageHWPoison(page)) {
		/* A poisoned page never goes back: it stays out of the lists for good. */
		page->flags = 1ul << PG_hwpoison;
		return;
	}
	/* Back to all zero but what the free lists set (see mm/page.h). */
	page->flags = 0;
	page->private = 0;
	page->lru.next = NULL;
	page->lru.prev = NULL;
	if (order == 0)
		free_unref_page(z, page);
	else
		__free_one_page(z, pfn, order, get_pfnblock_migratetype(pfn), false);
}

/* __free_pages() by pfn. */
void free_pages_pfn(unsigned long pfn, unsigned int order)
{
	if (!pfn_zone(pfn)) {
		printk("BUG: Bad page free: pfn:%#lx order:%u: pfn not in any zone\n", pfn, order);
		return;
	}
	__free_pages(pfn_to_page(pfn), order);
}

/* One zeroed page, by pfn (0: none). */
unsigned long get_zeroed_page_pfn(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, 0);

	return page ? page_to_pfn(page) : 0;
}

/* Make each page of an order-@order allocation its own order-0 allocation. */
void split_page(struct page *page, unsigned int order)
{
	unsigned long i;

	if (order && (!PageHead(page) || page->private != order || page->_refcount != 1)) {
		printk("split_page: pfn %#lx is not an order-%u allocation\n", page_to_pfn(page),
		       order);
		return;
	}
	page->flags = 0;
	page->private = 0;
	for (i = 1; i < (1ul << order); i++)
		page[i]._refcount = 1;
}

/* PFN_UP(@size) pages from one block, the rest of the block freed at once. */
struct page *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned long nr, i;
	unsigned int order;
	struct page *page;

	if (!size) {
		printk("alloc_pages_exact: size 0\n");
		return NULL;
	}
	order = get_order(size);
	if (order > MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			printk("alloc_pages_exact: size %#zx is above the largest block\n", size);
		return NULL;
	}
	page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	nr = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	split_page(page, order);
	for (i = nr; i < (1ul << order); i++)
		__free_pages(page + i, 0);
	return page;
}

/* Free what alloc_pages_exact(@size) returned. */
void free_pages_exact(struct page *page, size_t size)
{
	unsigned long nr = (size + PAGE_SIZE - 1) >> PAGE_SHIFT, i;

	for (i = 0; i < nr; i++)
		__free_pages(page + i, 0);
}

/* Free pages of all zones. */
unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	struct zone *z;

	for_each_zone(z)
		sum += zone_page_state(z, NR_FREE_PAGES);
	return sum;
}

/* Pages handed to the buddy allocator, all zones. */
unsigned long totalram_pages(void)
{
	unsigned long sum = 0;
	struct zone *z;

	for_each_zone(z)
		sum += z->managed_pages;
	return sum;
}

/*
 * Pages no ordinary allocation may take: per zone the high watermark plus
 * the largest lowmem_reserve (Linux's calculate_totalreserve_pages());
 * recomputed whenever either changes.
 */
static void calculate_totalreserve_pages(void)
{
	struct pglist_data *pg = &contig_page_data;
	int i, j;

	totalreserve_pages = 0;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pg->node_zones[i];
		unsigned long max = 0;

		for (j = i; j < MAX_NR_ZONES; j++)
			if ((unsigned long)z->lowmem_reserve[j] > max)
				max = (unsigned long)z->lowmem_reserve[j];
		max += high_wmark_pages(z);
		if (max > z->managed_pages)
			max = z->managed_pages;
		totalreserve_pages += max;
	}
}

/* Watermarks of every zone from min_free_kbytes (Linux's __setup_per_zone_wmarks()). */
void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes / KB_PER_PAGE;
	unsigned long lowmem_pages = 0;
	struct zone *z;

	for_each_zone(z)
		if (!is_highmem_idx(z->type) && z->type != ZONE_MOVABLE)
			lowmem_pages += z->managed_pages;
	for_each_zone(z) {
		unsigned long tmp = lowmem_pages ? pages_min * z->managed_pages / lowmem_pages : 0;
		unsigned long step;

		if (is_highmem_idx(z->type) || z->type == ZONE_MOVABLE) {
			unsigned long m = z->managed_pages / HIGHMEM_MIN_DIVISOR;

			if (m < SWAP_CLUSTER_MAX)
				m = SWAP_CLUSTER_MAX;
			if (m > HIGHMEM_MIN_CEIL)
				m = HIGHMEM_MIN_CEIL;
			z->_watermark[WMARK_MIN] = m;
		} else {
			z->_watermark[WMARK_MIN] = tmp;
		}
		step = z->managed_pages * (unsigned long)watermark_scale_factor /
		       WMARK_SCALE_DIVISOR;
		if ((tmp >> 2) > step)
			step = tmp >> 2;
		z->watermark_boost = 0;
		z->_watermark[WMARK_LOW] = z->_watermark[WMARK_MIN] + step;
		z->_watermark[WMARK_HIGH] = z->_watermark[WMARK_LOW] + step;
		z->_watermark[WMARK_PROMO] = z->_watermark[WMARK_HIGH] + step;
	}
	calculate_totalreserve_pages();
}

/* lowmem_reserve[] of every zone, then totalreserve_pages (Linux's ratios). */
void setup_per_zone_lowmem_reserve(void)
{
	struct pglist_data *pg = &contig_page_data;
	int i, j;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pg->node_zones[i];
		int ratio = sysctl_lowmem_reserve_ratio[i];
		bool clear = !ratio || !z->managed_pages;
		unsigned long upper = 0;

		for (j = 0; j <= i; j++)
			z->lowmem_reserve[j] = 0;
		for (j = i + 1; j < MAX_NR_ZONES; j++) {
			upper += pg->node_zones[j].managed_pages;
			z->lowmem_reserve[j] = clear ? 0 : (long)(upper / (unsigned long)ratio);
		}
	}
	calculate_totalreserve_pages();
}

/* Pages per pcp refill for @z (Linux's zone_batchsize()). */
static int zone_batchsize(const struct zone *z)
{
	unsigned long batch = z->managed_pages >> PCP_BATCH_ZONE_SHIFT, p = 1;

	if (batch > PCP_BATCH_MAX_PAGES)
		batch = PCP_BATCH_MAX_PAGES;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (p * 2 <= batch)
		p *= 2; /* rounddown_pow_of_two */
	return p - 1 ? (int)(p - 1) : 1;
}

/* pcp batch and high of every zone: high is the low watermark, at least 4 batches. */
void zone_pcp_update_all(void)
{
	struct zone *z;

	for_each_zone(z) {
		int batch = zone_batchsize(z);
		unsigned long high = low_wmark_pages(z);

		if (high < (unsigned long)batch * PCP_HIGH_MIN_BATCHES)
			high = (unsigned long)batch * PCP_HIGH_MIN_BATCHES;
		z->pcp.batch = batch;
		z->pcp.high = (int)high;
		if (z->pcp.count >= z->pcp.high)
			drain_zone_pages(z);
	}
}

/* min_free_kbytes from lowmem, then everything that depends on it (init_per_zone_wmark_min()). */
void init_per_zone_wmark_min(void)
{
	unsigned long lowmem_kbytes = 0, v;
	struct zone *z;

	node_init_once();
	for_each_zone(z)
		if (!is_highmem_idx(z->type) && z->type != ZONE_MOVABLE)
			lowmem_kbytes += z->managed_pages * KB_PER_PAGE;
	v = int_sqrt(lowmem_kbytes * 16);
	if (v < MIN_FREE_KBYTES_FLOOR)
		v = MIN_FREE_KBYTES_FLOOR;
	if (v > MIN_FREE_KBYTES_CEIL)
		v = MIN_FREE_KBYTES_CEIL;
	min_free_kbytes = (int)v;
	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
	zone_pcp_update_all();
}
