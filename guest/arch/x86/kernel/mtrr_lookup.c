// SPDX-License-Identifier: MIT
/*
 * mtrr_type_lookup() with the semantics of Linux 6.x (arch/x86/kernel/cpu/
 * mtrr/generic.c): the MSRs are read once at boot into a snapshot (Linux's
 * mtrr_state), and every lookup is answered from it.
 *
 * - MTRRs disabled (MTRRdefType.E clear): MTRR_TYPE_INVALID, uniform.
 * - Below 1 MiB, when MTRRcap.FIX and MTRRdefType.FE, the fixed ranges
 *   decide and variable ranges are ignored there.
 * - Elsewhere, the valid variable ranges covering an address combine: UC
 *   wins, WT with WB gives WT, any other mismatch gives UC; an address no
 *   range covers has the default type.
 * - The range is walked in pieces of one type; the pieces' types are merged
 *   in address order as Linux's type_merge() does, and *uniform is cleared
 *   when a merge changes the type so far. (As in Linux, [UC then WB] stays
 *   "uniform" UC, since merging WB into UC leaves UC.)
 *
 * A variable range is taken as the interval [base, base + size) with size
 * the lowest set address bit of its mask, as Linux does; non-contiguous
 * masks are not modelled.
 *
 * The snapshot functions are pure so that the host unit tests
 * (tests/unit/test_mtrr_lookup.c) can run them on crafted MSR values.
 */
#include "asm/msr-index.h"
#include "asm/mtrr.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#ifndef HOST_UNIT_TEST
#include "asm/msr.h"
#include "asm/processor.h"
#endif

#define MTRR_FIXED_END 0x100000ULL /* fixed ranges cover [0, 1 MiB) */
#define MTRR_FIX64K_COUNT 8	   /* ranges 0..7: 64 KiB each from 0 */
#define MTRR_FIX16K_COUNT 16	   /* ranges 8..23: 16 KiB each from 512 KiB */
#define MTRR_FIX16K_BASE 0x80000ULL
#define MTRR_FIX4K_BASE 0xc0000ULL /* ranges 24..87: 4 KiB each */
#define MTRR_FIX64K_SIZE 0x10000ULL
#define MTRR_FIX16K_SIZE 0x4000ULL
#define MTRR_FIX4K_SIZE 0x1000ULL
#define MTRR_ADDR_MASK (~0xfffULL) /* address bits of PHYSBASE/PHYSMASK */
#define MTRR_PAGE_SHIFT 12
#define MTRR_MB_SHIFT 20
#define MTRR_KB_SHIFT 10

/* Linux's get_effective_type(): two types overlapping at one address. */
static u8 effective_type(u8 a, u8 b)
{
	if (a == MTRR_TYPE_UNCACHABLE || b == MTRR_TYPE_UNCACHABLE)
		return MTRR_TYPE_UNCACHABLE;
	if ((a == MTRR_TYPE_WRBACK && b == MTRR_TYPE_WRTHROUGH) ||
	    (a == MTRR_TYPE_WRTHROUGH && b == MTRR_TYPE_WRBACK))
		return MTRR_TYPE_WRTHROUGH;
	if (a != b)
		return MTRR_TYPE_UNCACHABLE;
	return a;
}

/* Linux's type_merge(): fold the next piece's type into the type so far. */
static u8 type_merge(u8 type, u8 new_type, u8 *uniform)
{
	u8 eff;

	if (type == MTRR_TYPE_INVALID)
		return new_type;
	eff = effective_type(type, new_type);
	if (eff != type)
		*uniform = 0;
	return eff;
}

/* Whether the fixed ranges decide the type below 1 MiB. */
static bool fixed_active(const struct mtrr_snapshot *s)
{
	return (s->cap & MTRR_CAP_FIX) && (s->def_type & MTRR_DEF_TYPE_FE);
}

/* Index of the fixed range holding @addr (< 1 MiB), and that range's end. */
static unsigned int fixed_index(u64 addr, u64 *range_end)
{
	u64 idx;

	if (addr < MTRR_FIX16K_BASE) {
		idx = addr / MTRR_FIX64K_SIZE;
		*range_end = (idx + 1) * MTRR_FIX64K_SIZE;
		return idx;
	}
	if (addr < MTRR_FIX4K_BASE) {
		idx = (addr - MTRR_FIX16K_BASE) / MTRR_FIX16K_SIZE;
		*range_end = MTRR_FIX16K_BASE + (idx + 1) * MTRR_FIX16K_SIZE;
		return MTRR_FIX64K_COUNT + idx;
	}
	idx = (addr - MTRR_FIX4K_BASE) / MTRR_FIX4K_SIZE;
	*range_end = MTRR_FIX4K_BASE + (idx + 1) * MTRR_FIX4K_SIZE;
	return MTRR_FIX64K_COUNT + MTRR_FIX16K_COUNT + idx;
}

