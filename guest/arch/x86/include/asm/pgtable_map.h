/* SPDX-License-Identifier: MIT */
/*
 * A minimal kernel page-table mapper on top of head.S's boot PML4
 * (guest/arch/x86/mm/pgtable_map.c): map a virtual range to a physical one,
 * taking the missing intermediate tables from memblock. For early kernel
 * mappings outside the boot map (the vmemmap first); nothing is unmapped.
 */
#ifndef ASM_PGTABLE_MAP_H
#define ASM_PGTABLE_MAP_H

#include "kernel/types.h"

/* kernel_map_range() flags. */
#define PGTABLE_MAP_LARGE 0x1u /* 2 MiB leaves wherever va, pa and the size allow */

/*
 * Map [@va, @va + @size) to [@pa, @pa + @size) with the leaf bits @prot
 * (present implied; _PAGE_PSE is added for 2 MiB leaves). @va, @pa and
 * @size must be page aligned and @va canonical in the upper half. Every
 * page-table page it needs is taken from memblock (below its current
 * limit, which must lie inside the boot identity map) and zeroed.
 * Returns 0; -EINVAL for a bad argument or a range already (partly)
 * mapped, or crossing a large page; -ENOMEM if memblock is out of pages.
 * On error the part mapped so far stays mapped.
 */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot,
		     unsigned int flags);

/*
 * The leaf bits for kernel data: present, writable, accessed and dirty
 * preset, and no-execute if EFER.NXE is on (otherwise bit 63 is reserved
 * and would fault).
 */
u64 pgtable_prot_kernel_data(void);

/* Page-table pages kernel_map_range() allocated (PageTables in meminfo). */
extern unsigned long pgtable_map_nr_tables;

/* The leaf entry mapping @va (4 KiB or 2 MiB), or 0; *@level_shift says which. */
u64 pgtable_lookup(unsigned long va, unsigned int *level_shift);

#endif /* ASM_PGTABLE_MAP_H */
