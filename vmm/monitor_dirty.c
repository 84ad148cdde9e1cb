/* SPDX-License-Identifier: MIT */
/*
 * dirty: KVM's dirty logging on every memslot, sampled by the sampler thread.
 * Each DIMM's slot is registered again with KVM_MEM_LOG_DIRTY_PAGES (only
 * the flags change); each sample is one KVM_GET_DIRTY_LOG per slot, which
 * (without KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, not enabled here) returns the
 * pages written since the previous call and write-protects them again. The
 * result is, per DIMM, the pages written in the last interval and the union
 * of every interval since monitoring started (the written working set).
 *
 * The cost is on the guest's side: every first write to a page in an
 * interval is a write-protection fault that KVM handles without exiting.
 */
#include "monitor_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

struct dirty_dimm {
	uint64_t *sample;        /* the last KVM_GET_DIRTY_LOG bitmap */
	struct page_bitmap written; /* union since start */
	uint64_t last_interval;  /* pages written in the last interval */
	uint64_t peak_interval;
};

struct mon_dirty {
	struct kvm_vm *vm;
	const struct guest_mem *mem;
	unsigned nr_logging;     /* slots registered with the flag so far */
	pthread_mutex_t sample_lock; /* one sample at a time: the sampler's or the summary's */
	pthread_mutex_t lock;    /* the figures; the sample buffers are the sampler's */
	struct dirty_dimm *dimms;
	uint64_t samples, errors;
	int last_errno;
};

/* Register DIMM @i's memslot again with @flags. */
static int set_slot_flags(struct mon_dirty *d, unsigned i, uint32_t flags)
{
	const struct guest_dimm *gd = &d->mem->dimms[i];
	struct kvm_userspace_memory_region region = {
		.slot = gd->slot,
		.flags = flags,
		.guest_phys_addr = gd->gpa,
		.memory_size = gd->size,
		.userspace_addr = (uintptr_t)gd->hva,
	};

	return ioctl(d->vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
}

/* Allocate the maps and turn dirty logging on for every DIMM's slot. */
int mon_dirty_start(struct mon_dirty **out, struct kvm_vm *vm, const struct guest_mem *mem,
		    struct vmm_err *err)
{
	struct mon_dirty *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return err_set(err, "dirty: out of memory");
	d->vm = vm;
	d->mem = mem;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->sample_lock, NULL);
	d->dimms = calloc(mem->nr, sizeof(*d->dimms));
	if (!d->dimms) {
		err_set(err, "dirty: out of memory");
		goto fail;
	}
	for (unsigned i = 0; i < mem->nr; i++) {
		uint64_t pages = mem->dimms[i].size >> MON_PAGE_SHIFT;

		/* KVM writes whole longs: round the buffer up to 64 pages. */
		d->dimms[i].sample = calloc(pages / 64 + 1, sizeof(uint64_t));
		if (!d->dimms[i].sample || page_bitmap_init(&d->dimms[i].written, pages)) {
			err_set(err, "dirty: out of memory for the maps of DIMM %u", i);
			goto fail;
		}
	}
	for (unsigned i = 0; i < mem->nr; i++) {
		if (set_slot_flags(d, i, KVM_MEM_LOG_DIRTY_PAGES) < 0) {
			err_set(err, "dirty: KVM_SET_USER_MEMORY_REGION with "
				"KVM_MEM_LOG_DIRTY_PAGES for DIMM %u (slot %u): %s", i,
				mem->dimms[i].slot, strerror(errno));
			goto fail;
		}
		d->nr_logging++;
	}
	*out = d;
	return 0;
fail:
	mon_dirty_stop(d);
	return -1;
}

/* Sampler thread: fetch and reset every slot's log, fold it into the figures. */
void mon_dirty_sample(struct mon_dirty *d)
{
	pthread_mutex_lock(&d->sample_lock);
	for (unsigned i = 0; i < d->mem->nr; i++) {
		struct dirty_dimm *dd = &d->dimms[i];
		struct kvm_dirty_log log = { .slot = d->mem->dimms[i].slot };
		int rc;

		log.dirty_bitmap = dd->sample;
		rc = ioctl(d->vm->vm_fd, KVM_GET_DIRTY_LOG, &log);
		pthread_mutex_lock(&d->lock);
		if (rc < 0) {
			d->errors++;
			d->last_errno = errno;
		} else {
			dd->last_interval = bitmap_weight(dd->sample, dd->written.nr_pages);
			if (dd->last_interval > dd->peak_interval)
				dd->peak_interval = dd->last_interval;
			page_bitmap_or_words(&dd->written, dd->sample);
		}
		pthread_mutex_unlock(&d->lock);
	}
	pthread_mutex_lock(&d->lock);
	d->samples++;
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_unlock(&d->sample_lock);
}

/* Per-DIMM written pages, for --stats and query-faults. */
json_t *mon_dirty_json(struct mon_dirty *d)
{
	json_t *o, *a = json_array();

	pthread_mutex_lock(&d->lock);
	for (unsigned i = 0; a && i < d->mem->nr; i++) {
		const struct dirty_dimm *dd = &d->dimms[i];

		json_array_append_new(a, json_pack("{s:i,s:I,s:I,s:I,s:I,s:I}", "dimm", (int)i,
						   "gpa", (json_int_t)d->mem->dimms[i].gpa,
						   "pages", (json_int_t)dd->written.nr_pages,
						   "written_last_interval",
						   (json_int_t)dd->last_interval,
						   "written_peak_interval",
						   (json_int_t)dd->peak_interval,
						   "written_since_start",
						   (json_int_t)dd->written.nr_set));
	}
	o = json_pack("{s:I,s:I,s:o*}", "samples", (json_int_t)d->samples, "errors",
		      (json_int_t)d->errors, "dimms", a);
	pthread_mutex_unlock(&d->lock);
	return o;
}

/* The end-of-run dirty lines. */
void mon_dirty_summary(struct mon_dirty *d, FILE *out)
{
	/* The vCPU has stopped: one more sample closes the last interval. */
	mon_dirty_sample(d);
	pthread_mutex_lock(&d->lock);
	fprintf(out, "monitor dirty: %" PRIu64 " samples, %" PRIu64 " errors\n", d->samples,
		d->errors);
	if (d->errors)
		fprintf(out, "monitor dirty: last KVM_GET_DIRTY_LOG error: %s\n",
			strerror(d->last_errno));
	for (unsigned i = 0; i < d->mem->nr; i++) {
		const struct dirty_dimm *dd = &d->dimms[i];

		fprintf(out, "monitor dirty: DIMM %u at 0x%" PRIx64 ": %" PRIu64 " of %" PRIu64
			" pages written (peak %" PRIu64 " in one interval)\n", i,
			d->mem->dimms[i].gpa, dd->written.nr_set, dd->written.nr_pages,
			dd->peak_interval);
	}
	pthread_mutex_unlock(&d->lock);
}

/* Turn dirty logging off again and free everything. */
void mon_dirty_stop(struct mon_dirty *d)
{
	if (!d)
		return;
	/* Back to plain slots, in case the VM goes on running. */
	for (unsigned i = 0; i < d->nr_logging; i++)
		set_slot_flags(d, i, 0);
	for (unsigned i = 0; d->dimms && i < d->mem->nr; i++) {
		free(d->dimms[i].sample);
		page_bitmap_free(&d->dimms[i].written);
	}
	free(d->dimms);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->sample_lock);
	free(d);
}
