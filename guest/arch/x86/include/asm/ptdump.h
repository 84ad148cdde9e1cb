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
 * through the direct map (lowmem, once it is complete) or the boot
 * identity map (below 4 GiB); one out of both is reported and shown as a
 * leaf of the entry pointing to it.
 */
void ptdump_walk(phys_addr_t pgd_pa, struct ptdump_buf *out);

/* A dump line's address field: "0x" and 16 lower-case hex digits. */
#define PTDUMP_ADDR_LEN 18

/*
 * Parse the address field at @p (PTDUMP_ADDR_LEN characters, as the dump
 * writes them) into *@val; false if malformed. For code that reads a dump
 * back (the ptdump selftest, park=).
 */
bool ptdump_parse_addr(const char *p, unsigned long *val);

/* Read `ptdump=` (`ptdump=kernel` or `ptdump=kernel,request`) with the other parameters. */
void ptdump_parse_cmdline(void);

/*
 * Print the current tables (from CR3) if `ptdump=` asked for it; with
 * `ptdump=kernel,request`, then ask the VMM for its dump of the same
 * tables (ptdump_request_host_dump()).
 */
void ptdump_show(void);

/*
 * Ask the VMM to append its own walk of the current tables to its
 * --dump-pagetables file: one write of the request count (1, 2, ...) to
 * PTDUMP_REQUEST_PORT, announced on the console. Under a VMM that does
 * not listen (QEMU) the write goes nowhere.
 */
void ptdump_request_host_dump(void);

#endif /* ASM_PTDUMP_H */
