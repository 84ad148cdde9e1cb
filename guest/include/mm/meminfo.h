/* SPDX-License-Identifier: MIT */
/* The memory totals /proc/meminfo reports (guest/mm/meminfo.c). */
#ifndef MM_MEMINFO_H
#define MM_MEMINFO_H

#include "kernel/types.h"

struct meminfo {
	unsigned long total, free, available; /* pages */
	unsigned long high_total, high_free;  /* pages */
	unsigned long slab_bytes, sreclaimable_bytes, sunreclaim_bytes;
	unsigned long page_tables;                      /* pages */
	unsigned long vmalloc_total_bytes, vmalloc_used_bytes;
	unsigned long direct_map_4k, direct_map_2m;     /* pages of each size */
};

/*
 * Every figure meminfo_show() prints, computed once: the memstat device
 * publishes the same numbers (it may call this from an interrupt handler:
 * it only reads counters).
 */
void meminfo_get(struct meminfo *mi);

/* Print the /proc/meminfo lines with printk. */
void meminfo_show(void);

#endif /* MM_MEMINFO_H */
