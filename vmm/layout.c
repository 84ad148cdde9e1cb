/* SPDX-License-Identifier: MIT */
/*
 * Guest physical layout: DIMMs from -m or --dimm, the rules they must obey,
 * and the E820 table built from them. No KVM here, so every rule is
 * unit-tested on the host (tests/unit/test_layout.c).
 */
#include "layout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "size.h"

/* Enough for "SIZE@0xADDR" with a 20-digit size and a 16-digit address. */
#define NAME_BUF 64
#define SIZE_BUF 24

/* -m below this cannot hold the PC low megabyte the default layout models. */
#define LAYOUT_MIN_TOTAL E820_LOWMEM_END

/* Every x86-64 CPU has at least 36; below 32 the 32-bit hole means nothing. */
#define LAYOUT_PHYS_BITS_MIN 32u

/* A DIMM at 0 becomes at most three entries: usable, reserved, usable. */
#define LOWMEM_SPLIT_ENTRIES 3u

/* Exclusive end of [@base, @base + @size), or false if it wraps past 2^64. */
static bool range_end(uint64_t base, uint64_t size, uint64_t *end)
{
	if (size > UINT64_MAX - base)
		return false;
	*end = base + size;
	return true;
}

/* "0" or "0x..." as users write addresses in --dimm and --e820. */
static void format_addr(uint64_t addr, char *buf, size_t len)
{
	if (addr)
		snprintf(buf, len, "0x%" PRIx64, addr);
	else
		snprintf(buf, len, "0");
}

/* A DIMM as the user wrote it: SIZE@ADDR, e.g. "512M@0x20000000". */
static const char *dimm_name(const struct dimm *d, char *buf, size_t len)
{
	char size[SIZE_BUF], addr[SIZE_BUF];

	format_addr(d->base, addr, sizeof(addr));
	snprintf(buf, len, "%s@%s", format_size(d->size, size, sizeof(size)), addr);
	return buf;
}

/* An extra E820 entry as --e820 takes it: TYPE@ADDR+SIZE. */
static const char *extra_name(const struct e820_entry *e, char *buf, size_t len)
{
	char size[SIZE_BUF], addr[SIZE_BUF], type[SIZE_BUF];
	const char *tname = e820_type_cli_name(e->type);

	if (!tname) {
		snprintf(type, sizeof(type), "0x%" PRIx32, e->type);
		tname = type;
	}
	format_addr(e->addr, addr, sizeof(addr));
	snprintf(buf, len, "%s@%s+%s", tname, addr, format_size(e->size, size, sizeof(size)));
	return buf;
}

int layout_from_total(uint64_t total, struct dimm *out, unsigned *nr_out, struct vmm_err *err)
{
	char size[SIZE_BUF], min[SIZE_BUF];
	unsigned nr = 0;

	format_size(total, size, sizeof(size));
	if (total == 0)
		return err_set(err, "-m %s: memory size is zero", size);
	if (total % PAGE_SIZE_4K)
		return err_set(err, "-m %s: not a multiple of 4 KiB", size);
	if (total < LAYOUT_MIN_TOTAL)
		return err_set(err, "-m %s: below the %s minimum (the PC low megabyte)", size,
			       format_size(LAYOUT_MIN_TOTAL, min, sizeof(min)));
	/* RAM above the hole ends at total + hole size: that must fit in 64 bits. */
	if (total > UINT64_MAX - (LAYOUT_HOLE32_END - LAYOUT_HOLE32_START))
		return err_set(err, "-m %s: too large for a 64-bit address space", size);

	out[nr].base = 0;
	out[nr].size = total < LAYOUT_HOLE32_START ? total : LAYOUT_HOLE32_START;
	nr++;
	if (total > LAYOUT_HOLE32_START) {
		out[nr].base = LAYOUT_HOLE32_END;
		out[nr].size = total - LAYOUT_HOLE32_START;
		nr++;
	}
	*nr_out = nr;
	return 0;
}

