/* SPDX-License-Identifier: MIT */
/*
 * Bringing up the page allocator from memblock (guest/mm/mm_init.c).
 */
#ifndef MM_MM_INIT_H
#define MM_MM_INIT_H

#include "kernel/types.h"

/* Last pfn (exclusive) of lowmem: what the kernel can address directly. */
extern unsigned long max_low_pfn;
/* Last pfn (exclusive) of RAM. */
extern unsigned long max_pfn;

/*
 * Arch hook: map RAM below @max_low_pfn permanently (the direct map), so
 * that page_address() works for every lowmem page. Called by
 * mm_core_init() once the lowmem limit is known, before memory is freed.
 */
void arch_map_lowmem(unsigned long max_low_pfn);

/* Read lowmem=, movablecore= and kernelcore= (with the other parameters). */
void mm_parse_cmdline(void);

/*
 * Size the zones, hand memblock's free memory to the buddy allocator,
 * set watermarks, and print Linux's "Zone ranges:" and "Memory:" lines.
 * After sparse_init().
 */
void mm_core_init(void);

#endif /* MM_MM_INIT_H */
