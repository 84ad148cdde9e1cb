/* SPDX-License-Identifier: MIT */
/*
 * Zones, free areas, per-CPU page lists and the one node (Linux's
 * include/linux/mmzone.h, reduced to what this kernel uses).
 *
 * A zone is a pfn range [zone_start_pfn, zone_end_pfn). Zones never overlap
 * and are in increasing pfn order by type, so page_zone() finds a page's
 * zone with at most MAX_NR_ZONES comparisons instead of storing it in
 * struct page. Holes inside a zone are counted in spanned_pages only.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/page.h"

/* Largest block order: 2^10 pages = 4 MiB (Linux's MAX_PAGE_ORDER on x86). */
#define MAX_ORDER 10
#define NR_PAGE_ORDERS (MAX_ORDER + 1)

/* Migratetypes are tracked per 2 MiB pageblock, as on x86_64. */
#define pageblock_order 9
#define pageblock_nr_pages (1ul << pageblock_order)

enum zone_type {
	ZONE_DMA,     /* [0, 16 MiB): ISA DMA */
	ZONE_DMA32,   /* [16 MiB, 4 GiB): 32-bit DMA */
	ZONE_NORMAL,  /* directly mapped memory above that */
	ZONE_HIGHMEM, /* above the lowmem limit: no permanent mapping */
	ZONE_MOVABLE, /* movablecore= / hot-added memory */
	MAX_NR_ZONES,
};

/* Linux's values and order: the pcp lists are indexed by them. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_TYPES = MIGRATE_PCPTYPES,
};

/* Zone counters (Linux's enum zone_stat_item, the ones that exist here). */
enum zone_stat_item {
	NR_FREE_PAGES, /* pages in the buddy free lists (not on pcp lists) */
	NR_VM_ZONE_STAT_ITEMS,
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK,
};

/* The free blocks of one order, one list per migratetype. */
/* Ranges of deferred boot blocks a zone remembers (more are freed at once). */
#define ZONE_DEFERRED_RANGES 16

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free; /* blocks, all lists together */
};

/* Order-0 pages kept aside for the (only) CPU: no zone walk on the fast path. */
struct per_cpu_pages {
	int count; /* pages on the lists */
	int high;  /* above this, @batch pages go back to the buddy */
	int batch; /* pages moved at a time between buddy and lists */
	struct list_head lists[MIGRATE_PCPTYPES];
};

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost; /* always 0: no compaction */
	/* Pages a request whose highest zone is [i] must leave free here. */
	long lowmem_reserve[MAX_NR_ZONES];
	struct per_cpu_pages pcp;
	unsigned long zone_start_pfn;
	unsigned long zone_end_pfn; /* exclusive */
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages; /* handed to the buddy allocator */
	const char *name;
	/*
	 * Migratetype of each pageblock from the one holding zone_start_pfn,
	 * 2 bits each, stored XOR MIGRATE_MOVABLE so zeroed memory reads as
	 * "movable", which is what every pageblock starts as (as in Linux's
	 * memmap_init) without a loop at boot.
	 */
	unsigned long *pageblock_flags;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	enum zone_type type;

	/*
	 * Deferred boot memory: whole free MAX_ORDER blocks handed over at
	 * boot but not yet put on a free list, their head struct pages never
	 * touched (so boot costs per range, not per block: on this project's
	 * host every guest instruction and every first touch of a vmemmap page
	 * is expensive). They are counted in free_area[MAX_ORDER].nr_free and
	 * NR_FREE_PAGES like listed blocks; whenever the MAX_ORDER movable list
	 * runs empty one of them is put on it (deferred_refill()), so every
	 * search over the lists sees them. Linux does the same in spirit with
	 * DEFERRED_STRUCT_PAGE_INIT.
	 */
	struct {
		unsigned long start_pfn, end_pfn; /* MAX_ORDER aligned */
	} deferred[ZONE_DEFERRED_RANGES];
	unsigned int nr_deferred_ranges;
	unsigned long nr_deferred_blocks;
};

/* The one node. */
struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int node_id;
};

extern struct pglist_data contig_page_data;
#define NODE_DATA(nid) (&contig_page_data)

#define min_wmark_pages(z) ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z) ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define promo_wmark_pages(z) ((z)->_watermark[WMARK_PROMO] + (z)->watermark_boost)

#define for_each_zone(z)                                                       \
	for (z = contig_page_data.node_zones;                                  \
	     z < contig_page_data.node_zones + MAX_NR_ZONES; z++)

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline bool managed_zone(const struct zone *z)
{
	return z->managed_pages != 0;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < z->zone_end_pfn;
}

static inline bool is_highmem_idx(enum zone_type t)
{
	return t == ZONE_HIGHMEM;
}

/* The zone holding @pfn, or NULL if no zone spans it. */
static inline struct zone *pfn_zone(unsigned long pfn)
{
	struct zone *z;

	for_each_zone(z)
		if (zone_spans_pfn(z, pfn))
			return z;
	return NULL;
}

#define page_zone(page) pfn_zone(page_to_pfn(page))

static inline unsigned long zone_page_state(const struct zone *z, enum zone_stat_item i)
{
	return z->vm_stat[i];
}

#endif /* MM_MMZONE_H */
