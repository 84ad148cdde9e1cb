/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's local APIC (guest/arch/x86/kernel/apic.c): x2APIC through
 * MSRs when CPUID offers it, else xAPIC through an uncached mapping of its
 * MMIO page; software enable, EOI, error reporting, and the APIC timer
 * (periodic or one-shot), calibrated from the hypervisor's timing leaf or
 * measured. See docs/guest-interrupts.md.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include "kernel/const.h"
#include "kernel/types.h"

/*
 * Where the kernel maps device pages (the xAPIC page, the I/O APIC, the
 * memstat device): a window in the unused hole above the vmemmap in Linux's
 * x86_64 layout, 0xffffeb0000000000 (Linux puts the APICs in its fixmap).
 * Slots are fixed, one per user, so nothing here needs an allocator.
 */
#define DEVICE_WINDOW_BASE _AC(0xffffeb0000000000, UL)
#define DEVICE_WINDOW_LAPIC (DEVICE_WINDOW_BASE + 0x0000)
#define DEVICE_WINDOW_IO_APIC (DEVICE_WINDOW_BASE + 0x1000)
#define DEVICE_WINDOW_MEMSTAT (DEVICE_WINDOW_BASE + 0x10000)

/* Default physical address of the local APIC page. */
#define APIC_DEFAULT_PHYS_BASE 0xfee00000ul

/* xAPIC register offsets (x2APIC MSR = 0x800 + offset / 16). */
#define APIC_ID 0x020
#define APIC_LVR 0x030   /* version; bits 16-23: highest LVT entry */
#define APIC_TASKPRI 0x080
#define APIC_EOI 0x0b0
#define APIC_SPIV 0x0f0  /* spurious-interrupt vector, bit 8 = software enable */
#define APIC_ISR 0x100   /* in-service, 8 registers of 32 bits, 0x10 apart */
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVTTHMR 0x330
#define APIC_LVTPC 0x340
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380 /* timer initial count */
#define APIC_TMCCT 0x390 /* timer current count */
#define APIC_TDCR 0x3e0  /* timer divide configuration */

#define APIC_SPIV_APIC_ENABLED (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TIMER_PERIODIC (1u << 17)
#define APIC_ICR_DEST_SELF (1u << 18) /* destination shorthand 01: self */
#define APIC_ICR_DELIVERY_STATUS (1u << 12) /* xAPIC: send pending */

/*
 * Read `nolapic` (Linux's parameter: do not use the local APIC; here it
 * also means no I/O APIC and no interrupts at all, the state of a VMM
 * without an irqchip, so that path can be tested with one).
 */
void apic_parse_cmdline(void);

/* Whether apic_init() found and enabled a local APIC. */
bool apic_present(void);

/* Whether it runs in x2APIC mode (MSRs) rather than xAPIC (MMIO). */
bool apic_x2apic_mode(void);

/*
 * Detect the local APIC (CPUID.1:EDX.APIC, x2APIC from CPUID.1:ECX),
 * enable it (x2APIC if offered), mask every LVT entry but the error one,
 * software-enable it with the spurious vector, and print one line. Without
 * an APIC (a VMM with no irqchip hides it) it prints why and everything
 * else here becomes a no-op.
 */
void apic_init(void);

u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 val);

/* The boot CPU's APIC ID (x2APIC: 32 bits; xAPIC: bits 24-31 of APIC_ID). */
u32 apic_id(void);

/* End of interrupt: the in-service vector is done. */
void apic_eoi(void);

/* Send @vector to this CPU (fixed delivery, self shorthand); false without an APIC. */
bool apic_send_self_ipi(unsigned int vector);

/*
 * The APIC timer's input clock in kHz (before the divider) and the TSC's,
 * as apic_timer_calibrate() found them; 0 while unknown.
 */
u32 apic_timer_khz(void);
u32 apic_tsc_khz(void);

/*
 * Learn the timer and TSC rates, once (apic_init() calls it; later calls
 * return the first result): the timer from the hypervisor's
 * CPUID leaf 0x40000010 EBX, the TSC from its EAX; whichever is missing is
 * measured (the timer against the TSC, or both against the 8254 PIT).
 * Prints one line saying where the figures came from. Returns 0, or -EINVAL
 * if the timer's rate cannot be known (then no timer is started).
 */
int apic_timer_calibrate(void);

/*
 * Run the timer: every @ms milliseconds (@periodic) or once after @ms,
 * raising LOCAL_TIMER_VECTOR, whose handler calls the callback set with
 * apic_timer_set_callback(). A one-shot longer than the counter holds is
 * cut to the longest it holds (callers re-arm). Returns 0, or -EINVAL
 * without a calibrated timer or for @ms == 0.
 */
int apic_timer_start(u32 ms, bool periodic);

/* Stop the timer (masked, count 0). */
void apic_timer_stop(void);

/* Whether the timer runs periodically, and at what period (ms, 0 if it does not). */
u32 apic_timer_period_ms(void);

/* The function every timer interrupt calls (NULL: none). */
void apic_timer_set_callback(void (*fn)(void));

/* Timer interrupts taken since boot. */
unsigned long apic_timer_ticks(void);

#endif /* ASM_APIC_H */
