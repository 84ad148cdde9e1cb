/* SPDX-License-Identifier: MIT */
/*
 * The memstat device: a few pages of guest RAM shared by the guest and the
 * VMM, carrying the guest's memory statistics and two message rings. It is
 * "virtio-like": a virtio-style feature and status handshake and
 * split-virtqueue-style free-running ring indices, but the whole device is
 * plain shared memory (no trapped registers), so each side reads what the
 * other wrote and checks it before use. See docs/memstat-device.md.
 *
 * Discovery: the VMM reserves the region in E820 and appends
 *   memstat.device=SIZE@ADDR:GSI
 * to the guest command line, in the virtio-mmio convention
 * (virtio_mmio.device=<size>@<baseaddr>:<irq>). Under QEMU there is no such
 * parameter and the guest reports on its serial console only.
 *
 * Byte order is little endian; every multi-byte field is naturally aligned.
 * Both sides include this header; its static asserts fix the layout.
 */
#ifndef SHARED_MEMSTAT_DEV_H
#define SHARED_MEMSTAT_DEV_H

/* Only <stdint.h>: the VMM (hosted C11) and the guest (freestanding) both include it. */
#include <stdint.h>
typedef uint16_t ms_le16;
typedef uint32_t ms_le32;
typedef uint64_t ms_le64;

/* The command-line parameter name ("memstat.device=..."). */
#define MEMSTAT_CMDLINE_NAME "memstat.device"

#define MEMSTAT_MAGIC 0x5453454dU /* "MEST" read as a little-endian u32 */
/*
 * ABI version: both sides write theirs; each refuses a peer whose version it
 * does not speak (the driver sets FAILED, the device answers with FAILED and
 * MEMSTAT_FAIL_ABI_VERSION), never guesses.
 */
#define MEMSTAT_ABI_VERSION 1U

#define MEMSTAT_PAGE_SIZE 4096U
/* Region: header page, stats pages, command ring page, event ring page. */
#define MEMSTAT_HDR_OFFSET 0U
#define MEMSTAT_STATS_OFFSET (1U * MEMSTAT_PAGE_SIZE)
#define MEMSTAT_STATS_SIZE (2U * MEMSTAT_PAGE_SIZE)
#define MEMSTAT_CMD_RING_OFFSET (3U * MEMSTAT_PAGE_SIZE)
#define MEMSTAT_EVT_RING_OFFSET (4U * MEMSTAT_PAGE_SIZE)
#define MEMSTAT_RING_BYTES MEMSTAT_PAGE_SIZE
#define MEMSTAT_REGION_SIZE (5U * MEMSTAT_PAGE_SIZE)

/* Device (host) features, offered in memstat_hdr.device_features. */
#define MEMSTAT_F_STATS (1ULL << 0)        /* the statistics area */
#define MEMSTAT_F_PERIODIC (1ULL << 1)     /* the guest republishes every stats_period_ms */
#define MEMSTAT_F_CMD_RING (1ULL << 2)     /* host-to-guest commands */
#define MEMSTAT_F_EVT_RING (1ULL << 3)     /* guest-to-host events */
#define MEMSTAT_F_IRQ (1ULL << 4)          /* the host interrupts the guest on GSI */
/* Every feature this ABI version defines; a bit outside it is a protocol error. */
#define MEMSTAT_F_ALL_V1 (MEMSTAT_F_STATS | MEMSTAT_F_PERIODIC | MEMSTAT_F_CMD_RING | \
			  MEMSTAT_F_EVT_RING | MEMSTAT_F_IRQ)

/* Status bits, virtio's values (virtio 1.2, 2.1). */
#define MEMSTAT_S_ACKNOWLEDGE 1U
#define MEMSTAT_S_DRIVER 2U
#define MEMSTAT_S_DRIVER_OK 4U
#define MEMSTAT_S_FEATURES_OK 8U
#define MEMSTAT_S_NEEDS_RESET 64U
#define MEMSTAT_S_FAILED 128U

