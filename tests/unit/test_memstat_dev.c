/* SPDX-License-Identifier: MIT */
/*
 * The memstat device (vmm/memstat_dev.c, vmm/memstat_report.c) driven
 * without KVM: the region is plain host memory, the test plays the guest
 * driver in it and rings the doorbell through memstat_dev_pio(). A good
 * driver first, then a hostile one: each corruption must set FAILED with
 * the right reason, print exactly one line, and leave the device ignoring
 * the guest from then on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../vmm/memstat_dev.h"
#include "../../vmm/layout.h"

/* memstat_dev.c's unit-test hook: runs inside each stats copy. */
extern void (*memstat_dev_copy_hook)(void *region);

#define GOOD_FEATURES MEMSTAT_F_ALL_V1
#define S_ACK MEMSTAT_S_ACKNOWLEDGE
#define S_DRV (S_ACK | MEMSTAT_S_DRIVER)
#define S_FOK (S_DRV | MEMSTAT_S_FEATURES_OK)
#define S_DOK (S_FOK | MEMSTAT_S_DRIVER_OK)

struct hostile_case;

struct fixture {
	struct memstat_dev *dev;
	uint8_t *region;
	struct memstat_hdr *hdr;
	struct memstat_stats *stats;
	struct memstat_ring *cmd, *evt;
	char *buf;
	size_t len;
	FILE *diag;
	unsigned irqs;
	uint32_t irq_gsi;
	uint16_t evt_prod;  /* the guest's producer index */
	uint16_t cmd_cons;  /* the guest's consumer index */
	const struct hostile_case *hc;
	struct memstat_snapshot snap;
};

/* The fake irqchip: counts edges. */
static int fake_irq(void *ctx, uint32_t gsi)
{
	struct fixture *f = ctx;

	f->irqs++;
	f->irq_gsi = gsi;
	return 0;
}

static struct fixture *make_fixture(bool with_irq)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vmm_err err = { "" };

	assert_non_null(f);
	f->diag = open_memstream(&f->buf, &f->len);
	assert_non_null(f->diag);
	f->dev = memstat_dev_create(MEMSTAT_DEV_GPA, MEMSTAT_DEV_GSI, 1000,
				    with_irq ? fake_irq : NULL, f, f->diag, &err);
	assert_non_null(f->dev);
	f->region = memstat_dev_region(f->dev);
	f->hdr = (struct memstat_hdr *)(f->region + MEMSTAT_HDR_OFFSET);
	f->stats = (struct memstat_stats *)(f->region + MEMSTAT_STATS_OFFSET);
	f->cmd = (struct memstat_ring *)(f->region + MEMSTAT_CMD_RING_OFFSET);
	f->evt = (struct memstat_ring *)(f->region + MEMSTAT_EVT_RING_OFFSET);
	return f;
}

static int setup(void **state)
{
	const struct hostile_case *hc = *state;

	*state = make_fixture(true);
	((struct fixture *)*state)->hc = hc;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	memstat_dev_copy_hook = NULL;
	memstat_dev_destroy(f->dev);
	fclose(f->diag);
	free(f->buf);
	free(f);
	return 0;
}

static const char *diag_text(struct fixture *f)
{
	fflush(f->diag);
	return f->buf ? f->buf : "";
}

static unsigned diag_lines(struct fixture *f)
{
	const char *t = diag_text(f);
	unsigned n = 0;

	for (; *t; t++)
		n += *t == '\n';
	return n;
}

/* The guest writes a 32-bit value to the doorbell port. */
static void ring(struct fixture *f, uint32_t v)
{
	uint8_t data[4];

	memcpy(data, &v, sizeof(v));
	assert_true(memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT, 4, true, data));
}

static void set_status(struct fixture *f, uint32_t st)
{
	f->hdr->driver_status = st;
	ring(f, MEMSTAT_DB_STATUS);
}

/* A correct driver's handshake, taking @features. */
static void handshake(struct fixture *f, uint64_t features)
{
	f->hdr->driver_abi_version = MEMSTAT_ABI_VERSION;
	set_status(f, S_ACK);
	set_status(f, S_DRV);
	f->hdr->driver_features = features;
	set_status(f, S_FOK);
	set_status(f, S_DOK);
}

static void snapshot(struct fixture *f)
{
	memstat_dev_snapshot(f->dev, &f->snap);
}

/* Publish @n stats under the sequence counter, then ring STATS. */
static void publish(struct fixture *f, const struct memstat_stat *st, uint32_t n)
{
	f->stats->seq++;
	memcpy(f->stats->stats, st, n * sizeof(*st));
	f->stats->nr_stats = n;
	f->stats->seq++;
	ring(f, MEMSTAT_DB_STATS);
}

/* Put one event in the ring (no doorbell). */
static void push_event(struct fixture *f, uint16_t type, uint16_t flags, uint32_t id,
		       uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct memstat_msg *m = &f->evt->slots[f->evt_prod & (MEMSTAT_DEV_EVT_RING_SIZE - 1)];

	*m = (struct memstat_msg){ .type = type, .flags = flags, .id = id, .arg = { a0, a1, a2 } };
	f->evt_prod++;
	f->evt->prod_idx = f->evt_prod;
}

/* The guest takes every pending command, acks each with @result, rings CMD and EVT. */
static unsigned serve_commands(struct fixture *f, int64_t result)
{
	unsigned n = 0;

	while (f->cmd_cons != f->cmd->prod_idx) {
		struct memstat_msg *m =
			&f->cmd->slots[f->cmd_cons & (f->hdr->cmd_ring_size - 1)];

		push_event(f, MEMSTAT_EVT_ACK, 0, m->id, (uint64_t)result, 0, 0);
		f->cmd_cons++;
		n++;
	}
	f->cmd->cons_idx = f->cmd_cons;
	ring(f, MEMSTAT_DB_CMD);
	ring(f, MEMSTAT_DB_EVT);
	return n;
}

/* FAILED with @reason, one line containing @what, and the guest is ignored afterwards. */
static void assert_failed(struct fixture *f, uint32_t reason, const char *what)
{
	uint64_t ignored;

	snapshot(f);
	assert_true(f->snap.device_status & MEMSTAT_S_FAILED);
	assert_int_equal(f->snap.fail_reason, reason);
	assert_int_equal(f->hdr->fail_reason, reason);
	assert_true(f->hdr->device_status & MEMSTAT_S_FAILED);
	assert_int_equal(diag_lines(f), 1);
	if (!strstr(diag_text(f), what) || strncmp(diag_text(f), "vmm: memstat: ", 14) ||
	    !strstr(diag_text(f), ": device FAILED\n"))
		fail_msg("expected one line with \"%s\", got: %s", what, diag_text(f));
	assert_non_null(strstr(diag_text(f), f->snap.fail_msg));

	/* After FAILED: everything the guest does is counted and ignored, silently. */
	ignored = f->snap.doorbells_ignored;
	ring(f, MEMSTAT_DB_STATUS);
	ring(f, 0xdead);
	uint8_t b = 1;
	assert_true(memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT, 1, true, &b));
	assert_int_equal(memstat_dev_request_refresh(f->dev), -ENODEV);
	assert_int_equal(memstat_dev_set_period(f->dev, 5), -ENODEV);
	snapshot(f);
	assert_int_equal(f->snap.doorbells_ignored, ignored + 3);
	assert_int_equal(f->snap.fail_reason, reason);
	assert_int_equal(diag_lines(f), 1);
	json_t *j = memstat_dev_snapshot_json(&f->snap);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "FAILED");
	assert_non_null(json_string_value(json_object_get(j, "fail_message")));
	json_decref(j);
}

static void assert_not_failed(struct fixture *f)
{
	snapshot(f);
	if (f->snap.fail_reason || diag_lines(f))
		fail_msg("unexpected failure: %s", diag_text(f));
}

/* ------------------------------------------------------------ good driver */

