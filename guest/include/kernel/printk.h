/* SPDX-License-Identifier: MIT */
/*
 * Kernel messages on the console. No log levels and no timestamps: every
 * line is printed as is, so tests can match whole lines.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#include "kernel/compiler.h"

/* Longest message one printk call prints; the rest is cut. */
#define PRINTK_MAX 8192

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list args) __printf(1, 0);

#endif /* KERNEL_PRINTK_H */
