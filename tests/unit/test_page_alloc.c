// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's buddy allocator (guest/mm/page_alloc.c,
 * debug_vm.c, show_mem.c compiled for the host).
 *
 * The memmap is a calloc'ed struct page array standing in for vmemmap;
 * the first 16 MiB have fake RAM behind them for __GFP_ZERO. Every case
 * boots this layout (pfns), then checks the free lists after the case:
 *
 *   0    1     0x9f 0x100       0x1000           0x5000  0x5e03       0x9c40
 *   |res|free  |hole|  free      |    free        | hole  |   free     |
 *   [------------- DMA ----------)[------------------ DMA32 -----------)
 *
 *   0x9c40  0xa000 0xa010         0xe000             0x10000
 *   | free  | res  |    free       |      free        |
 *   [------------ Normal ---------)[---- HighMem -----)   Movable: empty
 *
 * Expected figures (buddyinfo, watermarks, reserves, batches) are worked
 * out by hand from the layout in the comments next to them, not taken
 * from the code under test. A randomised case compares the allocator with
 * a page bitmap model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/page_alloc.h"
#include "guest_log.h"

#define NR_PFNS 0x10000ul
#define FAKE_RAM_PAGES 0x1000ul /* the DMA zone */
#define POISON 0xaa

#define DMA_END 0x1000ul
#define DMA32_HOLE_START 0x5000ul
#define DMA32_HOLE_END 0x5e03ul
#define DMA32_END 0x9c40ul
#define KERNEL_START 0xa000ul
#define KERNEL_END 0xa010ul
#define NORMAL_END 0xe000ul
#define HIGH_END NR_PFNS

/* managed = present - reserved; see the diagram. */
#define DMA_MANAGED (0x9eul + 0xf00ul)                              /* 3998 */
#define DMA32_MANAGED (0x4000ul + (DMA32_END - DMA32_HOLE_END))     /* 32317 */
#define NORMAL_MANAGED ((KERNEL_START - DMA32_END) + (NORMAL_END - KERNEL_END)) /* 17328 */
#define HIGH_MANAGED 0x2000ul                                       /* 8192 */

struct page *vmemmap;
static unsigned char *fake_ram;
static unsigned long pages_cleared;
static void *boot_allocs[64];
static int nr_boot_allocs;
static bool skip_teardown_check;
static jmp_buf panic_jmp;
static bool panic_expected;

/* panic() leaves the case through panic_jmp when one is expected. */
void panic(const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	printk("Kernel panic - not syncing: %s\n", msg);
	if (!panic_expected)
		fail_msg("unexpected panic: %s", msg);
	panic_expected = false;
	longjmp(panic_jmp, 1);
}

/* mm_boot_alloc hook: zeroed memory, freed at teardown. */
void *mm_boot_alloc(size_t bytes)
{
	void *p;

	assert_true(nr_boot_allocs < (int)(sizeof(boot_allocs) / sizeof(boot_allocs[0])));
	p = calloc(1, bytes);
	boot_allocs[nr_boot_allocs++] = p;
	return p;
}

/* arch_clear_page hook: zero the fake RAM where there is some; count every call. */
void arch_clear_page(unsigned long pfn)
{
	assert_true(pfn < NR_PFNS);
	if (pfn < FAKE_RAM_PAGES)
		memset(fake_ram + pfn * PAGE_SIZE, 0, PAGE_SIZE);
	pages_cleared++;
}

static struct zone *zone(enum zone_type t)
{
	return &contig_page_data.node_zones[t];
}

/* Memmap, fake RAM and zones, empty. */
static void boot_zones(void)
{
	page_alloc_reset();
	/* Most cases reason about exact list contents: every boot block listed. */
	page_alloc_defer_boot_blocks = false;
	vmemmap = calloc(NR_PFNS, sizeof(struct page));
	fake_ram = malloc(FAKE_RAM_PAGES * PAGE_SIZE);
	assert_non_null(vmemmap);
	assert_non_null(fake_ram);
	memset(fake_ram, POISON, FAKE_RAM_PAGES * PAGE_SIZE);
	pages_cleared = 0;
	assert_int_equal(zone_init(ZONE_DMA, 0, DMA_END, 0x9f + 0xf00), 0);
	assert_int_equal(zone_init(ZONE_DMA32, DMA_END, DMA32_END, DMA32_MANAGED), 0);
	assert_int_equal(zone_init(ZONE_NORMAL, DMA32_END, NORMAL_END, NORMAL_MANAGED + 16), 0);
	assert_int_equal(zone_init(ZONE_HIGHMEM, NORMAL_END, HIGH_END, HIGH_MANAGED), 0);
	assert_int_equal(zone_init(ZONE_MOVABLE, HIGH_END, HIGH_END, 0), 0);
}

/* The diagram's layout, booted: free ranges handed over, then watermarks. */
static int setup(void **state)
{
	(void)state;
	log_reset();
	skip_teardown_check = false;
	boot_zones();
	mark_page_reserved_range(0, 1);
	mark_page_reserved_range(KERNEL_START, KERNEL_END);
	/* Ranges cross zone boundaries on purpose: the cut must stop at each. */
	assert_int_equal(free_boot_range(0, 0x9f), 0x9e); /* pfn 0 is never given */
	assert_int_equal(free_boot_range(0x100, DMA32_HOLE_START), DMA32_HOLE_START - 0x100);
	assert_int_equal(free_boot_range(DMA32_HOLE_END, KERNEL_START),
			 KERNEL_START - DMA32_HOLE_END);
	assert_int_equal(free_boot_range(KERNEL_END, HIGH_END), HIGH_END - KERNEL_END);
	init_per_zone_wmark_min();
	assert_string_equal(log_buf, "");
	return 0;
}

/* After every case: the checker finds nothing (unless the case corrupted on purpose). */
static int teardown(void **state)
{
	int i;

	(void)state;
	if (!skip_teardown_check) {
		log_reset();
		if (check_free_lists()) {
			print_error("%s", log_buf);
			fail_msg("free lists inconsistent after the case");
		}
	}
	for (i = 0; i < nr_boot_allocs; i++)
		free(boot_allocs[i]);
	nr_boot_allocs = 0;
	free(vmemmap);
	free(fake_ram);
	vmemmap = NULL;
	fake_ram = NULL;
	return 0;
}

/* The free blocks of every zone as sorted (pfn << 4 | order) keys. */
struct shape {
	unsigned long keys[4096];
	unsigned long n;
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
};

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void take_shape(struct shape *s)
{
	struct zone *z;
	struct page *page;
	int o, mt;

	memset(s, 0, sizeof(*s));
	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			s->nr_free[z->type][o] = z->free_area[o].nr_free;
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				list_for_each_entry(page, &z->free_area[o].free_list[mt], lru) {
					assert_true(s->n < sizeof(s->keys) / sizeof(s->keys[0]));
					s->keys[s->n++] = page_to_pfn(page) << 4 | (unsigned long)o;
				}
		}
	}
	qsort(s->keys, s->n, sizeof(s->keys[0]), cmp_ul);
}

/* Fail unless the free lists hold exactly the blocks of @before. */
static void expect_shape(const struct shape *before)
{
	static struct shape now;

	take_shape(&now);
	assert_memory_equal(now.nr_free, before->nr_free, sizeof(now.nr_free));
	assert_int_equal(now.n, before->n);
	assert_memory_equal(now.keys, before->keys, now.n * sizeof(now.keys[0]));
}

static struct shape boot_shape;

/* ------------------------------------------------------------------ boot */

static void test_boot_zone_spans_and_counts(void **state)
{
	(void)state;
	assert_int_equal(zone(ZONE_DMA)->spanned_pages, 0x1000);
	assert_int_equal(zone(ZONE_DMA)->present_pages, 0x9f + 0xf00);
	assert_int_equal(zone(ZONE_DMA)->managed_pages, DMA_MANAGED);
	assert_int_equal(zone(ZONE_DMA32)->spanned_pages, DMA32_END - DMA_END);
	assert_int_equal(zone(ZONE_DMA32)->managed_pages, DMA32_MANAGED);
	assert_int_equal(zone(ZONE_NORMAL)->present_pages, NORMAL_MANAGED + 16);
	assert_int_equal(zone(ZONE_NORMAL)->managed_pages, NORMAL_MANAGED);
	assert_int_equal(zone(ZONE_HIGHMEM)->managed_pages, HIGH_MANAGED);
	assert_int_equal(zone(ZONE_MOVABLE)->spanned_pages, 0);
	assert_false(populated_zone(zone(ZONE_MOVABLE)));
	assert_int_equal(totalram_pages(),
			 DMA_MANAGED + DMA32_MANAGED + NORMAL_MANAGED + HIGH_MANAGED);
	assert_int_equal(nr_free_pages(), totalram_pages());
	/* Boot memory counts as freed, as in Linux. */
	assert_int_equal(vm_events[PGFREE], totalram_pages());
}

