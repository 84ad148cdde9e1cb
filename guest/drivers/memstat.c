// SPDX-License-Identifier: MIT
/*
 * The memstat driver (see drivers/memstat.h, docs/guest-interrupts.md):
 *
 * probe    memstat.device=SIZE@ADDR:GSI, checked against E820 (reserved,
 *          not RAM) and the I/O APIC's pins; the region's
 *          MEMSTAT_REGION_SIZE bytes are mapped write-back in the device
 *          window: it is RAM the host shares (a memslot), not a register
 *          file, and both sides order their accesses with the sequence
 *          counter and ring indices, so caching it is right (as virtio
 *          rings live in cached memory).
 * handshake virtio's: ACKNOWLEDGE, DRIVER, ABI version and features,
 *          FEATURES_OK, DRIVER_OK; the doorbell after every status write,
 *          and device_status checked after each (the VMM validates during
 *          the port exit, so the answer is already there).
 * publish  the statistics under the sequence counter: at DRIVER_OK, at the
 *          end of boot, on MEMSTAT_CMD_REFRESH_STATS and every
 *          stats_period_ms from the local APIC timer.
 * commands the device's interrupt (GSI -> I/O APIC -> a device vector):
 *          the handler clears isr, consumes the command ring, checks each
 *          entry, acks it in the event ring, rings the doorbells. Without
 *          an interrupt (no irqchip) the idle loop polls the ring.
 *
 * Concurrency: one CPU. Everything that touches the device runs with
 * interrupts off (handlers, or local_irq_save() around the main-context
 * callers), so the driver state needs no lock. Handlers never print
 * (printk is not reentrant): what they have to say waits for
 * memstat_poll() or memstat_publish_now().
 */
#include "abi/memstat_dev.h"
#include "asm/apic.h"
#include "asm/io.h"
#include "asm/io_apic.h"
#include "asm/irq.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "drivers/memstat.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/e820_setup.h"
#include "mm/meminfo.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "memstat_internal.h"

#define WHY_LEN 192

struct memstat_dev_map memstat_dev;

static struct {
	const char *arg;             /* memstat.device= as given, NULL if absent */
	struct memstat_param param;
	enum memstat_hostile hostile;
	bool mapped;                 /* memstat_dev is valid */
	bool active;                 /* DRIVER_OK reached, device not failed */
	u64 features;                /* negotiated */
	u32 status;                  /* driver_status last written */
	int vector;                  /* the device's vector, or -1 */
	u32 period_ms;               /* the period running now, 0 = none */
	u32 seq;                     /* the stats sequence counter (the guest owns it) */
	u16 cmd_cons, evt_prod;      /* our indices (consumer of commands, producer of events) */
	u64 updates;                 /* snapshots published */
	u64 publish_cycles;          /* TSC cycles spent publishing them, doorbell included */
	unsigned int nr_stats;       /* entries in the last snapshot */
	struct memstat_layout layout; /* its tags */
	/* Counters and news for the main context (handlers do not print). */
	unsigned long irqs, cmds_served, cmds_rejected, evt_dropped;
	bool cmd_ring_broken;        /* news: the host's producer index jumped */
	u16 broken_prod;
	unsigned long cmds_by_type[MEMSTAT_CMD_PING + 1];
	bool fail_seen, fail_reported;
} drv = { .vector = -1 };

/* Scratch for publish(): too large for an interrupt's stack, and one CPU uses it. */
static struct memstat_figures figures;

void memstat_doorbell(u32 value)
{
	barrier(); /* every store before it is in memory when the host looks (x86: in order) */
	outl(value, MEMSTAT_DOORBELL_PORT);
}

bool memstat_device_failed(void)
{
	return READ_ONCE(memstat_dev.hdr->device_status) & MEMSTAT_S_FAILED;
}

bool memstat_set_status(u32 status)
{
	drv.status = status;
	WRITE_ONCE(memstat_dev.hdr->driver_status, status);
	memstat_doorbell(MEMSTAT_DB_STATUS);
	return !memstat_device_failed();
}

