/* SPDX-License-Identifier: MIT */
#include "event_loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "exit_codes.h"
#include "vcpu_pause.h"

#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define MSEC_PER_SEC 1000ull
#define EPOLL_BATCH 32
/* The socket file: only its owner may connect (it can stop the VM). */
#define CONTROL_SOCKET_MODE 0600
#define CONTROL_UMASK 0177

/* What an epoll event points at. */
enum source_kind { SRC_WAKE, SRC_LISTEN, SRC_TIMER, SRC_CLIENT };

struct source {
	enum source_kind kind;
};

struct client {
	struct source src;       /* first: epoll's pointer is to this */
	int fd;
	unsigned id;             /* connection number, for messages */
	struct control_session session;
	char in[CONTROL_MSG_MAX + 1]; /* a longest message and its newline */
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
	bool eof;                /* the client sent EOF: close once the output is out */
	bool closing;            /* refused: close once the output is out */
	bool dead;               /* closed; freed after the current batch */
	bool want_out;           /* EPOLLOUT armed */
	struct client *next;
};

struct event_loop {
	struct source wake_src, listen_src, timer_src;
	const char *control_path;
	int listen_fd, wake_fd, timer_fd, epoll_fd;
	int spare_fd;                /* kept open so that a connection can be shed at EMFILE */
	bool emfile_reported;
	uint64_t interval_ms;
	struct stats_out stats;
	bool stats_lost;             /* a write failed (reported once) */
	struct stats_sources src;
	struct control_env env;
	struct client *clients;
	unsigned nr_clients, next_id;
	pthread_t thread;
	bool started;
	bool stop;                   /* set by the main thread, read after the wake-up */
	bool bound;                  /* we created the socket file */
};

/* One "vmm: ..." line on stderr. */
static void print_err(const struct vmm_err *e)
{
	fprintf(stderr, "vmm: %s\n", e->msg);
}

/* -------------------------------------------------------------- clients */