static void test_boot_zone_names(void **state)
{
	(void)state;
	assert_string_equal(zone(ZONE_DMA)->name, "DMA");
	assert_string_equal(zone(ZONE_DMA32)->name, "DMA32");
	assert_string_equal(zone(ZONE_NORMAL)->name, "Normal");
	assert_string_equal(zone(ZONE_HIGHMEM)->name, "HighMem");
	assert_string_equal(zone(ZONE_MOVABLE)->name, "Movable");
}

/*
 * DMA [1, 0x9f): 1 2 4 8 16 32 64 pages up to 128, then 16 8 4 2 1 up to
 * 0x9f; [0x100, 0x1000): 256, 512, then three 1024s.
 * DMA32 [0x1000, 0x5000): 16 x 1024; [0x5e03, 0x9c40): 1, 4, 8, 16, 32,
 * 64, 128, 256 pages up to 0x6000, 15 x 1024, and 64 up to 0x9c40.
 * Normal [0x9c40, 0xa000): 64 128 256 512; [0xa010, 0xe000): 16 32 64 128
 * 256 512 up to 0xa400, then 15 x 1024. HighMem: 8 x 1024.
 */
static const char boot_buddyinfo[] =
	"Node 0, zone      DMA      2      2      2      2      2      1      1"
		"      0      1      1      3 \n"
	"Node 0, zone    DMA32      1      0      1      1      1      1      2"
		"      1      1      0     31 \n"
	"Node 0, zone   Normal      0      0      0      0      1      1      2"
		"      2      2      2     15 \n"
	"Node 0, zone  HighMem      0      0      0      0      0      0      0"
		"      0      0      0      8 \n";

static void test_boot_buddyinfo_shape(void **state)
{
	(void)state;
	show_buddyinfo();
	expect_log(boot_buddyinfo);
}

static void test_boot_no_merge_across_dma32_normal(void **state)
{
	(void)state;
	/* 0x9c00 and 0x9c40 are order-6 buddies, but in two zones. */
	assert_true(PageBuddy(pfn_to_page(0x9c00)));
	assert_int_equal(pfn_to_page(0x9c00)->private, 6);
	assert_true(PageBuddy(pfn_to_page(0x9c40)));
	assert_int_equal(pfn_to_page(0x9c40)->private, 6);
	/* DMA ends in an order-10 block at 0xc00, DMA32 starts with one at 0x1000. */
	assert_int_equal(pfn_to_page(0xc00)->private, 10);
	assert_int_equal(pfn_to_page(0x1000)->private, 10);
	assert_true(PageBuddy(pfn_to_page(0xc00)) && PageBuddy(pfn_to_page(0x1000)));
}

static void test_boot_tail_pages_untouched(void **state)
{
	static const struct page zero;
	unsigned long pfn;

	(void)state;
	/* Only heads are written: the pages inside the HighMem blocks are all zero. */
	for (pfn = NORMAL_END; pfn < HIGH_END; pfn++)
		if (pfn % 1024)
			assert_memory_equal(pfn_to_page(pfn), &zero, sizeof(zero));
}

static void test_boot_range_outside_zones_refused(void **state)
{
	(void)state;
	log_reset();
	assert_int_equal(free_boot_range(HIGH_END, HIGH_END + 16), 0);
	expect_log("free_boot_range: pfn 0x10000 is in no zone; range [0x10000, 0x10010) r"
		"efused from there\n");
	assert_int_equal(nr_free_pages(), totalram_pages());
}

static void test_boot_free_pages_core_checks(void **state)
{
	(void)state;
	log_reset();
	/* misaligned */
	assert_int_equal(__free_pages_core(pfn_to_page(0x5001), 1), -EINVAL);
	/* crossing the DMA32/Normal boundary */
	assert_int_equal(__free_pages_core(pfn_to_page(0x9c00), 7), -EINVAL);
	/* a block already free is refused; a reserved one may be freed (PG_reserved cleared) */
	assert_int_equal(__free_pages_core(pfn_to_page(0x1000), 0), -EINVAL);
	expect_log("__free_pages_core: bad boot block pfn 0x5001 order 1\n"
		   "__free_pages_core: bad boot block pfn 0x9c00 order 7\n"
		   "__free_pages_core: pfn 0x1000 is in use (flags 0x2 refcount 0)\n");
	assert_int_equal(__free_pages_core(pfn_to_page(KERNEL_START), 4), 0);
	assert_int_equal(zone(ZONE_NORMAL)->managed_pages, NORMAL_MANAGED + 16);
	/* 0xa000 (16 pages) merges with its buddies 0xa010, 0xa020, 0xa040,
	 * 0xa080, 0xa100 and 0xa200 into [0xa000, 0xa400), order 10. */
	assert_true(PageBuddy(pfn_to_page(KERNEL_START)));
	assert_int_equal(pfn_to_page(KERNEL_START)->private, 10);
}

static void test_zone_init_rejects_bad_layouts(void **state)
{
	(void)state;
	page_alloc_reset();
	log_reset();
	assert_int_equal(zone_init(ZONE_DMA32, 0x100, 0x50, 0), -EINVAL);
	assert_int_equal(zone_init(ZONE_DMA32, 0x100, 0x200, 0x101), -EINVAL);
	assert_int_equal(zone_init(ZONE_DMA32, 0x1000, 0x2000, 0x1000), 0);
	assert_int_equal(zone_init(ZONE_DMA, 0x800, 0x1800, 0x1000), -EINVAL);
	assert_int_equal(zone_init(ZONE_DMA32, 0x3000, 0x4000, 0x1000), -EINVAL);
	assert_int_equal(zone_init(MAX_NR_ZONES, 0, 1, 1), -EINVAL);
	expect_log("zone_init: bad DMA32 range [0x100, 0x50) with 0 present pages\n"
		   "zone_init: bad DMA32 range [0x100, 0x200) with 257 present pages\n"
		   "zone_init: DMA [0x800, 0x1800) overlaps or is out of order with DMA32\n"
		   "zone_init: zone DMA32 already set up\n"
		   "zone_init: bad zone type 5\n");
	/* Leave the booted state for the teardown. */
	page_alloc_reset();
	skip_teardown_check = true;
}

/* ------------------------------------------------------------ watermarks */

static void test_int_sqrt_and_get_order(void **state)
{
	(void)state;
	assert_int_equal(int_sqrt(0), 0);
	assert_int_equal(int_sqrt(1), 1);
	assert_int_equal(int_sqrt(15), 3);
	assert_int_equal(int_sqrt(16), 4);
	assert_int_equal(int_sqrt(3433152), 1852);
	assert_int_equal(int_sqrt(~0ul), 0xfffffffful);
	assert_int_equal(get_order(1), 0);
	assert_int_equal(get_order(PAGE_SIZE), 0);
	assert_int_equal(get_order(PAGE_SIZE + 1), 1);
	assert_int_equal(get_order(5 * PAGE_SIZE), 3);
	assert_int_equal(get_order(4ul << 20), 10);
}

/*
 * lowmem = 3998 + 32317 + 17328 = 53643 pages = 214572 kB;
 * min_free_kbytes = int_sqrt(214572 * 16) = 1852 -> 463 pages.
 * DMA:    min 463*3998/53643 = 34, step max(8, 3) = 8.
 * DMA32:  min 278, step max(69, 32) = 69.
 * Normal: min 149, step max(37, 17) = 37.
 * HighMem: min clamp(8192/1024, 32, 128) = 32; step from 463*8192/53643
 *          = 70: max(17, 8) = 17.
 */
