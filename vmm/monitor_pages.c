/* SPDX-License-Identifier: MIT */
/*
 * The bookkeeping the monitors share: one bit per 4 KiB guest page (touched
 * by uffd, written by dirty) and log2 histograms (uffd resolution latency).
 * Pure data structures, no locking: callers hold their own lock.
 */
#include "monitor_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BITS_PER_WORD 64

/* Event times and latencies, immune to wall-clock changes. */
uint64_t monitor_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Words for @nr_pages bits. */
static uint64_t nr_words(uint64_t nr_pages)
{
	return nr_pages / BITS_PER_WORD + (nr_pages % BITS_PER_WORD != 0);
}

/* A zeroed map of @nr_pages bits; -1 if out of memory. */
int page_bitmap_init(struct page_bitmap *b, uint64_t nr_pages)
{
	b->nr_pages = nr_pages;
	b->nr_set = 0;
	b->words = calloc(nr_words(nr_pages) ? nr_words(nr_pages) : 1, sizeof(uint64_t));
	return b->words ? 0 : -1;
}

/* Release the map; safe on a zeroed or freed one. */
void page_bitmap_free(struct page_bitmap *b)
{
	free(b->words);
	b->words = NULL;
	b->nr_pages = b->nr_set = 0;
}

/* Mark @page; counts it only the first time. */
bool page_bitmap_set(struct page_bitmap *b, uint64_t page)
{
	uint64_t bit;

	if (page >= b->nr_pages)
		return false;
	bit = 1ull << (page % BITS_PER_WORD);
	if (b->words[page / BITS_PER_WORD] & bit)
		return false;
	b->words[page / BITS_PER_WORD] |= bit;
	b->nr_set++;
	return true;
}

/* Unmark @page; true if it was marked. */
bool page_bitmap_clear(struct page_bitmap *b, uint64_t page)
{
	uint64_t bit;

	if (page >= b->nr_pages)
		return false;
	bit = 1ull << (page % BITS_PER_WORD);
	if (!(b->words[page / BITS_PER_WORD] & bit))
		return false;
	b->words[page / BITS_PER_WORD] &= ~bit;
	b->nr_set--;
	return true;
}

/* The first marked page at or after @from, or b->nr_pages if none. */
uint64_t page_bitmap_next_set(const struct page_bitmap *b, uint64_t from)
{
	uint64_t w;

	if (from >= b->nr_pages)
		return b->nr_pages;
	w = b->words[from / BITS_PER_WORD] & (~0ull << (from % BITS_PER_WORD));
	from -= from % BITS_PER_WORD;
	while (!w) {
		from += BITS_PER_WORD;
		if (from >= b->nr_pages)
			return b->nr_pages;
		w = b->words[from / BITS_PER_WORD];
	}
	from += (uint64_t)__builtin_ctzll(w);
	return from < b->nr_pages ? from : b->nr_pages;
}

/* Is @page marked? */
bool page_bitmap_test(const struct page_bitmap *b, uint64_t page)
{
	if (page >= b->nr_pages)
		return false;
	return b->words[page / BITS_PER_WORD] >> (page % BITS_PER_WORD) & 1;
}

/* Marked pages in a range, e.g. the range a guest workload reserved. */
uint64_t page_bitmap_count_range(const struct page_bitmap *b, uint64_t first, uint64_t nr)
{
	uint64_t end, n = 0;

	if (first >= b->nr_pages)
		return 0;
	end = nr > b->nr_pages - first ? b->nr_pages : first + nr;
	/* Bit by bit to a word boundary, then whole words, then the tail. */
	while (first < end && first % BITS_PER_WORD)
		n += page_bitmap_test(b, first++);
	while (end - first >= BITS_PER_WORD) {
		n += (uint64_t)__builtin_popcountll(b->words[first / BITS_PER_WORD]);
		first += BITS_PER_WORD;
	}
	while (first < end)
		n += page_bitmap_test(b, first++);
	return n;
}

/* Count of set bits among the first @nr_pages bits of @words. */
uint64_t bitmap_weight(const uint64_t *words, uint64_t nr_pages)
{
	uint64_t n = 0, full = nr_pages / BITS_PER_WORD;

	for (uint64_t i = 0; i < full; i++)
		n += (uint64_t)__builtin_popcountll(words[i]);
	if (nr_pages % BITS_PER_WORD)
		n += (uint64_t)__builtin_popcountll(words[full] &
						    ((1ull << (nr_pages % BITS_PER_WORD)) - 1));
	return n;
}

/* Union a sampled map into an accumulated one (the dirty monitor's "since start"). */
uint64_t page_bitmap_or_words(struct page_bitmap *dst, const uint64_t *words)
{
	uint64_t full = dst->nr_pages / BITS_PER_WORD, added = 0;
	uint64_t rem = dst->nr_pages % BITS_PER_WORD;

	for (uint64_t i = 0; i < nr_words(dst->nr_pages); i++) {
		uint64_t w = words[i];

		if (i == full && rem)
			w &= (1ull << rem) - 1;
		w &= ~dst->words[i];
		dst->words[i] |= w;
		added += (uint64_t)__builtin_popcountll(w);
	}
	dst->nr_set += added;
	return added;
}

/* Bucket of @v: 0 for 0, else 1 + floor(log2(v)). */
unsigned log2_hist_bucket(uint64_t v)
{
	return v ? 64u - (unsigned)__builtin_clzll(v) : 0;
}

/* Record one value. */
void log2_hist_add(struct log2_hist *h, uint64_t v)
{
	h->bucket[log2_hist_bucket(v)]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

/* Exclusive upper bound of bucket @k (saturating for the top one). */
static uint64_t bucket_limit(unsigned k)
{
	return k >= 64 ? UINT64_MAX : 1ull << k;
}

/* An upper bound for the percentile: the limit of the bucket that holds it. */
uint64_t log2_hist_percentile(const struct log2_hist *h, unsigned pct)
{
	uint64_t want, seen = 0;

	if (!h->count)
		return 0;
	if (pct > 100)
		pct = 100;
	/* The rank of the percentile, rounded up, at least 1. */
	want = (h->count * pct + 99) / 100;
	if (!want)
		want = 1;
	for (unsigned k = 0; k < LOG2_HIST_BUCKETS; k++) {
		seen += h->bucket[k];
		if (seen >= want)
			return bucket_limit(k);
	}
	return bucket_limit(LOG2_HIST_BUCKETS - 1);
}

/* The histogram for query-faults and --stats. */
json_t *log2_hist_json(const struct log2_hist *h)
{
	json_t *o = json_object(), *b = json_array();

	if (!o || !b) {
		json_decref(o);
		json_decref(b);
		return NULL;
	}
	for (unsigned k = 0; k < LOG2_HIST_BUCKETS; k++) {
		if (!h->bucket[k])
			continue;
		json_array_append_new(b, json_pack("{s:I,s:I}", "lt", (json_int_t)bucket_limit(k),
						   "count", (json_int_t)h->bucket[k]));
	}
	json_object_set_new(o, "count", json_integer((json_int_t)h->count));
	json_object_set_new(o, "sum", json_integer((json_int_t)h->sum));
	json_object_set_new(o, "min", json_integer((json_int_t)h->min));
	json_object_set_new(o, "max", json_integer((json_int_t)h->max));
	json_object_set_new(o, "buckets", b);
	return o;
}
