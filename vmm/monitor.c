/* SPDX-License-Identifier: MIT */
/*
 * The set of monitors (monitor.h): start them in order, run the sampler
 * thread that serves kvm-stats and dirty, gather their JSON and their
 * end-of-run lines, and stop them in reverse order.
 */
#include "monitor.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "monitor_internal.h"

#define NS_PER_MS 1000000ull

/* One sampler round: every sampled monitor. */
static void sample_all(struct monitors *m)
{
	if (m->kvm_stats)
		mon_kvm_stats_sample(m->kvm_stats);
	if (m->dirty)
		mon_dirty_sample(m->dirty);
	pthread_mutex_lock(&m->sampler_lock);
	m->samples++;
	pthread_mutex_unlock(&m->sampler_lock);
}

/* The sampler thread: a round every interval until monitors_stop(). */
static void *sampler_main(void *arg)
{
	struct monitors *m = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&m->sampler_lock);
	while (!m->sampler_stop) {
		uint64_t ns = (uint64_t)next.tv_nsec + m->interval_ms * NS_PER_MS;

		/* Absolute deadlines: sampling time does not stretch the period. */
		next.tv_sec += (time_t)(ns / 1000000000ull);
		next.tv_nsec = (long)(ns % 1000000000ull);
		while (!m->sampler_stop && pthread_cond_timedwait(&m->sampler_wake,
								   &m->sampler_lock,
								   &next) != ETIMEDOUT)
			;
		if (m->sampler_stop)
			break;
		pthread_mutex_unlock(&m->sampler_lock);
		sample_all(m);
		pthread_mutex_lock(&m->sampler_lock);
	}
	pthread_mutex_unlock(&m->sampler_lock);
	return NULL;
}

/* Start the sampler thread (only when a sampled monitor runs). */
static int sampler_start(struct monitors *m, struct vmm_err *err)
{
	int rc;

	m->sampler_stop = false;
	rc = pthread_create(&m->sampler, NULL, sampler_main, m);
	if (rc)
		return err_set(err, "monitors: cannot start the sampler thread: %s", strerror(rc));
	m->sampler_running = true;
	return 0;
}

/* Start the monitors in @mask (see monitor.h); uffd last, then the sampler. */
int monitors_start(struct monitors *m, unsigned mask, struct kvm_vm *vm,
		   const struct guest_mem *mem, uint64_t interval_ms, struct vmm_err *err)
{
	unsigned window = m->uffd_window ? m->uffd_window : MONITOR_UFFD_WINDOW_DEFAULT;
	pthread_condattr_t ca;

	memset(m, 0, sizeof(*m));
	m->uffd_window = window;
	if (!mask)
		return 0;
	pthread_mutex_init(&m->sampler_lock, NULL);
	/* The sampler's wakeups run on CLOCK_MONOTONIC, like its deadlines. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->sampler_wake, &ca);
	pthread_condattr_destroy(&ca);
	m->started = true;
	if (mask & ~MONITOR_ALL) {
		err_set(err, "monitors: unknown monitor mask 0x%x", mask);
		goto fail;
	}
	if (interval_ms < MONITOR_INTERVAL_MIN_MS || interval_ms > MONITOR_INTERVAL_MAX_MS) {
		err_set(err, "monitors: interval %" PRIu64 " ms out of range", interval_ms);
		goto fail;
	}
	m->interval_ms = interval_ms;
	m->mem = mem;
	m->start_ns = monitor_now_ns();
	if ((mask & MONITOR_BIT(MONITOR_KVM_STATS)) &&
	    mon_kvm_stats_start(&m->kvm_stats, vm, err) < 0)
		goto fail;
	if ((mask & MONITOR_BIT(MONITOR_DIRTY)) && mon_dirty_start(&m->dirty, vm, mem, err) < 0)
		goto fail;
	if ((mask & MONITOR_BIT(MONITOR_MMIO)) && mon_mmio_start(&m->mmio, err) < 0)
		goto fail;
	/* Last: from here on the first touch of any missing page needs a resolver. */
	if ((mask & MONITOR_BIT(MONITOR_UFFD)) &&
	    mon_uffd_start(&m->uffd, mem, (pid_t)syscall(SYS_gettid), m->start_ns, window,
			   err) < 0)
		goto fail;
	if ((m->kvm_stats || m->dirty) && sampler_start(m, err) < 0)
		goto fail;
	m->mask = mask;
	return 0;
fail:
	monitors_stop(m);
	return -1;
}

