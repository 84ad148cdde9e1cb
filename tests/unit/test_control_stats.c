/* SPDX-License-Identifier: MIT */
/*
 * Statistics records and the --stats writer (vmm/stats_out.c): the record's
 * members and types, the sections that appear only with their source, the
 * final record, whole lines in the file, and refusals that name the path
 * and errno's text. The monitors and the memstat device are test doubles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/memstat_dev.h"
#include "../../vmm/monitor.h"
#include "../../vmm/stats_out.h"
#include "../../vmm/vcpu_run.h"

static int refreshes;

json_t *monitors_sample_json(struct monitors *m)
{
	(void)m;
	return json_pack("{s:{s:I}}", "kvm_stats", "exits", (json_int_t)99);
}

json_t *monitors_faults_json(struct monitors *m)
{
	(void)m;
	return json_object();
}

void memstat_dev_snapshot(struct memstat_dev *dev, struct memstat_snapshot *out)
{
	(void)dev;
	memset(out, 0, sizeof(*out));
	out->stats_updates = 7;
}

json_t *memstat_dev_snapshot_json(const struct memstat_snapshot *s)
{
	return json_pack("{s:I}", "updates", (json_int_t)s->stats_updates);
}

int64_t memstat_dev_request_refresh(struct memstat_dev *dev)
{
	(void)dev;
	return ++refreshes;
}

static struct vcpu_run_ctx run_ctx = { .exits = 10 };
static struct monitors mons;

static void test_record_members(void **state)
{
	struct stats_sources src = { .run = &run_ctx, .start_ns = 0 };
	json_t *r = stats_record(&src, 3, NULL, true), *t, *vmm;
	const char *utc;

	(void)state;
	assert_non_null(r);
	assert_int_equal(json_integer_value(json_object_get(r, "seq")), 3);
	assert_true(json_is_false(json_object_get(r, "final")));
	assert_string_equal(json_string_value(json_object_get(r, "status")), "not-started");
	t = json_object_get(r, "time");
	assert_true(json_is_integer(json_object_get(t, "ms")));
	utc = json_string_value(json_object_get(t, "utc"));
	assert_non_null(utc);
	/* 2026-11-23T16:05:01.123Z */
	assert_int_equal(strlen(utc), 24);
	assert_int_equal(utc[10], 'T');
	assert_int_equal(utc[19], '.');
	assert_int_equal(utc[23], 'Z');
	vmm = json_object_get(r, "vmm");
	assert_int_equal(json_integer_value(json_object_get(vmm, "exits")), 10);
	assert_true(json_is_integer(json_object_get(vmm, "in_guest_ns")));
	assert_true(json_is_integer(json_object_get(vmm, "console_bytes")));
	/* No device, no monitors: no such sections (absent, not empty). */
	assert_null(json_object_get(r, "guest"));
	assert_null(json_object_get(r, "monitors"));
	assert_null(json_object_get(r, "exit"));
	assert_int_equal(refreshes, 0);
	json_decref(r);
}

static void test_record_sections_with_sources(void **state)
{
	struct stats_sources src = { .run = &run_ctx, .mon = &mons,
				     .dev = (struct memstat_dev *)&mons };
	json_t *r;

	(void)state;
	mons.mask = 0;
	r = stats_record(&src, 0, NULL, true);
	assert_null(json_object_get(r, "monitors"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "guest"),
							    "updates")), 7);
	assert_int_equal(refreshes, 1);
	json_decref(r);
	mons.mask = MONITOR_BIT(MONITOR_KVM_STATS);
	r = stats_record(&src, 1, NULL, false);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(r, "monitors"), "kvm_stats"), "exits")), 99);
	assert_int_equal(refreshes, 1);
	json_decref(r);
	mons.mask = 0;
}

static void test_final_record(void **state)
{
	struct stats_sources src = { .run = &run_ctx };
	struct stats_end end = { .exit_status = 72, .reason = "guest-panic", .guest = true };
	json_t *r = stats_record(&src, 9, &end, false);
	char *t = json_dumps(json_object_get(r, "exit"), JSON_COMPACT | JSON_SORT_KEYS);

	(void)state;
	assert_true(json_is_true(json_object_get(r, "final")));
	assert_string_equal(t, "{\"guest\":true,\"reason\":\"guest-panic\",\"status\":72}");
	free(t);
	json_decref(r);
}

static void test_writer_lines(void **state)
{
	char path[] = "/tmp/test_control_stats_XXXXXX";
	struct stats_out s;
	struct vmm_err err = { "" };
	char buf[4096];
	json_t *rec;
	ssize_t n;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stats_out_open(&s, path, &err), 0);
	for (int i = 0; i < 3; i++) {
		/* A string with a newline must stay inside its line (escaped). */
		rec = json_pack("{s:i,s:s}", "seq", i, "note", "a\nb");
		assert_int_equal(stats_out_write(&s, rec, &err), 0);
		json_decref(rec);
	}
	assert_int_equal(s.seq, 3);
	assert_int_equal(stats_out_close(&s, &err), 0);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "{\"seq\":0,\"note\":\"a\\nb\"}\n{\"seq\":1,\"note\":\"a\\nb\"}\n"
				 "{\"seq\":2,\"note\":\"a\\nb\"}\n");
}

static void test_open_refusals(void **state)
{
	struct stats_out s;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(stats_out_open(&s, "/", &err), -1);
	assert_string_equal(err.msg, "cannot open --stats file '/': Is a directory");
	assert_int_equal(stats_out_open(&s, "/nonexistent-dir/x", &err), -1);
	assert_string_equal(err.msg,
			    "cannot open --stats file '/nonexistent-dir/x': No such file or directory");
	assert_int_equal(stats_out_close(&s, &err), 0);
}

static void test_write_failure_reported_once(void **state)
{
	struct stats_out s;
	struct vmm_err err = { "" };
	json_t *rec = json_pack("{s:i}", "seq", 0);

	(void)state;
	/* /dev/full: every write fails with ENOSPC. */
	assert_int_equal(stats_out_open(&s, "/dev/full", &err), 0);
	assert_int_equal(stats_out_write(&s, rec, &err), -1);
	assert_string_equal(err.msg, "writing --stats file '/dev/full' failed at record 0: "
				     "No space left on device; no more records");
	assert_true(s.failed);
	strcpy(err.msg, "unchanged");
	assert_int_equal(stats_out_write(&s, rec, &err), 0);
	assert_string_equal(err.msg, "unchanged");
	assert_int_equal(s.seq, 0);
	stats_out_close(&s, &err);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_members),
		cmocka_unit_test(test_record_sections_with_sources),
		cmocka_unit_test(test_final_record),
		cmocka_unit_test(test_writer_lines),
		cmocka_unit_test(test_open_refusals),
		cmocka_unit_test(test_write_failure_reported_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
