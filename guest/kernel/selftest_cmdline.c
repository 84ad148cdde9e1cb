// SPDX-License-Identifier: MIT
/*
 * selftest=: run the registered suites (the "selftests" section the linker
 * script collects) that the command line names.
 */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"

extern const struct selftest_suite *const __start_selftests[];
extern const struct selftest_suite *const __stop_selftests[];

static const char *selftest_filter;

void selftest_parse_cmdline(void)
{
	selftest_filter = cmdline_get("selftest");
}

bool selftest_run_cmdline(void)
{
	const char *filter = selftest_filter;
	struct selftest_totals totals;

	if (!filter)
		return true;
	if (!*filter) {
		printk("selftest=: empty value (want \"all\" or suite names)\n");
		return false;
	}
	totals = selftest_run_suites(__start_selftests,
				     (size_t)(__stop_selftests - __start_selftests), filter);
	return totals.fail == 0;
}
