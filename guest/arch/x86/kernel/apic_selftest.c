// SPDX-License-Identifier: MIT
/*
 * Selftests of the interrupt set-up (selftest=apic): the local APIC is
 * software-enabled and quiet, a self-IPI reaches its handler exactly once
 * and is EOIed, a one-shot APIC timer fires once and not early, and an
 * I/O APIC redirection entry reads back as programmed. Skipped where there
 * is no APIC (a VMM without an irqchip).
 */
#include "asm/apic.h"
#include "asm/io_apic.h"
#include "asm/irq.h"
#include "asm/processor.h"
#include "kernel/bench.h"
#include "kernel/errno.h"
#include "kernel/selftest.h"

#define ONESHOT_MS 5
#define WAIT_MS 200 /* give up waiting for an interrupt after this much TSC time */
#define SPIN_LOOPS 1000000

static volatile unsigned int selftest_hits;

static void selftest_handler(unsigned int vector, void *data)
{
	(void)vector;
	(void)data;
	selftest_hits++;
}

/* Whether vector @v is in service (the APIC's ISR bitmap). */
static bool in_service(unsigned int v)
{
	return apic_read(APIC_ISR + (v / 32) * 0x10) & (1u << (v % 32));
}

static void apic_enabled_and_quiet(struct selftest *t)
{
	if (!apic_present()) {
		selftest_skip(t, "no local APIC");
		return;
	}
	EXPECT_EQ(t, apic_read(APIC_SPIV) & 0x1ff, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	EXPECT_EQ(t, apic_read(APIC_TASKPRI) & 0xff, 0);
	EXPECT_TRUE(t, apic_read(APIC_LVT0) & APIC_LVT_MASKED);
	EXPECT_EQ(t, apic_read(APIC_LVTERR) & 0x100ff, ERROR_APIC_VECTOR);
	EXPECT_EQ(t, apic_read(APIC_LVTT) & 0xff, LOCAL_TIMER_VECTOR);
}

static void self_ipi_reaches_its_handler_once(struct selftest *t)
{
	unsigned long flags;
	unsigned int i;

	if (!apic_present()) {
		selftest_skip(t, "no local APIC");
		return;
	}
	ASSERT_TRUE(t, request_irq_vector(APIC_SELFTEST_VECTOR, selftest_handler, NULL,
					  "apic selftest") == 0);
	selftest_hits = 0;
	flags = local_irq_save();
	EXPECT_TRUE(t, apic_send_self_ipi(APIC_SELFTEST_VECTOR));
	EXPECT_EQ(t, selftest_hits, 0); /* interrupts are off: pending, not delivered */
	local_irq_enable();
	for (i = 0; i < SPIN_LOOPS && !selftest_hits; i++)
		cpu_relax();
	local_irq_disable();
	EXPECT_EQ(t, selftest_hits, 1);
	EXPECT_FALSE(t, in_service(APIC_SELFTEST_VECTOR)); /* do_irq() sent the EOI */
	local_irq_restore(flags);
	free_irq_vector(APIC_SELFTEST_VECTOR);
}

static void oneshot_timer_fires_once_not_early(struct selftest *t)
{
	unsigned long flags, ticks0;
	u64 khz, t0, elapsed = 0;

	if (!apic_present() || apic_timer_calibrate()) {
		selftest_skip(t, "no calibrated APIC timer");
		return;
	}
	if (apic_timer_period_ms()) {
		selftest_skip(t, "the APIC timer runs the memstat period");
		return;
	}
	khz = apic_tsc_khz();
	ASSERT_TRUE(t, khz != 0);
	flags = local_irq_save();
	ticks0 = apic_timer_ticks();
	t0 = bench_rdtsc();
	ASSERT_TRUE(t, apic_timer_start(ONESHOT_MS, false) == 0);
	/*
	 * Interrupts stay on for the whole wait: a window of one instruction
	 * (sti; pause; cli) can be too short for an emulator, which looks for
	 * interrupts between translated blocks only.
	 */
	local_irq_enable();
	while (apic_timer_ticks() == ticks0 && bench_rdtsc() - t0 < WAIT_MS * khz)
		cpu_relax();
	local_irq_disable();
	elapsed = bench_rdtsc() - t0;
	EXPECT_EQ(t, apic_timer_ticks() - ticks0, 1);
	EXPECT_TRUE(t, elapsed >= ONESHOT_MS * khz * 9 / 10); /* not early (10% for calibration) */
	/* One-shot: nothing more comes. */
	t0 = bench_rdtsc();
	local_irq_enable();
	while (bench_rdtsc() - t0 < 2 * ONESHOT_MS * khz)
		cpu_relax();
	local_irq_disable();
	EXPECT_EQ(t, apic_timer_ticks() - ticks0, 1);
	local_irq_restore(flags);
}

static void io_apic_entry_reads_back(struct selftest *t)
{
	unsigned int pin;
	u64 e;

	if (!io_apic_nr_pins()) {
		selftest_skip(t, "no I/O APIC");
		return;
	}
	pin = io_apic_nr_pins() - 1; /* the last pin: no device here uses it */
	EXPECT_TRUE(t, io_apic_read_entry(pin) & IO_APIC_RTE_MASKED);
	ASSERT_TRUE(t, io_apic_route(pin, APIC_SELFTEST_VECTOR) == 0);
	e = io_apic_read_entry(pin);
	EXPECT_EQ(t, e & IO_APIC_RTE_VECTOR_MASK, APIC_SELFTEST_VECTOR);
	EXPECT_EQ(t, e & (IO_APIC_RTE_DELIVERY_MASK | IO_APIC_RTE_DEST_LOGICAL |
			  IO_APIC_RTE_POLARITY_LOW | IO_APIC_RTE_LEVEL | IO_APIC_RTE_MASKED), 0);
	EXPECT_EQ(t, e >> IO_APIC_RTE_DEST_SHIFT, apic_id() & 0xff);
	io_apic_mask(pin);
	EXPECT_TRUE(t, io_apic_read_entry(pin) & IO_APIC_RTE_MASKED);
	EXPECT_EQ(t, io_apic_route(io_apic_nr_pins(), APIC_SELFTEST_VECTOR), -EINVAL);
	EXPECT_EQ(t, io_apic_route(0, 0x10), -EINVAL);
}

static const struct selftest_case apic_cases[] = {
	SELFTEST_CASE(apic_enabled_and_quiet),
	SELFTEST_CASE(self_ipi_reaches_its_handler_once),
	SELFTEST_CASE(oneshot_timer_fires_once_not_early),
	SELFTEST_CASE(io_apic_entry_reads_back),
};
SELFTEST_SUITE(apic, apic_cases);