static void test_watermarks_linux_formula(void **state)
{
	static const unsigned long want[4][4] = {
		{ 34, 42, 50, 58 },
		{ 278, 347, 416, 485 },
		{ 149, 186, 223, 260 },
		{ 32, 49, 66, 83 },
	};
	int t;

	(void)state;
	assert_int_equal(min_free_kbytes, 1852);
	for (t = 0; t < 4; t++) {
		assert_int_equal(min_wmark_pages(zone(t)), want[t][0]);
		assert_int_equal(low_wmark_pages(zone(t)), want[t][1]);
		assert_int_equal(high_wmark_pages(zone(t)), want[t][2]);
		assert_int_equal(promo_wmark_pages(zone(t)), want[t][3]);
	}
	/* Even an empty Movable zone gets the clamped floor, as in Linux. */
	assert_int_equal(min_wmark_pages(zone(ZONE_MOVABLE)), 32);
	assert_int_equal(high_wmark_pages(zone(ZONE_MOVABLE)), 32);
}

static void test_min_free_kbytes_clamped(void **state)
{
	(void)state;
	/* 1 GiB of lowmem... */
	zone(ZONE_DMA32)->managed_pages = 1ul << 18;
	zone(ZONE_DMA)->managed_pages = 0;
	zone(ZONE_NORMAL)->managed_pages = 0;
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes, 4096); /* sqrt(1048576 * 16) */
	/* ...a tiny machine gets the floor... */
	zone(ZONE_DMA32)->managed_pages = 100;
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes, 128);
	/* ...and 16 TiB the ceiling. */
	zone(ZONE_DMA32)->managed_pages = 1ul << 32;
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes, 262144);
	skip_teardown_check = true; /* managed counts were forged */
}

/*
 * DMA (ratio 256): 32317/256 = 126, +17328 -> 193, +8192 -> 225.
 * DMA32 (256): 17328/256 = 67, +8192 -> 99. Normal (32): 8192/32 = 256.
 */
static void test_lowmem_reserve_ratios(void **state)
{
	static const long want[MAX_NR_ZONES][MAX_NR_ZONES] = {
		{ 0, 126, 193, 225, 225 },
		{ 0, 0, 67, 99, 99 },
		{ 0, 0, 0, 256, 256 },
		{ 0 },
		{ 0 },
	};

	(void)state;
	assert_memory_equal(zone(ZONE_DMA)->lowmem_reserve, want[0], sizeof(want[0]));
	assert_memory_equal(zone(ZONE_DMA32)->lowmem_reserve, want[1], sizeof(want[1]));
	assert_memory_equal(zone(ZONE_NORMAL)->lowmem_reserve, want[2], sizeof(want[2]));
	assert_memory_equal(zone(ZONE_HIGHMEM)->lowmem_reserve, want[3], sizeof(want[3]));
	/* Each zone: high + largest reserve: 50+225, 416+99, 223+256, 66. */
	assert_int_equal(totalreserve_pages, 275 + 515 + 479 + 66);
}

/*
 * batch: managed >> 10, /4, at least 1, rounddown_pow_of_two(b + b/2) - 1,
 * at least 1: DMA 3 -> 1; DMA32 31 -> 7 -> 10 -> 7; Normal 16 -> 4 -> 6 ->
 * 3; HighMem 8 -> 2 -> 3 -> 1. high: the low watermark, at least 4 batches.
 */
static void test_pcp_batch_and_high(void **state)
{
	(void)state;
	assert_int_equal(zone(ZONE_DMA)->pcp.batch, 1);
	assert_int_equal(zone(ZONE_DMA)->pcp.high, 42);
	assert_int_equal(zone(ZONE_DMA32)->pcp.batch, 7);
	assert_int_equal(zone(ZONE_DMA32)->pcp.high, 347);
	assert_int_equal(zone(ZONE_NORMAL)->pcp.batch, 3);
	assert_int_equal(zone(ZONE_NORMAL)->pcp.high, 186);
	assert_int_equal(zone(ZONE_HIGHMEM)->pcp.batch, 1);
	assert_int_equal(zone(ZONE_HIGHMEM)->pcp.high, 49);
}

/* ----------------------------------------------------------------- gfp */

static void test_gfp_zone_and_migratetype(void **state)
{
	(void)state;
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_ATOMIC), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(GFP_KERNEL | GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(GFP_KERNEL | __GFP_MOVABLE), ZONE_NORMAL);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_DMA32), ZONE_BAD);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_HIGHMEM), ZONE_BAD);
	assert_int_equal(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	assert_int_equal(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	assert_int_equal(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	assert_int_equal(GFP_KERNEL, 0xcc0);
	assert_int_equal(GFP_ATOMIC, 0x820);
	assert_int_equal(GFP_HIGHUSER_MOVABLE, 0x100cca);
}

static void test_gfp_flag_names_like_pGg(void **state)
{
	char buf[256];

	(void)state;
	format_gfp_flags(buf, sizeof(buf), GFP_KERNEL);
	assert_string_equal(buf, "GFP_KERNEL");
	format_gfp_flags(buf, sizeof(buf), GFP_KERNEL | __GFP_ZERO);
	assert_string_equal(buf, "GFP_KERNEL|__GFP_ZERO");
	format_gfp_flags(buf, sizeof(buf), GFP_ATOMIC | __GFP_NOWARN);
	assert_string_equal(buf, "GFP_ATOMIC|__GFP_NOWARN");
	format_gfp_flags(buf, sizeof(buf), GFP_HIGHUSER_MOVABLE);
	assert_string_equal(buf, "GFP_HIGHUSER_MOVABLE");
	format_gfp_flags(buf, sizeof(buf), GFP_KERNEL | GFP_DMA);
	assert_string_equal(buf, "GFP_KERNEL|GFP_DMA");
	format_gfp_flags(buf, sizeof(buf), GFP_NOWAIT);
	assert_string_equal(buf, "GFP_NOWAIT");
	format_gfp_flags(buf, sizeof(buf), __GFP_DIRECT_RECLAIM | 0x4000000);
	assert_string_equal(buf, "__GFP_DIRECT_RECLAIM|0x4000000");
	format_gfp_flags(buf, sizeof(buf), 0);
	assert_string_equal(buf, "");
	format_gfp_flags(buf, 8, GFP_KERNEL | __GFP_ZERO); /* truncated, still terminated */
	assert_string_equal(buf, "GFP_KER");
}

/* ----------------------------------------------------------- allocation */

static void test_alloc_order0_refills_pcp_by_batch(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), zone(ZONE_NORMAL));
	assert_int_equal(page->_refcount, 1);
	assert_int_equal(page->flags, 0);
	/* One batch (3) left the buddy lists, two wait on the pcp list. */
	assert_int_equal(zone(ZONE_NORMAL)->pcp.count, 2);
	assert_int_equal(zone_page_state(zone(ZONE_NORMAL), NR_FREE_PAGES), NORMAL_MANAGED - 3);
	assert_int_equal(vm_events[PGALLOC_NORMAL], 1);
	__free_pages(page, 0);
	assert_int_equal(zone(ZONE_NORMAL)->pcp.count, 3);
	drain_all_pages();
	assert_int_equal(zone(ZONE_NORMAL)->pcp.count, 0);
	expect_shape(&boot_shape);
}

/* HighMem holds only 1024-page blocks: one page splits one into 1+1+2+...+512. */
static void test_alloc_expand_splits_block(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 0);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), NORMAL_END);
	log_reset();
	show_buddyinfo();
	expect_log_has("Node 0, zone  HighMem      1      1      1      1      1      1      1"
		"      1      1      1      7 \n");
	__free_pages(page, 0);
	drain_all_pages();
	expect_shape(&boot_shape);
}

static void test_alloc_every_order_and_merge_back(void **state)
{
	struct page *pages[NR_PAGE_ORDERS];
	unsigned int o;

	(void)state;
	for (o = 0; o <= MAX_ORDER; o++) {
		pages[o] = alloc_pages(GFP_KERNEL, o);
		assert_non_null(pages[o]);
		assert_int_equal(page_to_pfn(pages[o]) & ((1ul << o) - 1), 0);
		assert_int_equal(pages[o]->private, o);
		assert_int_equal(!!PageHead(pages[o]), o > 0);
	}
	for (o = 0; o <= MAX_ORDER; o++)
		__free_pages(pages[o], o);
	drain_all_pages();
	expect_shape(&boot_shape);
}

static void test_alloc_order10_is_aligned_4mib(void **state)
{
	struct page *a, *b;

	(void)state;
	a = alloc_pages(GFP_HIGHUSER, MAX_ORDER);
	b = alloc_pages(GFP_HIGHUSER, MAX_ORDER);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(page_to_pfn(a) % 1024, 0);
	assert_int_equal(page_to_pfn(b) % 1024, 0);
	assert_true(page_to_pfn(a) != page_to_pfn(b));
	assert_int_equal(zone(ZONE_HIGHMEM)->free_area[10].nr_free, 6);
	__free_pages(b, MAX_ORDER);
	__free_pages(a, MAX_ORDER);
	expect_shape(&boot_shape);
}

