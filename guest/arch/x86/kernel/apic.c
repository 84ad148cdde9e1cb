// SPDX-License-Identifier: MIT
/*
 * The local APIC of the boot CPU (see asm/apic.h, docs/guest-interrupts.md).
 *
 * x2APIC is used whenever CPUID offers it: registers are MSRs, so nothing
 * is mapped and every access is one (fast-pathed) exit. Otherwise the
 * xAPIC page is mapped uncached (PCD|PWT: PAT entry 3, UC) in the device
 * window and accessed with 32-bit loads and stores.
 *
 * The timer counts the APIC's input clock through a divider. Its rate
 * comes from the hypervisor's timing leaf (0x40000010 EBX, kHz: this VMM
 * says 1 GHz, KVM's APIC bus), else it is measured against the TSC over
 * APIC_CAL_MS, and when the TSC's rate is unknown too (QEMU without
 * vmware-cpuid-freq), both are measured against the 8254 PIT, whose rate
 * is fixed (Linux's calibrate_APIC_clock() and pit_calibrate_tsc()).
 */
#include "abi/hypervisor.h"
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/io.h"
#include "asm/irq.h"
#include "asm/msr.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

#define MSR_IA32_APICBASE 0x1b
#define MSR_IA32_APICBASE_EXTD (1ull << 10)   /* x2APIC mode */
#define MSR_IA32_APICBASE_ENABLE (1ull << 11) /* global enable */
#define MSR_IA32_APICBASE_BASE 0x000ffffffffff000ull
#define APIC_BASE_MSR 0x800 /* x2APIC: MSR = 0x800 + xAPIC offset / 16 */

#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_ECX_X2APIC (1u << 21)

#define APIC_LVR_MAXLVT(v) (((v) >> 16) & 0xff)
#define APIC_LVT_INDEX_PC 4      /* LVTPC exists when maxlvt >= 4 */
#define APIC_LVT_INDEX_THERMAL 5 /* LVTTHMR exists when maxlvt >= 5 */
#define APIC_DM_NMI 0x400        /* LINT1: NMI delivery, as Linux sets it on the BSP */
#define APIC_DM_EXTINT 0x700     /* LINT0: the 8259's path (virtual-wire mode) */
#define APIC_INT_ASSERT 0x4000
#define APIC_ICR_WAIT_LOOPS 100000

/* Timer divide configuration values, for dividers 1, 2, 4, ... 128. */
static const u8 apic_tdcr_values[] = { 0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa };

/* Calibration. */
#define APIC_CAL_MS 10           /* measuring window */
#define RATE_KHZ_MIN 1000u       /* 1 MHz: anything slower is a broken figure */
#define RATE_KHZ_MAX 100000000u  /* 100 GHz */
#define PIT_HZ 1193182u          /* the 8254's input clock */
#define PIT_CH0 0x40
#define PIT_MODE 0x43
#define PIT_MODE_CH0_LOHI_MODE0 0x30 /* channel 0, lobyte/hibyte, interrupt on terminal count */
#define PIT_LATCH_CH0 0x00
#define PIT_CAL_TICKS (PIT_HZ / 1000u * APIC_CAL_MS)
#define PIT_CAL_MAX_READS 1000000u /* a PIT that does not count is absent */
#define APIC_ERROR_REPORTS 8

static bool apic_found, x2apic, nolapic;
static volatile u32 *xapic_regs;
static u32 timer_khz, tsc_khz;
static bool calibrated;
static int calibration_result;
static u32 timer_period_ms;
static u32 timer_every, timer_skipped; /* a long period: the callback every timer_every ticks */
static unsigned long timer_ticks;
static void (*timer_callback)(void);
static unsigned int error_reports;

void apic_parse_cmdline(void)
{
	nolapic = cmdline_has("nolapic");
}

bool apic_present(void)
{
	return apic_found;
}

bool apic_x2apic_mode(void)
{
	return x2apic;
}

u32 apic_read(u32 reg)
{
	if (!apic_found)
		return 0;
	if (x2apic)
		return (u32)rdmsr(APIC_BASE_MSR + (reg >> 4));
	return xapic_regs[reg / sizeof(u32)];
}

void apic_write(u32 reg, u32 val)
{
	if (!apic_found)
		return;
	if (x2apic)
		wrmsr(APIC_BASE_MSR + (reg >> 4), val);
	else
		xapic_regs[reg / sizeof(u32)] = val;
}

