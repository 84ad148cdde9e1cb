/* SPDX-License-Identifier: MIT */
/*
 * The dump text of --dump-pagetables (pagetable_dump.h). The runs are
 * formed exactly as the guest's ptdump forms them (guest/arch/x86/mm/
 * ptdump.c, after Linux's arch/x86/mm/dump_pagetables.c): consecutive
 * entries with the same printed bits at the same level make one line, a
 * run never crosses a region marker, and accessed/dirty bits do not split
 * runs. Any difference between the two dumps is then a difference in what
 * the two sides read, which is what tests/integration/ptdump_host.sh looks
 * for.
 */
#include "pagetable_dump.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../shared/ptdump_markers.h"

/* CPUID.80000001H:EDX[26]: 1 GiB pages. */
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_EDX_GBPAGES (1u << 26)

/* Units of the size column, as Linux's ptdump prints them. */
#define SIZE_UNITS "BKMGTPE"
#define SIZE_UNIT_SHIFT 10
#define SIZE_COLUMN_WIDTH 9

static const struct ptdump_marker markers[] = PTDUMP_MARKERS;
#define NR_MARKERS (sizeof(markers) / sizeof(markers[0]))

/* The run being accumulated and where it goes. */
struct dump_state {
	FILE *out;
	FILE *diag;
	uint64_t start;
	uint64_t prot; /* printed bits of the run, 0 if not present */
	enum pt_level level;
	unsigned next_marker;
	bool started;
	unsigned lines;     /* written */
	unsigned max_lines; /* then only counted: */
	unsigned long long lines_dropped;
};

/* Whether one more line may be written; counts it as dropped if not. */
static bool line_room(struct dump_state *st)
{
	if (st->lines < st->max_lines) {
		st->lines++;
		return true;
	}
	st->lines_dropped++;
	return false;
}

/* The 30 flag columns of a present run, Linux's widths. */
static void put_flags(FILE *out, uint64_t prot, enum pt_level level)
{
	bool large = level == PT_LEVEL_PUD || level == PT_LEVEL_PMD;
	bool pat = level == PT_LEVEL_PTE ? prot & PT_PAT : large && (prot & PT_PAT_LARGE);

	fprintf(out, "%s%s%s%s%s%s%s%s", prot & PT_USER ? "USR " : "    ",
		prot & PT_RW ? "RW " : "ro ", prot & PT_PWT ? "PWT " : "    ",
		prot & PT_PCD ? "PCD " : "    ", large && (prot & PT_PSE) ? "PSE " : "    ",
		pat ? "PAT " : "    ", prot & PT_GLOBAL ? "GLB " : "    ",
		prot & PT_NX ? "NX " : "x  ");
}

/* Print the run [st->start, @end) (@end 0 means the top of the address space). */
static void print_run(struct dump_state *st, uint64_t end)
{
	static const char units[] = SIZE_UNITS;
	uint64_t size = end - st->start;
	unsigned unit = 0;

	if (!line_room(st))
		return;
	while (!(size & ((1ULL << SIZE_UNIT_SHIFT) - 1)) && units[unit + 1]) {
		size >>= SIZE_UNIT_SHIFT;
		unit++;
	}
	fprintf(st->out, "0x%016" PRIx64 "-0x%016" PRIx64 "   %*" PRIu64 "%c ", st->start, end,
		SIZE_COLUMN_WIDTH, size, units[unit]);
	if (st->prot & PT_PRESENT)
		put_flags(st->out, st->prot, st->level);
	else
		fprintf(st->out, "%30s", "");
	fprintf(st->out, "%s\n", pt_level_name(st->level));
}

/* Print the markers of the regions @addr has reached. */
static void print_markers(struct dump_state *st, uint64_t addr)
{
	while (st->next_marker < NR_MARKERS && addr >= markers[st->next_marker].start) {
		if (line_room(st))
			fprintf(st->out, "---[ %s ]---\n", markers[st->next_marker].name);
		st->next_marker++;
	}
}

/* pt_walk_ops.note: extend the run, or print it and start a new one. */
static void note(void *ctx, uint64_t addr, enum pt_level level, uint64_t prot)
{
	struct dump_state *st = ctx;

	if (!st->started) {
		st->started = true;
		st->start = addr;
		st->prot = prot;
		st->level = level;
		return;
	}
	if (prot == st->prot && level == st->level &&
	    (st->next_marker >= NR_MARKERS || addr < markers[st->next_marker].start))
		return;
	print_run(st, addr);
	print_markers(st, addr);
	st->start = addr;
	st->prot = prot;
	st->level = level;
}

/* pt_walk_ops.problem: one line in the dump, and the same on stderr. */
static void problem(void *ctx, const char *line)
{
	struct dump_state *st = ctx;

	if (line_room(st))
		fprintf(st->out, "%s\n", line);
	if (st->diag)
		fprintf(st->diag, "vmm: %s\n", line);
}

/* Write one dump (see header). */
struct pt_walk_result pagetable_dump_write(FILE *out, FILE *diag, const struct guest_mem *mem,
					   const struct pt_walk_cpu *cpu, unsigned max_lines,
					   unsigned *lines)
{
	static const struct pt_walk_ops ops = { .note = note, .problem = problem };
	struct dump_state st = { .out = out, .diag = diag, .level = PT_LEVEL_PGD,
				 .max_lines = max_lines };
	struct pt_walk_result res;

	print_markers(&st, 0);
	res = pt_walk(mem, cpu, &ops, &st);
	/* The last run ends at the top of the address space, printed as 0 (wrapped). */
	if (st.started)
		print_run(&st, 0);
	if (st.lines_dropped)
		fprintf(out, "ptdump: %llu more lines not written: the limit of %u lines "
			     "is reached\n", st.lines_dropped, max_lines);
	if (lines)
		*lines = st.lines;
	return res;
}

