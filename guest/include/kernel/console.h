/* SPDX-License-Identifier: MIT */
/* The boot console printk writes to (the arch's early serial port). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

/* Program the console hardware; printk works before, but maybe slower. */
void early_console_init(void);

/* Write @len bytes as they are ("\n" is not expanded to "\r\n"). */
void early_console_write(const char *s, size_t len);

#endif /* KERNEL_CONSOLE_H */
