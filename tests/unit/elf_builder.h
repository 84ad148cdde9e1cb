/* SPDX-License-Identifier: MIT */
/*
 * Builds small ELF64 images in memory for the ELF loader's tests, from the
 * raw <elf.h> structures, so that every field can be made wrong on purpose.
 *
 * Layout of a built image (all offsets 8-aligned):
 *
 *   0                 64                64 + 56 * nr_phdr
 *   +-----------------+-----------------+-----------------------------------+
 *   | Elf64_Ehdr      | Elf64_Phdr[]    | payload: each segment's bytes     |
 *   +-----------------+-----------------+-----------------------------------+
 *
 * eb_extend() then appends zero bytes and a longer program header table:
 *
 *   0                 len              *zero_off      + zeroes (8-aligned)
 *   +-----------------+---------------+---------------+-----------------------+
 *   | built image     | (padding)     | zero bytes    | Elf64_Phdr[] (new)    |
 *   +-----------------+---------------+---------------+-----------------------+
 *
 * A test builds a valid image, then breaks it through eb_ehdr()/eb_phdr()
 * or by truncating the returned buffer.
 */
#ifndef TESTS_UNIT_ELF_BUILDER_H
#define TESTS_UNIT_ELF_BUILDER_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define EB_MAX_PHDRS 64
#define EB_PAYLOAD_MAX (64u * 1024)

/* Where the builder links segments virtually: a higher-half kernel, as the guest. */
#define EB_VIRT_BASE 0xffffffff80000000ull

struct elf_builder {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr[EB_MAX_PHDRS];
	size_t blob_off[EB_MAX_PHDRS]; /* payload offset of each segment's bytes */
	unsigned nr_phdr;
	uint8_t payload[EB_PAYLOAD_MAX];
	size_t payload_len;
};

/* A valid ELF64 little-endian x86-64 ET_EXEC header and no segments yet. */
void eb_init(struct elf_builder *b);

/*
 * Add a PT_LOAD at @paddr (p_vaddr = EB_VIRT_BASE + paddr) with @filesz
 * bytes of @data (copied; NULL means zeroes) and @memsz bytes of memory.
 * Returns the program header index.
 */
unsigned eb_add_load(struct elf_builder *b, uint64_t paddr, uint32_t flags, const void *data,
		     uint64_t filesz, uint64_t memsz);

/* Add a PT_NOTE holding @len bytes of notes, aligned to @align (4 or 8). */
unsigned eb_add_note_seg(struct elf_builder *b, const void *notes, size_t len, uint64_t align);

/*
 * Append one note (Elf64_Nhdr, owner with its NUL, descriptor), each part
 * padded to 4 bytes, at @out + *@pos; advances *@pos. @cap bounds @out.
 */
void eb_note(uint8_t *out, size_t cap, size_t *pos, const char *owner, uint32_t type,
	     const void *desc, uint32_t descsz);

/* The PVH note (owner "Xen", type 18) with a 4- or 8-byte entry descriptor. */
void eb_pvh_note(uint8_t *out, size_t cap, size_t *pos, uint64_t entry, uint32_t descsz);

/* Lay the image out; returns a malloc'ed buffer of *@len bytes. */
uint8_t *eb_build(const struct elf_builder *b, size_t *len);

/*
 * For images larger than struct elf_builder holds: a copy of the built image
 * @img (@len bytes), then @zeroes zero bytes from the 8-aligned offset
 * *@zero_off, then a new program header table holding the image's own
 * headers followed by @nr_extra copies of @extra, whose p_offset is taken
 * as relative to the zero bytes. e_phoff and e_phnum are updated; the old
 * table stays in place, unreferenced. Returns a malloc'ed buffer of
 * *@out_len bytes.
 */
uint8_t *eb_extend(const uint8_t *img, size_t len, size_t zeroes, const Elf64_Phdr *extra,
		   unsigned nr_extra, size_t *zero_off, size_t *out_len);

/* Fields of a built image, to break it after the fact. */
Elf64_Ehdr *eb_ehdr(uint8_t *img);
Elf64_Phdr *eb_phdr(uint8_t *img, unsigned i);

#endif /* TESTS_UNIT_ELF_BUILDER_H */
