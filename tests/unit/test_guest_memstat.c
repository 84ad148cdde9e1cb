/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the guest's memstat driver pieces that do not need a
 * device (guest/drivers/memstat_parse.c, memstat_stats.c):
 * memstat.device=SIZE@ADDR:GSI with every way to get it wrong, the E820
 * check (reserved, whole, nothing else), the memstat.hostile= kinds, the
 * tag rule of ABI version 1, the statistics encoding and the check of
 * every command field.
 *
 * E820 layouts in the region tests (R = region, . = reserved, # = RAM):
 *
 *   exact          [......]          R covers one reserved entry exactly
 *   inside         [...[RR]...]      R inside a larger reserved entry
 *   adjacent       [...][...]        two reserved entries meet under R
 *   gap            [...]  [...]      a hole under R: refused
 *   ram            [...][###]        RAM under R: refused, named
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/memstat.h"

#define SZ_4K 0x1000ull
#define REGION MEMSTAT_REGION_SIZE
#define BASE 0xfeb00000ull

/* Parse @val, which must be accepted, into @p. */
static void parse_ok(const char *val, struct memstat_param *p)
{
	char why[200] = "";

	if (memstat_parse_device(val, p, why, sizeof(why)) != 0)
		fail_msg("\"%s\" refused: %s", val, why);
}

/* Parse @val, which must be refused with a reason containing @want. */
static void parse_bad(const char *val, const char *want)
{
	struct memstat_param p = { 1, 2, 3 };
	char why[200] = "";

	assert_int_equal(memstat_parse_device(val, &p, why, sizeof(why)), -EINVAL);
	if (!strstr(why, want))
		fail_msg("\"%s\": reason \"%s\" does not say \"%s\"", val, why, want);
	/* Refusal leaves the result alone. */
	assert_int_equal(p.size, 1);
	assert_int_equal(p.addr, 2);
	assert_int_equal(p.gsi, 3);
}

static void parse_accepts_the_vmm_announcement(void **state)
{
	struct memstat_param p;

	(void)state;
	parse_ok("20K@0xfeb00000:5", &p);
	assert_int_equal(p.size, REGION);
	assert_int_equal(p.addr, BASE);
	assert_int_equal(p.gsi, 5);
}

static void parse_accepts_other_spellings(void **state)
{
	struct memstat_param p;

	(void)state;
	parse_ok("0x5000@4272947200:0", &p); /* hex size, decimal address */
	assert_int_equal(p.size, REGION);
	assert_int_equal(p.addr, BASE);
	assert_int_equal(p.gsi, 0);
	parse_ok("1M@0x100000000:23", &p); /* larger than the device, above 4 GiB */
	assert_int_equal(p.size, 1ull << 20);
	assert_int_equal(p.addr, 1ull << 32);
	assert_int_equal(p.gsi, 23);
	parse_ok("20K@0xfeb00000:255", &p); /* the largest GSI the syntax takes */
	assert_int_equal(p.gsi, 255);
	parse_ok("20K@0xffffffffb000:0x10", &p); /* hex GSI, region ending at 2^48 */
	assert_int_equal(p.gsi, 16);
}

static void parse_refuses_broken_syntax(void **state)
{
	(void)state;
	parse_bad("", "empty");
	parse_bad("20K", "not SIZE@ADDR:GSI");
	parse_bad("20K@0xfeb00000", "not SIZE@ADDR:GSI");
	parse_bad("20K:5@0xfeb00000", "not SIZE@ADDR:GSI");
	parse_bad("@0xfeb00000:5", "size \"\"");
	parse_bad("20K@:5", "address \"\"");
	parse_bad("20K@0xfeb00000:", "GSI \"\"");
	parse_bad("20Q@0xfeb00000:5", "size \"20Q\"");
	parse_bad("20K@0xfeb0000g:5", "address \"0xfeb0000g\"");
	parse_bad("20K@0xfeb00000:5:6", "GSI \"5:6\"");
	parse_bad("20K@0xfeb00000:-1", "GSI \"-1\"");
	parse_bad("20K@0xfeb00000@0x1000:5", "address \"0xfeb00000@0x1000\"");
	parse_bad("20K@0xfeb00000:99999999999999999999999", "GSI");
	parse_bad("20K@0x00000000000000000000000000000000000000000000000000000000000000feb00000:5",
		  "too long");
}

static void parse_refuses_bad_values(void **state)
{
	(void)state;
	parse_bad("16K@0xfeb00000:5", "size 0x4000 is below the device's 0x5000 bytes");
	parse_bad("0@0xfeb00000:5", "size 0x0 is below");
	parse_bad("20481@0xfeb00000:5", "size 0x5001 is not a whole number of pages");
	parse_bad("24K@0xfeb00800:5", "address 0xfeb00800 is not page aligned");
	parse_bad("20K@0x10000000000000:5", "ends beyond 2^52");
	parse_bad("20K@0xffffffffffff000:5", "ends beyond 2^52");
	parse_bad("0xfffffffffffff000@0x1000:5", "ends beyond 2^52"); /* would wrap */
	parse_bad("20K@0xfeb00000:256", "GSI 256 is above 255");
}

/* A sanitized table from (addr, size, type) triples. */
static struct e820_table *table_of(unsigned int n, const struct e820_entry *e)
{
	static struct e820_table t;

	memset(&t, 0, sizeof(t));
	t.nr_entries = n;
	if (n)
		memcpy(t.entries, e, n * sizeof(*e));
	return &t;
}

static void e820_accepts_reserved_regions(void **state)
{
	const struct e820_entry exact[] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ BASE, REGION, E820_TYPE_RESERVED },
		{ 1ull << 32, 1ull << 30, E820_TYPE_RAM },
	};
	const struct e820_entry inside[] = { { BASE - SZ_4K, 16 * SZ_4K, E820_TYPE_RESERVED } };
	const struct e820_entry adjacent[] = {
		{ BASE - SZ_4K, 3 * SZ_4K, E820_TYPE_RESERVED },
		{ BASE + 2 * SZ_4K, 3 * SZ_4K, E820_TYPE_RESERVED },
	};
	char buf[200];

	(void)state;
	assert_null(memstat_check_e820(table_of(3, exact), BASE, REGION, buf, sizeof(buf)));
	assert_null(memstat_check_e820(table_of(1, inside), BASE, REGION, buf, sizeof(buf)));
	assert_null(memstat_check_e820(table_of(2, adjacent), BASE, REGION, buf, sizeof(buf)));
}

