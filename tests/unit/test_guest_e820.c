// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the guest's E820 sanitizer (guest/mm/e820_sanitize.c,
 * compiled for the host as Linux tests memblock in tools/testing/memblock).
 *
 * Every fixed case is checked three ways: against the hand-written expected
 * table, against a brute-force model that shares no code with the sweep,
 * and for idempotence. Random tables (fixed seed) are checked against the
 * model. The --e820-file fixtures in tests/data/e820/ are sanitized and
 * printed as the guest prints them, and compared with their .expect files.
 *
 * Diagrams: one column is one 4 KiB page (PG) from address 0 unless said
 * otherwise; digits are E820 types (1 usable, 2 reserved, 3 ACPI data,
 * 4 ACPI NVS, 5 unusable, P = PRAM (12), S = soft reserved), '.' is no entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mm/e820.h"

#define PG 0x1000ull
#define MIB (1ull << 20)

/* Short names so the tables below line up with their diagrams. */
#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define ACPI E820_TYPE_ACPI
#define NVS E820_TYPE_NVS
#define UNUS E820_TYPE_UNUSABLE
#define PMEM E820_TYPE_PMEM
#define PRAM E820_TYPE_PRAM
#define SOFT E820_TYPE_SOFT_RESERVED
#define TYPE_MAX 0xffffffffu

/* The entry covering diagram columns [start, end). */
#define COLS(start, end, t) { .addr = (start) * PG, .size = ((end) - (start)) * PG, .type = (t) }
/* An entry given by raw address and size. */
#define RAW(a, s, t) { .addr = (a), .size = (s), .type = (t) }

/* Largest name e820_type_name() can produce, with its NUL: "persistent (type 12)". */
#define TYPE_NAME_LEN 21

/* Tables are 6 KiB: keep them off the stack. */
static struct e820_table table;
static struct e820_table other;

/* Fill @t with the @nr entries of @in, the rest of it with a recognisable pattern. */
static void table_load(struct e820_table *t, const struct e820_entry *in, u32 nr)
{
	memset(t, 0xa5, sizeof(*t));
	t->nr_entries = nr;
	if (nr)
		memcpy(t->entries, in, nr * sizeof(*in));
}

/* Print a table the way the guest prints one, to make a failure readable. */
static void print_entries(const char *what, const struct e820_entry *e, u32 nr)
{
	char buf[TYPE_NAME_LEN];
	u32 i;

	print_message("%s: %u entries\n", what, nr);
	for (i = 0; i < nr; i++)
		print_message("  [%3u] 0x%016llx size 0x%016llx %s\n", i,
			      (unsigned long long)e[i].addr, (unsigned long long)e[i].size,
			      e820_type_name(e[i].type, buf, sizeof(buf)));
}

/* Whether @t holds exactly the @nr entries of @want. */
static bool entries_equal(const struct e820_table *t, const struct e820_entry *want, u32 nr)
{
	u32 i;

	if (t->nr_entries != nr)
		return false;
	for (i = 0; i < nr; i++) {
		if (t->entries[i].addr != want[i].addr || t->entries[i].size != want[i].size ||
		    t->entries[i].type != want[i].type)
			return false;
	}
	return true;
}

/* Fail, showing input, result and expectation, unless @t holds @want. */
static void assert_entries(const struct e820_table *t, const struct e820_entry *want, u32 nr,
			   const struct e820_entry *in, u32 nr_in, const char *what)
{
	if (entries_equal(t, want, nr))
		return;
	print_entries("input", in, nr_in);
	print_entries("sanitized", t->entries, t->nr_entries);
	print_entries(what, want, nr);
	fail_msg("sanitized table differs from %s", what);
}

/* ------------------------------------------------------------ the model */

/* The model's own list of types Linux never merges (e820_nomerge()). */
static bool model_never_merges(u32 type)
{
	return type == 12 || type == 0xefffffffu;
}

/* qsort comparator for addresses. */
static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

/*
 * Brute force, independent of the sweep: cut the address space at every start
 * and end of a non-empty entry; for each piece, scan all entries for the
 * highest type covering it; glue neighbouring pieces of one type together
 * unless the type is never merged. Inputs must not wrap. Returns the count.
 */
static u32 model_sanitize(const struct e820_entry *in, u32 nr, struct e820_entry *out)
{
	static u64 cuts[2 * E820_TABLE_MAX];
	u32 i, k, nr_cuts = 0, nr_uniq = 0, nr_out = 0;

	for (i = 0; i < nr; i++) {
		if (!in[i].size)
			continue;
		cuts[nr_cuts++] = in[i].addr;
		cuts[nr_cuts++] = in[i].addr + in[i].size;
	}
	qsort(cuts, nr_cuts, sizeof(cuts[0]), cmp_u64);
	for (i = 0; i < nr_cuts; i++) {
		if (!nr_uniq || cuts[nr_uniq - 1] != cuts[i])
			cuts[nr_uniq++] = cuts[i];
	}

	for (k = 0; k + 1 < nr_uniq; k++) {
		u64 lo = cuts[k], hi = cuts[k + 1];
		u32 type = 0;

		for (i = 0; i < nr; i++) {
			if (in[i].size && in[i].addr <= lo && hi <= in[i].addr + in[i].size &&
			    in[i].type > type)
				type = in[i].type;
		}
		if (!type)
			continue;
		if (nr_out && out[nr_out - 1].type == type &&
		    out[nr_out - 1].addr + out[nr_out - 1].size == lo && !model_never_merges(type)) {
			out[nr_out - 1].size += hi - lo;
			continue;
		}
		out[nr_out].addr = lo;
		out[nr_out].size = hi - lo;
		out[nr_out].type = type;
		nr_out++;
	}
	return nr_out;
}

/* Properties every sanitized table has, whatever the input. */
static void assert_well_formed(const struct e820_table *t)
{
	u32 i;

	assert_true(t->nr_entries <= E820_TABLE_MAX);
	for (i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		assert_true(e->size > 0);
		assert_true(e->type != 0);
		assert_true(e->addr + e->size > e->addr);
		if (i == 0)
			continue;
		/* sorted, disjoint, and touching entries differ or never merge */
		assert_true(e[-1].addr + e[-1].size <= e->addr);
		if (e[-1].addr + e[-1].size == e->addr && e[-1].type == e->type)
			assert_true(model_never_merges(e->type));
	}
}

/*
 * Sanitizing a sanitized table must change nothing. A result of more than
 * E820_MAX_ENTRIES entries (possible: N inputs give up to 2N - 1) is over the
 * input limit, so it is refused instead, and must still be left as it was.
 */
