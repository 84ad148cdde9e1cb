/* SPDX-License-Identifier: MIT */
/*
 * The direct map of lowmem at PAGE_OFFSET (guest/arch/x86/mm/physmem.c):
 * how many leaves of each size map it now, for DirectMap4k/2M/1G in
 * /proc/meminfo. Set when the direct map is built; every split
 * (set_memory_*, the only code that splits direct-map leaves) moves them,
 * so they stay exact: 4k + 512 * 2m + 512 * 512 * 1g pages == lowmem
 * RAM pages mapped.
 */
#ifndef ASM_DIRECT_MAP_H
#define ASM_DIRECT_MAP_H

#include "kernel/types.h"

extern unsigned long direct_map_pages_4k, direct_map_pages_2m, direct_map_pages_1g;

/* Whether the direct map uses 1 GiB leaves (Linux's direct_gbpages: DirectMap1G is shown). */
extern bool direct_gbpages;

/* What building it took: TSC cycles of arch_map_lowmem(), and bytes mapped (the bench). */
extern u64 direct_map_build_cycles, direct_map_build_bytes;

#endif /* ASM_DIRECT_MAP_H */
