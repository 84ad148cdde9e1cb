/* SPDX-License-Identifier: MIT */
/*
 * kvm-stats: KVM's binary statistics (KVM_GET_STATS_FD, Linux 5.14+) of the
 * VM and of vCPU 0. The header, id and descriptors are read once; each
 * sample is a single pread() of the data block. Every statistic this kernel
 * offers is kept, under the name KVM gives it. Cumulative counters are also
 * reported as the change since monitoring started; for instantaneous values
 * the sampler keeps the largest value it saw (KVM's own peak-type stats are
 * maxima already). Histogram stats are kept as arrays of buckets.
 */
#include "monitor_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef KVM_GET_STATS_FD
#define KVM_GET_STATS_FD _IO(KVMIO, 0xce)
#endif

/* Bounds on what the kernel's header may ask of us. */
#define STATS_MAX_DESC 4096
#define STATS_MAX_NAME 1024
#define STATS_MAX_DATA (1u << 20)

struct stat_desc {
	char *name;
	uint32_t type;      /* KVM_STATS_TYPE_* */
	uint32_t offset;    /* in u64 words from the data block's start */
	uint16_t size;      /* u64 words */
};

struct stats_source {
	const char *label;  /* "vm", "vcpu0" */
	int fd;
	uint64_t data_offset;
	uint32_t nr_words;  /* data block size */
	unsigned nr_desc;
	struct stat_desc *desc;
	uint64_t *cur, *first, *peak; /* nr_words each */
	bool have_sample;
};

struct mon_kvm_stats {
	pthread_mutex_t lock;
	struct stats_source src[2];
	uint64_t samples;
};

