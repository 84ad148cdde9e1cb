/* SPDX-License-Identifier: MIT */
/* The memory totals /proc/meminfo reports (guest/mm/meminfo.c). */
#ifndef MM_MEMINFO_H
#define MM_MEMINFO_H

#include "kernel/types.h"

struct meminfo {
	unsigned long total, free, available; /* pages */
	unsigned long high_total, high_free;  /* pages */
	unsigned long slab_bytes, sreclaimable_bytes, sunreclaim_bytes;
};

void meminfo_get(struct meminfo *mi);

/* Print the /proc/meminfo lines with printk. */
void meminfo_show(void);

#endif /* MM_MEMINFO_H */
