/* SPDX-License-Identifier: MIT */
/*
 * Requests to stop the VMM from outside the guest: the --timeout watchdog
 * and SIGINT/SIGTERM/SIGHUP. Armed before anything slow (ELF loading
 * included) and disarmed at exit.
 *
 * While the vCPU runs, a request sets kvm_run.immediate_exit so KVM_RUN
 * returns (KVM's race-free way) and the loop ends with a register dump.
 * Before the vCPU runs, or if the VMM does not react within a second (e.g.
 * blocked writing to a full pipe), the handler prints one line and exits
 * at once with the same status.
 */
#ifndef VMM_STOP_H
#define VMM_STOP_H

#include <linux/kvm.h>
#include <stdint.h>

#include "error.h"

enum stop_reason { STOP_NONE, STOP_TIMEOUT, STOP_SIGNAL };

/* Install the handlers and arm the watchdog (@timeout_ms 0: none). */
int stop_init(uint64_t timeout_ms, struct vmm_err *err);

/* From now on a request interrupts this vCPU instead of exiting. */
void stop_attach_run(struct kvm_run *run);
void stop_detach_run(void);

/* What has been requested; for STOP_SIGNAL, *@signo says which. */
enum stop_reason stop_requested(int *signo);

/* Disarm the watchdog. */
void stop_fini(void);

#endif /* VMM_STOP_H */
