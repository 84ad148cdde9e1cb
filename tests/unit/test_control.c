/* SPDX-License-Identifier: MIT */
/*
 * The control protocol's dispatcher (vmm/control.c) on in-memory JSON, no
 * socket: every error path with QMP's class and text, capabilities
 * negotiation, id echoing, every command, and stop/cont/quit against a
 * fake vCPU thread that behaves as the real loop does (KVM_RUN "returns"
 * EINTR when immediate_exit is set) running vcpu_pause.c for real.
 *
 * The monitors and the memstat device are replaced by test doubles below
 * (their real code needs KVM); they return canned objects and count calls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../vmm/cli.h"
#include "../../vmm/control.h"
#include "../../vmm/exit_codes.h"
#include "../../vmm/memstat_dev.h"
#include "../../vmm/monitor.h"
#include "../../vmm/vcpu_pause.h"
#include "../../vmm/vcpu_run.h"

/* ------------------------------------------------------------ test doubles */

static int sample_calls, faults_calls, refresh_calls, snapshot_calls;

json_t *monitors_sample_json(struct monitors *m)
{
	(void)m;
	sample_calls++;
	return json_pack("{s:I,s:{s:[{s:I,s:I},{s:I,s:I}]}}", "time_ms", (json_int_t)5, "uffd",
			 "dimms", "gpa", (json_int_t)0, "touched_pages", (json_int_t)17, "gpa",
			 (json_int_t)0x999000, "touched_pages", (json_int_t)3);
}

json_t *monitors_faults_json(struct monitors *m)
{
	(void)m;
	faults_calls++;
	return json_pack("{s:{s:I}}", "uffd", "touched_pages", (json_int_t)17);
}

void memstat_dev_snapshot(struct memstat_dev *dev, struct memstat_snapshot *out)
{
	(void)dev;
	snapshot_calls++;
	memset(out, 0, sizeof(*out));
	out->stats_seq = 42;
}

json_t *memstat_dev_snapshot_json(const struct memstat_snapshot *s)
{
	return json_pack("{s:i}", "seq", (int)s->stats_seq);
}

int64_t memstat_dev_request_refresh(struct memstat_dev *dev)
{
	(void)dev;
	return ++refresh_calls;
}

/* The device doubles for memstat-set-period and memstat-ping: what to answer. */
static int64_t fake_post_ret;    /* id, 0 (header only) or -errno */
static int fake_wait_ret;        /* memstat_dev_wait_ack()'s return */
static int64_t fake_ack_result;  /* the ack's result */
static bool fake_ack_bad_echo;   /* the ack echoes something else */
static uint32_t last_period = 0xffffffff;
static uint64_t last_ping_arg;
static int wait_calls;

int64_t memstat_dev_set_period(struct memstat_dev *dev, uint32_t period_ms)
{
	(void)dev;
	last_period = period_ms;
	return fake_post_ret;
}

int64_t memstat_dev_ping(struct memstat_dev *dev, uint64_t arg)
{
	(void)dev;
	last_ping_arg = arg;
	return fake_post_ret;
}

int memstat_dev_wait_ack(struct memstat_dev *dev, uint32_t id, unsigned timeout_ms,
			 struct memstat_ack *ack)
{
	(void)dev;
	wait_calls++;
	assert_int_equal(id, fake_post_ret);
	assert_true(timeout_ms > 0);
	*ack = (struct memstat_ack){ .id = id, .result = fake_ack_result, .latency_ns = 777,
				     .arg = { (uint64_t)fake_ack_result,
					      last_ping_arg ^ fake_ack_bad_echo } };
	return fake_wait_ret;
}

/* ------------------------------------------------------------ fixture */

#define MAX_EVENTS 8

static struct guest_dimm dimms[2] = {
	{ .gpa = 0, .size = 0x40000000, .slot = 0 },
	{ .gpa = 0x100000000ull, .size = 0x200000, .slot = 1 },
};
static struct guest_mem mem = { .dimms = dimms, .nr = 2 };
static struct vcpu_run_ctx run_ctx = { .exits = 1234 };
static struct monitors mons;
static struct stats_sources src = { .mem = &mem, .run = &run_ctx };
static json_t *events[MAX_EVENTS];
static int nr_events;

static void capture(void *opaque, json_t *ev)
{
	assert_ptr_equal(opaque, &nr_events);
	assert_true(nr_events < MAX_EVENTS);
	events[nr_events++] = json_incref(ev);
}

