/* SPDX-License-Identifier: MIT */
/*
 * Guest workloads for the host-side monitors (guest/kernel/workload.c,
 * docs/monitoring.md):
 *
 *   touch=N@ADDR   write one byte to each of N fresh 4 KiB pages of the
 *                  usable E820 RAM range that contains ADDR
 *
 * N is a page count, or bytes when it has a K/M/G/T suffix (256M = 65536
 * pages; it must then be a whole number of pages). The pages are reserved
 * from memblock before anything else can allocate them, taken top-down from
 * the range (2 MiB aligned when N allows), never given to the buddy
 * allocator and never touched by anything else; so the host sees exactly N
 * first touches inside [start, start + N * 4 KiB). The guest prints one line:
 *   workload: touched N pages [mem 0x...-0x...] in C TSC cycles (T us)
 */
#ifndef KERNEL_WORKLOAD_H
#define KERNEL_WORKLOAD_H

/* Read touch= (with the other parameters, before unknown ones are reported). */
void workload_parse_cmdline(void);

/* Reserve the pages from memblock: right after memblock is seeded from E820. */
void workload_reserve(void);

/* Map the pages if they are outside the direct map, touch them, print the line. */
void workload_run(void);

#endif /* KERNEL_WORKLOAD_H */