/* Why the device set FAILED (memstat_hdr.fail_reason); 0 while it has not. */
enum memstat_fail_reason {
	MEMSTAT_FAIL_NONE = 0,
	MEMSTAT_FAIL_ABI_VERSION = 1,   /* driver_abi_version is not one the device speaks */
	MEMSTAT_FAIL_FEATURES = 2,      /* driver_features not a subset of device_features */
	MEMSTAT_FAIL_STATUS = 3,        /* a status transition virtio does not allow */
	MEMSTAT_FAIL_RING_INDEX = 4,    /* a producer index moved by more than the ring size */
	MEMSTAT_FAIL_RING_ENTRY = 5,    /* an entry with a bad type, length or argument */
	MEMSTAT_FAIL_STATS = 6,         /* stats count, tag or sequence counter broken */
	MEMSTAT_FAIL_DOORBELL = 7,      /* an unknown doorbell value */
	MEMSTAT_FAIL_DRIVER = 8,        /* the driver set FAILED itself */
};

/*
 * Guest-to-host doorbell: an `out` of a 32-bit MEMSTAT_DB_* value to this
 * port (the VMM may catch it with an ioeventfd). The port is fixed by the
 * ABI and repeated in memstat_hdr.doorbell_port for the driver to check.
 */
#define MEMSTAT_DOORBELL_PORT 0x510
enum memstat_doorbell {
	MEMSTAT_DB_STATUS = 1, /* status or driver_features changed */
	MEMSTAT_DB_STATS = 2,  /* a new statistics snapshot is published */
	MEMSTAT_DB_EVT = 3,    /* new entries in the event ring */
	MEMSTAT_DB_CMD = 4,    /* commands consumed (cmd ring consumer index moved) */
};

/* Interrupt cause bits in memstat_hdr.isr (virtio-mmio InterruptStatus). */
#define MEMSTAT_ISR_CMD 1U    /* new commands in the command ring */
#define MEMSTAT_ISR_CONFIG 2U /* the header changed (stats_period_ms, status) */

/*
 * Page 0. Fields are written by one side only (marked), so no field is
 * ever written by both; isr is set by the host and cleared by the guest
 * with an atomic exchange.
 */
struct memstat_hdr {
	ms_le32 magic;              /* host: MEMSTAT_MAGIC */
	ms_le32 device_abi_version; /* host: MEMSTAT_ABI_VERSION */
	ms_le64 device_features;    /* host */
	ms_le32 driver_abi_version; /* guest */
	ms_le32 reserved0;
	ms_le64 driver_features;    /* guest: a subset of device_features */
	ms_le32 driver_status;      /* guest: MEMSTAT_S_* the driver has reached */
	ms_le32 device_status;      /* host: FAILED / NEEDS_RESET, else mirrors the driver's */
	ms_le32 fail_reason;        /* host: enum memstat_fail_reason */
	ms_le32 stats_period_ms;    /* host: republish period, 0 = on request only */
	ms_le32 cmd_ring_size;      /* host: entries, a power of two */
	ms_le32 evt_ring_size;      /* host: entries, a power of two */
	ms_le32 doorbell_port;      /* host: MEMSTAT_DOORBELL_PORT */
	ms_le32 gsi;                /* host: the interrupt line, as on the command line */
	ms_le32 isr;                /* host sets, guest clears: MEMSTAT_ISR_* */
	ms_le32 reserved1;
	ms_le64 host_generation;    /* host: bumped on every header change */
};

/* A statistic: virtio-balloon's tag/value pair, padded to 16 bytes. */
struct memstat_stat {
	ms_le16 tag;
	ms_le16 reserved[3];
	ms_le64 val;
};

