/* SPDX-License-Identifier: MIT */
/*
 * The direct map of lowmem at PAGE_OFFSET (guest/arch/x86/mm/physmem.c):
 * how many leaves of each size it was built with, for DirectMap4k/2M in
 * /proc/meminfo.
 */
#ifndef ASM_DIRECT_MAP_H
#define ASM_DIRECT_MAP_H

extern unsigned long direct_map_pages_4k, direct_map_pages_2m;

#endif /* ASM_DIRECT_MAP_H */
