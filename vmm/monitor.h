/* SPDX-License-Identifier: MIT */
/*
 * Host-side monitoring of a running guest (--monitor=LIST, docs/monitoring.md):
 *
 *   kvm-stats  KVM's binary statistics of the VM and the vCPU (KVM_GET_STATS_FD)
 *   uffd       userfaultfd on every DIMM: each first touch of a guest page
 *   dirty      KVM dirty logging sampled per interval: the written working set
 *   mmio       every guest access to a hole or unbacked GPA, with RIP and count
 *
 * One sampler thread (every --monitor-interval MS) serves kvm-stats and
 * dirty; uffd has its own fault-resolving threads; mmio is fed by the vCPU
 * loop. Every query below is thread-safe: another thread (the --stats writer,
 * the control socket) may call it while the vCPU runs.
 *
 * Life cycle: a zeroed struct monitors is "nothing running"; monitors_start()
 * once the memslots exist and the loader has written guest RAM (so uffd sees
 * only the guest's own first touches), monitors_stop() after the last use of
 * guest memory by anyone (the uffd threads keep resolving faults until then;
 * stop is safe on a zeroed or half-started struct, and more than once).
 */
#ifndef VMM_MONITOR_H
#define VMM_MONITOR_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "guest_mem.h"
#include "kvm.h"

enum monitor_kind {
	MONITOR_KVM_STATS,
	MONITOR_UFFD,
	MONITOR_DIRTY,
	MONITOR_MMIO,
	MONITOR_NR,
};

#define MONITOR_BIT(kind) (1u << (kind))
#define MONITOR_ALL ((1u << MONITOR_NR) - 1)

/* --monitor-interval default and bounds, in milliseconds. */
#define MONITOR_INTERVAL_DEFAULT_MS 100
#define MONITOR_INTERVAL_MIN_MS 1
#define MONITOR_INTERVAL_MAX_MS 3600000

/* Per-monitor state, private to monitor_<name>.c. */
struct mon_kvm_stats;
struct mon_uffd;
struct mon_dirty;
struct mon_mmio;

/* uffd read-ahead window default and limit, in 4 KiB pages (1: none). */
#define MONITOR_UFFD_WINDOW_DEFAULT 16
#define MONITOR_UFFD_WINDOW_MAX 512

struct monitors {
	unsigned uffd_window;     /* set before monitors_start(); 0: the default */
	bool started;             /* monitors_start() initialised the locks */
	unsigned mask;            /* monitors running (MONITOR_BIT()s) */
	uint64_t interval_ms;     /* sampler period */
	uint64_t start_ns;        /* CLOCK_MONOTONIC at monitors_start() */
	const struct guest_mem *mem;
	struct mon_kvm_stats *kvm_stats;
	struct mon_uffd *uffd;
	struct mon_dirty *dirty;
	struct mon_mmio *mmio;
	/* The sampler thread (kvm-stats, dirty). */
	pthread_t sampler;
	bool sampler_running;
	pthread_mutex_t sampler_lock; /* guards sampler_stop and the wakeup */
	pthread_cond_t sampler_wake;
	bool sampler_stop;
	uint64_t samples;         /* sampler rounds done */
};

/*
 * Parse a --monitor LIST: comma-separated names (kvm-stats, uffd, dirty,
 * mmio) or "all"; no empty items, no repeats. Returns 0 with *@mask set, or
 * -1 with @err naming the offending item and the valid names.
 */
int monitors_parse(const char *list, unsigned *mask, struct vmm_err *err);

/* Parse --monitor-interval MS (MONITOR_INTERVAL_MIN_MS..MAX_MS). */
int monitors_parse_interval(const char *arg, uint64_t *ms, struct vmm_err *err);

/* Parse --monitor-uffd-window PAGES: a power of two, 1 to MONITOR_UFFD_WINDOW_MAX. */
int monitors_parse_window(const char *arg, unsigned *pages, struct vmm_err *err);

/* "kvm-stats", "uffd", ... for @kind; "?" if out of range. */
const char *monitors_name(enum monitor_kind kind);

/*
 * Start the monitors in @mask on @vm (memslots registered, vCPU created)
 * and @mem (the loader's data already written). The calling thread is taken
 * to be the one that will run vCPU 0 (uffd attributes its faults to it).
 * Every member of @m is reset except uffd_window.
 * Returns 0, or -1 with @err; on failure everything started is stopped.
 */
int monitors_start(struct monitors *m, unsigned mask, struct kvm_vm *vm,
		   const struct guest_mem *mem, uint64_t interval_ms, struct vmm_err *err);

/* True if the mmio monitor runs (the vCPU loop then reads RIP on every MMIO exit). */
bool monitors_mmio_enabled(const struct monitors *m);

/* One guest access to a hole or unbacked GPA (vCPU loop, any thread). */
void monitors_note_mmio(struct monitors *m, uint64_t gpa, unsigned len, bool is_write,
			uint64_t rip, bool hole);

/*
 * The current figures of every running monitor as one JSON object (for one
 * JSON Lines record): {"time_ms":..., "kvm_stats":{...}, "uffd":{...},
 * "dirty":{...}, "mmio":{...}}, members only for running monitors. New
 * reference (json_decref() it); NULL only when out of memory.
 */
json_t *monitors_sample_json(struct monitors *m);

/*
 * query-faults: per-DIMM touched pages (uffd, with the written set from
 * dirty), the resolution-latency histogram, recent fault events and the
 * mmio table. New reference; NULL only when out of memory.
 */
json_t *monitors_faults_json(struct monitors *m);

/* End-of-run report, a few lines per running monitor ("monitor NAME: ..."). */
void monitors_print_summary(struct monitors *m, FILE *out);

/* Stop every thread and release everything; the struct is zeroed again. */
void monitors_stop(struct monitors *m);

#endif /* VMM_MONITOR_H */
