/* SPDX-License-Identifier: MIT */
/*
 * uffd: userfaultfd in MISSING mode over every DIMM. Once registered (after
 * the loader wrote the kernel and the PVH data, whose pages are present),
 * the first access to each still-missing page blocks the accessing thread
 * (the vCPU inside KVM, or a VMM thread) until a resolver thread here maps
 * a page there. Each such fault is one exactly known first touch: its page
 * is marked in the DIMM's touched map, and its GPA, DIMM, vCPU (from
 * UFFD_FEATURE_THREAD_ID), time and resolution latency are kept (the latest
 * UFFD_EVENT_RING events, plus a log2 histogram of all).
 *
 * A fault costs a round trip through two threads, several times the cost
 * of an ordinary page fault on this host. So a fault also resolves the rest
 * of its read-ahead window (an aligned block of `window` pages, 16 by
 * default, 1 = none) with the shared zero page, mapped read-only: those
 * pages are "read-ahead", not touched. A later write to one of them is an
 * ordinary copy-on-write fault the monitor does not see at once; it finds
 * it afterwards in /proc/self/pagemap (the page became an exclusively
 * mapped private page) whenever figures are asked for, and counts the page
 * as touched then (by write, vCPU and time unknown). A read of a read-ahead
 * page is never seen: with a window above 1, first touches that are reads
 * can be missed, first touches that are writes are all counted. See
 * docs/monitoring.md.
 *
 * The faulting page itself is resolved first, with UFFDIO_COPY of a zero
 * page for a write (one fault instead of a zero page and a copy-on-write)
 * and UFFDIO_ZEROPAGE for a read. UFFD_THREADS resolver threads read up to
 * UFFD_BATCH messages per read() until the fd is empty, then sleep in
 * poll(). They do not spin: on this 2-CPU host a spinning resolver takes
 * the CPU the vCPU and the other resolver need, and measured slower
 * (docs/monitoring.md).
 */
#include "monitor_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Resolver threads; they share the fd (the kernel hands each message to one reader). */
#define UFFD_THREADS 2
/* Messages taken per read(). */
#define UFFD_BATCH 64
/* Recent events kept for query-faults. */
#define UFFD_EVENT_RING 1024
/* vCPU number for a touch by a thread that is not a vCPU. */
#define UFFD_VCPU_NONE (-1)
/* /proc/self/pagemap: one u64 per page; bit 63 present, bit 56 exclusively mapped. */
#define PAGEMAP_PRESENT (1ull << 63)
#define PAGEMAP_EXCLUSIVE (1ull << 56)
/* Pagemap entries read per pread() when looking for written read-ahead pages. */
#define PAGEMAP_CHUNK 512

struct uffd_event {
	uint64_t gpa;
	uint64_t time_ns;     /* since monitoring started */
	uint32_t latency_ns;  /* read() return to page installed (saturated) */
	int32_t vcpu;         /* UFFD_VCPU_NONE: a VMM thread */
	uint32_t tid;
	uint32_t dimm;
	uint8_t write;
};

struct uffd_dimm_stats {
	struct page_bitmap touched;   /* first touches seen (faults + written read-ahead) */
	struct page_bitmap readahead; /* resolved ahead, no touch seen yet */
	uint64_t by_vcpu, by_vmm;     /* faults, by who */
	uint64_t reads, writes;       /* faults, by access */
	uint64_t readahead_written;   /* read-ahead pages later found written */
	uint64_t readahead_faulted;   /* read-ahead pages whose fault arrived after */
};

struct mon_uffd {
	int fd, stop_fd, pagemap_fd;
	const struct guest_mem *mem;
	pid_t vcpu_tid;
	uint64_t start_ns;
	uint64_t window;            /* read-ahead block, pages (power of two) */
	pthread_t threads[UFFD_THREADS];
	unsigned nr_threads;
	atomic_bool stop;
	void *zero_page;            /* UFFDIO_COPY source */

