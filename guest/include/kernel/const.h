/* SPDX-License-Identifier: MIT */
/*
 * Constants shared by C and assembly: _AC(0x1000, UL) is 0x1000UL in C and
 * plain 0x1000 for the assembler, which knows no integer suffixes (Linux's
 * include/uapi/linux/const.h does the same).
 */
#ifndef KERNEL_CONST_H
#define KERNEL_CONST_H

#ifdef __ASSEMBLY__
#define _AC(x, suffix) x
#else
#define __AC(x, suffix) x##suffix
#define _AC(x, suffix) __AC(x, suffix)
#endif

#define _BITUL(n) (_AC(1, UL) << (n))
#define _BITULL(n) (_AC(1, ULL) << (n))

#endif /* KERNEL_CONST_H */