static struct control_env env = { .src = &src, .broadcast = capture, .opaque = &nr_events };

static void clear_events(void)
{
	for (int i = 0; i < nr_events; i++)
		json_decref(events[i]);
	nr_events = 0;
}

/* The reply to @msg, as compact sorted JSON text (caller frees). */
static char *ask(struct control_session *s, const char *msg)
{
	json_t *r = control_handle(&env, s, msg, strlen(msg));
	char *text;

	assert_non_null(r);
	text = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(r);
	assert_non_null(text);
	return text;
}

#define EXPECT(s, msg, want)                                  \
	do {                                                  \
		char *got_ = ask((s), (msg));                 \
		assert_string_equal(got_, (want));            \
		free(got_);                                   \
	} while (0)

#define GENERIC(desc) "{\"error\":{\"class\":\"GenericError\",\"desc\":\"" desc "\"}}"
#define NOT_FOUND(desc) "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"" desc "\"}}"
#define NEED_CAPS NOT_FOUND("Expecting capabilities negotiation with 'qmp_capabilities'")
#define NEG "{\"execute\":\"qmp_capabilities\"}"

/* A session past negotiation. */
static struct control_session negotiated(void)
{
	struct control_session s = { 0 };

	EXPECT(&s, NEG, "{\"return\":{}}");
	assert_true(s.negotiated);
	return s;
}

/* ------------------------------------------------------------ tests */

static void test_greeting(void **state)
{
	json_t *g = control_greeting();
	char *t = json_dumps(g, JSON_COMPACT | JSON_SORT_KEYS);

	(void)state;
	assert_string_equal(t, "{\"QMP\":{\"capabilities\":[],\"version\":{\"package\":\"memlab "
			       VMM_VERSION "\",\"qemu\":{\"major\":0,\"micro\":0,\"minor\":1}}}}");
	free(t);
	json_decref(g);
}

static void test_blank_lines_are_ignored(void **state)
{
	struct control_session s = { 0 };

	(void)state;
	assert_null(control_handle(&env, &s, "", 0));
	assert_null(control_handle(&env, &s, " \t\r ", 4));
	/* A NUL byte is not whitespace: it is a parse error. */
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\"}", "{\"return\":{}}");
	json_t *r = control_handle(&env, &s, " \0 ", 3);
	assert_non_null(r);
	assert_non_null(json_object_get(r, "error"));
	json_decref(r);
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"{bad", "{\"execute\":", "\"unterminated", "nul", "{\"a\":1,\"a\":2}",
		"{\"execute\":\"x\"} {\"execute\":\"y\"}", "\xff\xfe", "[[[[[[[[[[[[[[",
		"{\"execute\":\"query-status\",\"id\":\"\\u0000\"}",
	};
	struct control_session s = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *r = control_handle(&env, &s, bad[i], strlen(bad[i]));
		json_t *e = json_object_get(r, "error");

		assert_non_null(e);
		assert_string_equal(json_string_value(json_object_get(e, "class")), "GenericError");
		assert_true(!strncmp(json_string_value(json_object_get(e, "desc")),
				     "JSON parse error, ", 18));
		/* No id: the message was never understood. */
		assert_null(json_object_get(r, "id"));
		json_decref(r);
	}
	assert_false(s.negotiated);
}

static void test_nesting_beyond_the_parser_depth(void **state)
{
	struct control_session s = { 0 };
	size_t n = 100000;
	char *deep = malloc(n);
	json_t *r;

	(void)state;
	memset(deep, '[', n);
	r = control_handle(&env, &s, deep, n);
	assert_non_null(json_object_get(r, "error"));
	json_decref(r);
	free(deep);
}