	pthread_mutex_t lock;       /* everything below */
	struct uffd_dimm_stats *dimms;
	struct log2_hist latency;
	uint64_t faults, raced, failed, outside, other_msgs, batches, max_batch;
	uint64_t readahead_total;   /* pages ever resolved ahead */
	struct uffd_event ring[UFFD_EVENT_RING];
	uint64_t ring_next;         /* events ever put in the ring */
	int last_errno;
	bool pagemap_failed;
	bool gave_up;               /* a resolver failed: DIMMs unregistered (give_up()) */
};

/* The DIMM whose host mapping holds @hva, or -1. */
static int dimm_of_hva(const struct guest_mem *mem, uint64_t hva)
{
	for (unsigned i = 0; i < mem->nr; i++) {
		uint64_t base = (uintptr_t)mem->dimms[i].hva;

		if (hva >= base && hva - base < mem->dimms[i].size)
			return (int)i;
	}
	return -1;
}

/* Wake whoever waits on the page at @hva (it is present now). */
static void wake_page(struct mon_uffd *u, uint64_t hva)
{
	struct uffdio_range wake = { .start = hva, .len = MON_PAGE_SIZE };

	ioctl(u->fd, UFFDIO_WAKE, &wake);
}

/*
 * Map a page at @hva for a fault (a private zeroed page for a write, the
 * zero page for a read). 1 resolved, 0 already present (waiter woken),
 * -errno on failure.
 */
static int resolve_fault(struct mon_uffd *u, uint64_t hva, bool write)
{
	int rc;

	if (write) {
		struct uffdio_copy copy = {
			.dst = hva, .src = (uintptr_t)u->zero_page, .len = MON_PAGE_SIZE,
		};

		rc = ioctl(u->fd, UFFDIO_COPY, &copy);
	} else {
		struct uffdio_zeropage zp = { .range = { .start = hva, .len = MON_PAGE_SIZE } };

		rc = ioctl(u->fd, UFFDIO_ZEROPAGE, &zp);
	}
	if (rc == 0)
		return 1;
	/* Present already (another event for this page, or read-ahead), or the mm changed. */
	if (errno == EEXIST || errno == EAGAIN) {
		wake_page(u, hva);
		return 0;
	}
	return -errno;
}

/* Record one fault (lock held); @res as resolve_fault() returned it. */
static void account_fault(struct mon_uffd *u, const struct uffd_msg *msg, int dimm,
			  uint64_t t_read, uint64_t t_done, int res)
{
	uint64_t addr = msg->arg.pagefault.address & ~(MON_PAGE_SIZE - 1);
	const struct guest_dimm *d = &u->mem->dimms[dimm];
	uint64_t page = (addr - (uintptr_t)d->hva) >> MON_PAGE_SHIFT;
	struct uffd_dimm_stats *ds = &u->dimms[dimm];
	uint32_t tid = msg->arg.pagefault.feat.ptid;
	bool write = msg->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE;
	int vcpu = (pid_t)tid == u->vcpu_tid ? 0 : UFFD_VCPU_NONE;
	uint64_t lat = t_done - t_read;
	struct uffd_event *ev;

	if (res < 0) {
		u->failed++;
		u->last_errno = -res;
		return;
	}
	/*
	 * Every fault message is a real first access to a page that was
	 * missing then; the touched map makes each page count once, whichever
	 * thread's message is accounted first. A page read ahead while its
	 * fault was queued is a touch too.
	 */
	if (res == 0 && page_bitmap_clear(&ds->readahead, page))
		ds->readahead_faulted++;
	if (!page_bitmap_set(&ds->touched, page)) {
		u->raced++;
		return;
	}
	u->faults++;
	if (vcpu == UFFD_VCPU_NONE)
		ds->by_vmm++;
	else
		ds->by_vcpu++;
	if (write)
		ds->writes++;
	else
		ds->reads++;
	log2_hist_add(&u->latency, lat);
	ev = &u->ring[u->ring_next++ % UFFD_EVENT_RING];
	ev->gpa = d->gpa + (page << MON_PAGE_SHIFT);
	ev->time_ns = t_read - u->start_ns;
	ev->latency_ns = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
	ev->vcpu = vcpu;
	ev->tid = tid;
	ev->dimm = (uint32_t)dimm;
	ev->write = write;
}

