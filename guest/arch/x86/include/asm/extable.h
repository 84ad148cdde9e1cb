/* SPDX-License-Identifier: MIT */
/*
 * Exception fixups (arch/x86/mm/extable.c), after Linux's exception table:
 * an instruction that may fault on purpose is listed in the "ex_table"
 * section with the address to resume at. When it faults, the #PF handler
 * finds it there, records what it saw (asm/fault.h's struct fault_info),
 * sets RAX to -EFAULT, and returns from the exception to the fixup: the
 * kernel goes on instead of ending the boot.
 *
 * The probes below are the only instructions listed: selftests use them to
 * touch an address they expect to fault ("this guard page must fault, and
 * the handler must name it") and continue.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#include "asm/fault.h"
#include "asm/ptrace.h"
#include "kernel/compiler.h"
#include "kernel/types.h"

/* One entry: the instruction that may fault, and where to go if it does. */
struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

/* The entry for the instruction at @ip, or NULL (a linear search: there are a few entries). */
const struct exception_table_entry *search_exception_tables(unsigned long ip);

/*
 * Read or write one byte / quadword at @addr. Return 0, or -EFAULT if the
 * access faulted (then *@val is left alone, and probe_last_fault() says
 * what the handler saw).
 */
int probe_read_u8(const void *addr, u8 *val);
int probe_write_u8(void *addr, u8 val);
int probe_read_u64(const void *addr, u64 *val);
int probe_write_u64(void *addr, u64 val);

/*
 * Call @addr (code that must be a bare RET if it runs at all). Returns 0 if
 * it ran, -EFAULT if the instruction fetch faulted (an NX page): the
 * handler then emulates the RET, as the faulting RIP is @addr itself and
 * has no table entry.
 */
int probe_exec(const void *addr);

/* The last fault a probe took (valid after a probe returned -EFAULT). */
const struct fault_info *probe_last_fault(void);

/* Probe faults fixed up so far. */
extern unsigned long nr_probe_faults;

/*
 * Called by fault_fixup() for a fault at @regs->ip: if a probe expected it,
 * record @info, redirect @regs past the access with RAX = -EFAULT and return
 * true.
 */
bool fixup_exception(struct pt_regs *regs, const struct fault_info *info);

/*
 * Return from an exception into @regs (possibly changed by a fixup):
 * restore the general registers and IRETQ. entry.S has no return path of
 * its own (every other exception ends the boot), so this is it.
 */
void __noreturn exception_resume(struct pt_regs *regs);

#endif /* ASM_EXTABLE_H */
