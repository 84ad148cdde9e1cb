// SPDX-License-Identifier: MIT
/*
 * The page allocator's reports, in Linux's formats: /proc/buddyinfo
 * (frag_show_print()), /proc/zoneinfo (zoneinfo_show_print()), vmstat
 * lines, the zone part of show_free_areas() and warn_alloc()'s failure
 * line with %pGg's flag names. All printed through printk.
 */
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/page_alloc.h"

#define KB_PER_PAGE (PAGE_SIZE >> 10)
#define K(pages) ((pages) * KB_PER_PAGE)
/* The task Linux blames for boot-time failures: there are no others here. */
#define BOOT_COMM "swapper/0"
#define GFP_NAMES_MAX 256

/* %pGg's table (Linux's __def_gfpflag_names order: composites first). */
static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

/* Flag names joined by '|', unknown bits as one hex number (Linux's format_flags()). */
void format_gfp_flags(char *buf, size_t size, gfp_t gfp)
{
	size_t len = 0, i;

	if (!size)
		return;
	buf[0] = '\0';
	for (i = 0; gfp && i < ARRAY_SIZE(gfp_names); i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		gfp &= ~gfp_names[i].mask;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					gfp_names[i].name, gfp ? "|" : "");
		if (len >= size)
			return;
	}
	if (gfp)
		snprintf(buf + len, size - len, "%#x", gfp);
}

/* /proc/buddyinfo: free blocks per order of every populated zone. */
void show_buddyinfo(void)
{
	struct zone *z;
	int o;

	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		printk("Node %d, zone %8s ", contig_page_data.node_id, z->name);
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			printk("%6lu ", z->free_area[o].nr_free);
		printk("\n");
	}
}

/* One zone of /proc/zoneinfo (the lines that exist here, in Linux's layout). */
static void zoneinfo_show_print(struct zone *z)
{
	int i;

	printk("Node %d, zone %8s", contig_page_data.node_id, z->name);
	printk("\n  pages free     %lu"
	       "\n        boost    %lu"
	       "\n        min      %lu"
	       "\n        low      %lu"
	       "\n        high     %lu"
	       "\n        promo    %lu"
	       "\n        spanned  %lu"
	       "\n        present  %lu"
	       "\n        managed  %lu"
	       "\n        cma      %lu",
	       zone_page_state(z, NR_FREE_PAGES), z->watermark_boost, min_wmark_pages(z),
	       low_wmark_pages(z), high_wmark_pages(z), promo_wmark_pages(z), z->spanned_pages,
	       z->present_pages, z->managed_pages, 0ul);
	printk("\n        protection: (%ld", z->lowmem_reserve[0]);
	for (i = 1; i < MAX_NR_ZONES; i++)
		printk(", %ld", z->lowmem_reserve[i]);
	printk(")");
	if (!populated_zone(z)) {
		printk("\n");
		return;
	}
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		printk("\n      %-12s %lu", zone_stat_name((enum zone_stat_item)i),
		       zone_page_state(z, (enum zone_stat_item)i));
	printk("\n  pagesets"
	       "\n    cpu: %i"
	       "\n              count:    %i"
	       "\n              high:     %i"
	       "\n              batch:    %i"
	       "\n              high_min: %i"
	       "\n              high_max: %i",
	       0, z->pcp.count, z->pcp.high, z->pcp.batch, z->pcp.high, z->pcp.high);
	printk("\n  node_unreclaimable:  %u"
	       "\n  start_pfn:           %lu\n",
	       0u, z->zone_start_pfn);
}

/* /proc/zoneinfo: every zone, populated or not (as Linux does). */
void show_zoneinfo(void)
{
	struct zone *z;

	for_each_zone(z)
		zoneinfo_show_print(z);
}

/* The vmstat lines the allocator keeps: "name value". */
void show_vmstat(void)
{
	int i;

	printk("%s %lu\n", zone_stat_name(NR_FREE_PAGES), nr_free_pages());
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		printk("%s %lu\n", vm_event_name((enum vm_event_item)i), vm_events[i]);
}

/* "(UME) " for the migratetypes with blocks at one order (show_migration_types()). */
static void show_migration_types(const struct free_area *area)
{
	static const char letters[MIGRATE_TYPES] = { 'U', 'M', 'E' };
	char tmp[MIGRATE_TYPES + 1];
	int mt, n = 0;

	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		if (!list_empty(&area->free_list[mt]))
			tmp[n++] = letters[mt];
	tmp[n] = '\0';
	printk("(%s) ", tmp);
}

/* Per zone: free/watermarks in kB, lowmem_reserve[], then free blocks per order. */
void show_free_areas(void)
{
	struct zone *z;
	int i;

	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		printk("Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB"
		       " present:%lukB managed:%lukB free_pcp:%lukB\n",
		       contig_page_data.node_id, z->name, K(zone_page_state(z, NR_FREE_PAGES)),
		       K(z->watermark_boost), K(min_wmark_pages(z)), K(low_wmark_pages(z)),
		       K(high_wmark_pages(z)), K(z->present_pages), K(z->managed_pages),
		       K((unsigned long)z->pcp.count));
		printk("lowmem_reserve[]:");
		for (i = 0; i < MAX_NR_ZONES; i++)
			printk(" %ld", z->lowmem_reserve[i]);
		printk("\n");
	}
	for_each_zone(z) {
		unsigned long total = 0;
		int o;

		if (!populated_zone(z))
			continue;
		printk("Node %d %s: ", contig_page_data.node_id, z->name);
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			unsigned long nr = z->free_area[o].nr_free;

			total += nr << o;
			printk("%lu*%lukB ", nr, K(1ul) << o);
			if (nr)
				show_migration_types(&z->free_area[o]);
		}
		printk("= %lukB\n", K(total));
	}
}

/* The failure report: one line naming order and mode, then the zones. */
void warn_alloc(gfp_t gfp, unsigned int order)
{
	char names[GFP_NAMES_MAX];

	format_gfp_flags(names, sizeof(names), gfp);
	printk("%s: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n",
	       BOOT_COMM, order, gfp, names);
	printk("Mem-Info:\n");
	show_free_areas();
}