static void test_header_initialised(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->hdr->magic, MEMSTAT_MAGIC);
	assert_int_equal(f->hdr->device_abi_version, MEMSTAT_ABI_VERSION);
	assert_int_equal(f->hdr->device_features, MEMSTAT_F_ALL_V1);
	assert_int_equal(f->hdr->cmd_ring_size, MEMSTAT_DEV_CMD_RING_SIZE);
	assert_int_equal(f->hdr->evt_ring_size, MEMSTAT_DEV_EVT_RING_SIZE);
	assert_int_equal(f->hdr->doorbell_port, MEMSTAT_DOORBELL_PORT);
	assert_int_equal(f->hdr->gsi, MEMSTAT_DEV_GSI);
	assert_int_equal(f->hdr->stats_period_ms, 1000);
	assert_int_equal(f->hdr->device_status, 0);
	assert_int_equal(f->hdr->fail_reason, 0);
	assert_int_equal(memstat_dev_gpa(f->dev), MEMSTAT_DEV_GPA);
	/* Everything else is zero: rings empty, stats empty. */
	assert_int_equal(f->stats->seq, 0);
	assert_int_equal(f->cmd->prod_idx, 0);
	assert_int_equal(f->evt->cons_idx, 0);
}

static void test_no_irq_no_irq_feature(void **state)
{
	(void)state;
	struct fixture *f = make_fixture(false);

	assert_int_equal(f->hdr->device_features, MEMSTAT_F_ALL_V1 & ~MEMSTAT_F_IRQ);
	/* Taking IRQ when it is not offered is refused. */
	handshake(f, MEMSTAT_F_ALL_V1);
	assert_failed(f, MEMSTAT_FAIL_FEATURES, "did not offer");
	void *s = f;
	teardown(&s);
}

static void test_create_refuses_long_period(void **state)
{
	struct vmm_err err = { "" };

	(void)state;
	assert_null(memstat_dev_create(MEMSTAT_DEV_GPA, 5, MEMSTAT_DEV_PERIOD_MAX_MS + 1, NULL,
				       NULL, stderr, &err));
	assert_non_null(strstr(err.msg, "3600001"));
}

static void test_cmdline(void **state)
{
	struct fixture *f = *state;
	char buf[64];

	assert_int_equal(memstat_dev_cmdline(f->dev, buf, sizeof(buf)), 31);
	assert_string_equal(buf, "memstat.device=20K@0xfeb00000:5");
	assert_int_equal(memstat_dev_cmdline(f->dev, buf, 31), -1);
}

static void test_good_handshake(void **state)
{
	struct fixture *f = *state;

	f->hdr->driver_abi_version = MEMSTAT_ABI_VERSION;
	set_status(f, S_ACK);
	assert_int_equal(f->hdr->device_status, S_ACK);
	set_status(f, S_DRV);
	assert_int_equal(f->hdr->device_status, S_DRV);
	f->hdr->driver_features = GOOD_FEATURES;
	set_status(f, S_FOK);
	assert_int_equal(f->hdr->device_status, S_FOK);
	snapshot(f);
	assert_false(f->snap.reached_driver_ok);
	set_status(f, S_DOK);
	assert_int_equal(f->hdr->device_status, S_DOK);
	/* A repeated status doorbell changes nothing. */
	set_status(f, S_DOK);
	snapshot(f);
	assert_true(f->snap.reached_driver_ok);
	assert_int_equal(f->snap.driver_features, GOOD_FEATURES);
	assert_int_equal(f->snap.doorbells, 5);
	assert_not_failed(f);
}

static void test_handshake_in_one_step(void **state)
{
	struct fixture *f = *state;

	/* Several steps in one write are a valid prefix of the sequence: accepted. */
	f->hdr->driver_abi_version = MEMSTAT_ABI_VERSION;
	f->hdr->driver_features = MEMSTAT_F_STATS;
	set_status(f, S_DOK);
	assert_int_equal(f->hdr->device_status, S_DOK);
	assert_not_failed(f);
}

static void test_subset_features(void **state)
{
	struct fixture *f = *state;
	struct memstat_stat st[] = { { .tag = MEMSTAT_TAG_MEMTOT, .val = 1 << 20 } };

	handshake(f, MEMSTAT_F_STATS);
	assert_int_equal(memstat_dev_request_refresh(f->dev), -ENOTSUP);
	publish(f, st, 1);
	snapshot(f);
	assert_true(f->snap.have_stats);
	/* Without CMD_RING a period change is a header change only. */
	assert_int_equal(memstat_dev_set_period(f->dev, 10), 0);
	assert_int_equal(f->hdr->stats_period_ms, 10);
	assert_int_equal(f->irqs, 0);
	assert_not_failed(f);
}

static const struct memstat_stat sample_stats[] = {
	{ .tag = MEMSTAT_TAG_MEMTOT, .val = 509ull << 20 },
	{ .tag = MEMSTAT_TAG_MEMFREE, .val = 500ull << 20 },
	{ .tag = MEMSTAT_TAG_AVAIL, .val = 490ull << 20 },
	{ .tag = MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_SLAB, .val = 12345 * 1024 },
	{ .tag = MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_DIRECT_MAP_2M, .val = 1ull << 30 },
	{ .tag = MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_DIRECT_MAP_4K, .val = 8192 },
	{ .tag = MEMSTAT_TAG_FREE_AREA(2, 3), .val = 7 },
	{ .tag = MEMSTAT_TAG_FREE_AREA(2, 0), .val = 11 },
	{ .tag = MEMSTAT_TAG_FREE_AREA(2, 1), .val = 5 },
	{ .tag = MEMSTAT_TAG_FREE_AREA(0, 10), .val = 1 },
	{ .tag = MEMSTAT_TAG_VMSTAT + 5, .val = 4242 },
	{ .tag = MEMSTAT_TAG_TSC, .val = 123456789 },
	{ .tag = MEMSTAT_TAG_UPDATES, .val = 3 },
	{ .tag = MEMSTAT_TAG_MINFLT, .val = 0xffffffffffffffffull },
	/* The last tag of each range is valid. */
	{ .tag = MEMSTAT_TAG_VIRTIO_NR - 1, .val = 1 },
	{ .tag = MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR - 1, .val = 1 },
	{ .tag = MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES - 1, MEMSTAT_MAX_ORDERS - 1), .val = 1 },
	{ .tag = MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR - 1, .val = 1 },
};
#define NR_SAMPLE (sizeof(sample_stats) / sizeof(sample_stats[0]))

static void test_stats_published(void **state)
{
	struct fixture *f = *state;

	handshake(f, GOOD_FEATURES);
	publish(f, sample_stats, NR_SAMPLE);
	snapshot(f);
	assert_true(f->snap.have_stats);
	assert_int_equal(f->snap.nr_stats, NR_SAMPLE);
	assert_int_equal(f->snap.stats_seq, 2);
	assert_int_equal(f->snap.stats_updates, 1);
	assert_memory_equal(f->snap.stats, sample_stats, sizeof(sample_stats));
	/* Republishing fewer: the snapshot has exactly the new set. */
	publish(f, sample_stats, 2);
	snapshot(f);
	assert_int_equal(f->snap.nr_stats, 2);
	assert_int_equal(f->snap.stats_seq, 4);
	assert_not_failed(f);
}

static void test_stats_read_between_doorbells(void **state)
{
	struct fixture *f = *state;

	handshake(f, GOOD_FEATURES);
	publish(f, sample_stats, 2);
	/* Periodic publication without a doorbell: the next snapshot picks it up. */
	f->stats->seq++;
	f->stats->stats[0].val = 77;
	f->stats->seq++;
	snapshot(f);
	assert_int_equal(f->snap.stats[0].val, 77);
	assert_int_equal(f->snap.stats_updates, 2);
	/* Caught mid-write from another thread: torn, not a failure; old figures kept. */
	f->stats->seq++;
	f->stats->stats[0].val = 78;
	snapshot(f);
	assert_int_equal(f->snap.stats[0].val, 77);
	assert_int_equal(f->snap.torn_reads, 1);
	f->stats->seq++;
	snapshot(f);
	assert_int_equal(f->snap.stats[0].val, 78);
	assert_not_failed(f);
}

