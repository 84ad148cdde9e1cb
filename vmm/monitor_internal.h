/* SPDX-License-Identifier: MIT */
/*
 * What monitor.c needs from each monitor_<name>.c, and the small data
 * structures they share (page bitmaps, log2 histograms). Not for use
 * outside the monitors: the public API is monitor.h.
 */
#ifndef VMM_MONITOR_INTERNAL_H
#define VMM_MONITOR_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "guest_mem.h"
#include "kvm.h"

#define MON_PAGE_SHIFT 12
#define MON_PAGE_SIZE (1ull << MON_PAGE_SHIFT)

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t monitor_now_ns(void);

/* ---- page bitmaps: one bit per 4 KiB page of a DIMM (monitor_pages.c) ---- */
struct page_bitmap {
	uint64_t *words;
	uint64_t nr_pages;
	uint64_t nr_set;  /* bits set, kept exact by every call below */
};

int page_bitmap_init(struct page_bitmap *b, uint64_t nr_pages);
void page_bitmap_free(struct page_bitmap *b);
/* Set bit @page; true if it was clear. Out-of-range pages are ignored (false). */
bool page_bitmap_set(struct page_bitmap *b, uint64_t page);
bool page_bitmap_test(const struct page_bitmap *b, uint64_t page);
/* Clear bit @page; true if it was set. */
bool page_bitmap_clear(struct page_bitmap *b, uint64_t page);
/* The first set bit at or after @from; b->nr_pages if there is none. */
uint64_t page_bitmap_next_set(const struct page_bitmap *b, uint64_t from);
/* Bits set in [first, first + nr) (clipped to the map). */
uint64_t page_bitmap_count_range(const struct page_bitmap *b, uint64_t first, uint64_t nr);
/* dst |= @words (a raw map of dst->nr_pages bits); returns the bits that were new. */
uint64_t page_bitmap_or_words(struct page_bitmap *dst, const uint64_t *words);
/* Number of bits set in a raw map of @nr_pages bits (bits past the end ignored). */
uint64_t bitmap_weight(const uint64_t *words, uint64_t nr_pages);

/* ---- log2 histograms: bucket 0 holds 0, bucket k holds [2^(k-1), 2^k) ---- */
#define LOG2_HIST_BUCKETS 65

struct log2_hist {
	uint64_t bucket[LOG2_HIST_BUCKETS];
	uint64_t count, sum, min, max;
};

unsigned log2_hist_bucket(uint64_t v);
void log2_hist_add(struct log2_hist *h, uint64_t v);
/* Upper bound of the bucket holding the @pct-th percentile (0 if empty). */
uint64_t log2_hist_percentile(const struct log2_hist *h, unsigned pct);
/* {"count":..,"sum":..,"min":..,"max":..,"buckets":[{"lt":2^k,"count":n},...]} (non-empty only). */
json_t *log2_hist_json(const struct log2_hist *h);

/* ---- kvm-stats (monitor_kvm_stats.c) ---- */
struct mon_kvm_stats;
int mon_kvm_stats_start(struct mon_kvm_stats **out, struct kvm_vm *vm, struct vmm_err *err);
void mon_kvm_stats_sample(struct mon_kvm_stats *s);
json_t *mon_kvm_stats_json(struct mon_kvm_stats *s);
void mon_kvm_stats_summary(struct mon_kvm_stats *s, FILE *out);
void mon_kvm_stats_stop(struct mon_kvm_stats *s);

/* ---- uffd (monitor_uffd.c) ---- */
struct mon_uffd;
int mon_uffd_start(struct mon_uffd **out, const struct guest_mem *mem, pid_t vcpu_tid,
		   uint64_t start_ns, unsigned window, struct vmm_err *err);
json_t *mon_uffd_json(struct mon_uffd *u);
json_t *mon_uffd_faults_json(struct mon_uffd *u);
void mon_uffd_summary(struct mon_uffd *u, FILE *out);
void mon_uffd_stop(struct mon_uffd *u);

/* ---- dirty (monitor_dirty.c) ---- */
struct mon_dirty;
int mon_dirty_start(struct mon_dirty **out, struct kvm_vm *vm, const struct guest_mem *mem,
		    struct vmm_err *err);
void mon_dirty_sample(struct mon_dirty *d);
json_t *mon_dirty_json(struct mon_dirty *d);
void mon_dirty_summary(struct mon_dirty *d, FILE *out);
void mon_dirty_stop(struct mon_dirty *d);

/* ---- mmio (monitor_mmio.c) ---- */
struct mon_mmio;
int mon_mmio_start(struct mon_mmio **out, struct vmm_err *err);
void mon_mmio_note(struct mon_mmio *mm, uint64_t gpa, unsigned len, bool is_write, uint64_t rip,
		   bool hole);
json_t *mon_mmio_json(struct mon_mmio *mm, bool table);
void mon_mmio_summary(struct mon_mmio *mm, FILE *out);
void mon_mmio_stop(struct mon_mmio *mm);

#endif /* VMM_MONITOR_INTERNAL_H */
