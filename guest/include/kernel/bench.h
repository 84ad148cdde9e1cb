/* SPDX-License-Identifier: MIT */
/*
 * In-guest micro-benchmarks of the memory manager (guest/kernel/bench.c,
 * docs/physical-memory.md "Benchmarks"), chosen on the command line:
 *   bench=all | bench=NAME[,NAME...]   which ones to run, after the selftests
 *   bench_iters=N                      operations per timed loop (default per bench)
 * Each prints one JSON line on the console, timed with the TSC; its rate
 * comes from the hypervisor's CPUID leaf 0x40000010 when there is one,
 * otherwise only cycles are printed (ns_per_op is null).
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include "kernel/compiler.h"
#include "kernel/types.h"

/* bench_iters= is refused above this (10 M: hours under KVM here). */
#define BENCH_ITERS_MAX 10000000ul

/* The time stamp counter, after every earlier instruction has completed. */
static inline u64 bench_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

struct bench_def {
	const char *name;
	/* Run @iters timed operations; print the line. False if it could not run. */
	bool (*run)(const struct bench_def *b, unsigned long iters);
	unsigned long default_iters; /* about 0.1-0.3 s under KVM here */
};

/*
 * Register a benchmark from any file: BENCH_REGISTER(kmap_pair, fn, 400)
 * makes bench=kmap_pair run fn(b, iters). bench=all runs every registered one.
 */
#define BENCH_REGISTER(ident, fn, iters)                                                   \
	static const struct bench_def bench_def_##ident = { #ident, fn, iters };           \
	static const struct bench_def *const bench_ptr_##ident __used __section("benches") \
		__aligned(8) = &bench_def_##ident

/*
 * Print a timed loop's JSON line: @cycles over @iters operations, in cycles
 * and, when the TSC rate is known, in nanoseconds; @extra (NULL or text
 * starting with ',') is appended inside the object.
 */
void bench_print(const char *name, unsigned long iters, u64 cycles, const char *extra);

/* Read bench= and bench_iters= (with the other parameters); a bad value stops the boot. */
void bench_parse_cmdline(void);

/*
 * Record the TSC cycles sparse_init() (@sparse: the memmap) and
 * mm_core_init() (@core: zones, buddy, watermarks) took, for the
 * memmap_init benchmark line (start_kernel() measures them).
 */
void bench_note_memmap_init(u64 sparse, u64 core);

/* Run the benchmarks bench= asked for. Returns false if one could not run. */
bool bench_run_cmdline(void);

#endif /* KERNEL_BENCH_H */
