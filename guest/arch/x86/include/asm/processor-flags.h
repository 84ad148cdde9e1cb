/* SPDX-License-Identifier: MIT */
/* Control-register and RFLAGS bits (C and assembly), Linux's names. */
#ifndef ASM_PROCESSOR_FLAGS_H
#define ASM_PROCESSOR_FLAGS_H

#include "kernel/const.h"

#define X86_EFLAGS_IF _BITUL(9) /* interrupts enabled */

#define X86_CR0_PE _BITUL(0)  /* protection enable */
#define X86_CR0_MP _BITUL(1)  /* monitor coprocessor: WAIT obeys TS */
#define X86_CR0_ET _BITUL(4)  /* extension type (hard-wired 1 on modern CPUs) */
#define X86_CR0_NE _BITUL(5)  /* native x87 error reporting (#MF, not IRQ 13) */
#define X86_CR0_WP _BITUL(16) /* write protect: read-only pages bind the kernel too */
#define X86_CR0_AM _BITUL(18) /* alignment mask */
#define X86_CR0_NW _BITUL(29) /* not write-through */
#define X86_CR0_CD _BITUL(30) /* cache disable */
#define X86_CR0_PG _BITUL(31) /* paging */

#define X86_CR4_PSE _BITUL(4)   /* 4 MiB pages in 32-bit paging */
#define X86_CR4_PAE _BITUL(5)   /* 64-bit page-table entries; required by long mode */
#define X86_CR4_PGE _BITUL(7)   /* global pages */
#define X86_CR4_PCIDE _BITUL(17) /* process-context identifiers */

#endif /* ASM_PROCESSOR_FLAGS_H */