/* The region must be refused with a reason containing @want. */
static void e820_bad(struct e820_table *t, const char *want)
{
	char buf[300];
	const char *why = memstat_check_e820(t, BASE, REGION, buf, sizeof(buf));

	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("reason \"%s\" does not say \"%s\"", why, want);
}

static void e820_refuses_ram_holes_and_other_types(void **state)
{
	const struct e820_entry ram_after[] = {
		{ BASE, 2 * SZ_4K, E820_TYPE_RESERVED },
		{ BASE + 2 * SZ_4K, 1ull << 20, E820_TYPE_RAM },
	};
	const struct e820_entry all_ram[] = { { 1ull << 20, 1ull << 32, E820_TYPE_RAM } };
	const struct e820_entry gap[] = {
		{ BASE, 2 * SZ_4K, E820_TYPE_RESERVED },
		{ BASE + 3 * SZ_4K, 2 * SZ_4K, E820_TYPE_RESERVED },
	};
	const struct e820_entry short_end[] = { { BASE, 4 * SZ_4K, E820_TYPE_RESERVED } };
	const struct e820_entry late_start[] = { { BASE + SZ_4K, REGION, E820_TYPE_RESERVED } };
	const struct e820_entry acpi[] = { { BASE, REGION, E820_TYPE_ACPI } };

	(void)state;
	e820_bad(table_of(2, ram_after), "overlaps E820 type 1 at [mem 0x00000000feb02000-");
	e820_bad(table_of(1, all_ram), "overlaps E820 type 1");
	e820_bad(table_of(2, gap), "is not reserved in E820 from 0xfeb02000");
	e820_bad(table_of(1, short_end), "is not reserved in E820 from 0xfeb04000");
	e820_bad(table_of(1, late_start), "is not reserved in E820 from 0xfeb00000");
	e820_bad(table_of(1, acpi), "overlaps E820 type 3");
	e820_bad(table_of(0, NULL), "[mem 0x00000000feb00000-0x00000000feb04fff] is not reserved");
}

