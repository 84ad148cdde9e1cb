/* SPDX-License-Identifier: MIT */
/*
 * Parsing of numbers and sizes given on the command line or in files.
 * Every function accepts the whole string or nothing: no trailing junk, no
 * sign, no silent wrap-around.
 */
#ifndef VMM_SIZE_H
#define VMM_SIZE_H

#include <stdint.h>

/*
 * Unsigned 64-bit number: decimal or 0x-prefixed hexadecimal.
 * Returns 0, or -1 if @s is empty, malformed or does not fit in 64 bits.
 */
int parse_u64(const char *s, uint64_t *out);

/*
 * Size: a number (decimal or 0x hex) with an optional binary suffix
 * K, M, G or T (upper or lower case; 1K = 1024). "4G", "512M", "0x1000".
 * Returns 0, or -1 if malformed or the result overflows 64 bits.
 */
int parse_size(const char *s, uint64_t *out);

/*
 * Duration in seconds with an optional fraction ("10", "0.5", "2.25") into
 * milliseconds; at most 3 fractional digits and at most 30 days.
 * Returns 0, or -1 if malformed or out of range.
 */
int parse_seconds_ms(const char *s, uint64_t *out_ms);

/* Human size for messages: "4G", "512M", "4K" or bytes when not a multiple. */
const char *format_size(uint64_t bytes, char *buf, unsigned len);

#endif /* VMM_SIZE_H */
