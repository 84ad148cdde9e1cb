/* SPDX-License-Identifier: MIT */
/*
 * mmio: every guest access to a guest-physical address without RAM behind
 * it (a hole, or a DIMM page the VMM made unbacked), counted per
 * (address, direction, RIP); for a write the RIP is the next instruction's,
 * as KVM exits after the write. The access log (access_log.c) prints the first
 * access to each address; this monitor counts all of them and remembers
 * where they came from. The table is bounded (MMIO_TABLE_MAX entries):
 * accesses with a new key once it is full are counted as overflow, and
 * every report says so.
 */
#include "monitor_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define MMIO_TABLE_MAX 4096
#define MMIO_SLOTS (MMIO_TABLE_MAX * 2) /* open addressing, at most half full */
/* Table lines the end-of-run summary prints (most frequent first). */
#define MMIO_SUMMARY_LINES 16

struct mmio_entry {
	uint64_t gpa, rip, count;
	uint8_t used, is_write, hole, len;
};

struct mon_mmio {
	pthread_mutex_t lock;
	struct mmio_entry *slots;
	unsigned nr_entries;
	uint64_t total, reads, writes, holes, unbacked, overflow;
};

/* An empty table. */
int mon_mmio_start(struct mon_mmio **out, struct vmm_err *err)
{
	struct mon_mmio *mm = calloc(1, sizeof(*mm));

	*out = NULL;
	if (mm)
		mm->slots = calloc(MMIO_SLOTS, sizeof(*mm->slots));
	if (!mm || !mm->slots) {
		free(mm);
		return err_set(err, "mmio: out of memory");
	}
	pthread_mutex_init(&mm->lock, NULL);
	*out = mm;
	return 0;
}

/* Spread (gpa, rip, direction) over the slots (vmm/hash.h). */
static uint64_t mmio_hash(uint64_t gpa, uint64_t rip, bool is_write)
{
	return hash_mix64(gpa * 31 + rip * 7 + is_write);
}

/* Count one access under its (address, direction, RIP) key, or as overflow. */
void mon_mmio_note(struct mon_mmio *mm, uint64_t gpa, unsigned len, bool is_write, uint64_t rip,
		   bool hole)
{
	uint64_t i = mmio_hash(gpa, rip, is_write) % MMIO_SLOTS;

	pthread_mutex_lock(&mm->lock);
	mm->total++;
	if (is_write)
		mm->writes++;
	else
		mm->reads++;
	if (hole)
		mm->holes++;
	else
		mm->unbacked++;
	for (unsigned probes = 0; probes < MMIO_SLOTS; probes++, i = (i + 1) % MMIO_SLOTS) {
		struct mmio_entry *e = &mm->slots[i];

		if (e->used && e->gpa == gpa && e->rip == rip && e->is_write == is_write) {
			e->count++;
			goto out;
		}
		if (!e->used) {
			if (mm->nr_entries >= MMIO_TABLE_MAX)
				break;
			e->used = 1;
			e->gpa = gpa;
			e->rip = rip;
			e->is_write = is_write;
			e->hole = hole;
			e->len = (uint8_t)(len > UINT8_MAX ? UINT8_MAX : len);
			e->count = 1;
			mm->nr_entries++;
			goto out;
		}
	}
	mm->overflow++;
out:
	pthread_mutex_unlock(&mm->lock);
}

/* qsort: most accesses first, then by address. */
static int entry_cmp(const void *a, const void *b)
{
	const struct mmio_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return (x->gpa > y->gpa) - (x->gpa < y->gpa);
}

/* The used entries, sorted (lock held); caller frees. */
static struct mmio_entry *sorted_entries(const struct mon_mmio *mm)
{
	struct mmio_entry *v = malloc((mm->nr_entries ? mm->nr_entries : 1) * sizeof(*v));
	unsigned n = 0;

	if (!v)
		return NULL;
	for (unsigned i = 0; i < MMIO_SLOTS; i++)
		if (mm->slots[i].used)
			v[n++] = mm->slots[i];
	qsort(v, n, sizeof(*v), entry_cmp);
	return v;
}

/* Totals, and with @table every entry, most frequent first. */
json_t *mon_mmio_json(struct mon_mmio *mm, bool table)
{
	json_t *o;

	pthread_mutex_lock(&mm->lock);
	o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:i,s:i,s:I}", "accesses", (json_int_t)mm->total,
		      "reads", (json_int_t)mm->reads, "writes", (json_int_t)mm->writes,
		      "hole", (json_int_t)mm->holes, "unbacked", (json_int_t)mm->unbacked,
		      "distinct", (int)mm->nr_entries, "table_max", MMIO_TABLE_MAX,
		      "overflow", (json_int_t)mm->overflow);
	if (o && table) {
		struct mmio_entry *v = sorted_entries(mm);
		json_t *a = json_array();

		for (unsigned i = 0; v && a && i < mm->nr_entries; i++) {
			const struct mmio_entry *e = &v[i];
			json_t *j = json_pack("{s:I,s:s,s:i,s:I,s:s,s:I}",
					      "gpa", (json_int_t)e->gpa,
					      "access", e->is_write ? "write" : "read",
					      "len", (int)e->len, "rip", (json_int_t)e->rip,
					      "what", e->hole ? "hole" : "unbacked RAM",
					      "count", (json_int_t)e->count);

			json_array_append_new(a, j);
		}
		free(v);
		json_object_set_new(o, "table", a);
	}
	pthread_mutex_unlock(&mm->lock);
	return o;
}

/* The end-of-run mmio lines: totals and the most frequent entries. */
void mon_mmio_summary(struct mon_mmio *mm, FILE *out)
{
	struct mmio_entry *v;

	pthread_mutex_lock(&mm->lock);
	fprintf(out, "monitor mmio: %" PRIu64 " accesses (%" PRIu64 " reads, %" PRIu64
		" writes; %" PRIu64 " to holes, %" PRIu64 " to unbacked RAM), %u distinct "
		"(address, direction, RIP), %" PRIu64 " beyond the %u-entry table\n", mm->total,
		mm->reads, mm->writes, mm->holes, mm->unbacked, mm->nr_entries, mm->overflow,
		MMIO_TABLE_MAX);
	v = sorted_entries(mm);
	for (unsigned i = 0; v && i < mm->nr_entries && i < MMIO_SUMMARY_LINES; i++)
		/* KVM reports a write after it completed: RIP is the next instruction's. */
		fprintf(out, "monitor mmio: %s of %u bytes at GPA 0x%" PRIx64 " (%s) %s 0x%"
			PRIx64 ": count %" PRIu64 "\n", v[i].is_write ? "write" : "read", v[i].len,
			v[i].gpa, v[i].hole ? "hole" : "unbacked RAM",
			v[i].is_write ? "next RIP" : "RIP", v[i].rip, v[i].count);
	if (v && mm->nr_entries > MMIO_SUMMARY_LINES)
		fprintf(out, "monitor mmio: %u more entries (query-faults lists them all)\n",
			mm->nr_entries - MMIO_SUMMARY_LINES);
	free(v);
	pthread_mutex_unlock(&mm->lock);
}

/* Free the table. */
void mon_mmio_stop(struct mon_mmio *mm)
{
	if (!mm)
		return;
	free(mm->slots);
	pthread_mutex_destroy(&mm->lock);
	free(mm);
}