static void hostile_kinds_have_unique_names(void **state)
{
	(void)state;
	assert_null(memstat_hostile_names[MEMSTAT_HOSTILE_NONE]);
	for (unsigned int k = 1; k < MEMSTAT_HOSTILE_NR; k++) {
		assert_non_null(memstat_hostile_names[k]);
		assert_int_equal(memstat_hostile_lookup(memstat_hostile_names[k]), k);
		for (unsigned int j = 1; j < k; j++)
			assert_string_not_equal(memstat_hostile_names[k], memstat_hostile_names[j]);
	}
	assert_int_equal(memstat_hostile_lookup("abi-old"), MEMSTAT_HOSTILE_ABI_OLD);
	assert_int_equal(memstat_hostile_lookup("stats-seq-stuck-odd"),
			 MEMSTAT_HOSTILE_STATS_SEQ_ODD);
	assert_int_equal(memstat_hostile_lookup(""), MEMSTAT_HOSTILE_NONE);
	assert_int_equal(memstat_hostile_lookup("all"), MEMSTAT_HOSTILE_NONE);
	assert_int_equal(memstat_hostile_lookup("ABI-OLD"), MEMSTAT_HOSTILE_NONE);
	assert_int_equal(memstat_hostile_lookup("abi-old "), MEMSTAT_HOSTILE_NONE);
}

static void tag_rule_follows_the_abi(void **state)
{
	static const struct {
		uint16_t tag;
		bool valid;
	} cases[] = {
		{ 0, true },
		{ MEMSTAT_TAG_DIRECT_RECLAIM, true },
		{ MEMSTAT_TAG_VIRTIO_NR, false },
		{ 0x0ff0, false },
		{ MEMSTAT_TAG_MEMINFO - 1, false },
		{ MEMSTAT_TAG_MEMINFO, true },
		{ MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR - 1, true },
		{ MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR, false },
		{ MEMSTAT_TAG_FREE_AREA_BASE - 1, false },
		{ MEMSTAT_TAG_FREE_AREA(0, 0), true },
		{ MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES - 1, MEMSTAT_MAX_ORDERS - 1), true },
		{ MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES, 0), false },
		{ MEMSTAT_TAG_VMSTAT - 1, false },
		{ MEMSTAT_TAG_VMSTAT, true },
		{ MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR - 1, true },
		{ MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR, false }, /* = MEMSTAT_TAG_TSC */
		{ MEMSTAT_TAG_UPDATES, true },
		{ MEMSTAT_TAG_UPDATES + 1, false },
		{ 0xffff, false },
	};

	(void)state;
	/* 0x3000 is both "one past the vmstat range" and TSC: TSC wins. */
	assert_int_equal(MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR, MEMSTAT_TAG_TSC);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = cases[i].valid || cases[i].tag == MEMSTAT_TAG_TSC;

		if (memstat_tag_known(cases[i].tag) != want)
			fail_msg("tag 0x%x: valid %d, expected %d", cases[i].tag,
				 memstat_tag_known(cases[i].tag), want);
	}
}

/* Figures with two zones (DMA32 and Normal), 11 orders, 8 vm events. */
static unsigned long events[8] = { 10, 20, 30, 40, 50, 60, 70, 80 };
static void figures_init(struct memstat_figures *f)
{
	memset(f, 0, sizeof(*f));
	for (unsigned int i = 0; i < MEMSTAT_TAG_VIRTIO_NR; i++)
		f->virtio[i] = 1000 + i;
	for (unsigned int i = 0; i < MEMSTAT_MI_NR; i++)
		f->meminfo[i] = 2000 + i;
	f->meminfo_valid = 1u << MEMSTAT_MI_SLAB | 1u << MEMSTAT_MI_PAGE_TABLES;
	f->nr_zones = 2;
	f->zones[0].zone = 1;
	f->zones[1].zone = 2;
	for (unsigned int z = 0; z < 2; z++) {
		f->zones[z].nr_orders = 11;
		for (unsigned int o = 0; o < 11; o++)
			f->zones[z].nr_free[o] = 100 * z + o;
	}
	f->nr_vm_events = 8;
	f->vm_events = events;
	f->tsc = 0x123456789ull;
	f->updates = 7;
}

/* The value of @tag among @n entries, which must hold it exactly once. */
static uint64_t value_of(const struct memstat_stat *s, unsigned int n, uint16_t tag)
{
	unsigned int found = 0;
	uint64_t val = 0;

	for (unsigned int i = 0; i < n; i++)
		if (s[i].tag == tag) {
			found++;
			val = s[i].val;
		}
	if (found != 1)
		fail_msg("tag 0x%x found %u times", tag, found);
	return val;
}

