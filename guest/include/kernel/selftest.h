/* SPDX-License-Identifier: MIT */
/*
 * In-kernel selftests reported in KTAP, after Linux's KUnit: suites of
 * cases, each case a function that checks expectations. Chosen on the
 * command line with `selftest=all` or `selftest=SUITE[,SUITE...]`; any
 * failure makes the kernel exit with GUEST_EXIT_FAILURE.
 *
 *	static void add_simple(struct selftest *t)
 *	{
 *		EXPECT_EQ(t, memblock.memory.cnt, 1);
 *	}
 *	static const struct selftest_case memblock_cases[] = { SELFTEST_CASE(add_simple) };
 *	SELFTEST_SUITE(memblock, memblock_cases);
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "kernel/compiler.h"
#include "kernel/types.h"

/* The case being run: what the checks record into. */
struct selftest {
	const char *name;
	unsigned int nr_checks;
	unsigned int nr_failed; /* failed expectations */
	const char *skip_reason; /* set by selftest_skip() */
};

struct selftest_case {
	const char *name;
	void (*run)(struct selftest *t);
};

struct selftest_suite {
	const char *name;
	const struct selftest_case *cases;
	size_t nr_cases;
	/* Optional: run before and after every case (e.g. a consistency check). */
	void (*case_init)(struct selftest *t);
	void (*case_exit)(struct selftest *t);
};

/*
 * Suites register themselves in the "selftests" section (a pointer each,
 * so the section is a plain array whatever the compiler pads structs with).
 */
#define SELFTEST_CASE(fn) { #fn, fn }
#define SELFTEST_SUITE_HOOKS(ident, case_array, init, exit)                                  \
	static const struct selftest_suite selftest_suite_##ident = {                         \
		#ident, case_array, ARRAY_SIZE(case_array), init, exit,                        \
	};                                                                                     \
	static const struct selftest_suite *const selftest_ptr_##ident __used                  \
		__section("selftests") __aligned(8) = &selftest_suite_##ident
#define SELFTEST_SUITE(ident, case_array) SELFTEST_SUITE_HOOKS(ident, case_array, NULL, NULL)

/*
 * Record one expectation; on failure print a KTAP diagnostic naming the
 * place and the values. Returns @ok so callers can stop a case early.
 */
bool selftest_check(struct selftest *t, bool ok, const char *file, int line, const char *fmt,
		    ...) __printf(5, 6);

/* Mark the running case skipped (reported "# SKIP reason"). */
void selftest_skip(struct selftest *t, const char *reason);

#define EXPECT_TRUE(t, cond) selftest_check(t, !!(cond), __FILE__, __LINE__, "%s", #cond)
#define EXPECT_FALSE(t, cond) selftest_check(t, !(cond), __FILE__, __LINE__, "!(%s)", #cond)
#define EXPECT_EQ(t, a, b)                                                                 \
	({                                                                                 \
		u64 a__ = (u64)(a), b__ = (u64)(b);                                        \
		selftest_check(t, a__ == b__, __FILE__, __LINE__, "%s == %s (0x%llx vs 0x%llx)", \
			       #a, #b, (unsigned long long)a__, (unsigned long long)b__);  \
	})
#define EXPECT_NE(t, a, b)                                                                 \
	({                                                                                 \
		u64 a__ = (u64)(a), b__ = (u64)(b);                                        \
		selftest_check(t, a__ != b__, __FILE__, __LINE__, "%s != %s (both 0x%llx)", #a, \
			       #b, (unsigned long long)a__);                               \
	})
/* Stop the case (return from it) when the expectation fails. */
#define ASSERT_TRUE(t, cond)                                                               \
	do {                                                                               \
		if (!EXPECT_TRUE(t, cond))                                                 \
			return;                                                            \
	} while (0)
#define ASSERT_EQ(t, a, b)                                                                 \
	do {                                                                               \
		if (!EXPECT_EQ(t, a, b))                                                   \
			return;                                                            \
	} while (0)

struct selftest_totals {
	unsigned int pass, fail, skip;
};

/*
 * Run the suites of @suites whose names @filter selects ("all", or a
 * comma-separated list of suite names) and print KTAP. Names in @filter
 * that match no suite are reported and counted as failures.
 */
struct selftest_totals selftest_run_suites(const struct selftest_suite *const *suites, size_t nr,
					   const char *filter);

/* Read `selftest=` with the other parameters (so it is not "unknown"). */
void selftest_parse_cmdline(void);

/*
 * Run what `selftest=` asked for among the registered suites. Returns true
 * if nothing was asked or everything passed.
 */
bool selftest_run_cmdline(void);

#endif /* KERNEL_SELFTEST_H */
