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
