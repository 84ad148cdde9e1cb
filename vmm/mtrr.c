/* SPDX-License-Identifier: MIT */
/*
 * The MTRR state firmware leaves behind, computed from the DIMM layout:
 * write-back by default, the low megabyte in fixed ranges as SeaBIOS sets
 * it, and every hole in [1 MiB, 4 GiB) uncachable through variable ranges.
 * A variable range covers a naturally aligned power-of-two block, so each
 * hole is cut greedily into such blocks; when the CPU has too few ranges
 * the largest blocks are kept, since they cover the most of the hole.
 */
#include "mtrr.h"

#include <stdbool.h>
#include <string.h>

/* Holes below 1 MiB are the fixed ranges' business; above 4 GiB is all RAM. */
#define MTRR_VAR_START E820_LOWMEM_END
#define MTRR_VAR_END LAYOUT_HOLE32_END

/* Eight one-byte types per fixed-range MSR. */
#define MTRR_FIXED_BYTES 0x0101010101010101ull
#define MTRR_NR_FIX4K 8u /* 0x268..0x26f */

/*
 * Pairs beyond this would land on the fixed-range MSRs at 0x250: a VCNT
 * larger than that (only a broken MTRRcap says so) is clamped.
 */
#define MTRR_VAR_PAIRS_MAX ((MSR_MTRRfix64K_00000 - MSR_MTRRphysBase(0)) / 2)

/* MTRR arithmetic needs masks below 2^phys_bits to mean something. */
#define MTRR_PHYS_BITS_MIN 32u
#define MTRR_BITS 64u

/* A fixed-range MSR value giving all eight sub-ranges @type. */
static uint64_t fixed_all(unsigned type)
{
	return MTRR_FIXED_BYTES * type;
}

/* Record one MSR write in the plan, in the order it must happen. */
static void plan_add(struct mtrr_plan *plan, uint32_t index, uint64_t value)
{
	plan->msrs[plan->nr_msrs].index = index;
	plan->msrs[plan->nr_msrs].value = value;
	plan->nr_msrs++;
}

/* The PC low megabyte: RAM WB, VGA window UC, option ROMs and BIOS WP. */
static void plan_fixed(struct mtrr_plan *plan)
{
	unsigned i;

	plan_add(plan, MSR_MTRRfix64K_00000, fixed_all(MTRR_TYPE_WB));
	plan_add(plan, MSR_MTRRfix16K_80000, fixed_all(MTRR_TYPE_WB));
	plan_add(plan, MSR_MTRRfix16K_A0000, fixed_all(MTRR_TYPE_UC));
	for (i = 0; i < MTRR_NR_FIX4K; i++)
		plan_add(plan, MSR_MTRRfix4K_C0000 + i, fixed_all(MTRR_TYPE_WP));
}

/* log2 of the largest power of two not above @v (v > 0). */
static unsigned floor_log2(uint64_t v)
{
	return MTRR_BITS - 1 - (unsigned)__builtin_clzll(v);
}

/* Receives each block of every hole, in address order. */
typedef void (*block_fn)(uint64_t base, unsigned order, void *ctx);

/* Cut [start, end) into naturally aligned power-of-two blocks, largest first. */
static void hole_blocks(uint64_t start, uint64_t end, block_fn fn, void *ctx)
{
	while (start < end) {
		/* start > 0 here (holes begin at 1 MiB or later). */
		unsigned align = (unsigned)__builtin_ctzll(start);
		unsigned fit = floor_log2(end - start);
		unsigned order = align < fit ? align : fit;

		fn(start, order, ctx);
		start += 1ull << order;
	}
}

/* Walk the holes of sorted @dimms within [1 MiB, 4 GiB), block by block. */
static void for_each_block(const struct dimm *dimms, unsigned nr, block_fn fn, void *ctx)
{
	uint64_t cur = MTRR_VAR_START;
	unsigned i;

	for (i = 0; i < nr && cur < MTRR_VAR_END; i++) {
		uint64_t base = dimms[i].base, end = base + dimms[i].size;

		if (end <= cur)
			continue;
		if (base > cur)
			hole_blocks(cur, base < MTRR_VAR_END ? base : MTRR_VAR_END, fn, ctx);
		cur = end;
	}
	if (cur < MTRR_VAR_END)
		hole_blocks(cur, MTRR_VAR_END, fn, ctx);
}