/* ---------------------------------------------------------------- parameters */

void memstat_parse_cmdline(void)
{
	const char *kind = cmdline_get("memstat.hostile");

	drv.arg = cmdline_get(MEMSTAT_CMDLINE_NAME);
	if (cmdline_has("memstat.hostile")) {
		drv.hostile = memstat_hostile_lookup(kind ? kind : "");
		if (drv.hostile == MEMSTAT_HOSTILE_NONE)
			bad_boot("memstat.hostile=%s: unknown kind (see docs/guest-interrupts.md)",
				 kind ? kind : "");
	}
}

/* ---------------------------------------------------------------- statistics */

/* Gather the figures into @f: the same ones report=meminfo, buddyinfo and vmstat print. */
static void gather_figures(struct memstat_figures *f)
{
	struct meminfo mi;
	struct zone *z;

	meminfo_get(&mi);
	/*
	 * @f is the static scratch, zero at boot, and every field that is not
	 * 0 forever is rewritten below: no clearing, whose 1.4 KiB would cost
	 * more than the rest here (guest instructions are dear on this host).
	 * virtio-balloon's tags: what this kernel has no mechanism for is 0
	 * and true (no swap, no user space so no major or minor faults, no
	 * page cache, no hugetlbfs, no OOM killer, no reclaim).
	 */
	f->nr_zones = 0;
	f->virtio[MEMSTAT_TAG_MEMFREE] = (u64)mi.free << PAGE_SHIFT;
	f->virtio[MEMSTAT_TAG_MEMTOT] = (u64)mi.total << PAGE_SHIFT;
	f->virtio[MEMSTAT_TAG_AVAIL] = (u64)mi.available << PAGE_SHIFT;

	f->meminfo[MEMSTAT_MI_HIGH_TOTAL] = (u64)mi.high_total << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_HIGH_FREE] = (u64)mi.high_free << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_LOW_TOTAL] = (u64)(mi.total - mi.high_total) << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_LOW_FREE] = (u64)(mi.free - mi.high_free) << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_SLAB] = mi.slab_bytes;
	f->meminfo[MEMSTAT_MI_SRECLAIMABLE] = mi.sreclaimable_bytes;
	f->meminfo[MEMSTAT_MI_SUNRECLAIM] = mi.sunreclaim_bytes;
	f->meminfo[MEMSTAT_MI_PAGE_TABLES] = (u64)mi.page_tables << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_VMALLOC_TOTAL] = mi.vmalloc_total_bytes;
	f->meminfo[MEMSTAT_MI_VMALLOC_USED] = mi.vmalloc_used_bytes;
	f->meminfo[MEMSTAT_MI_DIRECT_MAP_4K] = (u64)mi.direct_map_4k << PAGE_SHIFT;
	f->meminfo[MEMSTAT_MI_DIRECT_MAP_2M] = (u64)mi.direct_map_2m << PMD_SHIFT;
	/* Only the lines /proc/meminfo prints here (no Buffers, KernelStack, 1G, Reserved). */
	f->meminfo_valid = 1u << MEMSTAT_MI_HIGH_TOTAL | 1u << MEMSTAT_MI_HIGH_FREE |
			   1u << MEMSTAT_MI_LOW_TOTAL | 1u << MEMSTAT_MI_LOW_FREE |
			   1u << MEMSTAT_MI_SLAB | 1u << MEMSTAT_MI_SRECLAIMABLE |
			   1u << MEMSTAT_MI_SUNRECLAIM | 1u << MEMSTAT_MI_PAGE_TABLES |
			   1u << MEMSTAT_MI_VMALLOC_TOTAL | 1u << MEMSTAT_MI_VMALLOC_USED |
			   1u << MEMSTAT_MI_DIRECT_MAP_4K | 1u << MEMSTAT_MI_DIRECT_MAP_2M;

	/* /proc/buddyinfo's figures: the zones with memory, every order. */
	for_each_zone(z) {
		unsigned int n = f->nr_zones;

		if (!populated_zone(z) || n >= MEMSTAT_MAX_ZONES)
			continue;
		f->zones[n].zone = zone_idx(z);
		f->zones[n].nr_orders = NR_PAGE_ORDERS;
		for (unsigned int o = 0; o < NR_PAGE_ORDERS && o < MEMSTAT_MAX_ORDERS; o++)
			f->zones[n].nr_free[o] = z->free_area[o].nr_free;
		f->nr_zones++;
	}
	f->nr_vm_events = NR_VM_EVENT_ITEMS;
	f->vm_events = vm_events;
	f->tsc = bench_rdtsc();
	f->updates = drv.updates + 1;
}

