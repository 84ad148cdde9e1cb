// SPDX-License-Identifier: MIT
/*
 * The kernel page tables: walk, map, unmap, split, flush (asm/pgtable.h).
 * Everything hangs off head.S's PML4; the boot code (vmemmap, direct map)
 * maps through here with memblock pages, later code (vmalloc, ioremap,
 * pkmap, fixmap, set_memory_*) with buddy pages.
 */
#include "asm/clear_page.h"
#include "asm/msr.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* First address of the upper canonical half (48-bit virtual addresses). */
#define UPPER_HALF_START 0xffff800000000000ul

/* head.S's top-level table. */
extern u64 early_pml4[PTRS_PER_TABLE];

unsigned long pgtable_nr_tables;
unsigned long nr_tlb_flush_all;

/*
 * Above this many pages a range flush reloads everything: each INVLPG is
 * a trapped instruction here, and Linux's tlb_single_page_flush_ceiling
 * is 33 for the same trade-off.
 */
#define TLB_FLUSH_CEILING 33

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

/*
 * The table an entry points to: through the direct map when it is lowmem
 * and the direct map is complete (the only way to reach buddy pages above
 * 4 GiB), else through the boot identity map; NULL if it is out of reach.
 */
static u64 *entry_table(u64 entry)
{
	phys_addr_t pa = entry & PTE_PFN_MASK;

	/* After mm_core_init() the direct map is complete (not while it is being built). */
	if (slab_is_available() && pa < PFN_PHYS(max_low_pfn))
		return __va(pa);
	if (pa >= EARLY_IDENT_MAP_SIZE)
		return NULL;
	return (u64 *)pa;
}

/* A zeroed page-table page from the buddy allocator (lowmem: direct-mapped), or NULL. */
static u64 *alloc_table_buddy(phys_addr_t *pa_out)
{
	unsigned long pfn = get_zeroed_page_pfn(GFP_KERNEL);

	if (!pfn)
		return NULL;
	pgtable_nr_tables++;
	*pa_out = PFN_PHYS(pfn);
	return __va(*pa_out);
}

/* A zeroed page-table page: memblock during boot, the buddy allocator after. */
u64 *pgtable_alloc_table(phys_addr_t *pa_out)
{
	phys_addr_t pa;
	u64 *table;

	if (slab_is_available())
		return alloc_table_buddy(pa_out);
	pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
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
	pgtable_nr_tables++;
	*pa_out = pa;
	return table;
}

