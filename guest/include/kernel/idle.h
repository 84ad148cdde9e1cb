/* SPDX-License-Identifier: MIT */
/*
 * `idle=MS`: after the boot's actions, stay up for MS milliseconds of TSC
 * time (0: forever) with interrupts on, serving the memstat device and the
 * period timer, then exit as usual (guest/kernel/idle.c,
 * docs/guest-interrupts.md). This is not Linux's idle= (poll, halt,
 * nomwait), which chooses the idle loop's instruction.
 */
#ifndef KERNEL_IDLE_H
#define KERNEL_IDLE_H

/* The longest idle= accepted: a day. */
#define IDLE_MAX_MS 86400000ul

/* Read idle= with the other parameters (a bad value is bad_boot()). */
void idle_parse_cmdline(void);

/*
 * Wait as idle= asked, or return at once without it. With a local APIC the
 * CPU halts between interrupts (a one-shot timer ends the wait when the
 * device's period timer is not running); without one (no irqchip: HLT
 * would leave the VMM's run loop) it polls the device with PAUSE.
 */
void idle_run(void);

#endif /* KERNEL_IDLE_H */