/* The rules one DIMM must obey on its own, whatever the others are. */
static int dimm_check_one(const struct dimm *d, unsigned phys_bits, struct vmm_err *err)
{
	char name[NAME_BUF];
	uint64_t end;

	dimm_name(d, name, sizeof(name));
	if (d->size == 0)
		return err_set(err, "DIMM %s: size is zero", name);
	if (d->base % PAGE_SIZE_4K)
		return err_set(err, "DIMM %s: address not 4 KiB aligned", name);
	if (d->size % PAGE_SIZE_4K)
		return err_set(err, "DIMM %s: size not a multiple of 4 KiB", name);
	if (d->size > LAYOUT_DIMM_MAX_SIZE)
		return err_set(err, "DIMM %s: larger than one KVM memory slot maps (%lluK)", name,
			       (unsigned long long)(LAYOUT_DIMM_MAX_SIZE >> 10));
	if (!range_end(d->base, d->size, &end))
		return err_set(err, "DIMM %s wraps around the 64-bit address space", name);
	if (end > (1ull << phys_bits))
		return err_set(err, "DIMM %s ends beyond the %u-bit physical address limit", name,
			       phys_bits);
	/*
	 * A DIMM at 0 gets the low megabyte carved into E820 entries; one that
	 * starts above 0 would put RAM where every PC has EBDA, VGA and BIOS.
	 */
	if (d->base > 0 && d->base < E820_LOWMEM_END && end > E820_LOWMEM_USABLE_END)
		return err_set(err,
			       "DIMM %s overlaps the low megabyte's reserved area [0x%llx-0x%llx]",
			       name, E820_LOWMEM_USABLE_END, E820_LOWMEM_END - 1);
	if (d->base < LAYOUT_X86_MMIO_END && end > LAYOUT_X86_MMIO_START)
		return err_set(err,
			       "DIMM %s overlaps the x86 interrupt controller and firmware area "
			       "[0x%llx-0x%llx]",
			       name, LAYOUT_X86_MMIO_START, LAYOUT_X86_MMIO_END - 1);
	return 0;
}

/* qsort() order for DIMMs: by base address. */
static int dimm_cmp(const void *a, const void *b)
{
	const struct dimm *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

int layout_check(struct dimm *dimms, unsigned nr, unsigned phys_bits, unsigned max_slots,
		 struct vmm_err *err)
{
	char a[NAME_BUF], b[NAME_BUF];
	unsigned i;

	if (phys_bits < LAYOUT_PHYS_BITS_MIN || phys_bits > LAYOUT_PHYS_BITS_MAX)
		return err_set(err, "physical address width %u outside [%u, %u]", phys_bits,
			       LAYOUT_PHYS_BITS_MIN, LAYOUT_PHYS_BITS_MAX);
	if (nr == 0)
		return err_set(err, "no DIMMs: the guest needs memory");
	if (nr > max_slots)
		return err_set(err, "%u DIMMs but KVM offers only %u memory slots", nr, max_slots);
	for (i = 0; i < nr; i++)
		if (dimm_check_one(&dimms[i], phys_bits, err))
			return -1;

	qsort(dimms, nr, sizeof(*dimms), dimm_cmp);
	/* Sorted and no neighbours overlapping means no two overlap at all. */
	for (i = 1; i < nr; i++)
		if (dimms[i].base < dimms[i - 1].base + dimms[i - 1].size)
			return err_set(err, "DIMMs %s and %s overlap",
				       dimm_name(&dimms[i - 1], a, sizeof(a)),
				       dimm_name(&dimms[i], b, sizeof(b)));

	/* start info, memmap and command line are written through one DIMM. */
	for (i = 0; i < nr; i++)
		if (dimms[i].base <= PVH_BOOT_AREA_START &&
		    dimms[i].base + dimms[i].size >= PVH_BOOT_AREA_END)
			return 0;
	return err_set(err, "no DIMM holds the PVH boot area [0x%x-0x%x]: add a DIMM at 0",
		       PVH_BOOT_AREA_START, PVH_BOOT_AREA_END - 1);
}

/* qsort() order for E820 entries: by address (callers keep them disjoint). */
static int entry_cmp(const void *a, const void *b)
{
	const struct e820_entry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->size > y->size) - (x->size < y->size);
}

