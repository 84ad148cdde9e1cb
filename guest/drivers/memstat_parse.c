// SPDX-License-Identifier: MIT
/*
 * What the driver reads from outside, checked: memstat.device=SIZE@ADDR:GSI
 * (the VMM writes it, but a user can too), the region against the E820 map,
 * the memstat.hostile= kind, and each command the host posts. No global
 * state, so the host unit test links it as is.
 */
#include "abi/memstat_dev.h"
#include "drivers/memstat.h"
#include "kernel/errno.h"
#include "kernel/kstrtox.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"

/* Physical addresses end below 2^52 on x86-64 (the architectural MAXPHYADDR limit). */
#define MEMSTAT_PHYS_LIMIT (1ull << 52)
#define MEMSTAT_PARAM_MAX 64 /* longer than any valid SIZE@ADDR:GSI */

/* The first @c in @s, or NULL (lib/string.c has no strchr). */
static const char *find_char(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return s;
	return NULL;
}

/* Copy [@s, @e) into @buf (room for @len) as a string; false if it does not fit. */
static bool copy_part(char *buf, size_t len, const char *s, const char *e)
{
	if ((size_t)(e - s) >= len)
		return false;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return true;
}

int memstat_parse_device(const char *val, struct memstat_param *p, char *why, size_t why_len)
{
	char size_s[MEMSTAT_PARAM_MAX], addr_s[MEMSTAT_PARAM_MAX];
	const char *at, *colon;
	u64 size, addr, gsi;

	if (!val || !*val) {
		snprintf(why, why_len, "empty value (expected SIZE@ADDR:GSI)");
		return -EINVAL;
	}
	if (strlen(val) >= MEMSTAT_PARAM_MAX) {
		snprintf(why, why_len,
			 "value of %zu characters is too long (expected SIZE@ADDR:GSI)",
			 strlen(val));
		return -EINVAL;
	}
	at = find_char(val, '@');
	colon = at ? find_char(at, ':') : NULL;
	if (!at || !colon) {
		snprintf(why, why_len, "\"%s\" is not SIZE@ADDR:GSI", val);
		return -EINVAL;
	}
	copy_part(size_s, sizeof(size_s), val, at);
	copy_part(addr_s, sizeof(addr_s), at + 1, colon);
	if (kstrtosize(size_s, &size)) {
		snprintf(why, why_len, "size \"%s\" is not a size", size_s);
		return -EINVAL;
	}
	if (kstrtou64(addr_s, 0, &addr)) {
		snprintf(why, why_len, "address \"%s\" is not a number", addr_s);
		return -EINVAL;
	}
	if (kstrtou64(colon + 1, 0, &gsi)) {
		snprintf(why, why_len, "GSI \"%s\" is not a number", colon + 1);
		return -EINVAL;
	}
	if (size < MEMSTAT_REGION_SIZE) {
		snprintf(why, why_len, "size 0x%llx is below the device's 0x%x bytes",
			 (unsigned long long)size, MEMSTAT_REGION_SIZE);
		return -EINVAL;
	}
	if (size % MEMSTAT_PAGE_SIZE) {
		snprintf(why, why_len, "size 0x%llx is not a whole number of pages",
			 (unsigned long long)size);
		return -EINVAL;
	}
	if (addr % MEMSTAT_PAGE_SIZE) {
		snprintf(why, why_len, "address 0x%llx is not page aligned",
			 (unsigned long long)addr);
		return -EINVAL;
	}
	if (addr >= MEMSTAT_PHYS_LIMIT || size > MEMSTAT_PHYS_LIMIT - addr) {
		snprintf(why, why_len, "region 0x%llx+0x%llx ends beyond 2^52",
			 (unsigned long long)addr, (unsigned long long)size);
		return -EINVAL;
	}
	if (gsi > MEMSTAT_GSI_MAX) {
		snprintf(why, why_len, "GSI %llu is above %u", (unsigned long long)gsi,
			 MEMSTAT_GSI_MAX);
		return -EINVAL;
	}
	p->size = size;
	p->addr = addr;
	p->gsi = (u32)gsi;
	return 0;
}

/*
 * Walk the (sanitized, sorted, non-overlapping) table over [addr, end):
 * every byte must lie in an E820_TYPE_RESERVED entry.
 */
