/* SPDX-License-Identifier: MIT */
/*
 * The PVH ELF loader against valid and crafted bad images. Guest RAM is a
 * fake guest_mem over malloc'ed buffers, with a hole between the DIMMs:
 *
 *   0          16 MiB          32 MiB          48 MiB
 *   +----------+---------------+---------------+------------ ...
 *   | DIMM 0   |     hole      | DIMM 1        |  nothing
 *   +----------+---------------+---------------+------------ ...
 *        ^ PVH boot area [0x6000, 0x9000) is reserved inside DIMM 0
 *
 * The standard image has a text segment (R X) at 1 MiB, a data segment
 * (R W, with BSS) at 2 MiB and a PT_NOTE with the PVH entry; each test
 * breaks one thing and checks the refusal names it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../shared/pvh.h"
#include "../../vmm/elf_loader.h"
#include "elf_builder.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

#define DIMM0_BASE 0ull
#define DIMM1_BASE (32 * MiB)
#define DIMM_SIZE (16 * MiB)

#define TEXT_PADDR 0x100000ull
#define TEXT_SIZE 0x400ull
#define DATA_PADDR 0x200000ull
#define DATA_FILESZ 0x100ull
#define DATA_MEMSZ 0x2000ull
#define STD_ENTRY (TEXT_PADDR + 0x40)

/* Program header indices in the standard image. */
#define PH_TEXT 0
#define PH_DATA 1
#define PH_NOTE 2

#define JUNK 0xa5
#define NOTES_MAX 256
#define NAME "test.elf"

/* How many cut points of the real guest image to try. */
#define CUTS_REAL 500

/* Note types other than PVH's that real kernels carry. */
#define XEN_ELFNOTE_ENTRY 1
#define NT_GNU_BUILD_ID_TYPE 3

/* The loader's documented limits (ELF_PHNUM_MAX, ELF_NOTE_BYTES_MAX in elf_loader.c). */
#define PHNUM_LIMIT 1024
#define NOTE_BYTES_LIMIT (1 * MiB)

/* Zero bytes that many note headers point at, all at once. */
#define SHARED_NOTE_BYTES (64 * 1024)

/*
 * A BSS far larger than the memory the test allows it to cost. Exactly
 * (mincore), only the partial pages at its two ends may become resident.
 * statm's RSS is the kernel's per-CPU counter sum, folded in batches of 32
 * or more pages per CPU, so it drifts by tens of pages with nothing
 * touched: its bound is loose, still 1/128 of what a memset would cost.
 */
#define BIG_BSS (512 * MiB)
#define BSS_EDGE_PAGES 2
#define RSS_SLACK_PAGES 1024

/* A file larger than the address space the OOM test leaves the process. */
#define OOM_FILE_SIZE (512 * MiB)
#define OOM_HEADROOM (64 * MiB)

/* A FIFO open that blocks is cut short after this many seconds. */
#define FIFO_ALARM_S 5

static struct guest_dimm fake_dimms[2];
static struct guest_mem fake_mem = { .dimms = fake_dimms, .nr = 2 };
static char tmpdir[] = "/tmp/test_elf_loader.XXXXXX";

/* Bytes of segment contents: a pattern that differs from JUNK and from zero. */
static uint8_t pattern(uint64_t seed, size_t i)
{
	return (uint8_t)((i * 7 + seed * 13 + 1) | 0x1);
}

/* Fill @buf with pattern(@seed, i). */
static void fill(uint8_t *buf, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(seed, i);
}