static void test_meminfo_format(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	handshake(f, GOOD_FEATURES);
	publish(f, sample_stats, NR_SAMPLE);
	snapshot(f);
	memstat_dev_print_meminfo(&f->snap, m);
	fclose(m);
	assert_string_equal(out, "MemTotal:         521216 kB\n"
				 "MemFree:          512000 kB\n"
				 "MemAvailable:     501760 kB\n"
				 "Slab:              12345 kB\n"
				 "DirectMap4k:           8 kB\n"
				 "DirectMap2M:     1048576 kB\n");
	free(out);
}

static void test_print_final(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	/* Before DRIVER_OK: nothing at all. */
	memstat_dev_print_final(f->dev, m);
	fflush(m);
	assert_int_equal(len, 0);
	handshake(f, GOOD_FEATURES);
	publish(f, sample_stats, 1);
	memstat_dev_print_final(f->dev, m);
	fclose(m);
	assert_string_equal(out, "vmm: memstat: final guest meminfo (1 updates):\n"
				 "MemTotal:         521216 kB\n");
	free(out);
}

static void test_snapshot_json(void **state)
{
	struct fixture *f = *state;
	json_t *j, *st, *fa;

	j = memstat_dev_snapshot_json(&f->snap);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "stats")));
	json_decref(j);

	handshake(f, GOOD_FEATURES);
	publish(f, sample_stats, NR_SAMPLE);
	snapshot(f);
	j = memstat_dev_snapshot_json(&f->snap);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "DRIVER_OK");
	assert_true(json_is_null(json_object_get(j, "fail_reason")));
	assert_int_equal(json_integer_value(json_object_get(j, "gsi")), 5);
	st = json_object_get(j, "stats");
	assert_int_equal(json_integer_value(json_object_get(st, "MemTotal")), 509ll << 20);
	assert_int_equal(json_integer_value(json_object_get(st, "Slab")), 12345 * 1024);
	assert_int_equal(json_integer_value(json_object_get(st, "tsc")), 123456789);
	assert_int_equal(json_integer_value(json_object_get(st, "updates")), 3);
	/* A value above INT64_MAX stays positive. */
	assert_true(json_number_value(json_object_get(st, "minor_faults")) > 1e19);
	fa = json_object_get(json_object_get(st, "free_area"), "Normal");
	assert_int_equal(json_array_size(fa), 4);
	assert_int_equal(json_integer_value(json_array_get(fa, 0)), 11);
	assert_int_equal(json_integer_value(json_array_get(fa, 1)), 5);
	assert_int_equal(json_integer_value(json_array_get(fa, 2)), 0);
	assert_int_equal(json_integer_value(json_array_get(fa, 3)), 7);
	fa = json_object_get(json_object_get(st, "free_area"), "DMA");
	assert_int_equal(json_array_size(fa), 11);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(st, "vmstat"), "5")),
			 4242);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "counters"),
							    "stats_updates")), 1);
	json_decref(j);

	/*
	 * Event arguments are the guest's u64s: one above INT64_MAX stays positive;
	 * an ack's result (arg[0]) is a negative errno and shows as one.
	 */
	push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 1, (1ull << 63) + 5, ~0ull);
	assert_true(memstat_dev_request_refresh(f->dev) > 0);
	f->cmd_cons = f->cmd->prod_idx;
	f->cmd->cons_idx = f->cmd_cons;
	ring(f, MEMSTAT_DB_CMD);
	push_event(f, MEMSTAT_EVT_ACK, 0, f->cmd->slots[0].id, (uint64_t)-22, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
	snapshot(f);
	j = memstat_dev_snapshot_json(&f->snap);
	assert_non_null(j);
	st = json_array_get(json_object_get(j, "events"), 0);
	assert_string_equal(json_string_value(json_object_get(st, "type")), "workload");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(st, "arg"), 0)), 1);
	assert_true(json_number_value(json_array_get(json_object_get(st, "arg"), 1)) > 9e18);
	assert_true(json_number_value(json_array_get(json_object_get(st, "arg"), 2)) > 1.8e19);
	st = json_array_get(json_object_get(j, "events"), 1);
	assert_string_equal(json_string_value(json_object_get(st, "type")), "ack");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(st, "arg"), 0)), -22);
	json_decref(j);
	assert_not_failed(f);
}

static void test_refresh_command(void **state)
{
	struct fixture *f = *state;
	int64_t id, id2;

	assert_int_equal(memstat_dev_request_refresh(f->dev), -ENODEV);
	handshake(f, GOOD_FEATURES);
	id = memstat_dev_request_refresh(f->dev);
	assert_true(id > 0);
	assert_int_equal(f->cmd->prod_idx, 1);
	assert_int_equal(f->cmd->slots[0].type, MEMSTAT_CMD_REFRESH_STATS);
	assert_int_equal(f->cmd->slots[0].id, id);
	assert_int_equal(f->cmd->slots[0].flags, 0);
	assert_true(f->hdr->isr & MEMSTAT_ISR_CMD);
	assert_int_equal(f->irqs, 1);
	assert_int_equal(f->irq_gsi, MEMSTAT_DEV_GSI);
	/* Not picked up yet: the same command serves a second request. */
	id2 = memstat_dev_request_refresh(f->dev);
	assert_int_equal(id2, id);
	assert_int_equal(f->cmd->prod_idx, 1);
	assert_int_equal(serve_commands(f, 0), 1);
	assert_int_equal(f->evt->cons_idx, 1);
	snapshot(f);
	assert_int_equal(f->snap.commands_posted, 1);
	assert_int_equal(f->snap.commands_consumed, 1);
	assert_int_equal(f->snap.commands_acked, 1);
	assert_int_equal(f->snap.outstanding, 0);
	assert_int_equal(f->snap.evt_by_type[MEMSTAT_EVT_ACK], 1);
	assert_int_equal(f->snap.nr_evt_log, 1);
	assert_int_equal(f->snap.evt_log[0].id, id);
	/* Picked up: the next request is a new command. */
	id2 = memstat_dev_request_refresh(f->dev);
	assert_true(id2 > id);
	assert_int_equal(serve_commands(f, -EIO), 1);
	snapshot(f);
	assert_int_equal(f->snap.commands_nacked, 1);
	assert_not_failed(f);
}

static void test_refresh_coalescing(void **state)
{
	struct fixture *f = *state;
	int64_t a, b, id;

	handshake(f, GOOD_FEATURES);
	a = memstat_dev_set_period(f->dev, 50);
	b = memstat_dev_request_refresh(f->dev);
	assert_true(a > 0 && b > a);
	/* The guest acks A before saying it consumed it, then consumes A only. */
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)a, 0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
	f->cmd->cons_idx = f->cmd_cons = 1;
	ring(f, MEMSTAT_DB_CMD);
	/* B is still in the ring: it serves this request too. */
	assert_int_equal(memstat_dev_request_refresh(f->dev), b);
	/* Once B is consumed (even unacked), a request is a new command. */
	f->cmd->cons_idx = f->cmd_cons = 2;
	ring(f, MEMSTAT_DB_CMD);
	id = memstat_dev_request_refresh(f->dev);
	assert_true(id > b);
	assert_int_equal(f->cmd->prod_idx, 3);
	snapshot(f);
	assert_int_equal(f->snap.outstanding, 2);
	assert_int_equal(f->snap.commands_consumed, 2);
	assert_not_failed(f);
}

