// SPDX-License-Identifier: MIT
/*
 * report=meminfo,buddyinfo,zoneinfo,vmstat,slabinfo,vmallocinfo,memtype (or all):
 * print those /proc files at the end of the run, each after a "report: NAME" line, in
 * the order given. The per-CPU lists are drained first, so that MemFree
 * and the free lists count every free page.
 */
#include "asm/memtype.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/report.h"
#include "kernel/string.h"
#include "mm/meminfo.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

static const struct {
	const char *name;
	void (*show)(void);
} reports[] = {
	{ "meminfo", meminfo_show },   { "buddyinfo", show_buddyinfo },
	{ "zoneinfo", show_zoneinfo }, { "vmstat", show_vmstat },
	{ "slabinfo", slabinfo_show }, { "vmallocinfo", vmallocinfo_show },
	{ "memtype", memtype_show }, /* debugfs x86/pat_memtype_list */
};

static const char *report_list;

/* Index of the report named by [s, s + len), or -1. */
static int report_index(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
		if (strlen(reports[i].name) == len && !memcmp(reports[i].name, s, len))
			return (int)i;
	return -1;
}

void report_parse_cmdline(void)
{
	const char *p = cmdline_get("report");

	if (!p)
		return;
	if (strcmp(p, "all")) {
		for (const char *w = p; *w;) {
			const char *end = w;

			while (*end && *end != ',')
				end++;
			if (report_index(w, (size_t)(end - w)) < 0)
				bad_boot("report=: unknown report \"%.*s\" (known: meminfo, buddyinfo, "
					 "zoneinfo, vmstat, slabinfo, vmallocinfo, memtype, all)",
					 (int)(end - w), w);
			w = *end ? end + 1 : end;
		}
	}
	report_list = p;
}

void report_show(void)
{
	if (!report_list)
		return;
	drain_all_pages();
	if (!strcmp(report_list, "all")) {
		for (size_t i = 0; i < ARRAY_SIZE(reports); i++) {
			printk("report: %s\n", reports[i].name);
			reports[i].show();
		}
		return;
	}
	for (const char *w = report_list; *w;) {
		const char *end = w;
		int i;

		while (*end && *end != ',')
			end++;
		i = report_index(w, (size_t)(end - w));
		printk("report: %s\n", reports[i].name);
		reports[i].show();
		w = *end ? end + 1 : end;
	}
}