static void test_alloc_order_above_max_fails(void **state)
{
	(void)state;
	log_reset();
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	expect_log("alloc_pages: invalid request order:11 mode:0xcc0\n");
	log_reset();
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1));
	assert_null(alloc_pages(__GFP_DMA | __GFP_HIGHMEM | __GFP_NOWARN, 0));
	expect_log("");
	assert_int_equal(vm_events[PGALLOC_FAIL], 3);
}

/* Buddies merge pairwise back up: free in an order that merges late. */
static void test_merge_in_any_free_order(void **state)
{
	struct page *p[8];
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		p[i] = alloc_pages(GFP_HIGHUSER, 7);
		assert_non_null(p[i]);
	}
	/* The first 1024-block is cut into eight 128s: all taken now. */
	for (i = 0; i < 8; i++)
		assert_int_equal(page_to_pfn(p[i]) / 1024, NORMAL_END / 1024);
	for (i = 0; i < 8; i += 2)
		__free_pages(p[i], 7);
	assert_int_equal(zone(ZONE_HIGHMEM)->free_area[7].nr_free, 4);
	for (i = 1; i < 8; i += 2)
		__free_pages(p[i], 7);
	expect_shape(&boot_shape);
}

static void test_highuser_prefers_highmem_kernel_never_gets_it(void **state)
{
	struct page *page;
	int i;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 0);
	assert_ptr_equal(page_zone(page), zone(ZONE_HIGHMEM));
	__free_pages(page, 0);
	for (i = 0; i < 100; i++) {
		page = alloc_pages(GFP_KERNEL, 3);
		assert_true(zone_idx(page_zone(page)) <= ZONE_NORMAL);
	}
	assert_int_equal(vm_events[PGALLOC_HIGH], 1);
	assert_int_equal(vm_events[PGALLOC_NORMAL], 800);
}

static void test_gfp_dma_and_dma32_stay_in_their_zones(void **state)
{
	struct page *page;
	unsigned long n = 0;

	(void)state;
	page = alloc_pages(GFP_KERNEL | GFP_DMA32, 0);
	assert_ptr_equal(page_zone(page), zone(ZONE_DMA32));
	while ((page = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 0))) {
		assert_ptr_equal(page_zone(page), zone(ZONE_DMA));
		n++;
	}
	/* Down to the min watermark of DMA, no further, though other zones are full. */
	assert_int_equal(n, DMA_MANAGED - 34);
	assert_int_equal(zone_page_state(zone(ZONE_DMA), NR_FREE_PAGES), 34);
}

/* Zone fallback: GFP_KERNEL order-10 requests walk Normal, then DMA32, then DMA. */
static void test_zone_fallback_order_normal_dma32_dma(void **state)
{
	enum zone_type last = ZONE_NORMAL;
	struct page *page;
	int seen[MAX_NR_ZONES] = { 0 };

	(void)state;
	while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER))) {
		enum zone_type t = zone_idx(page_zone(page));

		assert_true(t <= last);
		last = t;
		seen[t]++;
	}
	assert_int_equal(seen[ZONE_NORMAL], 15);
	assert_int_equal(seen[ZONE_DMA32], 31);
	/* DMA must keep low + lowmem_reserve[Normal] = 42 + 193 = 235: all three
	 * of its 1024 blocks can go (3998, 2974, 1950 free minus 1023 > 235). */
	assert_int_equal(seen[ZONE_DMA], 3);
	assert_int_equal(seen[ZONE_HIGHMEM], 0);
}

/*
 * DMA alone (GFP_DMA): min 34, low 42, no lowmem reserve. Order-0 pages
 * come one at a time (batch 1). GFP_KERNEL stops at 34 free; GFP_NOWAIT
 * too; GFP_ATOMIC (min/2 then -1/4: 13) goes on to 13; __GFP_HIGH alone
 * (17) is in between.
 */
static void test_watermark_transitions_dma(void **state)
{
	unsigned long n;

	(void)state;
	for (n = 0; alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 0); n++)
		;
	assert_int_equal(n, DMA_MANAGED - 34);
	assert_false(zone_watermark_ok(zone(ZONE_DMA), 0, low_wmark_pages(zone(ZONE_DMA)),
				       ZONE_DMA, 0));
	assert_null(alloc_pages(GFP_NOWAIT | GFP_DMA | __GFP_NOWARN, 0));
	for (n = 0; alloc_pages(GFP_KERNEL | __GFP_HIGH | GFP_DMA | __GFP_NOWARN, 0); n++)
		;
	assert_int_equal(n, 34 - 17);
	for (n = 0; alloc_pages(GFP_ATOMIC | GFP_DMA | __GFP_NOWARN, 0); n++)
		;
	assert_int_equal(n, 17 - 13);
	assert_int_equal(zone_page_state(zone(ZONE_DMA), NR_FREE_PAGES), 13);
	assert_int_equal(vm_events[PGALLOC_FAIL], 4);
}

static void test_watermark_high_order_needs_a_block(void **state)
{
	struct zone *z = zone(ZONE_HIGHMEM);

	(void)state;
	/* Plenty of pages, but a 2048-page block does not exist: order 10 only. */
	assert_true(zone_watermark_ok(z, 10, low_wmark_pages(z), ZONE_HIGHMEM, 0));
	assert_true(__zone_watermark_ok(z, 3, 0, ZONE_HIGHMEM, 0, 100));
	/* free - (2^order - 1) must stay above the mark. */
	assert_false(__zone_watermark_ok(z, 3, 93, ZONE_HIGHMEM, 0, 100));
	assert_true(__zone_watermark_ok(z, 3, 92, ZONE_HIGHMEM, 0, 100));
	/* lowmem_reserve: a Normal-zone request on DMA32 must leave 67 more. */
	assert_false(__zone_watermark_ok(zone(ZONE_DMA32), 0, 278, ZONE_NORMAL, 0, 278 + 67));
	assert_true(__zone_watermark_ok(zone(ZONE_DMA32), 0, 278, ZONE_DMA32, 0, 278 + 67));
}

static void test_lowmem_reserve_protects_dma_from_kernel(void **state)
{
	unsigned long n;

	(void)state;
	while (alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))
		;
	/* Normal-zone requests leave DMA its min plus lowmem_reserve[Normal]. */
	assert_int_equal(zone_page_state(zone(ZONE_DMA), NR_FREE_PAGES), 34 + 193);
	for (n = 0; alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 0); n++)
		;
	assert_int_equal(n, 193);
	/* HighMem was never touched. */
	assert_int_equal(zone_page_state(zone(ZONE_HIGHMEM), NR_FREE_PAGES), HIGH_MANAGED);
}

static void test_failure_report_format(void **state)
{
	(void)state;
	while (alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, MAX_ORDER))
		;
	log_reset();
	assert_null(alloc_pages(GFP_KERNEL | GFP_DMA, MAX_ORDER));
	expect_log_has("swapper/0: page allocation failure: order:10, mode:0xcc1(GFP_KERNEL|GF"
		"P_DMA), nodemask=(null)\nMem-Info:\n");
	expect_log_has("Node 0 DMA free:3704kB boost:0kB min:136kB low:168kB high:200kB presen"
		"t:15996kB managed:15992kB free_pcp:0kB\n"
		       "lowmem_reserve[]: 0 126 193 225 225\n");
	expect_log_has("Node 0 DMA: 2*4kB (M) 2*8kB (M) 2*16kB (M) 2*32kB (M) 2*64kB (M) 1*128"
		"kB (M) 1*256kB (M) 0*512kB 1*1024kB (M) 1*2048kB (M) 0*4096kB = 3704kB"
		"\n");
	expect_log_has("Node 0 HighMem: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512"
		"kB 0*1024kB 0*2048kB 8*4096kB (M) = 32768kB\n");
}

static void test_nowarn_suppresses_report(void **state)
{
	(void)state;
	while (alloc_pages(GFP_DMA | __GFP_NOWARN, MAX_ORDER))
		;
	log_reset();
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, MAX_ORDER));
	expect_log("");
	assert_int_equal(vm_events[PGALLOC_FAIL], 2);
}

