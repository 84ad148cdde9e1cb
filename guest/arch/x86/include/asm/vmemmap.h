/* SPDX-License-Identifier: MIT */
/*
 * Where the struct page array lives (x86-64, 4-level paging) and the arch
 * hook that backs it with memory (guest/arch/x86/mm/vmemmap.c).
 */
#ifndef ASM_VMEMMAP_H
#define ASM_VMEMMAP_H

#include "kernel/const.h"

/* Linux's x86-64 vmemmap base (PML4 entry 468), 1 TiB of virtual space. */
#define VMEMMAP_START _AC(0xffffea0000000000, UL)

/*
 * Linux's x86-64 4-level MAX_PHYSMEM_BITS: 64 TiB of physical addresses,
 * which at 32 bytes per 4 KiB page needs 512 GiB of vmemmap.
 */
#define MAX_PHYSMEM_BITS 46

#ifndef __ASSEMBLY__
/*
 * Map [@start_va, @end_va) of the vmemmap (page aligned) to fresh memory
 * from memblock, zero-filled, using 2 MiB pages for every 2 MiB-aligned
 * chunk wholly inside the range. The range must not be mapped yet.
 * Returns 0, -EINVAL for a range outside the vmemmap, not page aligned or
 * already (partly) mapped, -ENOMEM if memblock ran out.
 */
int vmemmap_populate(unsigned long start_va, unsigned long end_va);

/* Pages of each size vmemmap_populate() mapped (for reports). */
extern unsigned long vmemmap_nr_2m_pages;
extern unsigned long vmemmap_nr_4k_pages;
/* Bytes of vmemmap cleared by the CPU (0 where the loader provably gave zeroed RAM). */
extern unsigned long vmemmap_cleared_bytes;
/* Words of memory taken as already zero that were read back, and how many were not zero. */
extern unsigned long vmemmap_zero_samples;
extern unsigned long vmemmap_nonzero_samples;

/* One line: page sizes used, page-table pages, how the memmap was zeroed. */
void vmemmap_print_summary(void);
#endif

#endif /* ASM_VMEMMAP_H */