static void encode_writes_every_figure_once(void **state)
{
	static struct memstat_stat out[MEMSTAT_MAX_STATS];
	struct memstat_figures f;
	unsigned int n, dropped = 99;

	(void)state;
	figures_init(&f);
	memset(out, 0xa5, sizeof(out));
	n = memstat_encode_stats(out, MEMSTAT_MAX_STATS, &f, &dropped);
	assert_int_equal(n, 16 + 2 + 2 * 11 + 8 + 2);
	assert_int_equal(dropped, 0);
	for (unsigned int i = 0; i < n; i++) {
		assert_true(memstat_tag_known(out[i].tag));
		assert_int_equal(out[i].reserved[0] | out[i].reserved[1] | out[i].reserved[2], 0);
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(out[i].tag, out[j].tag);
	}
	assert_int_equal(out[0].tag, MEMSTAT_TAG_SWAP_IN); /* virtio tags come first, in order */
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_MEMFREE), 1004);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_DIRECT_RECLAIM), 1015);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_SLAB),
			 2000 + MEMSTAT_MI_SLAB);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_PAGE_TABLES),
			 2000 + MEMSTAT_MI_PAGE_TABLES);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_FREE_AREA(1, 0)), 0);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_FREE_AREA(1, 10)), 10);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_FREE_AREA(2, 3)), 103);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_VMSTAT + 0), 10);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_VMSTAT + 7), 80);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_TSC), 0x123456789ull);
	assert_int_equal(value_of(out, n, MEMSTAT_TAG_UPDATES), 7);
	/* Nothing past the count was touched. */
	assert_int_equal(out[n].tag, 0xa5a5);
}

static void encode_skips_what_it_cannot_tag(void **state)
{
	static struct memstat_stat out[MEMSTAT_MAX_STATS];
	struct memstat_figures f;
	unsigned int n;

	(void)state;
	figures_init(&f);
	f.nr_zones = 4;
	f.zones[2].zone = 1; /* the same zone again: its tags would repeat */
	f.zones[2].nr_orders = 11;
	f.zones[3].zone = MEMSTAT_MAX_ZONES; /* no tag for it */
	f.zones[3].nr_orders = 11;
	f.zones[0].nr_orders = MEMSTAT_MAX_ORDERS + 5; /* more orders than tags */
	n = memstat_encode_stats(out, MEMSTAT_MAX_STATS, &f, NULL);
	assert_int_equal(n, 16 + 2 + MEMSTAT_MAX_ORDERS + 11 + 8 + 2);
	for (unsigned int i = 0; i < n; i++) {
		assert_true(memstat_tag_known(out[i].tag));
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(out[i].tag, out[j].tag);
	}
}

static void encode_stops_at_the_room_given(void **state)
{
	struct memstat_stat out[21];
	struct memstat_figures f;
	unsigned int n, dropped = 0;

	(void)state;
	figures_init(&f);
	memset(out, 0xa5, sizeof(out));
	n = memstat_encode_stats(out, 20, &f, &dropped);
	assert_int_equal(n, 20);
	assert_int_equal(dropped, 16 + 2 + 2 * 11 + 8 + 2 - 20);
	assert_int_equal(out[20].tag, 0xa5a5);
	assert_int_equal(memstat_encode_stats(out, 0, &f, &dropped), 0);
	assert_int_equal(dropped, 16 + 2 + 2 * 11 + 8 + 2);
}

