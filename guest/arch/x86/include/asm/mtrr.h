/* SPDX-License-Identifier: MIT */
/* The MTRR state the firmware (or VMM) left, printed as Linux prints it. */
#ifndef ASM_MTRR_H
#define ASM_MTRR_H

/* Print MTRRcap, MTRRdefType and the state; needs X86_FEATURE_MTRR. */
void mtrr_print_state(void);

/* ---- MTRR lookup (mtrr_lookup.c): a boot-time snapshot and Linux's mtrr_type_lookup() ---- */
#include "kernel/types.h"

/* Memory types as MTRRs encode them (Linux's uapi names). */
#define MTRR_TYPE_UNCACHABLE 0
#define MTRR_TYPE_WRCOMB 1
#define MTRR_TYPE_WRTHROUGH 4
#define MTRR_TYPE_WRPROT 5
#define MTRR_TYPE_WRBACK 6
#define MTRR_TYPE_INVALID 0xff /* MTRRs disabled, or nothing to look up */

#define MTRR_NUM_FIXED_RANGES 88 /* 8 x 64K, 16 x 16K, 64 x 4K below 1 MiB */
#define MTRR_MAX_VAR_RANGES 255 /* MTRRcap.VCNT is 8 bits */

/* The MSR values lookups are answered from, read once (Linux's mtrr_state). */
struct mtrr_snapshot {
	bool valid;	/* taken (CPU has MTRRs, or found to have none) */
	u64 cap;	/* MSR_MTRRcap, 0 without MTRRs */
	u64 def_type;	/* MSR_MTRRdefType, 0 without MTRRs: disabled */
	u8 fixed[MTRR_NUM_FIXED_RANGES]; /* type of each fixed range, ascending */
	unsigned int nr_var;	/* VCNT */
	struct {
		u64 base, mask;
	} var[MTRR_MAX_VAR_RANGES];
};

/*
 * Type of [start, end) under @s with Linux 6.x semantics; *uniform says
 * whether the range has that one type throughout. Pure: host-testable.
 */
u8 mtrr_snapshot_lookup(const struct mtrr_snapshot *s, u64 start, u64 end, u8 *uniform);

/* Print the variable ranges of @s as Linux's /proc/mtrr. */
void mtrr_snapshot_show(const struct mtrr_snapshot *s);

/* Read `mtrr=` (only `mtrr=show`: print /proc/mtrr at boot). */
void mtrr_parse_cmdline(void);

/* Take the boot snapshot (after identify_boot_cpu()); print it if asked. */
void mtrr_init(void);

/* The boot snapshot (valid == false before mtrr_init()). */
const struct mtrr_snapshot *mtrr_boot_snapshot(void);

/* mtrr_snapshot_lookup() on the boot snapshot; UC, not uniform, before mtrr_init(). */
u8 mtrr_type_lookup(u64 start, u64 end, u8 *uniform);

#endif /* ASM_MTRR_H */