static void test_nofail_dips_below_min(void **state)
{
	struct page *page;

	(void)state;
	while (alloc_pages(GFP_ATOMIC | GFP_DMA | __GFP_NOWARN, 0))
		;
	assert_int_equal(zone_page_state(zone(ZONE_DMA), NR_FREE_PAGES), 13);
	log_reset();
	page = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOFAIL, 0);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), zone(ZONE_DMA));
	assert_int_equal(vm_events[PGALLOC_NOFAIL_FORCED], 1);
	expect_log("");
}

static void test_nofail_impossible_reports_and_panics(void **state)
{
	volatile int reached = 0;

	(void)state;
	/* Three 1024 blocks in DMA; the fourth cannot exist. */
	while (alloc_pages(GFP_DMA | __GFP_NOWARN, MAX_ORDER))
		;
	log_reset();
	panic_expected = true;
	if (!setjmp(panic_jmp)) {
		alloc_pages(GFP_DMA | __GFP_NOFAIL, MAX_ORDER);
		reached = 1;
	}
	assert_int_equal(reached, 0);
	expect_log_has("swapper/0: page allocation failure: order:10, mode:0x8001(GFP_DMA|__GF"
		"P_NOFAIL), nodemask=(null)\n");
	expect_log_has("Kernel panic - not syncing: Out of memory: __GFP_NOFAIL order:10 alloc"
		"ation cannot be satisfied\n");
}

/* ----------------------------------------------------------------- pcp */

static void test_pcp_spills_batch_at_high(void **state)
{
	struct page *pages[300];
	struct zone *z = zone(ZONE_NORMAL);
	int i, max = 0;

	(void)state;
	for (i = 0; i < 300; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	for (i = 0; i < 300; i++) {
		__free_pages(pages[i], 0);
		assert_true(z->pcp.count < z->pcp.high);
		if (z->pcp.count > max)
			max = z->pcp.count;
	}
	/* It reached high - 1 and then lost a batch: 186 -> 183. */
	assert_int_equal(max, 185);
	drain_zone_pages(z);
	assert_int_equal(z->pcp.count, 0);
	expect_shape(&boot_shape);
}

static void test_pcp_pages_are_not_counted_free(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_KERNEL | GFP_DMA32, 0);
	/* A batch of 7 left the buddy: 1 allocated, 6 on the list. */
	assert_int_equal(zone_page_state(zone(ZONE_DMA32), NR_FREE_PAGES), DMA32_MANAGED - 7);
	assert_int_equal(zone(ZONE_DMA32)->pcp.count, 6);
	__free_pages(page, 0);
	drain_all_pages();
	assert_int_equal(zone_page_state(zone(ZONE_DMA32), NR_FREE_PAGES), DMA32_MANAGED);
}

static void test_pcp_page_reused_lifo(void **state)
{
	struct page *a, *b;

	(void)state;
	a = alloc_pages(GFP_KERNEL, 0);
	__free_pages(a, 0);
	b = alloc_pages(GFP_KERNEL, 0);
	assert_ptr_equal(a, b); /* the hot page comes back first */
	__free_pages(b, 0);
}

/* --------------------------------------------------------- migratetypes */

static void test_unmovable_steals_whole_max_order_block(void **state)
{
	struct page *page;
	struct zone *z = zone(ZONE_NORMAL);

	(void)state;
	assert_int_equal(get_pfnblock_migratetype(0xa400), MIGRATE_MOVABLE);
	page = alloc_pages(GFP_KERNEL, 0);
	/* The largest block of the fallback type is taken: the first 1024 at 0xa400. */
	assert_int_equal(page_to_pfn(page), 0xa400);
	assert_int_equal(get_pfnblock_migratetype(0xa400), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pfnblock_migratetype(0xa600), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pfnblock_migratetype(0xa800), MIGRATE_MOVABLE);
	/* The split-off pieces sit on the unmovable lists. */
	assert_false(list_empty(&z->free_area[9].free_list[MIGRATE_UNMOVABLE]));
	assert_false(list_empty(&z->free_area[2].free_list[MIGRATE_UNMOVABLE]));
	__free_pages(page, 0);
	drain_all_pages();
	/* Merged back whole; the pageblocks stay unmovable, as in Linux. */
	expect_shape(&boot_shape);
	assert_int_equal(get_pfnblock_migratetype(0xa400), MIGRATE_UNMOVABLE);
	assert_false(list_empty(&z->free_area[10].free_list[MIGRATE_UNMOVABLE]));
}

/*
 * HighMem, all movable: one movable page splits 0xe000; the other seven
 * 1024 blocks and the 512 at 0xe200 are taken too. Left: 0xe001 (1),
 * 0xe002 (2) ... 0xe100 (256), 511 free pages of the pageblock
 * [0xe000, 0xe200). An unmovable page now takes the largest, 0xe100
 * (order 8 < pageblock order): the whole pageblock's free blocks move to
 * the unmovable lists, and since 511 free + 1 used (counted alike for a
 * non-movable request) >= 256, the pageblock becomes unmovable.
 */
static void test_unmovable_claims_partly_used_pageblock(void **state)
{
	struct zone *z = zone(ZONE_HIGHMEM);
	struct page *first, *big[7], *half, *page;
	int i, o;

	(void)state;
	first = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(page_to_pfn(first), NORMAL_END);
	for (i = 0; i < 7; i++)
		big[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, MAX_ORDER);
	half = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);
	assert_int_equal(page_to_pfn(half), NORMAL_END + 0x200);
	assert_true(list_empty(&z->free_area[0].free_list[MIGRATE_UNMOVABLE]));
	page = alloc_pages(GFP_HIGHUSER, 0);
	assert_int_equal(page_to_pfn(page), NORMAL_END + 1);
	assert_int_equal(get_pfnblock_migratetype(NORMAL_END), MIGRATE_UNMOVABLE);
	for (o = 1; o <= 8; o++) {
		assert_true(list_empty(&z->free_area[o].free_list[MIGRATE_MOVABLE]));
		assert_false(list_empty(&z->free_area[o].free_list[MIGRATE_UNMOVABLE]));
	}
	/* The other pageblock of the 4 MiB block was not touched. */
	assert_int_equal(get_pfnblock_migratetype(NORMAL_END + 0x200), MIGRATE_MOVABLE);
	__free_pages(page, 0);
	__free_pages(first, 0);
	__free_pages(half, 9);
	for (i = 0; i < 7; i++)
		__free_pages(big[i], MAX_ORDER);
	drain_all_pages();
	expect_shape(&boot_shape);
}

static void test_reclaimable_falls_back_then_uses_own_lists(void **state)
{
	struct page *a, *b;

	(void)state;
	a = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 2);
	assert_int_equal(get_pfnblock_migratetype(page_to_pfn(a)), MIGRATE_RECLAIMABLE);
	b = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 2);
	/* The second comes from the stolen block, right after the first. */
	assert_int_equal(page_to_pfn(b), page_to_pfn(a) + 4);
	__free_pages(a, 2);
	__free_pages(b, 2);
	expect_shape(&boot_shape);
}

static void test_pageblock_bitmap_set_get(void **state)
{
	(void)state;
	set_pageblock_migratetype(0x1200, MIGRATE_RECLAIMABLE);
	assert_int_equal(get_pfnblock_migratetype(0x1200), MIGRATE_RECLAIMABLE);
	assert_int_equal(get_pfnblock_migratetype(0x13ff), MIGRATE_RECLAIMABLE);
	assert_int_equal(get_pfnblock_migratetype(0x1400), MIGRATE_MOVABLE);
	assert_int_equal(get_pfnblock_migratetype(0x11ff), MIGRATE_MOVABLE);
	/* DMA32 starts at pageblock 8: its first entry is the zone's bit 0. */
	set_pageblock_migratetype(DMA_END, MIGRATE_UNMOVABLE);
	assert_int_equal(get_pfnblock_migratetype(DMA_END), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pfnblock_migratetype(DMA_END - 1), MIGRATE_MOVABLE);
	set_pageblock_migratetype(DMA_END, MIGRATE_MOVABLE);
	set_pageblock_migratetype(0x1200, MIGRATE_MOVABLE);
}

/* ---------------------------------------------- split, exact, zero, free */

static void test_split_page_frees_page_by_page(void **state)
{
	struct page *page;
	int i;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 3);
	split_page(page, 3);
	assert_false(PageHead(page));
	for (i = 0; i < 8; i++)
		assert_int_equal(page[i]._refcount, 1);
	for (i = 7; i >= 0; i--)
		__free_pages(page + i, 0);
	drain_all_pages();
	expect_shape(&boot_shape);
}

