// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the direct map (kernel/bench.h, docs/memtype-and-cpa.md):
 *   set_memory_uc_4k_split  set_memory_uc() on one 4 KiB page inside a
 *                           2 MiB leaf: memtype reservation, the split
 *                           (512 PTEs and a page-table page), the PTE, the
 *                           flush, the cache write-back;
 *   set_memory_wb_4k        set_memory_wb() back on that page (no split left);
 *   set_memory_uc_4k_nosplit the same call on a page whose 2 MiB is split
 *                           already: the split's share is the difference;
 *   direct_map_build        arch_map_lowmem() at boot, per GiB mapped.
 * Nothing merges split leaves back (Linux does not either), so every
 * iteration of the split benchmark takes a fresh 2 MiB buddy block still
 * mapped by one 2 MiB leaf; blocks found split already are not used. The
 * blocks stay split after the run.
 */
#include "asm/direct_map.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/set_memory.h"
#include "kernel/bench.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)
/* At most this many 2 MiB blocks per run (64 MiB): the guest may be small. */
#define SPLIT_BENCH_MAX 32
/* Blocks skipped before giving up the search (a 1 GiB leaf holds 512). */
#define SPLIT_BENCH_SKIP_MAX 1024
#define NS_PER_MS 1000000ull
#define THOUSANDTHS 1000ull
#define MIB_SHIFT 20
#define GIB_SHIFT 30

/*
 * Fill @blocks with up to @want 2 MiB blocks mapped by a 2 MiB leaf;
 * returns how many. Blocks that do not qualify (split already, or inside a
 * 1 GiB leaf) are chained through their lru and freed at the end.
 */
static unsigned long take_unsplit_blocks(struct page **blocks, unsigned long want)
{
	struct list_head skipped = LIST_HEAD_INIT(skipped);
	unsigned long n = 0, nskip = 0;
	struct page *p, *q;

	while (n < want && nskip < SPLIT_BENCH_SKIP_MAX) {
		unsigned int shift;

		p = alloc_pages(GFP_KERNEL, PMD_ORDER);
		if (!p)
			break;
		if (pgtable_leaf_ptr((unsigned long)page_address(p), &shift) &&
		    shift == PMD_SHIFT) {
			blocks[n++] = p;
		} else {
			list_add(&p->lru, &skipped);
			nskip++;
		}
	}
	list_for_each_entry_safe(p, q, &skipped, lru) {
		list_del(&p->lru);
		__free_pages(p, PMD_ORDER);
	}
	return n;
}

/* Time @fn on the page @offset pages into each block; false (and a line) if one call failed. */
static bool time_calls(int (*fn)(unsigned long, int), struct page **blocks, unsigned long n,
		       unsigned long offset, u64 *cycles)
{
	u64 t0 = bench_rdtsc();

	for (unsigned long i = 0; i < n; i++) {
		int err = fn((unsigned long)page_address(blocks[i]) + offset * PAGE_SIZE, 1);

		if (err) {
			printk("bench: set_memory call failed (error %d)\n", err);
			return false;
		}
	}
	*cycles = bench_rdtsc() - t0;
	return true;
}

static bool bench_set_memory_uc_split(const struct bench_def *b, unsigned long iters)
{
	struct page *blocks[SPLIT_BENCH_MAX];
	unsigned long n, splits = cpa_stats.splits_2m;
	u64 uc, wb, uc2, wb2;
	bool ok;

	if (iters > SPLIT_BENCH_MAX)
		iters = SPLIT_BENCH_MAX; /* one fresh 2 MiB block per iteration */
	n = take_unsplit_blocks(blocks, iters);
	if (!n) {
		printk("bench: %s: no free 2 MiB block mapped by a 2 MiB leaf\n", b->name);
		return false;
	}
	ok = time_calls(set_memory_uc, blocks, n, 0, &uc) &&
	     time_calls(set_memory_wb, blocks, n, 0, &wb) &&
	     time_calls(set_memory_uc, blocks, n, 1, &uc2) &&
	     time_calls(set_memory_wb, blocks, n, 1, &wb2);
	if (ok && cpa_stats.splits_2m - splits != n) {
		printk("bench: %s: %lu splits for %lu blocks\n", b->name,
		       cpa_stats.splits_2m - splits, n);
		ok = false;
	}
	if (ok) {
		bench_print(b->name, n, uc, ",\"split\":true");
		bench_print("set_memory_wb_4k", n, wb, ",\"split\":false");
		bench_print("set_memory_uc_4k_nosplit", n, uc2, ",\"split\":false");
	}
	for (unsigned long i = 0; i < n; i++)
		__free_pages(blocks[i], PMD_ORDER);
	return ok;
}

/* "X.YYY" for @cycles at @khz in ms, scaled by @num / @den; "null" without a rate. */
static void fmt_ms_scaled(char *buf, size_t size, u64 cycles, u32 khz, u64 num, u64 den)
{
	u64 x1000;

	if (!khz || !den) {
		snprintf(buf, size, "null");
		return;
	}
	x1000 = cycles * THOUSANDTHS / khz * num / den;
	snprintf(buf, size, "%llu.%03llu", (unsigned long long)(x1000 / THOUSANDTHS),
		 (unsigned long long)(x1000 % THOUSANDTHS));
}

/* The direct map's construction at boot, as arch_map_lowmem() timed it. */
static bool bench_direct_map_build(const struct bench_def *b, unsigned long iters)
{
	u64 mib = direct_map_build_bytes >> MIB_SHIFT;
	char extra[128], ms[32], per_gib[32];
	u32 khz = boot_cpu_data.tsc_khz;

	(void)iters;
	if (!direct_map_build_cycles || !mib) {
		printk("bench: %s: not measured by this boot\n", b->name);
		return false;
	}
	fmt_ms_scaled(ms, sizeof(ms), direct_map_build_cycles, khz, 1, 1);
	fmt_ms_scaled(per_gib, sizeof(per_gib), direct_map_build_cycles, khz,
		      1ull << (GIB_SHIFT - MIB_SHIFT), mib);
	snprintf(extra, sizeof(extra),
		 ",\"mapped_mib\":%llu,\"ms\":%s,\"ms_per_gib\":%s",
		 (unsigned long long)mib, ms, per_gib);
	bench_print(b->name, 1, direct_map_build_cycles, extra);
	return true;
}

/* 8 splits: about 0.1 s under ./vmm here. */
BENCH_REGISTER(set_memory_uc_4k_split, bench_set_memory_uc_split, 8);
BENCH_REGISTER(direct_map_build, bench_direct_map_build, 0);
