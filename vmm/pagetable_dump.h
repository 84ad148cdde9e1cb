/* SPDX-License-Identifier: MIT */
/*
 * --dump-pagetables FILE: the guest's kernel page tables, walked from the
 * host (pagetable_walk.h) and written in exactly the format of the guest's
 * own `ptdump=kernel` (Linux's /sys/kernel/debug/page_tables/kernel, with
 * the region markers of shared/ptdump_markers.h). One section per dump:
 * one at each guest request (a write to PTDUMP_REQUEST_PORT) and one when
 * the guest's run ends. The file format is in docs/pagetable-dump.md.
 */
#ifndef VMM_PAGETABLE_DUMP_H
#define VMM_PAGETABLE_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "guest_mem.h"
#include "kvm.h"
#include "pagetable_walk.h"
#include "x86_cpu.h"

/*
 * Bounds on what a guest can make the VMM write: at most this many dump
 * lines in the whole file (a real dump is tens to thousands of lines; a
 * hostile one could alternate bits in every PTE), and at most this many
 * requests served; the rest are counted and said once on stderr.
 */
#define PTDUMP_FILE_MAX_LINES (1u << 20)
#define PTDUMP_MAX_REQUESTS 1024u

struct pagetable_dump {
	FILE *out;                    /* the dump file */
	const char *path;
	FILE *diag;                   /* problem lines go here too (stderr) */
	const struct guest_mem *mem;
	struct kvm_vm *vm;
	unsigned phys_bits;
	bool gbpages;
	unsigned requests;            /* guest requests seen */
	unsigned lines_left;          /* of PTDUMP_FILE_MAX_LINES */
	bool write_failed;            /* reported once */
	bool lines_reported;          /* PTDUMP_FILE_MAX_LINES reached (said once) */
	bool requests_reported;       /* PTDUMP_MAX_REQUESTS passed (said once) */
};

/*
 * Create (truncate) @path and remember what a dump needs: guest RAM, the
 * vCPU, and the CPU features the VMM gave the guest (@cpu). Returns 0, or
 * -1 with @err naming the file and the reason.
 */
int pagetable_dump_open(struct pagetable_dump *d, const char *path, const struct guest_mem *mem,
			struct kvm_vm *vm, const struct x86_cpu_info *cpu, FILE *diag,
			struct vmm_err *err);

/* The guest wrote @tag to PTDUMP_REQUEST_PORT: append a "request" section. */
void pagetable_dump_request(struct pagetable_dump *d, uint32_t tag);

/* The run ended with VMM status @status: append the "exit" section. */
void pagetable_dump_exit(struct pagetable_dump *d, int status);

/*
 * Close the file. Returns 0, or -1 with @err if anything written to it was
 * lost (a full disk shows here).
 */
int pagetable_dump_close(struct pagetable_dump *d, struct vmm_err *err);

/*
 * Walk the tables @cpu describes in @mem and write the dump lines (markers,
 * runs, problem lines) to @out, at most @max_lines of them, then one line
 * saying how many more there were; problem lines also go to @diag (if not
 * NULL) prefixed "vmm: ". *@lines (if not NULL) gets the number of lines
 * written. The building block of the sections above, and of the tests.
 */
struct pt_walk_result pagetable_dump_write(FILE *out, FILE *diag, const struct guest_mem *mem,
					   const struct pt_walk_cpu *cpu, unsigned max_lines,
					   unsigned *lines);

#endif /* VMM_PAGETABLE_DUMP_H */