static void test_split_page_rejects_non_head(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 3);
	log_reset();
	split_page(page + 1, 2);
	expect_log("split_page: pfn 0xe001 is not an order-2 allocation\n");
	__free_pages(page, 3);
}

static void test_alloc_pages_exact_frees_the_tail(void **state)
{
	struct page *page;
	unsigned long before = nr_free_pages();
	int i;

	(void)state;
	page = alloc_pages_exact(5 * PAGE_SIZE - 100, GFP_HIGHUSER);
	assert_non_null(page);
	for (i = 0; i < 5; i++)
		assert_int_equal(page[i]._refcount, 1);
	for (i = 5; i < 8; i++)
		assert_int_equal(page[i]._refcount, 0);
	drain_all_pages();
	assert_int_equal(nr_free_pages(), before - 5);
	free_pages_exact(page, 5 * PAGE_SIZE - 100);
	drain_all_pages();
	expect_shape(&boot_shape);
	log_reset();
	assert_null(alloc_pages_exact(0, GFP_KERNEL));
	assert_null(alloc_pages_exact(8ul << 20, GFP_KERNEL));
	expect_log("alloc_pages_exact: size 0\n"
		   "alloc_pages_exact: size 0x800000 is above the largest block\n");
}

static void test_gfp_zero_clears_only_the_block(void **state)
{
	struct page *page;
	unsigned long pfn, i;

	(void)state;
	page = alloc_pages(GFP_DMA | __GFP_ZERO, 2);
	pfn = page_to_pfn(page);
	assert_true(pfn + 4 <= FAKE_RAM_PAGES);
	for (i = 0; i < 4 * PAGE_SIZE; i++)
		assert_int_equal(fake_ram[pfn * PAGE_SIZE + i], 0);
	assert_int_equal(pages_cleared, 4);
	/* Neighbours untouched. */
	assert_int_equal(fake_ram[(pfn + 4) * PAGE_SIZE], POISON);
	pfn = get_zeroed_page_pfn(GFP_DMA);
	assert_true(pfn > 0 && pfn < FAKE_RAM_PAGES);
	assert_int_equal(fake_ram[pfn * PAGE_SIZE + PAGE_SIZE - 1], 0);
	assert_int_equal(pages_cleared, 5);
	free_pages_pfn(pfn, 0);
	__free_pages(page, 2);
}

static void test_bad_free_reserved_page(void **state)
{
	(void)state;
	log_reset();
	free_pages_pfn(KERNEL_START, 0);
	expect_log("BUG: Bad page free: pfn:0xa000 order:0: reserved page\n");
	assert_true(PageReserved(pfn_to_page(KERNEL_START)));
	expect_shape(&boot_shape);
}

static void test_bad_free_double_free(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 1);
	__free_pages(page, 1);
	log_reset();
	__free_pages(page, 1);
	expect_log("BUG: Bad page free: pfn:0xe000 order:1: page already free\n");
	page = alloc_pages(GFP_HIGHUSER, 0);
	__free_pages(page, 0); /* now on the pcp list */
	log_reset();
	__free_pages(page, 0);
	expect_log("BUG: Bad page free: pfn:0xe000 order:0: page already free\n");
	drain_all_pages();
	expect_shape(&boot_shape);
}

static void test_bad_free_outside_zones(void **state)
{
	(void)state;
	log_reset();
	free_pages_pfn(HIGH_END + 5, 0);
	free_pages_pfn(0x400, MAX_ORDER + 1);
	expect_log("BUG: Bad page free: pfn:0x10005 order:0: pfn not in any zone\n"
		   "BUG: Bad page free: pfn:0x400 order:11: order above MAX_ORDER\n");
}

static void test_bad_free_wrong_order_and_misaligned(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 2);
	log_reset();
	__free_pages(page, 1);
	__free_pages(page, 0);
	__free_pages(page + 1, 1);
	__free_pages(page + 2, 1);
	expect_log("BUG: Bad page free: pfn:0xe000 order:1: wrong order (not the order it "
		"was allocated with)\n"
		   "BUG: Bad page free: pfn:0xe000 order:0: wrong order (not the order it "
		   	"was allocated with)\n"
		   "BUG: Bad page free: pfn:0xe001 order:1: pfn misaligned for its order\n"
		   "BUG: Bad page free: pfn:0xe002 order:1: page already free\n");
	__free_pages(page, 2);
	expect_shape(&boot_shape);
}

static void test_bad_free_crossing_zone_end(void **state)
{
	(void)state;
	log_reset();
	free_pages_pfn(0x9c00, 7);
	expect_log("BUG: Bad page free: pfn:0x9c00 order:7: block crosses the end of its zone\n");
}

static void test_refcount_shared_page_freed_by_last_put(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 0);
	page->_refcount++; /* a second user (get_page) */
	__free_pages(page, 0);
	assert_int_equal(page->_refcount, 1);
	assert_int_equal(zone(ZONE_HIGHMEM)->pcp.count, 0);
	__free_pages(page, 0);
	assert_int_equal(zone(ZONE_HIGHMEM)->pcp.count, 1);
}

static void test_hwpoison_page_never_returns(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 0);
	page_set_flag(page, PG_hwpoison);
	__free_pages(page, 0);
	drain_all_pages();
	assert_true(PageHWPoison(page));
	assert_int_equal(nr_free_pages(), totalram_pages() - 1);
}

/* ------------------------------------------------------------- checker */

static void test_checker_clean_after_boot(void **state)
{
	(void)state;
	log_reset();
	assert_int_equal(check_free_lists(), 0);
	expect_log("");
}

static void test_checker_catches_page_on_two_lists(void **state)
{
	struct zone *z = zone(ZONE_HIGHMEM);
	struct page *page = pfn_to_page(NORMAL_END);

	(void)state;
	skip_teardown_check = true;
	/* Added to the unmovable order-10 list without leaving the movable one. */
	list_add(&page->lru, &z->free_area[10].free_list[MIGRATE_UNMOVABLE]);
	log_reset();
	assert_true(check_free_lists() >= 1);
	expect_log_has("check_free_lists: HighMem: free list order 10: broken link at pfn");
}

static void test_checker_catches_wrong_order(void **state)
{
	(void)state;
	skip_teardown_check = true;
	pfn_to_page(NORMAL_END + 1024)->private = 9;
	log_reset();
	assert_int_equal(check_free_lists(), 1);
	expect_log("check_free_lists: HighMem: pfn 0xe400 on the order 10 list has flags 0"
		"x2 order 9\n");
}

static void test_checker_catches_nr_free_off(void **state)
{
	(void)state;
	skip_teardown_check = true;
	zone(ZONE_DMA)->free_area[3].nr_free++;
	log_reset();
	assert_int_equal(check_free_lists(), 3);
	expect_log("check_free_lists: DMA: order 3 nr_free 3 but 2 blocks on the lists\n"
		   "check_free_lists: DMA: nr_free_pages 3998 but the free areas hold 4006\n"
		   "check_free_lists: DMA: 4006 free pages but only 3998 managed\n");
}

static void test_checker_catches_misaligned_head(void **state)
{
	struct zone *z = zone(ZONE_DMA);
	struct page *two = pfn_to_page(2), *three = pfn_to_page(3);

	(void)state;
	skip_teardown_check = true;
	/* The order-1 block [2, 4) moved to pfn 3; every counter still agrees. */
	list_del(&two->lru);
	two->flags = 0;
	two->private = 0;
	three->flags = 1ul << PG_buddy;
	three->private = 1;
	list_add(&three->lru, &z->free_area[1].free_list[MIGRATE_MOVABLE]);
	log_reset();
	assert_int_equal(check_free_lists(), 1);
	expect_log("check_free_lists: DMA: pfn 0x3 misaligned for order 1\n");
}

static void test_checker_catches_overlap(void **state)
{
	struct zone *z = zone(ZONE_HIGHMEM);
	struct page *page = pfn_to_page(NORMAL_END + 8);

	(void)state;
	skip_teardown_check = true;
	/* A page inside the free 1024 block at 0xe000 also listed as a free block. */
	page->flags = 1ul << PG_buddy;
	page->private = 0;
	list_add(&page->lru, &z->free_area[0].free_list[MIGRATE_MOVABLE]);
	z->free_area[0].nr_free++;
	z->vm_stat[NR_FREE_PAGES]++;
	log_reset();
	assert_int_equal(check_free_lists(), 2);
	expect_log("check_free_lists: HighMem: block pfn 0xe008 order 0 overlaps free bloc"
		"k pfn 0xe000 order 10\n"
		   "check_free_lists: HighMem: 8193 free pages but only 8192 managed\n");
}