/* Guest RAM for all tests, and a scratch directory for the file tests. */
static int group_setup(void **state)
{
	(void)state;
	fake_dimms[0] = (struct guest_dimm){ .gpa = DIMM0_BASE, .size = DIMM_SIZE, .slot = 0 };
	fake_dimms[1] = (struct guest_dimm){ .gpa = DIMM1_BASE, .size = DIMM_SIZE, .slot = 1 };
	fake_dimms[0].hva = malloc(DIMM_SIZE);
	fake_dimms[1].hva = malloc(DIMM_SIZE);
	if (!fake_dimms[0].hva || !fake_dimms[1].hva)
		return -1;
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

/* Free the fake RAM and remove the scratch directory. */
static int group_teardown(void **state)
{
	(void)state;
	free(fake_dimms[0].hva);
	free(fake_dimms[1].hva);
	rmdir(tmpdir);
	return 0;
}

/* Text, data+BSS, and a PT_NOTE with the PVH note for @entry (@descsz bytes). */
static void std_builder(struct elf_builder *b, uint64_t entry, uint32_t descsz)
{
	uint8_t text[TEXT_SIZE], data[DATA_FILESZ], notes[NOTES_MAX];
	size_t n = 0;

	fill(text, sizeof(text), 1);
	fill(data, sizeof(data), 2);
	eb_init(b);
	eb_add_load(b, TEXT_PADDR, PF_R | PF_X, text, TEXT_SIZE, TEXT_SIZE);
	eb_add_load(b, DATA_PADDR, PF_R | PF_W, data, DATA_FILESZ, DATA_MEMSZ);
	eb_pvh_note(notes, sizeof(notes), &n, entry, descsz);
	eb_add_note_seg(b, notes, n, 4);
}

/* The standard image, built. */
static uint8_t *std_image(size_t *len)
{
	struct elf_builder b;

	std_builder(&b, STD_ENTRY, 4);
	return eb_build(&b, len);
}

/* elf_inspect() with the fake RAM and the real PVH boot area. */
static int inspect(const uint8_t *img, size_t len, struct elf_image *out, struct vmm_err *err)
{
	return elf_inspect(NAME, img, len, &fake_mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END, out,
			   err);
}

/* The image must be refused with a message that names the file and contains @needle. */
static void expect_refusal(uint8_t *img, size_t len, const char *needle)
{
	struct elf_image out;
	struct vmm_err err = { "" };
	int rc = inspect(img, len, &out, &err);

	print_message("# refusal: %s\n", err.msg);
	assert_int_equal(rc, -1);
	assert_int_equal(strncmp(err.msg, NAME ": ", strlen(NAME ": ")), 0);
	assert_non_null(strstr(err.msg, needle));
	assert_int_equal(out.nr_seg, 0);
	assert_null(strchr(err.msg, '\n'));
	free(img);
}

/* The image must be accepted; returns what elf_inspect() found. */
static struct elf_image expect_ok(const uint8_t *img, size_t len)
{
	struct elf_image out;
	struct vmm_err err = { "" };
	int rc = inspect(img, len, &out, &err);

	if (rc)
		print_error("unexpected refusal: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return out;
}

/* Host pointer into the fake RAM for a GPA the test knows is backed. */
static uint8_t *gpa_ptr(uint64_t gpa, uint64_t len)
{
	uint8_t *p = guest_mem_ptr(&fake_mem, gpa, len);

	assert_non_null(p);
	return p;
}

/* Real RAM as the VMM maps it by default below the 3 GiB hole, kept small. */
static void map_real_ram(struct guest_mem *mem)
{
	const struct dimm d = { .base = 0, .size = GiB };
	struct vmm_err err = { "" };

	if (guest_mem_map(mem, &d, 1, &err))
		fail_msg("%s", err.msg);
}

/* Poison all fake RAM so that zeroing and copying are visible. */
static void junk_ram(void)
{
	memset(fake_dimms[0].hva, JUNK, DIMM_SIZE);
	memset(fake_dimms[1].hva, JUNK, DIMM_SIZE);
}

/* After the standard image is copied: text, data, zeroed BSS, untouched neighbours. */
static void check_std_loaded(void)
{
	uint8_t *text = gpa_ptr(TEXT_PADDR, TEXT_SIZE);
	uint8_t *data = gpa_ptr(DATA_PADDR, DATA_MEMSZ);

	for (size_t i = 0; i < TEXT_SIZE; i++)
		assert_int_equal(text[i], pattern(1, i));
	for (size_t i = 0; i < DATA_FILESZ; i++)
		assert_int_equal(data[i], pattern(2, i));
	for (size_t i = DATA_FILESZ; i < DATA_MEMSZ; i++)
		assert_int_equal(data[i], 0);
	/* One byte either side of each segment is left alone. */
	assert_int_equal(*gpa_ptr(TEXT_PADDR - 1, 1), JUNK);
	assert_int_equal(*gpa_ptr(TEXT_PADDR + TEXT_SIZE, 1), JUNK);
	assert_int_equal(*gpa_ptr(DATA_PADDR - 1, 1), JUNK);
	assert_int_equal(*gpa_ptr(DATA_PADDR + DATA_MEMSZ, 1), JUNK);
}

/* ------------------------------------------------------------ accepted images */

static void test_valid_image_loads_bytes_bss_and_entry(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);
	struct elf_image out;

	(void)state;
	junk_ram();
	out = expect_ok(img, len);
	assert_int_equal(out.pvh_entry, STD_ENTRY);
	assert_int_equal(out.nr_seg, 2);
	assert_int_equal(out.seg[0].paddr, TEXT_PADDR);
	assert_int_equal(out.seg[0].vaddr, EB_VIRT_BASE + TEXT_PADDR);
	assert_int_equal(out.seg[0].flags, PF_R | PF_X);
	assert_int_equal(out.seg[1].filesz, DATA_FILESZ);
	assert_int_equal(out.seg[1].memsz, DATA_MEMSZ);
	assert_int_equal(out.phys_start, TEXT_PADDR);
	assert_int_equal(out.phys_end, DATA_PADDR + DATA_MEMSZ);
	/* Inspecting alone writes nothing. */
	assert_int_equal(*gpa_ptr(TEXT_PADDR, 1), JUNK);
	elf_copy(img, &fake_mem, &out);
	check_std_loaded();
	free(img);
}

static void test_valid_image_with_8_byte_descriptor_in_8_aligned_note(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;
	struct elf_image out;

	(void)state;
	std_builder(&b, STD_ENTRY, 4);
	b.nr_phdr = PH_NOTE; /* replace the 4-byte note */
	eb_pvh_note(notes, sizeof(notes), &n, TEXT_PADDR + 8, 8);
	eb_add_note_seg(&b, notes, n, 8);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	assert_int_equal(out.pvh_entry, TEXT_PADDR + 8);
	free(img);
}

static void test_segment_in_second_dimm_loads(void **state)
{
	struct elf_builder b;
	uint8_t text[0x80], notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;
	struct elf_image out;
	const uint64_t at = DIMM1_BASE + DIMM_SIZE - sizeof(text); /* last bytes of DIMM 1 */

	(void)state;
	junk_ram();
	fill(text, sizeof(text), 5);
	eb_init(&b);
	eb_add_load(&b, at, PF_R | PF_X, text, sizeof(text), sizeof(text));
	eb_pvh_note(notes, sizeof(notes), &n, at, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	elf_copy(img, &fake_mem, &out);
	assert_memory_equal(gpa_ptr(at, sizeof(text)), text, sizeof(text));
	free(img);
}

static void test_trailing_bytes_after_image_are_accepted(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);
	uint8_t *longer = malloc(len + 100);

	(void)state;
	assert_non_null(longer);
	memcpy(longer, img, len);
	memset(longer + len, JUNK, 100);
	expect_ok(longer, len + 100);
	free(longer);
	free(img);
}

static void test_zero_memsz_load_is_skipped(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;
	struct elf_image out;

	(void)state;
	std_builder(&b, STD_ENTRY, 4);
	/* In a hole, but it occupies no memory: nothing to place. */
	eb_add_load(&b, 20 * MiB, PF_R, NULL, 0, 0);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	assert_int_equal(out.nr_seg, 2);
	free(img);
}

static void test_pvh_note_found_after_other_notes(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX], id[20];
	uint32_t xen_entry = 0x1234;
	size_t n = 0, len;
	uint8_t *img;
	struct elf_image out;

	(void)state;
	fill(id, sizeof(id), 9);
	std_builder(&b, STD_ENTRY, 4);
	b.nr_phdr = PH_NOTE;
	eb_note(notes, sizeof(notes), &n, "GNU", NT_GNU_BUILD_ID_TYPE, id, sizeof(id));
	eb_note(notes, sizeof(notes), &n, "Xen", XEN_ELFNOTE_ENTRY, &xen_entry, 4);
	eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY + 4, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	assert_int_equal(out.pvh_entry, STD_ENTRY + 4);
	free(img);
}

