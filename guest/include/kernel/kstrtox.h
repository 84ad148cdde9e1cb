/* SPDX-License-Identifier: MIT */
/* Strict string-to-number conversion (guest/lib/kstrtox.c), after Linux's. */
#ifndef KERNEL_KSTRTOX_H
#define KERNEL_KSTRTOX_H

#include "kernel/types.h"

/*
 * Convert all of @s to a u64. @base is 8, 10, 16, or 0 to choose as C and
 * Linux's kstrtoull() do: "0x"/"0X" hexadecimal, a leading "0" octal, else
 * decimal; base 16 also accepts the "0x" prefix. Nothing else is accepted:
 * no sign, no spaces, no trailing newline, no empty string, no bare "0x".
 * Returns 0, -EINVAL (malformed or bad base) or -ERANGE (above 2^64 - 1);
 * @res is written only on success.
 */
int kstrtou64(const char *s, unsigned int base, u64 *res);

/* Longest size string kstrtosize() reads ("0x" + 16 digits + suffix, with room). */
#define KSTRTOSIZE_MAX_DIGITS 24

/*
 * A size as Linux's memparse() reads it, strictly: a kstrtou64() number in
 * base 0 with an optional binary suffix K, M, G or T ("896M", "0x1000",
 * "4G"). Returns 0, -EINVAL or -ERANGE; @res is written only on success.
 */
int kstrtosize(const char *s, u64 *res);

#endif /* KERNEL_KSTRTOX_H */
