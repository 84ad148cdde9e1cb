/* SPDX-License-Identifier: MIT */
/*
 * Page sizes and the kernel's place in the address space (C and assembly).
 *
 * The image is loaded at physical KERNEL_PHYS_START and runs at
 * __START_KERNEL_map + its physical address ("higher half"), except the
 * 32-bit entry code, which runs where it is loaded.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include "kernel/const.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21 /* a page-directory entry maps 2 MiB */
#define PMD_SIZE (_AC(1, UL) << PMD_SHIFT)
#define PUD_SHIFT 30 /* a page-directory-pointer entry maps 1 GiB */
#define PUD_SIZE (_AC(1, UL) << PUD_SHIFT)
#define PGDIR_SHIFT 39 /* a PML4 entry maps 512 GiB */
#define PTRS_PER_TABLE 512

#define KERNEL_PHYS_START _AC(0x100000, UL)
#define __START_KERNEL_map _AC(0xffffffff80000000, UL)

/* The boot page tables map physical [0, 4 GiB) at virtual [0, 4 GiB)... */
#define EARLY_IDENT_MAP_SIZE (_AC(4, UL) << 30)
#define EARLY_IDENT_NR_PDS (EARLY_IDENT_MAP_SIZE / PUD_SIZE)
/* ...and physical [0, 1 GiB) at __START_KERNEL_map (one page directory). */
#define EARLY_KERNEL_MAP_SIZE PUD_SIZE

/*
 * The direct map of lowmem (Linux x86-64's page_offset_base without KASLR):
 * RAM below the lowmem limit at PAGE_OFFSET + its physical address.
 */
#define PAGE_OFFSET _AC(0xffff888000000000, UL)
#ifndef __ASSEMBLY__
#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va) ((unsigned long)(va) - PAGE_OFFSET)
#endif

/* Physical address of a symbol of the higher-half image (Linux's __pa_symbol). */
#ifdef __ASSEMBLY__
#define __pa_symbol(x) ((x) - __START_KERNEL_map)
#else
#define __pa_symbol(x) ((unsigned long)(x) - __START_KERNEL_map)
#endif

/* Index of @va in the table of each level. */
#define pgd_index(va) (((va) >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1))
#define pud_index(va) (((va) >> PUD_SHIFT) & (PTRS_PER_TABLE - 1))
#define pmd_index(va) (((va) >> PMD_SHIFT) & (PTRS_PER_TABLE - 1))
#define pte_index(va) (((va) >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1))

#endif /* ASM_PAGE_H */
