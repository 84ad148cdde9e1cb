/* SPDX-License-Identifier: MIT */
/* The kernel's last words: print why, then exit with a code saying which end. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/compiler.h"

void __noreturn panic(const char *fmt, ...) __printf(1, 2);

/*
 * Unusable boot information (start info, command line): print one line
 * (the message, no prefix) and exit with GUEST_EXIT_BAD_BOOT.
 */
void __noreturn bad_boot(const char *fmt, ...) __printf(1, 2);

#endif /* KERNEL_PANIC_H */
