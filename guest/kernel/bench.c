// SPDX-License-Identifier: MIT
/*
 * bench=: micro-benchmarks of the page allocator and kmalloc, timed with
 * the TSC inside the guest, one JSON line each (see kernel/bench.h and
 * docs/physical-memory.md "Benchmarks"; bench/mm.sh collects them).
 *
 * Guest instructions cost about a microsecond each under KVM on this
 * project's host (docs/platform-notes.md), so the default operation counts
 * keep every timed loop near 0.1-0.3 s there; bench_iters= sets them all
 * (QEMU TCG runs the same code hundreds of times faster).
 *
 * The allocator has no switch to bypass its per-CPU lists, and none is
 * added for the benchmark. "Without per-CPU lists" is measured two ways
 * instead: order-1 pairs (every order above 0 goes straight to the buddy
 * lists), and order-0 pairs in ZONE_DMA, whose per-CPU batch is 1 page,
 * with the list drained after every free, so each pair is one order-0
 * buddy removal and one buddy free (plus the list handling around them).
 */
#include "asm/processor.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define NS_PER_MS 1000000ul
#define MIB_SHIFT 20
#define MIB_PER_GIB 1024ul
/* Fixed-point decimals printed: cycles and ns per op to 0.1, ms to 0.001. */
#define TENTHS 10ull
#define THOUSANDTHS 1000ull
/* Warm-up operations before each timed loop: fill the pcp list, the CPU slab. */
#define BENCH_WARMUP_MAX 64ul
#define BENCH_WARMUP_DIVISOR 8ul
/* The kmalloc size class measured. */
#define KMALLOC_BENCH_SIZE 64
/* Order of the "order-3 pair" benchmark and of the buddy-only order-0 stand-in. */
#define ORDER3 3
#define ORDER1 1
/* Longest bench= value kept (names and commas). */
#define BENCH_LIST_MAX 128
/* Room for every benchmark name in the unknown-name message. */
#define BENCH_NAMES_MAX 512

extern const struct bench_def *const __start_benches[];
extern const struct bench_def *const __stop_benches[];

static char bench_list[BENCH_LIST_MAX];
static bool bench_requested;
static unsigned long bench_iters; /* 0: each benchmark's default */
static u64 sparse_init_cycles, mm_core_init_cycles;
static bool memmap_init_measured;

void bench_note_memmap_init(u64 sparse, u64 core)
{
	sparse_init_cycles = sparse;
	mm_core_init_cycles = core;
	memmap_init_measured = true;
}

