// SPDX-License-Identifier: MIT
/*
 * The E820 sanitizer: firmware (or a VMM) hands the guest a table that may be
 * unsorted, overlapping, with empty or duplicate entries; everything after
 * this (memblock, zones) wants sorted, disjoint ranges with one type each.
 * Semantics are those of Linux's e820__update_table() (arch/x86/kernel/e820.c);
 * the code is this project's own.
 *
 * Freestanding and without printk: the host unit tests
 * (tests/unit/test_guest_e820.c) link this very file.
 */
#include "kernel/types.h"
#include "mm/e820.h"

/* Every non-empty entry contributes two change points: its start and its end. */
#define E820_MAX_CHANGE_POINTS (2 * E820_MAX_ENTRIES)

/*
 * N input entries give at most 2N distinct change-point addresses, and every
 * output entry starts at one of them and ends at a later one: at most 2N - 1
 * output entries, so the sweep below can write straight into the table.
 */
_Static_assert(E820_TABLE_MAX >= E820_MAX_CHANGE_POINTS - 1,
	       "e820 table too small for a sanitized table");

/* Room for the decimal digits of any u32 (4294967295). */
#define U32_DEC_DIGITS 10

/* A place where an entry begins or ends; only the entry's type is needed. */
struct change_point {
	u64 addr;
	u32 type;
	bool is_end;
};

/*
 * Scratch space, static because the sanitizer runs once, single-threaded, in
 * early boot, before any allocator exists (Linux does the same, __initdata).
 */
static struct change_point change_points[E820_MAX_CHANGE_POINTS];

/*
 * Types of the entries covering the current sweep position (a multiset:
 * entries of one type are interchangeable, so only types are kept).
 */
static u32 active_types[E820_MAX_ENTRIES];
static u32 nr_active;

/*
 * Linux's overflow test, kept as is: an entry is refused when addr + size,
 * computed modulo 2^64, is below addr. This also refuses an entry ending
 * exactly at 2^64 (the last byte of the address space cannot be described),
 * and never refuses an empty entry.
 */
static bool e820_entry_wraps(const struct e820_entry *entry)
{
	return entry->addr + entry->size < entry->addr;
}

/* Whether the sweep may touch @table at all: the sanitizer's input checks. */
static bool e820_table_acceptable(const struct e820_table *table)
{
	u32 i;

	if (table->nr_entries > E820_MAX_ENTRIES)
		return false;
	for (i = 0; i < table->nr_entries; i++) {
		if (e820_entry_wraps(&table->entries[i]))
			return false;
	}
	return true;
}

/*
 * PRAM and soft-reserved ranges may be aligned to NUMA nodes or other
 * platform boundaries, so Linux never merges them (e820_nomerge()).
 */