static void test_segments_touching_boot_area_edges_load(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;
	struct elf_image out;

	(void)state;
	eb_init(&b);
	/* [0x5000, 0x6000) ends where the boot area starts; [0x9000, ...) starts at its end. */
	eb_add_load(&b, PVH_BOOT_AREA_START - 0x1000, PF_R | PF_X, NULL, 0x1000, 0x1000);
	eb_add_load(&b, PVH_BOOT_AREA_END, PF_R | PF_W, NULL, 0x10, 0x1000);
	eb_pvh_note(notes, sizeof(notes), &n, PVH_BOOT_AREA_START - 0x1000, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	assert_int_equal(out.phys_start, PVH_BOOT_AREA_START - 0x1000);
	assert_int_equal(out.phys_end, PVH_BOOT_AREA_END + 0x1000);
	free(img);
}

static void test_exactly_max_load_segments_accepted(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;
	struct elf_image out;

	(void)state;
	eb_init(&b);
	for (unsigned i = 0; i < ELF_MAX_LOAD_SEGMENTS; i++)
		eb_add_load(&b, TEXT_PADDR + i * 0x1000ull, PF_R | PF_X, NULL, 0x10, 0x1000);
	eb_pvh_note(notes, sizeof(notes), &n, TEXT_PADDR, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	out = expect_ok(img, len);
	assert_int_equal(out.nr_seg, ELF_MAX_LOAD_SEGMENTS);
	free(img);
}

static void test_bogus_section_table_is_ignored(void **state)
{
	const uint64_t shoffs[] = { 0x40, 0x1000000, UINT64_MAX - 0xff };
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	/* Sections are never read: a table over the headers or past the end is harmless. */
	for (unsigned i = 0; i < sizeof(shoffs) / sizeof(shoffs[0]); i++) {
		eb_ehdr(img)->e_shoff = shoffs[i];
		eb_ehdr(img)->e_shnum = 5;
		eb_ehdr(img)->e_shstrndx = 4;
		expect_ok(img, len);
	}
	free(img);
}

/* ------------------------------------------------------------ work and memory bounds */

/*
 * The standard image, then @zeroes zero bytes and @nr copies of @extra
 * (p_offset relative to the zero bytes) appended to its program headers.
 */
static uint8_t *std_image_extended(size_t zeroes, const Elf64_Phdr *extra, unsigned nr,
				   size_t *len)
{
	size_t std_len, zero_off;
	uint8_t *std = std_image(&std_len);
	uint8_t *img = eb_extend(std, std_len, zeroes, extra, nr, &zero_off, len);

	free(std);
	return img;
}

/* Bytes of notes in the standard image's own PT_NOTE (the PVH note). */
static size_t std_note_bytes(void)
{
	size_t len, n;
	uint8_t *img = std_image(&len);

	n = eb_phdr(img, PH_NOTE)->p_filesz;
	free(img);
	return n;
}

static void test_phnum_at_limit_accepted(void **state)
{
	const Elf64_Phdr null_ph = { .p_type = PT_NULL };
	size_t len;
	uint8_t *img = std_image_extended(0, &null_ph, PHNUM_LIMIT - 3, &len);
	struct elf_image out;

	(void)state;
	assert_int_equal(eb_ehdr(img)->e_phnum, PHNUM_LIMIT);
	out = expect_ok(img, len);
	assert_int_equal(out.nr_seg, 2);
	free(img);
}

static void test_phnum_over_limit_refused(void **state)
{
	const Elf64_Phdr null_ph = { .p_type = PT_NULL };
	size_t len;
	uint8_t *img = std_image_extended(0, &null_ph, PHNUM_LIMIT - 2, &len);

	(void)state;
	expect_refusal(img, len, "1025 program headers (e_phnum), more than the 1024 "
				 "(ELF_PHNUM_MAX) a guest image may have");
}

/* A PT_NOTE over @filesz of the appended zero bytes (zeroes read as empty notes). */
static Elf64_Phdr zero_note_phdr(size_t filesz)
{
	return (Elf64_Phdr){
		.p_type = PT_NOTE,
		.p_flags = PF_R,
		.p_filesz = filesz,
		.p_memsz = filesz,
		.p_align = 4,
	};
}

static void test_note_bytes_at_limit_accepted(void **state)
{
	const Elf64_Phdr ph = zero_note_phdr(NOTE_BYTES_LIMIT - std_note_bytes());
	size_t len;
	uint8_t *img = std_image_extended(ph.p_filesz, &ph, 1, &len);

	(void)state;
	expect_ok(img, len);
	free(img);
}

static void test_note_bytes_over_limit_refused(void **state)
{
	const Elf64_Phdr ph = zero_note_phdr(NOTE_BYTES_LIMIT - std_note_bytes() + 1);
	size_t len;
	uint8_t *img = std_image_extended(ph.p_filesz, &ph, 1, &len);
	char want[VMM_ERR_MAX];

	(void)state;
	snprintf(want, sizeof(want),
		 "segment 3 (PT_NOTE, paddr 0x0): %llu note bytes after %zu in earlier PT_NOTE "
		 "segments exceed the 1M (ELF_NOTE_BYTES_MAX) a guest image may have",
		 (unsigned long long)ph.p_filesz, std_note_bytes());
	expect_refusal(img, len, want);
}

static void test_many_note_headers_over_the_same_bytes_refused(void **state)
{
	const Elf64_Phdr ph = zero_note_phdr(SHARED_NOTE_BYTES);
	size_t len;
	/* The attack: every header walks the same 64 KiB of empty 12-byte notes. */
	uint8_t *img = std_image_extended(SHARED_NOTE_BYTES, &ph, PHNUM_LIMIT - 3, &len);
	/* The PVH note and 15 copies fit in 1 MiB; the 16th copy (segment 18) does not. */
	const unsigned first_over = 3 + NOTE_BYTES_LIMIT / SHARED_NOTE_BYTES - 1;
	char want[64];

	(void)state;
	snprintf(want, sizeof(want), "segment %u (PT_NOTE, paddr 0x0): ", first_over);
	expect_refusal(img, len, want);
}

/* Resident pages of this process, from /proc/self/statm. */
static long rss_pages(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, resident;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld %ld", &size, &resident), 2);
	fclose(f);
	return resident;
}

static void test_big_bss_does_not_commit_host_memory(void **state)
{
	const uint64_t paddr = DATA_PADDR + 0x10; /* the BSS starts and ends mid-page */
	struct elf_builder b;
	uint8_t data[DATA_FILESZ], notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;
	struct guest_mem mem;
	struct elf_image out;
	struct vmm_err err = { "" };
	long before, after;
	const uint8_t *p;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), first, end;
	unsigned char *vec;
	size_t npages, resident = 0;

	(void)state;
	fill(data, sizeof(data), 4);
	eb_init(&b);
	eb_add_load(&b, TEXT_PADDR, PF_R | PF_X, NULL, TEXT_SIZE, TEXT_SIZE);
	eb_add_load(&b, paddr, PF_R | PF_W, data, DATA_FILESZ, BIG_BSS);
	eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	map_real_ram(&mem);
	if (elf_inspect(NAME, img, len, &mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END, &out,
			&err))
		fail_msg("%s", err.msg);

	before = rss_pages();
	elf_copy(img, &mem, &out);
	after = rss_pages();
	p = guest_mem_ptr(&mem, paddr, BIG_BSS);
	assert_non_null(p);
	/* Resident pages of the segment, from the page holding its first byte. */
	first = (uintptr_t)p & ~(page - 1);
	end = (uintptr_t)p + BIG_BSS;
	npages = (end - first + page - 1) / page;
	vec = malloc(npages);
	assert_non_null(vec);
	assert_int_equal(mincore((void *)first, end - first, vec), 0);
	for (size_t i = 0; i < npages; i++)
		resident += vec[i] & 1;
	free(vec);
	print_message("# %llu MiB BSS: %zu of %zu pages resident; statm RSS %ld -> %ld pages\n",
		      (unsigned long long)(BIG_BSS / MiB), resident, npages, before, after);
	assert_true(resident <= BSS_EDGE_PAGES);
	assert_true(after - before <= RSS_SLACK_PAGES);

	assert_memory_equal(p, data, DATA_FILESZ);
	assert_int_equal(p[DATA_FILESZ], 0);
	assert_int_equal(p[BIG_BSS / 2], 0);
	assert_int_equal(p[BIG_BSS - 1], 0);
	guest_mem_unmap(&mem);
	free(img);
}

/* One data segment to load over junk: where it starts, its file bytes and its memory. */
struct bss_shape {
	const char *what;
	uint64_t paddr, filesz, memsz;
};

static const struct bss_shape bss_shapes[] = {
	{ "mid-page to mid-page, whole pages between", DATA_PADDR + 0x10, 0x100, 0x5000 },
	{ "page-aligned start and end", DATA_PADDR, 0x1000, 0x5000 },
	{ "inside one page", DATA_PADDR + 0x10, 0x10, 0x100 },
	{ "two partial pages, none whole", DATA_PADDR + 0xf00, 0x80, 0x180 },
	{ "no file bytes, starts mid-page", DATA_PADDR + 0x800, 0, 0x3000 },
	{ "file bytes end mid-page, BSS ends on a page", DATA_PADDR, 0x1010, 0x4000 },
};

/* Bytes around each segment of the standard shape that must stay junk. */
#define GUARD 0x1000

/*
 * Load each shape over junk in @mem: file bytes copied, every BSS byte zero
 * (the partial first and last pages too), the page either side untouched.
 */
static void check_bss_shapes(const struct guest_mem *mem)
{
	for (size_t k = 0; k < sizeof(bss_shapes) / sizeof(bss_shapes[0]); k++) {
		const struct bss_shape *sh = &bss_shapes[k];
		struct elf_builder b;
		uint8_t data[0x2000], notes[NOTES_MAX];
		size_t n = 0, len;
		uint8_t *img, *p;
		struct elf_image out;
		struct vmm_err err = { "" };

		print_message("# BSS shape: %s [0x%llx + 0x%llx, 0x%llx)\n", sh->what,
			      (unsigned long long)sh->paddr, (unsigned long long)sh->filesz,
			      (unsigned long long)(sh->paddr + sh->memsz));
		assert_true(sh->filesz <= sizeof(data));
		fill(data, sh->filesz, 6);
		eb_init(&b);
		eb_add_load(&b, TEXT_PADDR, PF_R | PF_X, NULL, TEXT_SIZE, TEXT_SIZE);
		eb_add_load(&b, sh->paddr, PF_R | PF_W, data, sh->filesz, sh->memsz);
		eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY, 4);
		eb_add_note_seg(&b, notes, n, 4);
		img = eb_build(&b, &len);

		p = guest_mem_ptr(mem, sh->paddr - GUARD, sh->memsz + 2 * GUARD);
		assert_non_null(p);
		memset(p, JUNK, sh->memsz + 2 * GUARD);
		if (elf_inspect(NAME, img, len, mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END,
				&out, &err))
			fail_msg("%s", err.msg);
		elf_copy(img, mem, &out);
		for (size_t i = 0; i < GUARD; i++)
			assert_int_equal(p[i], JUNK);
		p += GUARD;
		for (size_t i = 0; i < sh->filesz; i++)
			assert_int_equal(p[i], pattern(6, i));
		for (size_t i = sh->filesz; i < sh->memsz; i++)
			if (p[i] != 0)
				fail_msg("%s: BSS byte 0x%zx is 0x%02x", sh->what, i, p[i]);
		for (size_t i = 0; i < GUARD; i++)
			assert_int_equal(p[sh->memsz + i], JUNK);
		free(img);
	}
}

