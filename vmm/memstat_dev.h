/* SPDX-License-Identifier: MIT */
/*
 * The memstat device, host side (shared/memstat_dev.h is the ABI,
 * docs/memstat-device.md the protocol): a few pages of host memory mapped
 * into the guest as their own memslot, read by the VMM as hostile input.
 *
 * Threads: the vCPU thread calls memstat_dev_pio() on the doorbell port; any
 * other thread (the control socket, the --stats writer) may call
 * memstat_dev_request_refresh(), memstat_dev_set_period() and
 * memstat_dev_snapshot() at the same time. One mutex inside the device
 * serialises them; none of them blocks on the guest.
 *
 * Failure: the first protocol violation sets device_status FAILED with a
 * fail_reason, prints ONE line "vmm: memstat: ...: device FAILED" and the
 * guest keeps running; later doorbells are counted and ignored.
 */
#ifndef VMM_MEMSTAT_DEV_H
#define VMM_MEMSTAT_DEV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../shared/memstat_dev.h"
#include "error.h"

/*
 * Where the region lives: in the 32-bit hole, below the IOAPIC
 * (LAYOUT_X86_MMIO_START), where QEMU's microvm puts its virtio-mmio
 * devices. The default layout has no DIMM there; layout_reserve_region()
 * refuses one that has.
 */
#define MEMSTAT_DEV_GPA 0xfeb00000ull
/* The interrupt line: IOAPIC pin 5 (a free ISA line: COM1 is 4, nothing uses 5 here). */
#define MEMSTAT_DEV_GSI 5u
/* Ring sizes the device offers (entries, power of two, <= MEMSTAT_RING_MAX_SIZE). */
#define MEMSTAT_DEV_CMD_RING_SIZE MEMSTAT_RING_MAX_SIZE
#define MEMSTAT_DEV_EVT_RING_SIZE MEMSTAT_RING_MAX_SIZE
/* --stats-period: default and bounds in ms (0 = the guest publishes on request only). */
#define MEMSTAT_DEV_PERIOD_DEFAULT_MS 1000u
#define MEMSTAT_DEV_PERIOD_MAX_MS 3600000u
/* Events the snapshot keeps, newest last. */
#define MEMSTAT_DEV_EVT_LOG 16u
/* Longest fail message (the text after "vmm: memstat: "). */
#define MEMSTAT_DEV_FAIL_MSG_MAX 200u

/*
 * Raise the device's interrupt: inject an edge on @gsi. Called with the
 * device lock held, from whichever thread posted a command. Returns 0 or
 * -errno (counted, never fatal).
 */
typedef int (*memstat_irq_fn)(void *ctx, uint32_t gsi);

struct memstat_dev; /* opaque: memstat_dev.c */

/* One guest event as the device accepted it. */
struct memstat_dev_event {
	uint64_t time_ns; /* CLOCK_MONOTONIC when the device read it */
	uint16_t type;    /* MEMSTAT_EVT_* */
	uint32_t id;
	uint64_t arg[3];
};

/*
 * A consistent copy of everything the device knows, taken under its lock:
 * CTL may keep it, print it, turn it into JSON, without holding anything.
 */
struct memstat_snapshot {
	uint64_t gpa;               /* region base */
	uint32_t gsi;
	uint32_t device_status;     /* MEMSTAT_S_*: the driver's accepted status, or FAILED */
	uint32_t driver_status;     /* last status the device accepted from the driver */
	uint32_t fail_reason;       /* enum memstat_fail_reason */
	char fail_msg[MEMSTAT_DEV_FAIL_MSG_MAX]; /* "" unless FAILED */
	bool reached_driver_ok;     /* DRIVER_OK was accepted at some point */
	uint64_t driver_features;   /* accepted at FEATURES_OK, 0 before */
	uint32_t stats_period_ms;   /* as in the header now */
	/* Counters. */
	uint64_t doorbells;         /* every doorbell write */
	uint64_t doorbells_ignored; /* written after FAILED */
	uint64_t stats_updates;     /* snapshots accepted */
	uint64_t torn_reads;        /* copies from another thread that caught the guest writing */
	uint64_t events;            /* event ring entries accepted */
	uint64_t evt_by_type[4];    /* indexed by MEMSTAT_EVT_* (0 unused) */
	uint64_t commands_posted;
	uint64_t commands_consumed; /* the guest moved the command consumer index past them */
	uint64_t commands_acked;
	uint64_t commands_nacked;   /* acked with a negative errno */
	uint64_t irqs;              /* interrupts injected */
	uint64_t irq_errors;        /* injections the host refused */
	uint32_t outstanding;       /* commands posted and not yet acked */
	/* The guest's last accepted statistics (valid when have_stats). */
	bool have_stats;
	uint64_t stats_time_ns;     /* CLOCK_MONOTONIC of the copy */
	uint32_t stats_seq;         /* the even sequence value copied */
	uint32_t nr_stats;
	struct memstat_stat stats[MEMSTAT_MAX_STATS];
	/* The last events, oldest first. */
	uint32_t nr_evt_log;
	struct memstat_dev_event evt_log[MEMSTAT_DEV_EVT_LOG];
};

