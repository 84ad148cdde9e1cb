/* SPDX-License-Identifier: MIT */
/* The MTRR state the firmware (or VMM) left, printed as Linux prints it. */
#ifndef ASM_MTRR_H
#define ASM_MTRR_H

/* Print MTRRcap, MTRRdefType and the state; needs X86_FEATURE_MTRR. */
void mtrr_print_state(void);

#endif /* ASM_MTRR_H */
