/* SPDX-License-Identifier: MIT */
/*
 * --e820-file: a raw E820 table handed to the guest verbatim (unsorted,
 * overlapping, empty or wrapping entries included) to exercise its
 * sanitizer. Text, one entry per line:
 *
 *     # comment
 *     ADDR SIZE TYPE        e.g.  0x100000 0x7ff00000 usable
 *
 * ADDR and SIZE decimal or 0x hex (SIZE may carry a K/M/G/T suffix), TYPE a
 * name accepted by e820_type_parse() or any 32-bit number. See docs/cli.md.
 */
#ifndef VMM_E820_FILE_H
#define VMM_E820_FILE_H

#include "error.h"
#include "layout.h"

/*
 * Parse the text in @buf (@len bytes, need not be NUL-terminated) into at
 * most @max entries. Returns the number of entries, or -1 with @err naming
 * the line and the problem (bad number, unknown type, too many entries,
 * NUL byte, missing field, trailing junk).
 */
int e820_file_parse(const char *buf, size_t len, struct e820_entry *out, unsigned max,
		    struct vmm_err *err);

/* Read @path and parse it; errors name the file. */
int e820_file_load(const char *path, struct e820_entry *out, unsigned max, struct vmm_err *err);

#endif /* VMM_E820_FILE_H */