_Static_assert(NR_PAGE_ORDERS <= MEMSTAT_MAX_ORDERS, "every order has a free-area tag");
_Static_assert(MAX_NR_ZONES <= MEMSTAT_MAX_ZONES, "every zone has free-area tags");
_Static_assert(NR_VM_EVENT_ITEMS <= MEMSTAT_TAG_VMSTAT_NR, "every vm event has a tag");

/*
 * One snapshot under the sequence counter: odd, entries and count, even
 * (compiler barriers between: x86 keeps stores in order), then the STATS
 * doorbell so the host copies it now.
 */
static void publish(void)
{
	volatile struct memstat_stats *s = memstat_dev.stats;
	struct memstat_layout layout;
	unsigned long flags;
	u64 t0;

	if (!drv.active || !(drv.features & MEMSTAT_F_STATS))
		return;
	flags = local_irq_save();
	t0 = bench_rdtsc();
	gather_figures(&figures);
	memstat_stats_layout(&figures, &layout);
	WRITE_ONCE(s->seq, ++drv.seq); /* odd: being written */
	barrier();
	/* The tags of the last snapshot are still there if the layout did not change. */
	drv.nr_stats = memstat_encode(s->stats, MEMSTAT_MAX_STATS, &figures, NULL,
				      drv.updates && memstat_same_layout(&layout, &drv.layout));
	drv.layout = layout;
	s->nr_stats = drv.nr_stats;
	barrier();
	WRITE_ONCE(s->seq, ++drv.seq); /* even: consistent */
	drv.updates++;
	memstat_doorbell(MEMSTAT_DB_STATS);
	drv.publish_cycles += bench_rdtsc() - t0;
	if (memstat_device_failed()) {
		drv.fail_seen = true;
		drv.active = false;
	}
	local_irq_restore(flags);
}

/* ---------------------------------------------------------------- period */

/* The period timer's tick (interrupt context). */
static void memstat_tick(void)
{
	if (drv.active && drv.period_ms)
		publish();
}

/* Run the period timer at @ms (0: stop it). 0, or -EINVAL if the timer cannot. */
static int set_period(u32 ms)
{
	if (!(drv.features & MEMSTAT_F_PERIODIC))
		return -EINVAL;
	if (!ms) {
		if (drv.period_ms)
			apic_timer_stop();
		drv.period_ms = 0;
		return 0;
	}
	if (ms > MEMSTAT_PERIOD_MAX_MS || apic_timer_start(ms, true))
		return -EINVAL;
	apic_timer_set_callback(memstat_tick);
	drv.period_ms = ms;
	return 0;
}

/* ---------------------------------------------------------------- rings */

/* Put one event in the ring; when it is full, let the host drain it first. */
static bool post_event(u16 type, u32 id, u64 a0, u64 a1, u64 a2)
{
	volatile struct memstat_ring *r = memstat_dev.evt;
	volatile struct memstat_msg *m;

	if (!(drv.features & MEMSTAT_F_EVT_RING))
		return false;
	if ((u16)(drv.evt_prod - READ_ONCE(r->cons_idx)) >= memstat_dev.evt_size) {
		memstat_doorbell(MEMSTAT_DB_EVT); /* the host consumes during the exit */
		if ((u16)(drv.evt_prod - READ_ONCE(r->cons_idx)) >= memstat_dev.evt_size) {
			drv.evt_dropped++;
			return false;
		}
	}
	m = &r->slots[drv.evt_prod & (memstat_dev.evt_size - 1)];
	m->type = type;
	m->flags = 0;
	m->id = id;
	m->arg[0] = a0;
	m->arg[1] = a1;
	m->arg[2] = a2;
	barrier(); /* the entry before the index that publishes it */
	WRITE_ONCE(r->prod_idx, ++drv.evt_prod);
	return true;
}

