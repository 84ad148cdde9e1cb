/* SPDX-License-Identifier: MIT */
/* Leaving the virtual machine with an exit code (the debug-exit port). */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#include "kernel/compiler.h"
#include "kernel/types.h"

/*
 * Write @code to the debug-exit port (the VMM's exit status; QEMU's is
 * (code << 1) | 1), then halt with interrupts off for machines without
 * that device.
 */
void __noreturn guest_exit(u32 code);

#endif /* KERNEL_EXIT_H */
