// SPDX-License-Identifier: MIT
/*
 * The sparse memory model: which 128 MiB sections hold RAM, and struct
 * pages (in the vmemmap) for those and only those. See mm/sparse.h and
 * docs/physical-memory.md.
 *
 * Arch-neutral: the vmemmap is backed by the arch's vmemmap_populate(),
 * and memory from memblock is reached through sparse_early_va(), so the
 * host unit test (tests/unit/test_sparse.c) links this very file with a
 * recording vmemmap_populate() and an arena of its own.
 *
 * Every loop here runs per section, per root or per memblock region, never
 * per page: the guest may run at a million instructions a second.
 */
#include "asm/clear_page.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/sparse.h"

/* Percentages are printed with two decimals. */
#define PERCENT_SCALE 10000ul

/* Not cleared by the boot: entries are cleared on first use (see mm/sparse.h). */
struct mem_section *mem_section[NR_SECTION_ROOTS] __noinit;
unsigned long mem_section_roots_cleared;
struct sparse_stats sparse_stats;

/* The highest present section number + 1 (0: none), where walks stop. */
static unsigned long sections_end;
/* memory_present() complained about memory beyond MAX_PHYSMEM_BITS already. */
static bool warned_beyond_max;

struct page *vmemmap = (struct page *)VMEMMAP_START;

/* Forget every section (host tests between cases). */
void sparse_reset(void)
{
	mem_section_roots_cleared = 0;
	sections_end = 0;
	warned_beyond_max = false;
	memset(&sparse_stats, 0, sizeof(sparse_stats));
}

/* Make the root of section @nr exist: clear the root array up to it, allocate its page. */
static int sparse_index_init(unsigned long nr)
{
	unsigned long root = section_nr_to_root(nr);
	phys_addr_t pa;

	if (root >= mem_section_roots_cleared) {
		clear_qwords(&mem_section[mem_section_roots_cleared],
			     (root + 1 - mem_section_roots_cleared) * sizeof(mem_section[0]));
		mem_section_roots_cleared = root + 1;
	}
	if (mem_section[root])
		return 0;
	pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!pa) {
		printk("sparse: no memory for the section root of section %lu\n", nr);
		return -ENOMEM;
	}
	mem_section[root] = sparse_early_va(pa);
	clear_page(mem_section[root]);
	sparse_stats.root_pages++;
	return 0;
}

/* Record that [@start_pfn, @end_pfn) holds RAM: its sections get struct pages. */
int memory_present(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long nr, last;
	int ret;

	if (end_pfn > MAX_PHYS_PFN) {
		if (!warned_beyond_max)
			printk("sparse: ignoring memory above %u bits: pfns [0x%lx-0x%lx)\n",
			       MAX_PHYSMEM_BITS, start_pfn > MAX_PHYS_PFN ? start_pfn : MAX_PHYS_PFN,
			       end_pfn);
		warned_beyond_max = true;
		end_pfn = MAX_PHYS_PFN;
	}
	if (start_pfn >= end_pfn)
		return 0;
	last = pfn_to_section_nr(end_pfn - 1);
	for (nr = pfn_to_section_nr(start_pfn); nr <= last; nr++) {
		struct mem_section *ms;

		ret = sparse_index_init(nr);
		if (ret)
			return ret;
		ms = __nr_to_section(nr);
		if (!(ms->flags & SECTION_MARKED_PRESENT)) {
			ms->flags |= SECTION_MARKED_PRESENT;
			sparse_stats.present_sections++;
		}
		if (nr + 1 > sections_end)
			sections_end = nr + 1;
	}
	return 0;
}

/* The iterator behind for_each_present_section(). */
unsigned long next_present_section_nr(unsigned long nr)
{
	while (nr < sections_end) {
		unsigned long root = section_nr_to_root(nr);

		/* A missing root: none of its sections is present. */
		if (root >= mem_section_roots_cleared || !mem_section[root]) {
			nr = (root + 1) * SECTIONS_PER_ROOT;
			continue;
		}
		if (mem_section[root][nr & SECTION_ROOT_MASK].flags & SECTION_MARKED_PRESENT)
			return nr;
		nr++;
	}
	return -1ul;
}

/* Virtual address of the struct page of the first pfn of section @nr. */
static unsigned long section_memmap_va(unsigned long nr)
{
	return (unsigned long)pfn_to_page(section_nr_to_pfn(nr));
}

/*
 * Populate the memmap of present sections [@first, @last] (consecutive) in
 * one call, so the arch can use 2 MiB pages across section boundaries.
 */
static int sparse_populate_run(unsigned long first, unsigned long last)
{
	int ret;

	ret = vmemmap_populate(section_memmap_va(first), section_memmap_va(last + 1));
	sparse_stats.populate_calls++;
	if (ret) {
		printk("sparse: cannot map the memmap of sections %lu-%lu (error %d)\n", first, last,
		       ret);
		return ret;
	}
	for (unsigned long nr = first; nr <= last; nr++) {
		__nr_to_section(nr)->flags |= SECTION_HAS_MEM_MAP;
		sparse_stats.memmap_sections++;
	}
	return 0;
}

/*
 * Give every present section without a memmap its struct pages, one
 * vmemmap_populate() per run of consecutive such sections.
 */
static int sparse_populate_all(void)
{
	unsigned long nr = next_present_section_nr(0);

	while (nr != -1ul) {
		unsigned long first = nr, last = nr;
		int ret;

		if (valid_section_nr(nr)) {
			nr = next_present_section_nr(nr + 1);
			continue;
		}
		for (nr = next_present_section_nr(nr + 1); nr == last + 1 && !valid_section_nr(nr);
		     nr = next_present_section_nr(nr + 1))
			last = nr;
		ret = sparse_populate_run(first, last);
		if (ret)
			return ret;
	}
	return 0;
}

/* The boot summary line, in the spirit of Linux's "Memory: ..." lines. */
static void sparse_print_summary(void)
{
	unsigned long memmap = sparse_stats.memmap_sections * PAGES_PER_SECTION *
			       sizeof(struct page);
	phys_addr_t ram = memblock_phys_mem_size();
	unsigned long pct = ram ? (memmap * PERCENT_SCALE + ram / 2) / ram : 0;

	printk("sparse: %lu present sections of %lu MiB, memmap %lu KiB "
	       "(%zu bytes per %lu KiB page, %lu.%02lu%% of present RAM)\n",
	       sparse_stats.present_sections, SECTION_SIZE >> 20, memmap >> 10, sizeof(struct page),
	       PAGE_SIZE >> 10, pct / 100, pct % 100);
}

/* Boot: sections and struct pages for all of memblock.memory. */
void sparse_init(void)
{
	/*
	 * NOMAP memory too: it has struct pages in Linux as well, only never
	 * allocated. By index, re-reading the array: allocating a root changes
	 * memblock, which may move region arrays.
	 */
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t base = memblock.memory.regions[i].base;
		phys_addr_t end = base + memblock.memory.regions[i].size;

		/* end - 1: a region clamped at PHYS_ADDR_MAX must not wrap. */
		if (memory_present(PFN_DOWN(base), PFN_DOWN(end - 1) + 1))
			panic("sparse: cannot mark [0x%lx-0x%lx] present", (unsigned long)base,
			      (unsigned long)(end - 1));
	}
	if (sparse_populate_all())
		panic("sparse: cannot populate the vmemmap");
	sparse_print_summary();
	vmemmap_print_summary();
}
