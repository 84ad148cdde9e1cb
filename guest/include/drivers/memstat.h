/* SPDX-License-Identifier: MIT */
/*
 * The guest driver of the memstat device (shared/memstat_dev.h is the
 * ABI; docs/guest-interrupts.md and docs/memstat-device.md the protocol):
 *
 *   memstat.device=SIZE@ADDR:GSI   the device (the VMM appends it)
 *   memstat.hostile=KIND           commit one protocol violation (tests)
 *
 * guest/drivers/memstat.c        probe, handshake, publication, commands
 * guest/drivers/memstat_parse.c  the parameter, the E820 check, the hostile
 *                                kinds' names (host-testable)
 * guest/drivers/memstat_stats.c  figures to tag/value pairs (host-testable)
 * guest/drivers/memstat_hostile.c the violations of memstat.hostile=
 */
#ifndef DRIVERS_MEMSTAT_H
#define DRIVERS_MEMSTAT_H

#include "abi/memstat_dev.h"
#include "kernel/types.h"
#include "mm/e820.h"

/* ---- the parameter (memstat_parse.c) ---- */

/* memstat.device= as parsed: SIZE@ADDR:GSI. */
struct memstat_param {
	u64 size;
	u64 addr;
	u32 gsi;
};

/* Highest GSI the syntax accepts (an I/O APIC redirection entry number is 8 bits). */
#define MEMSTAT_GSI_MAX 255u

/*
 * Parse "SIZE@ADDR:GSI" (SIZE as memparse(): 20K, 0x5000; ADDR and GSI as
 * kstrtou64 with base 0). Checks: every part present and a number, SIZE at
 * least MEMSTAT_REGION_SIZE and a whole number of pages, ADDR page aligned,
 * ADDR + SIZE not wrapping nor beyond 2^52, GSI <= MEMSTAT_GSI_MAX.
 * Returns 0, or -EINVAL with the problem (naming the offending value)
 * written to @why.
 */
int memstat_parse_device(const char *val, struct memstat_param *p, char *why, size_t why_len);

/*
 * Whether E820 @table reserves all of [@addr, @addr + @size) and none of it
 * is usable RAM (or anything but "reserved"). NULL if it does, else the
 * problem, written to @buf.
 */
const char *memstat_check_e820(const struct e820_table *table, u64 addr, u64 size, char *buf,
			       size_t len);

/* SET_PERIOD above an hour is refused (-EINVAL); the VMM's limit is the same. */
#define MEMSTAT_PERIOD_MAX_MS 3600000u

/*
 * Whether the driver may run command @m with the features @features it
 * negotiated: 0, or -EINVAL for flags set, an unknown type, an argument the
 * command does not use that is not 0, a period above MEMSTAT_PERIOD_MAX_MS,
 * or a command whose feature was not taken (REFRESH_STATS needs STATS,
 * SET_PERIOD needs PERIODIC).
 */
int memstat_check_command(const struct memstat_msg *m, u64 features);

/* ---- the statistics (memstat_stats.c) ---- */

/* The figures one publication carries (memstat.c gathers them). */
struct memstat_figures {
	u64 virtio[MEMSTAT_TAG_VIRTIO_NR];  /* by virtio-balloon tag */
	u64 meminfo[MEMSTAT_MI_NR];         /* by enum memstat_meminfo, bytes */
	u32 meminfo_valid;                  /* bit i: meminfo[i] is known */
	unsigned int nr_zones;
	struct {
		unsigned int zone;          /* zone index (< MEMSTAT_MAX_ZONES) */
		unsigned int nr_orders;     /* <= MEMSTAT_MAX_ORDERS */
		u64 nr_free[MEMSTAT_MAX_ORDERS]; /* free blocks of each order */
	} zones[MEMSTAT_MAX_ZONES];
	unsigned int nr_vm_events;          /* <= MEMSTAT_TAG_VMSTAT_NR */
	const unsigned long *vm_events;
	u64 tsc;
	u64 updates;
};

/* Which tags a memstat_figures produces, in which order (the values aside). */
struct memstat_layout {
	u32 meminfo_valid;
	unsigned int nr_zones;
	unsigned int nr_vm_events;
	u8 zone[MEMSTAT_MAX_ZONES];
	u8 nr_orders[MEMSTAT_MAX_ZONES];
};

/* The layout of @f into @l, and whether two layouts give the same tags in the same order. */
void memstat_stats_layout(const struct memstat_figures *f, struct memstat_layout *l);
bool memstat_same_layout(const struct memstat_layout *a, const struct memstat_layout *b);

/*
 * Encode @f as tag/value pairs into @out (room for @max): virtio tags in
 * order, the known meminfo tags, free areas zone by zone, vmstat events,
 * then TSC and UPDATES. Every tag is valid and appears once. Returns the
 * number written; entries that would pass @max are left out (and counted
 * in *@dropped if it is not NULL).
 */
unsigned int memstat_encode_stats(volatile struct memstat_stat *out, unsigned int max,
				  const struct memstat_figures *f, unsigned int *dropped);