static void test_bss_over_junk_zeroed_in_mmapped_dimm(void **state)
{
	struct guest_mem mem;

	(void)state;
	/* Page-aligned host memory: GPA page edges are host page edges. */
	map_real_ram(&mem);
	check_bss_shapes(&mem);
	guest_mem_unmap(&mem);
}

static void test_bss_over_junk_zeroed_in_unaligned_ram(void **state)
{
	(void)state;
	/* malloc'ed RAM: host page edges fall anywhere relative to GPA ones. */
	check_bss_shapes(&fake_mem);
}

static void test_bss_zeroed_when_madvise_refuses_locked_memory(void **state)
{
	const size_t lock_len = 0x10000;
	struct guest_mem mem;
	uint8_t *locked;

	(void)state;
	map_real_ram(&mem);
	locked = guest_mem_ptr(&mem, DATA_PADDR - GUARD, lock_len);
	assert_non_null(locked);
	/* MADV_DONTNEED fails on locked pages: the loader must fall back to memset. */
	if (mlock(locked, lock_len)) {
		print_message("# mlock: %s\n", strerror(errno));
		guest_mem_unmap(&mem);
		skip();
	}
	check_bss_shapes(&mem);
	munlock(locked, lock_len);
	guest_mem_unmap(&mem);
}

/* ------------------------------------------------------------ truncation */

static void test_truncated_at_every_cut_point_is_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	/*
	 * Every byte of the standard image is needed (header, program headers,
	 * segment bytes, note), so every shorter prefix must be refused. Each
	 * prefix gets its own exactly-sized buffer so an over-read is caught.
	 */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *part = malloc(cut ? cut : 1);
		struct elf_image out;
		struct vmm_err err = { "" };

		assert_non_null(part);
		memcpy(part, img, cut);
		if (inspect(part, cut, &out, &err) != -1)
			fail_msg("prefix of %zu of %zu bytes was accepted", cut, len);
		assert_int_equal(strncmp(err.msg, NAME ": ", strlen(NAME ": ")), 0);
		free(part);
	}
	expect_ok(img, len);
	free(img);
}

/* A copy of the first @n bytes of @img in a buffer of exactly that size. */
static uint8_t *prefix(const uint8_t *img, size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	memcpy(p, img, n);
	return p;
}

static void test_truncated_messages_name_what_is_cut(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);
	const size_t text_at = eb_phdr(img, PH_TEXT)->p_offset;
	const size_t note_at = eb_phdr(img, PH_NOTE)->p_offset;

	(void)state;
	expect_refusal(prefix(img, 2), 2, "not an ELF file (2 bytes, too short for the magic)");
	expect_refusal(prefix(img, 10), 10, "ELF identification alone needs 16");
	expect_refusal(prefix(img, 40), 40, "ELF header alone needs 64");
	expect_refusal(prefix(img, 100), 100, "program header table");
	expect_refusal(prefix(img, text_at + 1), text_at + 1,
		       "segment 0 (PT_LOAD, paddr 0x100000): file contents");
	expect_refusal(prefix(img, note_at + 4), note_at + 4, "note contents");
	free(img);
}

/* ------------------------------------------------------------ ELF header */

static void test_not_an_elf_file(void **state)
{
	static const char text[] = "#!/bin/sh\necho this is not a kernel\n";
	uint8_t *img = malloc(sizeof(text));

	(void)state;
	memcpy(img, text, sizeof(text));
	expect_refusal(img, sizeof(text), "not an ELF file (starts 23 21 2f 62");
}

static void test_class_elf32_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_ident[EI_CLASS] = ELFCLASS32;
	expect_refusal(img, len, "ELF class ELFCLASS32 (1), want ELFCLASS64");
}

static void test_class_none_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_ident[EI_CLASS] = ELFCLASSNONE;
	expect_refusal(img, len, "ELF class ELFCLASSNONE (0)");
}

static void test_big_endian_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_refusal(img, len, "ELF data encoding 2 is not little endian");
}

static void test_bad_ident_version_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_ident[EI_VERSION] = EV_NONE;
	expect_refusal(img, len, "ELF version 0, want EV_CURRENT");
}

static void test_machine_i386_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_machine = EM_386;
	expect_refusal(img, len, "machine EM_386 (3), want EM_X86_64 (62)");
}

static void test_machine_aarch64_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_machine = EM_AARCH64;
	expect_refusal(img, len, "machine EM_AARCH64 (183)");
}

static void test_type_dyn_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_type = ET_DYN;
	expect_refusal(img, len, "type ET_DYN");
}

static void test_type_rel_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_type = ET_REL;
	expect_refusal(img, len, "type ET_REL");
}

static void test_phoff_beyond_file_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_phoff = len + 0x1000;
	expect_refusal(img, len, "program header table (3 entries at offset");
}