/* The hypervisor signature as a JSON-safe word ("none" on bare metal). */
static void bench_where(char *buf, size_t size)
{
	const char *sig = boot_cpu_data.hypervisor_sig;
	size_t i;

	if (!sig[0]) {
		snprintf(buf, size, "none");
		return;
	}
	for (i = 0; i + 1 < size && i < CPUID_SIG_LEN && sig[i]; i++) {
		char c = sig[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';

		buf[i] = plain ? c : '?';
	}
	buf[i] = '\0';
}

/* "X.Y" for @value / @div, one decimal, into @buf. */
static void fmt_tenths(char *buf, size_t size, u64 value, u64 div)
{
	u64 x10 = value * TENTHS / div;

	snprintf(buf, size, "%llu.%llu", (unsigned long long)(x10 / TENTHS),
		 (unsigned long long)(x10 % TENTHS));
}

void bench_print(const char *name, unsigned long iters, u64 cycles, const char *extra)
{
	u32 khz = boot_cpu_data.tsc_khz;
	char where[CPUID_SIG_LEN + 1], cyc[32], ns[32];

	bench_where(where, sizeof(where));
	fmt_tenths(cyc, sizeof(cyc), cycles, iters);
	if (khz)
		/* ns = cycles * 10^6 / kHz; cycles stay far below 2^64 / 10^7. */
		fmt_tenths(ns, sizeof(ns), cycles * NS_PER_MS / khz, iters);
	else
		snprintf(ns, sizeof(ns), "null");
	printk("{\"bench\":\"%s\",\"iterations\":%lu,\"cycles_per_op\":%s,\"ns_per_op\":%s,"
	       "\"tsc_khz\":%u,\"where\":\"%s\"%s}\n",
	       name, iters, cyc, ns, khz, where, extra ? extra : "");
}

/* Operations to run untimed first. */
static unsigned long warmup_ops(unsigned long iters)
{
	unsigned long w = iters / BENCH_WARMUP_DIVISOR + 1;

	return w > BENCH_WARMUP_MAX ? BENCH_WARMUP_MAX : w;
}

/* @iters alloc+free pairs of 2^@order pages with @gfp; cycles, or 0 on failure. */
static u64 time_page_pairs(gfp_t gfp, unsigned int order, unsigned long iters, bool drain)
{
	struct zone *z = NULL;
	unsigned long i, warm = warmup_ops(iters);
	u64 t0 = 0;

	for (i = 0; i < warm + iters; i++) {
		struct page *page;

		if (i == warm)
			t0 = bench_rdtsc();
		page = alloc_pages(gfp, order);
		if (!page) {
			printk("bench: order-%u allocation failed (gfp %#x) after %lu pairs\n", order,
			       gfp, i);
			return 0;
		}
		if (!z)
			z = page_zone(page);
		__free_pages(page, order);
		if (drain)
			drain_zone_pages(z);
	}
	return bench_rdtsc() - t0;
}

/* Order-0 pairs through the per-CPU list (the fast path). */
static bool bench_order0_pcp(const struct bench_def *b, unsigned long iters)
{
	u64 cycles = time_page_pairs(GFP_KERNEL, 0, iters, false);

	drain_all_pages();
	if (!cycles)
		return false;
	bench_print(b->name, iters, cycles, NULL);
	return true;
}

/* Order-0 pairs in ZONE_DMA (pcp batch 1) with the list drained after each free. */
static bool bench_order0_buddy_dma(const struct bench_def *b, unsigned long iters)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	char extra[48];
	u64 cycles;

	if (!managed_zone(dma)) {
		printk("{\"bench\":\"%s\",\"skipped\":\"no DMA zone\"}\n", b->name);
		return true;
	}
	cycles = time_page_pairs(GFP_KERNEL | GFP_DMA, 0, iters, true);
	drain_all_pages();
	if (!cycles)
		return false;
	snprintf(extra, sizeof(extra), ",\"zone\":\"DMA\",\"pcp_batch\":%d", dma->pcp.batch);
	bench_print(b->name, iters, cycles, extra);
	return true;
}

/* Order-1 pairs: the buddy lists alone (split and merge), no per-CPU list. */
static bool bench_order1_buddy(const struct bench_def *b, unsigned long iters)
{
	u64 cycles = time_page_pairs(GFP_KERNEL, ORDER1, iters, false);

	if (!cycles)
		return false;
	bench_print(b->name, iters, cycles, NULL);
	return true;
}

/* Order-3 pairs (32 KiB blocks). */
static bool bench_order3(const struct bench_def *b, unsigned long iters)
{
	u64 cycles = time_page_pairs(GFP_KERNEL, ORDER3, iters, false);

	if (!cycles)
		return false;
	bench_print(b->name, iters, cycles, NULL);
	return true;
}

/* kmalloc(64)+kfree pairs: the slab fast path on the CPU slab. */
static bool bench_kmalloc64(const struct bench_def *b, unsigned long iters)
{
	unsigned long i, warm = warmup_ops(iters);
	u64 t0 = 0, cycles;

	if (!slab_is_available()) {
		printk("bench: %s: slab allocator not initialised\n", b->name);
		return false;
	}
	for (i = 0; i < warm + iters; i++) {
		void *p;

		if (i == warm)
			t0 = bench_rdtsc();
		p = kmalloc(KMALLOC_BENCH_SIZE, GFP_KERNEL);
		if (!p) {
			printk("bench: kmalloc(%d) failed after %lu pairs\n", KMALLOC_BENCH_SIZE, i);
			return false;
		}
		kfree(p);
	}
	cycles = bench_rdtsc() - t0;
	/* Give the slab back: MemFree after the benchmarks is what it was. */
	kmem_cache_shrink(kmalloc_slab(KMALLOC_BENCH_SIZE));
	drain_all_pages();
	bench_print(b->name, iters, cycles, NULL);
	return true;
}