void pgtable_free_table(phys_addr_t pa)
{
	free_pages_pfn(PHYS_PFN(pa), 0);
	pgtable_nr_tables--;
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
	next = pgtable_alloc_table(&pa);
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

/* A 4 KiB leaf's protection bits as a 2 MiB leaf's: PAT moves from bit 7 to bit 12. */
static u64 prot_4k_to_large(u64 prot)
{
	if (prot & _PAGE_PAT)
		prot = (prot & ~_PAGE_PAT) | _PAGE_PAT_LARGE;
	return prot | _PAGE_PSE;
}

/* A 2 MiB leaf's protection bits as a 4 KiB leaf's: the reverse move, PSE dropped. */
static u64 prot_large_to_4k(u64 prot)
{
	prot &= ~_PAGE_PSE;
	if (prot & _PAGE_PAT_LARGE)
		prot = (prot & ~_PAGE_PAT_LARGE) | _PAGE_PAT;
	return prot;
}

/* Where kernel_map_range() has got to: the next virtual and physical page, bytes left. */
struct map_cursor {
	unsigned long va;
	phys_addr_t pa;
	unsigned long size;
};

/*
 * Fill @table with leaves of 1 << @shift bytes, from @c's entry on, as far
 * as the range goes within this table (one walk per table: a 64 GiB direct
 * map is 32768 2 MiB leaves, and every guest instruction counts here).
 * -EINVAL if a slot is taken; @c says how far it got.
 */
static int fill_leaves(u64 *table, unsigned int shift, u64 prot, struct map_cursor *c)
{
	const unsigned long leaf = 1ul << shift;

	for (unsigned int i = (c->va >> shift) & (PTRS_PER_TABLE - 1);
	     i < PTRS_PER_TABLE && c->size >= leaf; i++) {
		if (table[i] & _PAGE_PRESENT) {
			printk("pgtable: 0x%lx is already mapped (entry 0x%llx)\n", c->va,
			       (unsigned long long)table[i]);
			return -EINVAL;
		}
		table[i] = c->pa | prot;
		c->va += leaf;
		c->pa += leaf;
		c->size -= leaf;
	}
	return 0;
}

/* Whether the cursor may take a leaf of @size bytes here: both addresses aligned, enough left. */
static bool fits_leaf(const struct map_cursor *c, unsigned long size)
{
	return aligned(c->va, size) && aligned(c->pa, size) && c->size >= size;
}

/*
 * Clear every leaf kernel_map_range() wrote in [@va, @end) (all present,
 * of any size) and flush: a failed map leaves nothing behind. The tables
 * it allocated stay, as after an unmap.
 */
static void unmap_new_leaves(unsigned long va, unsigned long end)
{
	const unsigned long start = va;

	while (va < end) {
		unsigned int shift = PAGE_SHIFT;
		u64 *slot = pgtable_leaf_ptr(va, &shift);

		if (slot)
			*slot = 0;
		va = (va | ((1ul << shift) - 1)) + 1;
	}
	flush_tlb_kernel_range(start, end);
}

/* Map a kernel range (see asm/pgtable.h). */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot,
		     unsigned int flags)
{
	struct map_cursor c = { .va = va, .pa = pa, .size = size };
	u64 large_prot;
	int err = 0;

	if (!aligned(va, PAGE_SIZE) || !aligned(pa, PAGE_SIZE) || !aligned(size, PAGE_SIZE) ||
	    va < UPPER_HALF_START || va + size < va || pa + size < pa ||
	    (size && pa + size - 1 > (PTE_PFN_MASK | ~PAGE_MASK))) {
		printk("pgtable: bad mapping 0x%lx -> 0x%lx, size 0x%lx\n", va,
		       (unsigned long)pa, size);
		return -EINVAL;
	}
	prot |= _PAGE_PRESENT;
	/* 1 GiB leaves have the same bit layout as 2 MiB ones (PSE, PAT at bit 12). */
	large_prot = prot_4k_to_large(prot);
	while (c.size && !err) {
		u64 *pud, *pmd, *pte;

		pud = next_table(early_pml4, pgd_index(c.va), &err);
		if (!pud)
			break;
		if ((flags & PGTABLE_MAP_HUGE) && fits_leaf(&c, PUD_SIZE)) {
			err = fill_leaves(pud, PUD_SHIFT, large_prot, &c);
			continue;
		}
		pmd = next_table(pud, pud_index(c.va), &err);
		if (!pmd)
			break;
		if ((flags & PGTABLE_MAP_LARGE) && fits_leaf(&c, PMD_SIZE)) {
			err = fill_leaves(pmd, PMD_SHIFT, large_prot, &c);
			continue;
		}
		pte = next_table(pmd, pmd_index(c.va), &err);
		if (!pte)
			break;
		err = fill_leaves(pte, PAGE_SHIFT, prot, &c);
	}
	if (err)
		unmap_new_leaves(va, c.va);
	return err;
}

/* The leaf slot for @va (see asm/pgtable.h). */
u64 *pgtable_leaf_ptr(unsigned long va, unsigned int *level_shift)
{
	/* The levels below the PML4 that may hold a large leaf: PUD (1 GiB), PMD (2 MiB). */
	static const unsigned int large_shifts[] = { PUD_SHIFT, PMD_SHIFT };
	u64 *slot = &early_pml4[pgd_index(va)];
	u64 *table;

	for (unsigned int i = 0; i < ARRAY_SIZE(large_shifts); i++) {
		unsigned int shift = large_shifts[i];

		if (!(*slot & _PAGE_PRESENT) || !(table = entry_table(*slot)))
			return NULL;
		slot = &table[(va >> shift) & (PTRS_PER_TABLE - 1)];
		if (!(*slot & _PAGE_PRESENT))
			return NULL;
		if (*slot & _PAGE_PSE) {
			*level_shift = shift;
			return slot;
		}
	}
	if (!(table = entry_table(*slot)))
		return NULL;
	slot = &table[pte_index(va)];
	*level_shift = PAGE_SHIFT;
	return (*slot & _PAGE_PRESENT) ? slot : NULL;
}

