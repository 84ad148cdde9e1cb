// SPDX-License-Identifier: MIT
/*
 * Selftests of mtrr_type_lookup() on the MTRRs the firmware left: bin/vmm
 * (default WB, PC fixed ranges, holes in [1 MiB, 4 GiB) UC), SeaBIOS under
 * QEMU q35 (alike), or none at all (QEMU microvm: MTRRs disabled).
 *
 * Each case first checks that its precondition holds in the snapshot
 * taken at boot and is skipped otherwise, so one suite runs everywhere.
 * Variable ranges are decoded here with the CPU's physical-address width
 * (size = ~mask + 1 below 2^phys_bits), independently of mtrr_lookup.c.
 */
#include "asm/msr-index.h"
#include "asm/mtrr.h"
#include "asm/processor.h"
#include "kernel/selftest.h"
#include "mm/e820.h"
#include "mm/e820_setup.h"

#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_1G 0x40000000ULL
#define LOW_RAM_END 0xa0000ULL /* fixed ranges: RAM WB below, VGA UC from here */
#define ROM_START 0xc0000ULL   /* option ROMs and BIOS, WP, up to 1 MiB */
#define VMM_HOLE_START (3 * SZ_1G) /* bin/vmm -m 4G: 3 GiB low RAM, then the hole */
#define VMM_HOLE_END (4 * SZ_1G)
#define MTRR_ADDR_MASK (~0xfffULL)

static bool mtrrs_enabled(const struct mtrr_snapshot *s)
{
	return s->def_type & MTRR_DEF_TYPE_E;
}

static bool default_wb(const struct mtrr_snapshot *s)
{
	return mtrrs_enabled(s) && (s->def_type & MTRR_DEF_TYPE_TYPE) == MTRR_TYPE_WRBACK;
}

static bool fixed_enabled(const struct mtrr_snapshot *s)
{
	return mtrrs_enabled(s) && (s->cap & MTRR_CAP_FIX) && (s->def_type & MTRR_DEF_TYPE_FE);
}

/* Variable range @i as [*base, *base + *size), decoded with the CPU's address width. */
static bool var_range(const struct mtrr_snapshot *s, unsigned int i, u64 *base, u64 *size)
{
	u64 phys_mask = (1ULL << boot_cpu_data.x86_phys_bits) - 1;

	if (!(s->var[i].mask & MTRR_PHYSMASK_V))
		return false;
	*base = s->var[i].base & MTRR_ADDR_MASK & phys_mask;
	*size = ((~s->var[i].mask) & phys_mask & MTRR_ADDR_MASK) + SZ_4K;
	return true;
}

/* bin/vmm's -m 4G firmware: default WB and one UC range, [3 GiB, 4 GiB). */
static bool vmm_default_layout(const struct mtrr_snapshot *s)
{
	unsigned int i, nr = 0;
	bool hole = false;

	if (!default_wb(s))
		return false;
	for (i = 0; i < s->nr_var; i++) {
		u64 base, size;

		if (!var_range(s, i, &base, &size))
			continue;
		nr++;
		hole = base == VMM_HOLE_START && size == VMM_HOLE_END - VMM_HOLE_START &&
		       (s->var[i].base & MTRR_PHYSBASE_TYPE) == MTRR_TYPE_UNCACHABLE;
	}
	return nr == 1 && hole;
}

/* Check one lookup's type and uniformity. */
static void expect_lookup(struct selftest *t, u64 start, u64 end, u8 type, u8 uniform)
{
	u8 u = 0xaa; /* neither 0 nor 1: the lookup must write it */
	u8 got = mtrr_type_lookup(start, end, &u);

	EXPECT_EQ(t, got, type);
	EXPECT_EQ(t, u, uniform);
}

static void disabled_means_invalid(struct selftest *t)
{
	if (mtrrs_enabled(mtrr_boot_snapshot())) {
		selftest_skip(t, "MTRRs enabled");
		return;
	}
	expect_lookup(t, 0, SZ_1M, MTRR_TYPE_INVALID, 1);
	expect_lookup(t, SZ_1M, VMM_HOLE_END, MTRR_TYPE_INVALID, 1);
}