static void test_set_period_command(void **state)
{
	struct fixture *f = *state;
	int64_t id;

	assert_int_equal(memstat_dev_set_period(f->dev, 20), 0);
	assert_int_equal(f->hdr->stats_period_ms, 20);
	assert_int_equal(memstat_dev_set_period(f->dev, MEMSTAT_DEV_PERIOD_MAX_MS + 1), -EINVAL);
	handshake(f, GOOD_FEATURES);
	id = memstat_dev_set_period(f->dev, 10);
	assert_true(id > 0);
	assert_int_equal(f->hdr->stats_period_ms, 10);
	assert_int_equal(f->cmd->slots[0].type, MEMSTAT_CMD_SET_PERIOD);
	assert_int_equal(f->cmd->slots[0].arg[0], 10);
	serve_commands(f, 0);
	snapshot(f);
	assert_int_equal(f->snap.stats_period_ms, 10);
	assert_int_equal(f->snap.outstanding, 0);
	assert_not_failed(f);
}

/* The guest, 30 ms late, on another thread: acks every command, echoing arg[0] in arg[1]. */
static void *late_guest(void *arg)
{
	struct fixture *f = arg;

	usleep(30000);
	while (f->cmd_cons != f->cmd->prod_idx) {
		struct memstat_msg *m =
			&f->cmd->slots[f->cmd_cons & (f->hdr->cmd_ring_size - 1)];

		push_event(f, MEMSTAT_EVT_ACK, 0, m->id, 0, m->arg[0], 0);
		f->cmd_cons++;
	}
	f->cmd->cons_idx = f->cmd_cons;
	ring(f, MEMSTAT_DB_CMD);
	ring(f, MEMSTAT_DB_EVT);
	return NULL;
}

/* PING, and waiting for acks: in time, already there, never, unknown, reset, FAILED. */
static void test_ping_and_wait_ack(void **state)
{
	struct fixture *f = *state;
	struct memstat_ack ack;
	pthread_t t;
	int64_t id, id2;

	assert_int_equal(memstat_dev_ping(f->dev, 1), -ENODEV);
	handshake(f, GOOD_FEATURES);
	id = memstat_dev_ping(f->dev, 0x1234567890abcdefull);
	assert_true(id > 0);
	assert_int_equal(f->cmd->slots[0].type, MEMSTAT_CMD_PING);
	assert_int_equal(f->cmd->slots[0].arg[0], 0x1234567890abcdefull);
	/* Pings are never coalesced: each is a round trip of its own. */
	id2 = memstat_dev_ping(f->dev, 7);
	assert_int_equal(id2, id + 1);
	assert_int_equal(pthread_create(&t, NULL, late_guest, f), 0);
	assert_int_equal(memstat_dev_wait_ack(f->dev, (uint32_t)id, 5000, &ack), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(ack.id, id);
	assert_int_equal(ack.type, MEMSTAT_CMD_PING);
	assert_int_equal(ack.result, 0);
	assert_int_equal(ack.arg[1], 0x1234567890abcdefull);
	assert_true(ack.latency_ns >= 20000000);
	/* An ack that came before the wait is found at once. */
	assert_int_equal(memstat_dev_wait_ack(f->dev, (uint32_t)id2, 1, &ack), 0);
	assert_int_equal(ack.arg[1], 7);
	/* Never acked: a timeout of about the time asked. */
	id = memstat_dev_ping(f->dev, 8);
	{
		struct timespec t0, t1;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(memstat_dev_wait_ack(f->dev, (uint32_t)id, 50, &ack), -ETIMEDOUT);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		assert_true(ms >= 45 && ms < 1000);
	}
	/* Ids never posted. */
	assert_int_equal(memstat_dev_wait_ack(f->dev, 0, 10, &ack), -ENOENT);
	assert_int_equal(memstat_dev_wait_ack(f->dev, 999, 10, &ack), -ENOENT);
	/* A driver reset drops the outstanding ping. */
	set_status(f, 0);
	assert_int_equal(memstat_dev_wait_ack(f->dev, (uint32_t)id, 1000, &ack), -ENOENT);
	f->cmd_cons = f->evt_prod = 0;
	f->evt->prod_idx = 0;
	f->cmd->cons_idx = 0;
	handshake(f, GOOD_FEATURES);
	id = memstat_dev_ping(f->dev, 9);
	assert_true(id > 0);
	assert_not_failed(f);
	/* FAILED: no ack will come, the wait says so. */
	ring(f, 0x99);
	assert_int_equal(memstat_dev_wait_ack(f->dev, (uint32_t)id, 1000, &ack), -ENODEV);
	assert_int_equal(memstat_dev_ping(f->dev, 1), -ENODEV);
}

static void test_command_ring_full(void **state)
{
	struct fixture *f = *state;
	int64_t first = 0, id;

	handshake(f, GOOD_FEATURES);
	for (unsigned i = 0; i < MEMSTAT_DEV_CMD_RING_SIZE; i++) {
		id = memstat_dev_set_period(f->dev, i);
		assert_true(id > 0);
		if (!first)
			first = id;
	}
	/* A refusal changes nothing: the header keeps the period the guest runs. */
	assert_int_equal(memstat_dev_set_period(f->dev, 1), -EBUSY);
	assert_int_equal(f->hdr->stats_period_ms, MEMSTAT_DEV_CMD_RING_SIZE - 1);
	snapshot(f);
	assert_int_equal(f->snap.stats_period_ms, MEMSTAT_DEV_CMD_RING_SIZE - 1);
	assert_int_equal(memstat_dev_request_refresh(f->dev), -EBUSY);
	/* The guest consumes but does not ack: slots free, commands still outstanding. */
	f->cmd_cons = f->cmd->prod_idx;
	f->cmd->cons_idx = f->cmd_cons;
	ring(f, MEMSTAT_DB_CMD);
	for (unsigned i = 0; i < MEMSTAT_DEV_CMD_RING_SIZE; i++)
		assert_true(memstat_dev_set_period(f->dev, i) > 0);
	/* Now 128 outstanding: the table is full even with the ring consumed. */
	f->cmd_cons = f->cmd->prod_idx;
	f->cmd->cons_idx = f->cmd_cons;
	ring(f, MEMSTAT_DB_CMD);
	assert_int_equal(memstat_dev_set_period(f->dev, 1), -EBUSY);
	/* Acks (out of order) free them. */
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)first + 5, 0, 0, 0);
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)first, 0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
	assert_true(memstat_dev_set_period(f->dev, 1) > 0);
	snapshot(f);
	assert_int_equal(f->snap.outstanding, 2 * MEMSTAT_DEV_CMD_RING_SIZE - 1);
	assert_not_failed(f);
}

static void test_event_ring_wraps(void **state)
{
	struct fixture *f = *state;
	uint64_t total = 0;

	handshake(f, GOOD_FEATURES);
	/* Past the u16 wrap, in full-ring batches (exactly ring-size ahead is legal). */
	for (unsigned batch = 0; batch < 1100; batch++) {
		for (unsigned i = 0; i < MEMSTAT_DEV_EVT_RING_SIZE; i++)
			push_event(f, i & 1 ? MEMSTAT_EVT_WORKLOAD : MEMSTAT_EVT_ALLOC_FAIL, 0, 0,
				   i % MEMSTAT_MAX_ORDERS, batch, i);
		ring(f, MEMSTAT_DB_EVT);
		total += MEMSTAT_DEV_EVT_RING_SIZE;
		assert_int_equal(f->evt->cons_idx, f->evt_prod);
	}
	snapshot(f);
	assert_int_equal(f->snap.events, total);
	assert_int_equal(f->snap.evt_by_type[MEMSTAT_EVT_WORKLOAD], total / 2);
	assert_int_equal(f->snap.nr_evt_log, MEMSTAT_DEV_EVT_LOG);
	assert_int_equal(f->snap.evt_log[MEMSTAT_DEV_EVT_LOG - 1].arg[1], 1099);
	assert_int_equal(f->snap.evt_log[MEMSTAT_DEV_EVT_LOG - 1].arg[2], 63);
	/* An empty doorbell is harmless. */
	ring(f, MEMSTAT_DB_EVT);
	assert_not_failed(f);
}