/*
 * Interval of variable range @i: [*base, *last] (inclusive, so a range
 * reaching 2^64 is representable). False if the range is not valid.
 */
static bool var_interval(const struct mtrr_snapshot *s, unsigned int i, u64 *base, u64 *last)
{
	u64 mask = s->var[i].mask & MTRR_ADDR_MASK;
	u64 size;

	if (!(s->var[i].mask & MTRR_PHYSMASK_V))
		return false;
	size = mask & -mask; /* lowest address bit of the mask; 0: all of memory */
	*base = s->var[i].base & MTRR_ADDR_MASK;
	if (!size) {
		*base = 0;
		*last = ~0ULL;
		return true;
	}
	*base &= ~(size - 1);
	*last = *base + (size - 1);
	return true;
}

/*
 * Type at @addr, and the last address (inclusive) up to which that
 * computation stays the same (the next place any range starts or ends).
 */
static u8 type_at(const struct mtrr_snapshot *s, u64 addr, u64 *piece_last)
{
	u8 type = MTRR_TYPE_INVALID;
	u64 last = ~0ULL;
	unsigned int i;

	if (addr < MTRR_FIXED_END && fixed_active(s)) {
		u64 range_end;
		unsigned int idx = fixed_index(addr, &range_end);

		*piece_last = range_end - 1;
		return s->fixed[idx];
	}
	for (i = 0; i < s->nr_var && i < MTRR_MAX_VAR_RANGES; i++) {
		u64 base, vlast;

		if (!var_interval(s, i, &base, &vlast))
			continue;
		if (addr < base) {
			if (base - 1 < last)
				last = base - 1;
			continue;
		}
		if (addr > vlast)
			continue;
		if (vlast < last)
			last = vlast;
		type = type == MTRR_TYPE_INVALID ? (u8)(s->var[i].base & MTRR_PHYSBASE_TYPE) :
						   effective_type(type, s->var[i].base &
									  MTRR_PHYSBASE_TYPE);
	}
	*piece_last = last;
	return type == MTRR_TYPE_INVALID ? (u8)(s->def_type & MTRR_DEF_TYPE_TYPE) : type;
}

/* See the header and the comment at the top of this file. */
u8 mtrr_snapshot_lookup(const struct mtrr_snapshot *s, u64 start, u64 end, u8 *uniform)
{
	u8 type = MTRR_TYPE_INVALID;

	*uniform = 1;
	if (!(s->def_type & MTRR_DEF_TYPE_E))
		return MTRR_TYPE_INVALID;
	while (start < end) {
		u64 last;
		u8 t = type_at(s, start, &last);

		type = type_merge(type, t, uniform);
		if (last >= end - 1)
			break;
		start = last + 1;
	}
	return type;
}

/* Linux's mtrr_attrib_to_str(), as /proc/mtrr names the types. */
static const char *attrib_to_str(unsigned int type)
{
	switch (type) {
	case MTRR_TYPE_UNCACHABLE:
		return "uncachable";
	case MTRR_TYPE_WRCOMB:
		return "write-combining";
	case MTRR_TYPE_WRTHROUGH:
		return "write-through";
	case MTRR_TYPE_WRPROT:
		return "write-protect";
	case MTRR_TYPE_WRBACK:
		return "write-back";
	default:
		return "?";
	}
}

/*
 * One line per valid variable range, in Linux's mtrr_seq_show() format:
 * base and size in pages, the size in KB below 1 MB, else in MB; count is
 * Linux's usage count, 1 for every range found set at boot.
 */
