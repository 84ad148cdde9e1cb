// SPDX-License-Identifier: MIT
/*
 * bench=vmalloc_64k_pair: vmalloc(64 KiB) + vfree() pairs, the issue's
 * vmalloc figure. Each pair takes 16 order-0 pages (highmem first), maps
 * them with 16 PTEs, then unmaps them (16 INVLPGs: under the flush
 * ceiling) and gives everything back.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"

#define VMALLOC_BENCH_SIZE (64ul * 1024)
/* One untimed pair first: it maps the page tables and warms the slabs. */
#define VMALLOC_BENCH_WARMUP 1

/* Time @iters vmalloc(64 KiB)+vfree pairs and print the JSON line. */
static bool bench_vmalloc_64k(const struct bench_def *b, unsigned long iters)
{
	unsigned long i, areas = vmalloc_nr_areas();
	u64 t0 = 0, cycles;
	char extra[48];

	for (i = 0; i < VMALLOC_BENCH_WARMUP + iters; i++) {
		void *p;

		if (i == VMALLOC_BENCH_WARMUP)
			t0 = bench_rdtsc();
		p = vmalloc(VMALLOC_BENCH_SIZE);
		if (!p) {
			printk("bench: %s: vmalloc(%lu) failed after %lu pairs\n", b->name,
			       VMALLOC_BENCH_SIZE, i);
			return false;
		}
		vfree(p);
	}
	cycles = bench_rdtsc() - t0;
	drain_all_pages();
	if (vmalloc_nr_areas() != areas) {
		printk("bench: %s: %lu areas left behind\n", b->name, vmalloc_nr_areas() - areas);
		return false;
	}
	snprintf(extra, sizeof(extra), ",\"bytes\":%lu", VMALLOC_BENCH_SIZE);
	bench_print(b->name, iters, cycles, extra);
	return true;
}

/* 20 pairs: each takes and maps 16 pages, about 13 ms under KVM here (the buddy dominates). */
BENCH_REGISTER(vmalloc_64k_pair, bench_vmalloc_64k, 20);
