// SPDX-License-Identifier: MIT
/*
 * How generic mm reaches physical memory on x86: lowmem through the direct
 * map at PAGE_OFFSET (built here, 2 MiB pages where alignment allows),
 * boot-time metadata through the boot identity map of [0, 4 GiB) that
 * memblock's limit keeps early allocations in, highmem through an
 * early_ioremap() slot. These are the hooks mm/page_alloc.h, mm/slab.h and
 * mm/mm_init.h ask the arch for.
 */
#include "asm/clear_page.h"
#include "asm/early_ioremap.h"
#include "asm/direct_map.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "kernel/panic.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* Boot-time metadata (pageblock bitmaps...): zeroed memblock memory, identity mapped. */
void *mm_boot_alloc(size_t bytes)
{
	phys_addr_t pa = memblock_phys_alloc(bytes, sizeof(unsigned long));
	void *va;

	if (!pa)
		return NULL;
	va = (void *)(unsigned long)pa; /* memblock's limit keeps it inside the identity map */
	clear_qwords(va, (bytes + 7) & ~7ul);
	return va;
}

void arch_clear_page(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	void *va;

	if (pa < EARLY_IDENT_MAP_SIZE) {
		clear_page((void *)(unsigned long)pa);
		return;
	}
	va = early_ioremap(pa, PAGE_SIZE);
	if (!va)
		panic("arch_clear_page: cannot map pfn 0x%lx", pfn);
	clear_page(va);
	early_iounmap(va, PAGE_SIZE);
}

unsigned long direct_map_pages_4k, direct_map_pages_2m;

/* Map [@start, @end) of RAM at PAGE_OFFSET + pa, counting the leaves as kernel_map_range() makes them. */
static void map_lowmem_range(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t big_start = (start + PMD_SIZE - 1) & ~((phys_addr_t)PMD_SIZE - 1);
	phys_addr_t big_end = end & ~((phys_addr_t)PMD_SIZE - 1);
	int ret = kernel_map_range((unsigned long)__va(start), start, end - start,
				   pgtable_prot_kernel_data(), PGTABLE_MAP_LARGE);

	if (ret)
		panic("direct map: cannot map [0x%lx-0x%lx] (error %d)", (unsigned long)start,
		      (unsigned long)end - 1, ret);
	if (big_start < big_end) {
		direct_map_pages_2m += (big_end - big_start) >> PMD_SHIFT;
		direct_map_pages_4k += ((big_start - start) + (end - big_end)) >> PAGE_SHIFT;
	} else {
		direct_map_pages_4k += (end - start) >> PAGE_SHIFT;
	}
}

/* The direct map (Linux's init_mem_mapping()): every RAM range below the lowmem limit. */
void arch_map_lowmem(unsigned long low_pfn)
{
	phys_addr_t start, end, limit = PFN_PHYS(low_pfn);
	u64 i;

	for_each_mem_range(i, &start, &end) {
		if (start >= limit)
			break;
		map_lowmem_range(start, end < limit ? end : limit);
	}
}

/* Lowmem only: highmem has no permanent mapping (NULL, as Linux's page_address()). */
void *page_address(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= max_low_pfn)
		return NULL;
	return __va(PFN_PHYS(pfn));
}

struct page *virt_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va < PAGE_OFFSET || __pa(va) >= PFN_PHYS(max_low_pfn))
		panic("virt_to_page: 0x%lx is not a direct-map (lowmem) address", va);
	return pfn_to_page(PHYS_PFN(__pa(va)));
}
