/* SPDX-License-Identifier: MIT */
/*
 * One-line error messages carried out of the code that found the problem.
 * Library-like code (parsers, layout, ELF loader) fills a struct vmm_err and
 * returns -1; only main() prints it, as "vmm: <message>", and picks the exit
 * code. Messages name the problem and the offending value.
 */
#ifndef VMM_ERROR_H
#define VMM_ERROR_H

#include <stddef.h>

#define VMM_ERR_MAX 512

struct vmm_err {
	char msg[VMM_ERR_MAX];
};

/* Format the message into @err (if not NULL); always returns -1. */
int err_set(struct vmm_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* VMM_ERROR_H */