static void test_checker_catches_pcp_count_off(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 0);
	__free_pages(page, 0);
	zone(ZONE_NORMAL)->pcp.count++;
	log_reset();
	assert_int_equal(check_free_lists(), 1);
	expect_log("check_free_lists: Normal: pcp count 4 but 3 pages on the pcp lists\n");
	/* Draining a corrupt count ends when the lists are empty. */
	drain_zone_pages(zone(ZONE_NORMAL));
	assert_int_equal(zone(ZONE_NORMAL)->pcp.count, 1);
	zone(ZONE_NORMAL)->pcp.count = 0;
	expect_shape(&boot_shape);
}

static void test_checker_catches_allocated_page_on_list(void **state)
{
	(void)state;
	skip_teardown_check = true;
	pfn_to_page(NORMAL_END)->_refcount = 1;
	log_reset();
	assert_int_equal(check_free_lists(), 1);
	expect_log("check_free_lists: HighMem: free pfn 0xe000 has refcount 1 flags 0x2\n");
}

/* ------------------------------------------------------------- reports */

static void test_zoneinfo_text(void **state)
{
	(void)state;
	log_reset();
	show_zoneinfo();
	expect_log_has("Node 0, zone      DMA\n"
		       "  pages free     3998\n"
		       "        boost    0\n"
		       "        min      34\n"
		       "        low      42\n"
		       "        high     50\n"
		       "        promo    58\n"
		       "        spanned  4096\n"
		       "        present  3999\n"
		       "        managed  3998\n"
		       "        cma      0\n"
		       "        protection: (0, 126, 193, 225, 225)\n"
		       "      nr_free_pages 3998\n"
		       "  pagesets\n"
		       "    cpu: 0\n"
		       "              count:    0\n"
		       "              high:     42\n"
		       "              batch:    1\n"
		       "              high_min: 42\n"
		       "              high_max: 42\n"
		       "  node_unreclaimable:  0\n"
		       "  start_pfn:           0\n"
		       "Node 0, zone    DMA32\n");
	expect_log_has("Node 0, zone  Movable\n"
		       "  pages free     0\n"
		       "        boost    0\n"
		       "        min      32\n"
		       "        low      32\n"
		       "        high     32\n"
		       "        promo    32\n"
		       "        spanned  0\n"
		       "        present  0\n"
		       "        managed  0\n"
		       "        cma      0\n"
		       "        protection: (0, 0, 0, 0, 0)\n");
	/* The unpopulated zone is the last one and stops after protection. */
	assert_string_equal(log_buf + log_len - strlen("protection: (0, 0, 0, 0, 0)\n"),
			    "protection: (0, 0, 0, 0, 0)\n");
}

static void test_vmstat_text(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_HIGHUSER, 2);
	__free_pages(page, 2);
	log_reset();
	show_vmstat();
	expect_log("nr_free_pages 61835\n"
		   "pgalloc_dma 0\n"
		   "pgalloc_dma32 0\n"
		   "pgalloc_normal 0\n"
		   "pgalloc_high 4\n"
		   "pgalloc_movable 0\n"
		   "pgfree 61839\n"
		   "pgalloc_fail 0\n"
		   "pgalloc_nofail_forced 0\n");
}

/* A zone layout with ZONE_MOVABLE: HIGHUSER_MOVABLE goes there first. */
static void test_movable_zone_first_for_highuser_movable(void **state)
{
	struct page *page;

	(void)state;
	teardown(NULL);
	boot_zones();
	/* Re-layout: give the tail of HighMem to Movable instead. */
	page_alloc_reset();
	assert_int_equal(zone_init(ZONE_NORMAL, 0x1000, 0x8000, 0x7000), 0);
	assert_int_equal(zone_init(ZONE_HIGHMEM, 0x8000, 0xc000, 0x4000), 0);
	assert_int_equal(zone_init(ZONE_MOVABLE, 0xc000, 0x10000, 0x4000), 0);
	assert_int_equal(free_boot_range(0x1000, 0x10000), 0xf000);
	init_per_zone_wmark_min();
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	assert_ptr_equal(page_zone(page), zone(ZONE_MOVABLE));
	assert_int_equal(vm_events[PGALLOC_MOVABLE], 1);
	__free_pages(page, 0);
	page = alloc_pages(GFP_HIGHUSER, 0);
	assert_ptr_equal(page_zone(page), zone(ZONE_HIGHMEM));
	__free_pages(page, 0);
	page = alloc_pages(GFP_KERNEL | __GFP_MOVABLE, 0);
	assert_ptr_equal(page_zone(page), zone(ZONE_NORMAL));
	__free_pages(page, 0);
	/* Movable and HighMem get the small fixed min: clamp(16384/1024, 32, 128). */
	assert_int_equal(min_wmark_pages(zone(ZONE_MOVABLE)), 32);
	assert_int_equal(zone(ZONE_NORMAL)->lowmem_reserve[ZONE_MOVABLE], (0x4000 + 0x4000) / 32);
}

/* --------------------------------------------------------- randomised */

/* xorshift64: deterministic, seeded. */
static unsigned long rng_state;
static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct live {
	unsigned long pfn;
	unsigned int order;
};

static void test_random_against_model(void **state)
{
	static const gfp_t modes[] = { GFP_KERNEL, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE,
				       GFP_KERNEL | GFP_DMA32, GFP_KERNEL | GFP_DMA,
				       GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC };
	static struct live live[20000];
	static unsigned char used[NR_PFNS];
	unsigned long nlive = 0, allocated = 0, i, step;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ul;
	memset(used, 0, sizeof(used));
	for (step = 0; step < 60000; step++) {
		if (nlive < 20000 && (nlive == 0 || rnd() % 100 < 55)) {
			gfp_t gfp = modes[rnd() % ARRAY_SIZE(modes)] | __GFP_NOWARN;
			unsigned int order = rnd() % 4 == 0 ? (unsigned int)(rnd() % 11) : 0;
			struct page *page = alloc_pages(gfp, order);
			unsigned long pfn;

			if (!page)
				continue;
			pfn = page_to_pfn(page);
			assert_int_equal(pfn & ((1ul << order) - 1), 0);
			assert_true(zone_idx(page_zone(page)) <= gfp_zone(gfp));
			assert_true(pfn + (1ul << order) <= page_zone(page)->zone_end_pfn);
			for (i = pfn; i < pfn + (1ul << order); i++) {
				assert_int_equal(used[i], 0);
				assert_false(PageReserved(pfn_to_page(i)));
				used[i] = 1;
			}
			live[nlive].pfn = pfn;
			live[nlive++].order = order;
			allocated += 1ul << order;
		} else {
			unsigned long k = rnd() % nlive;

			for (i = live[k].pfn; i < live[k].pfn + (1ul << live[k].order); i++)
				used[i] = 0;
			free_pages_pfn(live[k].pfn, live[k].order);
			allocated -= 1ul << live[k].order;
			live[k] = live[--nlive];
		}
		if (step % 5000 == 0) {
			unsigned long pcp = 0;
			struct zone *z;

			for_each_zone(z)
				pcp += (unsigned long)z->pcp.count;
			assert_int_equal(nr_free_pages() + pcp + allocated, totalram_pages());
			assert_int_equal(check_free_lists(), 0);
		}
	}
	for (; nlive; nlive--)
		free_pages_pfn(live[nlive - 1].pfn, live[nlive - 1].order);
	drain_all_pages();
	assert_int_equal(nr_free_pages(), totalram_pages());
	expect_shape(&boot_shape);
}

/* Every case's setup, and the boot shape taken once from it. */
static int setup_first(void **state)
{
	setup(state);
	take_shape(&boot_shape);
	teardown(state);
	return 0;
}

/*
 * Deferred boot blocks (mmzone.h): the same layout booted with whole
 * MAX_ORDER blocks recorded as ranges instead of listed one by one.
 *
 *   DMA32 [0x1000 ........ 0x5000) hole [0x5e03 | 0x6000 ...... 0x9c00 | 0x9c40)
 *          16 blocks of 1024 pages           (edge)  15 blocks          (edge)
 *          -> 31 order-10 blocks counted, 1 listed (movable), 30 deferred
 *   HighMem [0xe000 .. 0x10000): 8 blocks counted, 1 listed, 7 deferred
 */
