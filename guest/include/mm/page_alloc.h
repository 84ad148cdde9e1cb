/* SPDX-License-Identifier: MIT */
/*
 * The buddy page allocator (guest/mm/page_alloc.c), its consistency checker
 * (guest/mm/debug_vm.c) and its reports (guest/mm/show_mem.c), with the
 * names and semantics of Linux's mm/page_alloc.c. See docs/page-alloc.md.
 *
 * Until the direct map exists, the API deals in struct page and pfns, not
 * in virtual addresses: alloc_pages_exact() returns the first page, and
 * free_pages_pfn() replaces free_pages(addr, order).
 *
 * Hooks the rest of the kernel provides (the host unit test provides its own):
 *  - mm_boot_alloc(): zeroed boot memory for the pageblock bitmaps;
 *  - arch_clear_page(): zero one page frame (for __GFP_ZERO);
 *  - vmemmap (mm/page.h): the struct page array.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page.h"

/* Pages Linux's kswapd reclaims at a time; the floor of highmem's min watermark. */
#define SWAP_CLUSTER_MAX 32ul

/* Global event counters (Linux's enum vm_event_item, names in vm_event_name()). */
enum vm_event_item {
	PGALLOC_DMA, /* pgalloc_<zone>: pages allocated from each zone */
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGALLOC_HIGH,
	PGALLOC_MOVABLE,
	PGFREE,        /* pages freed (boot memory handed to the buddy included, as in Linux) */
	PGALLOC_FAIL,  /* this kernel's own: allocations that failed */
	PGALLOC_NOFAIL_FORCED, /* this kernel's own: __GFP_NOFAIL served below the watermarks */
	NR_VM_EVENT_ITEMS,
};

extern unsigned long vm_events[NR_VM_EVENT_ITEMS];
const char *vm_event_name(enum vm_event_item item);
const char *zone_stat_name(enum zone_stat_item item);

/* Tunables, with Linux's names and defaults. */
extern int min_free_kbytes;
extern int watermark_scale_factor;
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
/* Sum over zones of high watermark plus largest lowmem reserve (for MemAvailable). */
extern unsigned long totalreserve_pages;

/* ---- hooks provided by the guest (or the unit test) ---- */

/* @bytes of zeroed memory for the allocator's lifetime; NULL on failure. */
void *mm_boot_alloc(size_t bytes);

/* Fill page frame @pfn with zeroes. */
void arch_clear_page(unsigned long pfn);

/* ---- boot ---- */

/*
 * Back to "no zones, nothing free" (tests call it before every case; the
 * static initialisation already is this state).
 */
void page_alloc_reset(void);

/*
 * Define zone @t as [@start_pfn, @end_pfn) with @present_pages of RAM
 * (holes excluded). Zones must be set up in increasing type order and not
 * overlap; an empty range is allowed (the zone then exists unpopulated).
 * Returns 0, or -EINVAL / -ENOMEM with a message.
 */
int zone_init(enum zone_type t, unsigned long start_pfn, unsigned long end_pfn,
	      unsigned long present_pages);

/*
 * Give the free block of 2^@order pages at @page to the buddy allocator.
 * Touches only the head struct page; the block must be naturally aligned,
 * inside one zone, and its struct pages all zero (never used). Counts the
 * pages as managed. Refused with a message otherwise (returns -EINVAL).
 */
int __free_pages_core(struct page *page, unsigned int order);

/*
 * Give [@start_pfn, @end_pfn) to the buddy allocator, cut into the largest
 * naturally aligned blocks (at most MAX_ORDER) that do not cross a zone
 * boundary. Pfn 0 is never given (0 is the failure value of the pfn API).
 * Pfns outside every zone are refused with a message. Returns the number
 * of pages given.
 */
unsigned long free_boot_range(unsigned long start_pfn, unsigned long end_pfn);

/*
 * Whether free_boot_range() defers whole MAX_ORDER blocks (struct zone's
 * deferred ranges) instead of listing each one. On by default; tests that
 * reason about exact list contents after boot switch it off.
 */
extern bool page_alloc_defer_boot_blocks;