/* Append [start, end) of @type to @v if not empty. */
static void push_range(struct e820_entry *v, unsigned *n, uint64_t start, uint64_t end,
		       uint32_t type)
{
	if (start >= end)
		return;
	v[*n].addr = start;
	v[*n].size = end - start;
	v[*n].type = type;
	(*n)++;
}

/* The entries one DIMM contributes before extras: the low megabyte split. */
static unsigned dimm_entries(const struct dimm *d, struct e820_entry *v)
{
	uint64_t end = d->base + d->size;
	unsigned n = 0;

	if (d->base != 0) {
		push_range(v, &n, d->base, end, E820_TYPE_RAM);
		return n;
	}
	/* The EBDA, VGA window and BIOS: what the guest expects on a PC. */
	push_range(v, &n, 0, end < E820_LOWMEM_USABLE_END ? end : E820_LOWMEM_USABLE_END,
		   E820_TYPE_RAM);
	push_range(v, &n, E820_LOWMEM_USABLE_END, end < E820_LOWMEM_END ? end : E820_LOWMEM_END,
		   E820_TYPE_RESERVED);
	push_range(v, &n, E820_LOWMEM_END, end, E820_TYPE_RAM);
	return n;
}

/*
 * Append @r minus every extra (sorted, disjoint) to @v: the pieces of a
 * DIMM's entry that extras leave.
 */
static void carve(const struct e820_entry *r, const struct e820_entry *x, unsigned nr_x,
		  struct e820_entry *v, unsigned *n)
{
	uint64_t cur = r->addr, end = r->addr + r->size;
	unsigned i;

	for (i = 0; i < nr_x && cur < end; i++) {
		uint64_t xs = x[i].addr, xe = x[i].addr + x[i].size;

		if (xe <= cur || xs >= end)
			continue;
		push_range(v, n, cur, xs, r->type);
		cur = xe;
	}
	push_range(v, n, cur, end, r->type);
}

/* Refuse empty, wrapping and mutually overlapping extras; @x is sorted. */
static int extras_check(const struct e820_entry *x, unsigned nr, struct vmm_err *err)
{
	char a[NAME_BUF], b[NAME_BUF];
	uint64_t end;
	unsigned i;

	for (i = 0; i < nr; i++) {
		extra_name(&x[i], a, sizeof(a));
		if (x[i].size == 0)
			return err_set(err, "E820 entry %s: size is zero", a);
		if (!range_end(x[i].addr, x[i].size, &end))
			return err_set(err, "E820 entry %s wraps around the 64-bit address space",
				       a);
	}
	for (i = 1; i < nr; i++)
		if (x[i].addr < x[i - 1].addr + x[i - 1].size)
			return err_set(err, "E820 entries %s and %s overlap",
				       extra_name(&x[i - 1], a, sizeof(a)),
				       extra_name(&x[i], b, sizeof(b)));
	return 0;
}

