// SPDX-License-Identifier: MIT
/*
 * /proc/meminfo, with fs/proc/meminfo.c's layout: the label padded to 16
 * columns, the value in kB right-aligned in 8, then " kB". Lines whose
 * subsystem does not exist yet print what is true now (0 for per-CPU
 * areas), see docs/physical-memory.md; the Vmalloc lines:
 * docs/vmalloc-and-ioremap.md.
 */
#include "asm/direct_map.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "kernel/printk.h"
#include "mm/meminfo.h"
#include "mm/mm_init.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/* One line: "Label:" padded to 16 columns, %8lu, " kB" (show_val_kb()). */
static void show_val_kb(const char *label, unsigned long kb)
{
	printk("%-16s%8lu kB\n", label, kb);
}

/* Linux's is_highmem(): HighMem, and Movable when it was carved out of highmem. */
static bool zone_is_highmem(const struct zone *z)
{
	return z->type == ZONE_HIGHMEM ||
	       (z->type == ZONE_MOVABLE && z->zone_start_pfn >= max_low_pfn);
}

void meminfo_get(struct meminfo *mi)
{
	struct slab_meminfo slab = { 0, 0, 0 };
	unsigned long wmark_low = 0, reclaimable;
	struct zone *z;

	*mi = (struct meminfo){ 0 };
	for_each_zone(z) {
		unsigned long free = zone_page_state(z, NR_FREE_PAGES);

		mi->total += z->managed_pages;
		mi->free += free;
		wmark_low += low_wmark_pages(z);
		if (zone_is_highmem(z)) {
			mi->high_total += z->managed_pages;
			mi->high_free += free;
		}
	}
	if (slab_is_available())
		slab_get_meminfo(&slab);
	mi->slab_bytes = slab.slab;
	mi->sreclaimable_bytes = slab.sreclaimable;
	mi->sunreclaim_bytes = slab.sunreclaim;

	/*
	 * si_mem_available(): free pages above the reserves, plus the half of
	 * reclaimable slab that reclaim could get back (no page cache here).
	 */
	reclaimable = slab.sreclaimable >> PAGE_SHIFT;
	/* Signed, clamped at the end, as si_mem_available() does. */
	long available = (long)mi->free - (long)totalreserve_pages;
	available += (long)(reclaimable - (reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low));
	mi->available = available > 0 ? (unsigned long)available : 0;

	mi->page_tables = pgtable_nr_tables;
	mi->vmalloc_total_bytes = VMALLOC_TOTAL;
	mi->vmalloc_used_bytes = vmalloc_nr_pages() << PAGE_SHIFT;
	mi->direct_map_4k = direct_map_pages_4k;
	mi->direct_map_2m = direct_map_pages_2m;
}

void meminfo_show(void)
{
	struct meminfo mi;

	meminfo_get(&mi);
	show_val_kb("MemTotal:", K(mi.total));
	show_val_kb("MemFree:", K(mi.free));
	show_val_kb("MemAvailable:", K(mi.available));
	show_val_kb("HighTotal:", K(mi.high_total));
	show_val_kb("HighFree:", K(mi.high_free));
	show_val_kb("LowTotal:", K(mi.total - mi.high_total));
	show_val_kb("LowFree:", K(mi.free - mi.high_free));
	show_val_kb("Slab:", mi.slab_bytes >> 10);
	show_val_kb("SReclaimable:", mi.sreclaimable_bytes >> 10);
	show_val_kb("SUnreclaim:", mi.sunreclaim_bytes >> 10);
	show_val_kb("PageTables:", K(mi.page_tables));
	show_val_kb("VmallocTotal:", mi.vmalloc_total_bytes >> 10);
	show_val_kb("VmallocUsed:", mi.vmalloc_used_bytes >> 10);
	/* The largest free gap: the pre-4.4 meaning (docs/vmalloc-and-ioremap.md). */
	show_val_kb("VmallocChunk:", vmalloc_largest_chunk() >> 10);
	show_val_kb("Percpu:", 0);
	printk("HardwareCorrupted: %5lu kB\n", 0ul);
	show_val_kb("DirectMap4k:", mi.direct_map_4k << (PAGE_SHIFT - 10));
	show_val_kb("DirectMap2M:", mi.direct_map_2m << (PMD_SHIFT - 10));
	/* As Linux: the 1G line only where the direct map may use 1 GiB pages. */
	if (direct_gbpages)
		show_val_kb("DirectMap1G:", direct_map_pages_1g << (PUD_SHIFT - 10));
}