/*
 * Zero-map the missing pages of [first, end) of DIMM @dimm (page numbers),
 * marking what was mapped as read-ahead. Pages present already are skipped
 * (UFFDIO_ZEROPAGE stops at the first one).
 */
static void readahead_range(struct mon_uffd *u, int dimm, uint64_t first, uint64_t end)
{
	uint8_t *base = u->mem->dimms[dimm].hva;

	while (first < end) {
		struct uffdio_zeropage zp = {
			.range = { .start = (uintptr_t)(base + (first << MON_PAGE_SHIFT)),
				   .len = (end - first) << MON_PAGE_SHIFT },
		};
		uint64_t done;

		ioctl(u->fd, UFFDIO_ZEROPAGE, &zp);
		done = zp.zeropage > 0 ? (uint64_t)zp.zeropage >> MON_PAGE_SHIFT : 0;
		if (done) {
			pthread_mutex_lock(&u->lock);
			/* A page whose queued fault was accounted already stays touched only. */
			for (uint64_t p = first; p < first + done; p++)
				if (!page_bitmap_test(&u->dimms[dimm].touched, p))
					page_bitmap_set(&u->dimms[dimm].readahead, p);
			u->readahead_total += done;
			pthread_mutex_unlock(&u->lock);
		}
		/* Past what was mapped, and past the present page that stopped it. */
		first += done ? done : 1;
	}
}

/* The rest of the aligned window around the faulting @hva. */
static void readahead_window(struct mon_uffd *u, int dimm, uint64_t hva)
{
	const struct guest_dimm *d = &u->mem->dimms[dimm];
	uint64_t page = (hva - (uintptr_t)d->hva) >> MON_PAGE_SHIFT;
	uint64_t first = page & ~(u->window - 1);
	uint64_t end = first + u->window;

	if (u->window <= 1)
		return;
	if (end > d->size >> MON_PAGE_SHIFT)
		end = d->size >> MON_PAGE_SHIFT;
	/* Ahead of the fault first: a guest walking upwards goes there next. */
	readahead_range(u, dimm, page + 1, end);
	readahead_range(u, dimm, first, page);
}

/* Resolve a batch of messages, account for them, then read ahead. */
static void handle_batch(struct mon_uffd *u, const struct uffd_msg *msgs, unsigned n,
			 uint64_t t_read)
{
	int res[UFFD_BATCH], dimm[UFFD_BATCH];
	uint64_t t_done[UFFD_BATCH];

	/* The faulting threads wait for this, not for the bookkeeping: resolve first. */
	for (unsigned i = 0; i < n; i++) {
		const struct uffd_msg *m = &msgs[i];

		dimm[i] = -1;
		res[i] = 0;
		t_done[i] = t_read;
		if (m->event != UFFD_EVENT_PAGEFAULT)
			continue;
		dimm[i] = dimm_of_hva(u->mem, m->arg.pagefault.address);
		if (dimm[i] < 0)
			continue;
		res[i] = resolve_fault(u, m->arg.pagefault.address & ~(MON_PAGE_SIZE - 1),
				       m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE);
		t_done[i] = monitor_now_ns();
	}
	pthread_mutex_lock(&u->lock);
	u->batches++;
	if (n > u->max_batch)
		u->max_batch = n;
	for (unsigned i = 0; i < n; i++) {
		if (msgs[i].event != UFFD_EVENT_PAGEFAULT)
			u->other_msgs++;
		else if (dimm[i] < 0)
			u->outside++;
		else
			account_fault(u, &msgs[i], dimm[i], t_read, t_done[i], res[i]);
	}
	pthread_mutex_unlock(&u->lock);
	for (unsigned i = 0; i < n; i++)
		if (dimm[i] >= 0 && res[i] > 0)
			readahead_window(u, dimm[i], msgs[i].arg.pagefault.address);
}

/*
 * A resolver hit an error it cannot go on from. Nobody would resolve the
 * guest's next missing page and the vCPU would block in KVM for ever, so
 * (once, whichever resolver gets here first) unregister every DIMM: the
 * kernel wakes the faults pending in those ranges and resolves later ones
 * itself. Monitoring stops; the guest runs on; the summary says why.
 */