static int setup_deferred(void **state)
{
	(void)state;
	log_reset();
	skip_teardown_check = false;
	boot_zones();
	page_alloc_defer_boot_blocks = true;
	mark_page_reserved_range(0, 1);
	mark_page_reserved_range(KERNEL_START, KERNEL_END);
	assert_int_equal(free_boot_range(0, 0x9f), 0x9e);
	assert_int_equal(free_boot_range(0x100, DMA32_HOLE_START), DMA32_HOLE_START - 0x100);
	assert_int_equal(free_boot_range(DMA32_HOLE_END, KERNEL_START),
			 KERNEL_START - DMA32_HOLE_END);
	assert_int_equal(free_boot_range(KERNEL_END, HIGH_END), HIGH_END - KERNEL_END);
	init_per_zone_wmark_min();
	assert_string_equal(log_buf, "");
	return 0;
}

static unsigned long list_len(const struct list_head *head)
{
	const struct list_head *p;
	unsigned long n = 0;

	list_for_each(p, head)
		n++;
	return n;
}

/* Counted as free order-10 blocks, but only one per zone is on a list; the rest untouched. */
static void test_deferred_blocks_counted_not_listed(void **state)
{
	struct zone *dma32 = zone(ZONE_DMA32), *high = zone(ZONE_HIGHMEM);
	struct free_area *a32 = &dma32->free_area[MAX_ORDER];

	(void)state;
	assert_int_equal(dma32->managed_pages, DMA32_MANAGED);
	assert_int_equal(high->managed_pages, HIGH_MANAGED);
	assert_int_equal(a32->nr_free, 31);
	assert_int_equal(list_len(&a32->free_list[MIGRATE_MOVABLE]), 1);
	assert_int_equal(dma32->nr_deferred_blocks, 30);
	assert_int_equal(dma32->nr_deferred_ranges, 2);
	assert_int_equal(high->free_area[MAX_ORDER].nr_free, 8);
	assert_int_equal(high->nr_deferred_blocks, 7);
	assert_int_equal(zone_page_state(dma32, NR_FREE_PAGES), DMA32_MANAGED);
	/* The deferred blocks' head struct pages were never written. */
	for (unsigned int r = 0; r < dma32->nr_deferred_ranges; r++)
		for (unsigned long pfn = dma32->deferred[r].start_pfn; pfn < dma32->deferred[r].end_pfn;
		     pfn += 1ul << MAX_ORDER) {
			struct page zero = { 0 };

			assert_memory_equal(pfn_to_page(pfn), &zero, sizeof(zero));
		}
}

/* Taking every order-10 block puts deferred ones on the list one at a time; all come back. */
static void test_deferred_blocks_materialise_on_demand(void **state)
{
	struct zone *dma32 = zone(ZONE_DMA32);
	struct page *held[40];
	unsigned int n = 0;

	(void)state;
	while (n < 40 && dma32->free_area[MAX_ORDER].nr_free) {
		held[n] = alloc_pages(GFP_DMA32 | __GFP_NOWARN, MAX_ORDER);
		assert_non_null(held[n]);
		assert_int_equal(page_to_pfn(held[n]) & ((1ul << MAX_ORDER) - 1), 0);
		n++;
		log_reset();
		assert_int_equal(check_free_lists(), 0);
	}
	assert_int_equal(n, 31);
	assert_int_equal(dma32->nr_deferred_blocks, 0);
	while (n)
		__free_pages(held[--n], MAX_ORDER);
	assert_int_equal(dma32->free_area[MAX_ORDER].nr_free, 31);
	assert_int_equal(zone_page_state(dma32, NR_FREE_PAGES), DMA32_MANAGED);
}

/* An unmovable request steals the listed movable block: the next deferred one is listed. */
static void test_deferred_refill_after_steal(void **state)
{
	struct zone *high = zone(ZONE_HIGHMEM);
	struct page *p;

	(void)state;
	p = alloc_pages(GFP_HIGHUSER, MAX_ORDER); /* unmovable: steals the listed movable block */
	assert_non_null(p);
	assert_int_equal(high->nr_deferred_blocks, 6);
	assert_int_equal(list_len(&high->free_area[MAX_ORDER].free_list[MIGRATE_MOVABLE]), 1);
	log_reset();
	assert_int_equal(check_free_lists(), 0);
	__free_pages(p, MAX_ORDER);
}

/* The checker notices deferred bookkeeping that does not add up. */
static void test_checker_catches_deferred_count_off(void **state)
{
	struct zone *dma32 = zone(ZONE_DMA32);

	(void)state;
	dma32->nr_deferred_blocks++;
	log_reset();
	assert_true(check_free_lists() >= 1);
	expect_log_has("deferred blocks counted but the ranges hold");
	dma32->nr_deferred_blocks--;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TD(f) cmocka_unit_test_setup_teardown(f, setup_deferred, teardown)
	const struct CMUnitTest tests[] = {
		TD(test_deferred_blocks_counted_not_listed),
		TD(test_deferred_blocks_materialise_on_demand),
		TD(test_deferred_refill_after_steal),
		TD(test_checker_catches_deferred_count_off),
		T(test_boot_zone_spans_and_counts),
		T(test_boot_zone_names),
		T(test_boot_buddyinfo_shape),
		T(test_boot_no_merge_across_dma32_normal),
		T(test_boot_tail_pages_untouched),
		T(test_boot_range_outside_zones_refused),
		T(test_boot_free_pages_core_checks),
		T(test_zone_init_rejects_bad_layouts),
		T(test_int_sqrt_and_get_order),
		T(test_watermarks_linux_formula),
		T(test_min_free_kbytes_clamped),
		T(test_lowmem_reserve_ratios),
		T(test_pcp_batch_and_high),
		T(test_gfp_zone_and_migratetype),
		T(test_gfp_flag_names_like_pGg),
		T(test_alloc_order0_refills_pcp_by_batch),
		T(test_alloc_expand_splits_block),
		T(test_alloc_every_order_and_merge_back),
		T(test_alloc_order10_is_aligned_4mib),
		T(test_alloc_order_above_max_fails),
		T(test_merge_in_any_free_order),
		T(test_highuser_prefers_highmem_kernel_never_gets_it),
		T(test_gfp_dma_and_dma32_stay_in_their_zones),
		T(test_zone_fallback_order_normal_dma32_dma),
		T(test_watermark_transitions_dma),
		T(test_watermark_high_order_needs_a_block),
		T(test_lowmem_reserve_protects_dma_from_kernel),
		T(test_failure_report_format),
		T(test_nowarn_suppresses_report),
		T(test_nofail_dips_below_min),
		T(test_nofail_impossible_reports_and_panics),
		T(test_pcp_spills_batch_at_high),
		T(test_pcp_pages_are_not_counted_free),
		T(test_pcp_page_reused_lifo),
		T(test_unmovable_steals_whole_max_order_block),
		T(test_unmovable_claims_partly_used_pageblock),
		T(test_reclaimable_falls_back_then_uses_own_lists),
		T(test_pageblock_bitmap_set_get),
		T(test_split_page_frees_page_by_page),
		T(test_split_page_rejects_non_head),
		T(test_alloc_pages_exact_frees_the_tail),
		T(test_gfp_zero_clears_only_the_block),
		T(test_bad_free_reserved_page),
		T(test_bad_free_double_free),
		T(test_bad_free_outside_zones),
		T(test_bad_free_wrong_order_and_misaligned),
		T(test_bad_free_crossing_zone_end),
		T(test_refcount_shared_page_freed_by_last_put),
		T(test_hwpoison_page_never_returns),
		T(test_checker_clean_after_boot),
		T(test_checker_catches_page_on_two_lists),
		T(test_checker_catches_wrong_order),
		T(test_checker_catches_nr_free_off),
		T(test_checker_catches_misaligned_head),
		T(test_checker_catches_overlap),
		T(test_checker_catches_pcp_count_off),
		T(test_checker_catches_allocated_page_on_list),
		T(test_zoneinfo_text),
		T(test_vmstat_text),
		T(test_movable_zone_first_for_highuser_movable),
		T(test_random_against_model),
	};
#undef T

	return cmocka_run_group_tests(tests, setup_first, NULL);
}