/* Whether the CPUID the VMM gives the guest offers 1 GiB pages. */
static bool cpu_has_gbpages(const struct x86_cpu_info *cpu)
{
	if (!cpu || !cpu->cpuid)
		return false;
	for (uint32_t i = 0; i < cpu->cpuid->nent; i++)
		if (cpu->cpuid->entries[i].function == CPUID_EXT_FEATURES)
			return cpu->cpuid->entries[i].edx & CPUID_EXT_EDX_GBPAGES;
	return false;
}

/* Create the file and remember the machine (see header). */
int pagetable_dump_open(struct pagetable_dump *d, const char *path, const struct guest_mem *mem,
			struct kvm_vm *vm, const struct x86_cpu_info *cpu, FILE *diag,
			struct vmm_err *err)
{
	memset(d, 0, sizeof(*d));
	d->out = fopen(path, "w");
	if (!d->out)
		return err_set(err, "cannot create --dump-pagetables file '%s': %s", path,
			       strerror(errno));
	d->path = path;
	d->diag = diag;
	d->mem = mem;
	d->vm = vm;
	d->phys_bits = cpu ? cpu->phys_bits : 0;
	d->gbpages = cpu_has_gbpages(cpu);
	d->lines_left = PTDUMP_FILE_MAX_LINES;
	return 0;
}

/* Say once that the file is not getting what it should. */
static void note_write_error(struct pagetable_dump *d)
{
	if (d->write_failed || !ferror(d->out))
		return;
	d->write_failed = true;
	fprintf(d->diag, "vmm: writing --dump-pagetables file '%s' failed: dumps are lost\n",
		d->path);
}

/*
 * Append one section: a header line naming it (@what, e.g. "request 1 tag
 * 0x7"), the dump of the vCPU's current tables, and an end line with the
 * counts, so a reader can tell a complete section from a cut one.
 */
static void write_section(struct pagetable_dump *d, const char *what)
{
	struct kvm_sregs sregs;
	struct pt_walk_cpu cpu = { 0 };
	struct pt_walk_result res;
	unsigned lines = 0;

	if (!d->out)
		return;
	memset(&sregs, 0, sizeof(sregs));
	if (ioctl(d->vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
		fprintf(d->out, "# memlab ptdump %s: KVM_GET_SREGS failed: %s\n", what,
			strerror(errno));
		fprintf(d->diag, "vmm: --dump-pagetables %s: KVM_GET_SREGS: %s\n", what,
			strerror(errno));
		note_write_error(d);
		return;
	}
	cpu.cr0 = sregs.cr0;
	cpu.cr3 = sregs.cr3;
	cpu.cr4 = sregs.cr4;
	cpu.efer = sregs.efer;
	cpu.phys_bits = d->phys_bits;
	cpu.gbpages = d->gbpages;
	fprintf(d->out, "# memlab ptdump %s: cr3 0x%016" PRIx64 "\n", what, (uint64_t)sregs.cr3);
	res = pagetable_dump_write(d->out, d->diag, d->mem, &cpu, d->lines_left, &lines);
	d->lines_left -= lines;
	if (!d->lines_left && !d->lines_reported) {
		d->lines_reported = true;
		fprintf(d->diag,
			"vmm: --dump-pagetables: %u dump lines written to '%s', the limit: "
			"later dumps are cut\n", PTDUMP_FILE_MAX_LINES, d->path);
	}
	fprintf(d->out, "# memlab ptdump end %s: %u lines, %u tables, %u problems\n", what, lines,
		res.tables, res.problems);
	fflush(d->out);
	note_write_error(d);
}

/* A guest request (see header). */
void pagetable_dump_request(struct pagetable_dump *d, uint32_t tag)
{
	char what[64];

	d->requests++;
	if (d->requests > PTDUMP_MAX_REQUESTS) {
		if (!d->requests_reported)
			fprintf(d->diag,
				"vmm: --dump-pagetables: the guest asked for more than %u dumps; "
				"request %u (tag 0x%" PRIx32 ") and later are ignored\n",
				PTDUMP_MAX_REQUESTS, d->requests, tag);
		d->requests_reported = true;
		return;
	}
	snprintf(what, sizeof(what), "request %u tag 0x%" PRIx32, d->requests, tag);
	write_section(d, what);
}

/* The end of the run (see header). */
void pagetable_dump_exit(struct pagetable_dump *d, int status)
{
	char what[64];

	snprintf(what, sizeof(what), "exit status %d", status);
	write_section(d, what);
}

/* Close and report lost output (see header). */
int pagetable_dump_close(struct pagetable_dump *d, struct vmm_err *err)
{
	int bad;

	if (!d->out)
		return 0;
	bad = ferror(d->out);
	if (fclose(d->out) != 0)
		bad = 1;
	d->out = NULL;
	if (bad)
		return err_set(err, "writing --dump-pagetables file '%s' failed: dumps are lost",
			       d->path);
	return 0;
}
