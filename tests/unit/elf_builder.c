/* SPDX-License-Identifier: MIT */
/* In-memory ELF images for the loader's tests; see elf_builder.h. */
#include "elf_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Blobs and notes are placed on these boundaries. */
#define EB_BLOB_ALIGN 8
#define EB_NOTE_ALIGN 4

/* The PVH note as Xen defines it (shared/pvh.h holds the same numbers). */
#define EB_PVH_OWNER "Xen"
#define EB_PVH_TYPE 18

/* Round @x up to a multiple of the power of two @a. */
static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* A test that asks for more than the builder holds is a broken test: stop loudly. */
static void eb_fail(const char *what)
{
	fprintf(stderr, "elf_builder: %s\n", what);
	abort();
}

/* Start from a header the loader accepts. */
void eb_init(struct elf_builder *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->ehdr.e_ident, ELFMAG, SELFMAG);
	b->ehdr.e_ident[EI_CLASS] = ELFCLASS64;
	b->ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	b->ehdr.e_ident[EI_VERSION] = EV_CURRENT;
	b->ehdr.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	b->ehdr.e_type = ET_EXEC;
	b->ehdr.e_machine = EM_X86_64;
	b->ehdr.e_version = EV_CURRENT;
	b->ehdr.e_phoff = sizeof(Elf64_Ehdr);
	b->ehdr.e_ehsize = sizeof(Elf64_Ehdr);
	b->ehdr.e_phentsize = sizeof(Elf64_Phdr);
	b->ehdr.e_shentsize = sizeof(Elf64_Shdr);
}

/* Reserve a program header and copy @len bytes (or zeroes) into the payload. */
static unsigned add_seg(struct elf_builder *b, uint32_t type, const void *data, size_t len)
{
	unsigned i = b->nr_phdr;
	size_t off = align_up(b->payload_len, EB_BLOB_ALIGN);

	if (i == EB_MAX_PHDRS)
		eb_fail("too many program headers");
	if (len > EB_PAYLOAD_MAX - off)
		eb_fail("payload too large");
	if (data)
		memcpy(b->payload + off, data, len);
	else
		memset(b->payload + off, 0, len);
	b->payload_len = off + len;
	b->blob_off[i] = off;
	b->phdr[i] = (Elf64_Phdr){ .p_type = type, .p_filesz = len };
	b->nr_phdr++;
	return i;
}

/* A loadable segment, linked in the higher half, loaded at its physical address. */
unsigned eb_add_load(struct elf_builder *b, uint64_t paddr, uint32_t flags, const void *data,
		     uint64_t filesz, uint64_t memsz)
{
	unsigned i = add_seg(b, PT_LOAD, data, filesz);

	b->phdr[i].p_flags = flags;
	b->phdr[i].p_paddr = paddr;
	b->phdr[i].p_vaddr = EB_VIRT_BASE + paddr;
	b->phdr[i].p_memsz = memsz;
	b->phdr[i].p_align = EB_BLOB_ALIGN;
	return i;
}

/* A note segment: read only, not loaded. */
unsigned eb_add_note_seg(struct elf_builder *b, const void *notes, size_t len, uint64_t align)
{
	unsigned i = add_seg(b, PT_NOTE, notes, len);

	b->phdr[i].p_flags = PF_R;
	b->phdr[i].p_align = align;
	b->phdr[i].p_memsz = len;
	return i;
}

/* One note by hand: header, owner, descriptor, each padded to 4. */
void eb_note(uint8_t *out, size_t cap, size_t *pos, const char *owner, uint32_t type,
	     const void *desc, uint32_t descsz)
{
	Elf64_Nhdr nh = {
		.n_namesz = (uint32_t)strlen(owner) + 1,
		.n_descsz = descsz,
		.n_type = type,
	};
	size_t name_at = *pos + sizeof(nh);
	size_t desc_at = align_up(name_at + nh.n_namesz, EB_NOTE_ALIGN);
	size_t end = align_up(desc_at + descsz, EB_NOTE_ALIGN);

	if (end > cap)
		eb_fail("note buffer too small");
	memset(out + *pos, 0, end - *pos);
	memcpy(out + *pos, &nh, sizeof(nh));
	memcpy(out + name_at, owner, nh.n_namesz);
	if (descsz)
		memcpy(out + desc_at, desc, descsz);
	*pos = end;
}

/* Xen's PHYS32_ENTRY note, as a PVH kernel carries it. */
void eb_pvh_note(uint8_t *out, size_t cap, size_t *pos, uint64_t entry, uint32_t descsz)
{
	uint32_t e32 = (uint32_t)entry;

	if (descsz == sizeof(e32))
		eb_note(out, cap, pos, EB_PVH_OWNER, EB_PVH_TYPE, &e32, descsz);
	else if (descsz == sizeof(entry))
		eb_note(out, cap, pos, EB_PVH_OWNER, EB_PVH_TYPE, &entry, descsz);
	else
		eb_fail("PVH descriptor must be 4 or 8 bytes here");
}

/* Header, program headers, payload: offsets are resolved here. */
uint8_t *eb_build(const struct elf_builder *b, size_t *len)
{
	size_t payload_at = sizeof(Elf64_Ehdr) + b->nr_phdr * sizeof(Elf64_Phdr);
	size_t total = payload_at + b->payload_len;
	Elf64_Ehdr eh = b->ehdr;
	uint8_t *img = calloc(1, total);

	if (!img)
		eb_fail("out of memory");
	eh.e_phnum = (Elf64_Half)b->nr_phdr;
	memcpy(img, &eh, sizeof(eh));
	for (unsigned i = 0; i < b->nr_phdr; i++) {
		Elf64_Phdr ph = b->phdr[i];

		ph.p_offset = payload_at + b->blob_off[i];
		memcpy(img + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
	}
	memcpy(img + payload_at, b->payload, b->payload_len);
	*len = total;
	return img;
}

/* Grow a built image past the builder's limits: zero bytes, then more program headers. */
uint8_t *eb_extend(const uint8_t *img, size_t len, size_t zeroes, const Elf64_Phdr *extra,
		   unsigned nr_extra, size_t *zero_off, size_t *out_len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	size_t zoff = align_up(len, EB_BLOB_ALIGN);
	size_t phoff = align_up(zoff + zeroes, EB_BLOB_ALIGN);
	size_t nr = (size_t)eh->e_phnum + nr_extra;
	size_t total = phoff + nr * sizeof(Elf64_Phdr);
	uint8_t *out;

	if (nr >= PN_XNUM)
		eb_fail("too many program headers for e_phnum");
	out = calloc(1, total);
	if (!out)
		eb_fail("out of memory");
	memcpy(out, img, len);
	memcpy(out + phoff, img + eh->e_phoff, eh->e_phnum * sizeof(Elf64_Phdr));
	for (unsigned i = 0; i < nr_extra; i++) {
		Elf64_Phdr ph = *extra;

		ph.p_offset += zoff;
		memcpy(out + phoff + (eh->e_phnum + i) * sizeof(ph), &ph, sizeof(ph));
	}
	eb_ehdr(out)->e_phoff = phoff;
	eb_ehdr(out)->e_phnum = (Elf64_Half)nr;
	*zero_off = zoff;
	*out_len = total;
	return out;
}

/* The header of a built image (calloc'ed, so suitably aligned). */
Elf64_Ehdr *eb_ehdr(uint8_t *img)
{
	return (Elf64_Ehdr *)img;
}

/* Program header @i of a built image, at the offset eb_build() put it. */
Elf64_Phdr *eb_phdr(uint8_t *img, unsigned i)
{
	return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr));
}
