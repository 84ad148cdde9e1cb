/* SPDX-License-Identifier: MIT */
/*
 * A small window of uncached 4 KiB mappings for reaching any physical
 * address before the kernel has its own page tables (Linux's
 * early_ioremap(), which also uses fixed slots near the top of memory).
 *
 * The window is EARLY_IOREMAP_PAGES pages at EARLY_IOREMAP_BASE, in the
 * last 2 MiB of the address space, and holds one mapping at a time.
 */
#ifndef ASM_EARLY_IOREMAP_H
#define ASM_EARLY_IOREMAP_H

#include "asm/page.h"
#include "kernel/types.h"

#define EARLY_IOREMAP_BASE _AC(0xffffffffffe00000, UL)
#define EARLY_IOREMAP_PAGES 16

/* Hook the window's page table into the boot page tables. */
void early_ioremap_init(void);

/*
 * Map [@phys, @phys + @size) uncached and return its virtual address;
 * NULL if the range is empty, wraps, does not fit the window, lies beyond
 * the CPU's physical address width, or the window is in use.
 */
void *early_ioremap(u64 phys, size_t size);

/* Remove the mapping early_ioremap() returned and flush its TLB entries. */
void early_iounmap(void *addr, size_t size);

#endif /* ASM_EARLY_IOREMAP_H */