/* Free one source's descriptors and buffers and close its fd. */
static void source_free(struct stats_source *s)
{
	for (unsigned i = 0; i < s->nr_desc; i++)
		free(s->desc[i].name);
	free(s->desc);
	free(s->cur);
	free(s->first);
	free(s->peak);
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* Read exactly @len bytes at @off. */
static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Read the data block into s->cur. */
static int source_read(struct stats_source *s)
{
	return pread_all(s->fd, s->cur, (size_t)s->nr_words * sizeof(uint64_t), s->data_offset);
}

/*
 * Open the stats fd of @ioctl_fd (a VM or vCPU fd) and read its header and
 * descriptors; every size and offset the kernel gives is checked.
 */
static int source_open(struct stats_source *s, const char *label, int ioctl_fd,
		       struct vmm_err *err)
{
	struct kvm_stats_header h;
	size_t desc_size;
	uint8_t *raw = NULL;

	memset(s, 0, sizeof(*s));
	s->label = label;
	s->fd = ioctl(ioctl_fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		return err_set(err, "kvm-stats: KVM_GET_STATS_FD on the %s: %s", label,
			       strerror(errno));
	if (pread_all(s->fd, &h, sizeof(h), 0) < 0)
		return err_set(err, "kvm-stats: cannot read the %s stats header", label);
	if (h.num_desc > STATS_MAX_DESC || h.name_size == 0 || h.name_size > STATS_MAX_NAME)
		return err_set(err, "kvm-stats: %s stats header out of bounds (%u descriptors, "
			       "names of %u bytes)", label, h.num_desc, h.name_size);
	desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	raw = malloc(desc_size * (h.num_desc ? h.num_desc : 1));
	s->desc = calloc(h.num_desc ? h.num_desc : 1, sizeof(*s->desc));
	if (!raw || !s->desc) {
		free(raw);
		return err_set(err, "kvm-stats: out of memory for %u descriptors", h.num_desc);
	}
	if (pread_all(s->fd, raw, desc_size * h.num_desc, h.desc_offset) < 0) {
		free(raw);
		return err_set(err, "kvm-stats: cannot read the %s stats descriptors", label);
	}
	for (unsigned i = 0; i < h.num_desc; i++) {
		const struct kvm_stats_desc *d = (const void *)(raw + i * desc_size);
		struct stat_desc *sd = &s->desc[i];
		uint64_t end = (uint64_t)d->offset / sizeof(uint64_t) + d->size;

		if (d->offset % sizeof(uint64_t) || d->size == 0 ||
		    end > STATS_MAX_DATA / sizeof(uint64_t)) {
			err_set(err, "kvm-stats: %s descriptor %u has offset %u size %u", label, i,
				d->offset, d->size);
			free(raw);
			return -1;
		}
		sd->name = strndup(d->name, h.name_size);
		if (!sd->name) {
			free(raw);
			return err_set(err, "kvm-stats: out of memory");
		}
		s->nr_desc = i + 1;
		sd->type = d->flags & KVM_STATS_TYPE_MASK;
		sd->offset = d->offset / sizeof(uint64_t);
		sd->size = d->size;
		if (end > s->nr_words)
			s->nr_words = (uint32_t)end;
	}
	free(raw);
	s->data_offset = h.data_offset;
	s->cur = calloc(s->nr_words ? s->nr_words : 1, sizeof(uint64_t));
	s->first = calloc(s->nr_words ? s->nr_words : 1, sizeof(uint64_t));
	s->peak = calloc(s->nr_words ? s->nr_words : 1, sizeof(uint64_t));
	if (!s->cur || !s->first || !s->peak)
		return err_set(err, "kvm-stats: out of memory");
	if (source_read(s) < 0)
		return err_set(err, "kvm-stats: cannot read the %s stats data", label);
	memcpy(s->first, s->cur, (size_t)s->nr_words * sizeof(uint64_t));
	memcpy(s->peak, s->cur, (size_t)s->nr_words * sizeof(uint64_t));
	s->have_sample = true;
	return 0;
}

/* Open and describe the VM's and vCPU 0's statistics; take the first sample. */
int mon_kvm_stats_start(struct mon_kvm_stats **out, struct kvm_vm *vm, struct vmm_err *err)
{
	struct mon_kvm_stats *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return err_set(err, "kvm-stats: out of memory");
	pthread_mutex_init(&s->lock, NULL);
	s->src[0].fd = s->src[1].fd = -1;
	if (source_open(&s->src[0], "vm", vm->vm_fd, err) < 0 ||
	    source_open(&s->src[1], "vcpu0", vm->vcpu_fd, err) < 0) {
		mon_kvm_stats_stop(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* Sampler thread: read both data blocks, update the sampled peaks. */
void mon_kvm_stats_sample(struct mon_kvm_stats *s)
{
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < 2; i++) {
		struct stats_source *src = &s->src[i];

		if (source_read(src) < 0)
			continue;
		for (uint32_t w = 0; w < src->nr_words; w++)
			if (src->cur[w] > src->peak[w])
				src->peak[w] = src->cur[w];
	}
	s->samples++;
	pthread_mutex_unlock(&s->lock);
}

/* One stat's value: a number, or an array for histograms. */
static json_t *stat_value(const uint64_t *block, const struct stat_desc *d)
{
	json_t *a;

	if (d->size == 1)
		return json_integer((json_int_t)block[d->offset]);
	a = json_array();
	for (unsigned j = 0; a && j < d->size; j++)
		json_array_append_new(a, json_integer((json_int_t)block[d->offset + j]));
	return a;
}

/* {"vm":{...},"vcpu0":{...}} plus "since_start" and "sampled_peak" objects. */
json_t *mon_kvm_stats_json(struct mon_kvm_stats *s)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < 2; i++) {
		const struct stats_source *src = &s->src[i];
		json_t *vals = json_object(), *delta = json_object(), *peak = json_object();

		for (unsigned k = 0; k < src->nr_desc; k++) {
			const struct stat_desc *d = &src->desc[k];
			uint64_t change;

			json_object_set_new(vals, d->name, stat_value(src->cur, d));
			if (d->size != 1)
				continue;
			change = src->cur[d->offset] - src->first[d->offset];
			if (d->type == KVM_STATS_TYPE_CUMULATIVE)
				json_object_set_new(delta, d->name,
						    json_integer((json_int_t)change));
			else if (d->type == KVM_STATS_TYPE_INSTANT)
				json_object_set_new(peak, d->name,
						    json_integer((json_int_t)src->peak[d->offset]));
		}
		json_object_set_new(vals, "since_start", delta);
		json_object_set_new(vals, "sampled_peak", peak);
		json_object_set_new(o, src->label, vals);
	}
	json_object_set_new(o, "samples", json_integer((json_int_t)s->samples));
	pthread_mutex_unlock(&s->lock);
	return o;
}

/* One line per non-zero scalar stat: value, and the change for counters. */
void mon_kvm_stats_summary(struct mon_kvm_stats *s, FILE *out)
{
	mon_kvm_stats_sample(s);
	pthread_mutex_lock(&s->lock);
	fprintf(out, "monitor kvm-stats: %" PRIu64 " samples, %u VM and %u vCPU statistics\n",
		s->samples, s->src[0].nr_desc, s->src[1].nr_desc);
	for (unsigned i = 0; i < 2; i++) {
		const struct stats_source *src = &s->src[i];

		for (unsigned k = 0; k < src->nr_desc; k++) {
			const struct stat_desc *d = &src->desc[k];
			uint64_t v = src->cur[d->offset];

			if (d->size != 1 || (!v && !src->peak[d->offset]))
				continue;
			if (d->type == KVM_STATS_TYPE_CUMULATIVE)
				fprintf(out, "monitor kvm-stats: %s %s %" PRIu64 " (+%" PRIu64
					" while monitored)\n", src->label, d->name, v,
					v - src->first[d->offset]);
			else if (d->type == KVM_STATS_TYPE_INSTANT)
				fprintf(out, "monitor kvm-stats: %s %s %" PRIu64
					" (sampled peak %" PRIu64 ")\n", src->label, d->name, v,
					src->peak[d->offset]);
			else
				fprintf(out, "monitor kvm-stats: %s %s %" PRIu64 "\n", src->label,
					d->name, v);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* Close the stats fds and free the descriptors. */
void mon_kvm_stats_stop(struct mon_kvm_stats *s)
{
	if (!s)
		return;
	source_free(&s->src[0]);
	source_free(&s->src[1]);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
