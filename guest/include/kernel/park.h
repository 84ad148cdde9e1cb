/* SPDX-License-Identifier: MIT */
/*
 * `park=POINT`: stop the boot at a chosen point and spin, interrupts off,
 * so that an outside observer (QEMU's monitor: `info mem`, `info tlb`) can
 * look at a guest that no longer changes (guest/kernel/park.c,
 * docs/pagetable-dump.md).
 */
#ifndef KERNEL_PARK_H
#define KERNEL_PARK_H

/* Where the boot can park, in boot order. */
enum park_point {
	PARK_NONE,
	PARK_AFTER_PTDUMP, /* park=after-ptdump: right after ptdump_show() */
	PARK_BEFORE_EXIT,  /* park=before-exit: after the reports, instead of exiting */
};

/* Read `park=` with the other parameters (a bad value is bad_boot()). */
void park_parse_cmdline(void);

/*
 * If `park=` named @point: print the guest's own translation of the first
 * and last page of every present range of its page-table dump ("park:
 * translate VA -> PA"), then one line "park: parked at POINT ...", and
 * spin with PAUSE and interrupts off, forever.
 */
void park_at(enum park_point point);

#endif /* KERNEL_PARK_H */
