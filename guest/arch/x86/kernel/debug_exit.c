// SPDX-License-Identifier: MIT
/*
 * Leaving the VM: the exit code goes to the debug-exit port (this VMM and
 * QEMU's isa-debug-exit, iosize=4, so one 32-bit write carries the whole
 * value). Where no such device exists the write is lost, and the CPU stops
 * with interrupts off instead.
 */
#include "abi/ports.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "kernel/exit.h"

/* Exit with @code; see kernel/exit.h. */
void __noreturn guest_exit(u32 code)
{
	local_irq_disable();
	outl(code, DEBUG_EXIT_PORT);
	halt_forever();
}
