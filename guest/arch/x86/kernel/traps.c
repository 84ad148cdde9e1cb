// SPDX-License-Identifier: MIT
/*
 * Exception reports. This kernel handles no exception but the page faults
 * its fault probes expect (asm/extable.h): each other one is a bug (or a
 * crash= test), so the handler prints what a developer needs, in the
 * spirit of Linux's oops (vector and name, error code, RIP, CS, RFLAGS,
 * RSP, SS, general registers, CR0/CR2/CR3/CR4), and exits with
 * GUEST_EXIT_EXCEPTION.
 */
#include "abi/ports.h"
#include "asm/extable.h"
#include "asm/fault.h"
#include "asm/processor.h"
#include "asm/ptrace.h"
#include "asm/traps.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/types.h"

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
	/* An expected fault (an exception-table probe): fixed up, resume. */
	if (regs->vector == X86_TRAP_PF && fault_fixup(regs, cr2)) {
		in_exception = false;
		exception_resume(regs);
	}

	exc = regs->vector < NR_EXCEPTION_VECTORS ? &exception_names[regs->vector] : NULL;
	printk("Unhandled exception: vector %lu %s (%s), error code 0x%lx\n",
	       regs->vector, exc ? exc->mnemonic : "?",
	       exc ? exc->name : "not an exception", regs->error_code);
	if (regs->vector == X86_TRAP_PF)
		fault_show_oops(regs, cr2);
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