/* virtio-balloon tags (virtio 1.2, 5.5.6.3), same meaning and units. */
#define MEMSTAT_TAG_SWAP_IN 0      /* bytes swapped in */
#define MEMSTAT_TAG_SWAP_OUT 1     /* bytes swapped out */
#define MEMSTAT_TAG_MAJFLT 2       /* major faults */
#define MEMSTAT_TAG_MINFLT 3       /* minor faults */
#define MEMSTAT_TAG_MEMFREE 4      /* bytes free (MemFree) */
#define MEMSTAT_TAG_MEMTOT 5       /* bytes total (MemTotal) */
#define MEMSTAT_TAG_AVAIL 6        /* bytes available (MemAvailable) */
#define MEMSTAT_TAG_CACHES 7       /* bytes of disk caches */
#define MEMSTAT_TAG_HTLB_PGALLOC 8 /* hugetlb allocations */
#define MEMSTAT_TAG_HTLB_PGFAIL 9  /* hugetlb allocation failures */
#define MEMSTAT_TAG_OOM_KILL 10
#define MEMSTAT_TAG_ALLOC_STALL 11
#define MEMSTAT_TAG_ASYNC_SCAN 12
#define MEMSTAT_TAG_DIRECT_SCAN 13
#define MEMSTAT_TAG_ASYNC_RECLAIM 14
#define MEMSTAT_TAG_DIRECT_RECLAIM 15
#define MEMSTAT_TAG_VIRTIO_NR 16

/* The project's own tags, above virtio's. */
/* meminfo-level figures, in bytes: MEMSTAT_TAG_MEMINFO + enum memstat_meminfo. */
#define MEMSTAT_TAG_MEMINFO 0x0100
enum memstat_meminfo {
	MEMSTAT_MI_BUFFERS, MEMSTAT_MI_HIGH_TOTAL, MEMSTAT_MI_HIGH_FREE, MEMSTAT_MI_LOW_TOTAL,
	MEMSTAT_MI_LOW_FREE, MEMSTAT_MI_SLAB, MEMSTAT_MI_SRECLAIMABLE, MEMSTAT_MI_SUNRECLAIM,
	MEMSTAT_MI_KERNEL_STACK, MEMSTAT_MI_PAGE_TABLES, MEMSTAT_MI_VMALLOC_TOTAL,
	MEMSTAT_MI_VMALLOC_USED, MEMSTAT_MI_DIRECT_MAP_4K, MEMSTAT_MI_DIRECT_MAP_2M,
	MEMSTAT_MI_DIRECT_MAP_1G, MEMSTAT_MI_RESERVED, MEMSTAT_MI_NR
};
/* Free pages per zone and order: MEMSTAT_TAG_FREE_AREA(zone, order). */
#define MEMSTAT_TAG_FREE_AREA_BASE 0x1000
#define MEMSTAT_MAX_ZONES 8
#define MEMSTAT_MAX_ORDERS 16
#define MEMSTAT_TAG_FREE_AREA(zone, order) \
	(MEMSTAT_TAG_FREE_AREA_BASE + (zone) * MEMSTAT_MAX_ORDERS + (order))
/* vmstat event counters: MEMSTAT_TAG_VMSTAT + the guest's vm_event index. */
#define MEMSTAT_TAG_VMSTAT 0x2000
#define MEMSTAT_TAG_VMSTAT_NR 0x1000
/* Publication bookkeeping: the guest's TSC at publication, and the update count. */
#define MEMSTAT_TAG_TSC 0x3000
#define MEMSTAT_TAG_UPDATES 0x3001

/*
 * Pages 1-2: the statistics, written by the guest under a sequence
 * counter: seq is made odd, entries and nr_stats written, then seq made
 * even (with write barriers between). The host copies the area and retries
 * while seq is odd or changed during the copy; after a bounded number of
 * retries it reports the snapshot as torn rather than wait forever.
 */
#define MEMSTAT_MAX_STATS ((MEMSTAT_STATS_SIZE - 16U) / sizeof(struct memstat_stat))
struct memstat_stats {
	ms_le32 seq;
	ms_le32 nr_stats; /* valid entries, <= MEMSTAT_MAX_STATS */
	ms_le64 reserved;
	struct memstat_stat stats[MEMSTAT_MAX_STATS];
};

/*
 * Rings (pages 3 and 4): one producer, one consumer each, indices are
 * free-running u16 counters (virtio split virtqueue): entry i lives in
 * slot i & (size - 1); the producer fills the slot, then publishes
 * prod_idx; the consumer reads up to prod_idx, then publishes cons_idx.
 * (u16)(prod_idx - cons_idx) > size is a protocol error.
 */
