// SPDX-License-Identifier: MIT
/*
 * Kernel mappings beyond the boot page tables, on head.S's PML4: the
 * vmemmap needs tables for PML4 entry 468, which the static boot tables
 * do not have. See asm/pgtable_map.h.
 *
 * Tables are reached through the boot identity map ([0, 4 GiB), va == pa):
 * the static ones are in the image (below 1 GiB) and new ones come from
 * memblock below its current limit, which the boot sets to 4 GiB.
 */
#include "asm/clear_page.h"
#include "asm/msr.h"
#include "asm/page.h"
#include "asm/pgtable_map.h"
#include "asm/pgtable_types.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "mm/memblock.h"

/* First address of the upper canonical half (48-bit virtual addresses). */
#define UPPER_HALF_START 0xffff800000000000ul

/* head.S's top-level table. */
extern u64 early_pml4[PTRS_PER_TABLE];

unsigned long pgtable_map_nr_tables;

/* Leaf bits for kernel data, NX only where the CPU has it enabled. */
u64 pgtable_prot_kernel_data(void)
{
	static u64 nx;
	static bool nx_known;

	/* One RDMSR (a VM exit) for the whole boot. */
	if (!nx_known) {
		nx = (rdmsr(MSR_EFER) & EFER_NX) ? _PAGE_NX : 0;
		nx_known = true;
	}
	return _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | nx;
}

/* The table an entry points to, through the identity map; NULL if it is out of reach. */
static u64 *entry_table(u64 entry)
{
	phys_addr_t pa = entry & PTE_PFN_MASK;

	if (pa >= EARLY_IDENT_MAP_SIZE)
		return NULL;
	return (u64 *)pa;
}

/* A zeroed page-table page from memblock, or NULL. */
static u64 *alloc_table(phys_addr_t *pa_out)
{
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	u64 *table;

	if (!pa)
		return NULL;
	if (pa + PAGE_SIZE > EARLY_IDENT_MAP_SIZE) {
		/* memblock's limit was raised past the identity map: cannot reach it. */
		printk("pgtable: page-table page at 0x%lx is outside the identity map\n",
		       (unsigned long)pa);
		memblock_phys_free(pa, PAGE_SIZE);
		return NULL;
	}
	table = (u64 *)pa;
	clear_page(table);
	pgtable_map_nr_tables++;
	*pa_out = pa;
	return table;
}

/*
 * The table below entry @idx of @table, allocated if the entry is empty.
 * Sets *@err to -EINVAL if the entry is a large leaf (or unreachable),
 * -ENOMEM if no page was left.
 */
static u64 *next_table(u64 *table, unsigned int idx, int *err)
{
	u64 entry = table[idx];
	phys_addr_t pa;
	u64 *next;

	if (entry & _PAGE_PRESENT) {
		next = (entry & _PAGE_PSE) ? NULL : entry_table(entry);
		if (!next)
			*err = -EINVAL;
		return next;
	}
	next = alloc_table(&pa);
	if (!next) {
		*err = -ENOMEM;
		return NULL;
	}
	table[idx] = pa | _PAGE_TABLE;
	return next;
}

/* Whether @x is a multiple of @align (a power of two). */
static bool aligned(u64 x, u64 align)
{
	return !(x & (align - 1));
}

/* Map a kernel range beyond the boot tables (see asm/pgtable_map.h). */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot,
		     unsigned int flags)
{
	int err = 0;

	if (!aligned(va, PAGE_SIZE) || !aligned(pa, PAGE_SIZE) || !aligned(size, PAGE_SIZE) ||
	    va < UPPER_HALF_START || va + size < va || pa + size < pa ||
	    (size && pa + size - 1 > (PTE_PFN_MASK | ~PAGE_MASK))) {
		printk("pgtable: bad mapping 0x%lx -> 0x%lx, size 0x%lx\n", va,
		       (unsigned long)pa, size);
		return -EINVAL;
	}
	prot |= _PAGE_PRESENT;
	while (size) {
		u64 *pud, *pmd, *pte;
		unsigned int i;

		pud = next_table(early_pml4, pgd_index(va), &err);
		pmd = pud ? next_table(pud, pud_index(va), &err) : NULL;
		if (!pmd)
			return err;
		if ((flags & PGTABLE_MAP_LARGE) && aligned(va, PMD_SIZE) && aligned(pa, PMD_SIZE) &&
		    size >= PMD_SIZE) {
			/*
			 * Fill this page directory with 2 MiB leaves as far as the
			 * range goes, without walking again (a 64 GiB direct map is
			 * 32768 of them, and every guest instruction counts here).
			 */
			for (i = pmd_index(va); i < PTRS_PER_TABLE && size >= PMD_SIZE; i++) {
				if (pmd[i] & _PAGE_PRESENT)
					return -EINVAL;
				pmd[i] = pa | prot | _PAGE_PSE;
				va += PMD_SIZE;
				pa += PMD_SIZE;
				size -= PMD_SIZE;
			}
			continue;
		}
		pte = next_table(pmd, pmd_index(va), &err);
		if (!pte)
			return err;
		/* Fill this page table as far as the range goes, without walking again. */
		for (i = pte_index(va); i < PTRS_PER_TABLE && size; i++) {
			if (pte[i] & _PAGE_PRESENT)
				return -EINVAL;
			pte[i] = pa | prot;
			va += PAGE_SIZE;
			pa += PAGE_SIZE;
			size -= PAGE_SIZE;
		}
	}
	return 0;
}

/* Walk the tables for @va: the selftests check mappings with it. */
u64 pgtable_lookup(unsigned long va, unsigned int *level_shift)
{
	/* The levels below the PML4 that may hold a large leaf: PUD (1 GiB), PMD (2 MiB). */
	static const unsigned int large_shifts[] = { PUD_SHIFT, PMD_SHIFT };
	u64 entry = early_pml4[pgd_index(va)];
	u64 *table;

	for (unsigned int i = 0; i < ARRAY_SIZE(large_shifts); i++) {
		unsigned int shift = large_shifts[i];

		if (!(entry & _PAGE_PRESENT) || !(table = entry_table(entry)))
			return 0;
		entry = table[(va >> shift) & (PTRS_PER_TABLE - 1)];
		if (!(entry & _PAGE_PRESENT))
			return 0;
		if (entry & _PAGE_PSE) {
			*level_shift = shift;
			return entry;
		}
	}
	if (!(table = entry_table(entry)))
		return 0;
	entry = table[pte_index(va)];
	*level_shift = PAGE_SHIFT;
	return (entry & _PAGE_PRESENT) ? entry : 0;
}