/*
 * Check (memstat_check_command()) and run one command; the result for its
 * ack (0 or -errno) and, for PING, the echo.
 */
static int run_command(const struct memstat_msg *m, u64 *echo)
{
	int ret = memstat_check_command(m, drv.features);

	*echo = 0;
	if (ret)
		return ret;
	switch (m->type) {
	case MEMSTAT_CMD_REFRESH_STATS:
		publish();
		return 0;
	case MEMSTAT_CMD_SET_PERIOD:
		return set_period((u32)m->arg[0]);
	default: /* MEMSTAT_CMD_PING */
		*echo = m->arg[0]; /* arg[0] of an ack is the result: the echo goes in arg[1] */
		return 0;
	}
}

/* Consume every new command, ack each, publish our indices (interrupts off). */
static void serve_commands(void)
{
	volatile struct memstat_ring *r = memstat_dev.cmd;
	u16 prod = READ_ONCE(r->prod_idx);
	bool acked = false;

	if (!(drv.features & MEMSTAT_F_CMD_RING) || prod == drv.cmd_cons)
		return;
	if ((u16)(prod - drv.cmd_cons) > memstat_dev.cmd_size) {
		/* A host bug (hostile hosts are out of scope): stop reading this ring. */
		drv.cmd_ring_broken = true;
		drv.broken_prod = prod;
		drv.features &= ~MEMSTAT_F_CMD_RING;
		return;
	}
	barrier(); /* the entries after the index that published them */
	while (drv.cmd_cons != prod) {
		struct memstat_msg m;
		volatile struct memstat_msg *slot =
			&r->slots[drv.cmd_cons & (memstat_dev.cmd_size - 1)];
		u64 echo;
		int ret;

		m.type = slot->type;
		m.flags = slot->flags;
		m.id = slot->id;
		m.arg[0] = slot->arg[0];
		m.arg[1] = slot->arg[1];
		m.arg[2] = slot->arg[2];
		drv.cmd_cons++;
		ret = run_command(&m, &echo);
		if (ret)
			drv.cmds_rejected++;
		else if (m.type < ARRAY_SIZE(drv.cmds_by_type))
			drv.cmds_by_type[m.type]++;
		drv.cmds_served++;
		acked |= post_event(MEMSTAT_EVT_ACK, m.id, (u64)(s64)ret, echo, 0);
	}
	WRITE_ONCE(r->cons_idx, drv.cmd_cons);
	memstat_doorbell(MEMSTAT_DB_CMD);
	if (acked)
		memstat_doorbell(MEMSTAT_DB_EVT);
}

/* The header changed: a failure, or a new period set without a command. */
static void check_config(void)
{
	u32 period;

	if (memstat_device_failed()) {
		drv.fail_seen = true;
		drv.active = false;
		if (drv.period_ms)
			apic_timer_stop();
		drv.period_ms = 0;
		return;
	}
	period = READ_ONCE(memstat_dev.hdr->stats_period_ms);
	if ((drv.features & MEMSTAT_F_PERIODIC) && period != drv.period_ms)
		set_period(period);
}

/* isr, then whatever it says (and the command ring regardless: it is cheap to look). */
static void service(void)
{
	u32 isr = __atomic_exchange_n(&memstat_dev.hdr->isr, 0, __ATOMIC_SEQ_CST);

	if (isr & MEMSTAT_ISR_CONFIG)
		check_config();
	if (drv.active)
		serve_commands();
}

/* The device's interrupt. */
static void memstat_interrupt(unsigned int vector, void *data)
{
	(void)vector;
	(void)data;
	drv.irqs++;
	if (drv.mapped)
		service();
}

