/* SPDX-License-Identifier: MIT */
/*
 * Statistics records (docs/control.md): one JSON object that says what
 * the VM is doing now, from the guest (the memstat device), KVM and the
 * host monitors (--monitor), and the VMM itself. The --stats FILE writer
 * puts one per interval, and a final one, into a JSON Lines file;
 * query-stats on the control socket returns the same object.
 */
#ifndef VMM_STATS_OUT_H
#define VMM_STATS_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "guest_mem.h"

struct monitors;
struct memstat_dev;
struct vcpu_run_ctx;

/* --stats-interval: default and bounds, in milliseconds. */
#define STATS_INTERVAL_DEFAULT_MS 1000
#define STATS_INTERVAL_MIN_MS 10
#define STATS_INTERVAL_MAX_MS 3600000

/* Where a record's figures come from; NULL members are absent sections. */
struct stats_sources {
	const struct guest_mem *mem;
	struct vcpu_run_ctx *run;   /* exits, console bytes */
	struct monitors *mon;       /* --monitor; NULL or none running: no "monitors" */
	struct memstat_dev *dev;    /* the memstat device; NULL: no "guest" */
	uint64_t start_ns;          /* CLOCK_MONOTONIC when the vCPU was about to start */
};

/* Why the VMM ended, for the final record and the SHUTDOWN event. */
struct stats_end {
	int exit_status;
	const char *reason; /* QMP's ShutdownCause names: "guest-shutdown", ... */
	bool guest;         /* the guest asked for it */
};

/*
 * Build a record: {"seq", "final", "time": {"ms", "utc"}, "status",
 * "vmm": {...}, "guest": {...}, "monitors": {...}} and, if @end, "exit".
 * With @refresh, also ask the guest to publish fresh statistics (they show
 * in a later record). New reference; NULL only when out of memory.
 */
json_t *stats_record(const struct stats_sources *src, uint64_t seq, const struct stats_end *end,
		     bool refresh);

/* The --stats file. fd -1: none. */
struct stats_out {
	int fd;
	const char *path;
	uint64_t seq;       /* records written */
	bool failed;        /* a write failed: reported once, no more writes */
};

/* Open (create or truncate) @path; -1 with @err naming it and errno's text. */
int stats_out_open(struct stats_out *s, const char *path, struct vmm_err *err);

/*
 * Append @record as one line with one write(2) (a crash leaves whole lines).
 * Returns 0, or -1 with @err on the first failure (later calls do nothing).
 */
int stats_out_write(struct stats_out *s, json_t *record, struct vmm_err *err);

/* Close the file; safe when never opened. Returns -1 with @err if close fails. */
int stats_out_close(struct stats_out *s, struct vmm_err *err);

/* Milliseconds since @src->start_ns, and the wall clock as ISO 8601 UTC with ms. */
uint64_t stats_elapsed_ms(const struct stats_sources *src);
void stats_utc_now(char *buf, size_t len);

#endif /* VMM_STATS_OUT_H */
