/* SPDX-License-Identifier: MIT */
/*
 * The MTRR set-up firmware would leave: MTRRs enabled with default type
 * write-back, the fixed ranges describing the PC low megabyte (as SeaBIOS:
 * RAM WB, VGA window UC, option ROM/BIOS area WP), and variable ranges that
 * make every hole between 1 MiB and 4 GiB uncachable. Pure computation.
 */
#ifndef VMM_MTRR_H
#define VMM_MTRR_H

#include <stdint.h>

#include "layout.h"

#define MSR_MTRRcap 0x0fe
#define MSR_MTRRdefType 0x2ff
#define MSR_MTRRphysBase(n) (0x200 + 2 * (n))
#define MSR_MTRRphysMask(n) (0x201 + 2 * (n))
#define MSR_MTRRfix64K_00000 0x250
#define MSR_MTRRfix16K_80000 0x258
#define MSR_MTRRfix16K_A0000 0x259
#define MSR_MTRRfix4K_C0000 0x268 /* ..0x26f: C0000, C8000, ..., F8000 */

#define MTRRcap_VCNT_MASK 0xffull
#define MTRRcap_FIX (1ull << 8)
#define MTRRcap_WC (1ull << 10)
#define MTRRdefType_FE (1ull << 10)
#define MTRRdefType_E (1ull << 11)
#define MTRRphysMask_V (1ull << 11)

#define MTRR_TYPE_UC 0
#define MTRR_TYPE_WC 1
#define MTRR_TYPE_WT 4
#define MTRR_TYPE_WP 5
#define MTRR_TYPE_WB 6

#define MTRR_NR_FIXED_MSRS 11
#define MTRR_MAX_VAR 255 /* VCNT is 8 bits */

struct mtrr_msr {
	uint32_t index;
	uint64_t value;
};

struct mtrr_plan {
	/* MSRs to write, in order: fixed ranges, variable pairs, then defType. */
	struct mtrr_msr msrs[MTRR_NR_FIXED_MSRS + 2 * MTRR_MAX_VAR + 1];
	unsigned nr_msrs;
	unsigned var_needed; /* variable ranges the holes need */
	unsigned var_used;   /* variable ranges programmed (<= VCNT) */
	uint64_t uncovered;  /* bytes of hole left write-back for lack of ranges */
};

/*
 * Plan the MTRRs for sorted, checked @dimms on a CPU with @mtrrcap (the
 * MTRRcap MSR value: VCNT and FIX) and @phys_bits of physical address.
 * Each hole in [1 MiB, 4 GiB) is split into naturally aligned power-of-two
 * blocks; if they need more than VCNT ranges the largest blocks win and
 * @uncovered says how much stayed WB. Fixed ranges are written only if FIX.
 */
void mtrr_plan_build(const struct dimm *dimms, unsigned nr, uint64_t mtrrcap, unsigned phys_bits,
		     struct mtrr_plan *plan);

#endif /* VMM_MTRR_H */
