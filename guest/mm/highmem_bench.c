// SPDX-License-Identifier: MIT
/*
 * Highmem benchmarks (bench=kmap_pair,kmap_pair_new,kmap_local_pair; see
 * kernel/bench.h): ns per map+unmap pair of a highmem page.
 *
 *  - kmap_pair: the same page again and again, Linux's common case: the
 *    entry stays mapped at count 1 between pairs, so a pair is a hash
 *    lookup and two count updates.
 *  - kmap_pair_new: a different page every time, cycling through 1024:
 *    every kmap() takes a new entry and writes its PTE, and every 512th
 *    wraps the pool and pays the one full TLB flush (amortised here).
 *  - kmap_local_pair: kmap_local_page()+kunmap_local(): a PTE write, and a
 *    PTE clear with one INVLPG.
 *
 * Without highmem (lowmem= at or above the top of RAM) each prints a
 * "skipped" line, as bench.c does for a missing DMA zone.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"

/* kmap_pair_new cycles through 2^10 pages: twice the pool, so no page finds its old entry. */
#define NEW_PAGES_ORDER 10
#define NEW_PAGES (1ul << NEW_PAGES_ORDER)
/* Untimed pairs first: the first pass through the pool fills the hash and the PTEs. */
#define WARMUP_PAIRS 64

/* 2^@order highmem pages, or NULL after printing the skip line. */
static struct page *bench_high_pages(const struct bench_def *b, unsigned int order)
{
	struct page *page = NULL;

	if (max_low_pfn < max_pfn)
		page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, order);
	if (page && !PageHighMem(page)) {
		__free_pages(page, order);
		page = NULL;
	}
	if (!page)
		printk("{\"bench\":\"%s\",\"skipped\":\"no free highmem (lowmem= covers the RAM?)\"}\n",
		       b->name);
	return page;
}

/* kmap()+kunmap() of one page: the entry stays mapped between pairs. */
static bool bench_kmap_pair(const struct bench_def *b, unsigned long iters)
{
	struct page *page = bench_high_pages(b, 0);
	u64 t0 = 0;

	if (!page)
		return true;
	for (unsigned long i = 0; i < WARMUP_PAIRS + iters; i++) {
		if (i == WARMUP_PAIRS)
			t0 = bench_rdtsc();
		if (!kmap(page)) {
			kmap_flush_unused();
			__free_page(page);
			return false;
		}
		kunmap(page);
	}
	bench_print(b->name, iters, bench_rdtsc() - t0, NULL);
	__free_page(page);
	return true;
}

/* kmap()+kunmap() of a new page each time: a new entry per pair, a flush per wrap. */
static bool bench_kmap_pair_new(const struct bench_def *b, unsigned long iters)
{
	struct page *block = bench_high_pages(b, NEW_PAGES_ORDER);
	unsigned long flushes = 0;
	char extra[48];
	u64 t0 = 0;

	if (!block)
		return true;
	for (unsigned long i = 0; i < WARMUP_PAIRS + iters; i++) {
		struct page *page = block + (i & (NEW_PAGES - 1));

		if (i == WARMUP_PAIRS) {
			flushes = pkmap_nr_flushes;
			t0 = bench_rdtsc();
		}
		if (!kmap(page)) {
			kmap_flush_unused(); /* no stale entry left on the freed block */
			__free_pages(block, NEW_PAGES_ORDER);
			return false;
		}
		kunmap(page);
	}
	t0 = bench_rdtsc() - t0;
	snprintf(extra, sizeof(extra), ",\"pkmap_flushes\":%lu", pkmap_nr_flushes - flushes);
	bench_print(b->name, iters, t0, extra);
	kmap_flush_unused();
	__free_pages(block, NEW_PAGES_ORDER);
	return true;
}

/* kmap_local_page()+kunmap_local() of one page. */
static bool bench_kmap_local_pair(const struct bench_def *b, unsigned long iters)
{
	struct page *page = bench_high_pages(b, 0);
	u64 t0 = 0;

	if (!page)
		return true;
	for (unsigned long i = 0; i < WARMUP_PAIRS + iters; i++) {
		void *va;

		if (i == WARMUP_PAIRS)
			t0 = bench_rdtsc();
		va = kmap_local_page(page);
		if (!va) {
			__free_page(page);
			return false;
		}
		kunmap_local(va);
	}
	bench_print(b->name, iters, bench_rdtsc() - t0, NULL);
	__free_page(page);
	return true;
}

BENCH_REGISTER(kmap_pair, bench_kmap_pair, 2000);
BENCH_REGISTER(kmap_pair_new, bench_kmap_pair_new, 1500);
BENCH_REGISTER(kmap_local_pair, bench_kmap_local_pair, 2000);
