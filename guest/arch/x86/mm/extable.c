// SPDX-License-Identifier: MIT
/*
 * Exception fixups (see asm/extable.h): the table of instructions allowed
 * to fault, the fault-probing accessors that are its entries, and the
 * return path from an exception.
 *
 * Each probe is one instruction listed in the "ex_table" section (collected
 * by kernel.lds between __start_ex_table and __stop_ex_table) with the
 * address right after it. The handler sets RAX to -EFAULT, so every probe
 * keeps its result in RAX: 0 when the access went through.
 */
#include "asm/extable.h"
#include "asm/fault.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/string.h"

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

/* Emit a table entry: "if the instruction at @from faults, resume at @to". */
#define EX_TABLE(from, to)                                  \
	".pushsection ex_table, \"a\"\n\t"                  \
	".balign 8\n\t"                                     \
	".quad " #from ", " #to "\n\t"                      \
	".popsection\n\t"

/* exception_resume() pops the registers in this order: the layout must not drift. */
_Static_assert(offsetof(struct pt_regs, ax) == 14 * sizeof(u64), "pt_regs: ax after 14 registers");
_Static_assert(offsetof(struct pt_regs, ip) == 17 * sizeof(u64), "pt_regs: ip after vector, error");

unsigned long nr_probe_faults;

/* What the handler saw at the last probe fault. */
static struct fault_info last_probe_fault;

/* probe_exec()'s target while it runs: a fetch fault there is expected. */
static unsigned long exec_probe_target;

/* Linear: there are only the handful of probe instructions. */
const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	for (const struct exception_table_entry *e = __start_ex_table; e < __stop_ex_table; e++) {
		if (e->insn == ip)
			return e;
	}
	return NULL;
}

/*
 * probe_read_<type>() and probe_write_<type>() (asm/extable.h): one MOV
 * each, its size taken from the value's register, with a table entry that
 * resumes after it. The result stays in RAX, which the fixup sets.
 */
#define DEFINE_PROBES(type)                                                 \
	int probe_read_##type(const void *addr, type *val)                  \
	{                                                                   \
		long ret = 0;                                               \
		type v = 0;                                                 \
									    \
		asm volatile("1:	mov (%[addr]), %[v]\n"              \
			     "2:\n\t" EX_TABLE(1b, 2b)                       \
			     : "+a"(ret), [v] "+r"(v)                       \
			     : [addr] "r"(addr)                             \
			     : "memory");                                   \
		if (!ret)                                                   \
			*val = v;                                           \
		return (int)ret;                                            \
	}                                                                   \
									    \
	int probe_write_##type(void *addr, type val)                        \
	{                                                                   \
		long ret = 0;                                               \
									    \
		asm volatile("1:	mov %[v], (%[addr])\n"              \
			     "2:\n\t" EX_TABLE(1b, 2b)                       \
			     : "+a"(ret)                                    \
			     : [addr] "r"(addr), [v] "r"(val)               \
			     : "memory");                                   \
		return (int)ret;                                            \
	}

DEFINE_PROBES(u8)
DEFINE_PROBES(u64)

/*
 * The fetch fault's RIP is @addr itself, so there is no table entry to
 * find: fixup_exception() recognises exec_probe_target instead and
 * emulates the RET back to the instruction after the CALL.
 */
int probe_exec(const void *addr)
{
	long ret = 0;

	WRITE_ONCE(exec_probe_target, (unsigned long)addr);
	asm volatile("call *%[target]"
		     : "+a"(ret)
		     : [target] "r"(addr)
		     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "cc", "memory");
	WRITE_ONCE(exec_probe_target, 0);
	return (int)ret;
}

const struct fault_info *probe_last_fault(void)
{
	return &last_probe_fault;
}

/* Redirect @regs to a probe's fixup, recording @info (see asm/extable.h). */
bool fixup_exception(struct pt_regs *regs, const struct fault_info *info)
{
	const struct exception_table_entry *e = search_exception_tables(regs->ip);
	unsigned long target = READ_ONCE(exec_probe_target);

	if (e) {
		regs->ip = e->fixup;
	} else if (target && regs->ip == target && (info->error_code & X86_PF_INSTR)) {
		/* RET: the return address the probe's CALL pushed, which is on a valid stack. */
		regs->ip = *(const u64 *)regs->sp;
		regs->sp += sizeof(u64);
	} else {
		return false;
	}
	regs->ax = (u64)(long)-EFAULT;
	last_probe_fault = *info;
	nr_probe_faults++;
	return true;
}

/*
 * exception_resume(regs): load RSP with @regs (the frame entry.S built on
 * this very stack, below which only the handler's finished C frames lie),
 * pop the general registers in struct pt_regs order, drop the vector and
 * the error code, and IRETQ to regs->ip with regs->sp and regs->flags.
 */
asm(".pushsection .text\n"
    ".globl exception_resume\n"
    ".type exception_resume, @function\n"
    "exception_resume:\n"
    "	movq	%rdi, %rsp\n"
    "	popq	%r15\n"
    "	popq	%r14\n"
    "	popq	%r13\n"
    "	popq	%r12\n"
    "	popq	%r11\n"
    "	popq	%r10\n"
    "	popq	%r9\n"
    "	popq	%r8\n"
    "	popq	%rbp\n"
    "	popq	%rdi\n"
    "	popq	%rsi\n"
    "	popq	%rdx\n"
    "	popq	%rcx\n"
    "	popq	%rbx\n"
    "	popq	%rax\n"
    "	addq	$16, %rsp\n" /* vector and error code */
    "	iretq\n"
    ".size exception_resume, . - exception_resume\n"
    ".popsection\n");
