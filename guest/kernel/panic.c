// SPDX-License-Identifier: MIT
/*
 * The two ways the kernel gives up: panic() for an internal failure
 * (Linux's wording, exit GUEST_EXIT_PANIC) and bad_boot() for boot
 * information it cannot use (exit GUEST_EXIT_BAD_BOOT).
 */
#include "abi/ports.h"
#include "kernel/compiler.h"
#include "kernel/exit.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"

#define PANIC_MSG_MAX 1024

static char panic_msg[PANIC_MSG_MAX] __noinit;
static bool in_panic;

/* Print "Kernel panic - not syncing: <msg>" and exit with GUEST_EXIT_PANIC. */
void __noreturn panic(const char *fmt, ...)
{
	va_list args;

	/* A panic while panicking (say, in printk) must not loop. */
	if (in_panic)
		guest_exit(GUEST_EXIT_PANIC);
	in_panic = true;

	va_start(args, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, args);
	va_end(args);
	printk("Kernel panic - not syncing: %s\n", panic_msg);
	printk("---[ end Kernel panic - not syncing: %s ]---\n", panic_msg);
	guest_exit(GUEST_EXIT_PANIC);
}

/* Print the one-line reason and exit with GUEST_EXIT_BAD_BOOT. */
void __noreturn bad_boot(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
	printk("\n");
	guest_exit(GUEST_EXIT_BAD_BOOT);
}
