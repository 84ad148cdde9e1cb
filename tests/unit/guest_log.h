/* SPDX-License-Identifier: MIT */
/*
 * The guest's console for host unit tests of guest code: printk() appends
 * to log_buf (formatted by the guest's own vsnprintf, so what a test
 * compares is what the guest would print), and cmocka checks on it.
 */
#ifndef TESTS_GUEST_LOG_H
#define TESTS_GUEST_LOG_H

#include <stddef.h>

#define GUEST_LOG_SIZE (1 << 20)

extern char log_buf[GUEST_LOG_SIZE];
extern size_t log_len;

/* Forget what was printed. */
void log_reset(void);

/* Fail the test unless the log is exactly @want, showing both. */
void expect_log(const char *want);

/* Fail the test unless @want occurs in the log. */
void expect_log_has(const char *want);

#endif /* TESTS_GUEST_LOG_H */