static void give_up(struct mon_uffd *u, const char *what, int error)
{
	bool first;

	pthread_mutex_lock(&u->lock);
	first = !u->gave_up;
	u->gave_up = true;
	u->last_errno = error;
	pthread_mutex_unlock(&u->lock);
	if (!first)
		return;
	for (unsigned i = 0; i < u->mem->nr; i++) {
		struct uffdio_range r = { .start = (uintptr_t)u->mem->dimms[i].hva,
					  .len = u->mem->dimms[i].size };

		ioctl(u->fd, UFFDIO_UNREGISTER, &r);
	}
	fprintf(stderr, "vmm: monitor uffd: %s: %s: monitoring stopped, the guest runs on\n",
		what, strerror(error));
}

/* A resolver thread: read and resolve until the fd is empty, then sleep in poll(). */
static void *resolver_main(void *arg)
{
	struct mon_uffd *u = arg;
	struct uffd_msg msgs[UFFD_BATCH];

	while (!atomic_load_explicit(&u->stop, memory_order_relaxed)) {
		struct pollfd p[2] = { { .fd = u->fd, .events = POLLIN },
				       { .fd = u->stop_fd, .events = POLLIN } };
		ssize_t n = read(u->fd, msgs, sizeof(msgs));

		if (n > 0) {
			handle_batch(u, msgs, (unsigned)((size_t)n / sizeof(msgs[0])),
				     monitor_now_ns());
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			give_up(u, "reading the userfaultfd", errno);
			break;
		}
		/* Empty (or another resolver took the message): sleep until the next one. */
		if (poll(p, 2, -1) < 0 && errno != EINTR) {
			give_up(u, "polling the userfaultfd", errno);
			break;
		}
		if (p[1].revents)
			break;
	}
	return NULL;
}

/*
 * Lock held: move every read-ahead page that has since been written (now
 * an exclusively mapped private page, no longer the zero page) to touched.
 */
static void reconcile_readahead(struct mon_uffd *u)
{
	uint64_t entries[PAGEMAP_CHUNK];

	if (u->pagemap_fd < 0 || u->pagemap_failed)
		return;
	for (unsigned i = 0; i < u->mem->nr; i++) {
		struct uffd_dimm_stats *ds = &u->dimms[i];
		uint64_t vpn0 = (uintptr_t)u->mem->dimms[i].hva >> MON_PAGE_SHIFT;
		uint64_t p = page_bitmap_next_set(&ds->readahead, 0);

		while (p < ds->readahead.nr_pages) {
			uint64_t n = ds->readahead.nr_pages - p;
			ssize_t got;

			if (n > PAGEMAP_CHUNK)
				n = PAGEMAP_CHUNK;
			got = pread(u->pagemap_fd, entries, n * sizeof(uint64_t),
				    (off_t)((vpn0 + p) * sizeof(uint64_t)));
			if (got < (ssize_t)sizeof(uint64_t)) {
				u->pagemap_failed = true;
				return;
			}
			n = (uint64_t)got / sizeof(uint64_t);
			for (uint64_t k = 0; k < n; k++) {
				uint64_t e = entries[k];

				if (!page_bitmap_test(&ds->readahead, p + k) ||
				    (e & (PAGEMAP_PRESENT | PAGEMAP_EXCLUSIVE)) !=
					    (PAGEMAP_PRESENT | PAGEMAP_EXCLUSIVE))
					continue;
				page_bitmap_clear(&ds->readahead, p + k);
				if (page_bitmap_set(&ds->touched, p + k))
					ds->readahead_written++;
			}
			p = page_bitmap_next_set(&ds->readahead, p + n);
		}
	}
}