static void test_command_ring_wraps(void **state)
{
	struct fixture *f = *state;

	handshake(f, GOOD_FEATURES);
	for (unsigned i = 0; i < 70000; i++) {
		assert_true(memstat_dev_request_refresh(f->dev) > 0);
		assert_int_equal(serve_commands(f, 0), 1);
	}
	snapshot(f);
	assert_int_equal(f->snap.commands_acked, 70000);
	assert_int_equal(f->snap.irqs, 70000);
	assert_not_failed(f);
}

static void test_reset_and_renegotiate(void **state)
{
	struct fixture *f = *state;

	handshake(f, GOOD_FEATURES);
	assert_true(memstat_dev_request_refresh(f->dev) > 0);
	set_status(f, 0);
	assert_int_equal(f->hdr->device_status, 0);
	assert_int_equal(f->cmd->prod_idx, 0);
	assert_int_equal(memstat_dev_request_refresh(f->dev), -ENODEV);
	f->evt_prod = f->cmd_cons = 0;
	f->evt->prod_idx = 0;
	f->cmd->cons_idx = 0;
	handshake(f, MEMSTAT_F_STATS | MEMSTAT_F_CMD_RING | MEMSTAT_F_EVT_RING);
	assert_true(memstat_dev_request_refresh(f->dev) > 0);
	assert_int_equal(serve_commands(f, 0), 1);
	snapshot(f);
	assert_int_equal(f->snap.outstanding, 0);
	assert_not_failed(f);
}

static void test_other_ports_and_reads(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = { 1, 2, 3, 4 };

	assert_false(memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT + 1, 4, true, data));
	assert_false(memstat_dev_pio(f->dev, 0x3f8, 1, false, data));
	assert_true(memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT, 4, false, data));
	assert_int_equal(data[0] & data[1] & data[2] & data[3], 0xff);
	snapshot(f);
	assert_int_equal(f->snap.doorbells, 0);
	assert_not_failed(f);
}

static void test_fail_reason_names(void **state)
{
	(void)state;
	assert_string_equal(memstat_fail_reason_name(MEMSTAT_FAIL_RING_INDEX), "ring index");
	assert_string_equal(memstat_fail_reason_name(MEMSTAT_FAIL_DRIVER), "driver");
	assert_string_equal(memstat_fail_reason_name(9), "?");
	assert_string_equal(memstat_fail_reason_name(0xffffffff), "?");
}

/* ------------------------------------------------------------ the region in E820 */

static const struct dimm default_dimms[] = {
	{ .base = 0, .size = 3ull << 30 },
	{ .base = 4ull << 30, .size = 1ull << 30 },
};

static void test_reserve_inserts_in_order(void **state)
{
	struct e820_entry e[4] = {
		{ 0, 0x9fc00, E820_TYPE_RAM },
		{ 0x100000, (3ull << 30) - 0x100000, E820_TYPE_RAM },
		{ 4ull << 30, 1ull << 30, E820_TYPE_RAM },
	};
	struct vmm_err err = { "" };
	unsigned nr = 3;

	(void)state;
	assert_int_equal(layout_reserve_region(default_dimms, 2, e, &nr, 4, MEMSTAT_DEV_GPA,
					       MEMSTAT_REGION_SIZE, "memstat region", &err), 0);
	assert_int_equal(nr, 4);
	assert_int_equal(e[2].addr, MEMSTAT_DEV_GPA);
	assert_int_equal(e[2].size, MEMSTAT_REGION_SIZE);
	assert_int_equal(e[2].type, E820_TYPE_RESERVED);
	assert_int_equal(e[3].addr, 4ull << 30);
	/* Full table: refused, untouched. */
	assert_int_equal(layout_reserve_region(default_dimms, 2, e, &nr, 4, 0xfe000000, 4096,
					       "memstat region", &err), -1);
	assert_string_equal(err.msg, "no room for the memstat region in the E820 table (4 entries)");
	assert_int_equal(nr, 4);
}

