/* SPDX-License-Identifier: MIT */
#include "vcpu_pause.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "stop.h"

#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

/*
 * The single vCPU's control block. The mutex guards every field except
 * the ones signal handlers read (kick_thread, have_kick_thread, kicks),
 * which are written once before they are published or are atomics.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;   /* any of the flags below changed */
	bool cond_ready;
	enum vcpu_state state;
	bool pause_requested;     /* also read without the lock, with atomics */
	bool quit;                /* also read without the lock, with atomics */
	struct kvm_run *run;
	uint64_t in_guest_ns;     /* completed KVM_RUN time */
	uint64_t entered_ns;      /* CLOCK_MONOTONIC at KVM_RUN entry, 0 outside */
	uint64_t pauses;
} vp = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.state = VCPU_NOT_STARTED,
};

static pthread_t kick_thread;
static volatile sig_atomic_t have_kick_thread;
static uint64_t kicks;

/* CLOCK_MONOTONIC in ns, for guest time and wait deadlines. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Absolute CLOCK_MONOTONIC deadline @ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(unsigned ms)
{
	uint64_t t = now_ns() + ms * NSEC_PER_MSEC;

	return (struct timespec){ .tv_sec = (time_t)(t / NSEC_PER_SEC),
				  .tv_nsec = (long)(t % NSEC_PER_SEC) };
}

/* The kick only has to interrupt KVM_RUN: nothing to do in the handler. */
static void on_kick(int sig)
{
	(void)sig;
}

/* The condition variable on CLOCK_MONOTONIC, so a clock change cannot stretch waits. */
static int init_cond(struct vmm_err *err)
{
	pthread_condattr_t attr;
	int rc;

	if (vp.cond_ready)
		return 0;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&vp.changed, &attr);
	pthread_condattr_destroy(&attr);
	if (rc)
		return err_set(err, "pthread_cond_init for the vCPU pause: %s", strerror(rc));
	vp.cond_ready = true;
	return 0;
}

int vcpu_pause_init(struct vmm_err *err)
{
	struct sigaction sa;

	if (init_cond(err) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/*
	 * SA_RESTART: the kick may land while the vCPU thread writes the guest
	 * console; that write must not fail with EINTR. KVM_RUN itself is never
	 * restarted: KVM returns EINTR for a pending signal whatever the flags.
	 */
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_kick;
	if (sigaction(VCPU_KICK_SIGNAL, &sa, NULL) < 0)
		return err_set(err, "sigaction(vCPU kick signal): %s", strerror(errno));
	return 0;
}

/* Make the next (or current) KVM_RUN return EINTR; caller holds no lock needed. */
static void interrupt_vcpu(void)
{
	struct kvm_run *run = __atomic_load_n(&vp.run, __ATOMIC_SEQ_CST);

	if (run)
		__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	vcpu_pause_kick();
}

void vcpu_pause_kick(void)
{
	/* Only async-signal-safe calls: stop.c's handlers use this too. */
	if (!have_kick_thread || pthread_equal(pthread_self(), kick_thread))
		return;
	__atomic_add_fetch(&kicks, 1, __ATOMIC_RELAXED);
	pthread_kill(kick_thread, VCPU_KICK_SIGNAL);
}

void vcpu_pause_attach(struct kvm_run *run)
{
	pthread_mutex_lock(&vp.lock);
	kick_thread = pthread_self();
	__atomic_store_n(&have_kick_thread, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vp.run, run, __ATOMIC_SEQ_CST);
	vp.state = VCPU_RUNNING;
	/* A stop or quit that came before the vCPU started: the first KVM_RUN honours it. */
	if (vp.pause_requested || vp.quit)
		__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (vp.cond_ready)
		pthread_cond_broadcast(&vp.changed);
	pthread_mutex_unlock(&vp.lock);
}

void vcpu_pause_detach(void)
{
	pthread_mutex_lock(&vp.lock);
	__atomic_store_n(&have_kick_thread, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vp.run, NULL, __ATOMIC_SEQ_CST);
	vp.state = VCPU_FINISHED;
	if (vp.entered_ns) {
		vp.in_guest_ns += now_ns() - vp.entered_ns;
		vp.entered_ns = 0;
	}
	if (vp.cond_ready)
		pthread_cond_broadcast(&vp.changed);
	pthread_mutex_unlock(&vp.lock);
}

void vcpu_pause_enter_guest(void)
{
	uint64_t t = now_ns();

	pthread_mutex_lock(&vp.lock);
	vp.entered_ns = t ? t : 1;
	pthread_mutex_unlock(&vp.lock);
}

void vcpu_pause_leave_guest(void)
{
	uint64_t t = now_ns();

	pthread_mutex_lock(&vp.lock);
	if (vp.entered_ns && t > vp.entered_ns)
		vp.in_guest_ns += t - vp.entered_ns;
	vp.entered_ns = 0;
	pthread_mutex_unlock(&vp.lock);
}

enum vcpu_pause_action vcpu_pause_point(struct kvm_run *run)
{
	struct timespec until;
	bool quit;
	int signo;

	pthread_mutex_lock(&vp.lock);
	if (vp.pause_requested && !vp.quit) {
		vp.state = VCPU_PAUSED;
		vp.pauses++;
		pthread_cond_broadcast(&vp.changed);
		while (vp.pause_requested && !vp.quit && stop_requested(&signo) == STOP_NONE) {
			until = deadline_in(VCPU_PAUSE_POLL_MS);
			pthread_cond_timedwait(&vp.changed, &vp.lock, &until);
		}
		vp.state = VCPU_RUNNING;
		pthread_cond_broadcast(&vp.changed);
	}
	quit = vp.quit;
	pthread_mutex_unlock(&vp.lock);
	if (quit)
		return VCPU_QUIT;

	/*
	 * The request is served: clear immediate_exit, then look again. A
	 * requester sets its flag before immediate_exit (all sequentially
	 * consistent), so either we see its flag here or its immediate_exit
	 * store lands after our clear; no request is lost.
	 */
	__atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vp.pause_requested, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&vp.quit, __ATOMIC_SEQ_CST) || stop_requested(&signo) != STOP_NONE)
		__atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	return VCPU_GO_ON;
}

