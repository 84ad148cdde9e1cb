/* SPDX-License-Identifier: MIT */
/* The page attribute table as the firmware (or VMM) left it. */
#ifndef ASM_PAT_H
#define ASM_PAT_H

/* "x86/PAT: Configuration [0-7]: WB  WT  UC- UC  ..." for the current PAT. */
void pat_print_config(void);

#endif /* ASM_PAT_H */