static void test_reserve_refuses_overlaps(void **state)
{
	const struct dimm over[] = { { .base = 0, .size = 1ull << 30 },
				     { .base = 0xfea00000, .size = 2ull << 20 } };
	struct e820_entry e[4] = { { 0xfeb04000, 4096, E820_TYPE_ACPI } };
	struct vmm_err err = { "" };
	unsigned nr = 0;

	(void)state;
	assert_int_equal(layout_reserve_region(over, 2, e, &nr, 4, MEMSTAT_DEV_GPA,
					       MEMSTAT_REGION_SIZE, "memstat region", &err), -1);
	assert_string_equal(err.msg, "the memstat region [0xfeb00000-0xfeb04fff] overlaps DIMM "
				     "2M@0xfea00000");
	nr = 1;
	assert_int_equal(layout_reserve_region(default_dimms, 2, e, &nr, 4, MEMSTAT_DEV_GPA,
					       MEMSTAT_REGION_SIZE, "memstat region", &err), -1);
	assert_string_equal(err.msg, "the memstat region [0xfeb00000-0xfeb04fff] overlaps E820 "
				     "entry acpi@0xfeb04000+4K");
	/* Touching is not overlapping. */
	e[0].addr = MEMSTAT_DEV_GPA + MEMSTAT_REGION_SIZE;
	assert_int_equal(layout_reserve_region(default_dimms, 2, e, &nr, 4, MEMSTAT_DEV_GPA,
					       MEMSTAT_REGION_SIZE, "memstat region", &err), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(e[0].addr, MEMSTAT_DEV_GPA);
	assert_int_equal(e[1].type, E820_TYPE_ACPI);
}

static void test_region_below_the_x86_mmio_area(void **state)
{
	(void)state;
	/* The region sits in the default layout's hole, below the IOAPIC. */
	assert_true(MEMSTAT_DEV_GPA >= LAYOUT_HOLE32_START);
	assert_true(MEMSTAT_DEV_GPA + MEMSTAT_REGION_SIZE <= LAYOUT_X86_MMIO_START);
	assert_int_equal(MEMSTAT_DEV_GPA % MEMSTAT_PAGE_SIZE, 0);
}

/* ------------------------------------------------------------ hostile driver */

struct hostile_case {
	const char *name;
	void (*act)(struct fixture *f);
	uint32_t reason;
	const char *what; /* a piece of the one line */
};

static void handshake_until_driver(struct fixture *f)
{
	f->hdr->driver_abi_version = MEMSTAT_ABI_VERSION;
	set_status(f, S_ACK);
	set_status(f, S_DRV);
}

static void with_features_and_version(struct fixture *f, uint64_t feat, uint32_t ver)
{
	handshake_until_driver(f);
	f->hdr->driver_abi_version = ver;
	f->hdr->driver_features = feat;
	set_status(f, S_FOK);
	/* A driver that ignores the refusal and goes on changes nothing. */
	set_status(f, S_DOK);
}

static void abi_old(struct fixture *f) { with_features_and_version(f, GOOD_FEATURES, 0); }
static void abi_new(struct fixture *f) { with_features_and_version(f, GOOD_FEATURES, 2); }
static void abi_huge(struct fixture *f) { with_features_and_version(f, GOOD_FEATURES, ~0u); }
static void feat_unknown_low(struct fixture *f)
{
	with_features_and_version(f, GOOD_FEATURES | (1ull << 5), MEMSTAT_ABI_VERSION);
}
static void feat_unknown_high(struct fixture *f)
{
	with_features_and_version(f, 1ull << 63, MEMSTAT_ABI_VERSION);
}
static void feat_all_ones(struct fixture *f)
{
	with_features_and_version(f, ~0ull, MEMSTAT_ABI_VERSION);
}
static void feat_periodic_alone(struct fixture *f)
{
	with_features_and_version(f, MEMSTAT_F_PERIODIC, MEMSTAT_ABI_VERSION);
}
static void feat_changed_later(struct fixture *f)
{
	handshake(f, MEMSTAT_F_STATS);
	f->hdr->driver_features = GOOD_FEATURES;
	ring(f, MEMSTAT_DB_STATS);
}
static void abi_changed_later(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	f->hdr->driver_abi_version = 7;
	ring(f, MEMSTAT_DB_EVT);
}
static void status_driver_first(struct fixture *f) { set_status(f, MEMSTAT_S_DRIVER); }
static void status_driver_ok_first(struct fixture *f) { set_status(f, MEMSTAT_S_DRIVER_OK); }
static void status_features_ok_first(struct fixture *f) { set_status(f, MEMSTAT_S_FEATURES_OK); }
static void status_skip_driver(struct fixture *f)
{
	set_status(f, S_ACK);
	set_status(f, S_ACK | MEMSTAT_S_FEATURES_OK);
}
static void status_skip_features(struct fixture *f)
{
	handshake_until_driver(f);
	set_status(f, S_DRV | MEMSTAT_S_DRIVER_OK);
}
static void status_backwards(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	set_status(f, S_DRV);
}
static void status_drop_ack(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	set_status(f, S_DOK & ~S_ACK);
}
static void status_needs_reset(struct fixture *f)
{
	set_status(f, S_ACK);
	set_status(f, S_ACK | MEMSTAT_S_NEEDS_RESET);
}
static void status_unknown_bit(struct fixture *f) { set_status(f, S_ACK | 0x100); }
static void status_all_ones(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	set_status(f, 0x7fffffff);
}
static void status_driver_failed(struct fixture *f)
{
	handshake_until_driver(f);
	set_status(f, S_DRV | MEMSTAT_S_FAILED);
}
static void db_stats_before_ok(struct fixture *f)
{
	handshake_until_driver(f);
	ring(f, MEMSTAT_DB_STATS);
}
static void db_evt_before_ok(struct fixture *f) { ring(f, MEMSTAT_DB_EVT); }
static void db_cmd_before_ok(struct fixture *f)
{
	handshake_until_driver(f);
	f->hdr->driver_features = GOOD_FEATURES;
	set_status(f, S_FOK);
	ring(f, MEMSTAT_DB_CMD);
}
static void db_stats_not_taken(struct fixture *f)
{
	handshake(f, MEMSTAT_F_EVT_RING);
	ring(f, MEMSTAT_DB_STATS);
}
static void db_evt_not_taken(struct fixture *f)
{
	handshake(f, MEMSTAT_F_STATS);
	ring(f, MEMSTAT_DB_EVT);
}
static void db_cmd_not_taken(struct fixture *f)
{
	handshake(f, MEMSTAT_F_STATS);
	ring(f, MEMSTAT_DB_CMD);
}
static void db_zero(struct fixture *f) { ring(f, 0); }
static void db_five(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	ring(f, 5);
}
static void db_all_ones(struct fixture *f) { ring(f, 0xffffffff); }
static void db_byte(struct fixture *f)
{
	uint8_t v = MEMSTAT_DB_STATUS;

	memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT, 1, true, &v);
}
static void db_word(struct fixture *f)
{
	uint8_t v[2] = { MEMSTAT_DB_STATUS, 0 };

	memstat_dev_pio(f->dev, MEMSTAT_DOORBELL_PORT, 2, true, v);
}
static void evt_prod_ahead(struct fixture *f, uint16_t prod)
{
	handshake(f, GOOD_FEATURES);
	f->evt->prod_idx = prod;
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_prod_65(struct fixture *f) { evt_prod_ahead(f, MEMSTAT_DEV_EVT_RING_SIZE + 1); }
static void evt_prod_300(struct fixture *f) { evt_prod_ahead(f, 300); }
static void evt_prod_half(struct fixture *f) { evt_prod_ahead(f, 0x8000); }
static void evt_prod_back(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 0, 0, 0);
	push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
	f->evt->prod_idx = 1;
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_prod_back_from_zero(struct fixture *f) { evt_prod_ahead(f, 0xffff); }
static void evt_prod_wrap_jump(struct fixture *f)
{
	/* Legal traffic up to near the wrap, then a jump across it. */
	handshake(f, GOOD_FEATURES);
	for (unsigned i = 0; i < 1023; i++) {
		for (unsigned j = 0; j < MEMSTAT_DEV_EVT_RING_SIZE; j++)
			push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 0, 0, 0);
		ring(f, MEMSTAT_DB_EVT);
	}
	f->evt->prod_idx = (uint16_t)(f->evt_prod + 100);
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_one(struct fixture *f, uint16_t type, uint16_t flags, uint32_t id, uint64_t a0)
{
	handshake(f, GOOD_FEATURES);
	push_event(f, type, flags, id, a0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_type_zero(struct fixture *f) { evt_one(f, 0, 0, 0, 0); }
static void evt_type_four(struct fixture *f) { evt_one(f, 4, 0, 0, 0); }
static void evt_type_ffff(struct fixture *f) { evt_one(f, 0xffff, 0, 0, 0); }
static void evt_flags(struct fixture *f) { evt_one(f, MEMSTAT_EVT_WORKLOAD, 1, 0, 0); }
static void evt_flags_high(struct fixture *f) { evt_one(f, MEMSTAT_EVT_ACK, 0x8000, 1, 0); }
static void evt_ack_unknown(struct fixture *f) { evt_one(f, MEMSTAT_EVT_ACK, 0, 42, 0); }
static void evt_ack_zero_id(struct fixture *f) { evt_one(f, MEMSTAT_EVT_ACK, 0, 0, 0); }
static void evt_ack_twice(struct fixture *f)
{
	int64_t id;

	handshake(f, GOOD_FEATURES);
	id = memstat_dev_request_refresh(f->dev);
	serve_commands(f, 0);
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)id, 0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_ack_positive(struct fixture *f)
{
	int64_t id;

	handshake(f, GOOD_FEATURES);
	id = memstat_dev_request_refresh(f->dev);
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)id, 1, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_ack_huge_errno(struct fixture *f)
{
	int64_t id;

	handshake(f, GOOD_FEATURES);
	id = memstat_dev_request_refresh(f->dev);
	push_event(f, MEMSTAT_EVT_ACK, 0, (uint32_t)id, (uint64_t)-4096, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
}
static void evt_alloc_fail_id(struct fixture *f) { evt_one(f, MEMSTAT_EVT_ALLOC_FAIL, 0, 3, 0); }
static void evt_alloc_fail_order(struct fixture *f)
{
	evt_one(f, MEMSTAT_EVT_ALLOC_FAIL, 0, 0, MEMSTAT_MAX_ORDERS);
}
static void evt_bad_after_good(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 0, 0, 0);
	push_event(f, MEMSTAT_EVT_WORKLOAD, 0, 0, 0, 0, 0);
	push_event(f, 9, 0, 0, 0, 0, 0);
	ring(f, MEMSTAT_DB_EVT);
}
static void cmd_cons_past_prod(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	memstat_dev_request_refresh(f->dev);
	f->cmd->cons_idx = 2;
	ring(f, MEMSTAT_DB_CMD);
}
static void cmd_cons_no_commands(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	f->cmd->cons_idx = 0x1234;
	ring(f, MEMSTAT_DB_CMD);
}
static void cmd_cons_back(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	memstat_dev_request_refresh(f->dev);
	serve_commands(f, 0);
	memstat_dev_request_refresh(f->dev);
	serve_commands(f, 0);
	f->cmd->cons_idx = 1;
	ring(f, MEMSTAT_DB_CMD);
}
static void cmd_cons_wrap(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	f->cmd->cons_idx = 0xffff;
	ring(f, MEMSTAT_DB_CMD);
}
static void stats_nr(struct fixture *f, uint32_t nr)
{
	handshake(f, GOOD_FEATURES);
	f->stats->seq = 2;
	f->stats->nr_stats = nr;
	ring(f, MEMSTAT_DB_STATS);
}
static void stats_nr_max_plus_one(struct fixture *f) { stats_nr(f, MEMSTAT_MAX_STATS + 1); }
static void stats_nr_huge(struct fixture *f) { stats_nr(f, 0xffffffff); }
static void stats_tag(struct fixture *f, uint16_t tag)
{
	struct memstat_stat st[3] = {
		{ .tag = MEMSTAT_TAG_MEMTOT, .val = 1 },
		{ .tag = MEMSTAT_TAG_MEMFREE, .val = 1 },
		{ .tag = tag, .val = 0x1234 },
	};

	handshake(f, GOOD_FEATURES);
	publish(f, st, 3);
}
static void stats_tag_virtio_nr(struct fixture *f) { stats_tag(f, MEMSTAT_TAG_VIRTIO_NR); }
static void stats_tag_mi_nr(struct fixture *f)
{
	stats_tag(f, MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR);
}
static void stats_tag_zone_nr(struct fixture *f)
{
	stats_tag(f, MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES, 0));
}
static void stats_tag_after_updates(struct fixture *f) { stats_tag(f, MEMSTAT_TAG_UPDATES + 1); }
static void stats_tag_ffff(struct fixture *f) { stats_tag(f, 0xffff); }
static void stats_tag_dup(struct fixture *f) { stats_tag(f, MEMSTAT_TAG_MEMFREE); }
static void stats_seq_odd(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	f->stats->seq = 3;
	ring(f, MEMSTAT_DB_STATS);
}
static void stats_seq_odd_huge(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	f->stats->seq = 0xffffffff;
	ring(f, MEMSTAT_DB_STATS);
}
/* The hook runs in every copy: a "second vCPU" rewriting the area. */
static void bump_seq(void *region)
{
	((struct memstat_stats *)((uint8_t *)region + MEMSTAT_STATS_OFFSET))->seq += 2;
}
static void stats_seq_moving(struct fixture *f)
{
	handshake(f, GOOD_FEATURES);
	memstat_dev_copy_hook = bump_seq;
	ring(f, MEMSTAT_DB_STATS);
}
static void evt_then_status_garbage(struct fixture *f)
{
	/* Two violations in a row: only the first one is reported. */
	handshake(f, GOOD_FEATURES);
	f->evt->prod_idx = 1000;
	ring(f, MEMSTAT_DB_EVT);
	set_status(f, 0x55);
}

static const struct hostile_case hostile_cases[] = {
	{ "abi_version_old", abi_old, MEMSTAT_FAIL_ABI_VERSION, "driver ABI version 0" },
	{ "abi_version_new", abi_new, MEMSTAT_FAIL_ABI_VERSION, "driver ABI version 2" },
	{ "abi_version_huge", abi_huge, MEMSTAT_FAIL_ABI_VERSION, "version 4294967295" },
	{ "abi_version_changed_later", abi_changed_later, MEMSTAT_FAIL_ABI_VERSION, "changed to 7" },
	{ "features_unknown_bit", feat_unknown_low, MEMSTAT_FAIL_FEATURES, "bits 0x20 unknown" },
	{ "features_bit_63", feat_unknown_high, MEMSTAT_FAIL_FEATURES, "0x8000000000000000" },
	{ "features_all_ones", feat_all_ones, MEMSTAT_FAIL_FEATURES, "0xffffffffffffffe0" },
	{ "features_periodic_without_stats", feat_periodic_alone, MEMSTAT_FAIL_FEATURES,
	  "PERIODIC without STATS" },
	{ "features_changed_later", feat_changed_later, MEMSTAT_FAIL_FEATURES,
	  "changed from 0x1 to 0x1f" },
	{ "status_driver_first", status_driver_first, MEMSTAT_FAIL_STATUS, "0x0 -> 0x2" },
	{ "status_driver_ok_first", status_driver_ok_first, MEMSTAT_FAIL_STATUS, "0x0 -> 0x4" },
	{ "status_features_ok_first", status_features_ok_first, MEMSTAT_FAIL_STATUS,
	  "0x0 -> 0x8" },
	{ "status_skip_driver", status_skip_driver, MEMSTAT_FAIL_STATUS, "0x1 -> 0x9" },
	{ "status_skip_features_ok", status_skip_features, MEMSTAT_FAIL_STATUS, "0x3 -> 0x7" },
	{ "status_backwards", status_backwards, MEMSTAT_FAIL_STATUS, "0xf -> 0x3" },
	{ "status_drop_acknowledge", status_drop_ack, MEMSTAT_FAIL_STATUS, "0xf -> 0xe" },
	{ "status_needs_reset_from_driver", status_needs_reset, MEMSTAT_FAIL_STATUS,
	  "bits 0x40 a driver may not set" },
	{ "status_unknown_bit", status_unknown_bit, MEMSTAT_FAIL_STATUS, "bits 0x100" },
	{ "status_all_ones", status_all_ones, MEMSTAT_FAIL_STATUS,
	  "driver status 0x7fffffff has bits 0x7fffff70" },
	{ "status_driver_sets_failed", status_driver_failed, MEMSTAT_FAIL_DRIVER,
	  "the driver set FAILED (driver status 0x83)" },
	{ "doorbell_stats_before_driver_ok", db_stats_before_ok, MEMSTAT_FAIL_DOORBELL,
	  "doorbell STATS (2) before DRIVER_OK" },
	{ "doorbell_evt_before_driver_ok", db_evt_before_ok, MEMSTAT_FAIL_DOORBELL,
	  "doorbell EVT (3) before DRIVER_OK (driver status 0x0)" },
	{ "doorbell_cmd_before_driver_ok", db_cmd_before_ok, MEMSTAT_FAIL_DOORBELL,
	  "doorbell CMD (4) before DRIVER_OK (driver status 0xb)" },
	{ "doorbell_stats_feature_not_taken", db_stats_not_taken, MEMSTAT_FAIL_DOORBELL,
	  "did not take feature STATS" },
	{ "doorbell_evt_feature_not_taken", db_evt_not_taken, MEMSTAT_FAIL_DOORBELL,
	  "did not take feature EVT_RING" },
	{ "doorbell_cmd_feature_not_taken", db_cmd_not_taken, MEMSTAT_FAIL_DOORBELL,
	  "did not take feature CMD_RING" },
	{ "doorbell_value_zero", db_zero, MEMSTAT_FAIL_DOORBELL, "unknown doorbell value 0x0 " },
	{ "doorbell_value_five", db_five, MEMSTAT_FAIL_DOORBELL, "unknown doorbell value 0x5 " },
	{ "doorbell_value_all_ones", db_all_ones, MEMSTAT_FAIL_DOORBELL, "0xffffffff on port 0x510" },
	{ "doorbell_byte_write", db_byte, MEMSTAT_FAIL_DOORBELL, "1-byte write to doorbell" },
	{ "doorbell_word_write", db_word, MEMSTAT_FAIL_DOORBELL, "2-byte write to doorbell" },
	{ "evt_producer_one_past_ring", evt_prod_65, MEMSTAT_FAIL_RING_INDEX,
	  "event ring producer index 0x41 is 65 entries ahead of the consumer index 0x0 (ring size 64)" },
	{ "evt_producer_300_ahead", evt_prod_300, MEMSTAT_FAIL_RING_INDEX,
	  "producer index 0x12c is 300 entries ahead" },
	{ "evt_producer_half_way", evt_prod_half, MEMSTAT_FAIL_RING_INDEX,
	  "0x8000 is 32768 entries ahead" },
	{ "evt_producer_backwards", evt_prod_back, MEMSTAT_FAIL_RING_INDEX,
	  "producer index 0x1 moved back 1 entries from 0x2 (ring size 64)" },
	{ "evt_producer_backwards_across_zero", evt_prod_back_from_zero, MEMSTAT_FAIL_RING_INDEX,
	  "0xffff moved back 1 entries" },
	{ "evt_producer_jump_across_wrap", evt_prod_wrap_jump, MEMSTAT_FAIL_RING_INDEX,
	  "producer index 0x24 is 100 entries ahead of the consumer index 0xffc0" },
	{ "evt_type_zero", evt_type_zero, MEMSTAT_FAIL_RING_ENTRY, "event 0x0 has unknown type 0" },
	{ "evt_type_four", evt_type_four, MEMSTAT_FAIL_RING_ENTRY, "unknown type 4" },
	{ "evt_type_ffff", evt_type_ffff, MEMSTAT_FAIL_RING_ENTRY, "unknown type 65535" },
	{ "evt_flags_set", evt_flags, MEMSTAT_FAIL_RING_ENTRY, "has flags 0x1" },
	{ "evt_flags_high_bit", evt_flags_high, MEMSTAT_FAIL_RING_ENTRY, "has flags 0x8000" },
	{ "evt_ack_unknown_id", evt_ack_unknown, MEMSTAT_FAIL_RING_ENTRY,
	  "acks command id 42, which is not outstanding" },
	{ "evt_ack_id_zero", evt_ack_zero_id, MEMSTAT_FAIL_RING_ENTRY, "acks command id 0" },
	{ "evt_ack_twice", evt_ack_twice, MEMSTAT_FAIL_RING_ENTRY,
	  "event 0x1 acks command id 1, which is not outstanding" },
	{ "evt_ack_positive_result", evt_ack_positive, MEMSTAT_FAIL_RING_ENTRY,
	  "with result 1, not 0 or a negative errno" },
	{ "evt_ack_result_below_errno", evt_ack_huge_errno, MEMSTAT_FAIL_RING_ENTRY,
	  "with result -4096" },
	{ "evt_alloc_fail_with_id", evt_alloc_fail_id, MEMSTAT_FAIL_RING_ENTRY,
	  "has id 3, only acks carry one" },
	{ "evt_alloc_fail_bad_order", evt_alloc_fail_order, MEMSTAT_FAIL_RING_ENTRY,
	  "allocation failure of order 16" },
	{ "evt_bad_entry_after_good_ones", evt_bad_after_good, MEMSTAT_FAIL_RING_ENTRY,
	  "event 0x2 has unknown type 9" },
	{ "cmd_consumer_past_producer", cmd_cons_past_prod, MEMSTAT_FAIL_RING_INDEX,
	  "command ring consumer index 0x2 is 1 entries ahead of the producer index 0x1" },
	{ "cmd_consumer_with_no_commands", cmd_cons_no_commands, MEMSTAT_FAIL_RING_INDEX,
	  "consumer index 0x1234 is 4660 entries ahead" },
	{ "cmd_consumer_backwards", cmd_cons_back, MEMSTAT_FAIL_RING_INDEX,
	  "consumer index 0x1 moved back 1 entries from 0x2" },
	{ "cmd_consumer_backwards_across_zero", cmd_cons_wrap, MEMSTAT_FAIL_RING_INDEX,
	  "consumer index 0xffff moved back 1 entries from 0x0" },
	{ "stats_nr_one_too_many", stats_nr_max_plus_one, MEMSTAT_FAIL_STATS,
	  "nr_stats 512 exceeds the area's 511 entries" },
	{ "stats_nr_all_ones", stats_nr_huge, MEMSTAT_FAIL_STATS, "nr_stats 4294967295" },
	{ "stats_tag_after_virtio", stats_tag_virtio_nr, MEMSTAT_FAIL_STATS,
	  "stats entry 2 has unknown tag 0x10 (value 0x1234)" },
	{ "stats_tag_after_meminfo", stats_tag_mi_nr, MEMSTAT_FAIL_STATS, "unknown tag 0x110" },
	{ "stats_tag_after_zones", stats_tag_zone_nr, MEMSTAT_FAIL_STATS, "unknown tag 0x1080" },
	{ "stats_tag_after_updates", stats_tag_after_updates, MEMSTAT_FAIL_STATS,
	  "unknown tag 0x3002" },
	{ "stats_tag_ffff", stats_tag_ffff, MEMSTAT_FAIL_STATS, "unknown tag 0xffff" },
	{ "stats_tag_repeated", stats_tag_dup, MEMSTAT_FAIL_STATS, "entry 2 repeats tag 0x4" },
	{ "stats_seq_stuck_odd", stats_seq_odd, MEMSTAT_FAIL_STATS,
	  "sequence counter 0x3 still odd after 8 reads" },
	{ "stats_seq_all_ones", stats_seq_odd_huge, MEMSTAT_FAIL_STATS, "0xffffffff still odd" },
	{ "stats_seq_moves_during_copy", stats_seq_moving, MEMSTAT_FAIL_STATS,
	  "moved during 8 copies in a row" },
	{ "only_first_violation_reported", evt_then_status_garbage, MEMSTAT_FAIL_RING_INDEX,
	  "0x3e8 is 1000 entries ahead" },
};

static void run_hostile(void **state)
{
	struct fixture *f = *state;

	f->hc->act(f);
	assert_failed(f, f->hc->reason, f->hc->what);
}

/*
 * Random garbage in every byte of the region between random doorbells,
 * from a state that reached DRIVER_OK: never a crash, at most one line.
 */
static void test_random_garbage(void **state)
{
	struct fixture *f = *state;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (unsigned round = 0; round < 300; round++) {
		struct fixture *g = make_fixture(true);

		handshake(g, GOOD_FEATURES);
		for (unsigned i = 0; i < 200; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned off = (unsigned)(x % MEMSTAT_REGION_SIZE);
			g->region[off] = (uint8_t)(x >> 32);
			if (i % 10 == 0)
				ring(g, (uint32_t)(x >> 40) % 6);
			if (i % 50 == 0)
				memstat_dev_request_refresh(g->dev);
		}
		assert_true(diag_lines(g) <= 1);
		memstat_dev_snapshot(g->dev, &g->snap);
		json_decref(memstat_dev_snapshot_json(&g->snap));
		void *s = g;
		teardown(&s);
	}
	(void)f;
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test_setup_teardown(test_header_initialised, setup, teardown),
		cmocka_unit_test(test_no_irq_no_irq_feature),
		cmocka_unit_test(test_create_refuses_long_period),
		cmocka_unit_test_setup_teardown(test_cmdline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handshake_in_one_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subset_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_published, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_read_between_doorbells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meminfo_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_coalescing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_period_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping_and_wait_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_ring_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_ring_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_ring_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_and_renegotiate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_ports_and_reads, setup, teardown),
		cmocka_unit_test(test_fail_reason_names),
		cmocka_unit_test(test_reserve_inserts_in_order),
		cmocka_unit_test(test_reserve_refuses_overlaps),
		cmocka_unit_test(test_region_below_the_x86_mmio_area),
		cmocka_unit_test_setup_teardown(test_random_garbage, setup, teardown),
	};
	enum { NR_FIXED = sizeof(fixed) / sizeof(fixed[0]) };
	enum { NR_HOSTILE = sizeof(hostile_cases) / sizeof(hostile_cases[0]) };
	static struct CMUnitTest tests[NR_FIXED + NR_HOSTILE];
	static char names[NR_HOSTILE][64];

	memcpy(tests, fixed, sizeof(fixed));
	for (unsigned i = 0; i < NR_HOSTILE; i++) {
		snprintf(names[i], sizeof(names[i]), "hostile_%s", hostile_cases[i].name);
		tests[NR_FIXED + i] = (struct CMUnitTest){
			.name = names[i],
			.test_func = run_hostile,
			.setup_func = setup,
			.teardown_func = teardown,
			.initial_state = (void *)&hostile_cases[i],
		};
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