/* Set PG_reserved on every page of [@start_pfn, @end_pfn) (a per-page loop: small ranges). */
void mark_page_reserved_range(unsigned long start_pfn, unsigned long end_pfn);

/*
 * Once all boot memory is free: min_free_kbytes from lowmem, then the
 * watermarks, the lowmem reserves and the per-CPU list sizes
 * (Linux's init_per_zone_wmark_min()).
 */
void init_per_zone_wmark_min(void);

/* Watermarks from min_free_kbytes (Linux's setup_per_zone_wmarks()). */
void setup_per_zone_wmarks(void);

/* lowmem_reserve[] from sysctl_lowmem_reserve_ratio (and totalreserve_pages). */
void setup_per_zone_lowmem_reserve(void);

/* pcp batch and high of every zone from its size and low watermark. */
void zone_pcp_update_all(void);

/* Linux's int_sqrt(): the floor of the square root. */
unsigned long int_sqrt(unsigned long x);

/* ---- allocation ---- */

/* 2^@order contiguous pages, or NULL (reported unless __GFP_NOWARN). */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)

/*
 * Drop a reference to the block of 2^@order pages at @page; the last one
 * frees it. A bad free is reported in one line and refused.
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages(page, 0)

/* __free_pages() by pfn (free_pages() without a direct map). */
void free_pages_pfn(unsigned long pfn, unsigned int order);

/* The pfn of a zeroed page, or 0 on failure (get_zeroed_page() by pfn). */
unsigned long get_zeroed_page_pfn(gfp_t gfp);

/*
 * PFN_UP(@size) pages, contiguous, from a block of the next power of two
 * whose tail is freed at once; NULL on failure. Free with free_pages_exact().
 */
struct page *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(struct page *page, size_t size);

/* Turn an order-@order allocation into 2^@order order-0 allocations. */
void split_page(struct page *page, unsigned int order);

/* Give the per-CPU pages of every zone back to the buddy lists. */
void drain_all_pages(void);
/* The same for one zone. */
void drain_zone_pages(struct zone *zone);

/*
 * Linux's __zone_watermark_ok(): whether @zone can give 2^@order pages to a
 * request whose highest zone is @highest_zoneidx with @free_pages free,
 * keeping @mark (minus what @alloc_flags allow) and the lowmem reserve.
 */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04  /* ignore watermarks entirely */
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_MIN_RESERVE 0x20    /* __GFP_HIGH: half of min (Linux's value) */
#define ALLOC_NON_BLOCK 0x80      /* cannot sleep: another quarter off */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags);

/* Pageblock migratetype of @pfn (which must be inside a zone). */
enum migratetype get_pfnblock_migratetype(unsigned long pfn);
void set_pageblock_migratetype(unsigned long pfn, enum migratetype mt);

/* Free pages in all zones (NR_FREE_PAGES summed), and managed pages. */
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);

/* Zone index of @z. */
static inline enum zone_type zone_idx(const struct zone *z)
{
	return z->type;
}

/* Number of pages a size needs, as an order (Linux's get_order(), @size > 0). */
unsigned int get_order(size_t size);

/* ---- consistency (debug_vm.c) ---- */

/*
 * Why a free would be wrong, or NULL if it is right (Linux's
 * free_page_is_bad() checks plus zone and order checks).
 */
const char *free_page_problem(unsigned long pfn, unsigned int order);

/*
 * Walk every free list and pcp list of every zone and verify them (see
 * docs/page-alloc.md for the list). Prints one line per problem found and
 * returns how many there were.
 */
int check_free_lists(void);

/* ---- reports (show_mem.c) ---- */

/* The "<name>" of a gfp mask as Linux's %pGg prints it, into @buf. */
void format_gfp_flags(char *buf, size_t size, gfp_t gfp);

/* /proc/buddyinfo, /proc/zoneinfo, the vmstat lines we have. */
void show_buddyinfo(void);
void show_zoneinfo(void);
void show_vmstat(void);

/* The zone part of Linux's show_free_areas() (what an allocation failure prints). */
void show_free_areas(void);

/* The allocation failure report (Linux's warn_alloc()). */
void warn_alloc(gfp_t gfp, unsigned int order);

#endif /* MM_PAGE_ALLOC_H */
