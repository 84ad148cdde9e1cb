/* SPDX-License-Identifier: MIT */
/*
 * The PVH kernel loader. The ELF file is hostile input: every header field
 * is checked before it is used, every sum is checked before it can wrap,
 * and nothing is written to guest memory until the whole file has been
 * accepted (elf_inspect() validates, elf_copy() writes). See
 * docs/elf-loading.md for what is accepted and every refusal.
 */
#include "elf_loader.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../shared/pvh.h"
#include "size.h"

/* Notes and headers are read in host order: both must be little endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host required");

/* A guest kernel image larger than this is refused before it is read. */
#define ELF_FILE_MAX (1ull << 30)

/*
 * Bounds on the work a file can ask for: each program header costs a check
 * against every loaded segment, and each PT_NOTE byte is walked (all-zero
 * bytes parse as valid empty 12-byte notes, and many headers may point at
 * the same bytes). A real kernel has a dozen headers and a few hundred
 * bytes of notes; these limits keep a hostile file's cost to milliseconds.
 */
#define ELF_PHNUM_MAX 1024
#define ELF_NOTE_BYTES_MAX (1ull << 20)

/* The vCPU starts in 32-bit mode: the PVH entry must be below 4 GiB. */
#define PVH_ENTRY_LIMIT (1ull << 32)

/* The PVH note's descriptor is a 32-bit or a 64-bit address. */
#define PVH_DESC_SIZE_32 4
#define PVH_DESC_SIZE_64 8

/* PT_NOTE segments aligned to 8 hold 8-byte-padded notes (gABI). */
#define NOTE_SEG_ALIGN_8 8

/* Room for a detail message (the whole line never exceeds it) and for format_size(). */
#define DETAIL_MAX VMM_ERR_MAX
#define SIZE_STR_MAX 32

/* Everything elf_inspect() carries from one check to the next. */
struct inspect {
	const char *name;
	const uint8_t *buf;
	uint64_t len;
	const struct guest_mem *mem;
	uint64_t rsv_start, rsv_end;
	struct elf_image *img;
	size_t load_idx[ELF_MAX_LOAD_SEGMENTS]; /* program header index of img->seg[i] */
	bool have_entry;
	uint64_t entry;
	uint64_t note_bytes; /* PT_NOTE bytes walked so far, at most ELF_NOTE_BYTES_MAX */
	struct vmm_err *err;
};

/* A refusal about the file as a whole: "NAME: detail". */
__attribute__((format(printf, 2, 3))) static int file_err(struct inspect *in, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return err_set(in->err, "%s: %s", in->name, detail);
}

/* A refusal about one program header: "NAME: segment I (TYPE, paddr X): detail". */
__attribute__((format(printf, 4, 5))) static int seg_err(struct inspect *in, size_t idx,
							  const GElf_Phdr *ph, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return err_set(in->err, "%s: segment %zu (%s, paddr 0x%llx): %s", in->name, idx,
		       ph->p_type == PT_LOAD ? "PT_LOAD" : "PT_NOTE",
		       (unsigned long long)ph->p_paddr, detail);
}

/* The libelf error of the call that just failed, as a refusal. */
static int libelf_err(struct inspect *in)
{
	return file_err(in, "libelf: %s", elf_errmsg(-1));
}

/* Name of an ELF class for messages. */
static const char *class_name(unsigned c)
{
	switch (c) {
	case ELFCLASSNONE:
		return "ELFCLASSNONE";
	case ELFCLASS32:
		return "ELFCLASS32";
	case ELFCLASS64:
		return "ELFCLASS64";
	default:
		return "invalid";
	}
}

/* Name of an ELF machine for messages: the ones a wrong build is likely to produce. */
static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "EM_386";
	case EM_X86_64:
		return "EM_X86_64";
	case EM_ARM:
		return "EM_ARM";
	case EM_AARCH64:
		return "EM_AARCH64";
	case EM_RISCV:
		return "EM_RISCV";
	default:
		return "unknown";
	}
}