static void test_request_shape(void **state)
{
	struct control_session s = { 0 };

	(void)state;
	EXPECT(&s, "5", GENERIC("QMP input must be a JSON object"));
	EXPECT(&s, "[]", GENERIC("QMP input must be a JSON object"));
	EXPECT(&s, "null", GENERIC("QMP input must be a JSON object"));
	EXPECT(&s, "\"execute\"", GENERIC("QMP input must be a JSON object"));
	EXPECT(&s, "{}", GENERIC("QMP input lacks member 'execute'"));
	EXPECT(&s, "{\"id\":1}", "{\"error\":{\"class\":\"GenericError\",\"desc\":"
		   "\"QMP input lacks member 'execute'\"},\"id\":1}");
	EXPECT(&s, "{\"foo\":1}", GENERIC("QMP input member 'foo' is unexpected"));
	EXPECT(&s, "{\"execute\":\"stop\",\"exec-oob\":\"stop\"}",
	       GENERIC("QMP input member 'exec-oob' is unexpected"));
	EXPECT(&s, "{\"execute\":5}", GENERIC("QMP input member 'execute' must be a string"));
	EXPECT(&s, "{\"execute\":null}", GENERIC("QMP input member 'execute' must be a string"));
	EXPECT(&s, "{\"execute\":\"stop\",\"arguments\":[]}",
	       GENERIC("QMP input member 'arguments' must be an object"));
	EXPECT(&s, "{\"execute\":\"stop\",\"arguments\":null}",
	       GENERIC("QMP input member 'arguments' must be an object"));
	assert_false(s.negotiated);
}

static void test_negotiation_required_first(void **state)
{
	struct control_session s = { 0 };

	(void)state;
	EXPECT(&s, "{\"execute\":\"query-status\"}", NEED_CAPS);
	EXPECT(&s, "{\"execute\":\"quit\"}", NEED_CAPS);
	EXPECT(&s, "{\"execute\":\"stop\"}", NEED_CAPS);
	/* QEMU 7.2 answers unknown commands the same way before negotiation. */
	EXPECT(&s, "{\"execute\":\"no-such\"}", NEED_CAPS);
	EXPECT(&s, "{\"execute\":\"query-status\",\"id\":\"a\"}",
	       "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"Expecting capabilities "
	       "negotiation with 'qmp_capabilities'\"},\"id\":\"a\"}");
	assert_false(s.negotiated);
	assert_false(vcpu_pause_quit_requested());
}

static void test_qmp_capabilities_arguments(void **state)
{
	struct control_session s = { 0 };

	(void)state;
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":5}}",
	       GENERIC("Invalid parameter type for 'enable', expected: array"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":{}}}",
	       GENERIC("Invalid parameter type for 'enable', expected: array"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[1]}}",
	       GENERIC("Invalid parameter type for 'enable[0]', expected: string"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}",
	       GENERIC("Capability 'oob' not available"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"x\"]}}",
	       GENERIC("Parameter 'enable[0]' does not accept value 'x'"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"other\":[]}}",
	       GENERIC("Parameter 'other' is unexpected"));
	assert_false(s.negotiated);
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[]}}",
	       "{\"return\":{}}");
	assert_true(s.negotiated);
}

static void test_negotiation_happens_once(void **state)
{
	struct control_session s = negotiated();

	(void)state;
	EXPECT(&s, NEG, NOT_FOUND("Capabilities negotiation is already complete, command ignored"));
	EXPECT(&s, "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":5}}",
	       NOT_FOUND("Capabilities negotiation is already complete, command ignored"));
	assert_true(s.negotiated);
}

static void test_unknown_command(void **state)
{
	struct control_session s = negotiated();
	char msg[2100], want[400];

	(void)state;
	EXPECT(&s, "{\"execute\":\"no-such\"}", NOT_FOUND("The command no-such has not been found"));
	EXPECT(&s, "{\"execute\":\"\"}", NOT_FOUND("The command  has not been found"));
	EXPECT(&s, "{\"execute\":\"STOP\"}", NOT_FOUND("The command STOP has not been found"));
	/* A long name is cut in the description, not echoed whole. */
	snprintf(msg, sizeof(msg), "{\"execute\":\"%02000d\"}", 0);
	snprintf(want, sizeof(want), NOT_FOUND("The command %064d has not been found"), 0);
	EXPECT(&s, msg, want);
}

static void test_id_is_echoed_whatever_its_type(void **state)
{
	static const char *const ids[] = { "1", "-7", "\"x\"", "null", "true", "[1,{\"a\":[]}]",
					   "{\"k\":\"v\"}", "1.5" };
	struct control_session s = negotiated();
	char msg[200];

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(msg, sizeof(msg), "{\"id\":%s,\"execute\":\"query-commands\","
			 "\"arguments\":{}}", ids[i]);
		json_t *r = control_handle(&env, &s, msg, strlen(msg));
		json_t *want_id = json_loads(ids[i], JSON_DECODE_ANY, NULL);

		assert_true(json_is_array(json_object_get(r, "return")));
		assert_true(json_equal(json_object_get(r, "id"), want_id));
		json_decref(want_id);
		json_decref(r);
		snprintf(msg, sizeof(msg), "{\"execute\":\"nope\",\"id\":%s}", ids[i]);
		r = control_handle(&env, &s, msg, strlen(msg));
		want_id = json_loads(ids[i], JSON_DECODE_ANY, NULL);
		assert_non_null(json_object_get(r, "error"));
		assert_true(json_equal(json_object_get(r, "id"), want_id));
		json_decref(want_id);
		json_decref(r);
	}
}

