/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM: one anonymous host mapping per DIMM, and the lookups that turn
 * a guest physical range into a host pointer only when the whole range is
 * backed by a single DIMM. Every address here may come from the guest or
 * from a hostile file, so no sum is formed that could wrap.
 */
#include "guest_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "size.h"

/* A DIMM's size goes straight to mmap(): the host must have 64-bit size_t. */
_Static_assert(sizeof(size_t) == sizeof(uint64_t), "64-bit host required");

/* Room for format_size() output such as "1023K" or an exact byte count. */
#define DIMM_SIZE_STR_MAX 32

/* qsort comparator: DIMMs by guest physical base. */
static int dimm_cmp(const void *a, const void *b)
{
	const struct guest_dimm *x = a, *y = b;

	return (x->gpa > y->gpa) - (x->gpa < y->gpa);
}

/* True if [gpa, gpa + size) is empty or runs past 2^64 (its end would wrap). */
static int dimm_bad_extent(uint64_t gpa, uint64_t size)
{
	/* A DIMM may end exactly at 2^64: its last byte is then UINT64_MAX. */
	return size == 0 || size - 1 > UINT64_MAX - gpa;
}

/* Report a DIMM as the user wrote it: SIZE@ADDR. */
static int dimm_err(struct vmm_err *err, const struct guest_dimm *d, const char *what,
		    const char *why)
{
	char sz[DIMM_SIZE_STR_MAX];

	return err_set(err, "%s DIMM %s@0x%llx: %s", what, format_size(d->size, sz, sizeof(sz)),
		       (unsigned long long)d->gpa, why);
}

/* Undo the first @nr mappings of @mem->dimms. */
static void unmap_first(struct guest_mem *mem, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++) {
		if (mem->dimms[i].hva)
			munmap(mem->dimms[i].hva, mem->dimms[i].size);
		mem->dimms[i].hva = NULL;
	}
}

/* Back every DIMM with its own host memory; slots follow address order. */
int guest_mem_map(struct guest_mem *mem, const struct dimm *dimms, unsigned nr,
		  struct vmm_err *err)
{
	struct guest_dimm *gd;

	mem->dimms = NULL;
	mem->nr = 0;
	if (nr == 0)
		return err_set(err, "no DIMMs to map");

	gd = calloc(nr, sizeof(*gd));
	if (!gd)
		return err_set(err, "cannot allocate %u DIMM descriptors: %s", nr, strerror(errno));
	for (unsigned i = 0; i < nr; i++) {
		gd[i].gpa = dimms[i].base;
		gd[i].size = dimms[i].size;
	}
	qsort(gd, nr, sizeof(*gd), dimm_cmp);

	/* layout_check() already refused these; the door stays shut anyway. */
	for (unsigned i = 0; i < nr; i++) {
		if (dimm_bad_extent(gd[i].gpa, gd[i].size)) {
			dimm_err(err, &gd[i], "cannot map", "empty or wraps around 2^64");
			goto fail;
		}
		if (i > 0 && gd[i].gpa - gd[i - 1].gpa < gd[i - 1].size) {
			dimm_err(err, &gd[i], "cannot map", "overlaps the DIMM below it");
			goto fail;
		}
	}

	mem->dimms = gd;
	for (unsigned i = 0; i < nr; i++) {
		void *p = mmap(NULL, gd[i].size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			dimm_err(err, &gd[i], "cannot map", strerror(errno));
			unmap_first(mem, i);
			mem->dimms = NULL;
			goto fail;
		}
		gd[i].hva = p;
		gd[i].slot = i;
	}
	mem->nr = nr;
	return 0;

fail:
	free(gd);
	return -1;
}

/* Release every DIMM; safe to call again, or on a map that failed. */
void guest_mem_unmap(struct guest_mem *mem)
{
	if (!mem)
		return;
	if (mem->dimms) {
		unmap_first(mem, mem->nr);
		free(mem->dimms);
	}
	mem->dimms = NULL;
	mem->nr = 0;
}

/* Binary search over the sorted DIMMs for the one holding @gpa. */
const struct guest_dimm *guest_mem_find(const struct guest_mem *mem, uint64_t gpa)
{
	unsigned lo = 0, hi = mem->nr;

	/* Invariant: every DIMM below lo starts at or below gpa, none from hi on does. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (mem->dimms[mid].gpa <= gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	/* The last DIMM starting at or below gpa; gpa - base cannot wrap. */
	if (gpa - mem->dimms[lo - 1].gpa >= mem->dimms[lo - 1].size)
		return NULL;
	return &mem->dimms[lo - 1];
}

/* The checked door: a host pointer only for a range inside one DIMM. */
void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	const struct guest_dimm *d = guest_mem_find(mem, gpa);
	uint64_t off;

	/* A found DIMM holds @gpa itself, which is all that len 0 (one byte) asks. */
	if (!d)
		return NULL;
	off = gpa - d->gpa; /* < d->size, so d->size - off >= 1 */
	if (len > d->size - off)
		return NULL;
	return d->hva + off;
}
