// SPDX-License-Identifier: MIT
/*
 * The statistics area's encoding: figures to virtio-balloon-style tag/value
 * pairs, in a fixed order (virtio, meminfo, free areas, vmstat, TSC,
 * updates). When the layout (which tags, in which order) is the one of the
 * last publication, only the values are rewritten: a fifth of the stores,
 * and guest instructions are dear on this project's host. Pure: memstat.c
 * gathers the figures and owns the sequence counter; the host unit test
 * checks the encoding.
 */
#include "abi/memstat_dev.h"
#include "drivers/memstat.h"

struct encoder {
	volatile struct memstat_stat *out;
	unsigned int max, nr, dropped;
	bool values_only; /* the tags are already in place */
};

/* Append one pair (tag, then value; the reserved words are written as 0). */
static inline void put(struct encoder *e, u16 tag, u64 val)
{
	volatile struct memstat_stat *s;

	if (e->nr >= e->max) {
		e->dropped++;
		return;
	}
	s = &e->out[e->nr++];
	if (!e->values_only) {
		s->tag = tag;
		s->reserved[0] = 0;
		s->reserved[1] = 0;
		s->reserved[2] = 0;
	}
	s->val = val;
}

void memstat_stats_layout(const struct memstat_figures *f, struct memstat_layout *l)
{
	*l = (struct memstat_layout){ .meminfo_valid = f->meminfo_valid,
				      .nr_zones = f->nr_zones,
				      .nr_vm_events = f->nr_vm_events };
	for (unsigned int z = 0; z < f->nr_zones && z < MEMSTAT_MAX_ZONES; z++) {
		l->zone[z] = (u8)f->zones[z].zone;
		l->nr_orders[z] = (u8)f->zones[z].nr_orders;
	}
}

bool memstat_same_layout(const struct memstat_layout *a, const struct memstat_layout *b)
{
	if (a->meminfo_valid != b->meminfo_valid || a->nr_zones != b->nr_zones ||
	    a->nr_vm_events != b->nr_vm_events)
		return false;
	for (unsigned int z = 0; z < a->nr_zones && z < MEMSTAT_MAX_ZONES; z++)
		if (a->zone[z] != b->zone[z] || a->nr_orders[z] != b->nr_orders[z])
			return false;
	return true;
}

unsigned int memstat_encode_stats(volatile struct memstat_stat *out, unsigned int max,
				  const struct memstat_figures *f, unsigned int *dropped)
{
	return memstat_encode(out, max, f, dropped, false);
}

unsigned int memstat_encode(volatile struct memstat_stat *out, unsigned int max,
			    const struct memstat_figures *f, unsigned int *dropped,
			    bool values_only)
{
	struct encoder e = { .out = out, .max = max, .values_only = values_only };
	unsigned int i, z, o;
	u32 zones_seen = 0; /* a zone listed twice would repeat its tags */

	for (i = 0; i < MEMSTAT_TAG_VIRTIO_NR; i++)
		put(&e, (u16)i, f->virtio[i]);
	for (i = 0; i < MEMSTAT_MI_NR; i++)
		if (f->meminfo_valid & (1u << i))
			put(&e, (u16)(MEMSTAT_TAG_MEMINFO + i), f->meminfo[i]);
	for (z = 0; z < f->nr_zones && z < MEMSTAT_MAX_ZONES; z++) {
		unsigned int zone = f->zones[z].zone;

		if (zone >= MEMSTAT_MAX_ZONES || (zones_seen & (1u << zone)))
			continue;
		zones_seen |= 1u << zone;
		for (o = 0; o < f->zones[z].nr_orders && o < MEMSTAT_MAX_ORDERS; o++)
			put(&e, (u16)MEMSTAT_TAG_FREE_AREA(zone, o), f->zones[z].nr_free[o]);
	}
	for (i = 0; i < f->nr_vm_events && i < MEMSTAT_TAG_VMSTAT_NR; i++)
		put(&e, (u16)(MEMSTAT_TAG_VMSTAT + i), f->vm_events[i]);
	put(&e, MEMSTAT_TAG_TSC, f->tsc);
	put(&e, MEMSTAT_TAG_UPDATES, f->updates);
	if (dropped)
		*dropped = e.dropped;
	return e.nr;
}
