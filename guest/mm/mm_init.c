// SPDX-License-Identifier: MIT
/*
 * From memblock to the page allocator (Linux's free_area_init() and
 * memblock_free_all()): size the zones from where RAM is and from the
 * lowmem/movable limits, hand every free memblock range to the buddy
 * allocator in the largest aligned blocks, set the watermarks, and say
 * what happened in Linux's words ("Zone ranges:", "Memory: ...K/...K").
 */
#include "asm/page.h"
#include "kernel/cmdline.h"
#include "kernel/kstrtox.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/e820_setup.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/sparse.h"

#define SZ_16M (16ull << 20)
#define SZ_4G (4ull << 30)
/* i386's lowmem limit (896 MiB), the default of lowmem=. */
#define LOWMEM_DEFAULT (896ull << 20)

/* Linker-script symbols, for the "Memory:" line's breakdown. */
extern char _text[], _etext[], _end[], __bss_start[], __bss_end[];

static u64 lowmem_limit = LOWMEM_DEFAULT;
static u64 movablecore, kernelcore;
static bool movablecore_given, kernelcore_given;

/* Zone boundaries in pfns, as zone_sizes_init() computes max_zone_pfns. */
static unsigned long zone_start[MAX_NR_ZONES], zone_end[MAX_NR_ZONES];
/* The same before ZONE_MOVABLE is cut out: what "Zone ranges:" prints, as Linux does. */
static unsigned long arch_zone_start[MAX_NR_ZONES], arch_zone_end[MAX_NR_ZONES];
unsigned long max_low_pfn, max_pfn;
static unsigned long min_pfn;

/* A size parameter: absent leaves *@val alone; a bad value stops the boot. */
static bool size_param(const char *key, u64 *val)
{
	const char *s = cmdline_get(key);

	if (!s)
		return false;
	if (kstrtosize(s, val))
		bad_boot("%s=: bad size \"%s\" (want a number with an optional K/M/G/T suffix)",
			 key, s);
	return true;
}

void mm_parse_cmdline(void)
{
	size_param("lowmem", &lowmem_limit);
	movablecore_given = size_param("movablecore", &movablecore);
	kernelcore_given = size_param("kernelcore", &kernelcore);
}

/* Present pages of memblock.memory inside [start_pfn, end_pfn). */
static unsigned long present_pages_in(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long present = 0;
	phys_addr_t start, end;
	u64 i;

	for_each_mem_range(i, &start, &end) {
		unsigned long s = PFN_UP(start), e = PFN_DOWN(end);

		if (s < start_pfn)
			s = start_pfn;
		if (e > end_pfn)
			e = end_pfn;
		if (s < e)
			present += e - s;
	}
	return present;
}

/*
 * Where ZONE_MOVABLE begins (Linux's find_zone_movable_pfns_for_nodes()):
 * the lowest pfn above which the top movablecore bytes (or all but
 * kernelcore bytes) of present memory lie, rounded up to a MAX_ORDER block
 * (so kernelcore gets at least what was asked and no free block straddles
 * the boundary), and never below the start of the highest populated zone.
 * Asking for all of memory, or none, means no ZONE_MOVABLE, as in Linux.
 */
static unsigned long find_movable_start(void)
{
	unsigned long total = present_pages_in(min_pfn, max_pfn), want, lo, hi;
	unsigned long usable_start = min_pfn;

	if (movablecore_given)
		want = PFN_DOWN(movablecore);
	else if (kernelcore_given)
		want = total > PFN_DOWN(kernelcore) ? total - PFN_DOWN(kernelcore) : 0;
	else
		return max_pfn;
	if (want == 0 || want >= total)
		return max_pfn;
	for (int t = ZONE_MOVABLE - 1; t >= 0; t--)
		if (present_pages_in(zone_start[t], zone_end[t])) {
			usable_start = zone_start[t];
			break;
		}
	/* Binary search on the start: present pages above it shrink as it grows. */
	lo = min_pfn;
	hi = max_pfn;
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo + 1) / 2;

		if (present_pages_in(mid, max_pfn) >= want)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (lo < usable_start)
		lo = usable_start;
	lo = (lo + (1ul << MAX_ORDER) - 1) & ~((1ul << MAX_ORDER) - 1);
	return lo < max_pfn ? lo : max_pfn;
}

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem",
						      "Movable" };