u32 apic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Fixed-delivery IPI to self: x2APIC's ICR is one 64-bit MSR, xAPIC's two registers. */
bool apic_send_self_ipi(unsigned int vector)
{
	u32 low = (vector & 0xff) | APIC_INT_ASSERT | APIC_ICR_DEST_SELF;

	if (!apic_found)
		return false;
	if (x2apic) {
		wrmsr(APIC_BASE_MSR + (APIC_ICR >> 4), low);
		return true;
	}
	apic_write(APIC_ICR2, 0);
	apic_write(APIC_ICR, low);
	for (unsigned int i = 0; i < APIC_ICR_WAIT_LOOPS; i++) {
		if (!(apic_read(APIC_ICR) & APIC_ICR_DELIVERY_STATUS))
			return true;
		cpu_relax();
	}
	printk("APIC: self-IPI on vector 0x%x still pending\n", vector);
	return false;
}

/* ESR is a write-then-read register: the write latches the errors seen since. */
static u32 apic_read_esr(void)
{
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

/* The APIC found an error (illegal vector, send/receive error): say which, a few times. */
static void apic_error_interrupt(unsigned int vector, void *data)
{
	u32 esr = apic_read_esr();

	(void)vector;
	(void)data;
	if (error_reports < APIC_ERROR_REPORTS) {
		error_reports++;
		printk("APIC: error interrupt, ESR 0x%x\n", esr);
	}
}

/* One tick: count it and hand it to the timer's user. */
static void apic_timer_interrupt(unsigned int vector, void *data)
{
	void (*fn)(void) = timer_callback;

	(void)vector;
	(void)data;
	timer_ticks++;
	if (timer_every > 1 && ++timer_skipped < timer_every)
		return;
	timer_skipped = 0;
	if (fn)
		fn();
}

/* Map the xAPIC page uncached in the device window; false (with a line) if impossible. */
static bool xapic_map(u64 apicbase)
{
	u64 pa = apicbase & MSR_IA32_APICBASE_BASE;
	int err;

	if (pa >> boot_cpu_data.x86_phys_bits) {
		printk("APIC: base 0x%lx beyond the %u-bit physical address space\n",
		       (unsigned long)pa, boot_cpu_data.x86_phys_bits);
		return false;
	}
	err = kernel_map_range(DEVICE_WINDOW_LAPIC, pa, PAGE_SIZE,
			       pgtable_prot_kernel_data() | _PAGE_PCD | _PAGE_PWT, 0);
	if (err) {
		printk("APIC: cannot map the xAPIC page at 0x%lx (error %d)\n", (unsigned long)pa,
		       err);
		return false;
	}
	xapic_regs = (volatile u32 *)DEVICE_WINDOW_LAPIC;
	return true;
}

/* Detect, enable and quiet the local APIC (see asm/apic.h). */
void apic_init(void)
{
	struct cpuid_regs r;
	u64 base;
	u32 maxlvt;

	if (nolapic) {
		printk("APIC: disabled by nolapic: no interrupts, devices are polled\n");
		return;
	}
	if (boot_cpu_data.cpuid_level < 1 || !((r = cpuid(1)).edx & CPUID_1_EDX_APIC)) {
		printk("APIC: none (CPUID.1:EDX.APIC clear): no interrupts, devices are polled\n");
		return;
	}
	base = rdmsr(MSR_IA32_APICBASE);
	/* Into xAPIC mode first: disabled -> x2APIC in one step is an invalid transition. */
	if (!(base & MSR_IA32_APICBASE_ENABLE)) {
		base |= MSR_IA32_APICBASE_ENABLE;
		wrmsr(MSR_IA32_APICBASE, base);
	}
	if (r.ecx & CPUID_1_ECX_X2APIC) {
		if (!(base & MSR_IA32_APICBASE_EXTD))
			wrmsr(MSR_IA32_APICBASE, base | MSR_IA32_APICBASE_EXTD);
		x2apic = true;
	} else if (!xapic_map(base)) {
		return;
	}
	apic_found = true;

	maxlvt = APIC_LVR_MAXLVT(apic_read(APIC_LVR));
	/*
	 * Software-enable first: while SVR bit 8 is clear, the APIC keeps every
	 * LVT entry masked whatever is written to it (SDM vol. 3, 11.4.7.2).
	 */
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_TASKPRI, 0); /* accept every priority class */
	/*
	 * Mask the PICs while LINT0 is still the firmware's ExtINT: the PIC
	 * output falling is then seen by the APIC, and an interrupt the PIC
	 * raised before (SeaBIOS's PIT ticks) is withdrawn. Masking LINT0 first
	 * would leave it pending forever, and QEMU would deliver it as
	 * "vector -1" (a #GP) at the first STI.
	 */
	legacy_pic_mask_all();
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0);
	if (maxlvt >= APIC_LVT_INDEX_THERMAL)
		apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	if (maxlvt >= APIC_LVT_INDEX_PC)
		apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	/* Firmware and KVM leave LINT0 in ExtINT mode (the PIC's path): closed, as Linux does. */
	apic_write(APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	apic_write(APIC_LVT1, APIC_DM_NMI);
	request_irq_vector(ERROR_APIC_VECTOR, apic_error_interrupt, NULL, "APIC error");
	request_irq_vector(LOCAL_TIMER_VECTOR, apic_timer_interrupt, NULL, "APIC timer");
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_read_esr();

	if (x2apic)
		printk("APIC: x2APIC mode, ID 0x%x, version 0x%x, %u LVT entries\n", apic_id(),
		       apic_read(APIC_LVR), maxlvt + 1);
	else
		printk("APIC: xAPIC mode at 0x%lx (uncached at 0x%lx), ID 0x%x, version 0x%x, "
		       "%u LVT entries\n", (unsigned long)(base & MSR_IA32_APICBASE_BASE),
		       DEVICE_WINDOW_LAPIC, apic_id(), apic_read(APIC_LVR), maxlvt + 1);
	/* Now rather than at first use: its line then always comes here, not amid a test's. */
	apic_timer_calibrate();
}