static void test_phoff_huge_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_phoff = UINT64_MAX - 8;
	expect_refusal(img, len, "runs past the end of the file");
}

static void test_phnum_beyond_file_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_phnum = 0xfffe;
	expect_refusal(img, len, "program header table (65534 entries");
}

static void test_phnum_xnum_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	/* PN_XNUM means "the count is in section 0": refused outright. */
	eb_ehdr(img)->e_phnum = PN_XNUM;
	expect_refusal(img, len, "e_phnum is PN_XNUM (0xffff)");
}

static void test_phentsize_wrong_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_phentsize = sizeof(Elf32_Phdr);
	expect_refusal(img, len, "e_phentsize 32, want 56");
}

static void test_phnum_zero_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_ehdr(img)->e_phnum = 0;
	expect_refusal(img, len, "no program headers");
}

/* ------------------------------------------------------------ PT_LOAD placement */

/* The standard image with the text segment moved to @paddr with @memsz bytes of memory. */
static uint8_t *image_with_text_at(uint64_t paddr, uint64_t memsz, size_t *len)
{
	uint8_t *img = std_image(len);

	eb_phdr(img, PH_TEXT)->p_paddr = paddr;
	eb_phdr(img, PH_TEXT)->p_memsz = memsz;
	return img;
}

static void test_segment_in_hole_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(20 * MiB, 0x1000, &len);

	(void)state;
	expect_refusal(img, len,
		       "segment 0 (PT_LOAD, paddr 0x1400000): [0x1400000, 0x1401000) lies in the "
		       "hole [0x1000000, 0x2000000) between DIMMs 16M@0x0 and 16M@0x2000000");
}

static void test_segment_spanning_two_dimms_refused(void **state)
{
	size_t len;
	uint8_t *img;

	(void)state;
	/* From the last page of DIMM 0 to the first page of DIMM 1. */
	img = image_with_text_at(DIMM_SIZE - 0x1000, DIMM1_BASE - DIMM_SIZE + 0x2000, &len);
	expect_refusal(img, len, "spans DIMMs 16M@0x0 and 16M@0x2000000 and the hole between them");
}

/* elf_inspect() of @img over other RAM than the fake default; returns the message. */
static const char *refusal_with_mem(uint8_t *img, size_t len, const struct guest_mem *mem,
				    struct vmm_err *err)
{
	struct elf_image out;

	assert_int_equal(elf_inspect(NAME, img, len, mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END,
				     &out, err),
			 -1);
	print_message("# refusal: %s\n", err->msg);
	free(img);
	return err->msg;
}

static void test_segment_spanning_adjacent_dimms_refused(void **state)
{
	struct guest_dimm d[2] = {
		{ .gpa = 0, .size = 4 * MiB, .hva = fake_dimms[0].hva },
		{ .gpa = 4 * MiB, .size = 4 * MiB, .hva = fake_dimms[1].hva, .slot = 1 },
	};
	struct guest_mem mem = { .dimms = d, .nr = 2 };
	struct vmm_err err = { "" };
	size_t len;
	uint8_t *img = image_with_text_at(4 * MiB - 0x100, TEXT_SIZE, &len);
	const char *msg;

	(void)state;
	/* No hole between them, but two memslots: still refused. */
	msg = refusal_with_mem(img, len, &mem, &err);
	assert_non_null(strstr(msg, "spans DIMMs 4M@0x0 and 4M@0x400000"));
	assert_null(strstr(msg, "hole"));
}

static void test_segment_below_first_dimm_refused(void **state)
{
	struct guest_dimm d = { .gpa = 4 * MiB, .size = 4 * MiB, .hva = fake_dimms[0].hva };
	struct guest_mem mem = { .dimms = &d, .nr = 1 };
	struct vmm_err err = { "" };
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	assert_non_null(strstr(refusal_with_mem(img, len, &mem, &err),
			       "segment 0 (PT_LOAD, paddr 0x100000): [0x100000, 0x100400) lies in "
			       "the hole [0x0, 0x400000) below the first DIMM 4M@0x400000"));
}

static void test_segment_with_no_ram_at_all_refused(void **state)
{
	struct guest_mem mem = { .dimms = NULL, .nr = 0 };
	struct vmm_err err = { "" };
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	assert_non_null(strstr(refusal_with_mem(img, len, &mem, &err),
			       "[0x100000, 0x100400): there is no guest RAM"));
}

static void test_segment_running_into_hole_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(DIMM_SIZE - 0x1000, 0x2000, &len);

	(void)state;
	expect_refusal(img, len, "runs past the end of DIMM 16M@0x0 into a hole at 0x1000000");
}

static void test_segment_starting_in_hole_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(DIMM1_BASE - 0x1000, 0x2000, &len);

	(void)state;
	expect_refusal(img, len, "starts in a hole and runs into DIMM 16M@0x2000000");
}

static void test_segment_beyond_every_dimm_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(64 * MiB, 0x1000, &len);

	(void)state;
	expect_refusal(img, len, "lies in a hole above all guest RAM (the last DIMM 16M@0x2000000 "
				 "ends at 0x3000000)");
}

static void test_filesz_greater_than_memsz_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_TEXT)->p_memsz = TEXT_SIZE / 2;
	expect_refusal(img, len,
		       "segment 0 (PT_LOAD, paddr 0x100000): p_filesz 0x400 > p_memsz 0x200");
}

static void test_offset_plus_filesz_beyond_file_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_DATA)->p_offset = len - DATA_FILESZ + 1;
	expect_refusal(img, len, "segment 1 (PT_LOAD, paddr 0x200000): file contents");
}

static void test_offset_overflow_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_DATA)->p_offset = UINT64_MAX - 0x10;
	expect_refusal(img, len, "p_offset 0xffffffffffffffef + p_filesz 0x100 overflows 64 bits");
}

static void test_paddr_plus_memsz_overflow_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_DATA)->p_paddr = UINT64_MAX - 0xfff;
	expect_refusal(img, len, "p_paddr 0xfffffffffffff000 + p_memsz 0x2000 overflows 64 bits");
}

static void test_paddr_plus_memsz_exactly_2_64_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_DATA)->p_paddr = 0 - DATA_MEMSZ; /* end would be 2^64 */
	expect_refusal(img, len, "overflows 64 bits");
}

static void test_overlapping_segments_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_DATA)->p_paddr = TEXT_PADDR + TEXT_SIZE - 1;
	expect_refusal(img, len, "segment 1 (PT_LOAD, paddr 0x1003ff): [0x1003ff, 0x1023ff) "
				 "overlaps segment 0 [0x100000, 0x100400)");
}

static void test_segment_inside_another_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	/* Data now sits wholly inside a larger text segment. */
	eb_phdr(img, PH_TEXT)->p_memsz = DATA_PADDR + 2 * DATA_MEMSZ - TEXT_PADDR;
	expect_refusal(img, len, "overlaps segment 0");
}

static void test_segment_over_boot_area_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(0x8000, 0x400, &len);

	(void)state;
	expect_refusal(img, len, "[0x8000, 0x8400) overlaps the PVH boot area [0x6000, 0x9000)");
}