/* Change which events of @c the loop waits for. */
static int epoll_mod(struct event_loop *l, struct client *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = &c->src };

	return epoll_ctl(l->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Input while the client may still send; output while some is queued. */
static void update_mask(struct event_loop *l, struct client *c)
{
	c->want_out = c->out_len != 0;
	epoll_mod(l, c, (c->eof || c->closing ? 0 : EPOLLIN) | (c->want_out ? EPOLLOUT : 0));
}

/* Close @c now; the memory goes after the current batch of events. */
static void client_kill(struct event_loop *l, struct client *c, const char *why)
{
	if (c->dead)
		return;
	if (why)
		fprintf(stderr, "vmm: control: client %u dropped: %s\n", c->id, why);
	epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->dead = true;
	l->nr_clients--;
}

/* Free the clients closed during the last batch. */
static void reap_clients(struct event_loop *l)
{
	struct client **pp = &l->clients;

	while (*pp) {
		struct client *c = *pp;

		if (c->dead) {
			*pp = c->next;
			free(c->out);
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

/* Write what the socket takes; arm EPOLLOUT for the rest. */
static void client_flush(struct event_loop *l, struct client *c)
{
	size_t done = 0;
	ssize_t n;

	while (!c->dead && done < c->out_len) {
		n = send(c->fd, c->out + done, c->out_len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* EPIPE, ECONNRESET: the client left; nothing else changes. */
			client_kill(l, c, NULL);
			return;
		}
		done += (size_t)n;
	}
	memmove(c->out, c->out + done, c->out_len - done);
	c->out_len -= done;
	if (!c->out_len && (c->eof || c->closing)) {
		client_kill(l, c, NULL);
		return;
	}
	if ((c->out_len != 0) != c->want_out)
		update_mask(l, c);
}

/* Queue @msg as one line; a client that lets CONTROL_OUT_MAX pile up is dropped. */
static void client_send(struct event_loop *l, struct client *c, json_t *msg)
{
	char *text;
	size_t len;

	if (c->dead)
		return;
	/* QMP's own layout: one line, ", " and ": " separators. */
	text = msg ? json_dumps(msg, 0) : NULL;
	if (!text) {
		client_kill(l, c, "out of memory formatting a reply");
		return;
	}
	len = strlen(text);
	if (len + 1 > CONTROL_OUT_MAX - c->out_len) {
		free(text);
		client_kill(l, c, "it does not read its replies (output buffer full)");
		return;
	}
	if (c->out_len + len + 1 > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *p;

		while (cap < c->out_len + len + 1)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			free(text);
			client_kill(l, c, "out of memory queueing a reply");
			return;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, text, len);
	c->out[c->out_len + len] = '\n';
	c->out_len += len + 1;
	free(text);
	client_flush(l, c);
}

/* control_env's broadcast: events go to clients past capabilities negotiation. */
static void broadcast(void *opaque, json_t *event)
{
	struct event_loop *l = opaque;

	for (struct client *c = l->clients; c; c = c->next)
		if (!c->dead && c->session.negotiated)
			client_send(l, c, event);
}

/* Run every complete line in the input buffer. */
static void client_lines(struct event_loop *l, struct client *c)
{
	size_t start = 0;
	char *nl;

	while (!c->dead && !c->closing &&
	       (nl = memchr(c->in + start, '\n', c->in_len - start))) {
		size_t len = (size_t)(nl - (c->in + start));
		json_t *reply = control_handle(&l->env, &c->session, c->in + start, len);

		start += len + 1;
		/* NULL: a blank line, which QMP ignores too. */
		if (reply)
			client_send(l, c, reply);
		json_decref(reply);
	}
	if (c->dead)
		return;
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->in_len > CONTROL_MSG_MAX && !c->closing) {
		json_t *e = control_error(CONTROL_ERR_GENERIC, "message longer than %u bytes "
					  "without a newline: closing the connection",
					  CONTROL_MSG_MAX);

		c->closing = true;
		c->in_len = 0;
		fprintf(stderr, "vmm: control: client %u sent more than %u bytes without a "
			"newline: closing it\n", c->id, CONTROL_MSG_MAX);
		client_send(l, c, e);
		json_decref(e);
		if (!c->dead) {
			shutdown(c->fd, SHUT_RD);
			client_flush(l, c);
		}
	}
}

/* Read what is there; a partial line waits for the rest. */
static void client_read(struct event_loop *l, struct client *c)
{
	ssize_t n;

	while (!c->dead && !c->eof && !c->closing) {
		n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			client_kill(l, c, NULL);
			return;
		}
		if (n == 0) {
			/* A partial last line is dropped; replies already queued still go out. */
			c->eof = true;
			c->in_len = 0;
			update_mask(l, c);
			client_flush(l, c);
			return;
		}
		c->in_len += (size_t)n;
		client_lines(l, c);
	}
}

/* A refusal for a connection beyond CONTROL_MAX_CLIENTS, best effort. */
static void refuse(int fd)
{
	json_t *e = control_error(CONTROL_ERR_GENERIC, "too many clients: at most %u at a time",
				  CONTROL_MAX_CLIENTS);
	char *text = e ? json_dumps(e, 0) : NULL;

	if (text) {
		size_t len = strlen(text);

		text[len] = '\n';
		(void)!send(fd, text, len + 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	free(text);
	json_decref(e);
	close(fd);
}

/*
 * Out of descriptors: the pending connection would keep the listening
 * socket readable and the loop spinning. Free the spare descriptor, take
 * the connection and close it at once, take the spare back. Said once.
 * Returns false if there was no spare to use (the caller stops for now).
 */
static bool shed_connection(struct event_loop *l)
{
	int fd;

	if (l->spare_fd < 0)
		return false;
	if (!l->emfile_reported)
		fprintf(stderr, "vmm: control: out of file descriptors (%s): refusing connections "
			"until some are free\n", strerror(errno));
	l->emfile_reported = true;
	close(l->spare_fd);
	fd = accept4(l->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	l->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd >= 0;
}

/* Take every pending connection: greet it, or refuse it beyond the limit. */
static void accept_clients(struct event_loop *l)
{
	for (;;) {
		int fd = accept4(l->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN };
		struct client *c;
		json_t *hello;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) && shed_connection(l))
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				fprintf(stderr, "vmm: control: accept: %s\n", strerror(errno));
			return;
		}
		l->next_id++;
		if (l->nr_clients >= CONTROL_MAX_CLIENTS) {
			refuse(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->src.kind = SRC_CLIENT;
		c->fd = fd;
		c->id = l->next_id;
		ev.data.ptr = &c->src;
		if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = l->clients;
		l->clients = c;
		l->nr_clients++;
		hello = control_greeting();
		client_send(l, c, hello);
		json_decref(hello);
	}
}

/* -------------------------------------------------------------- stats */

/* Write one record; the first failure is reported and ends the file. */
static void write_record(struct event_loop *l, const struct stats_end *end)
{
	struct vmm_err err = { "" };
	json_t *rec;

	if (l->stats.fd < 0 || l->stats_lost)
		return;
	rec = stats_record(&l->src, l->stats.seq, end, end == NULL);
	if (!rec) {
		err_set(&err, "--stats file '%s': out of memory building record %llu",
			l->stats.path, (unsigned long long)l->stats.seq);
	} else if (stats_out_write(&l->stats, rec, &err) == 0) {
		json_decref(rec);
		return;
	}
	json_decref(rec);
	l->stats_lost = true;
	print_err(&err);
}

/* The --stats interval elapsed: one record. */
static void on_timer(struct event_loop *l)
{
	uint64_t expirations;

	/* Several expirations (a slow disk): one record, the next "time" shows the gap. */
	if (read(l->timer_fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	write_record(l, NULL);
}

/* -------------------------------------------------------------- the thread */

/* The thread: serve sockets and the timer until event_loop_finish() wakes it. */
static void *loop_thread(void *arg)
{
	struct event_loop *l = arg;
	struct epoll_event evs[EPOLL_BATCH];

	for (;;) {
		int n = epoll_wait(l->epoll_fd, evs, EPOLL_BATCH, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "vmm: event loop: epoll_wait: %s; control and --stats "
				"stop\n", strerror(errno));
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			struct source *s = evs[i].data.ptr;
			struct client *c;
			uint64_t v;

			switch (s->kind) {
			case SRC_WAKE:
				(void)!read(l->wake_fd, &v, sizeof(v));
				if (__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE))
					return NULL;
				break;
			case SRC_LISTEN:
				accept_clients(l);
				break;
			case SRC_TIMER:
				on_timer(l);
				break;
			case SRC_CLIENT:
				c = (struct client *)s;
				if (c->dead)
					break;
				if (evs[i].events & EPOLLOUT)
					client_flush(l, c);
				if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
					client_read(l, c);
				/* Gone both ways (or broken): nobody can read a reply. */
				if (evs[i].events & (EPOLLHUP | EPOLLERR))
					client_kill(l, c, NULL);
				break;
			}
		}
		reap_clients(l);
	}
}

/* -------------------------------------------------------------- set-up */

/* Refuse a path in use or not a socket; remove a stale socket. */
static int check_socket_path(const char *path, struct vmm_err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(err, "--control path '%s': %s", path, strerror(errno));
	}
	if (!S_ISSOCK(st.st_mode))
		return err_set(err, "--control path '%s' exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(err, "socket(AF_UNIX): %s", strerror(errno));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0)
		return err_set(err, "--control path '%s' is a socket another process listens on",
			       path);
	if (errno != ECONNREFUSED)
		return err_set(err, "--control path '%s': %s", path, strerror(errno));
	/* Nobody listens: a socket left by a VMM that died. */
	if (unlink(path) < 0)
		return err_set(err, "--control path '%s': removing the stale socket: %s", path,
			       strerror(errno));
	return 0;
}

/* Create the listening socket at @path; returns 0 or an exit status. */
static int open_control(struct event_loop *l, const char *path, struct vmm_err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	if (check_socket_path(path, err) < 0)
		return VMM_EXIT_USAGE;
	l->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->listen_fd < 0) {
		err_set(err, "socket(AF_UNIX) for --control: %s", strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	/* Created 0600 from the start: no window in which others may connect. */
	old = umask(CONTROL_UMASK);
	rc = bind(l->listen_fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc < 0) {
		err_set(err, "cannot create --control socket '%s': %s", path, strerror(errno));
		return VMM_EXIT_USAGE;
	}
	l->bound = true;
	l->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (chmod(path, CONTROL_SOCKET_MODE) < 0 || listen(l->listen_fd, CONTROL_LISTEN_BACKLOG) < 0) {
		err_set(err, "--control socket '%s': %s", path, strerror(errno));
		return VMM_EXIT_HOST_ERROR;
	}
	return 0;
}

/* Close every descriptor and remove the socket file; frees @l. */
static void destroy(struct event_loop *l)
{
	for (struct client *c = l->clients; c; c = c->next)
		if (!c->dead)
			client_kill(l, c, NULL);
	reap_clients(l);
	if (l->listen_fd >= 0)
		close(l->listen_fd);
	if (l->spare_fd >= 0)
		close(l->spare_fd);
	if (l->bound)
		unlink(l->control_path);
	if (l->wake_fd >= 0)
		close(l->wake_fd);
	if (l->timer_fd >= 0)
		close(l->timer_fd);
	if (l->epoll_fd >= 0)
		close(l->epoll_fd);
	stats_out_close(&l->stats, NULL);
	free(l);
}

int event_loop_open(struct event_loop **out, const struct vmm_config *cfg, struct vmm_err *err)
{
	struct event_loop *l;
	int rc;

	*out = NULL;
	if (!cfg->stats_path && !cfg->control_path)
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l) {
		err_set(err, "out of memory");
		return VMM_EXIT_HOST_ERROR;
	}
	l->listen_fd = l->wake_fd = l->timer_fd = l->epoll_fd = l->stats.fd = l->spare_fd = -1;
	l->control_path = cfg->control_path;
	l->interval_ms = cfg->stats_interval_ms;
	if (cfg->stats_path && stats_out_open(&l->stats, cfg->stats_path, err) < 0) {
		destroy(l);
		return VMM_EXIT_USAGE;
	}
	if (cfg->control_path) {
		rc = open_control(l, cfg->control_path, err);
		if (rc) {
			destroy(l);
			return rc;
		}
	}
	*out = l;
	return 0;
}

/* Add @fd to the epoll set, tagged with @s. */
static int watch(struct event_loop *l, int fd, struct source *s, enum source_kind kind,
		 struct vmm_err *err)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };

	s->kind = kind;
	if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return err_set(err, "epoll_ctl: %s", strerror(errno));
	return 0;
}

/* The stats timer: first record one interval after the start, then every interval. */
static int start_timer(struct event_loop *l, struct vmm_err *err)
{
	struct timespec iv = { .tv_sec = (time_t)(l->interval_ms / MSEC_PER_SEC),
			       .tv_nsec = (long)(l->interval_ms % MSEC_PER_SEC * NSEC_PER_MSEC) };
	struct itimerspec its = { .it_value = iv, .it_interval = iv };

	l->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->timer_fd < 0)
		return err_set(err, "timerfd_create for --stats: %s", strerror(errno));
	if (timerfd_settime(l->timer_fd, 0, &its, NULL) < 0)
		return err_set(err, "timerfd_settime for --stats: %s", strerror(errno));
	return watch(l, l->timer_fd, &l->timer_src, SRC_TIMER, err);
}

int event_loop_start(struct event_loop *l, const struct stats_sources *src, struct vmm_err *err)
{
	struct timespec ts;
	sigset_t all, old;
	int rc;

	if (vcpu_pause_init(err) < 0)
		return -1;
	l->src = *src;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	l->src.start_ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	l->env.src = &l->src;
	l->env.broadcast = broadcast;
	l->env.opaque = l;
	l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->epoll_fd < 0 || l->wake_fd < 0)
		return err_set(err, "epoll/eventfd for the event loop: %s", strerror(errno));
	if (watch(l, l->wake_fd, &l->wake_src, SRC_WAKE, err) < 0 ||
	    (l->listen_fd >= 0 && watch(l, l->listen_fd, &l->listen_src, SRC_LISTEN, err) < 0) ||
	    (l->stats.fd >= 0 && start_timer(l, err) < 0))
		return -1;

	/* Signals are for the vCPU thread: this one must never take them. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&l->thread, NULL, loop_thread, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return err_set(err, "pthread_create for the event loop: %s", strerror(rc));
	l->started = true;
	return 0;
}

/* Give the last replies and SHUTDOWN a short chance to reach their clients. */
static void drain(struct event_loop *l)
{
	struct timespec t0, t;
	struct pollfd pfd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (struct client *c = l->clients; c; c = c->next) {
		while (!c->dead && c->out_len) {
			long left;

			clock_gettime(CLOCK_MONOTONIC, &t);
			left = (long)CONTROL_DRAIN_MS - ((t.tv_sec - t0.tv_sec) * 1000L +
							 (t.tv_nsec - t0.tv_nsec) / 1000000L);
			if (left <= 0)
				return;
			pfd = (struct pollfd){ .fd = c->fd, .events = POLLOUT };
			if (poll(&pfd, 1, (int)left) <= 0)
				break;
			client_flush(l, c);
		}
	}
}

int event_loop_finish(struct event_loop *l, int exit_status, struct vmm_err *err)
{
	struct stats_end end;
	uint64_t one = 1;
	json_t *ev;
	bool lost;

	if (!l)
		return 0;
	if (l->started) {
		__atomic_store_n(&l->stop, true, __ATOMIC_RELEASE);
		(void)!write(l->wake_fd, &one, sizeof(one));
		pthread_join(l->thread, NULL);
		/* The thread is gone: from here on this thread owns everything. */
		end = control_end_reason(exit_status, vcpu_pause_quit_requested());
		write_record(l, &end);
		ev = control_event("SHUTDOWN", json_pack("{s:b,s:s,s:i}", "guest", end.guest,
							 "reason", end.reason, "exit_status",
							 exit_status));
		if (ev)
			broadcast(l, ev);
		json_decref(ev);
		drain(l);
	}
	lost = l->stats_lost;
	if (stats_out_close(&l->stats, err) < 0)
		lost = true;
	else if (lost)
		err_set(err, "--stats file '%s': records were lost (see above)", l->stats.path);
	destroy(l);
	return lost ? -1 : 0;
}
