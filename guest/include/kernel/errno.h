/* SPDX-License-Identifier: MIT */
/* Error numbers, negated in return values as in Linux (-EINVAL). */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#ifdef HOST_UNIT_TEST
#include <errno.h>
#else
#define ENOENT 2  /* no such parameter */
#define E2BIG 7   /* too long, or too many items */
#define ENOMEM 12 /* out of memory */
#define EFAULT 14 /* bad address: the access faulted */
#define EBUSY 16  /* in use */
#define EINVAL 22 /* malformed value */
#define ENOSPC 28 /* no room left */
#define ERANGE 34 /* number does not fit */
#endif

#endif /* KERNEL_ERRNO_H */