static void test_segment_covering_boot_area_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_text_at(0, TEXT_PADDR, &len);

	(void)state;
	expect_refusal(img, len, "[0x0, 0x100000) overlaps the PVH boot area");
}

static void test_too_many_load_segments_refused(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_init(&b);
	for (unsigned i = 0; i <= ELF_MAX_LOAD_SEGMENTS; i++)
		eb_add_load(&b, TEXT_PADDR + i * 0x1000ull, PF_R | PF_X, NULL, 0x10, 0x1000);
	eb_pvh_note(notes, sizeof(notes), &n, TEXT_PADDR, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	expect_refusal(img, len, "segment 32 (PT_LOAD, paddr 0x120000): more than 32");
}

static void test_no_load_segment_refused(void **state)
{
	struct elf_builder b;
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_init(&b);
	eb_add_load(&b, TEXT_PADDR, PF_R | PF_X, NULL, 0, 0); /* skipped: no memory */
	eb_pvh_note(notes, sizeof(notes), &n, TEXT_PADDR, 4);
	eb_add_note_seg(&b, notes, n, 4);
	img = eb_build(&b, &len);
	expect_refusal(img, len, "no PT_LOAD segment with a non-zero p_memsz");
}

/* ------------------------------------------------------------ PVH note */

/* The standard image with its note segment replaced by @n bytes of @notes. */
static uint8_t *image_with_notes(const uint8_t *notes, size_t n, size_t *len)
{
	struct elf_builder b;

	std_builder(&b, STD_ENTRY, 4);
	b.nr_phdr = PH_NOTE;
	if (n)
		eb_add_note_seg(&b, notes, n, 4);
	return eb_build(&b, len);
}

static void test_no_pt_note_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_notes(NULL, 0, &len);

	(void)state;
	expect_refusal(img, len, "no PVH entry note (owner \"Xen\", type 18");
}

static void test_pt_note_without_xen_note_refused(void **state)
{
	uint8_t notes[NOTES_MAX], id[20];
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	fill(id, sizeof(id), 3);
	eb_note(notes, sizeof(notes), &n, "GNU", NT_GNU_BUILD_ID_TYPE, id, sizeof(id));
	img = image_with_notes(notes, n, &len);
	expect_refusal(img, len, "no PVH entry note");
}

static void test_xen_note_of_another_type_refused(void **state)
{
	uint8_t notes[NOTES_MAX];
	uint32_t entry = STD_ENTRY;
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_note(notes, sizeof(notes), &n, "Xen", XEN_ELFNOTE_ENTRY, &entry, sizeof(entry));
	img = image_with_notes(notes, n, &len);
	expect_refusal(img, len, "no PVH entry note");
}

static void test_type_18_note_of_another_owner_refused(void **state)
{
	uint8_t notes[NOTES_MAX];
	uint32_t entry = STD_ENTRY;
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_note(notes, sizeof(notes), &n, "Xen2", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry));
	img = image_with_notes(notes, n, &len);
	expect_refusal(img, len, "no PVH entry note");
}

static void test_pvh_note_desc_size_2_refused(void **state)
{
	uint8_t notes[NOTES_MAX];
	uint16_t entry = 0x1000;
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_note(notes, sizeof(notes), &n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry));
	img = image_with_notes(notes, n, &len);
	expect_refusal(img, len,
		       "segment 2 (PT_NOTE, paddr 0x0): PVH note at offset 0x0 has a 2-byte "
		       "descriptor, want 4 or 8");
}

/* A PVH note whose header field at @field_off is then set to @value. */
static uint8_t *image_with_broken_note(size_t field_off, uint32_t value, size_t *len)
{
	uint8_t notes[NOTES_MAX];
	size_t n = 0;

	eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY, 4);
	memcpy(notes + field_off, &value, sizeof(value));
	return image_with_notes(notes, n, len);
}

static void test_note_namesz_overflowing_segment_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_broken_note(offsetof(Elf64_Nhdr, n_namesz), 0x1000, &len);

	(void)state;
	expect_refusal(img, len, "note at offset 0x0 (namesz 4096, descsz 4) runs past the end "
				 "of the segment (0x14 bytes)");
}

static void test_note_descsz_overflowing_segment_refused(void **state)
{
	size_t len;
	uint8_t *img = image_with_broken_note(offsetof(Elf64_Nhdr, n_descsz), 0xfffffffc, &len);

	(void)state;
	expect_refusal(img, len, "(namesz 4, descsz 4294967292) runs past the end of the segment");
}

static void test_note_contents_beyond_file_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_NOTE)->p_filesz = 0x10000;
	expect_refusal(img, len, "segment 2 (PT_NOTE, paddr 0x0): note contents");
}

static void test_note_offset_overflow_refused(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);

	(void)state;
	eb_phdr(img, PH_NOTE)->p_offset = UINT64_MAX;
	expect_refusal(img, len, "note contents: p_offset 0xffffffffffffffff + p_filesz 0x14 "
				 "overflows 64 bits");
}

static void test_two_disagreeing_pvh_notes_refused(void **state)
{
	uint8_t notes[NOTES_MAX];
	size_t n = 0, len;
	uint8_t *img;

	(void)state;
	eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY, 4);
	eb_pvh_note(notes, sizeof(notes), &n, STD_ENTRY + 4, 4);
	img = image_with_notes(notes, n, &len);
	expect_refusal(img, len, "a second PVH note says entry");
}

static void test_entry_above_4g_with_8_byte_desc_refused(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;

	(void)state;
	std_builder(&b, 4 * GiB + TEXT_PADDR, 8);
	img = eb_build(&b, &len);
	expect_refusal(img, len, "PVH entry 0x100100000 is not below 4 GiB");
}

static void test_entry_outside_every_segment_refused(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;

	(void)state;
	std_builder(&b, 0x300000, 4);
	img = eb_build(&b, &len);
	expect_refusal(img, len, "PVH entry 0x300000 is outside every PT_LOAD");
}

static void test_entry_just_past_text_refused(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;

	(void)state;
	std_builder(&b, TEXT_PADDR + TEXT_SIZE, 4);
	img = eb_build(&b, &len);
	expect_refusal(img, len, "PVH entry 0x100400 is outside every PT_LOAD");
}

static void test_entry_in_non_executable_segment_refused(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;

	(void)state;
	std_builder(&b, DATA_PADDR + 0x10, 4);
	img = eb_build(&b, &len);
	expect_refusal(img, len,
		       "PVH entry 0x200010 lies in segment 1 (PT_LOAD, paddr 0x200000), which is "
		       "not executable");
}

static void test_entry_in_zero_filled_tail_refused(void **state)
{
	struct elf_builder b;
	size_t len;
	uint8_t *img;

	(void)state;
	std_builder(&b, TEXT_PADDR + TEXT_SIZE + 0x10, 4);
	img = eb_build(&b, &len);
	eb_phdr(img, PH_TEXT)->p_memsz = 2 * TEXT_SIZE;
	expect_refusal(img, len, "PVH entry 0x100410 lies in the zero-filled tail [0x100400, "
				 "0x100800) of segment 0");
}

/* ------------------------------------------------------------ files */