const char *memstat_check_e820(const struct e820_table *table, u64 addr, u64 size, char *buf,
			       size_t len)
{
	u64 end = addr + size, covered = addr;

	for (u32 i = 0; i < table->nr_entries && i < E820_TABLE_MAX; i++) {
		const struct e820_entry *e = &table->entries[i];
		u64 e_end = e->addr + e->size;

		if (e_end <= addr || e->addr >= end)
			continue;
		if (e->type != E820_TYPE_RESERVED) {
			snprintf(buf, len,
				 "region [mem 0x%016llx-0x%016llx] overlaps E820 type %u at "
				 "[mem 0x%016llx-0x%016llx] (it must be reserved, not usable RAM)",
				 (unsigned long long)addr, (unsigned long long)(end - 1), e->type,
				 (unsigned long long)e->addr, (unsigned long long)(e_end - 1));
			return buf;
		}
		if (e->addr > covered)
			break; /* a gap before this entry */
		if (e_end > covered)
			covered = e_end;
	}
	if (covered < end) {
		snprintf(buf, len,
			 "region [mem 0x%016llx-0x%016llx] is not reserved in E820 from 0x%llx",
			 (unsigned long long)addr, (unsigned long long)(end - 1),
			 (unsigned long long)covered);
		return buf;
	}
	return NULL;
}

const char *const memstat_hostile_names[MEMSTAT_HOSTILE_NR] = {
	[MEMSTAT_HOSTILE_NONE] = NULL,
	[MEMSTAT_HOSTILE_ABI_OLD] = "abi-old",
	[MEMSTAT_HOSTILE_ABI_NEW] = "abi-new",
	[MEMSTAT_HOSTILE_ABI_CHANGE] = "abi-change",
	[MEMSTAT_HOSTILE_FEATURES_UNKNOWN] = "features-unknown",
	[MEMSTAT_HOSTILE_FEATURES_PERIODIC_ONLY] = "features-periodic-only",
	[MEMSTAT_HOSTILE_FEATURES_CHANGE] = "features-change",
	[MEMSTAT_HOSTILE_STATUS_SKIP] = "status-skip",
	[MEMSTAT_HOSTILE_STATUS_BACK] = "status-back",
	[MEMSTAT_HOSTILE_STATUS_BITS] = "status-bits",
	[MEMSTAT_HOSTILE_STATUS_FAILED] = "status-failed",
	[MEMSTAT_HOSTILE_EVT_PROD_JUMP] = "evt-prod-jump",
	[MEMSTAT_HOSTILE_EVT_PROD_BACK] = "evt-prod-back",
	[MEMSTAT_HOSTILE_CMD_CONS_AHEAD] = "cmd-cons-ahead",
	[MEMSTAT_HOSTILE_CMD_CONS_BACK] = "cmd-cons-back",
	[MEMSTAT_HOSTILE_EVT_BAD_TYPE] = "evt-bad-type",
	[MEMSTAT_HOSTILE_EVT_BAD_FLAGS] = "evt-bad-flags",
	[MEMSTAT_HOSTILE_EVT_BAD_ACK_ID] = "evt-bad-ack-id",
	[MEMSTAT_HOSTILE_EVT_ID_ON_EVENT] = "evt-id-on-event",
	[MEMSTAT_HOSTILE_EVT_BAD_ORDER] = "evt-bad-order",
	[MEMSTAT_HOSTILE_STATS_NR_HUGE] = "stats-nr-huge",
	[MEMSTAT_HOSTILE_STATS_BAD_TAG] = "stats-bad-tag",
	[MEMSTAT_HOSTILE_STATS_DUP_TAG] = "stats-dup-tag",
	[MEMSTAT_HOSTILE_STATS_SEQ_ODD] = "stats-seq-stuck-odd",
	[MEMSTAT_HOSTILE_DOORBELL_UNKNOWN] = "doorbell-unknown",
	[MEMSTAT_HOSTILE_DOORBELL_SIZE] = "doorbell-size",
	[MEMSTAT_HOSTILE_DOORBELL_EARLY] = "doorbell-early",
	[MEMSTAT_HOSTILE_DOORBELL_NO_FEATURE] = "doorbell-no-feature",
};

enum memstat_hostile memstat_hostile_lookup(const char *name)
{
	for (unsigned int k = MEMSTAT_HOSTILE_NONE + 1; k < MEMSTAT_HOSTILE_NR; k++)
		if (memstat_hostile_names[k] && !strcmp(memstat_hostile_names[k], name))
			return (enum memstat_hostile)k;
	return MEMSTAT_HOSTILE_NONE;
}

int memstat_check_command(const struct memstat_msg *m, u64 features)
{
	if (m->flags)
		return -EINVAL;
	switch (m->type) {
	case MEMSTAT_CMD_REFRESH_STATS:
		if (m->arg[0] || m->arg[1] || m->arg[2] || !(features & MEMSTAT_F_STATS))
			return -EINVAL;
		return 0;
	case MEMSTAT_CMD_SET_PERIOD:
		if (m->arg[0] > MEMSTAT_PERIOD_MAX_MS || m->arg[1] || m->arg[2] ||
		    !(features & MEMSTAT_F_PERIODIC))
			return -EINVAL;
		return 0;
	case MEMSTAT_CMD_PING:
		return m->arg[1] || m->arg[2] ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}
