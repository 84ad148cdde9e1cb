/* SPDX-License-Identifier: MIT */
/*
 * The guest's KTAP selftest runner (guest/kernel/selftest.c), built for the
 * host with a printk that captures output: the exact KTAP text for passing,
 * failing and skipped cases, suite selection, unknown names, and hooks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/selftest.h"
#include "kernel/sprintf.h"

static char out[16384];
static size_t out_len;

/* The guest's printk, here appending to out[]. */
int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, args);
	va_end(args);
	if (n > 0)
		out_len += (size_t)n < sizeof(out) - out_len ? (size_t)n : sizeof(out) - out_len - 1;
	return n;
}

static int reset(void **state)
{
	(void)state;
	out[0] = '\0';
	out_len = 0;
	return 0;
}

static unsigned int inits, exits;

static void pass_case(struct selftest *t)
{
	EXPECT_EQ(t, 2 + 2, 4);
	EXPECT_TRUE(t, 1);
}

static void fail_case(struct selftest *t)
{
	EXPECT_EQ(t, 1, 2);
	EXPECT_TRUE(t, 0 > 1);
}

static void assert_stops_case(struct selftest *t)
{
	ASSERT_EQ(t, 3, 4);
	EXPECT_TRUE(t, 0); /* never reached */
}

static void skip_case(struct selftest *t)
{
	selftest_skip(t, "not on this machine");
}

static void count_init(struct selftest *t)
{
	(void)t;
	inits++;
}

static void count_exit(struct selftest *t)
{
	(void)t;
	exits++;
}

static const struct selftest_case alpha_cases[] = { SELFTEST_CASE(pass_case),
						    SELFTEST_CASE(skip_case) };
static const struct selftest_case beta_cases[] = { SELFTEST_CASE(pass_case),
						   SELFTEST_CASE(fail_case),
						   SELFTEST_CASE(assert_stops_case) };
static const struct selftest_suite alpha = { "alpha", alpha_cases, 2, count_init, count_exit };
static const struct selftest_suite beta = { "beta", beta_cases, 3, NULL, NULL };
static const struct selftest_suite *const suites[] = { &alpha, &beta };

static void test_all_passing_suite_text(void **state)
{
	struct selftest_totals t;

	(void)state;
	t = selftest_run_suites(suites, 2, "alpha");
	assert_string_equal(out, "TAP version 14\n"
				 "1..1\n"
				 "    # Subtest: alpha\n"
				 "    1..2\n"
				 "    ok 1 pass_case\n"
				 "    ok 2 skip_case # SKIP not on this machine\n"
				 "    # alpha: pass:1 fail:0 skip:1 total:2\n"
				 "ok 1 alpha\n"
				 "# Totals: pass:1 fail:0 skip:1 total:2\n");
	assert_int_equal(t.pass, 1);
	assert_int_equal(t.fail, 0);
	assert_int_equal(t.skip, 1);
}

static void test_failures_are_reported_with_place_and_values(void **state)
{
	struct selftest_totals t;

	(void)state;
	t = selftest_run_suites(suites, 2, "beta");
	assert_int_equal(t.pass, 1);
	assert_int_equal(t.fail, 2);
	assert_non_null(strstr(out, "    ok 1 pass_case\n"));
	assert_non_null(strstr(out, "    # fail_case: EXPECTATION FAILED at tests/unit/test_guest_selftest.c:"));
	assert_non_null(strstr(out, ": 1 == 2 (0x1 vs 0x2)\n"));
	assert_non_null(strstr(out, ": 0 > 1\n"));
	assert_non_null(strstr(out, "    not ok 2 fail_case\n"));
	assert_non_null(strstr(out, "    not ok 3 assert_stops_case\n"));
	assert_null(strstr(out, ": 0\n")); /* the check after the failed ASSERT never ran */
	assert_non_null(strstr(out, "    # beta: pass:1 fail:2 skip:0 total:3\n"));
	assert_non_null(strstr(out, "not ok 1 beta\n"));
	assert_non_null(strstr(out, "# Totals: pass:1 fail:2 skip:0 total:3\n"));
}

static void test_all_runs_every_suite_in_order(void **state)
{
	(void)state;
	selftest_run_suites(suites, 2, "all");
	char *a = strstr(out, "ok 1 alpha\n"), *b = strstr(out, "not ok 2 beta\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(out, "1..2\n"));
}

static void test_list_selects_named_suites(void **state)
{
	(void)state;
	selftest_run_suites(suites, 2, "beta,alpha");
	assert_non_null(strstr(out, "1..2\n"));
	selftest_run_suites(suites, 2, "alph");
	assert_non_null(strstr(out, "not ok 1 alph # no such suite\n"));
}

static void test_unknown_suite_is_a_failed_test(void **state)
{
	struct selftest_totals t;

	(void)state;
	t = selftest_run_suites(suites, 2, "alpha,nosuch");
	assert_int_equal(t.fail, 1);
	assert_non_null(strstr(out, "1..2\n"));
	assert_non_null(strstr(out, "not ok 1 nosuch # no such suite\n"));
	assert_non_null(strstr(out, "ok 2 alpha\n"));
}

static void test_hooks_run_around_every_case(void **state)
{
	(void)state;
	inits = exits = 0;
	selftest_run_suites(suites, 2, "alpha");
	assert_int_equal(inits, 2);
	assert_int_equal(exits, 2);
}

static void test_empty_list_runs_nothing(void **state)
{
	struct selftest_totals t;

	(void)state;
	t = selftest_run_suites(suites, 0, "all");
	assert_string_equal(out, "TAP version 14\n1..0\n# Totals: pass:0 fail:0 skip:0 total:0\n");
	assert_int_equal(t.pass + t.fail + t.skip, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_all_passing_suite_text, reset),
		cmocka_unit_test_setup(test_failures_are_reported_with_place_and_values, reset),
		cmocka_unit_test_setup(test_all_runs_every_suite_in_order, reset),
		cmocka_unit_test_setup(test_list_selects_named_suites, reset),
		cmocka_unit_test_setup(test_unknown_suite_is_a_failed_test, reset),
		cmocka_unit_test_setup(test_hooks_run_around_every_case, reset),
		cmocka_unit_test_setup(test_empty_list_runs_nothing, reset),
	};
	return cmocka_run_group_tests_name("guest_selftest", tests, NULL, NULL);
}