/* Write @len bytes of @buf to @name inside the scratch directory; returns the path. */
static char *write_tmp(const char *name, const void *buf, size_t len)
{
	static char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

/* elf_load_file() with the fake RAM; returns its result and fills @err. */
static int load_file(const char *path, struct elf_image *out, struct vmm_err *err)
{
	return elf_load_file(path, &fake_mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END, out, err);
}

static void test_load_file_valid_image(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);
	char *path = write_tmp("good.elf", img, len);
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	junk_ram();
	assert_int_equal(load_file(path, &out, &err), 0);
	assert_int_equal(out.pvh_entry, STD_ENTRY);
	check_std_loaded();
	unlink(path);
	free(img);
}

static void test_load_file_refusal_names_the_path(void **state)
{
	size_t len;
	uint8_t *img = std_image(&len);
	char *path;
	char want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	eb_ehdr(img)->e_machine = EM_AARCH64;
	path = write_tmp("arm.elf", img, len);
	junk_ram();
	assert_int_equal(load_file(path, &out, &err), -1);
	snprintf(want, sizeof(want), "%s: machine EM_AARCH64", path);
	assert_int_equal(strncmp(err.msg, want, strlen(want)), 0);
	/* Nothing reached guest memory. */
	assert_int_equal(*gpa_ptr(TEXT_PADDR, 1), JUNK);
	unlink(path);
	free(img);
}

static void test_load_missing_file_refused(void **state)
{
	char path[PATH_MAX], want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	snprintf(path, sizeof(path), "%s/x.elf", tmpdir);
	assert_int_equal(load_file(path, &out, &err), -1);
	snprintf(want, sizeof(want), "cannot open '%s': No such file or directory", path);
	assert_string_equal(err.msg, want);
}

static void test_load_directory_refused(void **state)
{
	char want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(load_file(tmpdir, &out, &err), -1);
	snprintf(want, sizeof(want), "cannot load '%s': Is a directory", tmpdir);
	assert_string_equal(err.msg, want);
}

static void test_load_empty_file_refused(void **state)
{
	char *path = write_tmp("empty.elf", "", 0);
	char want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(load_file(path, &out, &err), -1);
	snprintf(want, sizeof(want), "cannot load '%s': the file is empty", path);
	assert_string_equal(err.msg, want);
	unlink(path);
}

static void test_load_device_file_refused(void **state)
{
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	assert_int_equal(load_file("/dev/null", &out, &err), -1);
	assert_string_equal(err.msg, "cannot load '/dev/null': not a regular file");
}

static void test_load_file_over_1g_refused(void **state)
{
	char path[PATH_MAX];
	struct elf_image out;
	struct vmm_err err = { "" };
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/huge.elf", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	/* Sparse: one byte over the limit costs no disk. */
	assert_int_equal(ftruncate(fd, (off_t)GiB + 1), 0);
	close(fd);
	assert_int_equal(load_file(path, &out, &err), -1);
	print_message("# refusal: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "1073741825 bytes, more than the 1G"));
	unlink(path);
}

/* SIGALRM only interrupts the blocking call it lands in. */
static void on_alarm(int sig)
{
	(void)sig;
}

static void test_load_fifo_refused_without_blocking(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	char path[PATH_MAX], want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo.elf", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* No SA_RESTART: a blocking open() returns EINTR instead of hanging the test. */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	alarm(FIFO_ALARM_S);
	rc = load_file(path, &out, &err);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	unlink(path);
	print_message("# refusal: %s\n", err.msg);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "cannot load '%s': not a regular file", path);
	assert_string_equal(err.msg, want);
}

#ifdef __SANITIZE_ADDRESS__
/*
 * ASan's malloc() aborts when memory runs out; the out-of-memory test needs
 * the NULL that the C library returns. ASAN_OPTIONS can still override this.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/* Pages of address space this process has mapped, from /proc/self/statm. */
static unsigned long vm_pages(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%lu", &size), 1);
	fclose(f);
	return size;
}

static void test_load_out_of_memory_is_named(void **state)
{
	char path[PATH_MAX], want[PATH_MAX + 64];
	struct elf_image out;
	struct vmm_err err = { "" };
	struct rlimit old, lim;
	int fd, rc;

	(void)state;
	/* Unlinked at once and loaded through /proc: nothing is left if the test dies. */
	snprintf(path, sizeof(path), "%s/big.elf", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(ftruncate(fd, (off_t)OOM_FILE_SIZE), 0); /* sparse */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/*
	 * Leave the process too little address space for the file, only for
	 * the call: the soft limit goes back up (to at most the hard one) after.
	 */
	assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
	lim = old;
	lim.rlim_cur = vm_pages() * (rlim_t)sysconf(_SC_PAGESIZE) + OOM_HEADROOM;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
		lim.rlim_cur = old.rlim_cur;
	assert_int_equal(setrlimit(RLIMIT_AS, &lim), 0);
	rc = load_file(path, &out, &err);
	assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
	close(fd);
	print_message("# refusal: %s\n", err.msg);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "out of memory reading '%s' (%llu bytes)", path,
		 (unsigned long long)OOM_FILE_SIZE);
	assert_string_equal(err.msg, want);
}

/* ------------------------------------------------------------ the real guest */

/* images/guest.elf from the working directory or relative to this binary, else NULL. */
static const char *find_guest_elf(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	snprintf(buf, len, "images/guest.elf");
	if (access(buf, R_OK) == 0)
		return buf;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	/* The binary lives in bin/tests/. */
	snprintf(buf, len, "%s/../../images/guest.elf", exe);
	return access(buf, R_OK) == 0 ? buf : NULL;
}

static void test_real_guest_elf_loads(void **state)
{
	char path[PATH_MAX];
	struct guest_mem mem;
	struct elf_image out;
	struct vmm_err err = { "" };

	(void)state;
	if (!find_guest_elf(path, sizeof(path)))
		skip();
	map_real_ram(&mem);
	if (elf_load_file(path, &mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END, &out, &err))
		fail_msg("%s", err.msg);
	print_message("# %s: entry 0x%x, %u segments, [0x%llx, 0x%llx)\n", path, out.pvh_entry,
		      out.nr_seg, (unsigned long long)out.phys_start,
		      (unsigned long long)out.phys_end);
	assert_true(out.nr_seg > 0);
	assert_true(out.pvh_entry >= out.phys_start && out.pvh_entry < out.phys_end);
	guest_mem_unmap(&mem);
}

/* The first @cut bytes of @img, in a buffer of exactly that size, must be refused. */
static void expect_cut_refused(const char *path, const uint8_t *img, size_t cut,
			       const struct guest_mem *mem)
{
	uint8_t *part = malloc(cut ? cut : 1);
	struct elf_image out;
	struct vmm_err err = { "" };

	assert_non_null(part);
	memcpy(part, img, cut);
	if (elf_inspect(path, part, cut, mem, PVH_BOOT_AREA_START, PVH_BOOT_AREA_END, &out,
			&err) != -1)
		fail_msg("%s cut at %zu bytes was accepted", path, cut);
	free(part);
}