/* Wait, with the lock held, until @done() or VCPU_PAUSE_WAIT_MS; true if done. */
static bool wait_for(bool (*done)(void))
{
	struct timespec until = deadline_in(VCPU_PAUSE_WAIT_MS);

	while (!done()) {
		if (pthread_cond_timedwait(&vp.changed, &vp.lock, &until) == ETIMEDOUT)
			return done();
	}
	return true;
}

/* stop is done: parked, or there is nothing left to stop. */
static bool parked_or_gone(void)
{
	return vp.state == VCPU_PAUSED || vp.state == VCPU_FINISHED || vp.quit;
}

/* cont is done: the vCPU has left its parking place. */
static bool running_or_gone(void)
{
	return vp.state != VCPU_PAUSED;
}

int vcpu_pause_stop(struct vmm_err *err)
{
	int rc = 0;

	pthread_mutex_lock(&vp.lock);
	if (vp.state == VCPU_FINISHED || vp.quit) {
		rc = err_set(err, "the guest is no longer running");
		goto out;
	}
	if (vp.state == VCPU_PAUSED && vp.pause_requested) {
		rc = 1;
		goto out;
	}
	__atomic_store_n(&vp.pause_requested, true, __ATOMIC_SEQ_CST);
	interrupt_vcpu();
	if (!vp.cond_ready || !wait_for(parked_or_gone) || vp.state != VCPU_PAUSED) {
		__atomic_store_n(&vp.pause_requested, false, __ATOMIC_SEQ_CST);
		if (vp.state == VCPU_FINISHED || vp.quit)
			rc = err_set(err, "the guest ended before the vCPU stopped");
		else
			rc = err_set(err, "the vCPU did not stop within %u ms (state %s)",
				     VCPU_PAUSE_WAIT_MS, vcpu_state_name(vp.state));
	}
out:
	pthread_mutex_unlock(&vp.lock);
	return rc;
}

int vcpu_pause_cont(struct vmm_err *err)
{
	int rc = 0;

	pthread_mutex_lock(&vp.lock);
	if (vp.state == VCPU_FINISHED || vp.quit) {
		rc = err_set(err, "the guest is no longer running");
		goto out;
	}
	if (!vp.pause_requested && vp.state != VCPU_PAUSED) {
		rc = 1;
		goto out;
	}
	__atomic_store_n(&vp.pause_requested, false, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&vp.changed);
	if (!wait_for(running_or_gone))
		rc = err_set(err, "the vCPU did not resume within %u ms", VCPU_PAUSE_WAIT_MS);
out:
	pthread_mutex_unlock(&vp.lock);
	return rc;
}

void vcpu_pause_quit(void)
{
	pthread_mutex_lock(&vp.lock);
	__atomic_store_n(&vp.quit, true, __ATOMIC_SEQ_CST);
	interrupt_vcpu();
	if (vp.cond_ready)
		pthread_cond_broadcast(&vp.changed);
	pthread_mutex_unlock(&vp.lock);
}

bool vcpu_pause_quit_requested(void)
{
	return __atomic_load_n(&vp.quit, __ATOMIC_SEQ_CST);
}

void vcpu_pause_get_stats(struct vcpu_pause_stats *out)
{
	uint64_t t = now_ns();

	pthread_mutex_lock(&vp.lock);
	out->state = vp.state;
	out->in_guest_ns = vp.in_guest_ns;
	if (vp.entered_ns && t > vp.entered_ns)
		out->in_guest_ns += t - vp.entered_ns;
	out->pauses = vp.pauses;
	pthread_mutex_unlock(&vp.lock);
	out->kicks = __atomic_load_n(&kicks, __ATOMIC_RELAXED);
}

const char *vcpu_state_name(enum vcpu_state state)
{
	switch (state) {
	case VCPU_NOT_STARTED:
		return "not-started";
	case VCPU_RUNNING:
		return "running";
	case VCPU_PAUSED:
		return "paused";
	case VCPU_FINISHED:
		return "finished";
	}
	return "?";
}
