/* SPDX-License-Identifier: MIT */
#include "access_log.h"

#include <inttypes.h>
#include <string.h>

#include "hash.h"

#define NR_SLOTS (ACCESS_LOG_MAX_ADDRS * 2)

void access_log_init(struct access_log *log, FILE *out)
{
	memset(log, 0, sizeof(*log));
	log->out = out;
}

bool access_log_note(struct access_log *log, enum access_kind kind, uint64_t addr, bool is_write)
{
	/*
	 * Guest-physical addresses are below 2^52 and ports below 2^16, so the
	 * shifted address, kind, direction and a never-zero marker all fit.
	 */
	uint64_t key = (addr << 2) | ((uint64_t)kind << 1) | (uint64_t)is_write | (1ull << 63);
	uint64_t i = hash_mix64(key) % NR_SLOTS;

	log->total++;
	for (unsigned probes = 0; probes < NR_SLOTS; probes++, i = (i + 1) % NR_SLOTS) {
		struct access_log_slot *s = &log->slots[i];

		if (s->key == key) {
			s->count++;
			return false;
		}
		if (s->key == 0) {
			if (log->nr_addrs >= ACCESS_LOG_MAX_ADDRS)
				break;
			s->key = key;
			s->count = 1;
			log->nr_addrs++;
			return true;
		}
	}
	log->nr_unlogged++;
	if (!log->overflow_reported) {
		log->overflow_reported = true;
		fprintf(log->out,
			"vmm: more than %u distinct unhandled addresses; further new ones are only counted\n",
			ACCESS_LOG_MAX_ADDRS);
	}
	return false;
}

void access_log_report(struct access_log *log, enum access_kind kind, uint64_t addr,
		       unsigned size, bool is_write, uint64_t value, uint64_t rip, const char *what)
{
	const char *unit = size == 1 ? "byte" : "bytes";

	if (kind == ACCESS_PIO) {
		if (is_write)
			fprintf(log->out,
				"vmm: unhandled port I/O write of %u %s to port 0x%" PRIx64
				" value 0x%" PRIx64 ", next RIP 0x%" PRIx64 ": ignored\n",
				size, unit, addr, value, rip);
		else
			fprintf(log->out,
				"vmm: unhandled port I/O read of %u %s from port 0x%" PRIx64
				" from RIP 0x%" PRIx64 ": reads return all ones\n",
				size, unit, addr, rip);
		return;
	}
	if (is_write)
		fprintf(log->out,
			"vmm: unhandled MMIO write of %u %s at GPA 0x%" PRIx64 " (%s) value 0x%" PRIx64
			", next RIP 0x%" PRIx64 ": ignored\n",
			size, unit, addr, what, value, rip);
	else
		fprintf(log->out,
			"vmm: unhandled MMIO read of %u %s at GPA 0x%" PRIx64 " (%s) from RIP 0x%" PRIx64
			": reads return all ones\n",
			size, unit, addr, what, rip);
}

void access_log_summary(const struct access_log *log)
{
	if (!log->total)
		return;
	fprintf(log->out, "vmm: %" PRIu64 " unhandled guest accesses, %u distinct (address, direction)",
		log->total, log->nr_addrs);
	if (log->nr_unlogged)
		fprintf(log->out, " (%" PRIu64 " more to addresses not tracked)", log->nr_unlogged);
	fputc('\n', log->out);
}
