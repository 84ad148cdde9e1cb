// SPDX-License-Identifier: MIT
/*
 * Strict string-to-number conversion for command-line values: the whole
 * string must be a number, or the value is refused (Linux's kstrtoull()
 * is the model; this one also refuses a sign and a trailing newline).
 *
 * Arch-neutral: the host unit test of the command line links this file.
 */
#include "kernel/errno.h"
#include "kernel/kstrtox.h"

#define KSTRTOX_U64_MAX (~(u64)0)

/* Value of the digit @c in any base up to 16, or 16 if @c is no digit. */
static unsigned int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

/* Whether @s starts with "0x" or "0X". */
static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* Convert all of @s to a u64; see kernel/kstrtox.h. */
int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	bool overflow = false;
	u64 v = 0;

	if (base == 0) {
		if (has_hex_prefix(s)) {
			base = 16;
			s += 2;
		} else if (s[0] == '0' && s[1] != '\0') {
			base = 8;
			s++;
		} else {
			base = 10;
		}
	} else if (base == 16) {
		if (has_hex_prefix(s))
			s += 2;
	} else if (base != 8 && base != 10) {
		return -EINVAL;
	}

	if (*s == '\0')
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = hex_digit_value(*s);

		if (d >= base)
			return -EINVAL;
		/* Keep checking the digits after an overflow: garbage wins over range. */
		if (v > (KSTRTOX_U64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	*res = v;
	return 0;
}

/* Linux's memparse() suffixes, binary: K, M, G, T (either case). */
static unsigned int size_suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	case 't': case 'T': return 40;
	default: return 0;
	}
}

int kstrtosize(const char *s, u64 *res)
{
	char digits[KSTRTOSIZE_MAX_DIGITS + 1];
	size_t len = 0;
	unsigned int shift = 0;
	u64 v;
	int ret;

	while (s[len] && len <= KSTRTOSIZE_MAX_DIGITS)
		len++;
	if (len == 0 || len > KSTRTOSIZE_MAX_DIGITS)
		return -EINVAL;
	shift = size_suffix_shift(s[len - 1]);
	if (shift)
		len--;
	for (size_t i = 0; i < len; i++)
		digits[i] = s[i];
	digits[len] = '\0';
	ret = kstrtou64(digits, 0, &v);
	if (ret)
		return ret;
	if (shift && v > (KSTRTOX_U64_MAX >> shift))
		return -ERANGE;
	*res = v << shift;
	return 0;
}
