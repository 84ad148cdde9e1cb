/* SPDX-License-Identifier: MIT */
#include "stats_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memstat_dev.h"
#include "monitor.h"
#include "vcpu_pause.h"
#include "vcpu_run.h"

#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define MSEC_PER_SEC 1000
/* "2026-11-23T16:05:01.123Z" and room to spare. */
#define UTC_LEN 40
/* The --stats file's mode before umask, as for any output file. */
#define STATS_FILE_MODE 0644

/* CLOCK_MONOTONIC in ns: record times do not jump with the wall clock. */
static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t stats_elapsed_ms(const struct stats_sources *src)
{
	uint64_t now = mono_ns();

	return now > src->start_ns ? (now - src->start_ns) / NSEC_PER_MSEC : 0;
}

void stats_utc_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (!gmtime_r(&ts.tv_sec, &tm) || !(n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / (long)NSEC_PER_MSEC);
}

/* The VMM's own counters: exits, console bytes, time in the guest, pauses. */
static json_t *vmm_json(const struct stats_sources *src, const struct vcpu_pause_stats *ps)
{
	uint64_t exits = 0, console = 0;

	if (src->run) {
		/* Written by the vCPU thread; aligned 64-bit loads, relaxed. */
		exits = __atomic_load_n(&src->run->exits, __ATOMIC_RELAXED);
		console = __atomic_load_n(&src->run->serial.bytes_out, __ATOMIC_RELAXED);
	}
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "exits", (json_int_t)exits,
			 "console_bytes", (json_int_t)console,
			 "in_guest_ns", (json_int_t)ps->in_guest_ns,
			 "pauses", (json_int_t)ps->pauses, "kicks", (json_int_t)ps->kicks);
}

/* The guest's statistics through the memstat device; NULL if there is none. */
static json_t *guest_json(struct memstat_dev *dev, bool refresh)
{
	struct memstat_snapshot *snap;
	json_t *o;

	if (!dev)
		return NULL;
	/* About 8 KiB: not on the event loop's stack. */
	snap = malloc(sizeof(*snap));
	if (!snap)
		return NULL;
	memstat_dev_snapshot(dev, snap);
	o = memstat_dev_snapshot_json(snap);
	free(snap);
	/* After the copy: the answer lands in a later record; errors just mean no refresh. */
	if (refresh)
		(void)memstat_dev_request_refresh(dev);
	return o;
}

json_t *stats_record(const struct stats_sources *src, uint64_t seq, const struct stats_end *end,
		     bool refresh)
{
	struct vcpu_pause_stats ps;
	char utc[UTC_LEN];
	json_t *rec, *part;

	vcpu_pause_get_stats(&ps);
	stats_utc_now(utc, sizeof(utc));
	rec = json_pack("{s:I,s:b,s:{s:I,s:s},s:s}", "seq", (json_int_t)seq, "final", end != NULL,
			"time", "ms", (json_int_t)stats_elapsed_ms(src), "utc", utc,
			"status", vcpu_state_name(ps.state));
	if (!rec)
		return NULL;
	if (json_object_set_new(rec, "vmm", vmm_json(src, &ps)) < 0)
		goto oom;
	part = guest_json(src->dev, refresh);
	if (src->dev && (!part || json_object_set_new(rec, "guest", part) < 0))
		goto oom;
	if (src->mon && src->mon->mask) {
		part = monitors_sample_json(src->mon);
		if (!part || json_object_set_new(rec, "monitors", part) < 0)
			goto oom;
	}
	if (end) {
		part = json_pack("{s:i,s:s,s:b}", "status", end->exit_status, "reason",
				 end->reason, "guest", end->guest);
		if (!part || json_object_set_new(rec, "exit", part) < 0)
			goto oom;
	}
	return rec;
oom:
	json_decref(rec);
	return NULL;
}

int stats_out_open(struct stats_out *s, const char *path, struct vmm_err *err)
{
	s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, STATS_FILE_MODE);
	s->path = path;
	s->seq = 0;
	s->failed = false;
	if (s->fd < 0)
		return err_set(err, "cannot open --stats file '%s': %s", path, strerror(errno));
	return 0;
}

int stats_out_write(struct stats_out *s, json_t *record, struct vmm_err *err)
{
	char *line;
	size_t len, done = 0;
	ssize_t n;
	int rc = 0;

	if (s->fd < 0 || s->failed)
		return 0;
	line = json_dumps(record, JSON_COMPACT);
	if (!line) {
		s->failed = true;
		return err_set(err, "--stats file '%s': out of memory formatting record %llu",
			       s->path, (unsigned long long)s->seq);
	}
	/* json_dumps() never emits a raw newline: the record is exactly one line. */
	len = strlen(line);
	line[len] = '\n';
	len++;
	while (done < len) {
		n = write(s->fd, line + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->failed = true;
			rc = err_set(err, "writing --stats file '%s' failed at record %llu: %s; "
					  "no more records", s->path, (unsigned long long)s->seq,
				     n < 0 ? strerror(errno) : "no progress");
			break;
		}
		done += (size_t)n;
	}
	if (!rc)
		s->seq++;
	free(line);
	return rc;
}

int stats_out_close(struct stats_out *s, struct vmm_err *err)
{
	int rc = 0;

	if (s->fd >= 0 && close(s->fd) < 0)
		rc = err_set(err, "closing --stats file '%s': %s", s->path, strerror(errno));
	s->fd = -1;
	return rc;
}