static void assert_fixed_point(const struct e820_table *t)
{
	other = *t;
	assert_int_equal(e820__update_table(&other), t->nr_entries > E820_MAX_ENTRIES ? -1 : 0);
	assert_entries(&other, t->entries, t->nr_entries, t->entries, t->nr_entries,
		       "the same table sanitized once");
}

/*
 * Sanitize @in: it must succeed, give @want, agree with the model, be well
 * formed and a fixed point.
 */
static void check_case(const struct e820_entry *in, u32 nr_in, const struct e820_entry *want,
		       u32 nr_want)
{
	static struct e820_entry model[E820_TABLE_MAX];
	u32 nr_model = model_sanitize(in, nr_in, model);

	table_load(&table, in, nr_in);
	assert_int_equal(e820__update_table(&table), 0);
	assert_entries(&table, want, nr_want, in, nr_in, "the expected table");
	assert_entries(&table, model, nr_model, in, nr_in, "the brute-force model");
	assert_well_formed(&table);
	assert_fixed_point(&table);
}

#define CHECK(in, want) check_case(in, ARRAY_SIZE(in), want, ARRAY_SIZE(want))

/* Sanitizing @in must fail and leave every byte of the table as it was. */
static void check_rejected(const struct e820_entry *in, u32 nr_in)
{
	table_load(&table, in, nr_in);
	other = table;
	assert_int_equal(e820__update_table(&table), -1);
	assert_memory_equal(&table, &other, sizeof(table));
}

/* ------------------------------------------------------------ Linux's example */

/*
 * The sample in the comment above Linux's e820__update_table():
 *
 *   ____22__________________      1_______________________
 *   ______________________4_      _44_____________________
 *   ____1111________________      ___1____________________
 *   _44_____________________      ____22__________________
 *   11111111________________      ______11________________
 *   ____________________33__      _________1______________
 *   ___________44___________  =>  __________3_____________
 *   __________33333_________      ___________44___________
 *   ______________22________      _____________33_________
 *   ___________________2222_      _______________2________
 *   _________111111111______      ________________1_______
 *   _____________________11_      _________________4______
 *   _________________4______      ___________________2____
 *                                 ____________________33__
 *                                 ______________________4_
 */