static void test_commands_refuse_unknown_parameters(void **state)
{
	static const char *const cmds[] = { "query-commands", "query-status", "query-stats",
					    "query-faults", "query-dimms", "stop", "cont", "quit",
					    "memstat-ping", "memstat-set-period" };
	struct control_session s = negotiated();
	char msg[200];

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(msg, sizeof(msg), "{\"execute\":\"%s\",\"arguments\":{\"x\":1}}", cmds[i]);
		EXPECT(&s, msg, GENERIC("Parameter 'x' is unexpected"));
	}
	/* None of them ran. */
	assert_false(vcpu_pause_quit_requested());
	assert_int_equal(nr_events, 0);
}

static void test_query_commands(void **state)
{
	struct control_session s = negotiated();

	(void)state;
	EXPECT(&s, "{\"execute\":\"query-commands\"}",
	       "{\"return\":[{\"name\":\"qmp_capabilities\"},{\"name\":\"query-commands\"},"
	       "{\"name\":\"query-status\"},{\"name\":\"query-stats\"},{\"name\":\"query-faults\"},"
	       "{\"name\":\"query-dimms\"},{\"name\":\"stop\"},{\"name\":\"cont\"},"
	       "{\"name\":\"quit\"},{\"name\":\"memstat-set-period\"},"
	       "{\"name\":\"memstat-ping\"}]}");
}

#define SET_PERIOD(args) "{\"execute\":\"memstat-set-period\",\"arguments\":" args "}"
#define PING "{\"execute\":\"memstat-ping\"}"

/* memstat-set-period and memstat-ping: arguments, no device, posting, the ack. */
static void test_memstat_commands(void **state)
{
	struct control_session s = negotiated();

	(void)state;
	src.dev = NULL;
	EXPECT(&s, PING, GENERIC("no memstat device (the VMM runs with --no-memstat or "
				 "--e820-file)"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":5}"),
	       GENERIC("no memstat device (the VMM runs with --no-memstat or --e820-file)"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":5,\"x\":1}"), GENERIC("Parameter 'x' is unexpected"));
	src.dev = (struct memstat_dev *)&mons; /* any non-NULL handle */
	EXPECT(&s, SET_PERIOD("{}"), GENERIC("Parameter 'period-ms' is missing"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":\"5\"}"),
	       GENERIC("Invalid parameter type for 'period-ms', expected: integer"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":1.5}"),
	       GENERIC("Invalid parameter type for 'period-ms', expected: integer"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":-1}"),
	       GENERIC("Parameter 'period-ms' expects a value from 0 to 3600000 (milliseconds), "
		       "not -1"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":3600001}"),
	       GENERIC("Parameter 'period-ms' expects a value from 0 to 3600000 (milliseconds), "
		       "not 3600001"));
	EXPECT(&s, SET_PERIOD("{\"period-ms\":5,\"x\":1}"), GENERIC("Parameter 'x' is unexpected"));
	assert_int_equal(last_period, 0xffffffff); /* nothing reached the device */

	/* Refusals of the device, in words. */
	fake_post_ret = -ENODEV;
	EXPECT(&s, PING, GENERIC("cannot post PING: the memstat device is not running (driver "
				 "not at DRIVER_OK, or device FAILED)"));
	fake_post_ret = -ENOTSUP;
	EXPECT(&s, SET_PERIOD("{\"period-ms\":0}"),
	       GENERIC("cannot post SET_PERIOD 0 ms: the guest's driver did not take the command "
		       "ring"));
	assert_int_equal(last_period, 0);
	fake_post_ret = -EBUSY;
	EXPECT(&s, PING, GENERIC("cannot post PING: the memstat command ring is full"));
	assert_int_equal(wait_calls, 0);

	/* The vCPU has not started (nothing runs the guest): no wait, a clear error. */
	fake_post_ret = 9;
	EXPECT(&s, PING, GENERIC("PING posted as command 9, but the vCPU is not-started: the "
				 "guest acknowledges it when it runs"));
	/* Header only (no command ring): nothing to wait for. */
	fake_post_ret = 0;
	EXPECT(&s, SET_PERIOD("{\"period-ms\":250}"), "{\"return\":{}}");
	assert_int_equal(last_period, 250);
	assert_int_equal(wait_calls, 0);
	src.dev = NULL;
}

