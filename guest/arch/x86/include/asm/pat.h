/* SPDX-License-Identifier: MIT */
/*
 * The page attribute table (guest/arch/x86/mm/pat.c): programmed to
 * Linux's layout, and the conversion between cache modes and the PTE bits
 * (PWT, PCD, PAT) that select a PAT entry. The PAT bit is bit 7 in a 4 KiB
 * PTE and bit 12 in a 2 MiB entry, where bit 7 means "large page".
 */
#ifndef ASM_PAT_H
#define ASM_PAT_H

#include "kernel/types.h"

/* Linux's enum page_cache_mode. */
enum page_cache_mode {
	_PAGE_CACHE_MODE_WB,
	_PAGE_CACHE_MODE_WC,
	_PAGE_CACHE_MODE_UC_MINUS,
	_PAGE_CACHE_MODE_UC,
	_PAGE_CACHE_MODE_WT,
	_PAGE_CACHE_MODE_WP,
	_PAGE_CACHE_MODE_NUM,
};

/* WB WC UC- UC WB WP UC- WT: the layout Linux programs (pat_bp_init()). */
#define PAT_LINUX_VALUE 0x0407050600070106ull

/*
 * Program IA32_PAT to Linux's layout and read it back; false (and a
 * message) if the CPU has no PAT or the value does not stick.
 */
bool pat_init(void);

/* Whether pat_init() programmed the PAT (the conversions below need it). */
bool pat_enabled(void);

/* PTE bits (PWT/PCD/PAT) for @mode in a 4 KiB PTE, or a 2 MiB entry if @large. */
u64 cachemode2protval(enum page_cache_mode mode, bool large);

/* The cache mode the PWT/PCD/PAT bits of @prot select (4 KiB or 2 MiB entry). */
enum page_cache_mode pgprot2cachemode(u64 prot, bool large);

/* Linux's short name: "WB", "WC", "UC-", "UC", "WT", "WP". */
const char *cachemode_name(enum page_cache_mode mode);

/* "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  ..." for the current PAT. */
void pat_print_config(void);

#endif /* ASM_PAT_H */