/* Print what handlers found since the last call (main context). */
static void report_news(void)
{
	if (drv.fail_seen && !drv.fail_reported) {
		u32 reason = READ_ONCE(memstat_dev.hdr->fail_reason);

		drv.fail_reported = true;
		printk("memstat: device FAILED (device status 0x%x, reason %u: %s): "
		       "driver stopped\n", READ_ONCE(memstat_dev.hdr->device_status), reason,
		       memstat_fail_reason_name(reason));
	}
	if (drv.cmd_ring_broken) {
		printk("memstat: command ring producer index 0x%x is more than %u past 0x%x: "
		       "commands ignored from now on\n", drv.broken_prod, memstat_dev.cmd_size,
		       drv.cmd_cons);
		drv.cmd_ring_broken = false;
	}
}

void memstat_poll(void)
{
	unsigned long flags = local_irq_save();

	/* Without the interrupt the ring is polled; with it, this is a no-op. */
	if (drv.active && drv.vector < 0)
		service();
	local_irq_restore(flags);
	report_news();
}

/* ---------------------------------------------------------------- probe */

/* Check the parameter against E820 and the I/O APIC; a line and false if refused. */
static bool check_param(void)
{
	char why[WHY_LEN];
	const char *problem;

	if (memstat_parse_device(drv.arg, &drv.param, why, sizeof(why))) {
		printk("memstat: %s=%s: %s: device ignored\n", MEMSTAT_CMDLINE_NAME, drv.arg, why);
		return false;
	}
	problem = memstat_check_e820(&e820_table, drv.param.addr, drv.param.size, why,
				     sizeof(why));
	if (problem) {
		printk("memstat: %s=%s: %s: device ignored\n", MEMSTAT_CMDLINE_NAME, drv.arg,
		       problem);
		return false;
	}
	if (io_apic_nr_pins() && drv.param.gsi >= io_apic_nr_pins()) {
		printk("memstat: %s=%s: GSI %u is not an I/O APIC pin (it has %u): "
		       "device ignored\n", MEMSTAT_CMDLINE_NAME, drv.arg, drv.param.gsi,
		       io_apic_nr_pins());
		return false;
	}
	return true;
}

/* Map the region write-back in the device window (see the top of the file). */
static bool map_region(void)
{
	u64 pa = drv.param.addr;
	u8 uniform, mtrr;
	int err;

	if (pa + MEMSTAT_REGION_SIZE > 1ull << boot_cpu_data.x86_phys_bits) {
		printk("memstat: region at 0x%lx beyond the %u-bit physical address space: "
		       "device ignored\n", (unsigned long)pa, boot_cpu_data.x86_phys_bits);
		return false;
	}
	err = kernel_map_range(DEVICE_WINDOW_MEMSTAT, pa, MEMSTAT_REGION_SIZE,
			       pgtable_prot_kernel_data(), 0);
	if (err) {
		printk("memstat: cannot map the region at 0x%lx (error %d): device ignored\n",
		       (unsigned long)pa, err);
		return false;
	}
	memstat_dev.hdr =
		(volatile struct memstat_hdr *)(DEVICE_WINDOW_MEMSTAT + MEMSTAT_HDR_OFFSET);
	memstat_dev.stats =
		(volatile struct memstat_stats *)(DEVICE_WINDOW_MEMSTAT + MEMSTAT_STATS_OFFSET);
	memstat_dev.cmd =
		(volatile struct memstat_ring *)(DEVICE_WINDOW_MEMSTAT + MEMSTAT_CMD_RING_OFFSET);
	memstat_dev.evt =
		(volatile struct memstat_ring *)(DEVICE_WINDOW_MEMSTAT + MEMSTAT_EVT_RING_OFFSET);
	drv.mapped = true;
	/* The effective type is PAT's WB combined with the firmware's MTRRs: say which. */
	mtrr = mtrr_type_lookup(pa, pa + MEMSTAT_REGION_SIZE, &uniform);
	printk("memstat: region [mem 0x%016lx-0x%016lx] mapped write-back at 0x%lx "
	       "(MTRR type %u%s)\n", (unsigned long)pa, (unsigned long)(pa + drv.param.size - 1),
	       DEVICE_WINDOW_MEMSTAT, mtrr,
	       mtrr == MTRR_TYPE_UNCACHABLE ? ": the MTRRs make the accesses uncached" : "");
	return true;
}