/* Linux's lookup of nothing: no piece merged, so no type. */
static void empty_range_is_invalid(struct selftest *t)
{
	expect_lookup(t, SZ_1G, SZ_1G, MTRR_TYPE_INVALID, 1);
}

static void ram_1m_to_3g_wb(struct selftest *t)
{
	if (!vmm_default_layout(mtrr_boot_snapshot())) {
		selftest_skip(t, "not bin/vmm's -m 4G MTRRs");
		return;
	}
	expect_lookup(t, SZ_1M, VMM_HOLE_START, MTRR_TYPE_WRBACK, 1);
}

static void hole_3g_to_4g_uc(struct selftest *t)
{
	if (!vmm_default_layout(mtrr_boot_snapshot())) {
		selftest_skip(t, "not bin/vmm's -m 4G MTRRs");
		return;
	}
	expect_lookup(t, VMM_HOLE_START, VMM_HOLE_END, MTRR_TYPE_UNCACHABLE, 1);
}

static void crossing_3g_not_uniform(struct selftest *t)
{
	if (!vmm_default_layout(mtrr_boot_snapshot())) {
		selftest_skip(t, "not bin/vmm's -m 4G MTRRs");
		return;
	}
	expect_lookup(t, VMM_HOLE_START - SZ_4K, VMM_HOLE_START + SZ_4K, MTRR_TYPE_UNCACHABLE, 0);
	/*
	 * The hole's end: UC then WB. Linux's type_merge() only clears
	 * uniform when the merge changes the type so far, and UC absorbs WB,
	 * so this crossing is reported UC and "uniform", as Linux 6.x does.
	 */
	expect_lookup(t, VMM_HOLE_END - SZ_4K, VMM_HOLE_END + SZ_4K, MTRR_TYPE_UNCACHABLE, 1);
}

static void fixed_low_ram_wb(struct selftest *t)
{
	if (!fixed_enabled(mtrr_boot_snapshot())) {
		selftest_skip(t, "fixed ranges not enabled");
		return;
	}
	expect_lookup(t, 0, LOW_RAM_END, MTRR_TYPE_WRBACK, 1);
}

static void fixed_vga_uc(struct selftest *t)
{
	if (!fixed_enabled(mtrr_boot_snapshot())) {
		selftest_skip(t, "fixed ranges not enabled");
		return;
	}
	expect_lookup(t, LOW_RAM_END, LOW_RAM_END + SZ_4K, MTRR_TYPE_UNCACHABLE, 1);
	expect_lookup(t, LOW_RAM_END, ROM_START, MTRR_TYPE_UNCACHABLE, 1);
}

static void fixed_rom_wp(struct selftest *t)
{
	if (!fixed_enabled(mtrr_boot_snapshot())) {
		selftest_skip(t, "fixed ranges not enabled");
		return;
	}
	expect_lookup(t, ROM_START, ROM_START + SZ_4K, MTRR_TYPE_WRPROT, 1);
	expect_lookup(t, ROM_START, SZ_1M, MTRR_TYPE_WRPROT, 1);
}

/* A lookup across two fixed ranges of different types mixes them. */
static void crossing_fixed_types_not_uniform(struct selftest *t)
{
	if (!fixed_enabled(mtrr_boot_snapshot())) {
		selftest_skip(t, "fixed ranges not enabled");
		return;
	}
	/* WB then UC: UC, not uniform. */
	expect_lookup(t, LOW_RAM_END - SZ_4K, LOW_RAM_END + SZ_4K, MTRR_TYPE_UNCACHABLE, 0);
}

static void crossing_1m_not_uniform(struct selftest *t)
{
	const struct mtrr_snapshot *s = mtrr_boot_snapshot();

	if (!fixed_enabled(s) || !default_wb(s)) {
		selftest_skip(t, "fixed ranges not enabled or default not WB");
		return;
	}
	/* WP (last fixed range) then WB (first page above): mismatch, UC. */
	expect_lookup(t, SZ_1M - SZ_4K, SZ_1M + SZ_4K, MTRR_TYPE_UNCACHABLE, 0);
}

