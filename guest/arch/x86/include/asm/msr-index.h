/* SPDX-License-Identifier: MIT */
/* Model-specific register numbers and bits (C and assembly), Linux's names. */
#ifndef ASM_MSR_INDEX_H
#define ASM_MSR_INDEX_H

#include "kernel/const.h"

/* Extended feature enable register. */
#define MSR_EFER 0xc0000080
#define EFER_SCE_BIT 0  /* SYSCALL/SYSRET */
#define EFER_LME_BIT 8  /* long mode enable: paging then turns on IA-32e mode */
#define EFER_LMA_BIT 10 /* long mode active (set by the CPU) */
#define EFER_NX_BIT 11  /* no-execute bit in page-table entries */
#define EFER_LME _BITUL(EFER_LME_BIT)
#define EFER_LMA _BITUL(EFER_LMA_BIT)
#define EFER_NX _BITUL(EFER_NX_BIT)

/* Page attribute table: eight memory types, one byte each. */
#define MSR_IA32_CR_PAT 0x277

/* Memory type range registers. */
#define MSR_MTRRcap 0x0fe
#define MSR_MTRRdefType 0x2ff
#define MSR_MTRRphysBase(n) (0x200 + 2 * (n))
#define MSR_MTRRphysMask(n) (0x201 + 2 * (n))
#define MSR_MTRRfix64K_00000 0x250
#define MSR_MTRRfix16K_80000 0x258
#define MSR_MTRRfix16K_A0000 0x259
#define MSR_MTRRfix4K_C0000 0x268 /* ... 0x26f: C0000, C8000, ..., F8000 */

#define MTRR_CAP_VCNT_MASK _AC(0xff, ULL) /* number of variable ranges */
#define MTRR_CAP_FIX _BITULL(8)            /* fixed ranges supported */
#define MTRR_CAP_WC _BITULL(10)            /* write-combining type supported */
#define MTRR_DEF_TYPE_TYPE _AC(0xff, ULL)  /* default memory type */
#define MTRR_DEF_TYPE_FE _BITULL(10)       /* fixed ranges enabled */
#define MTRR_DEF_TYPE_E _BITULL(11)        /* MTRRs enabled */
#define MTRR_PHYSBASE_TYPE _AC(0xff, ULL)  /* memory type of a variable range */
#define MTRR_PHYSMASK_V _BITULL(11)        /* variable range valid */

#endif /* ASM_MSR_INDEX_H */