/* Name of an ELF file type for messages. */
static const char *type_name(unsigned t)
{
	switch (t) {
	case ET_NONE:
		return "ET_NONE";
	case ET_REL:
		return "ET_REL";
	case ET_EXEC:
		return "ET_EXEC";
	case ET_DYN:
		return "ET_DYN";
	case ET_CORE:
		return "ET_CORE";
	default:
		return "unknown";
	}
}

/* A DIMM as the command line names it: SIZE@ADDR. */
static const char *dimm_name(const struct guest_dimm *d, char *buf, size_t len)
{
	char sz[SIZE_STR_MAX];

	snprintf(buf, len, "%s@0x%llx", format_size(d->size, sz, sizeof(sz)),
		 (unsigned long long)d->gpa);
	return buf;
}

/*
 * e_ident checked by hand before libelf sees the file: libelf would accept
 * ELFCLASS32 or big endian, and only a precise message helps the user.
 */
static int check_ident(struct inspect *in)
{
	const uint8_t *id = in->buf;

	if (in->len < SELFMAG)
		return file_err(in, "not an ELF file (%llu bytes, too short for the magic)",
				(unsigned long long)in->len);
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return file_err(in,
				"not an ELF file (starts %02x %02x %02x %02x, not 7f 45 4c 46)",
				id[0], id[1], id[2], id[3]);
	if (in->len < EI_NIDENT)
		return file_err(in, "truncated: %llu bytes, the ELF identification alone needs %d",
				(unsigned long long)in->len, EI_NIDENT);
	if (id[EI_CLASS] != ELFCLASS64)
		return file_err(in, "ELF class %s (%u), want ELFCLASS64", class_name(id[EI_CLASS]),
				id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return file_err(in, "ELF data encoding %u is not little endian (ELFDATA2LSB)",
				id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return file_err(in, "ELF version %u, want EV_CURRENT (%d)", id[EI_VERSION],
				EV_CURRENT);
	if (in->len < sizeof(Elf64_Ehdr))
		return file_err(in, "truncated: %llu bytes, the ELF header alone needs %zu",
				(unsigned long long)in->len, sizeof(Elf64_Ehdr));
	return 0;
}

/* Machine and file type: only a linked x86-64 executable has fixed addresses. */
static int check_ehdr(struct inspect *in, const GElf_Ehdr *eh)
{
	if (eh->e_machine != EM_X86_64)
		return file_err(in, "machine %s (%u), want EM_X86_64 (%d)",
				machine_name(eh->e_machine), eh->e_machine, EM_X86_64);
	if (eh->e_type != ET_EXEC)
		return file_err(in, "type %s (%u), want ET_EXEC (linked at fixed addresses)",
				type_name(eh->e_type), eh->e_type);
	return 0;
}

/* The program header table, @n entries at @phoff, must lie in the file. */
static int check_phdr_table(struct inspect *in, uint64_t phoff, size_t n)
{
	if (phoff > in->len || (in->len - phoff) / sizeof(Elf64_Phdr) < n)
		return file_err(in,
				"program header table (%zu entries at offset 0x%llx) "
				"runs past the end of the file (%llu bytes)",
				n, (unsigned long long)phoff, (unsigned long long)in->len);
	return 0;
}

/* Header fields that locate the program headers, then their number. */
static int get_phnum(struct inspect *in, Elf *elf, const GElf_Ehdr *eh, size_t *phnum)
{
	if (eh->e_phnum == 0)
		return file_err(in, "no program headers (e_phnum 0): nothing to load");
	/*
	 * Extended numbering moves the count to section 0 for 65535 or more
	 * program headers; no kernel needs that many, so it is not supported.
	 */
	if (eh->e_phnum == PN_XNUM)
		return file_err(in, "e_phnum is PN_XNUM (0x%x): extended program header "
				    "numbering is not supported", PN_XNUM);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return file_err(in, "e_phentsize %u, want %zu", eh->e_phentsize,
				sizeof(Elf64_Phdr));
	/* Checked here so that the message is ours, not libelf's "invalid data". */
	if (check_phdr_table(in, eh->e_phoff, eh->e_phnum))
		return -1;
	if (eh->e_phnum > ELF_PHNUM_MAX)
		return file_err(in,
				"%u program headers (e_phnum), more than the %d (ELF_PHNUM_MAX) "
				"a guest image may have",
				eh->e_phnum, ELF_PHNUM_MAX);
	if (elf_getphdrnum(elf, phnum) != 0)
		return libelf_err(in);
	/* libelf quietly shortens a table that runs off the file: never load a part. */
	if (*phnum != eh->e_phnum)
		return file_err(in, "libelf counts %zu program headers, e_phnum says %u", *phnum,
				eh->e_phnum);
	return 0;
}

/* [off, off + size) must be inside the file; names the overflow if it wraps. */
static int check_file_range(struct inspect *in, size_t idx, const GElf_Phdr *ph,
			    const char *what)
{
	if (ph->p_filesz > UINT64_MAX - ph->p_offset)
		return seg_err(in, idx, ph,
			       "%s: p_offset 0x%llx + p_filesz 0x%llx overflows 64 bits", what,
			       (unsigned long long)ph->p_offset,
			       (unsigned long long)ph->p_filesz);
	if (ph->p_offset > in->len || ph->p_filesz > in->len - ph->p_offset)
		return seg_err(in, idx, ph,
			       "%s [0x%llx, 0x%llx) runs past the end of the file (%llu bytes)",
			       what, (unsigned long long)ph->p_offset,
			       (unsigned long long)(ph->p_offset + ph->p_filesz),
			       (unsigned long long)in->len);
	return 0;
}

/* The first DIMM that starts above @gpa, or NULL. */
static const struct guest_dimm *dimm_above(const struct guest_mem *mem, uint64_t gpa)
{
	for (unsigned i = 0; i < mem->nr; i++)
		if (mem->dimms[i].gpa > gpa)
			return &mem->dimms[i];
	return NULL;
}

/*
 * [start, end) must be RAM of one DIMM; otherwise say where it went wrong:
 * a hole, beyond all RAM, or across DIMMs (each DIMM is its own memslot and
 * host mapping, so a segment cannot be copied across two).
 */
static int check_placement(struct inspect *in, size_t idx, const GElf_Phdr *ph, uint64_t start,
			   uint64_t end)
{
	const struct guest_mem *mem = in->mem;
	const struct guest_dimm *d = guest_mem_find(mem, start);
	const struct guest_dimm *next;
	char a[SIZE_STR_MAX * 2], b[SIZE_STR_MAX * 2];
	unsigned long long s = start, e = end;

	if (d) {
		uint64_t d_end = d->gpa + d->size; /* end > start >= gpa: no wrap if we use it */

		if (end - d->gpa <= d->size)
			return 0;
		next = d + 1 < mem->dimms + mem->nr ? d + 1 : NULL;
		if (next && next->gpa < end)
			return seg_err(in, idx, ph, "[0x%llx, 0x%llx) spans DIMMs %s and %s%s", s,
				       e, dimm_name(d, a, sizeof(a)), dimm_name(next, b, sizeof(b)),
				       next->gpa == d_end ? "" : " and the hole between them");
		return seg_err(in, idx, ph,
			       "[0x%llx, 0x%llx) runs past the end of DIMM %s "
			       "into a hole at 0x%llx",
			       s, e, dimm_name(d, a, sizeof(a)), (unsigned long long)d_end);
	}
	next = dimm_above(mem, start);
	if (!next) {
		if (mem->nr == 0)
			return seg_err(in, idx, ph, "[0x%llx, 0x%llx): there is no guest RAM",
				       s, e);
		d = &mem->dimms[mem->nr - 1];
		return seg_err(in, idx, ph,
			       "[0x%llx, 0x%llx) lies in a hole above all guest RAM "
			       "(the last DIMM %s ends at 0x%llx)",
			       s, e, dimm_name(d, a, sizeof(a)),
			       (unsigned long long)(d->gpa + d->size));
	}
	if (next->gpa >= end && next == mem->dimms)
		return seg_err(in, idx, ph,
			       "[0x%llx, 0x%llx) lies in the hole [0x0, 0x%llx) "
			       "below the first DIMM %s",
			       s, e, (unsigned long long)next->gpa, dimm_name(next, a, sizeof(a)));
	if (next->gpa >= end)
		return seg_err(in, idx, ph,
			       "[0x%llx, 0x%llx) lies in the hole [0x%llx, 0x%llx) "
			       "between DIMMs %s and %s",
			       s, e, (unsigned long long)(next[-1].gpa + next[-1].size),
			       (unsigned long long)next->gpa, dimm_name(&next[-1], a, sizeof(a)),
			       dimm_name(next, b, sizeof(b)));
	return seg_err(in, idx, ph, "[0x%llx, 0x%llx) starts in a hole and runs into DIMM %s", s,
		       e, dimm_name(next, a, sizeof(a)));
}

/* One PT_LOAD: every check that needs only it and the segments before it. */
static int add_load(struct inspect *in, size_t idx, const GElf_Phdr *ph)
{
	struct elf_image *img = in->img;
	uint64_t start = ph->p_paddr, end;

	if (ph->p_filesz > ph->p_memsz)
		return seg_err(in, idx, ph, "p_filesz 0x%llx > p_memsz 0x%llx",
			       (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	/* With nothing to copy the offset is never used, whatever it says. */
	if (ph->p_filesz && check_file_range(in, idx, ph, "file contents"))
		return -1;
	if (ph->p_memsz == 0)
		return 0; /* occupies no memory: nothing to load, nothing to check */
	if (ph->p_memsz > UINT64_MAX - start)
		return seg_err(in, idx, ph, "p_paddr 0x%llx + p_memsz 0x%llx overflows 64 bits",
			       (unsigned long long)start, (unsigned long long)ph->p_memsz);
	end = start + ph->p_memsz;
	if (img->nr_seg == ELF_MAX_LOAD_SEGMENTS)
		return seg_err(in, idx, ph, "more than %d PT_LOAD segments",
			       ELF_MAX_LOAD_SEGMENTS);
	if (check_placement(in, idx, ph, start, end))
		return -1;
	if (in->rsv_start < in->rsv_end && start < in->rsv_end && in->rsv_start < end)
		return seg_err(in, idx, ph,
			       "[0x%llx, 0x%llx) overlaps the PVH boot area [0x%llx, 0x%llx)",
			       (unsigned long long)start, (unsigned long long)end,
			       (unsigned long long)in->rsv_start, (unsigned long long)in->rsv_end);
	for (unsigned j = 0; j < img->nr_seg; j++) {
		const struct elf_segment *o = &img->seg[j];

		if (start < o->paddr + o->memsz && o->paddr < end)
			return seg_err(in, idx, ph,
				       "[0x%llx, 0x%llx) overlaps segment %zu [0x%llx, 0x%llx)",
				       (unsigned long long)start, (unsigned long long)end,
				       in->load_idx[j], (unsigned long long)o->paddr,
				       (unsigned long long)(o->paddr + o->memsz));
	}
	in->load_idx[img->nr_seg] = idx;
	img->seg[img->nr_seg++] = (struct elf_segment){
		.paddr = ph->p_paddr,
		.vaddr = ph->p_vaddr,
		.offset = ph->p_offset,
		.filesz = ph->p_filesz,
		.memsz = ph->p_memsz,
		.flags = ph->p_flags,
	};
	return 0;
}

/* One note of a PT_NOTE segment: keep the PVH entry if this is Xen's PHYS32_ENTRY. */
static int consider_note(struct inspect *in, size_t idx, const GElf_Phdr *ph, const Elf_Data *d,
			 size_t off, const GElf_Nhdr *nh, size_t name_off, size_t desc_off)
{
	const uint8_t *base = d->d_buf;
	uint64_t entry;

	if (nh->n_namesz != sizeof(XEN_ELFNOTE_OWNER) ||
	    memcmp(base + name_off, XEN_ELFNOTE_OWNER, sizeof(XEN_ELFNOTE_OWNER)) != 0 ||
	    nh->n_type != XEN_ELFNOTE_PHYS32_ENTRY)
		return 0;
	if (nh->n_descsz == PVH_DESC_SIZE_32) {
		uint32_t e32;

		memcpy(&e32, base + desc_off, sizeof(e32));
		entry = e32;
	} else if (nh->n_descsz == PVH_DESC_SIZE_64) {
		memcpy(&entry, base + desc_off, sizeof(entry));
	} else {
		return seg_err(in, idx, ph,
			       "PVH note at offset 0x%zx has a %u-byte descriptor, want %d or %d",
			       off, nh->n_descsz, PVH_DESC_SIZE_32, PVH_DESC_SIZE_64);
	}
	if (entry >= PVH_ENTRY_LIMIT)
		return seg_err(in, idx, ph,
			       "PVH entry 0x%llx is not below 4 GiB "
			       "(the vCPU starts in 32-bit mode)",
			       (unsigned long long)entry);
	if (in->have_entry && entry != in->entry)
		return seg_err(in, idx, ph, "a second PVH note says entry 0x%llx, the first 0x%llx",
			       (unsigned long long)entry, (unsigned long long)in->entry);
	in->have_entry = true;
	in->entry = entry;
	return 0;
}

/* Walk every note of one PT_NOTE segment; a note that does not fit is a refusal. */
static int scan_notes(struct inspect *in, Elf *elf, size_t idx, const GElf_Phdr *ph)
{
	Elf_Type type = ph->p_align == NOTE_SEG_ALIGN_8 ? ELF_T_NHDR8 : ELF_T_NHDR;
	size_t off = 0, next, name_off, desc_off;
	Elf_Data *d;
	GElf_Nhdr nh;

	if (ph->p_filesz == 0)
		return 0;
	if (check_file_range(in, idx, ph, "note contents"))
		return -1;
	/* Counted per header: headers that share bytes pay for them each time. */
	if (ph->p_filesz > ELF_NOTE_BYTES_MAX - in->note_bytes) {
		char lim[SIZE_STR_MAX];

		return seg_err(in, idx, ph,
			       "%llu note bytes after %llu in earlier PT_NOTE segments exceed "
			       "the %s (ELF_NOTE_BYTES_MAX) a guest image may have",
			       (unsigned long long)ph->p_filesz,
			       (unsigned long long)in->note_bytes,
			       format_size(ELF_NOTE_BYTES_MAX, lim, sizeof(lim)));
	}
	in->note_bytes += ph->p_filesz;
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz, type);
	if (!d)
		return seg_err(in, idx, ph, "cannot read the notes: libelf: %s", elf_errmsg(-1));
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (consider_note(in, idx, ph, d, off, &nh, name_off, desc_off))
			return -1;
		off = next;
	}
	/* Fewer bytes than a note header left over is padding; more is a broken note. */
	if (d->d_size - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr raw;

		memcpy(&raw, (const uint8_t *)d->d_buf + off, sizeof(raw));
		return seg_err(in, idx, ph,
			       "note at offset 0x%zx (namesz %u, descsz %u) "
			       "runs past the end of the segment (0x%zx bytes)",
			       off, raw.n_namesz, raw.n_descsz, d->d_size);
	}
	return 0;
}

/* The PVH entry must be code the file provides, in an executable segment. */
static int check_entry(struct inspect *in)
{
	const struct elf_image *img = in->img;
	uint64_t e = in->entry;

	for (unsigned i = 0; i < img->nr_seg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & PF_X) && e >= s->paddr && e - s->paddr < s->filesz)
			return 0;
	}
	for (unsigned i = 0; i < img->nr_seg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (e < s->paddr || e - s->paddr >= s->memsz)
			continue;
		if (!(s->flags & PF_X))
			return file_err(in,
					"PVH entry 0x%llx lies in segment %zu "
					"(PT_LOAD, paddr 0x%llx), which is not executable",
					(unsigned long long)e, in->load_idx[i],
					(unsigned long long)s->paddr);
		return file_err(in,
				"PVH entry 0x%llx lies in the zero-filled tail [0x%llx, 0x%llx) "
				"of segment %zu (PT_LOAD, paddr 0x%llx), not in its file contents",
				(unsigned long long)e, (unsigned long long)(s->paddr + s->filesz),
				(unsigned long long)(s->paddr + s->memsz), in->load_idx[i],
				(unsigned long long)s->paddr);
	}
	return file_err(in, "PVH entry 0x%llx is outside every PT_LOAD segment",
			(unsigned long long)e);
}