static void above_4g_wb(struct selftest *t)
{
	const struct mtrr_snapshot *s = mtrr_boot_snapshot();
	unsigned int i;

	if (!default_wb(s)) {
		selftest_skip(t, "MTRRs disabled or default not WB");
		return;
	}
	for (i = 0; i < s->nr_var; i++) {
		u64 base, size;

		if (var_range(s, i, &base, &size) && base + size > VMM_HOLE_END) {
			selftest_skip(t, "a variable range reaches above 4 GiB");
			return;
		}
	}
	expect_lookup(t, VMM_HOLE_END, VMM_HOLE_END + SZ_1G, MTRR_TYPE_WRBACK, 1);
	expect_lookup(t, VMM_HOLE_END, 64 * SZ_1G, MTRR_TYPE_WRBACK, 1);
}

/* Whatever the DIMM layout: firmware makes every RAM range WB throughout. */
static void e820_ram_is_wb(struct selftest *t)
{
	u32 i;

	if (!default_wb(mtrr_boot_snapshot())) {
		selftest_skip(t, "MTRRs disabled or default not WB");
		return;
	}
	for (i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		if (e->type != E820_TYPE_RAM)
			continue;
		expect_lookup(t, e->addr, e->addr + e->size, MTRR_TYPE_WRBACK, 1);
	}
}

/* Whether [addr, addr + 1) is in an E820 RAM range. */
static bool in_e820_ram(u64 addr)
{
	u32 i;

	for (i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		if (e->type == E820_TYPE_RAM && addr >= e->addr && addr - e->addr < e->size)
			return true;
	}
	return false;
}

/* Whatever the DIMM layout: a lookup from RAM (WB) into a UC hole range is UC, not uniform. */
static void ram_into_hole_not_uniform(struct selftest *t)
{
	const struct mtrr_snapshot *s = mtrr_boot_snapshot();
	unsigned int i, nr = 0;

	if (!default_wb(s)) {
		selftest_skip(t, "MTRRs disabled or default not WB");
		return;
	}
	for (i = 0; i < s->nr_var; i++) {
		u64 base, size;

		if (!var_range(s, i, &base, &size) || base < SZ_1M + SZ_4K ||
		    (s->var[i].base & MTRR_PHYSBASE_TYPE) != MTRR_TYPE_UNCACHABLE ||
		    !in_e820_ram(base - SZ_4K))
			continue;
		nr++;
		expect_lookup(t, base - SZ_4K, base + SZ_4K, MTRR_TYPE_UNCACHABLE, 0);
	}
	if (!nr)
		selftest_skip(t, "no UC variable range right after RAM");
}

/* Each valid variable range, on its own, has its own type throughout. */
static void var_ranges_have_their_type(struct selftest *t)
{
	const struct mtrr_snapshot *s = mtrr_boot_snapshot();
	unsigned int i, nr = 0;

	if (!mtrrs_enabled(s)) {
		selftest_skip(t, "MTRRs disabled");
		return;
	}
	for (i = 0; i < s->nr_var; i++) {
		u64 base, size;

		if (!var_range(s, i, &base, &size) || base < SZ_1M)
			continue;
		nr++;
		expect_lookup(t, base, base + size, s->var[i].base & MTRR_PHYSBASE_TYPE, 1);
	}
	if (!nr)
		selftest_skip(t, "no variable range above 1 MiB");
}

static const struct selftest_case mtrr_cases[] = {
	SELFTEST_CASE(disabled_means_invalid),
	SELFTEST_CASE(empty_range_is_invalid),
	SELFTEST_CASE(ram_1m_to_3g_wb),
	SELFTEST_CASE(hole_3g_to_4g_uc),
	SELFTEST_CASE(crossing_3g_not_uniform),
	SELFTEST_CASE(fixed_low_ram_wb),
	SELFTEST_CASE(fixed_vga_uc),
	SELFTEST_CASE(fixed_rom_wp),
	SELFTEST_CASE(crossing_fixed_types_not_uniform),
	SELFTEST_CASE(crossing_1m_not_uniform),
	SELFTEST_CASE(above_4g_wb),
	SELFTEST_CASE(e820_ram_is_wb),
	SELFTEST_CASE(ram_into_hole_not_uniform),
	SELFTEST_CASE(var_ranges_have_their_type),
};
SELFTEST_SUITE(mtrr, mtrr_cases);