/* Linux's "Zone ranges:" block (free_area_init()). */
static void print_zone_ranges(void)
{
	phys_addr_t start, end;
	u64 i;

	printk("Zone ranges:\n");
	for (int t = 0; t < ZONE_MOVABLE; t++) {
		if (arch_zone_start[t] >= arch_zone_end[t])
			printk("  %-8s empty\n", zone_names[t]);
		else
			printk("  %-8s [mem 0x%016llx-0x%016llx]\n", zone_names[t],
			       (unsigned long long)PFN_PHYS(arch_zone_start[t]),
			       (unsigned long long)PFN_PHYS(arch_zone_end[t]) - 1);
	}
	printk("Movable zone start for each node\n");
	if (zone_start[ZONE_MOVABLE] < zone_end[ZONE_MOVABLE])
		printk("  Node 0: 0x%016llx\n", (unsigned long long)PFN_PHYS(zone_start[ZONE_MOVABLE]));
	printk("Early memory node ranges\n");
	for_each_mem_range(i, &start, &end)
		printk("  node   0: [mem 0x%016llx-0x%016llx]\n", (unsigned long long)start,
		       (unsigned long long)end - 1);
	printk("Initmem setup node 0 [mem 0x%016llx-0x%016llx]\n",
	       (unsigned long long)PFN_PHYS(min_pfn), (unsigned long long)PFN_PHYS(max_pfn) - 1);
}

/* Zone boundaries from RAM, lowmem= and movablecore=/kernelcore=. */
static void compute_zone_boundaries(void)
{
	unsigned long dma_end, dma32_end, movable_start;

	min_pfn = PFN_UP(memblock_start_of_DRAM());
	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	max_low_pfn = PFN_DOWN(lowmem_limit) < max_pfn ? PFN_DOWN(lowmem_limit) : max_pfn;
	dma_end = PFN_DOWN(SZ_16M) < max_low_pfn ? PFN_DOWN(SZ_16M) : max_low_pfn;
	dma32_end = PFN_DOWN(SZ_4G) < max_low_pfn ? PFN_DOWN(SZ_4G) : max_low_pfn;

	zone_start[ZONE_DMA] = min_pfn;
	zone_end[ZONE_DMA] = dma_end;
	zone_start[ZONE_DMA32] = dma_end;
	zone_end[ZONE_DMA32] = dma32_end;
	zone_start[ZONE_NORMAL] = dma32_end;
	zone_end[ZONE_NORMAL] = max_low_pfn;
	zone_start[ZONE_HIGHMEM] = max_low_pfn;
	zone_end[ZONE_HIGHMEM] = max_pfn;

	for (int t = 0; t < ZONE_MOVABLE; t++) {
		arch_zone_start[t] = zone_start[t];
		arch_zone_end[t] = zone_end[t];
	}
	/* ZONE_MOVABLE takes the top of memory from whatever zones held it. */
	movable_start = find_movable_start();
	zone_start[ZONE_MOVABLE] = movable_start;
	zone_end[ZONE_MOVABLE] = max_pfn;
	for (int t = 0; t < ZONE_MOVABLE; t++) {
		if (zone_end[t] > movable_start)
			zone_end[t] = movable_start;
		if (zone_start[t] > zone_end[t])
			zone_start[t] = zone_end[t];
	}
}

/*
 * Usable E820 RAM split into what the buddy allocator can ever see and
 * what it cannot, each term from its own source so that their sum is a
 * check: @ram is every sanitized E820_TYPE_RAM byte, @page0 is page 0 when
 * it is a whole RAM page (x86_memblock_setup() keeps it out of memblock),
 * @partial the RAM bytes in no whole page (memblock_trim_memory() drops
 * them; a piece of page 0 counts here), @ignored the whole pages beyond the
 * memory model (x86_memblock_setup() removes them).
 */