/* Everything after the identification, with libelf's handle open. */
static int inspect_elf(struct inspect *in, Elf *elf)
{
	struct elf_image *img = in->img;
	GElf_Ehdr eh;
	size_t phnum;

	if (elf_kind(elf) != ELF_K_ELF)
		return file_err(in, "not an ELF file");
	if (!gelf_getehdr(elf, &eh))
		return libelf_err(in);
	if (check_ehdr(in, &eh) || get_phnum(in, elf, &eh, &phnum))
		return -1;

	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return file_err(in, "segment %zu: libelf: %s", i, elf_errmsg(-1));
		if (ph.p_type == PT_LOAD && add_load(in, i, &ph))
			return -1;
		if (ph.p_type == PT_NOTE && scan_notes(in, elf, i, &ph))
			return -1;
	}

	if (img->nr_seg == 0)
		return file_err(in, "no PT_LOAD segment with a non-zero p_memsz: nothing to load");
	if (!in->have_entry)
		return file_err(in,
				"no PVH entry note (owner \"%s\", type %d "
				"XEN_ELFNOTE_PHYS32_ENTRY) in any PT_NOTE segment",
				XEN_ELFNOTE_OWNER, XEN_ELFNOTE_PHYS32_ENTRY);
	if (check_entry(in))
		return -1;

	img->pvh_entry = (uint32_t)in->entry;
	img->phys_start = UINT64_MAX;
	img->phys_end = 0;
	for (unsigned i = 0; i < img->nr_seg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (s->paddr < img->phys_start)
			img->phys_start = s->paddr;
		if (s->paddr + s->memsz > img->phys_end)
			img->phys_end = s->paddr + s->memsz;
	}
	return 0;
}