/* A ring size the ABI allows: a power of two, 1 .. MEMSTAT_RING_MAX_SIZE. */
static bool ring_size_ok(u32 n)
{
	return n && n <= MEMSTAT_RING_MAX_SIZE && !(n & (n - 1));
}

/* The driver gives up on the device: FAILED, with one line saying why. */
static void give_up(const char *what, u32 value)
{
	printk("memstat: %s (0x%x): driver sets FAILED, going on without the device\n", what,
	       value);
	memstat_set_status(drv.status | MEMSTAT_S_FAILED);
}

/*
 * The header's host-owned fields, before the driver writes anything:
 * magic, ABI version, doorbell port (never ring a port we do not know),
 * GSI, ring sizes. False (with a line) if the device is not usable.
 */
static bool check_header(void)
{
	volatile struct memstat_hdr *h = memstat_dev.hdr;
	u32 v;

	if ((v = READ_ONCE(h->magic)) != MEMSTAT_MAGIC) {
		printk("memstat: no device at 0x%lx: magic 0x%x, expected 0x%x\n",
		       (unsigned long)drv.param.addr, v, MEMSTAT_MAGIC);
		return false;
	}
	if ((v = READ_ONCE(h->doorbell_port)) != MEMSTAT_DOORBELL_PORT) {
		printk("memstat: device doorbell port 0x%x, the ABI says 0x%x: device ignored\n", v,
		       MEMSTAT_DOORBELL_PORT);
		return false;
	}
	if ((v = READ_ONCE(h->device_abi_version)) != MEMSTAT_ABI_VERSION) {
		printk("memstat: device ABI version %u, this driver speaks %u only: refused\n", v,
		       MEMSTAT_ABI_VERSION);
		memstat_set_status(MEMSTAT_S_FAILED);
		return false;
	}
	if ((v = READ_ONCE(h->gsi)) != drv.param.gsi) {
		give_up("device header GSI differs from the command line's", v);
		return false;
	}
	memstat_dev.cmd_size = READ_ONCE(h->cmd_ring_size);
	memstat_dev.evt_size = READ_ONCE(h->evt_ring_size);
	if (!ring_size_ok(memstat_dev.cmd_size)) {
		give_up("command ring size is not a power of two up to 64", memstat_dev.cmd_size);
		return false;
	}
	if (!ring_size_ok(memstat_dev.evt_size)) {
		give_up("event ring size is not a power of two up to 64", memstat_dev.evt_size);
		return false;
	}
	return true;
}

bool memstat_negotiate(u64 features, u32 abi_version)
{
	volatile struct memstat_hdr *h = memstat_dev.hdr;

	/* Our ring indices start at 0, as the device's do after a reset. */
	WRITE_ONCE(memstat_dev.cmd->cons_idx, 0);
	WRITE_ONCE(memstat_dev.evt->prod_idx, 0);
	drv.cmd_cons = drv.evt_prod = 0;
	if (!memstat_set_status(MEMSTAT_S_ACKNOWLEDGE) ||
	    !memstat_set_status(MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER))
		goto failed;
	WRITE_ONCE(h->driver_abi_version, abi_version);
	WRITE_ONCE(h->driver_features, features);
	if (!memstat_set_status(drv.status | MEMSTAT_S_FEATURES_OK))
		goto failed;
	if (!(READ_ONCE(h->device_status) & MEMSTAT_S_FEATURES_OK)) {
		printk("memstat: device did not accept FEATURES_OK (device status 0x%x)\n",
		       READ_ONCE(h->device_status));
		return false;
	}
	drv.features = features;
	return true;
failed:
	drv.fail_seen = true;
	report_news();
	return false;
}

