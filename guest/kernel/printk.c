// SPDX-License-Identifier: MIT
/*
 * printk: format into a buffer, write it to the boot console. There is no
 * log buffer to replay and no log level: the console is the log.
 */
#include "asm/irq.h"
#include "kernel/compiler.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"

/*
 * Static, not on the stack: messages may be as long as the command line
 * (4 KiB). One CPU: interrupts are off while it is in use, so an interrupt
 * handler that prints waits for the message under way instead of
 * overwriting it; an exception report (not maskable) while a printk is
 * under way still overwrites the message it interrupted.
 */
static char printk_buf[PRINTK_MAX] __noinit;

/* Format and print; returns the number of bytes written. */
int vprintk(const char *fmt, va_list args)
{
	unsigned long flags = local_irq_save();
	int n = vsnprintf(printk_buf, sizeof(printk_buf), fmt, args);
	size_t len = (size_t)n < sizeof(printk_buf) ? (size_t)n : sizeof(printk_buf) - 1;

	early_console_write(printk_buf, len);
	local_irq_restore(flags);
	return (int)len;
}

/* printf() for the kernel. */
int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}