int layout_build_e820(const struct dimm *dimms, unsigned nr_dimms, const struct e820_entry *extras,
		      unsigned nr_extras, struct e820_entry *out, unsigned max, struct vmm_err *err)
{
	struct e820_entry *x, *v, base[LOWMEM_SPLIT_ENTRIES];
	unsigned i, j, n = 0;
	size_t cap;
	int ret = -1;

	/*
	 * Pieces: each extra splits at most one piece in two, so DIMM entries
	 * plus extras bound them; the extras themselves follow.
	 */
	cap = (size_t)LOWMEM_SPLIT_ENTRIES * nr_dimms + 2 * (size_t)nr_extras;
	x = calloc(nr_extras ? nr_extras : 1, sizeof(*x));
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!x || !v) {
		err_set(err, "out of memory building the E820 table");
		goto out_free;
	}
	if (nr_extras)
		memcpy(x, extras, nr_extras * sizeof(*x));
	qsort(x, nr_extras, sizeof(*x), entry_cmp);
	if (extras_check(x, nr_extras, err))
		goto out_free;

	for (i = 0; i < nr_dimms; i++) {
		unsigned nb = dimm_entries(&dimms[i], base);

		for (j = 0; j < nb; j++)
			carve(&base[j], x, nr_extras, v, &n);
	}
	for (i = 0; i < nr_extras; i++)
		v[n++] = x[i];
	/*
	 * Disjoint pieces: sorting by address gives the table. No merging, so
	 * two touching DIMMs stay two entries and each DIMM stays visible.
	 */
	qsort(v, n, sizeof(*v), entry_cmp);

	if (n > max) {
		err_set(err, "E820 table needs %u entries, more than the %u allowed", n, max);
		goto out_free;
	}
	if (n)
		memcpy(out, v, n * sizeof(*v));
	ret = (int)n;
out_free:
	free(v);
	free(x);
	return ret;
}

int layout_reserve_region(const struct dimm *dimms, unsigned nr_dimms, struct e820_entry *e820,
			  unsigned *nr, unsigned max, uint64_t addr, uint64_t size, const char *what,
			  struct vmm_err *err)
{
	char name[NAME_BUF];
	uint64_t end = addr + size;
	unsigned i, at;

	for (i = 0; i < nr_dimms; i++)
		if (addr < dimms[i].base + dimms[i].size && dimms[i].base < end)
			return err_set(err, "the %s [0x%" PRIx64 "-0x%" PRIx64 "] overlaps DIMM %s",
				       what, addr, end - 1, dimm_name(&dimms[i], name, sizeof(name)));
	for (i = 0; i < *nr; i++)
		if (addr < e820[i].addr + e820[i].size && e820[i].addr < end)
			return err_set(err, "the %s [0x%" PRIx64 "-0x%" PRIx64 "] overlaps E820 entry %s",
				       what, addr, end - 1, extra_name(&e820[i], name, sizeof(name)));
	if (*nr >= max)
		return err_set(err, "no room for the %s in the E820 table (%u entries)", what, max);
	/* Before the first entry above it: a sorted table stays sorted. */
	for (at = 0; at < *nr && e820[at].addr < addr; at++)
		;
	memmove(&e820[at + 1], &e820[at], (*nr - at) * sizeof(*e820));
	e820[at] = (struct e820_entry){ .addr = addr, .size = size, .type = E820_TYPE_RESERVED };
	(*nr)++;
	return 0;
}

static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
	{ "usable", E820_TYPE_RAM },
	{ "ram", E820_TYPE_RAM },
	{ "reserved", E820_TYPE_RESERVED },
	{ "acpi", E820_TYPE_ACPI },
	{ "nvs", E820_TYPE_NVS },
	{ "unusable", E820_TYPE_UNUSABLE },
	{ "pmem", E820_TYPE_PMEM },
	{ "pram", E820_TYPE_PRAM },
	{ "soft-reserved", E820_TYPE_SOFT_RESERVED },
};

#define E820_NR_NAMES (sizeof(e820_names) / sizeof(e820_names[0]))

const char *e820_type_cli_name(uint32_t type)
{
	size_t i;

	/* The first name of a type is its canonical one ("usable", not "ram"). */
	for (i = 0; i < E820_NR_NAMES; i++)
		if (e820_names[i].type == type)
			return e820_names[i].name;
	return NULL;
}

int e820_type_parse(const char *s, uint32_t *type)
{
	uint64_t v;
	size_t i;

	if (!s || !type)
		return -1;
	for (i = 0; i < E820_NR_NAMES; i++) {
		if (!strcasecmp(s, e820_names[i].name)) {
			*type = e820_names[i].type;
			return 0;
		}
	}
	if (parse_u64(s, &v) || v > UINT32_MAX)
		return -1;
	*type = (uint32_t)v;
	return 0;
}
