/* SPDX-License-Identifier: MIT */
/*
 * The control protocol's dispatcher. Messages and error texts follow what
 * QEMU 7.2's QMP answers to the same input (checked with
 * `qemu-system-x86_64 -M none -qmp stdio`), so QMP clients and habits
 * carry over; docs/control.md lists every command and decision.
 */
#include "control.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <time.h>

#include "cli.h"
#include "exit_codes.h"
#include "memstat_dev.h"
#include "monitor.h"
#include "vcpu_pause.h"

#define DESC_MAX 300
/*
 * How long memstat-set-period and memstat-ping wait for the guest's ack.
 * Measured: a command round trip takes 5 to 30 ms here (docs/memstat-device.md);
 * the event loop serves nobody meanwhile, as during stop's wait.
 */
#define MEMSTAT_ACK_TIMEOUT_MS 1000

/* A command's outcome: a result, or an error class and text. */
struct cmd_call {
	struct control_env *env;
	struct control_session *s;
	json_t *args;      /* borrowed; NULL when the message had none */
	const char *cls;   /* set on error */
	char desc[DESC_MAX];
};

typedef json_t *(*cmd_fn)(struct cmd_call *c);

struct command {
	const char *name;
	cmd_fn fn;
};

/* Record an error for the reply; returns NULL for the handler to return. */
static void *cmd_fail(struct cmd_call *c, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void *cmd_fail(struct cmd_call *c, const char *cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->desc, sizeof(c->desc), fmt, ap);
	va_end(ap);
	c->cls = cls;
	return NULL;
}

/* Commands without parameters refuse any, as QMP does. */
static bool no_params(struct cmd_call *c)
{
	const char *key;
	json_t *v;

	json_object_foreach(c->args, key, v) {
		cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter '%.64s' is unexpected", key);
		return false;
	}
	return true;
}

/* qmp_capabilities [enable: [QMPCapability]]: no capability is offered. */
static json_t *cmd_qmp_capabilities(struct cmd_call *c)
{
	const char *key;
	json_t *v, *enable = NULL, *cap;
	size_t i;

	json_object_foreach(c->args, key, v) {
		if (strcmp(key, "enable"))
			return cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter '%.64s' is unexpected", key);
		enable = v;
	}
	if (c->s->negotiated)
		return cmd_fail(c, CONTROL_ERR_NOT_FOUND,
				"Capabilities negotiation is already complete, command ignored");
	if (enable && !json_is_array(enable))
		return cmd_fail(c, CONTROL_ERR_GENERIC,
				"Invalid parameter type for 'enable', expected: array");
	json_array_foreach(enable, i, cap) {
		if (!json_is_string(cap))
			return cmd_fail(c, CONTROL_ERR_GENERIC,
					"Invalid parameter type for 'enable[%zu]', expected: string", i);
		/* QMP knows "oob"; this server offers neither it nor anything else. */
		if (!strcmp(json_string_value(cap), "oob"))
			return cmd_fail(c, CONTROL_ERR_GENERIC, "Capability 'oob' not available");
		return cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter 'enable[%zu]' does not accept "
				"value '%.64s'", i, json_string_value(cap));
	}
	c->s->negotiated = true;
	return json_object();
}

static json_t *cmd_query_commands(struct cmd_call *c);

/* QMP's RunState names for the vCPU's states. */
static const char *run_state(enum vcpu_state st)
{
	switch (st) {
	case VCPU_NOT_STARTED:
		return "prelaunch";
	case VCPU_RUNNING:
		return "running";
	case VCPU_PAUSED:
		return "paused";
	case VCPU_FINISHED:
		return "shutdown";
	}
	return "?";
}

/* query-status: QMP's {"running", "status"}. */
static json_t *cmd_query_status(struct cmd_call *c)
{
	struct vcpu_pause_stats ps;

	if (!no_params(c))
		return NULL;
	vcpu_pause_get_stats(&ps);
	return json_pack("{s:b,s:s}", "running", ps.state == VCPU_RUNNING, "status",
			 run_state(ps.state));
}

/* query-stats: a statistics record, numbered apart from the --stats file's. */
static json_t *cmd_query_stats(struct cmd_call *c)
{
	if (!no_params(c))
		return NULL;
	return stats_record(c->env->src, c->env->query_seq++, NULL, true);
}

/* True if @mon runs at least one monitor. */
static bool monitors_running(const struct monitors *mon)
{
	return mon && mon->mask;
}

/* query-faults: the monitors' fault figures; an error when none runs. */
static json_t *cmd_query_faults(struct cmd_call *c)
{
	if (!no_params(c))
		return NULL;
	if (!monitors_running(c->env->src->mon))
		return cmd_fail(c, CONTROL_ERR_GENERIC, "no monitor is running: start the VMM "
				"with --monitor=uffd (or kvm-stats, dirty, mmio)");
	return monitors_faults_json(c->env->src->mon);
}

