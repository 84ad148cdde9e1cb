/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line (guest/kernel/cmdline.c).
 *
 * Words are separated by white space; a word is "key=value" or a bare
 * "key". As in Linux, double quotes protect spaces: key="a b" and
 * "key=a b" both give key "key" and value "a b" (the quotes are removed;
 * an unterminated quote runs to the end of the line). When a key appears
 * more than once the last value counts.
 *
 * Every lookup marks the key as known; cmdline_unknown() lists the words
 * no code has looked up, for the "Unknown kernel command line parameters"
 * line, so all parameters must be read before that report is printed.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "abi/pvh.h"
#include "kernel/types.h"

#define CMDLINE_MAX PVH_CMDLINE_MAX /* characters, without the NUL */
#define CMDLINE_MAX_PARAMS 64       /* words */

/*
 * Parse @line (NULL means empty), replacing what an earlier call parsed.
 * Returns 0; -E2BIG if @line is longer than CMDLINE_MAX characters; or
 * -ENOSPC if it has more than CMDLINE_MAX_PARAMS words. On error the
 * command line is left empty.
 */
int cmdline_parse(const char *line);

/* Number of words the last successful cmdline_parse() found. */
unsigned int cmdline_nr_params(void);

/* Whether @key was given, with or without a value. */
bool cmdline_has(const char *key);

/* The value of the last @key: "" for a bare key, NULL if @key is absent. */
const char *cmdline_get(const char *key);

/*
 * The value of @key as a number (kstrtou64() with base 0: decimal, 0x hex,
 * 0 octal). Returns 0, -ENOENT if absent, -EINVAL if bare or malformed,
 * -ERANGE if above 2^64 - 1; @val is written only on success.
 */
int cmdline_get_u64(const char *key, u64 *val);

/*
 * The value of @key as a comma-separated list of numbers ("1,0x2,3"): at
 * most @max of them into @vals, their count into @nr. Returns 0, -ENOENT,
 * -EINVAL (bare key, empty item, malformed number), -ERANGE, or -E2BIG if
 * there are more than @max. @nr is written only on success; @vals may be
 * partly written on failure.
 */
int cmdline_get_u64_list(const char *key, u64 *vals, unsigned int max, unsigned int *nr);

/*
 * Write the words no lookup has asked for, in command-line order, as
 * "key=value" or "key" separated by single spaces, into @buf (always
 * NUL-terminated when @size > 0; a buffer of CMDLINE_MAX + 1 bytes always
 * suffices). Returns how many words are unknown.
 */
unsigned int cmdline_unknown(char *buf, size_t size);

#endif /* KERNEL_CMDLINE_H */
