/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a buffer (guest/lib/vsprintf.c).
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%; flags - 0 + space #; width
 * and precision, either of them may be *; length modifiers hh h l ll z t j.
 * The result is always NUL-terminated when @size > 0 and never longer than
 * @size - 1 characters; the return value is the length the whole output
 * would have had (C99), so "ret >= size" means it was truncated. Unknown
 * conversions, %n included, are printed as written and take no argument.
 */
#ifndef KERNEL_SPRINTF_H
#define KERNEL_SPRINTF_H

#include <stdarg.h>

#include "kernel/compiler.h"
#include "kernel/types.h"

#ifdef HOST_UNIT_TEST
/* On the host, vsnprintf and snprintf are the C library's: the unit test
 * compares the two, so the guest's are renamed there. */
#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#endif

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* KERNEL_SPRINTF_H */