u32 apic_timer_khz(void)
{
	return timer_khz;
}

u32 apic_tsc_khz(void)
{
	return tsc_khz ? tsc_khz : boot_cpu_data.tsc_khz;
}

/* Whether a measured or announced rate is believable. */
static bool rate_ok(u64 khz)
{
	return khz >= RATE_KHZ_MIN && khz <= RATE_KHZ_MAX;
}

/* Start the timer counting down from the top, masked, divider 1: a stopwatch. */
static void apic_timer_free_run(void)
{
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TDCR, apic_tdcr_values[0]);
	apic_write(APIC_TMICT, 0xffffffffu);
}

/* Channel 0's current count (counting down from 0xffff). */
static u16 pit_read_ch0(void)
{
	u8 lo, hi;

	outb(PIT_LATCH_CH0, PIT_MODE);
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (u16)(hi << 8 | lo);
}

/*
 * Measure the TSC and the APIC timer over PIT_CAL_TICKS of the PIT
 * (10 ms). False if the PIT does not count (absent).
 */
static bool pit_calibrate(u64 *tsc_khz_out, u64 *timer_khz_out)
{
	u64 t0, t1;
	u32 c0, c1;
	u16 p0, p;
	unsigned int reads = 0;

	outb(PIT_MODE_CH0_LOHI_MODE0, PIT_MODE);
	outb(0xff, PIT_CH0);
	outb(0xff, PIT_CH0);
	apic_timer_free_run();
	p0 = pit_read_ch0();
	t0 = bench_rdtsc();
	c0 = apic_read(APIC_TMCCT);
	do {
		p = pit_read_ch0();
		if (++reads > PIT_CAL_MAX_READS)
			return false;
	} while ((u16)(p0 - p) < PIT_CAL_TICKS);
	t1 = bench_rdtsc();
	c1 = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	/* kHz = count / (ticks / PIT_HZ) / 1000 */
	*tsc_khz_out = (t1 - t0) * PIT_HZ / ((u64)(u16)(p0 - p) * 1000u);
	*timer_khz_out = (u64)(c0 - c1) * PIT_HZ / ((u64)(u16)(p0 - p) * 1000u);
	return true;
}

/* Measure the APIC timer over APIC_CAL_MS of TSC time (the TSC's rate is known). */
static u64 tsc_calibrate_timer(u32 khz)
{
	u64 t0, wait = (u64)khz * APIC_CAL_MS;
	u32 c0, c1;

	apic_timer_free_run();
	t0 = bench_rdtsc();
	c0 = apic_read(APIC_TMCCT);
	while (bench_rdtsc() - t0 < wait)
		cpu_relax();
	c1 = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	return (u64)(c0 - c1) / APIC_CAL_MS;
}

