/* SPDX-License-Identifier: MIT */
/*
 * The E820 memory map as the guest keeps it, and Linux's sanitizer.
 *
 * e820__update_table() is arch-neutral data processing (no printk, no
 * hardware): it is compiled into the guest and, unchanged, into the host
 * unit tests.
 */
#ifndef MM_E820_H
#define MM_E820_H

#include "../../../shared/e820.h"
#include "kernel/types.h"

/*
 * A sanitized table can have more entries than its input (a RAM range with
 * N reserved islands becomes 2N+1 entries), never more than 2N - 1 for N
 * inputs: the table is sized so the sanitizer never truncates, where Linux
 * would silently drop what does not fit.
 */
#define E820_TABLE_MAX (2 * E820_MAX_ENTRIES)

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
};

struct e820_table {
	u32 nr_entries;
	struct e820_entry entries[E820_TABLE_MAX];
};

/*
 * Sanitize @table in place with Linux's semantics (arch/x86/kernel/e820.c):
 *  - entries of size 0 are dropped;
 *  - each remaining entry gives a start and an end change point, sorted by
 *    address; all the changes at one address are applied together;
 *  - sweeping the points, the type in force is the highest type number of
 *    the entries covering that point; an output entry begins wherever the
 *    type in force changes, so adjacent or overlapping entries of one type
 *    merge, except PRAM (12) and soft reserved (0xefffffff), never merged;
 *  - ranges no entry covers are left out.
 * Returns 0; or -1, leaving @table untouched, if it has more than
 * E820_MAX_ENTRIES entries or an entry whose end wraps past 2^64.
 */
int e820__update_table(struct e820_table *table);

/* Room for the longest name e820_type_name() formats: "persistent (type 12)" + NUL. */
#define E820_TYPE_NAME_LEN 21

/*
 * Linux's name for a type in e820 lines ("usable", "reserved", ...), in
 * @buf when it has to be formatted ("type N", "persistent (type N)").
 */
const char *e820_type_name(u32 type, char *buf, size_t len);

#endif /* MM_E820_H */