/* Maps, userfaultfd, one registration per DIMM, then the resolver threads. */
int mon_uffd_start(struct mon_uffd **out, const struct guest_mem *mem, pid_t vcpu_tid,
		   uint64_t start_ns, unsigned window, struct vmm_err *err)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_THREAD_ID };
	struct mon_uffd *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (!u)
		return err_set(err, "uffd: out of memory");
	u->fd = u->stop_fd = u->pagemap_fd = -1;
	u->mem = mem;
	u->vcpu_tid = vcpu_tid;
	u->start_ns = start_ns;
	u->window = window ? window : 1;
	pthread_mutex_init(&u->lock, NULL);
	atomic_init(&u->stop, false);
	u->dimms = calloc(mem->nr, sizeof(*u->dimms));
	if (!u->dimms || posix_memalign(&u->zero_page, MON_PAGE_SIZE, MON_PAGE_SIZE)) {
		err_set(err, "uffd: out of memory");
		goto fail;
	}
	memset(u->zero_page, 0, MON_PAGE_SIZE);
	for (unsigned i = 0; i < mem->nr; i++) {
		uint64_t pages = mem->dimms[i].size >> MON_PAGE_SHIFT;

		if (page_bitmap_init(&u->dimms[i].touched, pages) ||
		    page_bitmap_init(&u->dimms[i].readahead, pages)) {
			err_set(err, "uffd: out of memory for the page maps of DIMM %u", i);
			goto fail;
		}
	}
	if (u->window > 1) {
		u->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (u->pagemap_fd < 0) {
			err_set(err, "uffd: /proc/self/pagemap (needed with read-ahead): %s",
				strerror(errno));
			goto fail;
		}
	}

	u->fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0) {
		err_set(err, "uffd: userfaultfd: %s%s", strerror(errno),
			errno == EPERM ? " (needs CAP_SYS_PTRACE or vm.unprivileged_userfaultfd=1)"
				       : "");
		goto fail;
	}
	if (ioctl(u->fd, UFFDIO_API, &api) < 0) {
		err_set(err, "uffd: UFFDIO_API with UFFD_FEATURE_THREAD_ID: %s", strerror(errno));
		goto fail;
	}
	for (unsigned i = 0; i < mem->nr; i++) {
		struct uffdio_register reg = {
			.range.start = (uintptr_t)mem->dimms[i].hva,
			.range.len = mem->dimms[i].size,
			.mode = UFFDIO_REGISTER_MODE_MISSING,
		};
		uint64_t need = (1ull << _UFFDIO_COPY) | (1ull << _UFFDIO_ZEROPAGE) |
				(1ull << _UFFDIO_WAKE);

		if (ioctl(u->fd, UFFDIO_REGISTER, &reg) < 0) {
			err_set(err, "uffd: UFFDIO_REGISTER of DIMM %u (0x%" PRIx64 "+0x%" PRIx64
				"): %s", i, mem->dimms[i].gpa, mem->dimms[i].size, strerror(errno));
			goto fail;
		}
		if ((reg.ioctls & need) != need) {
			err_set(err, "uffd: UFFDIO_COPY, ZEROPAGE or WAKE not offered on DIMM %u",
				i);
			goto fail;
		}
	}
	u->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (u->stop_fd < 0) {
		err_set(err, "uffd: eventfd: %s", strerror(errno));
		goto fail;
	}
	for (unsigned i = 0; i < UFFD_THREADS; i++) {
		int rc = pthread_create(&u->threads[i], NULL, resolver_main, u);

		if (rc) {
			err_set(err, "uffd: cannot start resolver thread %u: %s", i, strerror(rc));
			goto fail;
		}
		u->nr_threads++;
	}
	*out = u;
	return 0;
fail:
	mon_uffd_stop(u);
	return -1;
}

/* Per-DIMM figures (lock held, read-ahead reconciled). */
static json_t *dimms_json(struct mon_uffd *u)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < u->mem->nr; i++) {
		const struct uffd_dimm_stats *ds = &u->dimms[i];
		json_t *o = json_pack("{s:i,s:I,s:I,s:I,s:I,s:I}", "dimm", (int)i,
				      "gpa", (json_int_t)u->mem->dimms[i].gpa,
				      "pages", (json_int_t)ds->touched.nr_pages,
				      "touched_pages", (json_int_t)ds->touched.nr_set,
				      "faults", (json_int_t)(ds->by_vcpu + ds->by_vmm),
				      "faults_by_vcpu", (json_int_t)ds->by_vcpu);

		if (!o)
			continue;
		json_object_set_new(o, "faults_by_vmm", json_integer((json_int_t)ds->by_vmm));
		json_object_set_new(o, "fault_reads", json_integer((json_int_t)ds->reads));
		json_object_set_new(o, "fault_writes", json_integer((json_int_t)ds->writes));
		json_object_set_new(o, "readahead_written",
				    json_integer((json_int_t)ds->readahead_written));
		json_object_set_new(o, "readahead_faulted",
				    json_integer((json_int_t)ds->readahead_faulted));
		json_object_set_new(o, "readahead_untouched",
				    json_integer((json_int_t)ds->readahead.nr_set));
		json_array_append_new(a, o);
	}
	return a;
}