/* Learn the rates once (see asm/apic.h). */
int apic_timer_calibrate(void)
{
	const char *timer_src, *tsc_src = "hypervisor CPUID leaf 0x40000010";
	u64 measured_tsc = 0, measured_timer = 0;
	u32 leaf_timer = 0;

	if (calibrated)
		return calibration_result;
	calibrated = true;
	calibration_result = -EINVAL;
	if (!apic_found)
		return calibration_result;
	if (boot_cpu_data.hypervisor_max_leaf >= CPUID_HV_TIMING_LEAF)
		leaf_timer = cpuid(CPUID_HV_TIMING_LEAF).ebx;
	tsc_khz = boot_cpu_data.tsc_khz;

	if (rate_ok(leaf_timer)) {
		timer_khz = leaf_timer;
		timer_src = "hypervisor CPUID leaf 0x40000010";
	} else if (rate_ok(tsc_khz)) {
		measured_timer = tsc_calibrate_timer(tsc_khz);
		timer_src = "measured against the TSC";
		if (rate_ok(measured_timer))
			timer_khz = (u32)measured_timer;
	} else if (pit_calibrate(&measured_tsc, &measured_timer)) {
		timer_src = tsc_src = "measured against the PIT";
		if (rate_ok(measured_timer))
			timer_khz = (u32)measured_timer;
		if (rate_ok(measured_tsc))
			tsc_khz = (u32)measured_tsc;
	} else {
		printk("APIC timer: rate unknown (no timing leaf, no TSC rate, no counting PIT): "
		       "no timer\n");
		return calibration_result;
	}
	if (!timer_khz) {
		printk("APIC timer: %s gave %lu kHz, not believable: no timer\n", timer_src,
		       (unsigned long)measured_timer);
		return calibration_result;
	}
	if (!rate_ok(tsc_khz))
		tsc_khz = 0;
	printk("APIC timer: %u kHz (%s), TSC %u kHz (%s)\n", timer_khz, timer_src, tsc_khz,
	       tsc_khz ? tsc_src : "unknown");
	calibration_result = 0;
	return 0;
}

/* Arm the timer (see asm/apic.h). */
int apic_timer_start(u32 ms, bool periodic)
{
	const unsigned int max_div = ARRAY_SIZE(apic_tdcr_values) - 1;
	u32 every = 1, tick_ms = ms;
	u64 count = 0;
	unsigned int div;
	unsigned long flags;

	if (!ms || apic_timer_calibrate())
		return -EINVAL;
	/*
	 * A period the counter cannot hold even at the largest divider (549 s
	 * at 1 GHz) is cut into equal ticks; the callback runs every @every.
	 */
	while (periodic && ((u64)timer_khz * tick_ms >> max_div) > 0xffffffffu) {
		every *= 2;
		tick_ms = ms / every;
	}
	/* The smallest divider whose count fits in 32 bits: the finest resolution. */
	for (div = 0; div <= max_div; div++) {
		count = (u64)timer_khz * tick_ms >> div;
		if (count <= 0xffffffffu)
			break;
	}
	if (div > max_div) { /* a one-shot that long: cut (the caller re-arms) */
		div = max_div;
		count = 0xffffffffu;
	}
	if (!count)
		count = 1;
	flags = local_irq_save();
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TDCR, apic_tdcr_values[div]);
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | (periodic ? APIC_LVT_TIMER_PERIODIC : 0));
	timer_every = every;
	timer_skipped = 0;
	apic_write(APIC_TMICT, (u32)count);
	timer_period_ms = periodic ? ms : 0;
	local_irq_restore(flags);
	return 0;
}

void apic_timer_stop(void)
{
	unsigned long flags = local_irq_save();

	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0);
	timer_period_ms = 0;
	local_irq_restore(flags);
}

u32 apic_timer_period_ms(void)
{
	return timer_period_ms;
}

void apic_timer_set_callback(void (*fn)(void))
{
	WRITE_ONCE(timer_callback, fn);
}

unsigned long apic_timer_ticks(void)
{
	return READ_ONCE(timer_ticks);
}