struct memstat_msg {
	ms_le16 type;  /* MEMSTAT_CMD_* or MEMSTAT_EVT_* */
	ms_le16 flags; /* 0 in ABI version 1 */
	ms_le32 id;    /* commands: chosen by the host; acks repeat it */
	ms_le64 arg[3];
};

struct memstat_ring {
	ms_le16 prod_idx; /* producer */
	ms_le16 reserved0;
	ms_le16 cons_idx; /* consumer */
	ms_le16 reserved1;
	ms_le64 reserved2;
	struct memstat_msg slots[];
};
#define MEMSTAT_RING_MAX_SIZE 64U /* (4096 - 16) / 32 = 127, rounded down to a power of two */

/* Host-to-guest commands. */
enum memstat_cmd {
	MEMSTAT_CMD_REFRESH_STATS = 1, /* publish a snapshot now; ack when published */
	MEMSTAT_CMD_SET_PERIOD = 2,    /* arg[0] = period in ms (0 = off); ack */
	MEMSTAT_CMD_PING = 3,          /* ack with arg[0] echoed */
};

/* Guest-to-host events. */
enum memstat_evt {
	MEMSTAT_EVT_ACK = 1,       /* id = the command's; arg[0] = 0 or a negative errno */
	MEMSTAT_EVT_ALLOC_FAIL = 2, /* arg[0] = order, arg[1] = gfp flags */
	MEMSTAT_EVT_WORKLOAD = 3,  /* arg[0] = workload step, arg[1..2] = its figures */
};

/*
 * Is @tag one this ABI version defines? The guest encodes only such tags and
 * the VMM refuses any other: one rule, here, for both sides.
 */
static inline int memstat_tag_known(uint16_t tag)
{
	return tag < MEMSTAT_TAG_VIRTIO_NR ||
	       (tag >= MEMSTAT_TAG_MEMINFO && tag < MEMSTAT_TAG_MEMINFO + MEMSTAT_MI_NR) ||
	       (tag >= MEMSTAT_TAG_FREE_AREA_BASE &&
		tag < MEMSTAT_TAG_FREE_AREA(MEMSTAT_MAX_ZONES, 0)) ||
	       (tag >= MEMSTAT_TAG_VMSTAT && tag < MEMSTAT_TAG_VMSTAT + MEMSTAT_TAG_VMSTAT_NR) ||
	       tag == MEMSTAT_TAG_TSC || tag == MEMSTAT_TAG_UPDATES;
}

/* A fail reason's name, as both sides print it; "?" for a value the ABI does not define. */
static inline const char *memstat_fail_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[MEMSTAT_FAIL_NONE] = "none",
		[MEMSTAT_FAIL_ABI_VERSION] = "ABI version",
		[MEMSTAT_FAIL_FEATURES] = "features",
		[MEMSTAT_FAIL_STATUS] = "status",
		[MEMSTAT_FAIL_RING_INDEX] = "ring index",
		[MEMSTAT_FAIL_RING_ENTRY] = "ring entry",
		[MEMSTAT_FAIL_STATS] = "stats",
		[MEMSTAT_FAIL_DOORBELL] = "doorbell",
		[MEMSTAT_FAIL_DRIVER] = "driver",
	};

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

#define MEMSTAT_STATIC_ASSERT(cond, what) _Static_assert(cond, what)
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_hdr) == 80, "memstat_hdr layout");
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_stat) == 16, "memstat_stat layout");
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_stats) <= MEMSTAT_STATS_SIZE, "stats area size");
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_msg) == 32, "memstat_msg layout");
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_ring) == 16, "memstat_ring header layout");
MEMSTAT_STATIC_ASSERT(sizeof(struct memstat_ring) + MEMSTAT_RING_MAX_SIZE *
		      sizeof(struct memstat_msg) <= MEMSTAT_RING_BYTES, "ring fits its page");
MEMSTAT_STATIC_ASSERT((MEMSTAT_RING_MAX_SIZE & (MEMSTAT_RING_MAX_SIZE - 1)) == 0,
		      "ring size is a power of two");

#endif /* SHARED_MEMSTAT_DEV_H */
