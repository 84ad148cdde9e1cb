/* SPDX-License-Identifier: MIT */
/*
 * I/O ports and exit codes of the VMM <-> guest ABI.
 */
#ifndef SHARED_PORTS_H
#define SHARED_PORTS_H

/* 16550 UART, COM1: the guest's console. */
#define SERIAL_COM1_BASE 0x3f8
#define SERIAL_COM1_NR_PORTS 8

/*
 * Debug exit (QEMU's isa-debug-exit, iobase=0xf4, iosize=4): the value the
 * guest writes is its exit code. The VMM exits with it unchanged; QEMU
 * exits with (value << 1) | 1.
 */
#define DEBUG_EXIT_PORT 0xf4

/*
 * Page-table dump request: a write of any value (a tag the guest chooses,
 * 8, 16 or 32 bits) asks the VMM to append a dump of the guest's kernel
 * page tables to its --dump-pagetables file, named "request N tag 0xT"
 * (docs/pagetable-dump.md). Outside QEMU's fw_cfg (0x510-0x51b) and
 * debug-exit ports, so under QEMU the write goes nowhere.
 */
#define PTDUMP_REQUEST_PORT 0x520

/* Codes the guest writes (all below GUEST_EXIT_MAX, see docs/exit-codes.md). */
#define GUEST_EXIT_SUCCESS 0   /* everything ran and passed */
#define GUEST_EXIT_FAILURE 1   /* a check or selftest failed */
#define GUEST_EXIT_PANIC 2     /* panic(): the kernel gave up */
#define GUEST_EXIT_EXCEPTION 3 /* unhandled CPU exception */
#define GUEST_EXIT_BAD_BOOT 4  /* unusable boot information (start info) */
#define GUEST_EXIT_MAX 63      /* larger values are a guest protocol error */

#endif /* SHARED_PORTS_H */