/* Validate a whole image in memory without touching guest memory. */
int elf_inspect(const char *name, const void *buf, uint64_t len, const struct guest_mem *mem,
		uint64_t reserved_start, uint64_t reserved_end, struct elf_image *img,
		struct vmm_err *err)
{
	struct inspect in = {
		.name = name,
		.buf = buf,
		.len = len,
		.mem = mem,
		.rsv_start = reserved_start,
		.rsv_end = reserved_end,
		.img = img,
		.err = err,
	};
	Elf *elf;
	int rc;

	memset(img, 0, sizeof(*img));
	if (check_ident(&in))
		return -1;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return libelf_err(&in);
	/*
	 * elf_memory() takes a non-const image, but reading a native-order
	 * file (the only kind check_ident() lets through) never writes to it.
	 */
	elf = elf_memory((char *)buf, len);
	if (!elf)
		return libelf_err(&in);
	rc = inspect_elf(&in, elf);
	elf_end(elf);
	if (rc)
		memset(img, 0, sizeof(*img));
	return rc;
}

/*
 * Zero [p, p + len) of guest RAM without committing host memory for it: a
 * memset of a 1 GiB BSS would make the host back every page. Only the
 * partial pages at either end are written; the whole host pages between
 * are dropped with MADV_DONTNEED, after which guest_mem's private anonymous
 * mappings read back as zero (and cost nothing until the guest writes).
 * This zeroes whatever the memory held before, as memset would. If the
 * kernel refuses (locked or special pages), memset does the job.
 */
