/* SPDX-License-Identifier: MIT */
/*
 * Kernel page-table dump in the format of Linux's
 * /sys/kernel/debug/page_tables/kernel (guest/arch/x86/mm/ptdump.c): one
 * line per run of entries with the same flags at the same level, with
 * Linux's x86-64 region markers. `ptdump=kernel` prints it at the end of
 * the boot.
 */
#ifndef ASM_PTDUMP_H
#define ASM_PTDUMP_H

#include "kernel/types.h"

/* A buffer the dump is written into instead of the console. */
struct ptdump_buf {
	char *buf;
	size_t size;
	size_t len; /* bytes written, excluding the NUL */
	bool truncated; /* a line did not fit (buf stays NUL-terminated) */
};

/*
 * Dump the 4-level tables whose top table is at physical @pgd_pa (as in
 * CR3), into @out, or to the console if @out is NULL. Tables are read
 * through the boot identity map; one out of its reach (at or above
 * 4 GiB) is reported and shown as a leaf of the entry pointing to it.
 */
void ptdump_walk(phys_addr_t pgd_pa, struct ptdump_buf *out);

/* Read `ptdump=` (only `ptdump=kernel`) with the other parameters. */
void ptdump_parse_cmdline(void);

/* Print the current tables (from CR3) if `ptdump=kernel` asked for it. */
void ptdump_show(void);

#endif /* ASM_PTDUMP_H */