static void test_query_faults(void **state)
{
	struct control_session s = negotiated();

	(void)state;
	src.mon = NULL;
	EXPECT(&s, "{\"execute\":\"query-faults\"}", GENERIC("no monitor is running: start the "
	       "VMM with --monitor=uffd (or kvm-stats, dirty, mmio)"));
	src.mon = &mons;
	mons.mask = 0;
	EXPECT(&s, "{\"execute\":\"query-faults\"}", GENERIC("no monitor is running: start the "
	       "VMM with --monitor=uffd (or kvm-stats, dirty, mmio)"));
	assert_int_equal(faults_calls, 0);
	mons.mask = MONITOR_BIT(MONITOR_UFFD);
	EXPECT(&s, "{\"execute\":\"query-faults\"}", "{\"return\":{\"uffd\":{\"touched_pages\":17}}}");
	assert_int_equal(faults_calls, 1);
	src.mon = NULL;
	mons.mask = 0;
}

static void test_query_dimms(void **state)
{
	struct control_session s = negotiated();

	(void)state;
	EXPECT(&s, "{\"execute\":\"query-dimms\"}",
	       "{\"return\":[{\"gpa\":0,\"pages\":262144,\"size\":1073741824,\"slot\":0},"
	       "{\"gpa\":4294967296,\"pages\":512,\"size\":2097152,\"slot\":1}]}");
	/* With the uffd monitor: touched pages matched by GPA (the 0x999000 entry matches none). */
	src.mon = &mons;
	mons.mask = MONITOR_BIT(MONITOR_UFFD);
	EXPECT(&s, "{\"execute\":\"query-dimms\"}",
	       "{\"return\":[{\"gpa\":0,\"pages\":262144,\"size\":1073741824,\"slot\":0,"
	       "\"touched_pages\":17},"
	       "{\"gpa\":4294967296,\"pages\":512,\"size\":2097152,\"slot\":1}]}");
	src.mon = NULL;
	mons.mask = 0;
}

static void test_query_stats(void **state)
{
	struct control_session s = negotiated();
	json_t *r, *ret;
	int before = refresh_calls;

	(void)state;
	env.query_seq = 0;
	for (int i = 0; i < 3; i++) {
		r = control_handle(&env, &s, "{\"execute\":\"query-stats\"}", 25);
		ret = json_object_get(r, "return");
		assert_int_equal(json_integer_value(json_object_get(ret, "seq")), i);
		assert_true(json_is_false(json_object_get(ret, "final")));
		assert_int_equal(json_integer_value(json_object_get(json_object_get(ret, "vmm"),
								    "exits")), 1234);
		assert_null(json_object_get(ret, "guest"));
		assert_null(json_object_get(ret, "monitors"));
		assert_null(json_object_get(ret, "exit"));
		json_decref(r);
	}
	/* With the device and monitors: their sections, and a refresh asked each time. */
	src.dev = (struct memstat_dev *)&mons; /* any non-NULL handle: the doubles ignore it */
	src.mon = &mons;
	mons.mask = MONITOR_BIT(MONITOR_KVM_STATS);
	r = control_handle(&env, &s, "{\"execute\":\"query-stats\"}", 25);
	ret = json_object_get(r, "return");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ret, "guest"), "seq")),
			 42);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ret, "monitors"),
							    "time_ms")), 5);
	assert_int_equal(refresh_calls, before + 1);
	json_decref(r);
	src.dev = NULL;
	src.mon = NULL;
	mons.mask = 0;
}

