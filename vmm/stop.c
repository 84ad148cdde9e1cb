/* SPDX-License-Identifier: MIT */
#include "stop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"
#include "vcpu_pause.h"

/* A real-time signal of its own, so a stray SIGALRM is not a timeout. */
#define WATCHDOG_SIGNAL (SIGRTMIN)
/* After the first expiry, how long the VMM gets to stop by itself. */
#define WATCHDOG_GRACE_S 1

static struct kvm_run *volatile attached_run;
static volatile sig_atomic_t watchdog_fired;
static volatile sig_atomic_t stop_signal;
static timer_t watchdog;
static int have_watchdog;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* Async-signal-safe: one fixed line, then exit without running atexit code. */
static void hard_exit(const char *line, int status)
{
	ssize_t unused = write(STDERR_FILENO, line, strlen(line));

	(void)unused;
	_exit(status);
}

static void on_watchdog(int sig)
{
	(void)sig;
	if (watchdog_fired)
		hard_exit("vmm: timeout: the VMM did not stop within a second of the watchdog "
			  "(blocked on output?); exiting\n", VMM_EXIT_TIMEOUT);
	watchdog_fired = 1;
	if (!attached_run)
		hard_exit("vmm: timeout: expired while the guest was not running\n",
			  VMM_EXIT_TIMEOUT);
	attached_run->immediate_exit = 1;
	/* Delivered to another thread (control, monitors): interrupt KVM_RUN too. */
	vcpu_pause_kick();
}

static void on_stop_signal(int sig)
{
	if (stop_signal || !attached_run)
		hard_exit(stop_signal ? "vmm: second stop signal: exiting at once\n"
				      : "vmm: stopped by a signal while the guest was not running\n",
			  VMM_EXIT_SIGNAL_BASE + sig);
	stop_signal = sig;
	attached_run->immediate_exit = 1;
	vcpu_pause_kick();
}

int stop_init(uint64_t timeout_ms, struct vmm_err *err)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a signal must interrupt KVM_RUN */
	sa.sa_handler = on_stop_signal;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		if (sigaction(stop_signals[i], NULL, &old) < 0)
			return err_set(err, "sigaction(%s): %s", strsignal(stop_signals[i]),
				       strerror(errno));
		/* nohup and background jobs ignore SIGHUP/SIGINT: keep it that way. */
		if (old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(stop_signals[i], &sa, NULL) < 0)
			return err_set(err, "sigaction(%s): %s", strsignal(stop_signals[i]),
				       strerror(errno));
	}
	/* A closed stdout must not kill the VMM: write errors are reported instead. */
	signal(SIGPIPE, SIG_IGN);

	if (!timeout_ms)
		return 0;
	sa.sa_handler = on_watchdog;
	if (sigaction(WATCHDOG_SIGNAL, &sa, NULL) < 0)
		return err_set(err, "sigaction(watchdog signal): %s", strerror(errno));
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = WATCHDOG_SIGNAL };
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(timeout_ms / 1000),
			      .tv_nsec = (long)(timeout_ms % 1000) * 1000000L },
		.it_interval = { .tv_sec = WATCHDOG_GRACE_S },
	};
	if (timer_create(CLOCK_MONOTONIC, &sev, &watchdog) < 0)
		return err_set(err, "timer_create for --timeout: %s", strerror(errno));
	have_watchdog = 1;
	if (timer_settime(watchdog, 0, &its, NULL) < 0)
		return err_set(err, "timer_settime for --timeout: %s", strerror(errno));
	return 0;
}

void stop_attach_run(struct kvm_run *run)
{
	attached_run = run;
	/* A request that came in just before: do not lose it. */
	if (watchdog_fired || stop_signal)
		run->immediate_exit = 1;
}

void stop_detach_run(void)
{
	attached_run = NULL;
}

enum stop_reason stop_requested(int *signo)
{
	if (watchdog_fired)
		return STOP_TIMEOUT;
	if (stop_signal) {
		*signo = stop_signal;
		return STOP_SIGNAL;
	}
	return STOP_NONE;
}

void stop_fini(void)
{
	if (have_watchdog)
		timer_delete(watchdog);
	have_watchdog = 0;
}
