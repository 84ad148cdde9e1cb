// SPDX-License-Identifier: MIT
/*
 * The E820 map from the PVH start info: copied, printed raw, sanitized by
 * e820__update_table() (e820_sanitize.c), printed again in the format of
 * Linux's e820__print_table() ("BIOS-e820: [mem 0x...-0x...] usable", end
 * inclusive), and summed up as the usable RAM the rest of mm will manage.
 */
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/e820.h"
#include "mm/e820_setup.h"

/* "persistent (type 12)" and its NUL, the longest name e820_type_name() builds. */
#define E820_TYPE_NAME_MAX 32

struct e820_table e820_table;

/*
 * One "<who>: [mem 0x%016lx-0x%016lx] <type>" line per entry, as Linux prints
 * them (Linux writes %#018Lx, whose kernel flavour keeps the 0x even for 0;
 * C's, and so this vsnprintf's, does not).
 */
static void e820__print_table(const char *who)
{
	char name[E820_TYPE_NAME_MAX];
	u32 i;

	for (i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		/* The inclusive end, computed modulo 2^64 as Linux does. */
		printk("%s: [mem 0x%016lx-0x%016lx] %s\n", who, e->addr, e->addr + e->size - 1,
		       e820_type_name(e->type, name, sizeof(name)));
	}
}

/*
 * Say why e820__update_table() refused the table: its two input checks,
 * repeated here because it returns only -1.
 */
static void e820_print_rejection(void)
{
	u32 i;

	if (e820_table.nr_entries > E820_MAX_ENTRIES) {
		printk("e820: memory map rejected: %u entries, more than %u\n",
		       e820_table.nr_entries, E820_MAX_ENTRIES);
		return;
	}
	for (i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		if (e->addr + e->size < e->addr) {
			printk("e820: memory map rejected: entry %u at 0x%016lx, "
			       "size 0x%016lx, wraps past 2^64\n", i, e->addr, e->size);
			return;
		}
	}
	printk("e820: memory map rejected: refused by e820__update_table()\n");
}

/* Bytes and ranges of usable RAM in the sanitized table. */
static void e820_print_usable(void)
{
	u64 total = 0;
	u32 i, ranges = 0;

	for (i = 0; i < e820_table.nr_entries; i++) {
		if (e820_table.entries[i].type != E820_TYPE_RAM)
			continue;
		total += e820_table.entries[i].size;
		ranges++;
	}
	printk("e820: usable RAM: %lu bytes (%lu KiB) in %u ranges\n", total, total / 1024, ranges);
}

/* Copy, print, sanitize and print the PVH memory map; see mm/e820_setup.h. */
void e820__memory_setup_pvh(const struct hvm_memmap_table_entry *map, u32 nr)
{
	u32 i;

	for (i = 0; i < nr && i < E820_TABLE_MAX; i++) {
		struct hvm_memmap_table_entry raw;

		/* Byte copy: the loader's array need not be aligned. */
		memcpy(&raw, &map[i], sizeof(raw));
		e820_table.entries[i].addr = raw.addr;
		e820_table.entries[i].size = raw.size;
		e820_table.entries[i].type = raw.type;
	}
	e820_table.nr_entries = i;
	e820__print_table("PVH-e820");

	if (e820__update_table(&e820_table) < 0) {
		e820_print_rejection();
		panic("e820: no usable memory map");
	}
	printk("BIOS-provided physical RAM map:\n");
	e820__print_table("BIOS-e820");
	e820_print_usable();
}
