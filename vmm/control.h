/* SPDX-License-Identifier: MIT */
/*
 * The control protocol (--control PATH, docs/control.md), after QEMU's QMP:
 * a greeting, capabilities negotiation with qmp_capabilities, then
 * {"execute": NAME, "arguments": {...}, "id": ANY} answered by
 * {"return": ...} or {"error": {"class", "desc"}} (id echoed), and events
 * {"event", "timestamp": {"seconds", "microseconds"}, "data"}.
 *
 * This file is the dispatcher only: it turns one message (a line, no
 * socket) into one reply, which makes every error path testable on
 * in-memory JSON. Sockets, framing and limits are event_loop.c's.
 */
#ifndef VMM_CONTROL_H
#define VMM_CONTROL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats_out.h"

/* QMP's error classes this protocol uses. */
#define CONTROL_ERR_GENERIC "GenericError"
#define CONTROL_ERR_NOT_FOUND "CommandNotFound"

/* What the commands act on and report, and where events go. */
struct control_env {
	const struct stats_sources *src;
	uint64_t query_seq; /* query-stats replies so far: their "seq" */
	/* Send @event (borrowed) to every negotiated client; NULL: nobody. */
	void (*broadcast)(void *opaque, json_t *event);
	void *opaque;
};

/* One client's protocol state. */
struct control_session {
	bool negotiated; /* qmp_capabilities accepted */
};

/* {"QMP": {"version": {...}, "capabilities": []}}. New reference. */
json_t *control_greeting(void);

/*
 * Handle one message, @len bytes (its newline removed). Returns the reply
 * (new reference), or NULL for a blank line. NULL is also returned when
 * out of memory, which the caller treats as fatal for the client.
 */
json_t *control_handle(struct control_env *env, struct control_session *s, const char *msg,
		       size_t len);

/* {"error": {"class": @cls, "desc": ...}}. New reference. */
json_t *control_error(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* {"event": @name, "data": @data (stolen; NULL: none), "timestamp": now}. */
json_t *control_event(const char *name, json_t *data);

/* The SHUTDOWN reason for an exit status (exit_codes.h); @quit: the quit command ended it. */
struct stats_end control_end_reason(int exit_status, bool quit);

#endif /* VMM_CONTROL_H */