/* The uffd monitor's per-DIMM entry for the DIMM at @gpa in @sample, or NULL. */
static json_t *uffd_dimm(json_t *sample, uint64_t gpa)
{
	json_t *dimms = json_object_get(json_object_get(sample, "uffd"), "dimms"), *d;
	size_t i;

	json_array_foreach(dimms, i, d) {
		json_t *g = json_object_get(d, "gpa");

		if (json_is_integer(g) && (uint64_t)json_integer_value(g) == gpa)
			return d;
	}
	return NULL;
}

/* query-dimms: the memslots, with touched pages when the uffd monitor counts them. */
static json_t *cmd_query_dimms(struct cmd_call *c)
{
	const struct guest_mem *mem = c->env->src->mem;
	json_t *list, *sample = NULL, *d, *touched;

	if (!no_params(c))
		return NULL;
	list = json_array();
	if (!list)
		return NULL;
	if (monitors_running(c->env->src->mon))
		sample = monitors_sample_json(c->env->src->mon);
	for (unsigned i = 0; mem && i < mem->nr; i++) {
		const struct guest_dimm *g = &mem->dimms[i];

		d = json_pack("{s:i,s:I,s:I,s:I}", "slot", (int)g->slot, "gpa", (json_int_t)g->gpa,
			      "size", (json_int_t)g->size, "pages",
			      (json_int_t)(g->size / PAGE_SIZE_4K));
		if (!d || json_array_append_new(list, d) < 0) {
			json_decref(list);
			list = NULL;
			break;
		}
		touched = json_object_get(uffd_dimm(sample, g->gpa), "touched_pages");
		if (touched)
			json_object_set(d, "touched_pages", touched);
	}
	json_decref(sample);
	return list;
}

/* stop and cont: tell every client when the state really changed. */
static json_t *run_state_change(struct cmd_call *c, bool stop)
{
	struct vmm_err err = { "" };
	int rc;

	if (!no_params(c))
		return NULL;
	rc = stop ? vcpu_pause_stop(&err) : vcpu_pause_cont(&err);
	if (rc < 0)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "%s", err.msg);
	if (rc == 0 && c->env->broadcast) {
		json_t *ev = control_event(stop ? "STOP" : "RESUME", NULL);

		if (ev)
			c->env->broadcast(c->env->opaque, ev);
		json_decref(ev);
	}
	return json_object();
}

/* stop: park the vCPU (QMP's stop). */
static json_t *cmd_stop(struct cmd_call *c)
{
	return run_state_change(c, true);
}

/* cont: let it run again (QMP's cont). */
static json_t *cmd_cont(struct cmd_call *c)
{
	return run_state_change(c, false);
}

/* The memstat device, or NULL with @c failed (the VMM runs without one). */
static struct memstat_dev *memstat_of(struct cmd_call *c)
{
	if (!c->env->src->dev)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "no memstat device (the VMM runs with "
				"--no-memstat or --e820-file)");
	return c->env->src->dev;
}

/* A command the device refused to post (-errno), in words. */
static void *post_failed(struct cmd_call *c, const char *what, int64_t err)
{
	switch (err) {
	case -ENODEV:
		return cmd_fail(c, CONTROL_ERR_GENERIC, "cannot post %s: the memstat device is not "
				"running (driver not at DRIVER_OK, or device FAILED)", what);
	case -ENOTSUP:
		return cmd_fail(c, CONTROL_ERR_GENERIC, "cannot post %s: the guest's driver did not "
				"take the command ring", what);
	case -EBUSY:
		return cmd_fail(c, CONTROL_ERR_GENERIC, "cannot post %s: the memstat command ring "
				"is full", what);
	default:
		return cmd_fail(c, CONTROL_ERR_GENERIC, "cannot post %s: %s", what,
				strerror((int)-err));
	}
}

/*
 * Wait for the ack of command @id (posted as @what). NULL with @c failed
 * when none comes: a paused vCPU cannot answer, so then the wait is skipped.
 */