static void test_linux_documented_example(void **state)
{
	static const struct e820_entry in[] = {
		COLS(4, 6, RES),   COLS(22, 23, NVS), COLS(4, 8, RAM),   COLS(1, 3, NVS),
		COLS(0, 8, RAM),   COLS(20, 22, ACPI), COLS(11, 13, NVS), COLS(10, 15, ACPI),
		COLS(14, 16, RES), COLS(19, 23, RES), COLS(9, 18, RAM),  COLS(21, 23, RAM),
		COLS(17, 18, NVS),
	};
	static const struct e820_entry want[] = {
		COLS(0, 1, RAM),    COLS(1, 3, NVS),    COLS(3, 4, RAM),   COLS(4, 6, RES),
		COLS(6, 8, RAM),    COLS(9, 10, RAM),   COLS(10, 11, ACPI), COLS(11, 13, NVS),
		COLS(13, 15, ACPI), COLS(15, 16, RES),  COLS(16, 17, RAM), COLS(17, 18, NVS),
		COLS(19, 20, RES),  COLS(20, 22, ACPI), COLS(22, 23, NVS),
	};

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ duplicates, overlaps */

/*
 *   11111111..22     11111111..22
 *   11111111..22  => (one of each)
 *   11111111....
 */
static void test_identical_duplicates_collapse_to_one(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 8, RAM), COLS(10, 12, RES), COLS(0, 8, RAM), COLS(10, 12, RES),
		COLS(0, 8, RAM),
	};
	static const struct e820_entry want[] = { COLS(0, 8, RAM), COLS(10, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/*
 * Higher type on the left, listed first:
 *   222222......     222222......
 *   ..1111111111  => ......111111
 */
static void test_overlap_reserved_on_left_listed_first(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 6, RES), COLS(2, 12, RAM) };
	static const struct e820_entry want[] = { COLS(0, 6, RES), COLS(6, 12, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 * Higher type on the left, listed second (input order must not matter):
 *   ..1111111111     222222......
 *   222222......  => ......111111
 */
static void test_overlap_reserved_on_left_listed_second(void **state)
{
	static const struct e820_entry in[] = { COLS(2, 12, RAM), COLS(0, 6, RES) };
	static const struct e820_entry want[] = { COLS(0, 6, RES), COLS(6, 12, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 * Higher type on the right, listed first:
 *   ......222222     111111......
 *   11111111....  => ......222222
 */
static void test_overlap_reserved_on_right_listed_first(void **state)
{
	static const struct e820_entry in[] = { COLS(6, 12, RES), COLS(0, 8, RAM) };
	static const struct e820_entry want[] = { COLS(0, 6, RAM), COLS(6, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/*
 * Higher type on the right, listed second:
 *   11111111....     111111......
 *   ......222222  => ......222222
 */
static void test_overlap_reserved_on_right_listed_second(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, RAM), COLS(6, 12, RES) };
	static const struct e820_entry want[] = { COLS(0, 6, RAM), COLS(6, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/*
 * Two non-RAM types: ACPI data (3) loses to ACPI NVS (4) on the overlap:
 *   33333333....     3333........
 *   ....44444444  => ....44444444
 */
static void test_overlap_acpi_data_loses_to_acpi_nvs(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, ACPI), COLS(4, 12, NVS) };
	static const struct e820_entry want[] = { COLS(0, 4, ACPI), COLS(4, 12, NVS) };

	(void)state;
	CHECK(in, want);
}

/*
 *   11111111....
 *   ....11111111  => 111111111111
 */
static void test_overlap_same_type_merges(void **state)
{
	static const struct e820_entry in[] = { COLS(4, 12, RAM), COLS(0, 8, RAM) };
	static const struct e820_entry want[] = { COLS(0, 12, RAM) };

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ nesting */

/*
 *   111111111111     1111........
 *   ....2222....  => ....2222....
 *                    ........1111
 */
static void test_reserved_nested_in_usable_gives_three(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 12, RAM), COLS(4, 8, RES) };
	static const struct e820_entry want[] = {
		COLS(0, 4, RAM), COLS(4, 8, RES), COLS(8, 12, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/*
 *   222222222222
 *   ....1111....  => 222222222222
 */
static void test_usable_nested_in_reserved_gives_one(void **state)
{
	static const struct e820_entry in[] = { COLS(4, 8, RAM), COLS(0, 12, RES) };
	static const struct e820_entry want[] = { COLS(0, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ equal starts, equal ends */

/*
 *   111111111111     2222........
 *   2222........  => ....11111111
 */
static void test_equal_starts_shorter_reserved_first(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 12, RAM), COLS(0, 4, RES) };
	static const struct e820_entry want[] = { COLS(0, 4, RES), COLS(4, 12, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 *   1111........
 *   222222222222  => 222222222222
 */
static void test_equal_starts_longer_reserved_swallows(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 4, RAM), COLS(0, 12, RES) };
	static const struct e820_entry want[] = { COLS(0, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/*
 *   111111111111     11111111....
 *   ........2222  => ........2222
 */
static void test_equal_ends_shorter_reserved_last(void **state)
{
	static const struct e820_entry in[] = { COLS(8, 12, RES), COLS(0, 12, RAM) };
	static const struct e820_entry want[] = { COLS(0, 8, RAM), COLS(8, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/*
 *   222222222222
 *   ........1111  => 222222222222
 */
static void test_equal_ends_longer_reserved_swallows(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 12, RES), COLS(8, 12, RAM) };
	static const struct e820_entry want[] = { COLS(0, 12, RES) };

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ touching ranges */

/*
 *   ........1111
 *   1111........
 *   ....1111....  => 111111111111
 */
static void test_touching_same_type_merge(void **state)
{
	static const struct e820_entry in[] = {
		COLS(8, 12, RAM), COLS(0, 4, RAM), COLS(4, 8, RAM),
	};
	static const struct e820_entry want[] = { COLS(0, 12, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 *   1111........     1111........
 *   ....2222....  => ....2222....
 *   ........1111     ........1111
 */
static void test_touching_different_types_stay_apart(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 4, RAM), COLS(4, 8, RES), COLS(8, 12, RAM),
	};
	static const struct e820_entry want[] = {
		COLS(0, 4, RAM), COLS(4, 8, RES), COLS(8, 12, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ order */

/*
 * Disjoint entries in no particular order come out sorted; gaps stay gaps:
 *   ..........33........     11..................
 *   11..................     ....2222............
 *   ..................55  => ..........33........
 *   ....2222............     ..............44....
 *   ..............44....     ..................55
 */
static void test_unsorted_input_comes_out_sorted(void **state)
{
	static const struct e820_entry in[] = {
		COLS(10, 12, ACPI), COLS(0, 2, RAM),  COLS(18, 20, UNUS),
		COLS(4, 8, RES),    COLS(14, 16, NVS),
	};
	static const struct e820_entry want[] = {
		COLS(0, 2, RAM),    COLS(4, 8, RES),  COLS(10, 12, ACPI),
		COLS(14, 16, NVS),  COLS(18, 20, UNUS),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * Reverse-sorted input with touching and overlapping neighbours:
 *   ..........1111     1111..........
 *   ......2222....  => ....2222222...
 *   ....22222.....     ..........1111
 *   11111.........
 */
static void test_reverse_sorted_input(void **state)
{
	static const struct e820_entry in[] = {
		COLS(10, 14, RAM), COLS(6, 10, RES), COLS(4, 9, RES), COLS(0, 5, RAM),
	};
	static const struct e820_entry want[] = {
		COLS(0, 4, RAM), COLS(4, 10, RES), COLS(10, 14, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ empty entries */

/* One entry of size 0 ("|" at column 3): nothing is left. */
static void test_zero_size_entry_alone_is_dropped(void **state)
{
	static const struct e820_entry in[] = { COLS(3, 3, RAM) };

	(void)state;
	check_case(in, ARRAY_SIZE(in), NULL, 0);
}

/*
 * An empty reserved entry where two usable ranges touch must neither split
 * the merged range nor appear:
 *   1111........
 *   ....|.......  => 11111111....
 *   ....1111....
 */
static void test_zero_size_entry_in_middle_is_ignored(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 4, RAM), COLS(4, 4, RES), COLS(4, 8, RAM), COLS(6, 6, NVS),
	};
	static const struct e820_entry want[] = { COLS(0, 8, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 *   |...........
 *   11111111....  => 11111111....
 */
static void test_zero_size_entry_at_address_zero_is_ignored(void **state)
{
	static const struct e820_entry in[] = { RAW(0, 0, RES), COLS(0, 8, RAM), RAW(0, 0, RAM) };
	static const struct e820_entry want[] = { COLS(0, 8, RAM) };

	(void)state;
	CHECK(in, want);
}

/* Only empty entries, of every kind, at 0, in the middle, at the top: empty result. */
static void test_all_zero_size_table_becomes_empty(void **state)
{
	static const struct e820_entry in[] = {
		RAW(0, 0, RAM),      RAW(MIB, 0, RES),     RAW(MIB, 0, RAM),
		RAW(4 * MIB, 0, PRAM), RAW(UINT64_MAX, 0, RES), RAW(0x1000, 0, 0),
	};

	(void)state;
	check_case(in, ARRAY_SIZE(in), NULL, 0);
}

/*
 * An empty entry at the very last address is not a wrap (addr + 0 == addr):
 * accepted and dropped.
 */
static void test_zero_size_entry_at_top_of_space_is_not_a_wrap(void **state)
{
	static const struct e820_entry in[] = { RAW(UINT64_MAX, 0, RES), COLS(0, 4, RAM) };
	static const struct e820_entry want[] = { COLS(0, 4, RAM) };

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ trivial tables */

/* One entry is sanitized too (Linux returns -1 for fewer than two): kept. */
static void test_single_entry_is_kept(void **state)
{
	static const struct e820_entry in[] = { RAW(MIB, 15 * MIB, RAM) };

	(void)state;
	CHECK(in, in);
}

/* No entries: success, still no entries. */
static void test_empty_table_stays_empty(void **state)
{
	(void)state;
	check_case(NULL, 0, NULL, 0);
}

/* ------------------------------------------------------------ rejections */

/*
 * An entry ending exactly at 2^64: addr + size is 0 modulo 2^64, below addr,
 * so Linux's check refuses it, and so do we.
 *   [0xfffffffffffff000, 2^64) reserved  => -1, table untouched
 */
static void test_entry_ending_exactly_at_2_64_is_rejected(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 8, RAM), RAW(UINT64_MAX - PG + 1, PG, RES),
	};

	(void)state;
	check_rejected(in, ARRAY_SIZE(in));
}

/*
 * The highest range that can be described ends one byte short of 2^64:
 *   ....1111111111..   usable   [top - 16 pages, top - 6 pages)
 *   ..........222222|  reserved [top - 8 pages, 2^64 - 1)
 */
static void test_entry_ending_at_last_byte_is_accepted(void **state)
{
	const u64 top = UINT64_MAX - 16 * PG + 1;	/* 2^64 - 16 pages */
	const struct e820_entry in[] = {
		RAW(top + 4 * PG, 10 * PG, RAM),
		RAW(top + 10 * PG, 6 * PG - 1, RES),
	};
	const struct e820_entry want[] = {
		RAW(top + 4 * PG, 6 * PG, RAM),
		RAW(top + 10 * PG, 6 * PG - 1, RES),
	};

	(void)state;
	CHECK(in, want);
}

/* An entry that wraps through 0, in the middle of a good table: -1, untouched. */
static void test_wrapping_entry_is_rejected_and_table_untouched(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 8, RAM), COLS(2, 4, RES), RAW(0x1000, UINT64_MAX, RES), COLS(8, 10, RAM),
	};

	(void)state;
	check_rejected(in, ARRAY_SIZE(in));
}

/* A huge size that only just wraps (end = 2^64 + 1): rejected. */
static void test_entry_wrapping_by_one_byte_is_rejected(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, RAM), RAW(2, UINT64_MAX, RAM) };

	(void)state;
	check_rejected(in, ARRAY_SIZE(in));
}

/* 129 fine entries: one more than E820_MAX_ENTRIES, rejected, nothing truncated. */
static void test_129_entries_are_rejected(void **state)
{
	static struct e820_entry in[E820_MAX_ENTRIES + 1];
	u32 i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		in[i].addr = 2 * i * PG;
		in[i].size = PG;
		in[i].type = RAM;
	}
	check_rejected(in, ARRAY_SIZE(in));
}

/* A garbage entry count far beyond the array is refused before any entry is read. */
static void test_garbage_entry_count_is_rejected(void **state)
{
	(void)state;
	memset(&table, 0, sizeof(table));
	table.nr_entries = UINT32_MAX;
	other = table;
	assert_int_equal(e820__update_table(&table), -1);
	assert_memory_equal(&table, &other, sizeof(table));
}

/* ------------------------------------------------------------ full tables */

/*
 * 128 disjoint entries (one page each, a page apart, types cycling through
 * 1..5), given in a scrambled order: all 128 come back, sorted.
 *   1.2.3.4.5.1.2.3. ... (128 entries)
 */
static void test_full_table_of_128_disjoint_entries_is_preserved(void **state)
{
	static struct e820_entry in[E820_MAX_ENTRIES], want[E820_MAX_ENTRIES];
	const u32 stride = 37;	/* coprime with 128: i * 37 % 128 visits every slot once */
	u32 i;

	(void)state;
	for (i = 0; i < E820_MAX_ENTRIES; i++) {
		want[i].addr = 2 * i * PG;
		want[i].size = PG;
		want[i].type = RAM + i % 5;
	}
	for (i = 0; i < E820_MAX_ENTRIES; i++)
		in[i] = want[(i * stride) % E820_MAX_ENTRIES];
	CHECK(in, want);
}

/*
 * One usable range with 127 reserved islands: 128 entries in, 255 out, the
 * most a full table can produce; Linux's 128-slot array would lose half.
 *   1111111111111111...1111    (one entry, 256 pages)
 *   .2.2.2.2.2.2.2.2...2...    (127 entries)
 * => 1 2 1 2 1 ... 2 11        (255 entries)
 */
static void test_127_reserved_islands_in_usable_give_255_entries(void **state)
{
	static struct e820_entry in[E820_MAX_ENTRIES], want[2 * E820_MAX_ENTRIES - 1];
	u32 i;

	(void)state;
	in[0] = (struct e820_entry)COLS(0, 256, RAM);
	for (i = 0; i < E820_MAX_ENTRIES - 1; i++) {
		/* islands listed from the top down */
		u32 col = 2 * (E820_MAX_ENTRIES - 2 - i) + 1;

		in[i + 1] = (struct e820_entry)COLS(col, col + 1, RES);
	}
	for (i = 0; i < E820_MAX_ENTRIES - 1; i++) {
		want[2 * i] = (struct e820_entry)COLS(2 * i, 2 * i + 1, RAM);
		want[2 * i + 1] = (struct e820_entry)COLS(2 * i + 1, 2 * i + 2, RES);
	}
	want[2 * E820_MAX_ENTRIES - 2] = (struct e820_entry)COLS(254, 256, RAM);
	CHECK(in, want);
}

/* ------------------------------------------------------------ never-merged types */

/*
 *   PPPP....          PPPP....
 *   ....PPPP      =>  ....PPPP      (two entries, not one)
 *   ....PPPP  (duplicate: collapses)
 */
static void test_pram_touching_entries_are_not_merged(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 4, PRAM), COLS(4, 8, PRAM), COLS(4, 8, PRAM),
	};
	static const struct e820_entry want[] = { COLS(0, 4, PRAM), COLS(4, 8, PRAM) };

	(void)state;
	CHECK(in, want);
}

/*
 *   SSSS........      SSSS........
 *   ....SSSS....  =>  ....SSSS....
 *   ........SSSS      ........SSSS
 */
static void test_soft_reserved_touching_entries_are_not_merged(void **state)
{
	static const struct e820_entry in[] = {
		COLS(8, 12, SOFT), COLS(0, 4, SOFT), COLS(4, 8, SOFT),
	};
	static const struct e820_entry want[] = {
		COLS(0, 4, SOFT), COLS(4, 8, SOFT), COLS(8, 12, SOFT),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * As in Linux, PRAM is cut at every change point inside it, even one of a
 * lower type it hides:
 *   PPPPPPPP....      PPPP........
 *   ....11111111  =>  ....PPPP....
 *                     ........1111
 */
static void test_pram_is_split_where_a_lower_type_starts(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, PRAM), COLS(4, 12, RAM) };
	static const struct e820_entry want[] = {
		COLS(0, 4, PRAM), COLS(4, 8, PRAM), COLS(8, 12, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * An empty entry gives no change point, so it cannot cut PRAM either:
 *   PPPPPPPP
 *   ...|....  =>  PPPPPPPP
 */
static void test_zero_size_entry_inside_pram_does_not_split_it(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, PRAM), COLS(3, 3, RES) };
	static const struct e820_entry want[] = { COLS(0, 8, PRAM) };

	(void)state;
	CHECK(in, want);
}

/*
 * A type 0 entry is "nothing", but as in Linux its ends are still change
 * points, and PRAM is cut at change points:
 *   PPPPPPPP      PP......
 *   ..0000..  =>  ..PPPP..
 *                 ......PP
 */
static void test_type_zero_entry_inside_pram_splits_it_like_linux(void **state)
{
	static const struct e820_entry in[] = { COLS(0, 8, PRAM), COLS(2, 6, 0) };
	static const struct e820_entry want[] = {
		COLS(0, 2, PRAM), COLS(2, 6, PRAM), COLS(6, 8, PRAM),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * Persistent memory type 7 is not in Linux's no-merge list: it merges.
 *   7777....
 *   ....7777  =>  77777777
 */
static void test_pmem_touching_entries_do_merge(void **state)
{
	static const struct e820_entry in[] = { COLS(4, 8, PMEM), COLS(0, 4, PMEM) };
	static const struct e820_entry want[] = { COLS(0, 8, PMEM) };

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ odd type numbers */

/*
 * Type 0 means "nothing here": alone it vanishes, over RAM it hides nothing.
 *   0000........
 *   ......1111..  =>  ......1111..
 *   ......00....
 */
static void test_type_zero_entries_are_dropped(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 4, 0), COLS(6, 10, RAM), COLS(6, 8, 0),
	};
	static const struct e820_entry want[] = { COLS(6, 10, RAM) };

	(void)state;
	CHECK(in, want);
}

/*
 * The largest type numbers still order by number:
 * 0xffffffff > soft reserved (0xefffffff) > 0xeffffffe > reserved.
 *   22222222222222
 *   ..EEEEEEEEEE..   (E = 0xeffffffe)
 *   ....SSSSSS....
 *   ......FF......   (F = 0xffffffff)
 * => 22EESSFFSSEE22
 */
static void test_huge_type_numbers_order_by_number(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 14, RES), COLS(2, 12, 0xeffffffeu), COLS(4, 10, SOFT), COLS(6, 8, TYPE_MAX),
	};
	static const struct e820_entry want[] = {
		COLS(0, 2, RES),   COLS(2, 4, 0xeffffffeu),  COLS(4, 6, SOFT), COLS(6, 8, TYPE_MAX),
		COLS(8, 10, SOFT), COLS(10, 12, 0xeffffffeu), COLS(12, 14, RES),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * Unknown types are not special: the higher number wins (D = 13, X = 128).
 *   555555..........      5555............
 *   ....666666......      ....6666........
 *   ........PPPP....  =>  ........PP......
 *   ..........DDDD..      ..........DD....
 *   ............XXXX      ............XXXX
 */
static void test_unknown_types_win_by_number(void **state)
{
	static const struct e820_entry in[] = {
		COLS(0, 6, UNUS), COLS(4, 10, 6), COLS(8, 12, PRAM), COLS(10, 14, 13),
		COLS(12, 16, 128),
	};
	static const struct e820_entry want[] = {
		COLS(0, 4, UNUS), COLS(4, 8, 6), COLS(8, 10, PRAM), COLS(10, 12, 13),
		COLS(12, 16, 128),
	};

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ layered overlaps */

/*
 *   111111111111     111.........
 *   ...222222...  => ...222......
 *   ......3333..     ......3333..
 *                    ..........11
 */
static void test_three_way_overlap(void **state)
{
	static const struct e820_entry in[] = {
		COLS(6, 10, ACPI), COLS(0, 12, RAM), COLS(3, 9, RES),
	};
	static const struct e820_entry want[] = {
		COLS(0, 3, RAM), COLS(3, 6, RES), COLS(6, 10, ACPI), COLS(10, 12, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/*
 * A staircase of five nested layers, plus a same-type duplicate layer:
 *   11111111111111111111       11223344555544332211
 *   ..2222222222222222..
 *   ....333333333333....  =>   (9 entries)
 *   ......44444444......
 *   ........5555........
 *   ..2222222222222222..
 */
static void test_staircase_of_nested_layers(void **state)
{
	static const struct e820_entry in[] = {
		COLS(8, 12, UNUS), COLS(2, 18, RES), COLS(6, 14, NVS), COLS(0, 20, RAM),
		COLS(4, 16, ACPI), COLS(2, 18, RES),
	};
	static const struct e820_entry want[] = {
		COLS(0, 2, RAM),   COLS(2, 4, RES),   COLS(4, 6, ACPI),  COLS(6, 8, NVS),
		COLS(8, 12, UNUS), COLS(12, 14, NVS), COLS(14, 16, ACPI), COLS(16, 18, RES),
		COLS(18, 20, RAM),
	};

	(void)state;
	CHECK(in, want);
}

/* ------------------------------------------------------------ random tables */

/* Fixed seed: a failure is reproducible; the seed is printed with it. */
#define RANDOM_SEED 0x5eed0e820ull

static u64 rng_state;

/* xorshift64*: small, good enough to shuffle test tables. */
static u64 rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* A number in [0, n). */
static u32 rng_below(u32 n)
{
	return (u32)((rng_next() >> 32) % n);
}

/* RAM weighted up, every named type, type 0, unknown and extreme numbers. */
static const u32 random_types[] = {
	0, RAM, RAM, RAM, RES, RES, ACPI, NVS, UNUS, 6, PMEM, PRAM, SOFT, TYPE_MAX,
};

/*
 * @nr random entries in columns [0, @span) plus up to @max_len, scaled to
 * pages from @base; about one in eight is empty.
 */
static void random_entries(struct e820_entry *e, u32 nr, u64 base, u32 span, u32 max_len)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		e[i].addr = base + rng_below(span) * PG;
		e[i].size = rng_below(8) ? (1 + rng_below(max_len)) * PG : 0;
		e[i].type = random_types[rng_below(ARRAY_SIZE(random_types))];
	}
}

/*
 * Run @count random tables of @min_nr to @max_nr entries against the model, and
 * check well-formedness and idempotence of each.
 */
static void check_random_tables(u32 count, u32 min_nr, u32 max_nr, u64 base, u32 span,
				u32 max_len)
{
	static struct e820_entry in[E820_MAX_ENTRIES], model[E820_TABLE_MAX];
	u32 n, nr, nr_model;

	rng_state = RANDOM_SEED;
	for (n = 0; n < count; n++) {
		nr = min_nr + rng_below(max_nr - min_nr + 1);
		random_entries(in, nr, base, span, max_len);
		nr_model = model_sanitize(in, nr, model);

		table_load(&table, in, nr);
		if (e820__update_table(&table) != 0) {
			print_entries("input", in, nr);
			fail_msg("random table %u (seed %#llx) was rejected", n,
				 (unsigned long long)RANDOM_SEED);
		}
		if (!entries_equal(&table, model, nr_model))
			print_message("random table %u (seed %#llx):\n", n,
				      (unsigned long long)RANDOM_SEED);
		assert_entries(&table, model, nr_model, in, nr, "the brute-force model");
		assert_well_formed(&table);
		assert_fixed_point(&table);
	}
}

/* 4000 small tables (0..16 entries) on a 32-page grid at address 0. */
static void test_random_small_tables_match_brute_force_model(void **state)
{
	(void)state;
	check_random_tables(4000, 0, 16, 0, 32, 10);
}

/* 1000 small tables just below 2^64 (the highest end is 2^64 - 23 pages). */
static void test_random_tables_near_top_of_space_match_model(void **state)
{
	(void)state;
	check_random_tables(1000, 0, 16, UINT64_MAX - 64 * PG + 1, 32, 10);
}

/* 300 nearly full tables (100..128 entries) on a 512-page grid. */
static void test_random_full_tables_match_model(void **state)
{
	(void)state;
	check_random_tables(300, 100, E820_MAX_ENTRIES, 0, 512, 40);
}

/* Idempotence on its own: the documented example and random tables, twice over. */
static void test_sanitizing_twice_changes_nothing(void **state)
{
	static struct e820_entry in[E820_MAX_ENTRIES];
	u32 n, nr;

	(void)state;
	rng_state = RANDOM_SEED ^ 0xabcdef;
	for (n = 0; n < 1000; n++) {
		nr = rng_below(E820_MAX_ENTRIES + 1);
		random_entries(in, nr, 0, 256, 30);
		table_load(&table, in, nr);
		assert_int_equal(e820__update_table(&table), 0);
		other = table;
		assert_int_equal(e820__update_table(&other),
				 table.nr_entries > E820_MAX_ENTRIES ? -1 : 0);
		assert_memory_equal(&other, &table, sizeof(table));
	}
}

/* ------------------------------------------------------------ type names */

/* @type must be named @want, whatever the buffer. */
static void assert_named(u32 type, const char *want)
{
	char buf[TYPE_NAME_LEN];

	memset(buf, 'x', sizeof(buf));
	assert_string_equal(e820_type_name(type, buf, sizeof(buf)), want);
	/* a constant name leaves the buffer alone and needs none */
	assert_int_equal(buf[0], 'x');
	assert_string_equal(e820_type_name(type, NULL, 0), want);
}

/* @type must be formatted into the buffer as @want. */
static void assert_formatted(u32 type, const char *want)
{
	char buf[TYPE_NAME_LEN];

	assert_ptr_equal(e820_type_name(type, buf, sizeof(buf)), buf);
	assert_string_equal(buf, want);
}

static void test_type_name_of_every_named_type(void **state)
{
	(void)state;
	assert_named(E820_TYPE_RAM, "usable");
	assert_named(E820_TYPE_RESERVED, "reserved");
	assert_named(E820_TYPE_ACPI, "ACPI data");
	assert_named(E820_TYPE_NVS, "ACPI NVS");
	assert_named(E820_TYPE_UNUSABLE, "unusable");
	assert_named(E820_TYPE_SOFT_RESERVED, "soft reserved");
}

static void test_type_name_of_persistent_types(void **state)
{
	(void)state;
	assert_formatted(E820_TYPE_PMEM, "persistent (type 7)");
	assert_formatted(E820_TYPE_PRAM, "persistent (type 12)");
}

/* Everything else is "type N", in decimal, up to the largest u32. */
static void test_type_name_of_unknown_types(void **state)
{
	(void)state;
	assert_formatted(0, "type 0");
	assert_formatted(6, "type 6");
	assert_formatted(8, "type 8");
	assert_formatted(11, "type 11");
	assert_formatted(13, "type 13");
	assert_formatted(128, "type 128");	/* old Linux's E820_TYPE_RESERVED_KERN */
	assert_formatted(0xeffffffeu, "type 4026531838");
	assert_formatted(0xf0000000u, "type 4026531840");
	assert_formatted(TYPE_MAX, "type 4294967295");
}

/* A buffer exactly as long as the name and its NUL is enough. */
static void test_type_name_buffer_that_exactly_fits(void **state)
{
	char buf[TYPE_NAME_LEN];

	(void)state;
	assert_ptr_equal(e820_type_name(TYPE_MAX, buf, sizeof("type 4294967295")), buf);
	assert_string_equal(buf, "type 4294967295");
	assert_ptr_equal(e820_type_name(PRAM, buf, sizeof("persistent (type 12)")), buf);
	assert_string_equal(buf, "persistent (type 12)");
	assert_ptr_equal(e820_type_name(0, buf, sizeof("type 0")), buf);
	assert_string_equal(buf, "type 0");
}

/*
 * One byte short, no buffer, or a zero length: a marked fallback instead of a
 * cut-off number, and the buffer is not written.
 */
static void test_type_name_buffer_too_small_gives_fallback(void **state)
{
	char buf[TYPE_NAME_LEN];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(e820_type_name(TYPE_MAX, buf, sizeof("type 4294967295") - 1),
			    "type ?");
	assert_string_equal(e820_type_name(PRAM, buf, sizeof("persistent (type 12)") - 1),
			    "persistent (type ?)");
	assert_string_equal(e820_type_name(PMEM, buf, 1), "persistent (type ?)");
	assert_string_equal(e820_type_name(6, buf, 0), "type ?");
	assert_string_equal(e820_type_name(6, NULL, sizeof(buf)), "type ?");
	assert_int_equal(buf[0], 'x');
	assert_int_equal(buf[sizeof(buf) - 1], 'x');
}

/* TYPE_NAME_LEN bytes are enough for every type (sampled across the u32 range). */
static void test_type_name_worst_case_fits_21_bytes(void **state)
{
	char buf[TYPE_NAME_LEN];
	u64 type;

	(void)state;
	for (type = 0; type <= TYPE_MAX; type += 0x10001) {
		const char *name = e820_type_name((u32)type, buf, sizeof(buf));

		assert_true(strchr(name, '?') == NULL);
		assert_true(strlen(name) < sizeof(buf));
	}
	assert_true(strchr(e820_type_name(TYPE_MAX, buf, sizeof(buf)), '?') == NULL);
}

/* ------------------------------------------------------------ --e820-file fixtures */

#define FIXTURE_DIR_ENV "E820_FIXTURE_DIR"
#define FIXTURE_DIR_DEFAULT "tests/data/e820"
#define FIXTURE_EXT ".e820"
#define EXPECT_EXT ".expect"
#define PATH_LEN 512
#define LINE_LEN 160
#define RENDER_LEN ((E820_TABLE_MAX + 2) * LINE_LEN)
#define TEXT_LEN (64 * 1024)	/* a fixture or .expect file, with room to spare */
#define KIB 1024ull

/* Every fixture; test_fixture_directory_holds_exactly_these checks the list. */
static const char *const fixture_names[] = {
	"bios-overlaps", "nomerge-types", "touching-pieces", "full-table-islands",
	"top-of-space",  "wrap",          "end-at-2-64",
};

/* Where the fixtures are: $E820_FIXTURE_DIR, or tests/data/e820 from the repository root. */
static const char *fixture_dir(void)
{
	const char *dir = getenv(FIXTURE_DIR_ENV);

	return dir && *dir ? dir : FIXTURE_DIR_DEFAULT;
}

/*
 * Read @path into @buf (@len bytes) as a NUL-terminated string; fails the
 * test if unreadable or too long. Static buffers, not malloc(): a failing
 * check longjmp()s out of the test and would leak.
 */
static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		fail_msg("%s: %s (run from the repository root or set %s)", path, strerror(errno),
			 FIXTURE_DIR_ENV);
	n = fread(buf, 1, len, f);
	if (ferror(f) || n == len) {
		fclose(f);
		fail_msg("%s: unreadable or longer than %zu bytes", path, len - 1);
	}
	fclose(f);
	buf[n] = '\0';
}

/*
 * A number of the --e820-file format: decimal or 0x hex, and for sizes an
 * optional K, M, G or T suffix (binary multiples). False if malformed or
 * beyond 64 bits.
 */
static bool parse_number(const char *s, bool allow_suffix, u64 *out)
{
	static const char suffixes[] = "KMGTkmgt";
	int base = 10;
	unsigned long long v;
	const char *p;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || end == s)
		return false;
	if (*end && allow_suffix && !end[1] && (p = strchr(suffixes, *end))) {
		unsigned shift = 10 * (unsigned)((p - suffixes) % 4 + 1);

		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
		end++;
	}
	if (*end)
		return false;
	*out = v;
	return true;
}

/* A TYPE field: one of the VMM's names, or a 32-bit number. */
static bool parse_type(const char *s, u32 *out)
{
	static const struct {
		const char *name;
		u32 type;
	} names[] = {
		{ "usable", RAM }, { "ram", RAM },   { "reserved", RES },  { "acpi", ACPI },
		{ "nvs", NVS },    { "unusable", UNUS }, { "pmem", PMEM }, { "pram", PRAM },
		{ "soft-reserved", SOFT },
	};
	u64 v;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].type;
			return true;
		}
	}
	if (!parse_number(s, false, &v) || v > UINT32_MAX)
		return false;
	*out = (u32)v;
	return true;
}

/* Parse a fixture into @t; a malformed line fails the test, naming file and line. */
static void parse_fixture(char *text, const char *path, struct e820_table *t)
{
	char *cursor = text, *line;
	u32 lineno = 0;

	t->nr_entries = 0;
	/* strsep(), unlike strtok(), returns empty lines too, so lineno stays right */
	while ((line = strsep(&cursor, "\n"))) {
		char *save_field, *field[4];
		struct e820_entry *e;
		char *hash = strchr(line, '#');
		u32 n;

		lineno++;
		if (hash)
			*hash = '\0';
		field[0] = strtok_r(line, " \t\r", &save_field);
		if (!field[0])
			continue;
		for (n = 1; n < 4; n++)
			field[n] = strtok_r(NULL, " \t\r", &save_field);
		if (!field[1] || !field[2] || field[3])
			fail_msg("%s:%u: want ADDR SIZE TYPE", path, lineno);
		if (t->nr_entries == E820_TABLE_MAX)
			fail_msg("%s:%u: more than %u entries", path, lineno, E820_TABLE_MAX);
		e = &t->entries[t->nr_entries++];
		if (!parse_number(field[0], false, &e->addr))
			fail_msg("%s:%u: bad address '%s'", path, lineno, field[0]);
		if (!parse_number(field[1], true, &e->size))
			fail_msg("%s:%u: bad size '%s'", path, lineno, field[1]);
		if (!parse_type(field[2], &e->type))
			fail_msg("%s:%u: bad type '%s'", path, lineno, field[2]);
	}
	if (!t->nr_entries)
		fail_msg("%s: no entries", path);
}

/* Append one printf-formatted line to @out (of RENDER_LEN bytes). */
static void render_line(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void render_line(char *out, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + used, RENDER_LEN - used, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < RENDER_LEN - used);
}

/*
 * What the guest prints for a sanitized table: Linux's e820 lines (inclusive
 * end), then the usable total; or REJECT when the sanitizer refused it.
 */
static void render_table(int rc, const struct e820_table *t, char *out)
{
	char buf[TYPE_NAME_LEN];
	u64 usable = 0;
	u32 i, nr_usable = 0;

	out[0] = '\0';
	if (rc) {
		render_line(out, "REJECT\n");
		return;
	}
	for (i = 0; i < t->nr_entries; i++) {
		const struct e820_entry *e = &t->entries[i];

		render_line(out, "BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n",
			    (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size - 1),
			    e820_type_name(e->type, buf, sizeof(buf)));
		if (e->type == RAM) {
			usable += e->size;
			nr_usable++;
		}
	}
	render_line(out, "e820: usable RAM: %llu bytes (%llu KiB) in %u ranges\n",
		    (unsigned long long)usable, (unsigned long long)(usable / KIB), nr_usable);
}

/* Sanitize fixture @name and compare what the guest would print with NAME.expect. */
static void check_fixture(const char *name)
{
	static char text[TEXT_LEN], expect[TEXT_LEN], rendered[RENDER_LEN];
	char path[PATH_LEN];
	int rc;

	snprintf(path, sizeof(path), "%s/%s%s", fixture_dir(), name, FIXTURE_EXT);
	read_text(path, text, sizeof(text));
	parse_fixture(text, path, &table);
	rc = e820__update_table(&table);
	render_table(rc, &table, rendered);

	snprintf(path, sizeof(path), "%s/%s%s", fixture_dir(), name, EXPECT_EXT);
	read_text(path, expect, sizeof(expect));
	if (strcmp(rendered, expect)) {
		print_message("sanitizer prints:\n%s", rendered);
		print_message("%s holds:\n%s", path, expect);
		fail_msg("fixture %s: the sanitizer disagrees with %s", name, path);
	}
}

/* Messy firmware table: unsorted, overlaps, duplicates, empty entries, ACPI islands. */
static void test_fixture_bios_overlaps(void **state)
{
	(void)state;
	check_fixture("bios-overlaps");
}

/* Touching PRAM and soft-reserved stay apart, pmem merges, unknown types and type 0. */
static void test_fixture_nomerge_types(void **state)
{
	(void)state;
	check_fixture("nomerge-types");
}

/* RAM given in touching pieces, reverse sorted, with small islands. */
static void test_fixture_touching_pieces(void **state)
{
	(void)state;
	check_fixture("touching-pieces");
}

/* 128 entries, 127 islands in one usable range: 255 lines, nothing dropped. */
static void test_fixture_full_table_islands(void **state)
{
	(void)state;
	check_fixture("full-table-islands");
}

/* A reserved range ending at the last byte below 2^64 is accepted. */
static void test_fixture_top_of_space(void **state)
{
	(void)state;
	check_fixture("top-of-space");
}

/* A wrapping entry: REJECT. */
static void test_fixture_wrap(void **state)
{
	(void)state;
	check_fixture("wrap");
}

/* An entry ending exactly at 2^64: REJECT, as in Linux. */
static void test_fixture_end_at_2_64(void **state)
{
	(void)state;
	check_fixture("end-at-2-64");
}

/* Every *.e820 in the directory is in fixture_names[] and so is tested above. */
static void test_fixture_directory_holds_exactly_these(void **state)
{
	DIR *dir = opendir(fixture_dir());
	struct dirent *de;
	u32 i, found = 0;

	(void)state;
	if (!dir)
		fail_msg("%s: %s", fixture_dir(), strerror(errno));
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		bool listed = false;

		if (len <= strlen(FIXTURE_EXT) ||
		    strcmp(de->d_name + len - strlen(FIXTURE_EXT), FIXTURE_EXT))
			continue;
		for (i = 0; i < ARRAY_SIZE(fixture_names); i++) {
			if (strlen(fixture_names[i]) == len - strlen(FIXTURE_EXT) &&
			    !strncmp(de->d_name, fixture_names[i], strlen(fixture_names[i])))
				listed = true;
		}
		if (!listed) {
			char name[PATH_LEN];

			snprintf(name, sizeof(name), "%s", de->d_name);
			closedir(dir);
			fail_msg("%s/%s is not in fixture_names[]", fixture_dir(), name);
		}
		found++;
	}
	closedir(dir);
	assert_int_equal(found, ARRAY_SIZE(fixture_names));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_documented_example),
		cmocka_unit_test(test_identical_duplicates_collapse_to_one),
		cmocka_unit_test(test_overlap_reserved_on_left_listed_first),
		cmocka_unit_test(test_overlap_reserved_on_left_listed_second),
		cmocka_unit_test(test_overlap_reserved_on_right_listed_first),
		cmocka_unit_test(test_overlap_reserved_on_right_listed_second),
		cmocka_unit_test(test_overlap_acpi_data_loses_to_acpi_nvs),
		cmocka_unit_test(test_overlap_same_type_merges),
		cmocka_unit_test(test_reserved_nested_in_usable_gives_three),
		cmocka_unit_test(test_usable_nested_in_reserved_gives_one),
		cmocka_unit_test(test_equal_starts_shorter_reserved_first),
		cmocka_unit_test(test_equal_starts_longer_reserved_swallows),
		cmocka_unit_test(test_equal_ends_shorter_reserved_last),
		cmocka_unit_test(test_equal_ends_longer_reserved_swallows),
		cmocka_unit_test(test_touching_same_type_merge),
		cmocka_unit_test(test_touching_different_types_stay_apart),
		cmocka_unit_test(test_unsorted_input_comes_out_sorted),
		cmocka_unit_test(test_reverse_sorted_input),
		cmocka_unit_test(test_zero_size_entry_alone_is_dropped),
		cmocka_unit_test(test_zero_size_entry_in_middle_is_ignored),
		cmocka_unit_test(test_zero_size_entry_at_address_zero_is_ignored),
		cmocka_unit_test(test_all_zero_size_table_becomes_empty),
		cmocka_unit_test(test_zero_size_entry_at_top_of_space_is_not_a_wrap),
		cmocka_unit_test(test_single_entry_is_kept),
		cmocka_unit_test(test_empty_table_stays_empty),
		cmocka_unit_test(test_entry_ending_exactly_at_2_64_is_rejected),
		cmocka_unit_test(test_entry_ending_at_last_byte_is_accepted),
		cmocka_unit_test(test_wrapping_entry_is_rejected_and_table_untouched),
		cmocka_unit_test(test_entry_wrapping_by_one_byte_is_rejected),
		cmocka_unit_test(test_129_entries_are_rejected),
		cmocka_unit_test(test_garbage_entry_count_is_rejected),
		cmocka_unit_test(test_full_table_of_128_disjoint_entries_is_preserved),
		cmocka_unit_test(test_127_reserved_islands_in_usable_give_255_entries),
		cmocka_unit_test(test_pram_touching_entries_are_not_merged),
		cmocka_unit_test(test_soft_reserved_touching_entries_are_not_merged),
		cmocka_unit_test(test_pram_is_split_where_a_lower_type_starts),
		cmocka_unit_test(test_zero_size_entry_inside_pram_does_not_split_it),
		cmocka_unit_test(test_type_zero_entry_inside_pram_splits_it_like_linux),
		cmocka_unit_test(test_pmem_touching_entries_do_merge),
		cmocka_unit_test(test_type_zero_entries_are_dropped),
		cmocka_unit_test(test_huge_type_numbers_order_by_number),
		cmocka_unit_test(test_unknown_types_win_by_number),
		cmocka_unit_test(test_three_way_overlap),
		cmocka_unit_test(test_staircase_of_nested_layers),
		cmocka_unit_test(test_random_small_tables_match_brute_force_model),
		cmocka_unit_test(test_random_tables_near_top_of_space_match_model),
		cmocka_unit_test(test_random_full_tables_match_model),
		cmocka_unit_test(test_sanitizing_twice_changes_nothing),
		cmocka_unit_test(test_type_name_of_every_named_type),
		cmocka_unit_test(test_type_name_of_persistent_types),
		cmocka_unit_test(test_type_name_of_unknown_types),
		cmocka_unit_test(test_type_name_buffer_that_exactly_fits),
		cmocka_unit_test(test_type_name_buffer_too_small_gives_fallback),
		cmocka_unit_test(test_type_name_worst_case_fits_21_bytes),
		cmocka_unit_test(test_fixture_bios_overlaps),
		cmocka_unit_test(test_fixture_nomerge_types),
		cmocka_unit_test(test_fixture_touching_pieces),
		cmocka_unit_test(test_fixture_full_table_islands),
		cmocka_unit_test(test_fixture_top_of_space),
		cmocka_unit_test(test_fixture_wrap),
		cmocka_unit_test(test_fixture_end_at_2_64),
		cmocka_unit_test(test_fixture_directory_holds_exactly_these),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
