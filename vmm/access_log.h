/* SPDX-License-Identifier: MIT */
/*
 * Reporting of guest accesses nothing handles: port I/O to ports without a
 * device and MMIO to guest-physical addresses without a memslot (holes).
 * Each distinct address is reported once per direction, on one line, with size,
 * direction and RIP; after that it is only counted. The table is bounded:
 * a guest sweeping the address space cannot make the VMM grow without end.
 */
#ifndef VMM_ACCESS_LOG_H
#define VMM_ACCESS_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ACCESS_LOG_MAX_ADDRS 1024

enum access_kind { ACCESS_PIO, ACCESS_MMIO };

struct access_log {
	FILE *out;
	struct access_log_slot {
		uint64_t key; /* address, kind and direction; 0 = empty */
		uint64_t count;
	} slots[ACCESS_LOG_MAX_ADDRS * 2]; /* open addressing, at most half full */
	unsigned nr_addrs;
	uint64_t nr_unlogged; /* accesses to addresses beyond the table's capacity */
	uint64_t total;
	bool overflow_reported;
};

void access_log_init(struct access_log *log, FILE *out);

/*
 * Note one unhandled access. Returns true the first time a read (or a
 * write) of @addr of @kind is seen: the caller then prints the report with
 * access_log_report().
 */
bool access_log_note(struct access_log *log, enum access_kind kind, uint64_t addr, bool is_write);

/*
 * Print the one-line report: "unhandled MMIO read of 4 bytes at GPA 0x...
 * (hole) from RIP 0x...: reads return all ones". KVM exits on a read before
 * the instruction completes (RIP is the instruction) and on a write after
 * it (RIP is the next one), so writes say "next RIP".
 */
void access_log_report(struct access_log *log, enum access_kind kind, uint64_t addr,
		       unsigned size, bool is_write, uint64_t value, uint64_t rip,
		       const char *what);

/* End-of-run summary if anything was unhandled. */
void access_log_summary(const struct access_log *log);

#endif /* VMM_ACCESS_LOG_H */