/* struct page bytes per 4 KiB page, and what that is of RAM (static). */
static bool bench_struct_page(const struct bench_def *b, unsigned long iters)
{
	char where[CPUID_SIG_LEN + 1], pct[32];

	(void)iters;
	bench_where(where, sizeof(where));
	/* Percent to 0.01: bytes * 100 * 100 / PAGE_SIZE, printed as X.YY. */
	snprintf(pct, sizeof(pct), "%lu.%02lu", sizeof(struct page) * 100 / PAGE_SIZE,
		 sizeof(struct page) * 100 * 100 / PAGE_SIZE % 100);
	printk("{\"bench\":\"%s\",\"bytes_per_page\":%lu,\"page_size\":%lu,\"overhead_pct\":%s,"
	       "\"where\":\"%s\"}\n",
	       b->name, sizeof(struct page), PAGE_SIZE, pct, where);
	return true;
}

/* "X.YYY" milliseconds for @cycles at @khz, per GiB if @ram_mib is not 0; "null" without a rate. */
static void fmt_ms(char *buf, size_t size, u64 cycles, u32 khz, u64 ram_mib)
{
	u64 x1000;

	if (!khz) {
		snprintf(buf, size, "null");
		return;
	}
	x1000 = cycles * THOUSANDTHS / khz;
	if (ram_mib)
		x1000 = x1000 * MIB_PER_GIB / ram_mib;
	snprintf(buf, size, "%llu.%03llu", (unsigned long long)(x1000 / THOUSANDTHS),
		 (unsigned long long)(x1000 % THOUSANDTHS));
}

/*
 * The memmap's initialisation as start_kernel() timed it, per GiB of RAM:
 * sparse_init() (sections, vmemmap, struct pages) is the memmap init the
 * goal speaks of; mm_core_init() (zones, free memory to the buddy,
 * watermarks) is printed beside it, and the sum.
 */
static bool bench_memmap_init(const struct bench_def *b, unsigned long iters)
{
	u64 ram_mib = memblock_phys_mem_size() >> MIB_SHIFT;
	u64 total = sparse_init_cycles + mm_core_init_cycles;
	u32 khz = boot_cpu_data.tsc_khz;
	char where[CPUID_SIG_LEN + 1], sp[32], sp_gib[32], core[32], core_gib[32], all_gib[32];

	(void)iters;
	if (!memmap_init_measured || !ram_mib) {
		printk("bench: %s: not measured by this boot\n", b->name);
		return false;
	}
	bench_where(where, sizeof(where));
	fmt_ms(sp, sizeof(sp), sparse_init_cycles, khz, 0);
	fmt_ms(sp_gib, sizeof(sp_gib), sparse_init_cycles, khz, ram_mib);
	fmt_ms(core, sizeof(core), mm_core_init_cycles, khz, 0);
	fmt_ms(core_gib, sizeof(core_gib), mm_core_init_cycles, khz, ram_mib);
	fmt_ms(all_gib, sizeof(all_gib), total, khz, ram_mib);
	printk("{\"bench\":\"%s\",\"ram_mib\":%llu,\"sparse_init_cycles\":%llu,"
	       "\"sparse_init_ms\":%s,\"ms_per_gib\":%s,\"mm_core_init_cycles\":%llu,"
	       "\"mm_core_init_ms\":%s,\"mm_core_init_ms_per_gib\":%s,\"total_ms_per_gib\":%s,"
	       "\"tsc_khz\":%u,\"where\":\"%s\"}\n",
	       b->name, (unsigned long long)ram_mib, (unsigned long long)sparse_init_cycles, sp,
	       sp_gib, (unsigned long long)mm_core_init_cycles, core, core_gib, all_gib, khz,
	       where);
	return true;
}

