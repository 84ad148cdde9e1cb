/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guest_log.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"

char log_buf[GUEST_LOG_SIZE];
size_t log_len;

/* The guest's printk: a message that would not fit fails the test, never truncates. */
int printk(const char *fmt, ...)
{
	size_t room = sizeof(log_buf) - log_len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(log_buf + log_len, room, fmt, args);
	va_end(args);
	assert_true(n >= 0 && (size_t)n < room);
	log_len += (size_t)n;
	return n;
}

void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

void expect_log(const char *want)
{
	if (strcmp(log_buf, want)) {
		print_error("log differs\n--- want:\n%s--- got:\n%s---\n", want, log_buf);
		fail();
	}
}

void expect_log_has(const char *want)
{
	if (!strstr(log_buf, want)) {
		print_error("log lacks \"%s\"\n--- got:\n%s---\n", want, log_buf);
		fail();
	}
}
