/* SPDX-License-Identifier: MIT */
/*
 * The vCPU loop: KVM_RUN, then dispatch each exit (serial, debug exit,
 * unhandled port and MMIO accesses, crashes) until the guest ends, the
 * watchdog fires or a signal asks the VMM to stop.
 */
#ifndef VMM_VCPU_RUN_H
#define VMM_VCPU_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "access_log.h"
#include "guest_mem.h"
#include "kvm.h"
#include "serial.h"

struct monitors;
struct memstat_dev;
struct pagetable_dump;

struct vcpu_run_ctx {
	struct kvm_vm *vm;
	const struct guest_mem *mem;
	struct serial serial;
	struct access_log access_log;
	uint64_t timeout_ms; /* 0: no watchdog */
	FILE *diag;          /* VMM messages (stderr) */
	uint64_t exits;      /* KVM_RUN returns, for -v */
	struct pagetable_dump *ptdump; /* --dump-pagetables; NULL: none */
	struct monitors *monitors; /* --monitor (mmio is fed from here); NULL: none */
	struct memstat_dev *memstat; /* the doorbell port's device; NULL: --no-memstat */
};

/* Run vCPU 0 to the end; returns the VMM's exit status (exit_codes.h). */
int vcpu_run(struct vcpu_run_ctx *ctx);

#endif /* VMM_VCPU_RUN_H */
