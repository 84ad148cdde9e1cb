// SPDX-License-Identifier: MIT
/*
 * memstat.hostile=KIND: the guest breaks the device protocol once, on
 * purpose, so that a test can watch the VMM's reaction (the device must go
 * FAILED with a one-line reason, the VMM must keep running). Each kind
 * breaks one rule of shared/memstat_dev.h, one field at a time; the list
 * and what each does is in docs/guest-interrupts.md. The guest then prints
 * whether the device says FAILED and boots on (exit 0 either way: the test
 * judges the VMM, not the guest).
 *
 * Not among the kinds: a sequence counter that moves during the host's
 * copy. The VMM copies the statistics during the doorbell's port exit,
 * while the only vCPU is stopped, so no guest can make it move then.
 */
#include "abi/memstat_dev.h"
#include "asm/io.h"
#include "drivers/memstat.h"
#include "kernel/compiler.h"
#include "kernel/printk.h"
#include "memstat_internal.h"

#define BAD_EVENT_TYPE 0x99
#define BAD_DOORBELL 0x99
#define BAD_TAG 0x0ff0 /* between virtio's tags and the meminfo tags: defined by nothing */
#define BAD_ORDER 99
#define BAD_ACK_ID 0xdead0001u
#define EVENT_ID 7
#define ALL_STATUS \
	(MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER | MEMSTAT_S_FEATURES_OK | MEMSTAT_S_DRIVER_OK)

/* Put one event, as given, in the next slot of the event ring and publish it. */
static void put_event(u16 type, u16 flags, u32 id, u64 arg0)
{
	volatile struct memstat_ring *r = memstat_dev.evt;
	u16 prod = READ_ONCE(r->prod_idx);
	volatile struct memstat_msg *m = &r->slots[prod & (memstat_dev.evt_size - 1)];

	m->type = type;
	m->flags = flags;
	m->id = id;
	m->arg[0] = arg0;
	m->arg[1] = 0;
	m->arg[2] = 0;
	barrier();
	WRITE_ONCE(r->prod_idx, (u16)(prod + 1));
	memstat_doorbell(MEMSTAT_DB_EVT);
}

/* Publish @nr entries of (@tag, i) under a proper counter, with nr_stats = @nr_claimed. */
static void put_stats(unsigned int nr, const u16 *tags, u32 nr_claimed, bool leave_odd)
{
	volatile struct memstat_stats *s = memstat_dev.stats;
	u32 seq = READ_ONCE(s->seq);

	WRITE_ONCE(s->seq, seq | 1);
	barrier();
	for (unsigned int i = 0; i < nr; i++) {
		s->stats[i].tag = tags[i];
		s->stats[i].val = i;
	}
	s->nr_stats = nr_claimed;
	barrier();
	if (!leave_odd)
		WRITE_ONCE(s->seq, (seq | 1) + 1);
	memstat_doorbell(MEMSTAT_DB_STATS);
}

/* The kinds that need DRIVER_OK first: handshake properly, then break one rule. */
static void after_driver_ok(enum memstat_hostile kind, u64 all)
{
	static const u16 bad_tag[] = { MEMSTAT_TAG_MEMFREE, BAD_TAG };
	static const u16 dup_tag[] = { MEMSTAT_TAG_MEMFREE, MEMSTAT_TAG_MEMFREE };
	volatile struct memstat_hdr *h = memstat_dev.hdr;
	u64 features = all;

	if (kind == MEMSTAT_HOSTILE_DOORBELL_NO_FEATURE)
		features &= ~MEMSTAT_F_EVT_RING;

	if (!memstat_negotiate(features, MEMSTAT_ABI_VERSION) ||
	    !memstat_set_status(ALL_STATUS))
		return;
	switch (kind) {
	case MEMSTAT_HOSTILE_ABI_CHANGE:
		WRITE_ONCE(h->driver_abi_version, MEMSTAT_ABI_VERSION + 1);
		memstat_doorbell(MEMSTAT_DB_STATUS);
		break;
	case MEMSTAT_HOSTILE_FEATURES_CHANGE:
		WRITE_ONCE(h->driver_features, features ^ MEMSTAT_F_EVT_RING);
		memstat_doorbell(MEMSTAT_DB_STATUS);
		break;
	case MEMSTAT_HOSTILE_STATUS_BACK:
		memstat_set_status(MEMSTAT_S_ACKNOWLEDGE);
		break;
	case MEMSTAT_HOSTILE_STATUS_BITS:
		memstat_set_status(ALL_STATUS | MEMSTAT_S_NEEDS_RESET);
		break;
	case MEMSTAT_HOSTILE_STATUS_FAILED:
		memstat_set_status(ALL_STATUS | MEMSTAT_S_FAILED);
		break;
	case MEMSTAT_HOSTILE_EVT_PROD_JUMP:
		WRITE_ONCE(memstat_dev.evt->prod_idx, (u16)(memstat_dev.evt_size + 1));
		memstat_doorbell(MEMSTAT_DB_EVT);
		break;
	case MEMSTAT_HOSTILE_EVT_PROD_BACK:
		WRITE_ONCE(memstat_dev.evt->prod_idx, (u16)0xffff);
		memstat_doorbell(MEMSTAT_DB_EVT);
		break;
	case MEMSTAT_HOSTILE_CMD_CONS_AHEAD:
		WRITE_ONCE(memstat_dev.cmd->cons_idx,
			   (u16)(READ_ONCE(memstat_dev.cmd->prod_idx) + 1));
		memstat_doorbell(MEMSTAT_DB_CMD);
		break;
	case MEMSTAT_HOSTILE_CMD_CONS_BACK:
		WRITE_ONCE(memstat_dev.cmd->cons_idx, (u16)0xffff);
		memstat_doorbell(MEMSTAT_DB_CMD);
		break;
	case MEMSTAT_HOSTILE_EVT_BAD_TYPE:
		put_event(BAD_EVENT_TYPE, 0, 0, 0);
		break;
	case MEMSTAT_HOSTILE_EVT_BAD_FLAGS:
		put_event(MEMSTAT_EVT_ALLOC_FAIL, 1, 0, 0);
		break;
	case MEMSTAT_HOSTILE_EVT_BAD_ACK_ID:
		put_event(MEMSTAT_EVT_ACK, 0, BAD_ACK_ID, 0);
		break;
	case MEMSTAT_HOSTILE_EVT_ID_ON_EVENT:
		put_event(MEMSTAT_EVT_ALLOC_FAIL, 0, EVENT_ID, 0);
		break;
	case MEMSTAT_HOSTILE_EVT_BAD_ORDER:
		put_event(MEMSTAT_EVT_ALLOC_FAIL, 0, 0, BAD_ORDER);
		break;
	case MEMSTAT_HOSTILE_STATS_NR_HUGE:
		put_stats(0, NULL, MEMSTAT_MAX_STATS + 1, false);
		break;
	case MEMSTAT_HOSTILE_STATS_BAD_TAG:
		put_stats(ARRAY_SIZE(bad_tag), bad_tag, ARRAY_SIZE(bad_tag), false);
		break;
	case MEMSTAT_HOSTILE_STATS_DUP_TAG:
		put_stats(ARRAY_SIZE(dup_tag), dup_tag, ARRAY_SIZE(dup_tag), false);
		break;
	case MEMSTAT_HOSTILE_STATS_SEQ_ODD:
		put_stats(0, NULL, 0, true);
		break;
	case MEMSTAT_HOSTILE_DOORBELL_UNKNOWN:
		memstat_doorbell(BAD_DOORBELL);
		break;
	case MEMSTAT_HOSTILE_DOORBELL_SIZE:
		outb(MEMSTAT_DB_STATUS, MEMSTAT_DOORBELL_PORT);
		break;
	case MEMSTAT_HOSTILE_DOORBELL_NO_FEATURE:
		memstat_doorbell(MEMSTAT_DB_EVT);
		break;
	default:
		break;
	}
}

