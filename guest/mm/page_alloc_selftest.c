// SPDX-License-Identifier: MIT
/*
 * The page allocator selftest suite (`selftest=page_alloc`): the buddy
 * allocator the boot built, exercised in place on the guest's real zones.
 * tests/unit/test_page_alloc.c covers the allocator at length on the host;
 * here every case is at most a few hundred allocations (the guest may run
 * emulated at about a million instructions a second).
 *
 * Every case starts with the per-CPU lists drained and the free pages of
 * each zone recorded; after it the lists are drained again, the free-list
 * checker must find nothing wrong and every zone must have exactly the free
 * pages it had: a case gives back everything it took.
 */
#include "asm/page.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/*
 * The formulas of docs/page-alloc.md, written again here on purpose: the
 * watermark case recomputes the boot's numbers independently.
 */
#define KB_PER_PAGE (PAGE_SIZE >> 10)
#define MFK_SQRT_FACTOR 16ul        /* min_free_kbytes = sqrt(lowmem kB * 16) */
#define MFK_FLOOR 128ul
#define MFK_CEIL 262144ul
#define HIGH_MIN_DIVISOR 1024ul     /* highmem/movable min: managed / 1024 ... */
#define HIGH_MIN_CEIL 128ul         /* ... clamped to [SWAP_CLUSTER_MAX, 128] */
#define WMARK_SCALE_DIVISOR 10000ul /* watermark_scale_factor is in 1/10000 */

/* Pages of the odd-sized alloc_pages_exact() request, and bytes short of them. */
#define EXACT_PAGES 5ul
#define EXACT_SHORT 100ul
/* Pages the GFP_KERNEL zone case takes (a few pcp refills' worth). */
#define KERNEL_ZONE_PAGES 64
/* Cap on the order-MAX_ORDER blocks the failure case holds (DMA is 16 MiB: 4). */
#define HOLD_MAX 8
/* Pages the pcp case can hold: DMA's high plus a batch is about 20. */
#define PCP_CASE_MAX_PAGES 256
/* Linux's zone_batchsize(): a batch page per 1024 zone pages, at most 1 MiB, a quarter. */
#define BATCH_ZONE_DIVISOR 1024ul
#define BATCH_MAX_PAGES 256ul
#define BATCH_DIVISOR 4ul
/* pcp high is at least this many batches. */
#define HIGH_MIN_BATCHES 4ul
/* Bytes dirtied before asking for a zeroed page. */
#define DIRTY_BYTE 0x5a

/* Free pages per zone at case_init (after a drain). */
static unsigned long free_before[MAX_NR_ZONES];

/* Whether the page allocator has memory to test; skips the case if not. */
static bool page_alloc_ready(struct selftest *t)
{
	if (!totalram_pages()) {
		selftest_skip(t, "page allocator has no memory");
		return false;
	}
	return true;
}

static void page_alloc_case_init(struct selftest *t)
{
	struct zone *z;

	(void)t;
	drain_all_pages();
	for_each_zone(z)
		free_before[zone_idx(z)] = zone_page_state(z, NR_FREE_PAGES);
}

/* After every case: lists consistent, every zone's free pages back. */
static void page_alloc_case_exit(struct selftest *t)
{
	struct zone *z;

	drain_all_pages();
	EXPECT_EQ(t, check_free_lists(), 0);
	for_each_zone(z) {
		if (!EXPECT_EQ(t, zone_page_state(z, NR_FREE_PAGES), free_before[zone_idx(z)]))
			printk("    # %s: zone %s\n", t->name, z->name);
		EXPECT_EQ(t, z->pcp.count, 0);
	}
}

/* Free pages of all zones, the per-CPU lists included. */
static unsigned long free_and_pcp_pages(void)
{
	unsigned long sum = 0;
	struct zone *z;

	for_each_zone(z)
		sum += zone_page_state(z, NR_FREE_PAGES) + (unsigned long)z->pcp.count;
	return sum;
}