static void zero_guest_range(uint8_t *p, uint64_t len)
{
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t page = ps > 0 ? (uintptr_t)ps : 0;
	uintptr_t start = (uintptr_t)p, end = start + len; /* inside one DIMM: no wrap */
	uintptr_t first = (start + page - 1) & ~(page - 1); /* first whole page */
	uintptr_t last = end & ~(page - 1);                 /* end of the last whole page */

	if (page == 0 || first >= last) {
		memset(p, 0, len); /* no whole page inside */
		return;
	}
	if (madvise((void *)first, last - first, MADV_DONTNEED) != 0) {
		memset(p, 0, len);
		return;
	}
	memset(p, 0, first - start);
	memset((void *)last, 0, end - last);
}

/* Write the accepted segments to guest RAM: file bytes, then zeroes up to p_memsz. */
void elf_copy(const void *buf, const struct guest_mem *mem, const struct elf_image *img)
{
	const uint8_t *src = buf;

	for (unsigned i = 0; i < img->nr_seg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint8_t *dst = guest_mem_ptr(mem, s->paddr, s->memsz);

		/* elf_inspect() proved this range lies in one DIMM of this @mem. */
		assert(dst);
		if (s->filesz)
			memcpy(dst, src + s->offset, s->filesz);
		if (s->memsz > s->filesz)
			zero_guest_range(dst + s->filesz, s->memsz - s->filesz);
	}
}

