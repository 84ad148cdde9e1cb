/* SPDX-License-Identifier: MIT */
/*
 * --monitor LIST and --monitor-interval MS: kept apart from monitor.c so
 * that parsing can be tested (and used) without threads or KVM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"

/* A monitor name longer than this is not one (and is clipped in messages). */
#define MONITOR_NAME_MAX 32

static const char *const monitor_names[MONITOR_NR] = {
	[MONITOR_KVM_STATS] = "kvm-stats",
	[MONITOR_UFFD] = "uffd",
	[MONITOR_DIRTY] = "dirty",
	[MONITOR_MMIO] = "mmio",
};

#define MONITOR_VALID "kvm-stats, uffd, dirty, mmio or all"

/* The user-visible name of a monitor. */
const char *monitors_name(enum monitor_kind kind)
{
	return (unsigned)kind < MONITOR_NR ? monitor_names[kind] : "?";
}

/* The bit for the item [s, s + len), 0 if no monitor has that name. */
static unsigned item_mask(const char *s, size_t len)
{
	if (len == 3 && !strncmp(s, "all", 3))
		return MONITOR_ALL;
	for (unsigned k = 0; k < MONITOR_NR; k++)
		if (strlen(monitor_names[k]) == len && !strncmp(s, monitor_names[k], len))
			return MONITOR_BIT(k);
	return 0;
}

/* --monitor LIST into a mask of MONITOR_BIT()s. */
int monitors_parse(const char *list, unsigned *mask, struct vmm_err *err)
{
	unsigned m = 0;
	const char *p = list;

	if (!list || !*list)
		return err_set(err, "empty --monitor list: expected %s", MONITOR_VALID);
	for (;;) {
		size_t len = strcspn(p, ",");
		unsigned bit = item_mask(p, len);

		if (!len)
			return err_set(err, "empty item in --monitor '%s': expected %s", list,
				       MONITOR_VALID);
		if (!bit)
			return err_set(err, "unknown monitor '%.*s' in --monitor '%s': expected %s",
				       (int)(len > MONITOR_NAME_MAX ? MONITOR_NAME_MAX : len), p,
				       list, MONITOR_VALID);
		if (m & bit)
			return err_set(err, "monitor '%.*s' given twice in --monitor '%s'",
				       (int)len, p, list);
		m |= bit;
		if (!p[len])
			break;
		p += len + 1;
	}
	*mask = m;
	return 0;
}

/* @arg as a plain decimal number in [@min, @max]: digits only (strtoull takes signs, spaces). */
static bool parse_decimal(const char *arg, unsigned long long min, unsigned long long max,
			  unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!arg || *arg < '0' || *arg > '9')
		return false;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* --monitor-interval MS: plain decimal milliseconds in range. */
int monitors_parse_interval(const char *arg, uint64_t *ms, struct vmm_err *err)
{
	unsigned long long v;

	if (parse_decimal(arg, MONITOR_INTERVAL_MIN_MS, MONITOR_INTERVAL_MAX_MS, &v)) {
		*ms = v;
		return 0;
	}
	return err_set(err, "invalid interval '%s' for --monitor-interval (milliseconds, %u to %u)",
		       arg ? arg : "", MONITOR_INTERVAL_MIN_MS, MONITOR_INTERVAL_MAX_MS);
}

/* --monitor-uffd-window PAGES: a power of two in range. */
int monitors_parse_window(const char *arg, unsigned *pages, struct vmm_err *err)
{
	unsigned long long v;

	if (parse_decimal(arg, 1, MONITOR_UFFD_WINDOW_MAX, &v) && !(v & (v - 1))) {
		*pages = (unsigned)v;
		return 0;
	}
	return err_set(err, "invalid window '%s' for --monitor-uffd-window (pages: a power of two, "
		       "1 to %u)", arg ? arg : "", MONITOR_UFFD_WINDOW_MAX);
}