/* The zone type of an allocated page. */
static enum zone_type page_zone_type(const struct page *page)
{
	return zone_idx(page_zone(page));
}

/* buddyinfo: free blocks per zone and order. */
struct buddy_shape {
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
};

static void buddy_shape_get(struct buddy_shape *s)
{
	struct zone *z;

	for_each_zone(z)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			s->nr_free[zone_idx(z)][o] = z->free_area[o].nr_free;
}

/* Expect @now equal to @was for every zone and order; say where they differ. */
static void expect_same_shape(struct selftest *t, const struct buddy_shape *was,
			      const struct buddy_shape *now, unsigned int order)
{
	for (int zt = 0; zt < MAX_NR_ZONES; zt++)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			if (!EXPECT_EQ(t, now->nr_free[zt][o], was->nr_free[zt][o]))
				printk("    # %s: after order-%u alloc+free: zone %s order %u\n",
				       t->name, order, contig_page_data.node_zones[zt].name, o);
}

/*
 * Every order from 0 to MAX_ORDER: allocate one block, check it, free it;
 * once the per-CPU lists are drained, buddyinfo is what it was (the block
 * and every half split off it merged back).
 */
static void alloc_free_every_order_restores_buddyinfo(struct selftest *t)
{
	static struct buddy_shape before, after;

	if (!page_alloc_ready(t))
		return;
	for (unsigned int order = 0; order <= MAX_ORDER; order++) {
		struct page *page;
		unsigned long pfn;

		drain_all_pages();
		buddy_shape_get(&before);
		page = alloc_pages(GFP_KERNEL, order);
		if (!EXPECT_TRUE(t, page != NULL)) {
			printk("    # %s: order %u\n", t->name, order);
			continue;
		}
		pfn = page_to_pfn(page);
		EXPECT_EQ(t, pfn & ((1ul << order) - 1), 0);
		EXPECT_EQ(t, page->_refcount, 1);
		EXPECT_EQ(t, PageHead(page), order > 0);
		__free_pages(page, order);
		drain_all_pages();
		buddy_shape_get(&after);
		expect_same_shape(t, &before, &after, order);
	}
}

/* GFP_DMA comes from ZONE_DMA, GFP_DMA32 from DMA32 or below, order 0 and 3. */
static void dma_zone_modifiers(struct selftest *t)
{
	static const unsigned int orders[] = { 0, 3 };
	const struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];

	if (!page_alloc_ready(t))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		struct page *page;

		if (managed_zone(dma)) {
			page = alloc_pages(GFP_DMA | GFP_KERNEL, orders[i]);
			if (EXPECT_TRUE(t, page != NULL)) {
				EXPECT_EQ(t, page_zone_type(page), ZONE_DMA);
				__free_pages(page, orders[i]);
			}
		}
		page = alloc_pages(GFP_DMA32 | GFP_KERNEL, orders[i]);
		if (EXPECT_TRUE(t, page != NULL)) {
			EXPECT_TRUE(t, page_zone_type(page) <= ZONE_DMA32);
			__free_pages(page, orders[i]);
		}
	}
}

/*
 * GFP_HIGHUSER lands in HighMem, GFP_HIGHUSER_MOVABLE in Movable or
 * HighMem, when the boot has a HighMem zone with room above its low mark.
 */
static void highuser_lands_in_highmem(struct selftest *t)
{
	struct zone *high = &contig_page_data.node_zones[ZONE_HIGHMEM];
	struct page *page;
	enum zone_type zt;

	if (!page_alloc_ready(t))
		return;
	if (!managed_zone(high) || !zone_watermark_ok(high, 0, low_wmark_pages(high),
						      ZONE_HIGHMEM, ALLOC_WMARK_LOW)) {
		selftest_skip(t, "no HighMem zone with free pages in this boot");
		return;
	}
	page = alloc_page(GFP_HIGHUSER);
	if (EXPECT_TRUE(t, page != NULL)) {
		EXPECT_EQ(t, page_zone_type(page), ZONE_HIGHMEM);
		EXPECT_TRUE(t, page_address(page) == NULL);
		__free_page(page);
	}
	page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (EXPECT_TRUE(t, page != NULL)) {
		zt = page_zone_type(page);
		EXPECT_TRUE(t, zt == ZONE_HIGHMEM || zt == ZONE_MOVABLE);
		__free_page(page);
	}
}

