// SPDX-License-Identifier: MIT
/*
 * How generic mm reaches physical memory on x86 until the direct map
 * exists (the virtual-memory issue): lowmem through the boot identity map
 * of [0, 4 GiB) (va == pa), anything else through an early_ioremap() slot.
 * These are the hooks mm/page_alloc.h and mm/slab.h ask the arch for.
 */
#include "asm/clear_page.h"
#include "asm/early_ioremap.h"
#include "asm/page.h"
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

/* Lowmem only: highmem has no permanent mapping (NULL, as Linux's page_address()). */
void *page_address(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= max_low_pfn)
		return NULL;
	return (void *)PFN_PHYS(pfn);
}

struct page *virt_to_page(const void *addr)
{
	unsigned long pa = (unsigned long)addr;

	if (pa >= PFN_PHYS(max_low_pfn))
		panic("virt_to_page: 0x%lx is not a lowmem address", pa);
	return pfn_to_page(PHYS_PFN(pa));
}
