/* SPDX-License-Identifier: MIT */
/* Deliberate faults for testing the exception path (crash= parameter). */
#ifndef ASM_CRASH_H
#define ASM_CRASH_H

#include "kernel/compiler.h"

/* A canonical address the boot page tables leave unmapped (16 TiB: PML4 entry 32). */
#define CRASH_UNMAPPED_ADDR 0x0000100000000000ul
/* A non-canonical address: bits 63..47 are not all equal. */
#define CRASH_NONCANONICAL_ADDR 0x8000000000000000ul

void __noreturn crash_divide_error(void);    /* #DE: divide by zero */
void __noreturn crash_invalid_opcode(void);  /* #UD: ud2 */
void __noreturn crash_general_protection(void); /* #GP: non-canonical access */
void __noreturn crash_page_fault(void);      /* #PF: read of an unmapped page */
void __noreturn crash_triple_fault(void);    /* empty IDT, then #UD */

#endif /* ASM_CRASH_H */
