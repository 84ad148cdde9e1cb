/* SPDX-License-Identifier: MIT */
/*
 * The memstat device's snapshot for people and programs: JSON for the
 * control socket and --stats, /proc/meminfo's format for the exit report.
 * Pure functions of a struct memstat_snapshot (memstat_dev.c takes it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "memstat_dev.h"

/* virtio-balloon tags 0-15 by name: Linux's meminfo names where the figure is one. */
static const char *const virtio_tag_names[MEMSTAT_TAG_VIRTIO_NR] = {
	[MEMSTAT_TAG_SWAP_IN] = "swap_in",
	[MEMSTAT_TAG_SWAP_OUT] = "swap_out",
	[MEMSTAT_TAG_MAJFLT] = "major_faults",
	[MEMSTAT_TAG_MINFLT] = "minor_faults",
	[MEMSTAT_TAG_MEMFREE] = "MemFree",
	[MEMSTAT_TAG_MEMTOT] = "MemTotal",
	[MEMSTAT_TAG_AVAIL] = "MemAvailable",
	[MEMSTAT_TAG_CACHES] = "Cached",
	[MEMSTAT_TAG_HTLB_PGALLOC] = "hugetlb_allocations",
	[MEMSTAT_TAG_HTLB_PGFAIL] = "hugetlb_failures",
	[MEMSTAT_TAG_OOM_KILL] = "oom_kills",
	[MEMSTAT_TAG_ALLOC_STALL] = "alloc_stalls",
	[MEMSTAT_TAG_ASYNC_SCAN] = "async_scans",
	[MEMSTAT_TAG_DIRECT_SCAN] = "direct_scans",
	[MEMSTAT_TAG_ASYNC_RECLAIM] = "async_reclaims",
	[MEMSTAT_TAG_DIRECT_RECLAIM] = "direct_reclaims",
};

/* The project's meminfo-level tags, by /proc/meminfo name. */
static const char *const meminfo_tag_names[MEMSTAT_MI_NR] = {
	[MEMSTAT_MI_BUFFERS] = "Buffers",
	[MEMSTAT_MI_HIGH_TOTAL] = "HighTotal",
	[MEMSTAT_MI_HIGH_FREE] = "HighFree",
	[MEMSTAT_MI_LOW_TOTAL] = "LowTotal",
	[MEMSTAT_MI_LOW_FREE] = "LowFree",
	[MEMSTAT_MI_SLAB] = "Slab",
	[MEMSTAT_MI_SRECLAIMABLE] = "SReclaimable",
	[MEMSTAT_MI_SUNRECLAIM] = "SUnreclaim",
	[MEMSTAT_MI_KERNEL_STACK] = "KernelStack",
	[MEMSTAT_MI_PAGE_TABLES] = "PageTables",
	[MEMSTAT_MI_VMALLOC_TOTAL] = "VmallocTotal",
	[MEMSTAT_MI_VMALLOC_USED] = "VmallocUsed",
	[MEMSTAT_MI_DIRECT_MAP_4K] = "DirectMap4k",
	[MEMSTAT_MI_DIRECT_MAP_2M] = "DirectMap2M",
	[MEMSTAT_MI_DIRECT_MAP_1G] = "DirectMap1G",
	[MEMSTAT_MI_RESERVED] = "Reserved",
};

