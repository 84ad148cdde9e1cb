/* SPDX-License-Identifier: MIT */
/*
 * The kernel page tables (guest/arch/x86/mm/pgtable.c): one 4-level tree
 * rooted at head.S's PML4 (Linux's init_mm.pgd), shared by the whole
 * kernel. Walk it, map and unmap ranges with a protection, split a large
 * leaf, flush the TLB.
 *
 * Page-table pages come from memblock during boot and from the buddy
 * allocator (lowmem, zeroed) once slab_is_available(); both are counted in
 * pgtable_nr_tables (PageTables in meminfo). Tables are reached through the
 * direct map (lowmem) or the boot identity map ([0, 4 GiB)). Empty tables
 * are kept after an unmap, as Linux keeps kernel page tables.
 *
 * One CPU and no preemption: callers need no lock, but an interrupt
 * handler must not change mappings.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include "kernel/types.h"

/* kernel_map_range() flags. */
#define PGTABLE_MAP_LARGE 0x1u /* 2 MiB leaves wherever va, pa and the size allow */
#define PGTABLE_MAP_HUGE 0x2u /* 1 GiB leaves likewise (only if the CPU has pdpe1gb) */

/*
 * Map [@va, @va + @size) to [@pa, @pa + @size) with the leaf bits @prot
 * (present implied; _PAGE_PSE is added for 2 MiB and 1 GiB leaves, and a
 * 4 KiB encoding of the PAT bit (bit 7) is moved to bit 12 for them). @va, @pa
 * and @size must be page aligned and @va canonical in the upper half.
 * Returns 0; -EINVAL for a bad argument or a range already (partly)
 * mapped, or crossing a large page; -ENOMEM if no page-table page was
 * left. On error nothing of the range stays mapped (the page-table pages
 * allocated on the way are kept, as after kernel_unmap_range()).
 */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot,
		     unsigned int flags);

/*
 * Unmap [@va, @va + @size) (page aligned, 4 KiB leaves only: a large leaf
 * in the range is -EINVAL and nothing is changed) and flush the TLB for
 * it. Pages that were not mapped are skipped. Returns 0 or -EINVAL.
 */
int kernel_unmap_range(unsigned long va, unsigned long size);

/*
 * The 4 KiB PTE slot for @va, allocating the missing tables on the way
 * (for windows whose PTEs are written directly: pkmap, fixmap). NULL if a
 * large leaf covers @va or no page-table page was left.
 */
u64 *pgtable_pte_alloc(unsigned long va);

/*
 * The leaf entry slot mapping @va: a 4 KiB PTE, or a 2 MiB / 1 GiB entry
 * with _PAGE_PSE; *@level_shift says which (PAGE_SHIFT, PMD_SHIFT,
 * PUD_SHIFT). NULL if @va is not mapped.
 */
u64 *pgtable_leaf_ptr(unsigned long va, unsigned int *level_shift);

/* The leaf entry mapping @va (4 KiB or 2 MiB), or 0; *@level_shift says which. */
u64 pgtable_lookup(unsigned long va, unsigned int *level_shift);

/*
 * Split the large leaf mapping @va one level down (1 GiB into 512 x 2 MiB,
 * 2 MiB into 512 x 4 KiB) with the same attributes (the PAT bit moves from
 * bit 12 to bit 7 on the way to 4 KiB), and flush the TLB for it. Returns
 * 0, -EINVAL if @va is not mapped by a large leaf, -ENOMEM.
 */
int pgtable_split_large(unsigned long va);

/*
 * The leaf bits for kernel data: present, writable, accessed and dirty
 * preset, and no-execute if EFER.NXE is on (otherwise bit 63 is reserved
 * and would fault).
 */
u64 pgtable_prot_kernel_data(void);

/* Page-table pages allocated for the kernel tables (PageTables in meminfo). */
extern unsigned long pgtable_nr_tables;

/*
 * A zeroed page-table page, counted in pgtable_nr_tables (memblock during
 * boot, the buddy allocator once slab_is_available()); its physical
 * address in *@pa. NULL if none was left. For code that builds a table
 * tree of its own before linking it (mark_rodata_ro()).
 */
u64 *pgtable_alloc_table(phys_addr_t *pa);

/* Give back a buddy page-table page that was never linked into the tree. */
void pgtable_free_table(phys_addr_t pa);

/* Flush the TLB entry of one kernel page (INVLPG). */
void flush_tlb_one_kernel(unsigned long va);
/* Flush [@start, @end): page by page when short, everything otherwise. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
/* Flush every TLB entry, global ones included. */
void flush_tlb_all(void);
/* Full flushes done so far (for tests that count them). */
extern unsigned long nr_tlb_flush_all;

#endif /* ASM_PGTABLE_H */
