/* SPDX-License-Identifier: MIT */
/*
 * Command-line parameters that make the kernel do something testable after
 * its boot report (guest/kernel/test_params.c, docs/guest.md):
 *   probe=ADDR[,ADDR...]  read and write back a u32 at each physical address
 *   crash=de|ud|gp|pf|panic|triple   raise that fault
 *   spin                  loop forever, interrupts off
 *   exit=N                exit with N instead of 0
 */
#ifndef KERNEL_TEST_PARAMS_H
#define KERNEL_TEST_PARAMS_H

#include "kernel/types.h"

#define PROBE_MAX_ADDRS 8
/* Probes reach any physical address below 2^48 (the CPU may allow less). */
#define PROBE_ADDR_LIMIT (1ull << 48)

/* Read and check the parameters; a bad value is a bad boot (one line, exit). */
void test_params_parse(void);

/* Probe, crash or spin as asked; returns the exit code to end the boot with. */
u32 test_params_run(void);

#endif /* KERNEL_TEST_PARAMS_H */