/* Lets the vCPU loop skip reading RIP when nobody counts MMIO. */
bool monitors_mmio_enabled(const struct monitors *m)
{
	return m && m->mmio;
}

/* The vCPU loop's hook for every unhandled MMIO exit. */
void monitors_note_mmio(struct monitors *m, uint64_t gpa, unsigned len, bool is_write,
			uint64_t rip, bool hole)
{
	if (m && m->mmio)
		mon_mmio_note(m->mmio, gpa, len, is_write, rip, hole);
}

/* Sampler rounds so far (the sampler may be counting). */
static uint64_t samples_done(struct monitors *m)
{
	uint64_t samples;

	pthread_mutex_lock(&m->sampler_lock);
	samples = m->samples;
	pthread_mutex_unlock(&m->sampler_lock);
	return samples;
}

/* {"time_ms":..., "interval_ms":..., "samples":...}: what every object starts with. */
static json_t *header_json(struct monitors *m)
{
	uint64_t samples = samples_done(m);

	return json_pack("{s:f,s:I,s:I}", "time_ms",
			 (double)(monitor_now_ns() - m->start_ns) / (double)NS_PER_MS,
			 "interval_ms", (json_int_t)m->interval_ms, "samples", (json_int_t)samples);
}

/*
 * The running monitors' figures: a sample (@faults false: kvm-stats and the
 * uffd counts) or the fault detail (@faults true: no kvm-stats; uffd events
 * and histogram, the whole mmio table).
 */
static json_t *monitors_json(struct monitors *m, bool faults)
{
	json_t *o;

	if (!m->mask)
		return json_object();
	o = header_json(m);
	if (!o)
		return NULL;
	if (m->kvm_stats && !faults)
		json_object_set_new(o, "kvm_stats", mon_kvm_stats_json(m->kvm_stats));
	if (m->uffd)
		json_object_set_new(o, "uffd", faults ? mon_uffd_faults_json(m->uffd) :
							mon_uffd_json(m->uffd));
	if (m->dirty)
		json_object_set_new(o, "dirty", mon_dirty_json(m->dirty));
	if (m->mmio)
		json_object_set_new(o, "mmio", mon_mmio_json(m->mmio, faults));
	return o;
}

/* Current figures of every running monitor, for one --stats record. */
json_t *monitors_sample_json(struct monitors *m)
{
	return monitors_json(m, false);
}

/* query-faults: the fault detail (events, histograms, mmio table). */
json_t *monitors_faults_json(struct monitors *m)
{
	return monitors_json(m, true);
}

/* The end-of-run "monitor ..." lines on stderr. */
void monitors_print_summary(struct monitors *m, FILE *out)
{
	if (!m->mask)
		return;
	fprintf(out, "monitor: %.1f ms monitored, %" PRIu64 " sampler rounds every %" PRIu64
		" ms\n", (double)(monitor_now_ns() - m->start_ns) / (double)NS_PER_MS,
		samples_done(m), m->interval_ms);
	if (m->kvm_stats)
		mon_kvm_stats_summary(m->kvm_stats, out);
	if (m->uffd)
		mon_uffd_summary(m->uffd, out);
	if (m->dirty)
		mon_dirty_summary(m->dirty, out);
	if (m->mmio)
		mon_mmio_summary(m->mmio, out);
}

/* Stop the sampler, then each monitor in reverse start order. */
void monitors_stop(struct monitors *m)
{
	if (m->sampler_running) {
		pthread_mutex_lock(&m->sampler_lock);
		m->sampler_stop = true;
		pthread_cond_signal(&m->sampler_wake);
		pthread_mutex_unlock(&m->sampler_lock);
		pthread_join(m->sampler, NULL);
	}
	mon_uffd_stop(m->uffd);
	mon_mmio_stop(m->mmio);
	mon_dirty_stop(m->dirty);
	mon_kvm_stats_stop(m->kvm_stats);
	if (m->started) {
		pthread_cond_destroy(&m->sampler_wake);
		pthread_mutex_destroy(&m->sampler_lock);
	}
	memset(m, 0, sizeof(*m));
}