/* Walk the tables for @va: the selftests check mappings with it. */
u64 pgtable_lookup(unsigned long va, unsigned int *level_shift)
{
	u64 *slot = pgtable_leaf_ptr(va, level_shift);

	return slot ? *slot : 0;
}

u64 *pgtable_pte_alloc(unsigned long va)
{
	u64 *pud, *pmd;
	int err = 0;

	if (va < UPPER_HALF_START)
		return NULL;
	pud = next_table(early_pml4, pgd_index(va), &err);
	pmd = pud ? next_table(pud, pud_index(va), &err) : NULL;
	if (!pmd)
		return NULL;
	pmd = next_table(pmd, pmd_index(va), &err);
	return pmd ? &pmd[pte_index(va)] : NULL;
}

int kernel_unmap_range(unsigned long va, unsigned long size)
{
	unsigned long end = va + size, addr;
	unsigned int shift;

	if (!aligned(va, PAGE_SIZE) || !aligned(size, PAGE_SIZE) || end < va ||
	    va < UPPER_HALF_START)
		return -EINVAL;
	/* Refuse before changing anything: a large leaf needs pgtable_split_large() first. */
	for (addr = va; addr < end; addr += PAGE_SIZE)
		if (pgtable_leaf_ptr(addr, &shift) && shift != PAGE_SHIFT)
			return -EINVAL;
	for (addr = va; addr < end; addr += PAGE_SIZE) {
		u64 *pte = pgtable_leaf_ptr(addr, &shift);

		if (pte)
			*pte = 0;
	}
	flush_tlb_kernel_range(va, end);
	return 0;
}

int pgtable_split_large(unsigned long va)
{
	unsigned int shift;
	u64 *slot = pgtable_leaf_ptr(va, &shift);
	u64 entry, prot, child_size, *table;
	phys_addr_t base, table_pa;

	if (!slot || shift == PAGE_SHIFT)
		return -EINVAL;
	entry = *slot;
	child_size = shift == PUD_SHIFT ? PMD_SIZE : PAGE_SIZE;
	base = entry & PTE_PFN_MASK & ~((1ull << shift) - 1);
	/*
	 * Everything but the address; bit 12 is PAT in a large leaf, not an
	 * address bit. 2 MiB children keep PSE and bit-12 PAT; 4 KiB ones move it.
	 */
	prot = entry & ~(PTE_PFN_MASK & ~_PAGE_PAT_LARGE);
	if (shift == PMD_SHIFT)
		prot = prot_large_to_4k(prot);
	table = pgtable_alloc_table(&table_pa);
	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		table[i] = (base + i * child_size) | prot;
	/*
	 * The table entry gets the most permissive bits (Linux does the same):
	 * the leaves below decide; NX, PAT, PCD, PWT and global mean nothing
	 * or something else at this level.
	 */
	*slot = table_pa | _PAGE_TABLE | _PAGE_ACCESSED | (entry & _PAGE_USER);
	/* The large entry may be cached anywhere in its range: one INVLPG drops it. */
	flush_tlb_one_kernel(va);
	return 0;
}

void flush_tlb_one_kernel(unsigned long va)
{
	invlpg(va);
}

void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	nr_tlb_flush_all++;
	if (cr4 & X86_CR4_PGE) {
		/* Clearing PGE drops global entries too; setting it back keeps them working. */
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (end <= start)
		return;
	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_CEILING) {
		flush_tlb_all();
		return;
	}
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		invlpg(va);
}