static void values_only_rewrites_values_under_the_same_tags(void **state)
{
	static struct memstat_stat full[MEMSTAT_MAX_STATS], fast[MEMSTAT_MAX_STATS];
	struct memstat_layout la, lb;
	struct memstat_figures f;
	unsigned int n;

	(void)state;
	figures_init(&f);
	memstat_stats_layout(&f, &la);
	n = memstat_encode(fast, MEMSTAT_MAX_STATS, &f, NULL, false);
	/* New values, same layout: a values-only pass equals a full encoding. */
	f.virtio[MEMSTAT_TAG_MEMFREE] = 12345;
	f.zones[1].nr_free[4] = 777;
	f.tsc++;
	f.updates++;
	memstat_stats_layout(&f, &lb);
	assert_true(memstat_same_layout(&la, &lb));
	assert_int_equal(memstat_encode(fast, MEMSTAT_MAX_STATS, &f, NULL, true), n);
	assert_int_equal(memstat_encode_stats(full, MEMSTAT_MAX_STATS, &f, NULL), n);
	assert_memory_equal(fast, full, n * sizeof(full[0]));
	assert_int_equal(value_of(fast, n, MEMSTAT_TAG_FREE_AREA(2, 4)), 777);

	/* Each layout change is seen. */
	f.meminfo_valid |= 1u << MEMSTAT_MI_BUFFERS;
	memstat_stats_layout(&f, &lb);
	assert_false(memstat_same_layout(&la, &lb));
	figures_init(&f);
	f.zones[1].zone = 3;
	memstat_stats_layout(&f, &lb);
	assert_false(memstat_same_layout(&la, &lb));
	figures_init(&f);
	f.zones[0].nr_orders = 10;
	memstat_stats_layout(&f, &lb);
	assert_false(memstat_same_layout(&la, &lb));
	figures_init(&f);
	f.nr_zones = 1;
	memstat_stats_layout(&f, &lb);
	assert_false(memstat_same_layout(&la, &lb));
	figures_init(&f);
	f.nr_vm_events = 7;
	memstat_stats_layout(&f, &lb);
	assert_false(memstat_same_layout(&la, &lb));
	/* Stale entries past nr_zones do not count. */
	figures_init(&f);
	f.zones[5].zone = 6;
	memstat_stats_layout(&f, &lb);
	assert_true(memstat_same_layout(&la, &lb));
}

/* A command of @type with @flags and arguments. */
static struct memstat_msg cmd(uint16_t type, uint16_t flags, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return (struct memstat_msg){
		.type = type, .flags = flags, .id = 42, .arg = { a0, a1, a2 }
	};
}

static void commands_are_checked_field_by_field(void **state)
{
	const uint64_t all = MEMSTAT_F_ALL_V1;
	struct memstat_msg m;

	(void)state;
	m = cmd(MEMSTAT_CMD_REFRESH_STATS, 0, 0, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), 0);
	assert_int_equal(memstat_check_command(&m, all & ~MEMSTAT_F_STATS), -EINVAL);
	m = cmd(MEMSTAT_CMD_REFRESH_STATS, 1, 0, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_REFRESH_STATS, 0x8000, 0, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	for (int i = 0; i < 3; i++) {
		m = cmd(MEMSTAT_CMD_REFRESH_STATS, 0, i == 0, i == 1, i == 2);
		assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	}

	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, 0, 0, 0); /* 0 = stop */
	assert_int_equal(memstat_check_command(&m, all), 0);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, 10, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), 0);
	assert_int_equal(memstat_check_command(&m, all & ~MEMSTAT_F_PERIODIC), -EINVAL);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, MEMSTAT_PERIOD_MAX_MS, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), 0);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, MEMSTAT_PERIOD_MAX_MS + 1, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, 1ull << 32 | 10, 0, 0); /* not truncated to 10 */
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, 10, 1, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_SET_PERIOD, 0, 10, 0, 1);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);

	m = cmd(MEMSTAT_CMD_PING, 0, 0xfeedface, 0, 0); /* arg[0] is echoed: anything */
	assert_int_equal(memstat_check_command(&m, 0), 0);
	m = cmd(MEMSTAT_CMD_PING, 0, 0, 5, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_PING, 0, 0, 0, 5);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	m = cmd(MEMSTAT_CMD_PING, 2, 0, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);

	for (uint16_t type = 0; type < 10; type++) {
		if (type >= MEMSTAT_CMD_REFRESH_STATS && type <= MEMSTAT_CMD_PING)
			continue;
		m = cmd(type, 0, 0, 0, 0);
		assert_int_equal(memstat_check_command(&m, all), -EINVAL);
	}
	m = cmd(0xffff, 0, 0, 0, 0);
	assert_int_equal(memstat_check_command(&m, all), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_the_vmm_announcement),
		cmocka_unit_test(parse_accepts_other_spellings),
		cmocka_unit_test(parse_refuses_broken_syntax),
		cmocka_unit_test(parse_refuses_bad_values),
		cmocka_unit_test(e820_accepts_reserved_regions),
		cmocka_unit_test(e820_refuses_ram_holes_and_other_types),
		cmocka_unit_test(hostile_kinds_have_unique_names),
		cmocka_unit_test(tag_rule_follows_the_abi),
		cmocka_unit_test(encode_writes_every_figure_once),
		cmocka_unit_test(encode_skips_what_it_cannot_tag),
		cmocka_unit_test(encode_stops_at_the_room_given),
		cmocka_unit_test(values_only_rewrites_values_under_the_same_tags),
		cmocka_unit_test(commands_are_checked_field_by_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