/*
 * Create the device: map MEMSTAT_REGION_SIZE bytes of zeroed host memory
 * and initialise the header (magic, ABI version, MEMSTAT_F_ALL_V1, ring
 * sizes, doorbell port, @gsi, @period_ms). @irq may be NULL (no
 * interrupts: the device then does not offer MEMSTAT_F_IRQ). Messages go
 * to @diag. Returns NULL with @err on failure.
 */
struct memstat_dev *memstat_dev_create(uint64_t gpa, uint32_t gsi, uint32_t period_ms,
				       memstat_irq_fn irq, void *irq_ctx, FILE *diag,
				       struct vmm_err *err);

/* Unmap and free; NULL is fine. The region must no longer be a memslot. */
void memstat_dev_destroy(struct memstat_dev *dev);

/* The host mapping of the region (MEMSTAT_REGION_SIZE bytes), for the memslot. */
void *memstat_dev_region(struct memstat_dev *dev);
uint64_t memstat_dev_gpa(const struct memstat_dev *dev);

/*
 * The command-line announcement "memstat.device=20K@0xfeb00000:5" into
 * @buf (NUL-terminated). Returns its length, or -1 if @len is too small.
 */
int memstat_dev_cmdline(const struct memstat_dev *dev, char *buf, size_t len);

/*
 * A port access by the guest (vCPU thread). Returns false if @port is not
 * the doorbell. A 4-byte write is a doorbell; other sizes are protocol
 * errors; reads return all ones (the doorbell is write-only).
 */
bool memstat_dev_pio(struct memstat_dev *dev, uint16_t port, unsigned size, bool is_write,
		     uint8_t *data);

/*
 * Ask the guest for fresh statistics: post MEMSTAT_CMD_REFRESH_STATS and
 * interrupt it. A refresh already outstanding is reused (no second one is
 * queued). Returns the command id (> 0), or -ENODEV before DRIVER_OK or
 * after FAILED, -ENOTSUP if the driver did not take the command ring,
 * -EBUSY if the ring is full.
 */
int64_t memstat_dev_request_refresh(struct memstat_dev *dev);

/*
 * Change the publication period: header stats_period_ms, and a
 * MEMSTAT_CMD_SET_PERIOD command when the driver took the command ring.
 * Returns the command id, 0 if only the header changed, or -errno as above
 * (-EINVAL above MEMSTAT_DEV_PERIOD_MAX_MS).
 */
int64_t memstat_dev_set_period(struct memstat_dev *dev, uint32_t period_ms);

/*
 * Post MEMSTAT_CMD_PING with @arg (the guest echoes it in its ack's arg[1])
 * and interrupt. Returns the command id, or -errno as
 * memstat_dev_request_refresh() (never coalesced).
 */
int64_t memstat_dev_ping(struct memstat_dev *dev, uint64_t arg);

/* The guest's acknowledgement of one command. */
struct memstat_ack {
	uint32_t id;
	uint16_t type;       /* the command's MEMSTAT_CMD_* */
	int64_t result;      /* arg[0]: 0 or a negative errno */
	uint64_t arg[3];     /* as the guest wrote them (PING: arg[1] is the echo) */
	uint64_t latency_ns; /* from the post to the EVT doorbell that brought the ack */
};

/*
 * Wait up to @timeout_ms (CLOCK_MONOTONIC) for the ack of command @id (any
 * thread but the vCPU's: the ack arrives on its doorbell). 0 with @ack
 * filled; -ETIMEDOUT; -ENODEV if the device FAILED meanwhile; -ENOENT if
 * @id is not outstanding (never posted, or dropped by a driver reset) and
 * not among the last 16 acks.
 */
int memstat_dev_wait_ack(struct memstat_dev *dev, uint32_t id, unsigned timeout_ms,
			 struct memstat_ack *ack);

/* Copy the device's state and the guest's last statistics into @out. */
void memstat_dev_snapshot(struct memstat_dev *dev, struct memstat_snapshot *out);

/*
 * @s as JSON: {"status": "DRIVER_OK"|..., "fail_reason": ..., "counters":
 * {...}, "stats": {"MemTotal": bytes, ..., "free_area": {"Normal": [per
 * order]}, "vmstat": {"<index>": count}, "other": {"<tag>": value}},
 * "events": [...]}. New reference; NULL only when out of memory.
 */
json_t *memstat_dev_snapshot_json(const struct memstat_snapshot *s);

/*
 * The guest's figures from @s in /proc/meminfo's format ("%-16s%8lu kB"),
 * in Linux's order, the fields the tags give. Nothing if !s->have_stats.
 */
void memstat_dev_print_meminfo(const struct memstat_snapshot *s, FILE *out);

/*
 * At VMM exit: if the driver ever reached DRIVER_OK, print a heading line
 * and the final meminfo (the guest's last statistics) to @out.
 */
void memstat_dev_print_final(struct memstat_dev *dev, FILE *out);


#endif /* VMM_MEMSTAT_DEV_H */
