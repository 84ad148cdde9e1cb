// SPDX-License-Identifier: MIT
/*
 * The selftest runner: KTAP output in the layout Linux's KUnit prints (a
 * top-level plan of suites, each suite a nested, indented subtest with its
 * own plan and result lines), so kernel engineers' KTAP tools read it.
 */
#include <stdarg.h>

#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"

#define SELFTEST_MSG_MAX 256

bool selftest_check(struct selftest *t, bool ok, const char *file, int line, const char *fmt, ...)
{
	char msg[SELFTEST_MSG_MAX];
	va_list args;

	t->nr_checks++;
	if (ok)
		return true;
	t->nr_failed++;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	printk("    # %s: EXPECTATION FAILED at %s:%d: %s\n", t->name, file, line, msg);
	return false;
}

void selftest_skip(struct selftest *t, const char *reason)
{
	t->skip_reason = reason;
}

/* Is @name one of the comma-separated words of @filter (or is it "all")? */
static bool filter_selects(const char *filter, const char *name)
{
	size_t len = strlen(name);
	const char *p = filter;

	if (!strcmp(filter, "all"))
		return true;
	while (*p) {
		const char *end = p;

		while (*end && *end != ',')
			end++;
		if ((size_t)(end - p) == len && !memcmp(p, name, len))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/*
 * Words of @filter that name no suite: counted when @number is NULL, else
 * each reported as a failed top-level test numbered from *@number.
 */
static unsigned int unknown_names(const struct selftest_suite *const *suites, size_t nr,
				  const char *filter, unsigned int *number)
{
	const char *p = filter;
	unsigned int unknown = 0;

	if (!strcmp(filter, "all"))
		return 0;
	while (*p) {
		const char *end = p;
		bool found = false;

		while (*end && *end != ',')
			end++;
		for (size_t i = 0; i < nr && !found; i++)
			found = strlen(suites[i]->name) == (size_t)(end - p) &&
				!memcmp(p, suites[i]->name, (size_t)(end - p));
		if (!found) {
			unknown++;
			if (number)
				printk("not ok %u %.*s # no such suite\n", ++*number, (int)(end - p), p);
		}
		p = *end ? end + 1 : end;
	}
	return unknown;
}

/* Run one suite as a nested KTAP subtest; adds to @totals, returns its verdict. */
static bool run_suite(const struct selftest_suite *s, unsigned int number,
		      struct selftest_totals *totals)
{
	struct selftest_totals mine = { 0, 0, 0 };

	printk("    # Subtest: %s\n", s->name);
	printk("    1..%zu\n", s->nr_cases);
	for (size_t i = 0; i < s->nr_cases; i++) {
		struct selftest t = { .name = s->cases[i].name };

		if (s->case_init)
			s->case_init(&t);
		s->cases[i].run(&t);
		if (s->case_exit)
			s->case_exit(&t);
		if (t.nr_failed) {
			mine.fail++;
			printk("    not ok %zu %s\n", i + 1, t.name);
		} else if (t.skip_reason) {
			mine.skip++;
			printk("    ok %zu %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
		} else {
			mine.pass++;
			printk("    ok %zu %s\n", i + 1, t.name);
		}
	}
	printk("    # %s: pass:%u fail:%u skip:%u total:%zu\n", s->name, mine.pass, mine.fail,
	       mine.skip, s->nr_cases);
	printk("%s %u %s\n", mine.fail ? "not ok" : "ok", number, s->name);
	totals->pass += mine.pass;
	totals->fail += mine.fail;
	totals->skip += mine.skip;
	return !mine.fail;
}

struct selftest_totals selftest_run_suites(const struct selftest_suite *const *suites, size_t nr,
					   const char *filter)
{
	struct selftest_totals totals = { 0, 0, 0 };
	unsigned int planned = 0, number = 0;

	for (size_t i = 0; i < nr; i++)
		planned += filter_selects(filter, suites[i]->name);
	planned += unknown_names(suites, nr, filter, NULL);
	printk("TAP version 14\n");
	printk("1..%u\n", planned);
	totals.fail += unknown_names(suites, nr, filter, &number);
	for (size_t i = 0; i < nr; i++)
		if (filter_selects(filter, suites[i]->name))
			run_suite(suites[i], ++number, &totals);
	printk("# Totals: pass:%u fail:%u skip:%u total:%u\n", totals.pass, totals.fail,
	       totals.skip, totals.pass + totals.fail + totals.skip);
	return totals;
}