/* Slurp a regular, non-empty file of at most ELF_FILE_MAX bytes. */
static int read_file(const char *path, uint8_t **out, uint64_t *out_len, struct vmm_err *err)
{
	char lim[SIZE_STR_MAX];
	struct stat st;
	uint8_t *buf = NULL;
	size_t size, done = 0;
	int fd, flags, rc = -1;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		err_set(err, "cannot stat '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(err, "cannot load '%s': %s", path, strerror(EISDIR));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, "cannot load '%s': not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		err_set(err, "cannot load '%s': the file is empty", path);
		goto out;
	}
	if ((uint64_t)st.st_size > ELF_FILE_MAX) {
		err_set(err,
			"cannot load '%s': %lld bytes, more than the %s a guest image may have",
			path, (long long)st.st_size, format_size(ELF_FILE_MAX, lim, sizeof(lim)));
		goto out;
	}
	/* A regular file: from here reads may block as usual. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		err_set(err, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	size = (size_t)st.st_size;
	buf = malloc(size);
	if (!buf) {
		/* Worded apart from the refusals: the file may be fine, the host is short. */
		err_set(err, "out of memory reading '%s' (%zu bytes)", path, size);
		goto out;
	}
	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, "cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (n == 0) {
			err_set(err, "cannot read '%s': it shrank to %zu bytes while being read",
				path, done);
			goto out;
		}
		done += (size_t)n;
	}
	*out = buf;
	*out_len = size;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

/* The whole job for main(): read, validate, then copy into guest RAM. */
int elf_load_file(const char *path, const struct guest_mem *mem, uint64_t reserved_start,
		  uint64_t reserved_end, struct elf_image *img, struct vmm_err *err)
{
	uint8_t *buf = NULL;
	uint64_t len = 0;
	int rc;

	memset(img, 0, sizeof(*img));
	if (read_file(path, &buf, &len, err))
		return -1;
	rc = elf_inspect(path, buf, len, mem, reserved_start, reserved_end, img, err);
	if (rc == 0)
		elf_copy(buf, mem, img);
	free(buf);
	return rc;
}