/* Default counts: measured under bin/vmm here to take about 0.1-0.3 s each. */
BENCH_REGISTER(order0_pair_pcp, bench_order0_pcp, 400);
BENCH_REGISTER(order0_pair_buddy_dma, bench_order0_buddy_dma, 120);
BENCH_REGISTER(order1_pair_buddy, bench_order1_buddy, 150);
BENCH_REGISTER(order3_pair, bench_order3, 180);
BENCH_REGISTER(kmalloc64_pair, bench_kmalloc64, 1500);
BENCH_REGISTER(struct_page_bytes, bench_struct_page, 0);
BENCH_REGISTER(memmap_init, bench_memmap_init, 0);

#define NR_BENCHES ((size_t)(__stop_benches - __start_benches))

/* The benchmark named by the @len bytes at @name, or NULL. */
static const struct bench_def *bench_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NR_BENCHES; i++)
		if (strlen(__start_benches[i]->name) == len &&
		    !memcmp(__start_benches[i]->name, name, len))
			return __start_benches[i];
	return NULL;
}

/* The names of every benchmark, for the error message. */
static void bench_names(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NR_BENCHES && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "",
				      __start_benches[i]->name);
}

/* Call @fn on each comma-separated item of bench_list ("all": every benchmark). */
static bool bench_for_each(bool (*fn)(const struct bench_def *b))
{
	const char *p = bench_list;
	bool ok = true;

	if (!strcmp(bench_list, "all")) {
		for (size_t i = 0; i < NR_BENCHES; i++)
			ok &= fn(__start_benches[i]);
		return ok;
	}
	while (*p) {
		const char *comma = p;
		const struct bench_def *b;

		while (*comma && *comma != ',')
			comma++;
		b = bench_find(p, (size_t)(comma - p));
		if (!b) {
			static char names[BENCH_NAMES_MAX];

			bench_names(names, sizeof(names));
			bad_boot("bench=%s: unknown benchmark \"%.*s\" (want all or a list of: %s)",
				 bench_list, (int)(comma - p), p, names);
		}
		ok &= fn(b);
		p = *comma ? comma + 1 : comma;
	}
	return ok;
}

/* Accepts every known name (the parse pass of bench_for_each). */
static bool bench_accept(const struct bench_def *b)
{
	(void)b;
	return true;
}

void bench_parse_cmdline(void)
{
	const char *val = cmdline_get("bench");
	u64 iters;
	int ret;

	ret = cmdline_get_u64("bench_iters", &iters);
	if (ret == 0 && (iters == 0 || iters > BENCH_ITERS_MAX))
		bad_boot("bench_iters=%llu: want 1 to %lu", (unsigned long long)iters,
			 BENCH_ITERS_MAX);
	if (ret && ret != -ENOENT)
		bad_boot("bench_iters=%s: not a number", cmdline_get("bench_iters"));
	if (!ret)
		bench_iters = (unsigned long)iters;
	if (!val)
		return;
	if (!*val || strlen(val) >= sizeof(bench_list))
		bad_boot("bench=%s: want all or a comma-separated list of benchmark names", val);
	memcpy(bench_list, val, strlen(val) + 1);
	if (bench_list[0] == ',' || bench_list[strlen(bench_list) - 1] == ',')
		bad_boot("bench=%s: empty benchmark name", val);
	for (const char *p = bench_list; *p; p++)
		if (p[0] == ',' && p[1] == ',')
			bad_boot("bench=%s: empty benchmark name", val);
	bench_for_each(bench_accept); /* unknown names stop the boot now, not later */
	bench_requested = true;
}

/* Run one benchmark with bench_iters= or its default count. */
static bool bench_run_one(const struct bench_def *b)
{
	return b->run(b, bench_iters ? bench_iters : b->default_iters);
}

bool bench_run_cmdline(void)
{
	if (!bench_requested)
		return true;
	if (!boot_cpu_data.tsc_khz)
		printk("bench: TSC frequency unknown (no hypervisor CPUID leaf 0x40000010): "
		       "cycles only\n");
	return bench_for_each(bench_run_one);
}
