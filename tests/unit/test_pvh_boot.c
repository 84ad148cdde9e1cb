/* SPDX-License-Identifier: MIT */
/*
 * PVH start-of-day structures (vmm/pvh_boot.c): what lands in guest memory,
 * byte for byte, and what is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../shared/pvh.h"
#include "../../vmm/pvh_boot.h"

#define LOW_SIZE (1u << 20)

struct fixture {
	struct guest_dimm dimm;
	struct guest_mem mem;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dimm = (struct guest_dimm){ .gpa = 0, .size = LOW_SIZE, .hva = malloc(LOW_SIZE) };
	assert_non_null(f->dimm.hva);
	memset(f->dimm.hva, 0xcc, LOW_SIZE); /* junk that must be overwritten */
	f->mem = (struct guest_mem){ .dimms = &f->dimm, .nr = 1 };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->dimm.hva);
	free(f);
	return 0;
}

static const struct e820_entry two[] = {
	{ .addr = 0, .size = 0x9fc00, .type = E820_TYPE_RAM },
	{ .addr = 0x9fc00, .size = 0x60400, .type = E820_TYPE_RESERVED },
};

static void test_start_info_fields(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	struct hvm_start_info si;

	assert_int_equal(pvh_boot_write(&f->mem, two, 2, "console=ttyS0", &err), 0);
	memcpy(&si, f->dimm.hva + PVH_START_INFO_ADDR, sizeof(si));
	assert_int_equal(si.magic, HVM_START_MAGIC_VALUE);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(si.modlist_paddr, 0);
	assert_int_equal(si.rsdp_paddr, 0);
	assert_int_equal(si.cmdline_paddr, PVH_CMDLINE_ADDR);
	assert_int_equal(si.memmap_paddr, PVH_MEMMAP_ADDR);
	assert_int_equal(si.memmap_entries, 2);
	assert_int_equal(si.reserved, 0);
}

static void test_memmap_entries(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	struct hvm_memmap_table_entry e[3];

	assert_int_equal(pvh_boot_write(&f->mem, two, 2, "", &err), 0);
	memcpy(e, f->dimm.hva + PVH_MEMMAP_ADDR, sizeof(e));
	assert_int_equal(e[0].addr, 0);
	assert_int_equal(e[0].size, 0x9fc00);
	assert_int_equal(e[0].type, 1);
	assert_int_equal(e[0].reserved, 0);
	assert_int_equal(e[1].addr, 0x9fc00);
	assert_int_equal(e[1].size, 0x60400);
	assert_int_equal(e[1].type, 2);
	/* the rest of the table page is cleared, not left as junk */
	assert_int_equal(e[2].addr, 0);
	assert_int_equal(e[2].type, 0);
}

static void test_cmdline_nul_terminated_and_padded(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	const char *c = (const char *)f->dimm.hva + PVH_CMDLINE_ADDR;

	assert_int_equal(pvh_boot_write(&f->mem, two, 2, "a=b c", &err), 0);
	assert_string_equal(c, "a=b c");
	for (unsigned i = 5; i <= PVH_CMDLINE_MAX; i++)
		assert_int_equal(c[i], 0);
}

static void test_cmdline_at_limit(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	char *line = malloc(PVH_CMDLINE_MAX + 1);

	memset(line, 'x', PVH_CMDLINE_MAX);
	line[PVH_CMDLINE_MAX] = '\0';
	assert_int_equal(pvh_boot_write(&f->mem, two, 2, line, &err), 0);
	assert_int_equal(strlen((char *)f->dimm.hva + PVH_CMDLINE_ADDR), PVH_CMDLINE_MAX);
	free(line);
}

static void test_cmdline_too_long(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	char *line = malloc(PVH_CMDLINE_MAX + 2);

	memset(line, 'x', PVH_CMDLINE_MAX + 1);
	line[PVH_CMDLINE_MAX + 1] = '\0';
	assert_int_equal(pvh_boot_write(&f->mem, two, 2, line, &err), -1);
	assert_non_null(strstr(err.msg, "4096"));
	assert_non_null(strstr(err.msg, "4095"));
	free(line);
}

static void test_too_many_entries(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;
	static struct e820_entry many[E820_MAX_ENTRIES + 1];

	assert_int_equal(pvh_boot_write(&f->mem, many, E820_MAX_ENTRIES, "", &err), 0);
	assert_int_equal(pvh_boot_write(&f->mem, many, E820_MAX_ENTRIES + 1, "", &err), -1);
	assert_non_null(strstr(err.msg, "129"));
}

static void test_boot_area_not_in_ram(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err;

	f->dimm.gpa = 0x100000; /* no RAM at 0x6000 */
	assert_int_equal(pvh_boot_write(&f->mem, two, 2, "", &err), -1);
	assert_non_null(strstr(err.msg, "0x6000"));
	f->dimm.gpa = 0;
	f->dimm.size = 0x8800; /* the command line page would stick out */
	assert_int_equal(pvh_boot_write(&f->mem, two, 2, "", &err), -1);
	f->dimm.size = LOW_SIZE;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_info_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memmap_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_nul_terminated_and_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_at_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_area_not_in_ram, setup, teardown),
	};
	return cmocka_run_group_tests_name("pvh_boot", tests, NULL, NULL);
}
