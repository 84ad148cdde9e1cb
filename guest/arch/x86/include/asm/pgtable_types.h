/* SPDX-License-Identifier: MIT */
/* Page-table entry bits (C and assembly), Linux's names. */
#ifndef ASM_PGTABLE_TYPES_H
#define ASM_PGTABLE_TYPES_H

#include "kernel/const.h"

#define _PAGE_PRESENT _BITULL(0)
#define _PAGE_RW _BITULL(1)
#define _PAGE_USER _BITULL(2)
#define _PAGE_PWT _BITULL(3) /* PAT index bit 0 */
#define _PAGE_PCD _BITULL(4) /* PAT index bit 1 */
#define _PAGE_ACCESSED _BITULL(5)
#define _PAGE_DIRTY _BITULL(6)
#define _PAGE_PSE _BITULL(7) /* a 2 MiB/1 GiB page rather than a table */
#define _PAGE_PAT _BITULL(7)       /* PAT index bit 2 in a 4 KiB PTE (bit 7 is PSE higher up) */
#define _PAGE_PAT_LARGE _BITULL(12) /* PAT index bit 2 in a 2 MiB or 1 GiB entry */
#define _PAGE_GLOBAL _BITULL(8)
#define _PAGE_NX _BITULL(63)

/* Physical address bits of an entry (bits 12..51). */
#define PTE_PFN_MASK _AC(0x000ffffffffff000, ULL)

/* An entry pointing to a lower-level table. */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW)
/* A 2 MiB kernel page, write-back. */
#define __PAGE_KERNEL_LARGE (_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE)
/*
 * A 4 KiB kernel page, uncached: PCD and PWT select PAT entry 3, which is
 * UC both in the reset PAT and in the layout Linux programs.
 */
#define __PAGE_KERNEL_NOCACHE (_PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT)

#endif /* ASM_PGTABLE_TYPES_H */
