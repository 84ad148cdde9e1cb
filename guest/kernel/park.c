// SPDX-License-Identifier: MIT
/*
 * `park=POINT` (kernel/park.h): stop the boot at a point and spin with
 * interrupts off, for an observer outside the guest. Before parking, the
 * guest prints how its own page tables translate the first and last page
 * of every present range of its dump, so the observer's translations
 * (QEMU's `info tlb`) can be checked against the guest's, not only its
 * permissions (tests/qemu/ptdump_qemu.sh).
 *
 * Under ./vmm a parked guest runs until --timeout stops it (exit 124).
 */
#include "kernel/park.h"

#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/ptdump.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* Room for the whole dump (a line is about 90 bytes). */
#define PARK_DUMP_BUF_SIZE 65536
#define COL_RW 4          /* "RW " or "ro " in the flag columns of a present range */

struct park_name {
	const char *name;
	enum park_point point;
};

static const struct park_name park_names[] = {
	{ "after-ptdump", PARK_AFTER_PTDUMP },
	{ "before-exit", PARK_BEFORE_EXIT },
};

static enum park_point park_point_requested = PARK_NONE;
static char park_dump[PARK_DUMP_BUF_SIZE] __noinit;

/* Parse `park=` (see kernel/park.h). */
void park_parse_cmdline(void)
{
	const char *val;

	if (!cmdline_has("park"))
		return;
	val = cmdline_get("park");
	for (unsigned int i = 0; i < ARRAY_SIZE(park_names); i++) {
		if (val && !strcmp(val, park_names[i].name)) {
			park_point_requested = park_names[i].point;
			return;
		}
	}
	bad_boot("park=%s: not a valid point (after-ptdump or before-exit)", val ? val : "");
}

/* Print the guest's translation of the page at @va. */
static void print_translation(unsigned long va)
{
	unsigned int shift = PAGE_SHIFT;
	u64 e = pgtable_lookup(va, &shift);
	u64 frame_mask = PTE_PFN_MASK & ~((_AC(1, ULL) << shift) - 1);

	if (!e) {
		printk("park: translate 0x%016lx -> not mapped\n", va);
		return;
	}
	printk("park: translate 0x%016lx -> 0x%016llx\n", va,
	       (unsigned long long)((e & frame_mask) | (va & ((1ul << shift) - 1))));
}

/*
 * The translations of the first and last page of each present range of
 * the live dump. Parses the range lines ("0xSTART-0xEND   SIZE FLAGS
 * LEVEL"); a present range has RW or ro in its flag columns.
 */
static void print_translations(void)
{
	struct ptdump_buf out = { .buf = park_dump, .size = sizeof(park_dump) };
	const char *p = park_dump;

	ptdump_walk(read_cr3() & PTE_PFN_MASK, &out);
	if (out.truncated)
		printk("park: the page-table dump did not fit in %u bytes: "
		       "translations cut short\n", PARK_DUMP_BUF_SIZE);
	while (*p) {
		const char *eol = p;
		unsigned long start, end;
		const char *f;

		while (*eol && *eol != '\n')
			eol++;
		if (ptdump_parse_addr(p, &start) && p[PTDUMP_ADDR_LEN] == '-' &&
		    ptdump_parse_addr(p + PTDUMP_ADDR_LEN + 1, &end)) {
			/* Past the addresses, the spaces, the size digits and its unit. */
			f = p + 2 * PTDUMP_ADDR_LEN + 1;
			while (f < eol && *f == ' ')
				f++;
			while (f < eol && *f != ' ')
				f++;
			f++;
			if (f + COL_RW < eol && f[COL_RW] != ' ') {
				print_translation(start);
				/* An end of 0 is the top of the address space: this wraps right. */
				print_translation(end - PAGE_SIZE);
			}
		}
		p = *eol ? eol + 1 : eol;
	}
}

/* Park if asked to at @point (see kernel/park.h). */
void park_at(enum park_point point)
{
	const char *name = "?";

	if (point == PARK_NONE || point != park_point_requested)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(park_names); i++)
		if (park_names[i].point == point)
			name = park_names[i].name;
	print_translations();
	local_irq_disable();
	printk("park: parked at %s, cr3 0x%016lx, spinning with interrupts off\n", name,
	       read_cr3());
	for (;;)
		cpu_relax();
}
