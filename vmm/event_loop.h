/* SPDX-License-Identifier: MIT */
/*
 * The VMM's event-loop thread: one epoll over the control socket
 * (--control, its listening socket and its clients) and a timerfd for the
 * statistics records (--stats, every --stats-interval). It starts just
 * before the vCPU and stops once the vCPU loop has ended; then the final
 * record and the SHUTDOWN event go out and everything is closed.
 *
 * The thread blocks every asynchronous signal, so SIGINT/SIGTERM and the
 * watchdog reach the vCPU (main) thread. Client sockets are non-blocking
 * with bounded buffers: no client can stall or grow the VMM.
 */
#ifndef VMM_EVENT_LOOP_H
#define VMM_EVENT_LOOP_H

#include "cli.h"
#include "error.h"
#include "stats_out.h"

/* Limits per client and in all (docs/control.md). */
#define CONTROL_MAX_CLIENTS 16
#define CONTROL_MSG_MAX (64 * 1024)          /* bytes in one message, newline excluded */
#define CONTROL_OUT_MAX (4 * 1024 * 1024)    /* replies and events not yet read */
#define CONTROL_LISTEN_BACKLOG 16
/* At exit: how long the SHUTDOWN event and last replies may take to drain. */
#define CONTROL_DRAIN_MS 200

struct event_loop;

/*
 * Before the VM starts: open the --stats file and bind the --control
 * socket (an existing socket nobody listens on is replaced; any other file
 * is refused; mode 0600). *@out stays NULL when neither option was given.
 * Returns 0, or an exit status (exit_codes.h) with @err.
 */
int event_loop_open(struct event_loop **out, const struct vmm_config *cfg, struct vmm_err *err);

/* Just before the vCPU runs: start the thread over @src (copied). -1 with @err. */
int event_loop_start(struct event_loop *l, const struct stats_sources *src, struct vmm_err *err);

/*
 * After the vCPU loop: stop the thread, write the final record (if the
 * loop was started), send SHUTDOWN, drain, close, remove the socket and
 * free @l (NULL is fine). Returns -1 with @err if records were lost.
 */
int event_loop_finish(struct event_loop *l, int exit_status, struct vmm_err *err);

#endif /* VMM_EVENT_LOOP_H */