/* GFP_KERNEL never returns HighMem or Movable pages, order 0 (pcp refills) and order 2. */
static void gfp_kernel_never_highmem(struct selftest *t)
{
	static struct page *pages[KERNEL_ZONE_PAGES];
	struct page *big;
	unsigned int n;

	if (!page_alloc_ready(t))
		return;
	for (n = 0; n < KERNEL_ZONE_PAGES; n++) {
		pages[n] = alloc_page(GFP_KERNEL);
		if (!EXPECT_TRUE(t, pages[n] != NULL))
			break;
		EXPECT_TRUE(t, page_zone_type(pages[n]) <= ZONE_NORMAL);
	}
	big = alloc_pages(GFP_KERNEL, 2);
	if (EXPECT_TRUE(t, big != NULL)) {
		EXPECT_TRUE(t, page_zone_type(big) <= ZONE_NORMAL);
		__free_pages(big, 2);
	}
	while (n)
		__free_page(pages[--n]);
}

/* Whether the @bytes at @p are all zero. */
static bool all_zero(const void *p, size_t bytes)
{
	const u64 *w = p;

	for (size_t i = 0; i < bytes / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/*
 * __GFP_ZERO: dirty a lowmem page and free it; the zeroed allocation that
 * follows (most likely that very page, the pcp list being LIFO) reads zero,
 * as does an order-1 zeroed block.
 */
static void gfp_zero_reads_zero(struct selftest *t)
{
	struct page *page;
	u8 *va;

	if (!page_alloc_ready(t))
		return;
	page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, page != NULL);
	va = page_address(page);
	ASSERT_TRUE(t, va != NULL);
	memset(va, DIRTY_BYTE, PAGE_SIZE);
	__free_page(page);

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	ASSERT_TRUE(t, page != NULL);
	va = page_address(page);
	if (EXPECT_TRUE(t, va != NULL))
		EXPECT_TRUE(t, all_zero(va, PAGE_SIZE));
	__free_page(page);

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	ASSERT_TRUE(t, page != NULL);
	va = page_address(page);
	if (EXPECT_TRUE(t, va != NULL))
		EXPECT_TRUE(t, all_zero(va, 2 * PAGE_SIZE));
	__free_pages(page, 1);
}

/*
 * The per-CPU list of the zone with the smallest `high` (DMA, when it has
 * memory): the first order-0 allocation after a drain takes one batch from
 * the buddy; frees add one page each until the count reaches high, when a
 * batch goes back; a drain empties the list into the buddy.
 */
static void pcp_fill_and_drain(struct selftest *t)
{
	static struct page *pages[PCP_CASE_MAX_PAGES];
	struct zone *z = &contig_page_data.node_zones[ZONE_DMA];
	gfp_t gfp = GFP_KERNEL | GFP_DMA;
	unsigned long buddy_before;
	int n, want, expect_count;

	if (!page_alloc_ready(t))
		return;
	if (!managed_zone(z)) {
		z = NULL;
		gfp = GFP_KERNEL;
	}
	drain_all_pages();
	pages[0] = alloc_page(gfp);
	ASSERT_TRUE(t, pages[0] != NULL);
	if (!z)
		z = page_zone(pages[0]);
	EXPECT_EQ(t, z->pcp.count, z->pcp.batch - 1);
	/* Enough pages that freeing them all crosses high once. */
	want = z->pcp.high + z->pcp.batch;
	if (want > (int)ARRAY_SIZE(pages)) {
		__free_page(pages[0]);
		selftest_skip(t, "pcp high of the chosen zone above what this case holds");
		return;
	}
	for (n = 1; n < want; n++) {
		pages[n] = alloc_page(gfp);
		if (!EXPECT_TRUE(t, pages[n] != NULL))
			break;
		EXPECT_TRUE(t, page_zone(pages[n]) == z);
		EXPECT_TRUE(t, z->pcp.count < z->pcp.high);
	}
	drain_all_pages();
	EXPECT_EQ(t, z->pcp.count, 0);
	buddy_before = zone_page_state(z, NR_FREE_PAGES);
	expect_count = 0;
	for (int i = 0; i < n; i++) {
		__free_page(pages[i]);
		expect_count++;
		if (expect_count >= z->pcp.high)
			expect_count -= z->pcp.batch;
		if (!EXPECT_EQ(t, z->pcp.count, expect_count))
			break;
	}
	/* Exactly the pages that spilled are back in the buddy. */
	EXPECT_EQ(t, zone_page_state(z, NR_FREE_PAGES) - buddy_before,
		  (unsigned long)(n - z->pcp.count));
	drain_zone_pages(z);
	EXPECT_EQ(t, z->pcp.count, 0);
	EXPECT_EQ(t, zone_page_state(z, NR_FREE_PAGES) - buddy_before, (unsigned long)n);
}

/* split_page(): an order-2 block becomes four order-0 pages, freed one by one. */
static void split_page_gives_order0_pages(struct selftest *t)
{
	struct page *page;
	unsigned long free0;

	if (!page_alloc_ready(t))
		return;
	page = alloc_pages(GFP_KERNEL, 2);
	ASSERT_TRUE(t, page != NULL);
	free0 = free_and_pcp_pages();
	split_page(page, 2);
	for (unsigned int i = 0; i < 4; i++) {
		EXPECT_EQ(t, page[i]._refcount, 1);
		EXPECT_FALSE(t, PageHead(&page[i]));
	}
	for (unsigned int i = 0; i < 4; i++) {
		__free_page(&page[i]);
		EXPECT_EQ(t, free_and_pcp_pages(), free0 + i + 1);
	}
}

/* alloc_pages_exact() of 5 pages less 100 bytes takes exactly 5 pages. */
static void alloc_pages_exact_odd_size(struct selftest *t)
{
	size_t size = EXACT_PAGES * PAGE_SIZE - EXACT_SHORT;
	unsigned long free0;
	struct page *page;

	if (!page_alloc_ready(t))
		return;
	free0 = free_and_pcp_pages();
	page = alloc_pages_exact(size, GFP_KERNEL);
	ASSERT_TRUE(t, page != NULL);
	EXPECT_EQ(t, free0 - free_and_pcp_pages(), EXACT_PAGES);
	for (unsigned int i = 0; i < EXACT_PAGES; i++)
		EXPECT_EQ(t, page[i]._refcount, 1);
	/* The block came from an order-3 request: naturally aligned. */
	EXPECT_EQ(t, page_to_pfn(page) & 7, 0);
	free_pages_exact(page, size);
	EXPECT_EQ(t, free_and_pcp_pages(), free0);
}

/* What a refused free must leave untouched. */
struct free_counters {
	unsigned long free, pgfree;
	int pcp;
};

static void free_counters_get(struct free_counters *c, const struct zone *z)
{
	c->free = nr_free_pages();
	c->pgfree = vm_events[PGFREE];
	c->pcp = z->pcp.count;
}

/* Freeing an order-0 page twice, and an order-3 block twice: the second free is refused. */
static void double_free_refused(struct selftest *t)
{
	struct free_counters before, after;
	struct page *page;
	struct zone *z;

	if (!page_alloc_ready(t))
		return;
	page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(t, page != NULL);
	z = page_zone(page);
	__free_page(page);
	EXPECT_TRUE(t, free_page_problem(page_to_pfn(page), 0) != NULL);
	free_counters_get(&before, z);
	printk("    # %s: two \"Bad page free\" lines expected\n", t->name);
	__free_page(page);
	free_counters_get(&after, z);
	EXPECT_EQ(t, after.free, before.free);
	EXPECT_EQ(t, after.pgfree, before.pgfree);
	EXPECT_EQ(t, after.pcp, before.pcp);

	page = alloc_pages(GFP_KERNEL, 3);
	ASSERT_TRUE(t, page != NULL);
	__free_pages(page, 3);
	free_counters_get(&before, z);
	__free_pages(page, 3);
	free_counters_get(&after, z);
	EXPECT_EQ(t, after.free, before.free);
	EXPECT_EQ(t, after.pgfree, before.pgfree);
	EXPECT_EQ(t, after.pcp, before.pcp);
}

/* The largest order with a free block in @z, or -1. */
static int largest_free_order(const struct zone *z)
{
	for (int o = MAX_ORDER; o >= 0; o--)
		if (z->free_area[o].nr_free)
			return o;
	return -1;
}

/*
 * With __GFP_NOWARN, a request for an order above any free block of the
 * zones it may use fails quietly: NULL, pgalloc_fail counted, nothing
 * taken. In ZONE_DMA (16 MiB) the top-order blocks are first held so that
 * a real order exceeds the largest free block; an order above MAX_ORDER
 * is refused everywhere.
 */
static void nowarn_failure_returns_null(struct selftest *t)
{
	static struct page *held[HOLD_MAX];
	const struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	unsigned long fails, free0;
	unsigned int nr_held = 0;
	int top;

	if (!page_alloc_ready(t))
		return;
	free0 = free_and_pcp_pages();
	fails = vm_events[PGALLOC_FAIL];
	EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1) == NULL);
	EXPECT_EQ(t, vm_events[PGALLOC_FAIL], fails + 1);
	EXPECT_EQ(t, free_and_pcp_pages(), free0);

	if (!managed_zone(dma))
		return;
	while (nr_held < HOLD_MAX && dma->free_area[MAX_ORDER].nr_free) {
		held[nr_held] = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, MAX_ORDER);
		if (!held[nr_held])
			break; /* below the watermark with a top-order block left */
		nr_held++;
	}
	top = largest_free_order(dma);
	if (top >= 0 && top < MAX_ORDER) {
		fails = vm_events[PGALLOC_FAIL];
		free0 = free_and_pcp_pages();
		EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN,
					   (unsigned int)top + 1) == NULL);
		EXPECT_EQ(t, vm_events[PGALLOC_FAIL], fails + 1);
		EXPECT_EQ(t, free_and_pcp_pages(), free0);
	}
	while (nr_held)
		__free_pages(held[--nr_held], MAX_ORDER);
}