void mtrr_snapshot_show(const struct mtrr_snapshot *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_var && i < MTRR_MAX_VAR_RANGES; i++) {
		u64 base, last, pages, size;
		char factor;

		if (!var_interval(s, i, &base, &last))
			continue;
		pages = (last - base) / (1ULL << MTRR_PAGE_SHIFT) + 1;
		if (pages < (1ULL << (MTRR_MB_SHIFT - MTRR_PAGE_SHIFT))) {
			factor = 'K';
			size = pages << (MTRR_PAGE_SHIFT - MTRR_KB_SHIFT);
		} else {
			factor = 'M';
			size = pages >> (MTRR_MB_SHIFT - MTRR_PAGE_SHIFT);
		}
		printk("reg%02d: base=0x%06lx000 (%5luMB), size=%5lu%cB, count=%d: %s\n", (int)i,
		       (unsigned long)(base >> MTRR_PAGE_SHIFT),
		       (unsigned long)(base >> MTRR_MB_SHIFT), (unsigned long)size, factor, 1,
		       attrib_to_str(s->var[i].base & MTRR_PHYSBASE_TYPE));
	}
}

#ifndef HOST_UNIT_TEST

#define MTRR_NR_FIX4K_MSRS 8
#define MTRR_NR_FIX16K_MSRS 2
#define MTRR_TYPES_PER_MSR 8
#define MTRR_TYPE_BITS 8

static struct mtrr_snapshot boot_snapshot;
static bool mtrr_show; /* mtrr=show */

/* Store the eight one-byte types of fixed-range MSR @msr from fixed[@first]. */
static void read_fixed_msr(u32 msr, unsigned int first)
{
	u64 v = rdmsr(msr);
	unsigned int j;

	for (j = 0; j < MTRR_TYPES_PER_MSR; j++)
		boot_snapshot.fixed[first + j] = (v >> (MTRR_TYPE_BITS * j)) & 0xff;
}

/* `mtrr=show` asks for the /proc/mtrr dump; anything else is refused. */
void mtrr_parse_cmdline(void)
{
	const char *v = cmdline_get("mtrr");

	if (!v)
		return;
	if (!strcmp(v, "show"))
		mtrr_show = true;
	else
		printk("mtrr=%s: not a valid setting (only mtrr=show), ignored\n", v);
}

/* Read MTRRcap, MTRRdefType, the fixed and VCNT variable ranges once. */
void mtrr_init(void)
{
	unsigned int i;

	boot_snapshot.valid = true;
	if (!boot_cpu_has(X86_FEATURE_MTRR)) {
		/* No MTRRs: cap and def_type stay 0, so lookups say disabled. */
		if (mtrr_show)
			printk("MTRR: not supported by the CPU, nothing to show\n");
		return;
	}
	boot_snapshot.cap = rdmsr(MSR_MTRRcap);
	boot_snapshot.def_type = rdmsr(MSR_MTRRdefType);
	boot_snapshot.nr_var = boot_snapshot.cap & MTRR_CAP_VCNT_MASK;
	if (boot_snapshot.nr_var > MTRR_MAX_VAR_RANGES)
		boot_snapshot.nr_var = MTRR_MAX_VAR_RANGES;
	if (boot_snapshot.cap & MTRR_CAP_FIX) {
		read_fixed_msr(MSR_MTRRfix64K_00000, 0);
		read_fixed_msr(MSR_MTRRfix16K_80000, MTRR_FIX64K_COUNT);
		read_fixed_msr(MSR_MTRRfix16K_A0000, MTRR_FIX64K_COUNT + MTRR_TYPES_PER_MSR);
		for (i = 0; i < MTRR_NR_FIX4K_MSRS; i++)
			read_fixed_msr(MSR_MTRRfix4K_C0000 + i,
				       MTRR_FIX64K_COUNT + MTRR_FIX16K_COUNT +
					       i * MTRR_TYPES_PER_MSR);
	}
	for (i = 0; i < boot_snapshot.nr_var; i++) {
		boot_snapshot.var[i].base = rdmsr(MSR_MTRRphysBase(i));
		boot_snapshot.var[i].mask = rdmsr(MSR_MTRRphysMask(i));
	}
	if (mtrr_show) {
		printk("MTRR ranges (as /proc/mtrr):\n");
		mtrr_snapshot_show(&boot_snapshot);
	}
}

/* For selftests: what the firmware left, as read at boot. */
const struct mtrr_snapshot *mtrr_boot_snapshot(void)
{
	return &boot_snapshot;
}

/* Before the snapshot, the answer is Linux's: UC, uniformity unknown. */
u8 mtrr_type_lookup(u64 start, u64 end, u8 *uniform)
{
	if (!boot_snapshot.valid) {
		*uniform = 0;
		return MTRR_TYPE_UNCACHABLE;
	}
	return mtrr_snapshot_lookup(&boot_snapshot, start, end, uniform);
}

#endif /* !HOST_UNIT_TEST */
