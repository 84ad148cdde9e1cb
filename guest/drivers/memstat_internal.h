/* SPDX-License-Identifier: MIT */
/*
 * What memstat.c shares with memstat_hostile.c: the mapped device and the
 * few primitives a protocol step is made of. Not for other users.
 */
#ifndef DRIVERS_MEMSTAT_INTERNAL_H
#define DRIVERS_MEMSTAT_INTERNAL_H

#include "abi/memstat_dev.h"
#include "drivers/memstat.h"
#include "kernel/types.h"

/* The device as mapped: every field is shared with the host, hence volatile. */
struct memstat_dev_map {
	volatile struct memstat_hdr *hdr;
	volatile struct memstat_stats *stats;
	volatile struct memstat_ring *cmd;
	volatile struct memstat_ring *evt;
	u32 cmd_size, evt_size; /* checked: powers of two, <= MEMSTAT_RING_MAX_SIZE */
};

extern struct memstat_dev_map memstat_dev;

/* The features this driver implements (all of ABI version 1). */
#define MEMSTAT_DRIVER_FEATURES MEMSTAT_F_ALL_V1

/* Write @value to the doorbell port (one 32-bit out). */
void memstat_doorbell(u32 value);

/* Write the driver status and ring MEMSTAT_DB_STATUS; false if the device then says FAILED. */
bool memstat_set_status(u32 status);

/* Whether device_status has FAILED. */
bool memstat_device_failed(void);

/*
 * The handshake up to FEATURES_OK with @features and ABI version
 * @abi_version (the hostile kinds change them); false, with a line, if the
 * device failed on the way.
 */
bool memstat_negotiate(u64 features, u32 abi_version);

/*
 * Commit memstat.hostile=@kind on the mapped device, ring the doorbell,
 * and print whether the device reports FAILED (memstat_hostile.c).
 */
void memstat_hostile_run(enum memstat_hostile kind);

#endif /* DRIVERS_MEMSTAT_INTERNAL_H */