/* Totals (lock held). */
static json_t *totals_json(struct mon_uffd *u)
{
	uint64_t touched = 0;
	json_t *o;

	for (unsigned i = 0; i < u->mem->nr; i++)
		touched += u->dimms[i].touched.nr_set;
	o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "touched_pages", (json_int_t)touched,
		      "faults", (json_int_t)u->faults, "raced", (json_int_t)u->raced,
		      "failed", (json_int_t)u->failed, "window_pages", (json_int_t)u->window,
		      "readahead_pages", (json_int_t)u->readahead_total);
	if (!o)
		return NULL;
	json_object_set_new(o, "batches", json_integer((json_int_t)u->batches));
	json_object_set_new(o, "max_batch", json_integer((json_int_t)u->max_batch));
	json_object_set_new(o, "outside", json_integer((json_int_t)u->outside));
	json_object_set_new(o, "other_messages", json_integer((json_int_t)u->other_msgs));
	json_object_set_new(o, "pagemap_failed", json_boolean(u->pagemap_failed));
	json_object_set_new(o, "latency_ns_p50",
			    json_integer((json_int_t)log2_hist_percentile(&u->latency, 50)));
	json_object_set_new(o, "latency_ns_p99",
			    json_integer((json_int_t)log2_hist_percentile(&u->latency, 99)));
	return o;
}

/* Totals and per-DIMM counts, read-ahead reconciled first. */
json_t *mon_uffd_json(struct mon_uffd *u)
{
	json_t *o;

	pthread_mutex_lock(&u->lock);
	reconcile_readahead(u);
	o = totals_json(u);
	if (o)
		json_object_set_new(o, "dimms", dimms_json(u));
	pthread_mutex_unlock(&u->lock);
	return o;
}

/* query-faults: also the latency histogram and the recent events. */
json_t *mon_uffd_faults_json(struct mon_uffd *u)
{
	json_t *o, *ev;
	uint64_t first;

	pthread_mutex_lock(&u->lock);
	reconcile_readahead(u);
	o = totals_json(u);
	ev = json_array();
	if (o && ev) {
		json_object_set_new(o, "dimms", dimms_json(u));
		json_object_set_new(o, "latency_ns", log2_hist_json(&u->latency));
		first = u->ring_next > UFFD_EVENT_RING ? u->ring_next - UFFD_EVENT_RING : 0;
		for (uint64_t i = first; i < u->ring_next; i++) {
			const struct uffd_event *e = &u->ring[i % UFFD_EVENT_RING];

			json_t *j = json_pack("{s:I,s:i,s:i,s:i,s:s,s:I,s:I}",
					      "gpa", (json_int_t)e->gpa, "dimm", (int)e->dimm,
					      "vcpu", e->vcpu, "tid", (int)e->tid,
					      "access", e->write ? "write" : "read",
					      "time_ns", (json_int_t)e->time_ns,
					      "latency_ns", (json_int_t)e->latency_ns);

			json_array_append_new(ev, j);
		}
		json_object_set_new(o, "events_dropped", json_integer((json_int_t)first));
		json_object_set_new(o, "events", ev);
		ev = NULL;
	}
	json_decref(ev);
	pthread_mutex_unlock(&u->lock);
	return o;
}