static bool e820_type_never_merges(u32 type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

/* Copy the starts and ends of the non-empty entries of @table; returns the count. */
static u32 e820_collect_change_points(const struct e820_table *table)
{
	u32 i, nr = 0;

	for (i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *entry = &table->entries[i];

		if (!entry->size)
			continue;
		change_points[nr].addr = entry->addr;
		change_points[nr].type = entry->type;
		change_points[nr].is_end = false;
		nr++;
		change_points[nr].addr = entry->addr + entry->size;
		change_points[nr].type = entry->type;
		change_points[nr].is_end = true;
		nr++;
	}
	return nr;
}

/*
 * Sort the change points by address. Insertion sort: at most 256 points,
 * no allocator, no recursion. The order of points sharing an address does not
 * matter, see the sweep.
 */
static void e820_sort_change_points(u32 nr)
{
	u32 i, j;

	for (i = 1; i < nr; i++) {
		struct change_point point = change_points[i];

		for (j = i; j > 0 && change_points[j - 1].addr > point.addr; j--)
			change_points[j] = change_points[j - 1];
		change_points[j] = point;
	}
}

/* An entry of @type starts covering the sweep position. */
static void e820_active_add(u32 type)
{
	active_types[nr_active++] = type;
}

/* An entry of @type stops covering it (its start was added before). */
static void e820_active_remove(u32 type)
{
	u32 i;

	for (i = 0; i < nr_active; i++) {
		if (active_types[i] == type) {
			active_types[i] = active_types[--nr_active];
			return;
		}
	}
}

/* The type in force: the highest type number covering the position, 0 if none. */
static u32 e820_active_type(void)
{
	u32 i, type = 0;

	for (i = 0; i < nr_active; i++) {
		if (active_types[i] > type)
			type = active_types[i];
	}
	return type;
}

/*
 * Sanitize @table in place: the change-point sweep.
 *
 * Each non-empty entry is turned into two change points, its start and its
 * end. Sorted by address, the points cut the address space into elementary
 * intervals in which the set of covering entries does not change. The sweep
 * visits one address at a time, applies every start and end found there to
 * the set of active entries, and only then asks which type is in force: the
 * highest type number of the active entries (0, i.e. nothing, if none;
 * reserved beats usable because 2 > 1, and unknown types simply win by
 * number). Wherever that type differs from the one of the run being built,
 * the run is closed at this address and a new one opened, so ranges of one
 * type that overlap or touch come out as one entry, holes come out as gaps,
 * and the output is sorted and disjoint. PRAM and soft reserved close and
 * reopen their run at every change point, exactly like Linux, which is why
 * they are never merged (and why an overlap splits them).
 *
 * Linux evaluates the type after every single point and relies on sorting
 * starts before ends at one address (so touching ranges of one type do not
 * split) and on discarding the zero-sized runs this creates; evaluating once
 * per address gives the same table without either trick.
 *
 *     input (1 = usable, 2 = reserved, 4 = ACPI NVS; one column = one unit)
 *         1111111111111111........
 *         ....22..................
 *         ..........111111111111..
 *         ..................4444..
 *     change points: 0 4 6 10 16 18 22
 *
 *     output
 *         1111....................   usable   [ 0,  4)
 *         ....22..................   reserved [ 4,  6)
 *         ......111111111111......   usable   [ 6, 18)
 *         ..................4444..   ACPI NVS [18, 22)
 *
 * Unlike Linux, which leaves a table of fewer than two entries alone and
 * silently drops what does not fit its array, a single entry is sanitized
 * too (an empty one is dropped) and nothing is ever lost: E820_TABLE_MAX
 * holds the 2N - 1 entries N inputs can produce. Returns 0, or -1 with
 * @table untouched when it has more than E820_MAX_ENTRIES entries or an
 * entry that wraps (see e820_entry_wraps()).
 */
int e820__update_table(struct e820_table *table)
{
	u32 nr_points, i = 0, nr_out = 0, run_type = 0;
	u64 run_start = 0;

	if (!e820_table_acceptable(table))
		return -1;

	nr_points = e820_collect_change_points(table);
	e820_sort_change_points(nr_points);
	nr_active = 0;

	/* The input now lives in change_points[]: the output may overwrite it. */
	while (i < nr_points) {
		u64 addr = change_points[i].addr;
		u32 type;

		for (; i < nr_points && change_points[i].addr == addr; i++) {
			if (change_points[i].is_end)
				e820_active_remove(change_points[i].type);
			else
				e820_active_add(change_points[i].type);
		}

		type = e820_active_type();
		if (type == run_type && !e820_type_never_merges(type))
			continue;

		/* Addresses are distinct, so a run being closed is never empty. */
		if (run_type) {
			table->entries[nr_out].addr = run_start;
			table->entries[nr_out].size = addr - run_start;
			table->entries[nr_out].type = run_type;
			nr_out++;
		}
		run_type = type;
		run_start = addr;
	}
	/* Every entry has ended by the last point, so no run is left open. */
	table->nr_entries = nr_out;
	return 0;
}

/*
 * Write @prefix, @type in decimal and @suffix into @buf. Returns @buf, or
 * @fallback (and leaves @buf alone) when the name does not fit in @len bytes:
 * a cut-off number would name the wrong type.
 */
static const char *e820_format_type(char *buf, size_t len, const char *prefix, u32 type,
				     const char *suffix, const char *fallback)
{
	char digits[U32_DEC_DIGITS];
	size_t nr_digits = 0, need = 0, pos = 0;
	const char *p;

	do {
		digits[nr_digits++] = (char)('0' + type % 10);
		type /= 10;
	} while (type);

	for (p = prefix; *p; p++)
		need++;
	need += nr_digits;
	for (p = suffix; *p; p++)
		need++;
	if (!buf || need + 1 > len)
		return fallback;

	for (p = prefix; *p; p++)
		buf[pos++] = *p;
	while (nr_digits)
		buf[pos++] = digits[--nr_digits];
	for (p = suffix; *p; p++)
		buf[pos++] = *p;
	buf[pos] = '\0';
	return buf;
}

/*
 * Linux's name for @type in "BIOS-e820: [mem ...] <name>" lines
 * (e820_print_type()). Named types return a constant and never touch @buf;
 * persistent memory (7, 12) and unknown types are formatted into @buf, which
 * needs 21 bytes in the worst case ("persistent (type 12)" and its NUL;
 * "type 4294967295" needs 16); if the name does not fit, "persistent (type ?)"
 * or "type ?" is returned instead.
 */
const char *e820_type_name(u32 type, char *buf, size_t len)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "usable";
	case E820_TYPE_RESERVED:
		return "reserved";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	case E820_TYPE_SOFT_RESERVED:
		return "soft reserved";
	case E820_TYPE_PMEM:
	case E820_TYPE_PRAM:
		return e820_format_type(buf, len, "persistent (type ", type, ")",
					"persistent (type ?)");
	default:
		return e820_format_type(buf, len, "type ", type, "", "type ?");
	}
}
