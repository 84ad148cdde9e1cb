/* SPDX-License-Identifier: MIT */
/*
 * The page-fault handler (arch/x86/mm/fault.c): it names what a faulting
 * address hit (a vmalloc guard page, a stale kmap slot, an NX or write
 * violation and on which mapping, an unmapped address and the layout region
 * it lies in, a user address), then either fixes the fault up through the
 * exception table (asm/extable.h: an expected fault, the kernel goes on) or
 * reports it oops-style and ends the boot with GUEST_EXIT_EXCEPTION.
 *
 * Subsystems that own part of the address space teach the handler their
 * names with fault_register_describer().
 */
#ifndef ASM_FAULT_H
#define ASM_FAULT_H

#include "asm/ptrace.h"
#include "kernel/types.h"

/* Page-fault error code bits (Intel SDM vol. 3, 4.7; Linux's enum x86_pf_error_code). */
#define X86_PF_PROT (1ul << 0)   /* protection violation (else: not present) */
#define X86_PF_WRITE (1ul << 1)  /* write access (else: read) */
#define X86_PF_USER (1ul << 2)   /* CPL 3 (else: supervisor) */
#define X86_PF_RSVD (1ul << 3)   /* reserved bit set in a paging entry */
#define X86_PF_INSTR (1ul << 4)  /* instruction fetch */
#define X86_PF_PK (1ul << 5)     /* protection-key violation */
#define X86_PF_SHSTK (1ul << 6)  /* shadow-stack access */
#define X86_PF_SGX (1ul << 15)   /* SGX-specific access-control violation */

/* Room for the handler's verdict, the one line naming what was hit. */
#define FAULT_WHAT_LEN 256

/*
 * A describer names the addresses its subsystem owns. Called from the fault
 * handler with the faulting address: return NULL if @addr is not yours,
 * else a string naming what lies there ("vmalloc guard page of the area
 * 0x...-0x... (65536 bytes)"), either a constant or @buf, which holds @size
 * bytes. It runs in exception context: it must not allocate, sleep, print,
 * or touch memory that might fault; it reads its own bookkeeping only.
 * Describers are asked in registration order, before the built-in ones
 * (pkmap, fixmap, layout regions); the first non-NULL answer wins.
 */
typedef const char *(*fault_describer_fn)(unsigned long addr, char *buf, size_t size);

/* The most describers the handler keeps; registering more panics (a boot-time bug). */
#define FAULT_MAX_DESCRIBERS 8

/* Register @describe; call once, at init time, before anything can fault there. */
void fault_register_describer(fault_describer_fn describe);

/*
 * What the handler saw and decided, for the last fault (asm/extable.h hands
 * it to the selftest that expected the fault).
 */
struct fault_info {
	unsigned long addr;       /* CR2: the faulting linear address */
	unsigned long error_code; /* X86_PF_* bits */
	unsigned long ip;         /* RIP of the faulting instruction */
	char what[FAULT_WHAT_LEN]; /* the verdict: what was hit */
};

/*
 * Name what @addr hit into @out (@size bytes): "<why>: <where>", as in
 * "write to a read-only mapping: fixmap slot FIX_FAULT_TEST_RO (pte 0x...)"
 * or "not-present page: unmapped address in the vmalloc/ioremap space".
 * @error_code picks the why. Exported so selftests can ask without
 * faulting. Never faults: it reads page tables only where they are present.
 */
void fault_describe(unsigned long addr, unsigned long error_code, char *out, size_t size);

/*
 * Decode @error_code into @out as Linux's two "#PF:" lines do, in one
 * phrase: "supervisor write access in kernel mode, permissions violation".
 */
void fault_decode_error(unsigned long error_code, char *out, size_t size);

/*
 * The #PF handler's first half, called by do_exception() with CR2 read
 * first thing: if the faulting instruction has an exception-table entry
 * (asm/extable.h), record the fault, redirect @regs to the fixup and return
 * true (the caller resumes @regs). Otherwise return false: the caller
 * reports the fault (fault_show_oops()) and ends the boot.
 */
bool fault_fixup(struct pt_regs *regs, unsigned long cr2);

/* Linux's oops lines for an unexpected #PF, plus what was hit. */
void fault_show_oops(const struct pt_regs *regs, unsigned long cr2);

/* Page faults seen so far, fixed-up ones included (selftests compare counts). */
extern unsigned long nr_page_faults;

#endif /* ASM_FAULT_H */