static bool wait_ack(struct cmd_call *c, const char *what, int64_t id, struct memstat_ack *ack)
{
	struct vcpu_pause_stats ps;
	int ret;

	vcpu_pause_get_stats(&ps);
	if (ps.state != VCPU_RUNNING) {
		cmd_fail(c, CONTROL_ERR_GENERIC, "%s posted as command %" PRId64 ", but the vCPU is "
			 "%s: the guest acknowledges it when it runs", what, id,
			 vcpu_state_name(ps.state));
		return false;
	}
	ret = memstat_dev_wait_ack(c->env->src->dev, (uint32_t)id, MEMSTAT_ACK_TIMEOUT_MS, ack);
	if (ret == -ETIMEDOUT)
		cmd_fail(c, CONTROL_ERR_GENERIC, "the guest did not acknowledge %s (command %" PRId64
			 ") within %d ms", what, id, MEMSTAT_ACK_TIMEOUT_MS);
	else if (ret == -ENODEV)
		cmd_fail(c, CONTROL_ERR_GENERIC, "the memstat device FAILED before the guest "
			 "acknowledged %s (command %" PRId64 ")", what, id);
	else if (ret < 0)
		cmd_fail(c, CONTROL_ERR_GENERIC, "%s (command %" PRId64 ") was dropped by a driver "
			 "reset", what, id);
	else if (ack->result)
		cmd_fail(c, CONTROL_ERR_GENERIC, "the guest refused %s (command %" PRId64
			 "): error %" PRId64, what, id, ack->result);
	return ret == 0 && !ack->result;
}

/*
 * memstat-set-period {"period-ms": N}: the guest's publication period (0:
 * on request only). The device header always takes it; a driver with the
 * command ring gets MEMSTAT_CMD_SET_PERIOD and the reply waits for its ack.
 */
static json_t *cmd_memstat_set_period(struct cmd_call *c)
{
	struct memstat_dev *dev;
	json_t *v = NULL, *val;
	struct memstat_ack ack;
	const char *key;
	char what[64];
	json_int_t ms;
	int64_t id;

	json_object_foreach(c->args, key, val) {
		if (strcmp(key, "period-ms"))
			return cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter '%.64s' is unexpected", key);
		v = val;
	}
	if (!v)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter 'period-ms' is missing");
	if (!json_is_integer(v))
		return cmd_fail(c, CONTROL_ERR_GENERIC,
				"Invalid parameter type for 'period-ms', expected: integer");
	ms = json_integer_value(v);
	if (ms < 0 || ms > MEMSTAT_DEV_PERIOD_MAX_MS)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "Parameter 'period-ms' expects a value "
				"from 0 to %u (milliseconds), not %" JSON_INTEGER_FORMAT,
				MEMSTAT_DEV_PERIOD_MAX_MS, ms);
	dev = memstat_of(c);
	if (!dev)
		return NULL;
	snprintf(what, sizeof(what), "SET_PERIOD %" JSON_INTEGER_FORMAT " ms", ms);
	id = memstat_dev_set_period(dev, (uint32_t)ms);
	if (id < 0)
		return post_failed(c, what, id);
	if (id > 0 && !wait_ack(c, what, id, &ack))
		return NULL;
	return json_object();
}

/* A PING argument nobody can guess, so an ack echoing it is this ping's. */
static uint64_t ping_cookie(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) ^ 0x6d656d737461742eull;
}

/* memstat-ping: a MEMSTAT_CMD_PING round trip through the guest's driver. */
static json_t *cmd_memstat_ping(struct cmd_call *c)
{
	struct memstat_dev *dev;
	struct memstat_ack ack;
	uint64_t cookie = ping_cookie();
	int64_t id;

	if (!no_params(c) || !(dev = memstat_of(c)))
		return NULL;
	id = memstat_dev_ping(dev, cookie);
	if (id < 0)
		return post_failed(c, "PING", id);
	if (!wait_ack(c, "PING", id, &ack))
		return NULL;
	if (ack.arg[1] != cookie)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "the guest acknowledged PING (command %"
				PRId64 ") echoing 0x%" PRIx64 ", not 0x%" PRIx64, id, ack.arg[1],
				cookie);
	return json_pack("{s:I,s:I}", "id", (json_int_t)id, "latency-ns",
			 (json_int_t)ack.latency_ns);
}

/* The VMM ends with status 0 once the vCPU has left; SHUTDOWN follows the reply. */
static json_t *cmd_quit(struct cmd_call *c)
{
	if (!no_params(c))
		return NULL;
	vcpu_pause_quit();
	return json_object();
}