/* Before any vCPU exists: prelaunch, and a stop that nobody can honour times out. */
static void test_status_and_stop_before_the_vcpu_starts(void **state)
{
	struct control_session s = negotiated();
	struct timespec t0, t1;
	long ms;

	(void)state;
	EXPECT(&s, "{\"execute\":\"query-status\"}",
	       "{\"return\":{\"running\":false,\"status\":\"prelaunch\"}}");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT(&s, "{\"execute\":\"stop\"}", GENERIC("the vCPU did not stop within 1000 ms "
	       "(state not-started)"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= VCPU_PAUSE_WAIT_MS - 50);
	assert_int_equal(nr_events, 0);
	/* The request was withdrawn: cont has nothing to do. */
	EXPECT(&s, "{\"execute\":\"cont\"}", "{\"return\":{}}");
	assert_int_equal(nr_events, 0);
}

/* ---------------------------------------------- a fake vCPU thread for stop/cont/quit */

static struct kvm_run *fake_run;
static volatile uint64_t fake_spins;
static volatile int fake_ended;

/* What vcpu_run() does, with KVM_RUN replaced by "spin until immediate_exit". */
static void *fake_vcpu(void *arg)
{
	(void)arg;
	vcpu_pause_attach(fake_run);
	for (;;) {
		vcpu_pause_enter_guest();
		while (!__atomic_load_n(&fake_run->immediate_exit, __ATOMIC_SEQ_CST)) {
			fake_spins++;
			usleep(100); /* a kick signal ends the sleep early, as it ends KVM_RUN */
		}
		vcpu_pause_leave_guest();
		if (vcpu_pause_point(fake_run) == VCPU_QUIT)
			break;
	}
	vcpu_pause_detach();
	fake_ended = 1;
	return NULL;
}

static char *event_name(int i)
{
	assert_true(i < nr_events);
	return (char *)json_string_value(json_object_get(events[i], "event"));
}

static void test_stop_cont_quit_with_a_vcpu(void **state)
{
	struct control_session s = negotiated();
	struct vcpu_pause_stats a, b;
	pthread_t t;
	uint64_t spins;

	(void)state;
	fake_run = calloc(1, sizeof(*fake_run));
	assert_non_null(fake_run);
	assert_int_equal(pthread_create(&t, NULL, fake_vcpu, NULL), 0);
	while (!fake_spins)
		usleep(1000);
	EXPECT(&s, "{\"execute\":\"query-status\"}",
	       "{\"return\":{\"running\":true,\"status\":\"running\"}}");

	EXPECT(&s, "{\"execute\":\"stop\",\"id\":1}", "{\"id\":1,\"return\":{}}");
	assert_int_equal(nr_events, 1);
	assert_string_equal(event_name(0), "STOP");
	EXPECT(&s, "{\"execute\":\"query-status\"}",
	       "{\"return\":{\"running\":false,\"status\":\"paused\"}}");
	/* Parked means parked: no spinning, no guest time. */
	vcpu_pause_get_stats(&a);
	spins = fake_spins;
	usleep(100000);
	vcpu_pause_get_stats(&b);
	assert_int_equal(fake_spins, spins);
	assert_int_equal(a.in_guest_ns, b.in_guest_ns);
	assert_int_equal(b.pauses, 1);
	assert_true(b.kicks >= 1);
	/* A second stop: nothing changes, no event. */
	EXPECT(&s, "{\"execute\":\"stop\"}", "{\"return\":{}}");
	assert_int_equal(nr_events, 1);

	EXPECT(&s, "{\"execute\":\"cont\"}", "{\"return\":{}}");
	assert_int_equal(nr_events, 2);
	assert_string_equal(event_name(1), "RESUME");
	EXPECT(&s, "{\"execute\":\"query-status\"}",
	       "{\"return\":{\"running\":true,\"status\":\"running\"}}");
	spins = fake_spins;
	usleep(50000);
	assert_true(fake_spins > spins);
	EXPECT(&s, "{\"execute\":\"cont\"}", "{\"return\":{}}");
	assert_int_equal(nr_events, 2);

	/* The memstat commands while the vCPU runs: they wait for the guest's ack. */
	src.dev = (struct memstat_dev *)&mons;
	fake_post_ret = 12;
	fake_wait_ret = 0;
	fake_ack_result = 0;
	EXPECT(&s, PING, "{\"return\":{\"id\":12,\"latency-ns\":777}}");
	assert_true(last_ping_arg != 0);
	EXPECT(&s, SET_PERIOD("{\"period-ms\":10}"), "{\"return\":{}}");
	assert_int_equal(last_period, 10);
	fake_ack_bad_echo = true;
	{
		/* The cookie changes per ping: compare up to the figures. */
		char *got = ask(&s, PING);

		assert_non_null(strstr(got, "the guest acknowledged PING (command 12) echoing 0x"));
		free(got);
	}
	fake_ack_bad_echo = false;
	fake_ack_result = -22;
	EXPECT(&s, SET_PERIOD("{\"period-ms\":7}"),
	       GENERIC("the guest refused SET_PERIOD 7 ms (command 12): error -22"));
	fake_ack_result = 0;
	fake_wait_ret = -ETIMEDOUT;
	EXPECT(&s, PING, GENERIC("the guest did not acknowledge PING (command 12) within "
				 "1000 ms"));
	fake_wait_ret = -ENODEV;
	EXPECT(&s, PING, GENERIC("the memstat device FAILED before the guest acknowledged PING "
				 "(command 12)"));
	fake_wait_ret = -ENOENT;
	EXPECT(&s, PING, GENERIC("PING (command 12) was dropped by a driver reset"));
	fake_wait_ret = 0;
	src.dev = NULL;
	assert_int_equal(nr_events, 2);

	/* Stop again, then quit while paused: the vCPU leaves its parking place. */
	EXPECT(&s, "{\"execute\":\"stop\"}", "{\"return\":{}}");
	EXPECT(&s, "{\"execute\":\"quit\"}", "{\"return\":{}}");
	assert_true(vcpu_pause_quit_requested());
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(fake_ended);
	EXPECT(&s, "{\"execute\":\"query-status\"}",
	       "{\"return\":{\"running\":false,\"status\":\"shutdown\"}}");
	EXPECT(&s, "{\"execute\":\"stop\"}", GENERIC("the guest is no longer running"));
	EXPECT(&s, "{\"execute\":\"cont\"}", GENERIC("the guest is no longer running"));
	assert_int_equal(nr_events, 3);
	clear_events();
	free(fake_run);
}

static void test_events(void **state)
{
	json_t *ev = control_event("SHUTDOWN", json_pack("{s:b}", "guest", 1));
	json_t *ts = json_object_get(ev, "timestamp");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "SHUTDOWN");
	assert_true(json_is_true(json_object_get(json_object_get(ev, "data"), "guest")));
	assert_true(json_integer_value(json_object_get(ts, "seconds")) > 1600000000);
	assert_in_range(json_integer_value(json_object_get(ts, "microseconds")), 0, 999999);
	json_decref(ev);
	ev = control_event("STOP", NULL);
	assert_null(json_object_get(ev, "data"));
	assert_int_equal(json_object_size(ev), 2);
	json_decref(ev);
}

