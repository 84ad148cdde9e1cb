/* SPDX-License-Identifier: MIT */
/*
 * Stop, resume and quit the vCPU from another thread (the control socket's
 * stop/cont/quit), and the vCPU's run state as other threads see it.
 *
 * How a stop reaches a vCPU that is inside KVM_RUN (KVM's race-free way,
 * Documentation/virt/kvm/api.rst, "immediate_exit"): the requesting thread
 * records the request, sets kvm_run.immediate_exit and sends the vCPU
 * thread VCPU_KICK_SIGNAL. Inside KVM_RUN the signal makes it return
 * EINTR; about to enter, immediate_exit makes it return EINTR at once. The
 * vCPU loop then calls vcpu_pause_point(), which parks the thread on a
 * condition variable until cont or quit. While parked it still wakes every
 * VCPU_PAUSE_POLL_MS to notice --timeout and stop signals (stop.c), which
 * set flags from a signal handler and cannot signal a condition variable.
 *
 * There is one vCPU, so the state is one object in vcpu_pause.c, like
 * stop.c's. Every function is thread-safe; vcpu_pause_kick() is also
 * async-signal-safe.
 */
#ifndef VMM_VCPU_PAUSE_H
#define VMM_VCPU_PAUSE_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Kicks the vCPU thread out of KVM_RUN; stop.c's watchdog uses SIGRTMIN. */
#define VCPU_KICK_SIGNAL (SIGRTMIN + 1)
/* How often a parked vCPU looks at stop.c's requests. */
#define VCPU_PAUSE_POLL_MS 20
/* How long stop/cont wait for the vCPU thread to park or leave. */
#define VCPU_PAUSE_WAIT_MS 1000

enum vcpu_state {
	VCPU_NOT_STARTED, /* before vcpu_pause_attach() */
	VCPU_RUNNING,
	VCPU_PAUSED,      /* parked in vcpu_pause_point() */
	VCPU_FINISHED,    /* after vcpu_pause_detach(): the guest has ended */
};

/* The VMM's exit status after quit: a clean exit, as QEMU's (docs/control.md). */
#define VCPU_QUIT_EXIT_STATUS 0

/* What the vCPU loop does after vcpu_pause_point(). */
enum vcpu_pause_action { VCPU_GO_ON, VCPU_QUIT };

/* The vCPU's counters, for statistics records. */
struct vcpu_pause_stats {
	enum vcpu_state state;
	uint64_t in_guest_ns; /* time spent inside KVM_RUN so far */
	uint64_t pauses;      /* times the vCPU parked */
	uint64_t kicks;       /* kick signals sent */
};

/* Install the kick signal's handler (no-op, SA_RESTART). Once, before any thread starts. */
int vcpu_pause_init(struct vmm_err *err);

/* vCPU thread, before its first KVM_RUN: this thread runs @run from now on. */
void vcpu_pause_attach(struct kvm_run *run);

/* vCPU thread, when the loop has ended: stop/cont now fail, waiters wake up. */
void vcpu_pause_detach(void);

/* vCPU thread, around KVM_RUN: accounts in_guest_ns. */
void vcpu_pause_enter_guest(void);
void vcpu_pause_leave_guest(void);

/*
 * vCPU thread, after KVM_RUN returned EINTR and stop.c had nothing to say:
 * park while a stop is requested, then re-arm immediate_exit for whatever
 * is still pending. Returns VCPU_QUIT when quit was requested.
 */
enum vcpu_pause_action vcpu_pause_point(struct kvm_run *run);

/*
 * Any thread: stop the vCPU and wait (VCPU_PAUSE_WAIT_MS at most) until it
 * is parked. Returns 1 if it was already paused, 0 once it is, or -1 with
 * @err (not started yet and did not start in time, finished, or did not
 * park in time; the request is then withdrawn).
 */
int vcpu_pause_stop(struct vmm_err *err);

/* Any thread: let a paused vCPU run on. 1: it was running, 0: resumed, -1 with @err. */
int vcpu_pause_cont(struct vmm_err *err);

/* Any thread: make the vCPU loop end (VCPU_QUIT), paused or not. */
void vcpu_pause_quit(void);

/* True once vcpu_pause_quit() was called. */
bool vcpu_pause_quit_requested(void);

/* Any thread: the state and counters now. */
void vcpu_pause_get_stats(struct vcpu_pause_stats *out);

/* "not-started", "running", "paused", "finished". */
const char *vcpu_state_name(enum vcpu_state state);

/* Signal handlers: interrupt the vCPU's KVM_RUN if called on another thread. */
void vcpu_pause_kick(void);

#endif /* VMM_VCPU_PAUSE_H */