/*
 * The same, and with @values_only, write only the values: @out must then
 * hold the tags of an earlier encoding of figures with the same layout
 * (memstat_same_layout()), which this leaves in place.
 */
unsigned int memstat_encode(volatile struct memstat_stat *out, unsigned int max,
			    const struct memstat_figures *f, unsigned int *dropped,
			    bool values_only);

/* ---- the violations of memstat.hostile= (memstat_hostile.c) ---- */

enum memstat_hostile {
	MEMSTAT_HOSTILE_NONE,
	MEMSTAT_HOSTILE_ABI_OLD,          /* driver ABI version 0 at FEATURES_OK */
	MEMSTAT_HOSTILE_ABI_NEW,          /* driver ABI version 2 at FEATURES_OK */
	MEMSTAT_HOSTILE_ABI_CHANGE,       /* ABI version rewritten after FEATURES_OK */
	MEMSTAT_HOSTILE_FEATURES_UNKNOWN, /* a feature bit ABI version 1 does not define */
	MEMSTAT_HOSTILE_FEATURES_PERIODIC_ONLY, /* PERIODIC without STATS */
	MEMSTAT_HOSTILE_FEATURES_CHANGE,  /* features rewritten after FEATURES_OK */
	MEMSTAT_HOSTILE_STATUS_SKIP,      /* DRIVER_OK without FEATURES_OK */
	MEMSTAT_HOSTILE_STATUS_BACK,      /* from DRIVER_OK back to ACKNOWLEDGE */
	MEMSTAT_HOSTILE_STATUS_BITS,      /* NEEDS_RESET, a bit only the device sets */
	MEMSTAT_HOSTILE_STATUS_FAILED,    /* the driver gives up: FAILED */
	MEMSTAT_HOSTILE_EVT_PROD_JUMP,    /* event producer index ring size + 1 ahead */
	MEMSTAT_HOSTILE_EVT_PROD_BACK,    /* event producer index moved backwards */
	MEMSTAT_HOSTILE_CMD_CONS_AHEAD,   /* command consumer index past the producer */
	MEMSTAT_HOSTILE_CMD_CONS_BACK,    /* command consumer index moved backwards */
	MEMSTAT_HOSTILE_EVT_BAD_TYPE,     /* an event of an undefined type */
	MEMSTAT_HOSTILE_EVT_BAD_FLAGS,    /* an event with flags set */
	MEMSTAT_HOSTILE_EVT_BAD_ACK_ID,   /* an ack of a command never posted */
	MEMSTAT_HOSTILE_EVT_ID_ON_EVENT,  /* an ALLOC_FAIL event carrying an id */
	MEMSTAT_HOSTILE_EVT_BAD_ORDER,    /* an ALLOC_FAIL event of order 99 */
	MEMSTAT_HOSTILE_STATS_NR_HUGE,    /* nr_stats beyond the area */
	MEMSTAT_HOSTILE_STATS_BAD_TAG,    /* a tag no ABI defines */
	MEMSTAT_HOSTILE_STATS_DUP_TAG,    /* one tag twice */
	MEMSTAT_HOSTILE_STATS_SEQ_ODD,    /* STATS doorbell with the counter left odd */
	MEMSTAT_HOSTILE_DOORBELL_UNKNOWN, /* doorbell value 0x99 */
	MEMSTAT_HOSTILE_DOORBELL_SIZE,    /* a 1-byte doorbell write */
	MEMSTAT_HOSTILE_DOORBELL_EARLY,   /* STATS doorbell before DRIVER_OK */
	MEMSTAT_HOSTILE_DOORBELL_NO_FEATURE, /* EVT doorbell without the event ring feature */
	MEMSTAT_HOSTILE_NR,
};

/* The KIND names, "abi-old" ... (index = enum memstat_hostile; [0] is NULL). */
extern const char *const memstat_hostile_names[MEMSTAT_HOSTILE_NR];

/* The kind named @name, or MEMSTAT_HOSTILE_NONE if there is none. */
enum memstat_hostile memstat_hostile_lookup(const char *name);

/* ---- the driver (memstat.c) ---- */

/* Read memstat.device= and memstat.hostile= (before unknown parameters are reported). */
void memstat_parse_cmdline(void);

/*
 * Probe the device (after E820, the page tables, the APICs): check the
 * parameter against E820 and the I/O APIC, map the region, run the
 * handshake up to DRIVER_OK, route the interrupt, start the period timer;
 * or commit memstat.hostile='s violation. One line says what happened; a
 * missing or refused device leaves the boot going, statistics on the
 * console only.
 */
void memstat_init(void);

/*
 * Publish a snapshot now and print the driver's summary line ("memstat:
 * stats published at @when: ..."): at the end of boot and of idle=.
 */
void memstat_publish_now(const char *when);

/*
 * Work that must not run in an interrupt handler (printing), and, without
 * an interrupt, the command ring by polling. The idle loop calls it with
 * interrupts off.
 */
void memstat_poll(void);

#endif /* DRIVERS_MEMSTAT_H */