static void test_end_reasons(void **state)
{
	static const struct {
		int status;
		bool quit;
		const char *reason;
		bool guest;
	} cases[] = {
		{ 0, false, "guest-shutdown", true },
		{ GUEST_EXIT_MAX, false, "guest-shutdown", true },
		{ 0, true, "host-qmp-quit", false },
		{ VMM_EXIT_GUEST_CRASH, false, "guest-panic", true },
		{ VMM_EXIT_GUEST_PROTOCOL, false, "guest-panic", true },
		{ VMM_EXIT_TIMEOUT, false, "host-signal", false },
		{ VMM_EXIT_SIGNAL_BASE + 15, false, "host-signal", false },
		{ VMM_EXIT_HOST_ERROR, false, "host-error", false },
		{ VMM_EXIT_USAGE, false, "host-error", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stats_end e = control_end_reason(cases[i].status, cases[i].quit);

		assert_string_equal(e.reason, cases[i].reason);
		assert_int_equal(e.guest, cases[i].guest);
		assert_int_equal(e.exit_status, cases[i].status);
	}
}

static int setup_all(void **state)
{
	(void)state;
	return vcpu_pause_init(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_blank_lines_are_ignored),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_beyond_the_parser_depth),
		cmocka_unit_test(test_request_shape),
		cmocka_unit_test(test_negotiation_required_first),
		cmocka_unit_test(test_qmp_capabilities_arguments),
		cmocka_unit_test(test_negotiation_happens_once),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_id_is_echoed_whatever_its_type),
		cmocka_unit_test(test_commands_refuse_unknown_parameters),
		cmocka_unit_test(test_query_commands),
		cmocka_unit_test(test_memstat_commands),
		cmocka_unit_test(test_query_faults),
		cmocka_unit_test(test_query_dimms),
		cmocka_unit_test(test_query_stats),
		cmocka_unit_test(test_status_and_stop_before_the_vcpu_starts),
		cmocka_unit_test(test_stop_cont_quit_with_a_vcpu),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_end_reasons),
	};

	return cmocka_run_group_tests(tests, setup_all, NULL);
}