static const struct command commands[] = {
	{ "qmp_capabilities", cmd_qmp_capabilities },
	{ "query-commands", cmd_query_commands },
	{ "query-status", cmd_query_status },
	{ "query-stats", cmd_query_stats },
	{ "query-faults", cmd_query_faults },
	{ "query-dimms", cmd_query_dimms },
	{ "stop", cmd_stop },
	{ "cont", cmd_cont },
	{ "quit", cmd_quit },
	{ "memstat-set-period", cmd_memstat_set_period },
	{ "memstat-ping", cmd_memstat_ping },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* query-commands: every name in the table, as QMP lists them. */
static json_t *cmd_query_commands(struct cmd_call *c)
{
	json_t *list;

	if (!no_params(c))
		return NULL;
	list = json_array();
	for (size_t i = 0; list && i < NR_COMMANDS; i++) {
		if (json_array_append_new(list, json_pack("{s:s}", "name", commands[i].name)) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* The table entry for @name, or NULL. */
static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

json_t *control_error(const char *cls, const char *fmt, ...)
{
	char desc[DESC_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	return json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", desc);
}

json_t *control_event(const char *name, json_t *data)
{
	struct timeval tv;
	json_t *ev;

	gettimeofday(&tv, NULL);
	ev = json_pack("{s:s,s:{s:I,s:I}}", "event", name, "timestamp", "seconds",
		       (json_int_t)tv.tv_sec, "microseconds", (json_int_t)tv.tv_usec);
	if (ev && data)
		json_object_set(ev, "data", data);
	json_decref(data);
	return ev;
}

json_t *control_greeting(void)
{
	return json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[]}}", "QMP", "version", "qemu", "major",
			 VMM_VERSION_MAJOR, "minor", VMM_VERSION_MINOR, "micro", VMM_VERSION_MICRO,
			 "package", VMM_PROJECT " " VMM_VERSION, "capabilities");
}

/* True if the message is only JSON whitespace: such lines are ignored. */
static bool blank(const char *msg, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", msg[i]) || !msg[i])
			return false;
	return true;
}

/* Check the request's shape as QMP does; returns the command name, or NULL with @c failed. */
static const char *check_request(struct cmd_call *c, json_t *req)
{
	const char *key;
	json_t *v, *exec, *args;

	if (!json_is_object(req))
		return cmd_fail(c, CONTROL_ERR_GENERIC, "QMP input must be a JSON object");
	json_object_foreach(req, key, v) {
		if (strcmp(key, "execute") && strcmp(key, "arguments") && strcmp(key, "id"))
			return cmd_fail(c, CONTROL_ERR_GENERIC, "QMP input member '%.64s' is "
					"unexpected", key);
	}
	exec = json_object_get(req, "execute");
	if (!exec)
		return cmd_fail(c, CONTROL_ERR_GENERIC, "QMP input lacks member 'execute'");
	if (!json_is_string(exec))
		return cmd_fail(c, CONTROL_ERR_GENERIC, "QMP input member 'execute' must be a string");
	args = json_object_get(req, "arguments");
	if (args && !json_is_object(args))
		return cmd_fail(c, CONTROL_ERR_GENERIC,
				"QMP input member 'arguments' must be an object");
	c->args = args;
	return json_string_value(exec);
}

json_t *control_handle(struct control_env *env, struct control_session *s, const char *msg,
		       size_t len)
{
	struct cmd_call c = { .env = env, .s = s };
	const struct command *cmd;
	json_t *req, *result = NULL, *reply, *id = NULL;
	const char *name;
	json_error_t jerr;

	if (blank(msg, len))
		return NULL;
	/* Any JSON value, so a non-object gets QMP's own complaint; duplicates are errors. */
	req = json_loadb(msg, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!req)
		return control_error(CONTROL_ERR_GENERIC, "JSON parse error, %s (at byte %d)",
				     jerr.text, jerr.position);
	if (json_is_object(req))
		id = json_object_get(req, "id");
	name = check_request(&c, req);
	if (name) {
		cmd = find_command(name);
		if (!s->negotiated && (!cmd || cmd->fn != cmd_qmp_capabilities))
			cmd_fail(&c, CONTROL_ERR_NOT_FOUND,
				 "Expecting capabilities negotiation with 'qmp_capabilities'");
		else if (!cmd)
			cmd_fail(&c, CONTROL_ERR_NOT_FOUND, "The command %.64s has not been found",
				 name);
		else
			result = cmd->fn(&c);
	}
	if (result)
		reply = json_pack("{s:o}", "return", result);
	else if (c.cls)
		reply = control_error(c.cls, "%s", c.desc);
	else
		reply = control_error(CONTROL_ERR_GENERIC, "out of memory");
	if (reply && id)
		json_object_set(reply, "id", id);
	json_decref(req);
	return reply;
}

struct stats_end control_end_reason(int exit_status, bool quit)
{
	struct stats_end e = { .exit_status = exit_status };

	if (quit) {
		e.reason = "host-qmp-quit";
	} else if (exit_status <= GUEST_EXIT_MAX) {
		e.reason = "guest-shutdown";
		e.guest = true;
	} else if (exit_status == VMM_EXIT_GUEST_CRASH || exit_status == VMM_EXIT_GUEST_PROTOCOL) {
		e.reason = "guest-panic";
		e.guest = true;
	} else if (exit_status == VMM_EXIT_TIMEOUT || exit_status > VMM_EXIT_SIGNAL_BASE) {
		e.reason = "host-signal";
	} else {
		e.reason = "host-error";
	}
	return e;
}