/* Blocks per size (order = log2 of the size), then how many of each fit. */
struct block_census {
	unsigned count[MTRR_BITS];
	unsigned take[MTRR_BITS];
	unsigned taken[MTRR_BITS];
};

/* First pass: count the blocks of each size. */
static void count_block(uint64_t base, unsigned order, void *ctx)
{
	struct block_census *c = ctx;

	(void)base;
	c->count[order]++;
}

/* Give the @vcnt ranges to the largest blocks; ties go to lower addresses. */
static void choose_blocks(struct block_census *c, unsigned vcnt)
{
	unsigned order = MTRR_BITS;

	while (order-- > 0) {
		c->take[order] = c->count[order] < vcnt ? c->count[order] : vcnt;
		vcnt -= c->take[order];
	}
}

/* The plan and census together, for the second pass. */
struct emit_ctx {
	struct mtrr_plan *plan;
	struct block_census *census;
	uint64_t phys_mask;
	unsigned next; /* next variable range number */
};

/* Second pass: program a chosen block as UC, or count it as left WB. */
static void emit_block(uint64_t base, unsigned order, void *ctx)
{
	struct emit_ctx *e = ctx;
	uint64_t size = 1ull << order;

	if (e->census->taken[order] == e->census->take[order]) {
		e->plan->uncovered += size;
		return;
	}
	e->census->taken[order]++;
	plan_add(e->plan, MSR_MTRRphysBase(e->next), base | MTRR_TYPE_UC);
	plan_add(e->plan, MSR_MTRRphysMask(e->next), (~(size - 1) & e->phys_mask) | MTRRphysMask_V);
	e->next++;
}

void mtrr_plan_build(const struct dimm *dimms, unsigned nr, uint64_t mtrrcap, unsigned phys_bits,
		     struct mtrr_plan *plan)
{
	struct block_census census;
	struct emit_ctx ectx;
	unsigned vcnt = (unsigned)(mtrrcap & MTRRcap_VCNT_MASK), order;
	bool fix = mtrrcap & MTRRcap_FIX;

	memset(plan, 0, sizeof(*plan));
	memset(&census, 0, sizeof(census));
	/* The caller passes CPUID's MAXPHYADDR; keep the mask arithmetic defined. */
	if (phys_bits < MTRR_PHYS_BITS_MIN)
		phys_bits = MTRR_PHYS_BITS_MIN;
	if (phys_bits > LAYOUT_PHYS_BITS_MAX)
		phys_bits = LAYOUT_PHYS_BITS_MAX;
	if (vcnt > MTRR_VAR_PAIRS_MAX)
		vcnt = MTRR_VAR_PAIRS_MAX;

	if (fix)
		plan_fixed(plan);

	for_each_block(dimms, nr, count_block, &census);
	for (order = 0; order < MTRR_BITS; order++)
		plan->var_needed += census.count[order];
	choose_blocks(&census, vcnt);

	ectx.plan = plan;
	ectx.census = &census;
	ectx.phys_mask = (1ull << phys_bits) - 1;
	ectx.next = 0;
	for_each_block(dimms, nr, emit_block, &ectx);
	plan->var_used = ectx.next;
	/* Zero the rest so whatever an earlier run left cannot linger. */
	for (; ectx.next < vcnt; ectx.next++) {
		plan_add(plan, MSR_MTRRphysBase(ectx.next), 0);
		plan_add(plan, MSR_MTRRphysMask(ectx.next), 0);
	}

	plan_add(plan, MSR_MTRRdefType,
		 MTRRdefType_E | (fix ? MTRRdefType_FE : 0) | MTRR_TYPE_WB);
}
