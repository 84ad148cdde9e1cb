// SPDX-License-Identifier: MIT
/*
 * idle=MS (see kernel/idle.h). The wait is measured with the TSC, whose
 * rate comes from the hypervisor's timing leaf or the APIC calibration.
 * Each turn of the loop runs with interrupts off until the final
 * "sti; hlt", so a wake-up that arrives between the checks and the halt is
 * not lost: STI's shadow delivers it after HLT has started.
 */
#include "asm/apic.h"
#include "asm/irq.h"
#include "asm/processor.h"
#include "drivers/memstat.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/idle.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static bool idle_requested;
static u64 idle_ms;

void idle_parse_cmdline(void)
{
	if (!cmdline_has("idle"))
		return;
	if (cmdline_get_u64("idle", &idle_ms) || idle_ms > IDLE_MAX_MS)
		bad_boot("idle=%s: expected milliseconds from 0 (forever) to %lu",
			 cmdline_get("idle") ? cmdline_get("idle") : "", IDLE_MAX_MS);
	idle_requested = true;
}

/* Milliseconds from @now to @deadline at @khz, rounded up (at least 1). */
static u32 ms_until(u64 now, u64 deadline, u64 khz)
{
	u64 ms = (deadline - now + khz - 1) / khz;

	return ms ? (ms > 0xffffffffu ? 0xffffffffu : (u32)ms) : 1;
}

void idle_run(void)
{
	bool halt = apic_present();
	unsigned long flags, wakeups = 0, ticks0 = apic_timer_ticks();
	bool oneshot = false;
	u64 khz, start, deadline = 0, now;

	if (!idle_requested)
		return;
	apic_timer_calibrate();
	khz = apic_tsc_khz();
	if (idle_ms && !khz) {
		printk("idle: TSC rate unknown: cannot measure %lu ms, not idling\n",
		       (unsigned long)idle_ms);
		return;
	}
	if (idle_ms)
		printk("idle: %lu ms %s\n", (unsigned long)idle_ms,
		       halt ? "with interrupts on (halting between interrupts)" :
			      "polling the device (no local APIC)");
	else
		printk("idle: forever %s\n",
		       halt ? "with interrupts on (halting between interrupts)" :
			      "polling the device (no local APIC)");
	flags = local_irq_save();
	start = bench_rdtsc();
	deadline = start + idle_ms * khz;
	for (;;) {
		memstat_poll();
		now = bench_rdtsc();
		if (idle_ms && now >= deadline)
			break;
		if (!halt) { /* no local APIC: nothing can interrupt, so nothing to enable */
			cpu_relax();
			continue;
		}
		/* The device's period timer wakes us anyway; else a one-shot at the deadline. */
		if (idle_ms && !apic_timer_period_ms()) {
			if (apic_timer_start(ms_until(now, deadline, khz), false) == 0)
				oneshot = true;
			else if (!wakeups)
				printk("idle: no APIC timer: only an interrupt from a "
				       "device can end the wait\n");
		}
		safe_halt();
		local_irq_disable();
		wakeups++;
	}
	if (oneshot && !apic_timer_period_ms())
		apic_timer_stop();
	local_irq_restore(flags);
	printk("idle: done after %lu ms: %lu wake-ups, %lu timer interrupts\n",
	       (unsigned long)(khz ? (now - start) / khz : 0), wakeups,
	       apic_timer_ticks() - ticks0);
	memstat_publish_now("end of idle");
}
