// SPDX-License-Identifier: MIT
/*
 * Exception reports. This kernel handles no exception: each one is a bug
 * (or a crash= test), so the handler prints what a developer needs, in the
 * spirit of Linux's oops (vector and name, error code, RIP, CS, RFLAGS,
 * RSP, SS, general registers, CR0/CR2/CR3/CR4), and exits with
 * GUEST_EXIT_EXCEPTION.
 */
#include "abi/ports.h"
#include "asm/processor.h"
#include "asm/ptrace.h"
#include "asm/traps.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/types.h"

/* Page-fault error code bits. */
#define X86_PF_PROT (1u << 0)  /* protection violation (else: not present) */
#define X86_PF_WRITE (1u << 1) /* write access */
#define X86_PF_USER (1u << 2)  /* CPL 3 */
#define X86_PF_RSVD (1u << 3)  /* reserved bit set in an entry */
#define X86_PF_INSTR (1u << 4) /* instruction fetch */

struct exception_name {
	const char *mnemonic;
	const char *name;
};

/* Intel SDM vol. 3, table 6-1; the reserved vectors have no mnemonic. */
static const struct exception_name exception_names[NR_EXCEPTION_VECTORS] = {
	[0] = { "#DE", "divide error" },
	[1] = { "#DB", "debug" },
	[2] = { "NMI", "non-maskable interrupt" },
	[3] = { "#BP", "breakpoint" },
	[4] = { "#OF", "overflow" },
	[5] = { "#BR", "bound range exceeded" },
	[6] = { "#UD", "invalid opcode" },
	[7] = { "#NM", "device not available" },
	[8] = { "#DF", "double fault" },
	[9] = { "#CSO", "coprocessor segment overrun" },
	[10] = { "#TS", "invalid TSS" },
	[11] = { "#NP", "segment not present" },
	[12] = { "#SS", "stack-segment fault" },
	[13] = { "#GP", "general protection" },
	[14] = { "#PF", "page fault" },
	[15] = { "#15", "reserved" },
	[16] = { "#MF", "x87 floating-point error" },
	[17] = { "#AC", "alignment check" },
	[18] = { "#MC", "machine check" },
	[19] = { "#XM", "SIMD floating-point exception" },
	[20] = { "#VE", "virtualization exception" },
	[21] = { "#CP", "control protection" },
	[22] = { "#22", "reserved" },
	[23] = { "#23", "reserved" },
	[24] = { "#24", "reserved" },
	[25] = { "#25", "reserved" },
	[26] = { "#26", "reserved" },
	[27] = { "#27", "reserved" },
	[28] = { "#HV", "hypervisor injection" },
	[29] = { "#VC", "VMM communication" },
	[30] = { "#SX", "security exception" },
	[31] = { "#31", "reserved" },
};

/* Set while a report is being printed: a fault inside it must not recurse. */
static bool in_exception;

/* GDT, TSS, then IDT (its gates name the GDT's code segment and the TSS's stacks). */
void trap_init(void)
{
	gdt_init();
	idt_init();
}

/* Linux's two #PF lines: who accessed what, and why it faulted. */
static void show_page_fault(u64 error_code)
{
	const char *access = "read";

	if (error_code & X86_PF_INSTR)
		access = "instruction fetch";
	else if (error_code & X86_PF_WRITE)
		access = "write";
	printk("#PF: %s %s access in %s mode\n",
	       (error_code & X86_PF_USER) ? "user" : "supervisor", access,
	       (error_code & X86_PF_USER) ? "user" : "kernel");
	printk("#PF: error_code(0x%04lx) - %s\n", error_code,
	       (error_code & X86_PF_RSVD) ? "reserved bit violation" :
	       (error_code & X86_PF_PROT) ? "permissions violation" : "not-present page");
}

/* Report the exception in @regs and exit; called by entry.S. */
void __noreturn do_exception(struct pt_regs *regs)
{
	/* First, before anything else can fault and overwrite it. */
	unsigned long cr2 = read_cr2();
	const struct exception_name *exc;

	if (in_exception) {
		static const char msg[] = "Exception while reporting an exception\n";

		early_console_write(msg, sizeof(msg) - 1);
		guest_exit(GUEST_EXIT_EXCEPTION);
	}
	in_exception = true;

	exc = regs->vector < NR_EXCEPTION_VECTORS ? &exception_names[regs->vector] : NULL;
	printk("Unhandled exception: vector %lu %s (%s), error code 0x%lx\n",
	       regs->vector, exc ? exc->mnemonic : "?",
	       exc ? exc->name : "not an exception", regs->error_code);
	if (regs->vector == X86_TRAP_PF)
		show_page_fault(regs->error_code);
	printk("RIP: %04lx:%016lx RFLAGS: %016lx\n", regs->cs,
	       regs->ip, regs->flags);
	printk("RSP: %04lx:%016lx\n", regs->ss, regs->sp);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->ax,
	       regs->bx, regs->cx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->dx,
	       regs->si, regs->di);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", regs->bp,
	       regs->r8, regs->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", regs->r10,
	       regs->r11, regs->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", regs->r13,
	       regs->r14, regs->r15);
	printk("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), cr2, read_cr3(),
	       read_cr4());
	printk("Exiting with code %u (unhandled exception)\n", GUEST_EXIT_EXCEPTION);
	guest_exit(GUEST_EXIT_EXCEPTION);
}
