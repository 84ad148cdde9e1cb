/* SPDX-License-Identifier: MIT */
/*
 * Numbers, sizes and durations from the command line and from files. Each
 * parser takes the whole string or nothing; strtoull() is not used because
 * it accepts leading blanks and signs, reads "0755" as octal and needs
 * errno juggling to notice overflow.
 */
#include "size.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define DEC_BASE 10u
#define HEX_BASE 16u
#define HEX_DIGIT_OFFSET 10u /* value of 'a' / 'A' */

#define SHIFT_K 10u
#define SHIFT_M 20u
#define SHIFT_G 30u
#define SHIFT_T 40u

#define MS_PER_SECOND 1000u
#define FRACTION_DIGITS_MAX 3u /* milliseconds */
#define SECONDS_PER_DAY 86400ull
#define DURATION_DAYS_MAX 30ull
#define DURATION_SECONDS_MAX (DURATION_DAYS_MAX * SECONDS_PER_DAY)

/* Value of one digit in @base, or -1: the single place that knows digits. */
static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a') + HEX_DIGIT_OFFSET;
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A') + HEX_DIGIT_OFFSET;
	else
		return -1;
	return v < base ? (int)v : -1;
}

/* Digits s[0..n) in @base, at least one, no overflow: shared by all parsers. */
static int parse_digits(const char *s, size_t n, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		int d = digit_value(s[i], base);

		if (d < 0)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -1;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* parse_u64() on the first @n bytes, so parse_size() can peel off a suffix. */
static int parse_u64_span(const char *s, size_t n, uint64_t *out)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, n - 2, HEX_BASE, out);
	return parse_digits(s, n, DEC_BASE, out);
}

int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !out)
		return -1;
	return parse_u64_span(s, strlen(s), out);
}

/* Shift for a binary suffix letter, or 0 if @c is not one. */
static unsigned suffix_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return SHIFT_K;
	case 'm':
	case 'M':
		return SHIFT_M;
	case 'g':
	case 'G':
		return SHIFT_G;
	case 't':
	case 'T':
		return SHIFT_T;
	default:
		return 0;
	}
}

int parse_size(const char *s, uint64_t *out)
{
	size_t n;
	unsigned shift = 0;
	uint64_t v;

	if (!s || !out)
		return -1;
	n = strlen(s);
	/* K, M, G, T are not hex digits, so "0x1G" is unambiguous. */
	if (n > 0)
		shift = suffix_shift(s[n - 1]);
	if (shift)
		n--;
	if (parse_u64_span(s, n, &v))
		return -1;
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int parse_seconds_ms(const char *s, uint64_t *out_ms)
{
	const char *dot;
	size_t int_len, frac_len, i;
	uint64_t secs, frac = 0;

	if (!s || !out_ms)
		return -1;
	dot = strchr(s, '.');
	int_len = dot ? (size_t)(dot - s) : strlen(s);
	/* Decimal only: "0x10" seconds would surprise more than it helps. */
	if (parse_digits(s, int_len, DEC_BASE, &secs))
		return -1;
	if (dot) {
		frac_len = strlen(dot + 1);
		if (frac_len == 0 || frac_len > FRACTION_DIGITS_MAX)
			return -1;
		if (parse_digits(dot + 1, frac_len, DEC_BASE, &frac))
			return -1;
		for (i = frac_len; i < FRACTION_DIGITS_MAX; i++)
			frac *= DEC_BASE;
	}
	if (secs > DURATION_SECONDS_MAX || (secs == DURATION_SECONDS_MAX && frac))
		return -1;
	*out_ms = secs * MS_PER_SECOND + frac;
	return 0;
}

const char *format_size(uint64_t bytes, char *buf, unsigned len)
{
	static const struct {
		unsigned shift;
		char suffix;
	} units[] = {
		{ SHIFT_T, 'T' },
		{ SHIFT_G, 'G' },
		{ SHIFT_M, 'M' },
		{ SHIFT_K, 'K' },
	};
	size_t i;

	if (!buf || len == 0)
		return "";
	if (bytes) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			uint64_t unit = 1ull << units[i].shift;

			if (bytes % unit == 0) {
				snprintf(buf, len, "%" PRIu64 "%c", bytes / unit, units[i].suffix);
				return buf;
			}
		}
	}
	snprintf(buf, len, "%" PRIu64, bytes);
	return buf;
}