/* The guest's zone indices (Linux's enum zone_type order), as /proc/zoneinfo names them. */
static const char *const zone_names[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable" };
#define NR_ZONE_NAMES (sizeof(zone_names) / sizeof(zone_names[0]))

/* /proc/meminfo lines in Linux's order (fs/proc/meminfo.c), each with the tag it comes from. */
static const struct {
	const char *label;
	uint16_t tag;
} meminfo_lines[] = {
	{ "MemTotal:", MEMSTAT_TAG_MEMTOT },
	{ "MemFree:", MEMSTAT_TAG_MEMFREE },
	{ "MemAvailable:", MEMSTAT_TAG_AVAIL },
	{ "Buffers:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_BUFFERS },
	{ "Cached:", MEMSTAT_TAG_CACHES },
	{ "HighTotal:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_HIGH_TOTAL },
	{ "HighFree:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_HIGH_FREE },
	{ "LowTotal:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_LOW_TOTAL },
	{ "LowFree:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_LOW_FREE },
	{ "Slab:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_SLAB },
	{ "SReclaimable:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_SRECLAIMABLE },
	{ "SUnreclaim:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_SUNRECLAIM },
	{ "KernelStack:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_KERNEL_STACK },
	{ "PageTables:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_PAGE_TABLES },
	{ "VmallocTotal:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_VMALLOC_TOTAL },
	{ "VmallocUsed:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_VMALLOC_USED },
	{ "DirectMap4k:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_DIRECT_MAP_4K },
	{ "DirectMap2M:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_DIRECT_MAP_2M },
	{ "DirectMap1G:", MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_DIRECT_MAP_1G },
};

/* A guest-supplied u64 as JSON: an integer while it fits jansson's signed type. */
static json_t *u64_json(uint64_t v)
{
	return v <= INT64_MAX ? json_integer((json_int_t)v) : json_real((double)v);
}

/* The value of @tag in @s, if the guest published it. */
static bool find_tag(const struct memstat_snapshot *s, uint16_t tag, uint64_t *val)
{
	for (uint32_t i = 0; i < s->nr_stats; i++)
		if (s->stats[i].tag == tag) {
			*val = s->stats[i].val;
			return true;
		}
	return false;
}

void memstat_dev_print_meminfo(const struct memstat_snapshot *s, FILE *out)
{
	uint64_t v;

	if (!s->have_stats)
		return;
	for (size_t i = 0; i < sizeof(meminfo_lines) / sizeof(meminfo_lines[0]); i++)
		if (find_tag(s, meminfo_lines[i].tag, &v))
			fprintf(out, "%-16s%8" PRIu64 " kB\n", meminfo_lines[i].label, v >> 10);
}

/* The furthest status the device reports, by virtio's name. */
static const char *status_name(uint32_t st)
{
	if (st & MEMSTAT_S_FAILED)
		return "FAILED";
	if (st & MEMSTAT_S_DRIVER_OK)
		return "DRIVER_OK";
	if (st & MEMSTAT_S_FEATURES_OK)
		return "FEATURES_OK";
	if (st & MEMSTAT_S_DRIVER)
		return "DRIVER";
	if (st & MEMSTAT_S_ACKNOWLEDGE)
		return "ACKNOWLEDGE";
	return "RESET";
}

static const char *event_name(uint16_t type)
{
	switch (type) {
	case MEMSTAT_EVT_ACK: return "ack";
	case MEMSTAT_EVT_ALLOC_FAIL: return "alloc_fail";
	case MEMSTAT_EVT_WORKLOAD: return "workload";
	default: return "?";
	}
}

/* json_object_set_new() that remembers a failure (out of memory) in *@ok. */
static void set(json_t *obj, const char *key, json_t *val, bool *ok)
{
	if (!val || json_object_set_new(obj, key, val) < 0)
		*ok = false;
}

/* The child object @key of @parent, created on first use; NULL when out of memory. */
static json_t *child(json_t *parent, const char *key)
{
	json_t *o = json_object_get(parent, key);

	if (o)
		return o;
	o = json_object();
	if (o && json_object_set_new(parent, key, o) < 0)
		return NULL;
	return o;
}

/* One statistic into @stats under its name; false when out of memory. */
static bool add_stat(json_t *stats, uint16_t tag, uint64_t val)
{
	char key[24];
	bool ok = true;

	if (tag < MEMSTAT_TAG_VIRTIO_NR) {
		set(stats, virtio_tag_names[tag], u64_json(val), &ok);
	} else if (tag >= MEMSTAT_TAG_MEMINFO && tag < MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR) {
		set(stats, meminfo_tag_names[tag - MEMSTAT_TAG_MEMINFO],
		    u64_json(val), &ok);
	} else if (tag >= MEMSTAT_TAG_FREE_AREA_BASE &&
		   tag < MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES, 0)) {
		unsigned zone = (tag - MEMSTAT_TAG_FREE_AREA_BASE) / MEMSTAT_MAX_ORDERS;
		unsigned order = (tag - MEMSTAT_TAG_FREE_AREA_BASE) % MEMSTAT_MAX_ORDERS;
		json_t *fa = child(stats, "free_area"), *arr;

		if (zone < NR_ZONE_NAMES)
			snprintf(key, sizeof(key), "%s", zone_names[zone]);
		else
			snprintf(key, sizeof(key), "zone%u", zone);
		arr = fa ? json_object_get(fa, key) : NULL;
		if (fa && !arr) {
			arr = json_array();
			set(fa, key, arr, &ok);
		}
		if (!arr)
			return false;
		/* Orders the guest left out are 0: pad up to this one. */
		while (ok && json_array_size(arr) < order)
			ok = json_array_append_new(arr, json_integer(0)) == 0;
		if (ok && json_array_size(arr) == order)
			ok = json_array_append_new(arr, u64_json(val)) == 0;
		else if (ok)
			ok = json_array_set_new(arr, order, u64_json(val)) == 0;
	} else if (tag >= MEMSTAT_TAG_VMSTAT && tag < MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR) {
		json_t *vm = child(stats, "vmstat");

		snprintf(key, sizeof(key), "%u", tag - MEMSTAT_TAG_VMSTAT);
		if (!vm)
			return false;
		set(vm, key, u64_json(val), &ok);
	} else if (tag == MEMSTAT_TAG_TSC) {
		set(stats, "tsc", u64_json(val), &ok);
	} else if (tag == MEMSTAT_TAG_UPDATES) {
		set(stats, "updates", u64_json(val), &ok);
	} else {
		/* memstat_dev.c accepts only known tags; keep anything else visible anyway. */
		snprintf(key, sizeof(key), "tag_0x%x", tag);
		set(stats, key, u64_json(val), &ok);
	}
	return ok;
}

static json_t *counters_json(const struct memstat_snapshot *s, bool *ok)
{
	json_t *c = json_object();

	if (!c) {
		*ok = false;
		return NULL;
	}
	set(c, "doorbells", json_integer((json_int_t)s->doorbells), ok);
	set(c, "doorbells_ignored", json_integer((json_int_t)s->doorbells_ignored), ok);
	set(c, "stats_updates", json_integer((json_int_t)s->stats_updates), ok);
	set(c, "torn_reads", json_integer((json_int_t)s->torn_reads), ok);
	set(c, "events", json_integer((json_int_t)s->events), ok);
	set(c, "events_ack", json_integer((json_int_t)s->evt_by_type[MEMSTAT_EVT_ACK]), ok);
	set(c, "events_alloc_fail",
	    json_integer((json_int_t)s->evt_by_type[MEMSTAT_EVT_ALLOC_FAIL]), ok);
	set(c, "events_workload", json_integer((json_int_t)s->evt_by_type[MEMSTAT_EVT_WORKLOAD]),
	    ok);
	set(c, "commands_posted", json_integer((json_int_t)s->commands_posted), ok);
	set(c, "commands_consumed", json_integer((json_int_t)s->commands_consumed), ok);
	set(c, "commands_acked", json_integer((json_int_t)s->commands_acked), ok);
	set(c, "commands_nacked", json_integer((json_int_t)s->commands_nacked), ok);
	set(c, "commands_outstanding", json_integer(s->outstanding), ok);
	set(c, "irqs", json_integer((json_int_t)s->irqs), ok);
	set(c, "irq_errors", json_integer((json_int_t)s->irq_errors), ok);
	return c;
}

static json_t *events_json(const struct memstat_snapshot *s, bool *ok)
{
	json_t *arr = json_array();

	if (!arr) {
		*ok = false;
		return NULL;
	}
	for (uint32_t i = 0; i < s->nr_evt_log && i < MEMSTAT_DEV_EVT_LOG; i++) {
		const struct memstat_dev_event *e = &s->evt_log[i];
		/* The guest's u64s; an ack's result is a negative errno, shown as one. */
		json_t *a0 = e->type == MEMSTAT_EVT_ACK ? json_integer((json_int_t)e->arg[0]) :
							  u64_json(e->arg[0]);
		json_t *o = json_pack("{s:I, s:s, s:I, s:[o, o, o]}", "time_ns",
				      (json_int_t)e->time_ns, "type", event_name(e->type), "id",
				      (json_int_t)e->id, "arg", a0, u64_json(e->arg[1]),
				      u64_json(e->arg[2]));

		if (!o || json_array_append_new(arr, o) < 0)
			*ok = false;
	}
	return arr;
}

json_t *memstat_dev_snapshot_json(const struct memstat_snapshot *s)
{
	json_t *root = json_object(), *stats;
	bool ok = root != NULL;

	if (!root)
		return NULL;
	set(root, "gpa", json_integer((json_int_t)s->gpa), &ok);
	set(root, "gsi", json_integer(s->gsi), &ok);
	set(root, "status", json_string(status_name(s->device_status)), &ok);
	set(root, "device_status", json_integer(s->device_status), &ok);
	set(root, "driver_features", json_integer((json_int_t)s->driver_features), &ok);
	set(root, "reached_driver_ok", json_boolean(s->reached_driver_ok), &ok);
	set(root, "stats_period_ms", json_integer(s->stats_period_ms), &ok);
	if (s->fail_reason) {
		set(root, "fail_reason", json_string(memstat_fail_reason_name(s->fail_reason)),
		    &ok);
		set(root, "fail_message", json_string(s->fail_msg), &ok);
	} else {
		set(root, "fail_reason", json_null(), &ok);
	}
	set(root, "counters", counters_json(s, &ok), &ok);
	if (s->have_stats) {
		stats = json_object();
		set(root, "stats", stats, &ok);
		if (stats) {
			set(stats, "seq", json_integer(s->stats_seq), &ok);
			set(stats, "time_ns", json_integer((json_int_t)s->stats_time_ns), &ok);
			for (uint32_t i = 0; ok && i < s->nr_stats && i < MEMSTAT_MAX_STATS; i++)
				ok = add_stat(stats, s->stats[i].tag, s->stats[i].val);
		}
	} else {
		set(root, "stats", json_null(), &ok);
	}
	set(root, "events", events_json(s, &ok), &ok);
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}