/* Touched pages of one DIMM as "first-last" GPA runs on one line, at most @max runs. */
static void print_runs(const struct mon_uffd *u, unsigned dimm, unsigned max, FILE *out)
{
	const struct page_bitmap *b = &u->dimms[dimm].touched;
	uint64_t gpa = u->mem->dimms[dimm].gpa;
	uint64_t p = page_bitmap_next_set(b, 0);
	unsigned runs = 0;

	fprintf(out, "monitor uffd: DIMM %u touched runs:", dimm);
	while (p < b->nr_pages) {
		uint64_t q = p;

		while (q + 1 < b->nr_pages && page_bitmap_test(b, q + 1))
			q++;
		if (runs++ < max)
			fprintf(out, " 0x%" PRIx64 "-0x%" PRIx64, gpa + (p << MON_PAGE_SHIFT),
				gpa + ((q + 1) << MON_PAGE_SHIFT) - 1);
		p = page_bitmap_next_set(b, q + 1);
	}
	if (runs > max)
		fprintf(out, " (%u more)", runs - max);
	fputc('\n', out);
}

/* Runs listed per DIMM in the summary (the guest workload's range among them). */
#define UFFD_SUMMARY_RUNS 64

/* The end-of-run uffd lines, with each DIMM's touched runs. */
void mon_uffd_summary(struct mon_uffd *u, FILE *out)
{
	pthread_mutex_lock(&u->lock);
	reconcile_readahead(u);
	fprintf(out, "monitor uffd: %" PRIu64 " faults, %" PRIu64 " raced, %" PRIu64
		" failed, %" PRIu64 " batches (largest %" PRIu64 "), latency p50 < %" PRIu64
		" ns, p99 < %" PRIu64 " ns, max %" PRIu64 " ns; read-ahead window %" PRIu64
		" pages, %" PRIu64 " pages read ahead\n", u->faults, u->raced, u->failed,
		u->batches, u->max_batch, log2_hist_percentile(&u->latency, 50),
		log2_hist_percentile(&u->latency, 99), u->latency.max, u->window,
		u->readahead_total);
	if (u->failed)
		fprintf(out, "monitor uffd: last failure: %s\n", strerror(u->last_errno));
	if (u->gave_up)
		fprintf(out, "monitor uffd: stopped early (%s): the counts cover the run until then\n",
			strerror(u->last_errno));
	if (u->pagemap_failed)
		fprintf(out, "monitor uffd: /proc/self/pagemap failed: written read-ahead pages "
			"are not counted\n");
	for (unsigned i = 0; i < u->mem->nr; i++) {
		const struct uffd_dimm_stats *ds = &u->dimms[i];

		fprintf(out, "monitor uffd: DIMM %u at 0x%" PRIx64 ": %" PRIu64 " of %" PRIu64
			" pages touched (faults: vcpu %" PRIu64 ", vmm %" PRIu64 ", read %" PRIu64
			", write %" PRIu64 "; read-ahead: %" PRIu64 " written, %" PRIu64
			" faulted, %" PRIu64 " untouched)\n", i, u->mem->dimms[i].gpa,
			ds->touched.nr_set, ds->touched.nr_pages, ds->by_vcpu, ds->by_vmm,
			ds->reads, ds->writes, ds->readahead_written, ds->readahead_faulted,
			ds->readahead.nr_set);
		print_runs(u, i, UFFD_SUMMARY_RUNS, out);
	}
	pthread_mutex_unlock(&u->lock);
}

/* Stop the resolvers, close the fd (unregistering the DIMMs), free. */
void mon_uffd_stop(struct mon_uffd *u)
{
	if (!u)
		return;
	atomic_store(&u->stop, true);
	if (u->stop_fd >= 0) {
		uint64_t one = 1;

		/* Cannot fail on a fresh eventfd; the threads also check u->stop. */
		if (write(u->stop_fd, &one, sizeof(one)) < 0)
			u->last_errno = errno;
	}
	for (unsigned i = 0; i < u->nr_threads; i++)
		pthread_join(u->threads[i], NULL);
	/* Closing unregisters every range and wakes any thread still waiting. */
	if (u->fd >= 0)
		close(u->fd);
	if (u->stop_fd >= 0)
		close(u->stop_fd);
	if (u->pagemap_fd >= 0)
		close(u->pagemap_fd);
	for (unsigned i = 0; u->dimms && i < u->mem->nr; i++) {
		page_bitmap_free(&u->dimms[i].touched);
		page_bitmap_free(&u->dimms[i].readahead);
	}
	free(u->dimms);
	free(u->zero_page);
	pthread_mutex_destroy(&u->lock);
	free(u);
}
