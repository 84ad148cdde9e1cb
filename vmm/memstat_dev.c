/* SPDX-License-Identifier: MIT */
/*
 * The memstat device, host side: the header the VMM offers, the handshake,
 * the doorbell, the two rings and the statistics copy, each checked as
 * hostile input (docs/memstat-device.md lists every check).
 *
 * Rules that keep the VMM safe whatever the guest writes:
 * - every offset into the region is a constant of the ABI or a ring slot
 *   masked by the ring size the device chose; no length or index read from
 *   the region is ever used to address memory;
 * - fields the host owns (ring sizes, producer index of the command ring,
 *   consumer index of the event ring, accepted features) are kept in this
 *   struct and only written to the region, never read back;
 * - guest data is copied out first, then checked, then used (no double
 *   fetch: the guest may rewrite it between two reads).
 */
#include "memstat_dev.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the ABI is little endian");
_Static_assert(MEMSTAT_DEV_CMD_RING_SIZE <= MEMSTAT_RING_MAX_SIZE &&
		       (MEMSTAT_DEV_CMD_RING_SIZE & (MEMSTAT_DEV_CMD_RING_SIZE - 1)) == 0,
	       "command ring size");
_Static_assert(MEMSTAT_DEV_EVT_RING_SIZE <= MEMSTAT_RING_MAX_SIZE &&
		       (MEMSTAT_DEV_EVT_RING_SIZE & (MEMSTAT_DEV_EVT_RING_SIZE - 1)) == 0,
	       "event ring size");

/*
 * How often a stats copy is retried while the sequence counter is odd or
 * moves. At a doorbell the single vCPU is stopped in the exit, so a
 * well-behaved guest needs one try; the retries cover a copy taken from
 * another thread while the guest runs.
 */
#define SEQ_RETRIES 8
/* Commands posted and not yet acked, at most: every slot, twice (consumed, not acked). */
#define MAX_OUTSTANDING (2 * MEMSTAT_DEV_CMD_RING_SIZE)
/* A negative errno an ack may carry: -1 .. -MAX_ERRNO, as Linux's IS_ERR_VALUE(). */
#define MAX_ERRNO 4095
/* The status values a driver passes through, in order (virtio 1.2, 3.1.1). */
static const uint32_t status_steps[] = {
	0,
	MEMSTAT_S_ACKNOWLEDGE,
	MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER,
	MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER | MEMSTAT_S_FEATURES_OK,
	MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER | MEMSTAT_S_FEATURES_OK | MEMSTAT_S_DRIVER_OK,
};
#define NR_STATUS_STEPS (sizeof(status_steps) / sizeof(status_steps[0]))
#define DRIVER_STATUS_BITS \
	(MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER | MEMSTAT_S_FEATURES_OK | MEMSTAT_S_DRIVER_OK)

#ifdef HOST_UNIT_TEST
/* Unit tests only: called in the middle of each stats copy, to move seq under it. */
void (*memstat_dev_copy_hook)(void *region);
#endif

struct outstanding {
	uint32_t id;
	uint16_t type;
	uint16_t idx; /* its command ring index */
	uint64_t posted_ns;
};

/* Acks kept for memstat_dev_wait_ack(): a waiter finds its command's here. */
#define ACK_LOG 16

struct memstat_dev {
	pthread_mutex_t lock;
	uint8_t *region;
	uint64_t gpa;
	uint32_t gsi;
	memstat_irq_fn irq;
	void *irq_ctx;
	FILE *diag;
	uint64_t offered;        /* device_features */
	uint32_t period_ms;
	uint64_t generation;     /* host_generation */
	/* Protocol state (host-owned copies; the region's are never read back). */
	uint32_t status;         /* the driver's last accepted status */
	bool failed;
	uint32_t fail_reason;
	char fail_msg[MEMSTAT_DEV_FAIL_MSG_MAX];
	bool reached_driver_ok;
	uint64_t features;       /* accepted at FEATURES_OK */
	uint16_t cmd_prod;       /* next command slot to fill */
	uint16_t cmd_cons;       /* the guest's consumer index, last accepted */
	uint16_t evt_cons;       /* next event to read */
	uint32_t next_id;
	struct outstanding out[MAX_OUTSTANDING];
	unsigned nr_out;
	/* The last ACK_LOG acks, newest at (ack_next - 1) % ACK_LOG; signalled on each. */
	struct memstat_ack acks[ACK_LOG];
	unsigned ack_next;
	pthread_cond_t acked;
	/* What a snapshot reports. */
	struct memstat_snapshot snap;
	/* Scratch for a stats copy (too large for the stack of a small thread). */
	struct memstat_stats copy;
};