static void e820_ram_terms(u64 *ram, u64 *page0, u64 *partial, u64 *ignored)
{
	*ram = *page0 = *partial = *ignored = 0;
	for (u32 i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		/* Clamped as memblock_add() clamps: RAM ends at PHYS_ADDR_MAX at most. */
		u64 end = e->size > PHYS_ADDR_MAX - e->addr ? PHYS_ADDR_MAX : e->addr + e->size;
		/* PFN_UP() without its overflow for an entry in the last page of 2^64. */
		u64 first = PFN_DOWN(e->addr) + !!(e->addr & ~PAGE_MASK), last = PFN_DOWN(end);
		u64 whole = last > first ? (last - first) << PAGE_SHIFT : 0;

		if (e->type != E820_TYPE_RAM)
			continue;
		*ram += end - e->addr;
		*partial += end - e->addr - whole;
		if (first == 0 && last > 0)
			*page0 += PAGE_SIZE;
		if (last > MAX_PHYS_PFN)
			*ignored += (last - (first > MAX_PHYS_PFN ? first : MAX_PHYS_PFN)) << PAGE_SHIFT;
	}
}

/*
 * The sum, both sides on one line: MemTotal (pages managed by the
 * buddy allocator) = usable E820 RAM - partial pages - page 0 - reserved
 * (present pages memblock kept). Every term is in KiB rounded down; the
 * whole-page terms are exact, so the sum holds exactly whenever the
 * kernel's accounting does.
 */
static void print_memtotal_sum(unsigned long present_pages, unsigned long freed_pages)
{
	unsigned long managed = 0;
	u64 ram, page0, partial, ignored;
	struct zone *z;

	for_each_zone(z)
		managed += z->managed_pages;
	e820_ram_terms(&ram, &page0, &partial, &ignored);
	printk("mm: MemTotal %luK = E820 usable %lluK - partial pages %lluK - page 0 %lluK - "
	       "reserved %luK", managed << (PAGE_SHIFT - 10), (unsigned long long)(ram >> 10),
	       (unsigned long long)(partial >> 10), (unsigned long long)(page0 >> 10),
	       (present_pages - freed_pages) << (PAGE_SHIFT - 10));
	/* Only when there is some, so the usual line keeps its five terms. */
	if (ignored)
		printk(" - beyond the memory model %lluK", (unsigned long long)(ignored >> 10));
	printk("\n");
}

void mm_core_init(void)
{
	unsigned long freed = 0, present_total = 0, highmem_total = 0;
	unsigned long code, bss, image;
	phys_addr_t start, end;
	u64 i;

	compute_zone_boundaries();
	print_zone_ranges();
	arch_map_lowmem(max_low_pfn);
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		unsigned long present;

		if (zone_start[t] >= zone_end[t])
			continue;
		present = present_pages_in(zone_start[t], zone_end[t]);
		present_total += present;
		if (zone_init((enum zone_type)t, zone_start[t], zone_end[t], present))
			panic("mm: cannot set up zone %s [pfn 0x%lx-0x%lx]", zone_names[t],
			      zone_start[t], zone_end[t]);
	}

	/* Everything memblock did not reserve becomes buddy memory (memblock_free_all()). */
	for_each_free_mem_range(i, &start, &end)
		freed += free_boot_range(PFN_UP(start), PFN_DOWN(end));

	init_per_zone_wmark_min();
	setup_per_zone_lowmem_reserve();
	setup_per_zone_wmarks();
	zone_pcp_update_all();

	/* Linux's totalhigh_pages(): managed pages of HighMem and of Movable above lowmem. */
	for (int t = ZONE_HIGHMEM; t < MAX_NR_ZONES; t++) {
		const struct zone *z = &contig_page_data.node_zones[t];

		if (z->managed_pages && z->zone_start_pfn >= max_low_pfn)
			highmem_total += z->managed_pages;
	}
	code = (unsigned long)(_etext - _text);
	bss = (unsigned long)(__bss_end - __bss_start);
	image = (unsigned long)(_end - _text);
	printk("Memory: %luK/%luK available (%luK kernel code, %luK rwdata+rodata, %luK bss, %luK "
	       "reserved, 0K cma-reserved, %luK highmem)\n",
	       freed << (PAGE_SHIFT - 10), present_total << (PAGE_SHIFT - 10), code >> 10,
	       (image - code - bss) >> 10, bss >> 10, (present_total - freed) << (PAGE_SHIFT - 10),
	       highmem_total << (PAGE_SHIFT - 10));
	print_memtotal_sum(present_total, freed);
}
