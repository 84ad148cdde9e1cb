// SPDX-License-Identifier: MIT
/*
 * Early uncached mappings of arbitrary physical addresses (probe=, and
 * later anything that must reach memory the boot page tables do not map:
 * they cover only [0, 4 GiB) and the kernel image).
 *
 * The window is the last 2 MiB of the address space: PML4 entry 511 (the
 * kernel's), PDPT entry 511, page-directory entry 511, and a page table
 * whose first EARLY_IOREMAP_PAGES entries are the slots. The entries are
 * uncached (PCD|PWT: PAT entry 3, UC), since the target may be a device
 * or a hole rather than RAM.
 */
#include "asm/early_ioremap.h"
#include "asm/page.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

/* head.S's top-level kernel table (PDPT of PML4 entry 511). */
extern u64 early_pdpt_kernel[PTRS_PER_TABLE];

static u64 early_ioremap_pd[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static u64 early_ioremap_pt[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static bool early_ioremap_busy;

_Static_assert(EARLY_IOREMAP_PAGES <= PTRS_PER_TABLE, "window larger than one page table");

/* Hook the window's page directory and page table into the kernel PDPT. */
void early_ioremap_init(void)
{
	early_ioremap_pd[pmd_index(EARLY_IOREMAP_BASE)] =
		__pa_symbol(early_ioremap_pt) | _PAGE_TABLE;
	early_pdpt_kernel[pud_index(EARLY_IOREMAP_BASE)] =
		__pa_symbol(early_ioremap_pd) | _PAGE_TABLE;
}

/* Number of pages [@phys, @phys + @size) touches. */
static size_t early_ioremap_nr_pages(u64 phys, size_t size)
{
	return ((phys & ~PAGE_MASK) + size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* Map [@phys, @phys + @size) uncached; see asm/early_ioremap.h. */
void *early_ioremap(u64 phys, size_t size)
{
	u64 limit = 1ull << boot_cpu_data.x86_phys_bits;
	u64 first = phys & PAGE_MASK;
	size_t i, nr;

	if (early_ioremap_busy || size == 0 || phys + size < phys || phys + size > limit)
		return NULL;
	/* Bounded before the page count is computed, so that cannot overflow. */
	if (size > EARLY_IOREMAP_PAGES * PAGE_SIZE)
		return NULL;
	nr = early_ioremap_nr_pages(phys, size);
	if (nr > EARLY_IOREMAP_PAGES)
		return NULL;

	for (i = 0; i < nr; i++)
		early_ioremap_pt[pte_index(EARLY_IOREMAP_BASE) + i] =
			(first + i * PAGE_SIZE) | __PAGE_KERNEL_NOCACHE;
	early_ioremap_busy = true;
	/* The entries are in memory before the caller touches the window. */
	barrier();
	return (void *)(EARLY_IOREMAP_BASE + (phys & ~PAGE_MASK));
}

/* Clear the slots of a mapping and drop their TLB entries. */
void early_iounmap(void *addr, size_t size)
{
	unsigned long va = (unsigned long)addr;
	size_t i, nr = early_ioremap_nr_pages(va, size);

	barrier();
	for (i = 0; i < nr; i++) {
		early_ioremap_pt[pte_index(EARLY_IOREMAP_BASE) + i] = 0;
		invlpg(EARLY_IOREMAP_BASE + i * PAGE_SIZE);
	}
	early_ioremap_busy = false;
}