/* CLOCK_MONOTONIC in ns, the timeline the rest of the VMM uses. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct memstat_hdr *hdr_of(struct memstat_dev *dev)
{
	return (struct memstat_hdr *)(dev->region + MEMSTAT_HDR_OFFSET);
}

static struct memstat_stats *stats_of(struct memstat_dev *dev)
{
	return (struct memstat_stats *)(dev->region + MEMSTAT_STATS_OFFSET);
}

static struct memstat_ring *cmd_ring(struct memstat_dev *dev)
{
	return (struct memstat_ring *)(dev->region + MEMSTAT_CMD_RING_OFFSET);
}

static struct memstat_ring *evt_ring(struct memstat_dev *dev)
{
	return (struct memstat_ring *)(dev->region + MEMSTAT_EVT_RING_OFFSET);
}

/* Loads and stores of shared fields: one access each, ordered like the guest's barriers. */
static uint16_t load16(const ms_le16 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint32_t load32(const ms_le32 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint64_t load64(const ms_le64 *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store16(ms_le16 *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void store32(ms_le32 *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void store64(ms_le64 *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Tell the guest the header changed: ISR_CONFIG and, if negotiated, the interrupt. */
static void notify_guest(struct memstat_dev *dev, uint32_t isr_bit)
{
	int ret;

	__atomic_fetch_or(&hdr_of(dev)->isr, isr_bit, __ATOMIC_SEQ_CST);
	if (!dev->irq || !(dev->features & MEMSTAT_F_IRQ))
		return;
	ret = dev->irq(dev->irq_ctx, dev->gsi);
	if (ret < 0)
		dev->snap.irq_errors++;
	else
		dev->snap.irqs++;
}

/*
 * The first protocol violation: FAILED, the reason, one line on diag.
 * Lock held. Later violations cannot happen (every entry point checks
 * dev->failed first).
 */
__attribute__((format(printf, 3, 4)))
static void fail(struct memstat_dev *dev, uint32_t reason, const char *fmt, ...)
{
	struct memstat_hdr *h = hdr_of(dev);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->fail_msg, sizeof(dev->fail_msg), fmt, ap);
	va_end(ap);
	dev->failed = true;
	dev->fail_reason = reason;
	store32(&h->fail_reason, reason);
	store32(&h->device_status, dev->status | MEMSTAT_S_FAILED);
	store64(&h->host_generation, ++dev->generation);
	fprintf(dev->diag, "vmm: memstat: %s: device FAILED\n", dev->fail_msg);
	fflush(dev->diag);
	pthread_cond_broadcast(&dev->acked); /* no ack will come now */
	notify_guest(dev, MEMSTAT_ISR_CONFIG);
}

static void write_header(struct memstat_dev *dev)
{
	struct memstat_hdr *h = hdr_of(dev);

	memset(dev->region, 0, MEMSTAT_REGION_SIZE);
	h->magic = MEMSTAT_MAGIC;
	h->device_abi_version = MEMSTAT_ABI_VERSION;
	h->device_features = dev->offered;
	h->stats_period_ms = dev->period_ms;
	h->cmd_ring_size = MEMSTAT_DEV_CMD_RING_SIZE;
	h->evt_ring_size = MEMSTAT_DEV_EVT_RING_SIZE;
	h->doorbell_port = MEMSTAT_DOORBELL_PORT;
	h->gsi = dev->gsi;
	h->host_generation = dev->generation;
}

struct memstat_dev *memstat_dev_create(uint64_t gpa, uint32_t gsi, uint32_t period_ms,
				       memstat_irq_fn irq, void *irq_ctx, FILE *diag,
				       struct vmm_err *err)
{
	struct memstat_dev *dev;

	if (period_ms > MEMSTAT_DEV_PERIOD_MAX_MS) {
		err_set(err, "memstat: stats period %" PRIu32 " ms is above the limit %u ms",
			period_ms, MEMSTAT_DEV_PERIOD_MAX_MS);
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		err_set(err, "memstat: out of memory");
		return NULL;
	}
	dev->region = mmap(NULL, MEMSTAT_REGION_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dev->region == MAP_FAILED) {
		err_set(err, "memstat: mmap of %u bytes for the device region: %s",
			MEMSTAT_REGION_SIZE, strerror(errno));
		free(dev);
		return NULL;
	}
	pthread_mutex_init(&dev->lock, NULL);
	{
		pthread_condattr_t ca;

		/* Waits are bounded in CLOCK_MONOTONIC time, like everything else here. */
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&dev->acked, &ca);
		pthread_condattr_destroy(&ca);
	}
	dev->gpa = gpa;
	dev->gsi = gsi;
	dev->irq = irq;
	dev->irq_ctx = irq_ctx;
	dev->diag = diag;
	dev->period_ms = period_ms;
	dev->offered = MEMSTAT_F_ALL_V1 & ~(irq ? 0 : MEMSTAT_F_IRQ);
	dev->next_id = 1;
	dev->snap.gpa = gpa;
	dev->snap.gsi = gsi;
	write_header(dev);
	return dev;
}

void memstat_dev_destroy(struct memstat_dev *dev)
{
	if (!dev)
		return;
	munmap(dev->region, MEMSTAT_REGION_SIZE);
	pthread_cond_destroy(&dev->acked);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

void *memstat_dev_region(struct memstat_dev *dev)
{
	return dev->region;
}

uint64_t memstat_dev_gpa(const struct memstat_dev *dev)
{
	return dev->gpa;
}

int memstat_dev_cmdline(const struct memstat_dev *dev, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s=%uK@0x%" PRIx64 ":%" PRIu32, MEMSTAT_CMDLINE_NAME,
			 MEMSTAT_REGION_SIZE >> 10, dev->gpa, dev->gsi);

	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* Back to the state after create: the driver wrote 0 to its status (virtio reset). */
static void reset_device(struct memstat_dev *dev)
{
	struct memstat_hdr *h = hdr_of(dev);

	dev->status = 0;
	dev->features = 0;
	dev->cmd_prod = dev->cmd_cons = dev->evt_cons = 0;
	dev->nr_out = 0;
	dev->snap.outstanding = 0;
	pthread_cond_broadcast(&dev->acked); /* outstanding commands are gone */
	store16(&cmd_ring(dev)->prod_idx, 0);
	store16(&evt_ring(dev)->cons_idx, 0);
	store32(&h->isr, 0);
	store32(&h->device_status, 0);
	store64(&h->host_generation, ++dev->generation);
}

/* FEATURES_OK is being set: the driver's ABI version and features must be ones we speak. */
static bool accept_features(struct memstat_dev *dev)
{
	struct memstat_hdr *h = hdr_of(dev);
	uint32_t ver = load32(&h->driver_abi_version);
	uint64_t feat = load64(&h->driver_features);

	if (ver != MEMSTAT_ABI_VERSION) {
		fail(dev, MEMSTAT_FAIL_ABI_VERSION,
		     "driver ABI version %" PRIu32 " at FEATURES_OK, the device speaks only %u", ver,
		     MEMSTAT_ABI_VERSION);
		return false;
	}
	if (feat & (uint64_t)~MEMSTAT_F_ALL_V1) {
		fail(dev, MEMSTAT_FAIL_FEATURES,
		     "driver features 0x%" PRIx64 " have bits 0x%" PRIx64
		     " unknown to ABI version %u", feat, feat & (uint64_t)~MEMSTAT_F_ALL_V1,
		     MEMSTAT_ABI_VERSION);
		return false;
	}
	if (feat & ~dev->offered) {
		fail(dev, MEMSTAT_FAIL_FEATURES,
		     "driver features 0x%" PRIx64 " take bits 0x%" PRIx64
		     " the device did not offer (0x%" PRIx64 ")", feat, feat & ~dev->offered,
		     dev->offered);
		return false;
	}
	if ((feat & MEMSTAT_F_PERIODIC) && !(feat & MEMSTAT_F_STATS)) {
		fail(dev, MEMSTAT_FAIL_FEATURES,
		     "driver features 0x%" PRIx64 " take PERIODIC without STATS", feat);
		return false;
	}
	dev->features = feat;
	return true;
}

static int status_step(uint32_t status)
{
	for (unsigned i = 0; i < NR_STATUS_STEPS; i++)
		if (status_steps[i] == status)
			return (int)i;
	return -1;
}

/* MEMSTAT_DB_STATUS: the driver's status moved (or features changed). */
static void db_status(struct memstat_dev *dev)
{
	struct memstat_hdr *h = hdr_of(dev);
	uint32_t st = load32(&h->driver_status);
	int from = status_step(dev->status), to;

	if (st & ~(DRIVER_STATUS_BITS | MEMSTAT_S_FAILED)) {
		fail(dev, MEMSTAT_FAIL_STATUS,
		     "driver status 0x%" PRIx32 " has bits 0x%" PRIx32 " a driver may not set", st,
		     st & ~(DRIVER_STATUS_BITS | MEMSTAT_S_FAILED));
		return;
	}
	if (st & MEMSTAT_S_FAILED) {
		fail(dev, MEMSTAT_FAIL_DRIVER, "the driver set FAILED (driver status 0x%" PRIx32 ")",
		     st);
		return;
	}
	if (st == 0) {
		reset_device(dev);
		return;
	}
	to = status_step(st);
	if (to < 0 || to < from) {
		fail(dev, MEMSTAT_FAIL_STATUS,
		     "driver status 0x%" PRIx32 " -> 0x%" PRIx32
		     " is not a virtio transition (ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK)",
		     dev->status, st);
		return;
	}
	if (!(dev->status & MEMSTAT_S_FEATURES_OK) && (st & MEMSTAT_S_FEATURES_OK) &&
	    !accept_features(dev))
		return;
	if (st & MEMSTAT_S_DRIVER_OK)
		dev->reached_driver_ok = true;
	if (st != dev->status) {
		dev->status = st;
		store32(&h->device_status, st);
		store64(&h->host_generation, ++dev->generation);
	}
}

/* Lock held, not failed: after FEATURES_OK the driver may not change its features or version. */
static bool features_unchanged(struct memstat_dev *dev)
{
	struct memstat_hdr *h = hdr_of(dev);
	uint64_t feat;
	uint32_t ver;

	if (!(dev->status & MEMSTAT_S_FEATURES_OK))
		return true;
	feat = load64(&h->driver_features);
	ver = load32(&h->driver_abi_version);
	if (feat != dev->features) {
		fail(dev, MEMSTAT_FAIL_FEATURES,
		     "driver features changed from 0x%" PRIx64 " to 0x%" PRIx64
		     " after FEATURES_OK", dev->features, feat);
		return false;
	}
	if (ver != MEMSTAT_ABI_VERSION) {
		fail(dev, MEMSTAT_FAIL_ABI_VERSION,
		     "driver ABI version changed to %" PRIu32 " after FEATURES_OK", ver);
		return false;
	}
	return true;
}

/* Highest tag value memstat_tag_known() accepts, for the duplicate bitmap. */
#define TAG_BITMAP_BITS (MEMSTAT_TAG_UPDATES + 1)

/* The copied stats in dev->copy: count, tags, duplicates. False after fail(). */
static bool check_stats_copy(struct memstat_dev *dev)
{
	uint64_t seen[(TAG_BITMAP_BITS + 63) / 64];
	const struct memstat_stats *c = &dev->copy;

	if (c->nr_stats > MEMSTAT_MAX_STATS) {
		fail(dev, MEMSTAT_FAIL_STATS,
		     "stats nr_stats %" PRIu32 " exceeds the area's %zu entries", c->nr_stats,
		     (size_t)MEMSTAT_MAX_STATS);
		return false;
	}
	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < c->nr_stats; i++) {
		uint16_t tag = c->stats[i].tag;

		if (!memstat_tag_known(tag)) {
			fail(dev, MEMSTAT_FAIL_STATS,
			     "stats entry %" PRIu32 " has unknown tag 0x%x (value 0x%" PRIx64 ")", i,
			     tag, c->stats[i].val);
			return false;
		}
		if (seen[tag / 64] & (1ull << (tag % 64))) {
			fail(dev, MEMSTAT_FAIL_STATS, "stats entry %" PRIu32 " repeats tag 0x%x", i,
			     tag);
			return false;
		}
		seen[tag / 64] |= 1ull << (tag % 64);
	}
	return true;
}

enum copy_result { COPY_OK, COPY_TORN, COPY_FAILED };

/*
 * Copy the stats area under its sequence counter into dev->copy, then
 * check it and make it the snapshot's. @at_doorbell: the guest said it has
 * published (and is stopped in the exit), so an odd or moving counter is a
 * protocol error; from another thread it only means "try later".
 */
static enum copy_result read_stats(struct memstat_dev *dev, bool at_doorbell)
{
	struct memstat_stats *s = stats_of(dev);
	uint32_t seq1 = 0, seq2 = 0;
	int tries;

	for (tries = 0; tries < SEQ_RETRIES; tries++) {
		seq1 = load32(&s->seq);
		if (seq1 & 1)
			continue;
		memcpy(&dev->copy, s, sizeof(dev->copy));
#ifdef HOST_UNIT_TEST
		if (memstat_dev_copy_hook)
			memstat_dev_copy_hook(dev->region);
#endif
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		seq2 = load32(&s->seq);
		if (seq1 == seq2)
			break;
	}
	if (tries == SEQ_RETRIES) {
		if (!at_doorbell) {
			dev->snap.torn_reads++;
			return COPY_TORN;
		}
		if (seq1 & 1)
			fail(dev, MEMSTAT_FAIL_STATS,
			     "stats sequence counter 0x%" PRIx32 " still odd after %d reads at a "
			     "STATS doorbell", seq1, SEQ_RETRIES);
		else
			fail(dev, MEMSTAT_FAIL_STATS,
			     "stats sequence counter moved during %d copies in a row "
			     "(0x%" PRIx32 " -> 0x%" PRIx32 ")", SEQ_RETRIES, seq1, seq2);
		return COPY_FAILED;
	}
	if (!check_stats_copy(dev))
		return COPY_FAILED;
	if (dev->snap.have_stats && dev->snap.stats_seq == seq1 && !at_doorbell)
		return COPY_OK; /* nothing new */
	dev->snap.have_stats = true;
	dev->snap.stats_time_ns = now_ns();
	dev->snap.stats_seq = seq1;
	dev->snap.nr_stats = dev->copy.nr_stats;
	memcpy(dev->snap.stats, dev->copy.stats, dev->copy.nr_stats * sizeof(dev->copy.stats[0]));
	dev->snap.stats_updates++;
	return COPY_OK;
}

/*
 * A ring index the guest owns (@name: the command consumer, the event
 * producer) went from @last to @now, where at most @limit entries forward
 * are legal. Anything else fails the device, saying whether the index went
 * back (by at most a ring) or jumped ahead of the host's index @ref (@ref_name).
 */
static bool guest_index_ok(struct memstat_dev *dev, const char *name, uint16_t now,
			   uint16_t last, uint16_t limit, const char *ref_name, uint16_t ref,
			   unsigned ring_size)
{
	uint16_t back = (uint16_t)(last - now);

	if ((uint16_t)(now - last) <= limit)
		return true;
	if (back <= ring_size)
		fail(dev, MEMSTAT_FAIL_RING_INDEX,
		     "%s 0x%x moved back %u entries from 0x%x (ring size %u)", name, now, back, last,
		     ring_size);
	else
		fail(dev, MEMSTAT_FAIL_RING_INDEX,
		     "%s 0x%x is %u entries ahead of the %s 0x%x (ring size %u)", name, now,
		     (uint16_t)(now - ref), ref_name, ref, ring_size);
	return false;
}

/* MEMSTAT_DB_CMD: the guest consumed commands. */
static void db_cmd(struct memstat_dev *dev)
{
	uint16_t cons = load16(&cmd_ring(dev)->cons_idx);
	uint16_t avail = (uint16_t)(dev->cmd_prod - dev->cmd_cons);

	if (!guest_index_ok(dev, "command ring consumer index", cons, dev->cmd_cons, avail,
			    "producer index", dev->cmd_prod, MEMSTAT_DEV_CMD_RING_SIZE))
		return;
	dev->snap.commands_consumed += (uint16_t)(cons - dev->cmd_cons);
	dev->cmd_cons = cons;
}

/*
 * Has the guest consumed @o (moved its consumer index past it)? An
 * outstanding command is at most MAX_OUTSTANDING posts old, so its index
 * cannot alias into the unconsumed window after a u16 wrap.
 */
static bool cmd_consumed(const struct memstat_dev *dev, const struct outstanding *o)
{
	return (uint16_t)(o->idx - dev->cmd_cons) >= (uint16_t)(dev->cmd_prod - dev->cmd_cons);
}

static void remove_outstanding(struct memstat_dev *dev, unsigned j)
{
	memmove(&dev->out[j], &dev->out[j + 1], (dev->nr_out - j - 1) * sizeof(dev->out[0]));
	dev->nr_out--;
	dev->snap.outstanding = dev->nr_out;
}

/* One event copied out of the ring: check it, account for it. False after fail(). */
static bool take_event(struct memstat_dev *dev, uint16_t idx, const struct memstat_msg *m)
{
	int64_t ret;
	unsigned j;

	if (m->flags) {
		fail(dev, MEMSTAT_FAIL_RING_ENTRY,
		     "event 0x%x (type %u) has flags 0x%x, ABI version %u defines none", idx,
		     m->type, m->flags, MEMSTAT_ABI_VERSION);
		return false;
	}
	switch (m->type) {
	case MEMSTAT_EVT_ACK:
		for (j = 0; j < dev->nr_out && dev->out[j].id != m->id; j++)
			;
		if (j == dev->nr_out) {
			fail(dev, MEMSTAT_FAIL_RING_ENTRY,
			     "event 0x%x acks command id %" PRIu32 ", which is not outstanding",
			     idx, m->id);
			return false;
		}
		ret = (int64_t)m->arg[0];
		if (ret > 0 || ret < -MAX_ERRNO) {
			fail(dev, MEMSTAT_FAIL_RING_ENTRY,
			     "event 0x%x acks command id %" PRIu32 " with result %" PRId64
			     ", not 0 or a negative errno", idx, m->id, ret);
			return false;
		}
		if (ret)
			dev->snap.commands_nacked++;
		dev->snap.commands_acked++;
		dev->acks[dev->ack_next++ % ACK_LOG] = (struct memstat_ack){
			.id = m->id, .type = dev->out[j].type, .result = ret,
			.arg = { m->arg[0], m->arg[1], m->arg[2] },
			.latency_ns = now_ns() - dev->out[j].posted_ns,
		};
		pthread_cond_broadcast(&dev->acked);
		remove_outstanding(dev, j);
		break;
	case MEMSTAT_EVT_ALLOC_FAIL:
	case MEMSTAT_EVT_WORKLOAD:
		if (m->id) {
			fail(dev, MEMSTAT_FAIL_RING_ENTRY,
			     "event 0x%x (type %u) has id %" PRIu32 ", only acks carry one", idx,
			     m->type, m->id);
			return false;
		}
		if (m->type == MEMSTAT_EVT_ALLOC_FAIL && m->arg[0] >= MEMSTAT_MAX_ORDERS) {
			fail(dev, MEMSTAT_FAIL_RING_ENTRY,
			     "event 0x%x reports an allocation failure of order %" PRIu64
			     " (orders are below %u)", idx, m->arg[0], MEMSTAT_MAX_ORDERS);
			return false;
		}
		break;
	default:
		fail(dev, MEMSTAT_FAIL_RING_ENTRY, "event 0x%x has unknown type %u (id %" PRIu32 ")",
		     idx, m->type, m->id);
		return false;
	}
	dev->snap.events++;
	dev->snap.evt_by_type[m->type]++;
	{
		struct memstat_snapshot *s = &dev->snap;
		struct memstat_dev_event *e;

		if (s->nr_evt_log == MEMSTAT_DEV_EVT_LOG) {
			memmove(&s->evt_log[0], &s->evt_log[1],
				(MEMSTAT_DEV_EVT_LOG - 1) * sizeof(s->evt_log[0]));
			s->nr_evt_log--;
		}
		e = &s->evt_log[s->nr_evt_log++];
		e->time_ns = now_ns();
		e->type = m->type;
		e->id = m->id;
		memcpy(e->arg, m->arg, sizeof(e->arg));
	}
	return true;
}

/* MEMSTAT_DB_EVT: read every new event, then publish our consumer index. */
static void db_evt(struct memstat_dev *dev)
{
	struct memstat_ring *r = evt_ring(dev);
	uint16_t prod = load16(&r->prod_idx);

	/* The host consumed up to evt_cons: the producer may be at most a ring ahead of it. */
	if (!guest_index_ok(dev, "event ring producer index", prod, dev->evt_cons,
			    MEMSTAT_DEV_EVT_RING_SIZE, "consumer index", dev->evt_cons,
			    MEMSTAT_DEV_EVT_RING_SIZE))
		return;
	while (dev->evt_cons != prod) {
		struct memstat_msg m;

		memcpy(&m, &r->slots[dev->evt_cons & (MEMSTAT_DEV_EVT_RING_SIZE - 1)], sizeof(m));
		if (!take_event(dev, dev->evt_cons, &m))
			return;
		dev->evt_cons++;
	}
	store16(&r->cons_idx, dev->evt_cons);
}

static const char *doorbell_name(uint32_t v)
{
	switch (v) {
	case MEMSTAT_DB_STATUS: return "STATUS";
	case MEMSTAT_DB_STATS: return "STATS";
	case MEMSTAT_DB_EVT: return "EVT";
	case MEMSTAT_DB_CMD: return "CMD";
	default: return "?";
	}
}

/* A doorbell that needs DRIVER_OK and a feature: are both there? */
static bool doorbell_allowed(struct memstat_dev *dev, uint32_t v, uint64_t feature,
			     const char *feature_name)
{
	if (!(dev->status & MEMSTAT_S_DRIVER_OK)) {
		fail(dev, MEMSTAT_FAIL_DOORBELL,
		     "doorbell %s (%" PRIu32 ") before DRIVER_OK (driver status 0x%" PRIx32 ")",
		     doorbell_name(v), v, dev->status);
		return false;
	}
	if (!(dev->features & feature)) {
		fail(dev, MEMSTAT_FAIL_DOORBELL,
		     "doorbell %s (%" PRIu32 ") but the driver did not take feature %s "
		     "(features 0x%" PRIx64 ")", doorbell_name(v), v, feature_name, dev->features);
		return false;
	}
	return true;
}

/* One doorbell value; lock held. */
static void doorbell(struct memstat_dev *dev, uint32_t v)
{
	dev->snap.doorbells++;
	if (dev->failed) {
		dev->snap.doorbells_ignored++;
		return;
	}
	if (!features_unchanged(dev))
		return;
	switch (v) {
	case MEMSTAT_DB_STATUS:
		db_status(dev);
		break;
	case MEMSTAT_DB_STATS:
		if (doorbell_allowed(dev, v, MEMSTAT_F_STATS, "STATS"))
			read_stats(dev, true);
		break;
	case MEMSTAT_DB_EVT:
		if (doorbell_allowed(dev, v, MEMSTAT_F_EVT_RING, "EVT_RING"))
			db_evt(dev);
		break;
	case MEMSTAT_DB_CMD:
		if (doorbell_allowed(dev, v, MEMSTAT_F_CMD_RING, "CMD_RING"))
			db_cmd(dev);
		break;
	default:
		fail(dev, MEMSTAT_FAIL_DOORBELL, "unknown doorbell value 0x%" PRIx32 " on port 0x%x",
		     v, MEMSTAT_DOORBELL_PORT);
		break;
	}
}

bool memstat_dev_pio(struct memstat_dev *dev, uint16_t port, unsigned size, bool is_write,
		     uint8_t *data)
{
	uint32_t v = 0;

	if (port != MEMSTAT_DOORBELL_PORT)
		return false;
	if (!is_write) {
		memset(data, 0xff, size);
		return true;
	}
	pthread_mutex_lock(&dev->lock);
	if (size != sizeof(v)) {
		dev->snap.doorbells++;
		if (dev->failed)
			dev->snap.doorbells_ignored++;
		else
			fail(dev, MEMSTAT_FAIL_DOORBELL,
			     "%u-byte write to doorbell port 0x%x, the doorbell is a 4-byte write",
			     size, MEMSTAT_DOORBELL_PORT);
	} else {
		memcpy(&v, data, sizeof(v));
		doorbell(dev, v);
	}
	pthread_mutex_unlock(&dev->lock);
	return true;
}

/* Lock held: can commands be posted now? 0 or -errno. */
static int cmd_ring_usable(struct memstat_dev *dev)
{
	if (dev->failed || !(dev->status & MEMSTAT_S_DRIVER_OK))
		return -ENODEV;
	if (!(dev->features & MEMSTAT_F_CMD_RING))
		return -ENOTSUP;
	if ((uint16_t)(dev->cmd_prod - dev->cmd_cons) >= MEMSTAT_DEV_CMD_RING_SIZE ||
	    dev->nr_out == MAX_OUTSTANDING)
		return -EBUSY;
	return 0;
}

/* Lock held, cmd_ring_usable(): fill the next slot, publish it, interrupt. Returns the id. */
static int64_t post_cmd(struct memstat_dev *dev, uint16_t type, uint64_t arg0)
{
	struct memstat_ring *r = cmd_ring(dev);
	struct memstat_msg *slot = &r->slots[dev->cmd_prod & (MEMSTAT_DEV_CMD_RING_SIZE - 1)];
	uint32_t id = dev->next_id++;

	if (!dev->next_id)
		dev->next_id = 1;
	*slot = (struct memstat_msg){ .type = type, .flags = 0, .id = id, .arg = { arg0 } };
	dev->out[dev->nr_out++] = (struct outstanding){ .id = id, .type = type,
						       .idx = dev->cmd_prod,
						       .posted_ns = now_ns() };
	dev->cmd_prod++;
	store16(&r->prod_idx, dev->cmd_prod);
	dev->snap.outstanding = dev->nr_out;
	dev->snap.commands_posted++;
	notify_guest(dev, MEMSTAT_ISR_CMD);
	return id;
}

int64_t memstat_dev_request_refresh(struct memstat_dev *dev)
{
	int64_t ret;

	pthread_mutex_lock(&dev->lock);
	ret = cmd_ring_usable(dev);
	if (ret == 0 || ret == -EBUSY) {
		/* A refresh the guest has not picked up yet will do. */
		for (unsigned j = 0; j < dev->nr_out; j++)
			if (dev->out[j].type == MEMSTAT_CMD_REFRESH_STATS &&
			    !cmd_consumed(dev, &dev->out[j])) {
				ret = dev->out[j].id;
				goto out;
			}
	}
	if (ret == 0)
		ret = post_cmd(dev, MEMSTAT_CMD_REFRESH_STATS, 0);
out:
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int64_t memstat_dev_set_period(struct memstat_dev *dev, uint32_t period_ms)
{
	struct memstat_hdr *h = hdr_of(dev);
	int64_t ret = 0;
	bool running;

	if (period_ms > MEMSTAT_DEV_PERIOD_MAX_MS)
		return -EINVAL;
	pthread_mutex_lock(&dev->lock);
	if (dev->failed) {
		ret = -ENODEV;
		goto out;
	}
	/* A command that cannot be posted refuses the change: the header stays as the guest runs. */
	running = dev->status & MEMSTAT_S_DRIVER_OK;
	if (running && (dev->features & MEMSTAT_F_CMD_RING)) {
		ret = cmd_ring_usable(dev);
		if (ret)
			goto out;
	}
	dev->period_ms = period_ms;
	store32(&h->stats_period_ms, period_ms);
	store64(&h->host_generation, ++dev->generation);
	if (!running)
		goto out; /* the driver reads the header when it starts */
	if (!(dev->features & MEMSTAT_F_CMD_RING)) {
		notify_guest(dev, MEMSTAT_ISR_CONFIG); /* no command: the header says it */
		goto out;
	}
	ret = post_cmd(dev, MEMSTAT_CMD_SET_PERIOD, period_ms);
out:
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int64_t memstat_dev_ping(struct memstat_dev *dev, uint64_t arg)
{
	int64_t ret;

	pthread_mutex_lock(&dev->lock);
	ret = cmd_ring_usable(dev);
	if (ret == 0)
		ret = post_cmd(dev, MEMSTAT_CMD_PING, arg);
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* Lock held: the ack of command @id among the last ACK_LOG, or NULL. */
static const struct memstat_ack *find_ack(const struct memstat_dev *dev, uint32_t id)
{
	for (unsigned i = 0; i < ACK_LOG; i++)
		if (dev->acks[i].id == id)
			return &dev->acks[i];
	return NULL;
}

/* Lock held: is command @id posted and not yet acked? */
static bool is_outstanding(const struct memstat_dev *dev, uint32_t id)
{
	for (unsigned j = 0; j < dev->nr_out; j++)
		if (dev->out[j].id == id)
			return true;
	return false;
}

int memstat_dev_wait_ack(struct memstat_dev *dev, uint32_t id, unsigned timeout_ms,
			 struct memstat_ack *ack)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ull),
			       .tv_nsec = (long)(deadline % 1000000000ull) };
	const struct memstat_ack *a;
	int ret = 0;

	if (!id)
		return -ENOENT;
	pthread_mutex_lock(&dev->lock);
	for (;;) {
		a = find_ack(dev, id);
		if (a) {
			*ack = *a;
			break;
		}
		if (dev->failed) {
			ret = -ENODEV;
			break;
		}
		if (!is_outstanding(dev, id)) {
			ret = -ENOENT; /* never posted, dropped by a driver reset, or acked long ago */
			break;
		}
		if (pthread_cond_timedwait(&dev->acked, &dev->lock, &ts) == ETIMEDOUT) {
			a = find_ack(dev, id);
			if (a)
				*ack = *a;
			else
				ret = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

void memstat_dev_snapshot(struct memstat_dev *dev, struct memstat_snapshot *out)
{
	pthread_mutex_lock(&dev->lock);
	/* The guest may publish without a doorbell (periodic): look, without insisting. */
	if (!dev->failed && (dev->status & MEMSTAT_S_DRIVER_OK) &&
	    (dev->features & MEMSTAT_F_STATS))
		read_stats(dev, false);
	dev->snap.device_status = dev->failed ? dev->status | MEMSTAT_S_FAILED : dev->status;
	dev->snap.driver_status = dev->status;
	dev->snap.fail_reason = dev->fail_reason;
	memcpy(dev->snap.fail_msg, dev->fail_msg, sizeof(dev->fail_msg));
	dev->snap.reached_driver_ok = dev->reached_driver_ok;
	dev->snap.driver_features = dev->features;
	dev->snap.stats_period_ms = dev->period_ms;
	/* Only the valid part of the stats array: it is most of the struct. */
	memcpy(out, &dev->snap, offsetof(struct memstat_snapshot, stats));
	memcpy(out->stats, dev->snap.stats, dev->snap.nr_stats * sizeof(out->stats[0]));
	out->nr_evt_log = dev->snap.nr_evt_log;
	memcpy(out->evt_log, dev->snap.evt_log, sizeof(out->evt_log));
	pthread_mutex_unlock(&dev->lock);
}

void memstat_dev_print_final(struct memstat_dev *dev, FILE *out)
{
	struct memstat_snapshot *s = malloc(sizeof(*s));

	if (!s)
		return;
	memstat_dev_snapshot(dev, s);
	if (s->reached_driver_ok) {
		fprintf(out, "vmm: memstat: final guest meminfo (%" PRIu64 " updates%s):\n",
			s->stats_updates, s->fail_reason ? ", device FAILED" : "");
		memstat_dev_print_meminfo(s, out);
	}
	free(s);
}