/* Route the device's GSI to a vector of its own; false if there is no way to. */
static bool setup_interrupt(void)
{
	int vector;

	if (!io_apic_nr_pins())
		return false;
	vector = irq_alloc_vector();
	if (vector < 0 || request_irq_vector((unsigned int)vector, memstat_interrupt, NULL,
					     "memstat"))
		return false;
	if (io_apic_route(drv.param.gsi, (unsigned int)vector)) {
		free_irq_vector((unsigned int)vector);
		return false;
	}
	drv.vector = vector;
	return true;
}

/* The features to take: what the device offers and this kernel can serve. */
static u64 choose_features(void)
{
	u64 offered = READ_ONCE(memstat_dev.hdr->device_features);
	u64 want = offered & MEMSTAT_DRIVER_FEATURES;

	if (!io_apic_nr_pins())
		want &= ~MEMSTAT_F_IRQ; /* no irqchip: the idle loop polls */
	if (apic_timer_calibrate())
		want &= ~MEMSTAT_F_PERIODIC; /* no timer to publish by */
	if (!(want & MEMSTAT_F_STATS))
		want &= ~MEMSTAT_F_PERIODIC;
	return want;
}

/* Probe, handshake, interrupt, timer (see drivers/memstat.h). */
void memstat_init(void)
{
	char route[sizeof("no interrupt (polled)")];
	u64 features;
	u32 period;

	if (!drv.arg) {
		printk("memstat: no device (no %s= parameter): statistics go to the console only\n",
		       MEMSTAT_CMDLINE_NAME);
		if (drv.hostile)
			printk("memstat: hostile %s: no device to break the protocol of\n",
			       memstat_hostile_names[drv.hostile]);
		return;
	}
	if (!check_param() || !map_region())
		return;
	if (drv.hostile) {
		memstat_hostile_run(drv.hostile);
		return;
	}
	if (!check_header())
		return;
	features = choose_features();
	if (!memstat_negotiate(features, MEMSTAT_ABI_VERSION))
		return;
	if ((features & MEMSTAT_F_IRQ) && !setup_interrupt()) {
		/* FEATURES_OK is final: with IRQ taken, the host interrupts into a masked pin. */
		printk("memstat: no vector or I/O APIC pin for GSI %u: commands are polled\n",
		       drv.param.gsi);
	}
	if (!memstat_set_status(drv.status | MEMSTAT_S_DRIVER_OK)) {
		drv.fail_seen = true;
		report_news();
		return;
	}
	drv.active = true;
	period = READ_ONCE(memstat_dev.hdr->stats_period_ms);
	if ((features & MEMSTAT_F_PERIODIC) && period && set_period(period))
		printk("memstat: period %u ms: the APIC timer cannot run it, publishing on "
		       "request only\n", period);
	if (drv.vector >= 0)
		snprintf(route, sizeof(route), "vector %d", drv.vector);
	else
		snprintf(route, sizeof(route), "no interrupt (polled)");
	printk("memstat: DRIVER_OK: device at 0x%lx, GSI %u -> %s, features 0x%lx, rings %u/%u, "
	       "period %u ms\n", (unsigned long)drv.param.addr, drv.param.gsi, route,
	       (unsigned long)features, memstat_dev.cmd_size, memstat_dev.evt_size,
	       drv.period_ms);
}

void memstat_publish_now(const char *when)
{
	memstat_poll();
	if (!drv.active)
		return;
	publish();
	report_news();
	if (!drv.active)
		return;
	printk("memstat: stats published at %s: %u entries, update %lu (%lu TSC cycles each), "
	       "%lu interrupts, %lu commands (%lu refresh, %lu set-period, %lu ping, "
	       "%lu rejected)\n",
	       when, drv.nr_stats, (unsigned long)drv.updates,
	       (unsigned long)(drv.updates ? drv.publish_cycles / drv.updates : 0), drv.irqs,
	       drv.cmds_served,
	       drv.cmds_by_type[MEMSTAT_CMD_REFRESH_STATS],
	       drv.cmds_by_type[MEMSTAT_CMD_SET_PERIOD],
	       drv.cmds_by_type[MEMSTAT_CMD_PING], drv.cmds_rejected);
}