/* Break the rule @kind names, then say what the device made of it. */
void memstat_hostile_run(enum memstat_hostile kind)
{
	volatile struct memstat_hdr *h = memstat_dev.hdr;
	const char *name = memstat_hostile_names[kind];
	u64 all;
	u32 status, reason;

	if (READ_ONCE(h->magic) != MEMSTAT_MAGIC ||
	    READ_ONCE(h->doorbell_port) != MEMSTAT_DOORBELL_PORT) {
		printk("memstat: hostile %s: no memstat device at the address (magic 0x%x)\n", name,
		       READ_ONCE(h->magic));
		return;
	}
	memstat_dev.cmd_size = READ_ONCE(h->cmd_ring_size);
	memstat_dev.evt_size = READ_ONCE(h->evt_ring_size);
	if (!memstat_dev.cmd_size || memstat_dev.cmd_size > MEMSTAT_RING_MAX_SIZE ||
	    (memstat_dev.cmd_size & (memstat_dev.cmd_size - 1)) || !memstat_dev.evt_size ||
	    memstat_dev.evt_size > MEMSTAT_RING_MAX_SIZE ||
	    (memstat_dev.evt_size & (memstat_dev.evt_size - 1))) {
		printk("memstat: hostile %s: device ring sizes %u/%u unusable\n", name,
		       memstat_dev.cmd_size, memstat_dev.evt_size);
		return;
	}
	all = READ_ONCE(h->device_features) & MEMSTAT_F_ALL_V1;
	printk("memstat: hostile %s: breaking the device protocol on purpose\n", name);
	switch (kind) {
	case MEMSTAT_HOSTILE_DOORBELL_EARLY:
		memstat_doorbell(MEMSTAT_DB_STATS);
		break;
	case MEMSTAT_HOSTILE_ABI_OLD:
		memstat_negotiate(all, MEMSTAT_ABI_VERSION - 1);
		break;
	case MEMSTAT_HOSTILE_ABI_NEW:
		memstat_negotiate(all, MEMSTAT_ABI_VERSION + 1);
		break;
	case MEMSTAT_HOSTILE_FEATURES_UNKNOWN:
		memstat_negotiate(all | 1ull << 63, MEMSTAT_ABI_VERSION);
		break;
	case MEMSTAT_HOSTILE_FEATURES_PERIODIC_ONLY:
		memstat_negotiate(MEMSTAT_F_PERIODIC, MEMSTAT_ABI_VERSION);
		break;
	case MEMSTAT_HOSTILE_STATUS_SKIP:
		if (memstat_set_status(MEMSTAT_S_ACKNOWLEDGE) &&
		    memstat_set_status(MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER)) {
			WRITE_ONCE(h->driver_abi_version, MEMSTAT_ABI_VERSION);
			WRITE_ONCE(h->driver_features, all);
			memstat_set_status(MEMSTAT_S_ACKNOWLEDGE | MEMSTAT_S_DRIVER |
					   MEMSTAT_S_DRIVER_OK);
		}
		break;
	default:
		after_driver_ok(kind, all);
		break;
	}
	status = READ_ONCE(h->device_status);
	reason = READ_ONCE(h->fail_reason);
	if (status & MEMSTAT_S_FAILED)
		printk("memstat: hostile %s: device FAILED (device status 0x%x, reason %u: %s)\n",
		       name, status, reason, memstat_fail_reason_name(reason));
	else
		printk("memstat: hostile %s: device did NOT fail (device status 0x%x)\n", name,
		       status);
}