static void test_real_guest_elf_truncated_is_refused(void **state)
{
	char path[PATH_MAX];
	struct guest_mem mem;
	struct elf_image out;
	struct vmm_err err = { "" };
	uint8_t *img;
	size_t len, needed = 0, step;
	FILE *f;

	(void)state;
	if (!find_guest_elf(path, sizeof(path)))
		skip();
	map_real_ram(&mem);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = (size_t)ftell(f);
	rewind(f);
	img = malloc(len);
	assert_non_null(img);
	assert_int_equal(fread(img, 1, len, f), len);
	fclose(f);

	/* Every byte up to the end of the last program header's contents is needed. */
	needed = eb_ehdr(img)->e_phoff + eb_ehdr(img)->e_phnum * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < eb_ehdr(img)->e_phnum; i++) {
		const Elf64_Phdr *ph = eb_phdr(img, i);

		if ((ph->p_type == PT_LOAD || ph->p_type == PT_NOTE) && ph->p_filesz &&
		    ph->p_offset + ph->p_filesz > needed)
			needed = ph->p_offset + ph->p_filesz;
	}
	assert_true(needed <= len);
	/* About 500 cuts whatever the size, and the cut of the very last needed byte. */
	step = needed / CUTS_REAL + 1;
	for (size_t cut = 0; cut < needed; cut += step)
		expect_cut_refused(path, img, cut, &mem);
	expect_cut_refused(path, img, needed - 1, &mem);
	/*
	 * Cut after everything needed (section headers, symbols gone): libelf
	 * may refuse the file for its section table, or it loads. Say which.
	 */
	if (needed < len) {
		int rc = elf_inspect(path, img, needed, &mem, PVH_BOOT_AREA_START,
				     PVH_BOOT_AREA_END, &out, &err);

		print_message("# cut at %zu of %zu bytes (after all segments): %s\n", needed, len,
			      rc ? err.msg : "accepted");
	}
	free(img);
	guest_mem_unmap(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_image_loads_bytes_bss_and_entry),
		cmocka_unit_test(test_valid_image_with_8_byte_descriptor_in_8_aligned_note),
		cmocka_unit_test(test_segment_in_second_dimm_loads),
		cmocka_unit_test(test_trailing_bytes_after_image_are_accepted),
		cmocka_unit_test(test_zero_memsz_load_is_skipped),
		cmocka_unit_test(test_pvh_note_found_after_other_notes),
		cmocka_unit_test(test_segments_touching_boot_area_edges_load),
		cmocka_unit_test(test_exactly_max_load_segments_accepted),
		cmocka_unit_test(test_bogus_section_table_is_ignored),
		cmocka_unit_test(test_phnum_at_limit_accepted),
		cmocka_unit_test(test_phnum_over_limit_refused),
		cmocka_unit_test(test_note_bytes_at_limit_accepted),
		cmocka_unit_test(test_note_bytes_over_limit_refused),
		cmocka_unit_test(test_many_note_headers_over_the_same_bytes_refused),
		cmocka_unit_test(test_big_bss_does_not_commit_host_memory),
		cmocka_unit_test(test_bss_over_junk_zeroed_in_mmapped_dimm),
		cmocka_unit_test(test_bss_over_junk_zeroed_in_unaligned_ram),
		cmocka_unit_test(test_bss_zeroed_when_madvise_refuses_locked_memory),
		cmocka_unit_test(test_truncated_at_every_cut_point_is_refused),
		cmocka_unit_test(test_truncated_messages_name_what_is_cut),
		cmocka_unit_test(test_not_an_elf_file),
		cmocka_unit_test(test_class_elf32_refused),
		cmocka_unit_test(test_class_none_refused),
		cmocka_unit_test(test_big_endian_refused),
		cmocka_unit_test(test_bad_ident_version_refused),
		cmocka_unit_test(test_machine_i386_refused),
		cmocka_unit_test(test_machine_aarch64_refused),
		cmocka_unit_test(test_type_dyn_refused),
		cmocka_unit_test(test_type_rel_refused),
		cmocka_unit_test(test_phoff_beyond_file_refused),
		cmocka_unit_test(test_phoff_huge_refused),
		cmocka_unit_test(test_phnum_beyond_file_refused),
		cmocka_unit_test(test_phnum_xnum_refused),
		cmocka_unit_test(test_phentsize_wrong_refused),
		cmocka_unit_test(test_phnum_zero_refused),
		cmocka_unit_test(test_segment_in_hole_refused),
		cmocka_unit_test(test_segment_spanning_two_dimms_refused),
		cmocka_unit_test(test_segment_spanning_adjacent_dimms_refused),
		cmocka_unit_test(test_segment_below_first_dimm_refused),
		cmocka_unit_test(test_segment_with_no_ram_at_all_refused),
		cmocka_unit_test(test_segment_running_into_hole_refused),
		cmocka_unit_test(test_segment_starting_in_hole_refused),
		cmocka_unit_test(test_segment_beyond_every_dimm_refused),
		cmocka_unit_test(test_filesz_greater_than_memsz_refused),
		cmocka_unit_test(test_offset_plus_filesz_beyond_file_refused),
		cmocka_unit_test(test_offset_overflow_refused),
		cmocka_unit_test(test_paddr_plus_memsz_overflow_refused),
		cmocka_unit_test(test_paddr_plus_memsz_exactly_2_64_refused),
		cmocka_unit_test(test_overlapping_segments_refused),
		cmocka_unit_test(test_segment_inside_another_refused),
		cmocka_unit_test(test_segment_over_boot_area_refused),
		cmocka_unit_test(test_segment_covering_boot_area_refused),
		cmocka_unit_test(test_too_many_load_segments_refused),
		cmocka_unit_test(test_no_load_segment_refused),
		cmocka_unit_test(test_no_pt_note_refused),
		cmocka_unit_test(test_pt_note_without_xen_note_refused),
		cmocka_unit_test(test_xen_note_of_another_type_refused),
		cmocka_unit_test(test_type_18_note_of_another_owner_refused),
		cmocka_unit_test(test_pvh_note_desc_size_2_refused),
		cmocka_unit_test(test_note_namesz_overflowing_segment_refused),
		cmocka_unit_test(test_note_descsz_overflowing_segment_refused),
		cmocka_unit_test(test_note_contents_beyond_file_refused),
		cmocka_unit_test(test_note_offset_overflow_refused),
		cmocka_unit_test(test_two_disagreeing_pvh_notes_refused),
		cmocka_unit_test(test_entry_above_4g_with_8_byte_desc_refused),
		cmocka_unit_test(test_entry_outside_every_segment_refused),
		cmocka_unit_test(test_entry_just_past_text_refused),
		cmocka_unit_test(test_entry_in_non_executable_segment_refused),
		cmocka_unit_test(test_entry_in_zero_filled_tail_refused),
		cmocka_unit_test(test_load_file_valid_image),
		cmocka_unit_test(test_load_file_refusal_names_the_path),
		cmocka_unit_test(test_load_missing_file_refused),
		cmocka_unit_test(test_load_directory_refused),
		cmocka_unit_test(test_load_empty_file_refused),
		cmocka_unit_test(test_load_device_file_refused),
		cmocka_unit_test(test_load_file_over_1g_refused),
		cmocka_unit_test(test_load_fifo_refused_without_blocking),
		cmocka_unit_test(test_load_out_of_memory_is_named),
		cmocka_unit_test(test_real_guest_elf_loads),
		cmocka_unit_test(test_real_guest_elf_truncated_is_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