/* Whether a zone counts as lowmem for min_free_kbytes and the min watermark. */
static bool lowmem_zone(const struct zone *z)
{
	return z->type != ZONE_HIGHMEM && z->type != ZONE_MOVABLE;
}

/*
 * min_free_kbytes, every zone's min/low/high/promo, lowmem_reserve and
 * per-CPU batch/high, recomputed here from the managed page counts with
 * the formulas of docs/page-alloc.md (Linux 6.x's).
 */
static void watermarks_match_formula(struct selftest *t)
{
	unsigned long lowmem_pages = 0, lowmem_kb, mfk, pages_min;
	struct zone *z;

	if (!page_alloc_ready(t))
		return;
	for_each_zone(z)
		if (lowmem_zone(z))
			lowmem_pages += z->managed_pages;
	lowmem_kb = lowmem_pages * KB_PER_PAGE;
	mfk = (unsigned long)min_free_kbytes;
	if (mfk > MFK_FLOOR && mfk < MFK_CEIL) {
		/* The floor of the square root, unclamped. */
		EXPECT_TRUE(t, mfk * mfk <= lowmem_kb * MFK_SQRT_FACTOR);
		EXPECT_TRUE(t, (mfk + 1) * (mfk + 1) > lowmem_kb * MFK_SQRT_FACTOR);
	} else {
		EXPECT_TRUE(t, mfk == MFK_FLOOR || mfk == MFK_CEIL);
		EXPECT_EQ(t, mfk == MFK_FLOOR, lowmem_kb * MFK_SQRT_FACTOR < MFK_FLOOR * MFK_FLOOR);
	}
	pages_min = mfk / KB_PER_PAGE;

	for_each_zone(z) {
		unsigned long tmp = lowmem_pages ? pages_min * z->managed_pages / lowmem_pages : 0;
		unsigned long min, step, upper = 0, batch, p, high;
		int ratio = sysctl_lowmem_reserve_ratio[zone_idx(z)];

		if (lowmem_zone(z)) {
			min = tmp;
		} else {
			min = z->managed_pages / HIGH_MIN_DIVISOR;
			min = min < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX : min;
			min = min > HIGH_MIN_CEIL ? HIGH_MIN_CEIL : min;
		}
		step = z->managed_pages * (unsigned long)watermark_scale_factor /
		       WMARK_SCALE_DIVISOR;
		if (tmp / 4 > step)
			step = tmp / 4;
		if (!EXPECT_EQ(t, min_wmark_pages(z), min))
			printk("    # %s: zone %s\n", t->name, z->name);
		EXPECT_EQ(t, low_wmark_pages(z), min + step);
		EXPECT_EQ(t, high_wmark_pages(z), min + 2 * step);
		EXPECT_EQ(t, promo_wmark_pages(z), min + 3 * step);

		for (int j = 0; j < MAX_NR_ZONES; j++) {
			long want = 0;

			if (j > (int)zone_idx(z)) {
				upper += contig_page_data.node_zones[j].managed_pages;
				if (ratio && z->managed_pages)
					want = (long)(upper / (unsigned long)ratio);
			}
			if (!EXPECT_EQ(t, z->lowmem_reserve[j], want))
				printk("    # %s: zone %s lowmem_reserve[%d]\n", t->name, z->name, j);
		}

		/* Per-CPU sizes: Linux's zone_batchsize() and, for one CPU, high = low mark. */
		batch = z->managed_pages / BATCH_ZONE_DIVISOR;
		batch = batch > BATCH_MAX_PAGES ? BATCH_MAX_PAGES : batch;
		batch /= BATCH_DIVISOR;
		batch = batch ? batch : 1;
		batch += batch / 2;
		for (p = 1; p * 2 <= batch; p *= 2)
			;
		batch = p > 1 ? p - 1 : 1;
		high = low_wmark_pages(z) > HIGH_MIN_BATCHES * batch ? low_wmark_pages(z) :
									HIGH_MIN_BATCHES * batch;
		EXPECT_EQ(t, z->pcp.batch, batch);
		EXPECT_EQ(t, z->pcp.high, high);
	}
}

static const struct selftest_case page_alloc_cases[] = {
	SELFTEST_CASE(alloc_free_every_order_restores_buddyinfo),
	SELFTEST_CASE(dma_zone_modifiers),
	SELFTEST_CASE(highuser_lands_in_highmem),
	SELFTEST_CASE(gfp_kernel_never_highmem),
	SELFTEST_CASE(gfp_zero_reads_zero),
	SELFTEST_CASE(pcp_fill_and_drain),
	SELFTEST_CASE(split_page_gives_order0_pages),
	SELFTEST_CASE(alloc_pages_exact_odd_size),
	SELFTEST_CASE(double_free_refused),
	SELFTEST_CASE(nowarn_failure_returns_null),
	SELFTEST_CASE(watermarks_match_formula),
};

SELFTEST_SUITE_HOOKS(page_alloc, page_alloc_cases, page_alloc_case_init, page_alloc_case_exit);
