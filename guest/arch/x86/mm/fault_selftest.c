// SPDX-License-Identifier: MIT
/*
 * The page-fault selftest suite (`selftest=fault`): faults taken on purpose
 * through the probes of asm/extable.h, each checked for what the handler
 * recorded (address, decoded error code, RIP) and how it named what was
 * hit: an unmapped address and its layout region, a user address, a write
 * to a read-only page, an instruction fetch from an NX page, a reserved
 * bit, and a registered describer's answer. The read-only and NX pages are
 * the fixmap's two test slots, mapped here to a page of our own.
 * highmem_selftest.c covers the stale kmap slots and guard slots.
 */
#include "asm/extable.h"
#include "asm/fault.h"
#include "asm/fixmap.h"
#include "asm/msr.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

/* Unmapped and owned by nobody: the start of the upper half (Linux's guard hole). */
#define UNMAPPED_KERNEL_ADDR 0xffff800000000000ul
/* The describer case's page, one page above it. */
#define DESCRIBED_ADDR (UNMAPPED_KERNEL_ADDR + PAGE_SIZE)
/* A user-space address far above the boot identity map of [0, 4 GiB). */
#define UNMAPPED_USER_ADDR 0x0000100000000000ul
/* Bit 51 of an entry: reserved unless MAXPHYADDR is 52. */
#define RESERVED_PTE_BIT (1ull << 51)
#define RET_OPCODE 0xc3
#define TEST_BYTE_OFFSET 8
#define TEST_BYTE 0x5a

/* Check the record of the last probe fault: address, error code, a probe's RIP. */
static void expect_fault(struct selftest *t, unsigned long addr, unsigned long error_code,
			 const char *what)
{
	const struct fault_info *f = probe_last_fault();

	EXPECT_EQ(t, f->addr, addr);
	EXPECT_EQ(t, f->error_code, error_code);
	EXPECT_TRUE(t, strstr(f->what, what));
	printk("    # 0x%lx err 0x%lx rip 0x%lx: %s\n", f->addr, f->error_code, f->ip, f->what);
}

/* A read of an address nobody maps: not present, named by its layout region. */
static void unmapped_address_named(struct selftest *t)
{
	unsigned long faults = nr_page_faults, probes = nr_probe_faults;
	u8 byte = 0;

	EXPECT_EQ(t, probe_read_u8((void *)UNMAPPED_KERNEL_ADDR, &byte), -EFAULT);
	expect_fault(t, UNMAPPED_KERNEL_ADDR, 0, "not-present page: Kernel Space [no mapping]");
	EXPECT_TRUE(t, search_exception_tables(probe_last_fault()->ip) != NULL);
	EXPECT_EQ(t, nr_page_faults - faults, 1);
	EXPECT_EQ(t, nr_probe_faults - probes, 1);
	EXPECT_EQ(t, byte, 0); /* left alone */
	EXPECT_EQ(t, probe_write_u64((void *)UNMAPPED_KERNEL_ADDR, 1), -EFAULT);
	expect_fault(t, UNMAPPED_KERNEL_ADDR, X86_PF_WRITE, "Kernel Space");
}

/* A probe that does not fault changes no counter and reads the value. */
static void mapped_probe_succeeds(struct selftest *t)
{
	static u64 word = 0x1122334455667788ull;
	unsigned long faults = nr_page_faults;
	u64 v = 0;

	EXPECT_EQ(t, probe_read_u64(&word, &v), 0);
	EXPECT_EQ(t, v, word);
	EXPECT_EQ(t, probe_write_u64(&word, v + 1), 0);
	EXPECT_EQ(t, word, 0x1122334455667789ull);
	EXPECT_EQ(t, nr_page_faults, faults);
}

/* The lower half: named a user address. */
static void user_address_named(struct selftest *t)
{
	u8 byte;

	EXPECT_EQ(t, probe_read_u8((void *)UNMAPPED_USER_ADDR, &byte), -EFAULT);
	expect_fault(t, UNMAPPED_USER_ADDR, 0, "user address: User Space");
}

/* A page of our own with a known byte, for the fixmap test slots; 0 on failure. */
static phys_addr_t test_page(struct selftest *t, struct page **pagep, u8 byte0)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u8 *va;

	if (!fixmap_ready()) {
		selftest_skip(t, "fixmap_init() has not run");
		if (page)
			__free_page(page);
		return 0;
	}
	if (!EXPECT_TRUE(t, page))
		return 0;
	va = page_address(page);
	va[0] = byte0;
	va[TEST_BYTE_OFFSET] = TEST_BYTE;
	*pagep = page;
	return PFN_PHYS(page_to_pfn(page));
}

/* A read-only mapping: reads work, a write faults with PROT|WRITE, named with its slot. */
static void write_to_read_only_named(struct selftest *t)
{
	unsigned long va = __fix_to_virt(FIX_FAULT_TEST_RO);
	struct page *page;
	phys_addr_t pa = test_page(t, &page, 0);
	u8 byte = 0;

	if (!pa)
		return;
	__set_fixmap(FIX_FAULT_TEST_RO, pa, pgtable_prot_kernel_data() & ~(u64)_PAGE_RW);
	EXPECT_EQ(t, probe_read_u8((void *)(va + TEST_BYTE_OFFSET), &byte), 0);
	EXPECT_EQ(t, byte, TEST_BYTE);
	EXPECT_EQ(t, probe_write_u8((void *)(va + TEST_BYTE_OFFSET), 1), -EFAULT);
	expect_fault(t, va + TEST_BYTE_OFFSET, X86_PF_PROT | X86_PF_WRITE,
		     "write to a read-only mapping: fixmap slot 1 (FIX_FAULT_TEST_RO) [pte 0x");
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, " 4K ro "));
	EXPECT_EQ(t, ((u8 *)page_address(page))[TEST_BYTE_OFFSET], TEST_BYTE);
	clear_fixmap(FIX_FAULT_TEST_RO);
	/* Cleared: now it is not present, and still named by its slot. */
	EXPECT_EQ(t, probe_read_u8((void *)va, &byte), -EFAULT);
	expect_fault(t, va, 0, "not-present page: fixmap slot 1 (FIX_FAULT_TEST_RO) [no mapping]");
	__free_page(page);
}

/*
 * An NX page holding a RET: calling it faults with PROT|INSTR (RIP = the
 * page), named; the same page mapped executable runs (the RET returns).
 */
static void nx_fetch_named(struct selftest *t)
{
	unsigned long va = __fix_to_virt(FIX_FAULT_TEST_NX);
	u64 prot = pgtable_prot_kernel_data(), efer = rdmsr(MSR_EFER);
	struct page *page;
	phys_addr_t pa;

	pa = test_page(t, &page, RET_OPCODE);
	if (!pa)
		return;
	/*
	 * Without EFER.NXE bit 63 is reserved: turn NX on for the case if the
	 * boot left it off (no other PTE has bit 63 then, so nothing else
	 * changes), and back off after our PTE is gone.
	 */
	if (!(efer & EFER_NX))
		wrmsr(MSR_EFER, efer | EFER_NX);
	__set_fixmap(FIX_FAULT_TEST_NX, pa, prot | _PAGE_NX);
	EXPECT_EQ(t, probe_exec((void *)va), -EFAULT);
	expect_fault(t, va, X86_PF_PROT | X86_PF_INSTR,
		     "instruction fetch from an NX mapping: fixmap slot 2 (FIX_FAULT_TEST_NX)");
	EXPECT_EQ(t, probe_last_fault()->ip, va);
	EXPECT_TRUE(t, strstr(probe_last_fault()->what, " 4K RW NX]"));
	__set_fixmap(FIX_FAULT_TEST_NX, pa, prot & ~(u64)_PAGE_NX);
	EXPECT_EQ(t, probe_exec((void *)va), 0);
	clear_fixmap(FIX_FAULT_TEST_NX);
	if (!(efer & EFER_NX))
		wrmsr(MSR_EFER, efer);
	__free_page(page);
}

/* A reserved bit in a present PTE: RSVD in the error code, named. */
static void reserved_bit_named(struct selftest *t)
{
	unsigned long va = __fix_to_virt(FIX_FAULT_TEST_RO);
	struct page *page;
	phys_addr_t pa = test_page(t, &page, 0);
	unsigned long rsvd;
	u8 byte;

	if (!pa)
		return;
	__set_fixmap(FIX_FAULT_TEST_RO, pa, pgtable_prot_kernel_data());
	*fixmap_pte(FIX_FAULT_TEST_RO) |= RESERVED_PTE_BIT;
	flush_tlb_one_kernel(va);
	EXPECT_EQ(t, probe_read_u8((void *)va, &byte), -EFAULT);
	/*
	 * The SDM sets P with RSVD (the entry was present) and KVM does;
	 * QEMU 7.2's TCG reports RSVD alone. Either way the verdict is the same.
	 */
	rsvd = probe_last_fault()->error_code == X86_PF_RSVD ? X86_PF_RSVD :
								 X86_PF_PROT | X86_PF_RSVD;
	expect_fault(t, va, rsvd,
		     "reserved bit set in a paging entry: fixmap slot 1 (FIX_FAULT_TEST_RO)");
	clear_fixmap(FIX_FAULT_TEST_RO);
	__free_page(page);
}

static bool describer_armed;

/* The test's describer: names DESCRIBED_ADDR's page while the case runs. */
static const char *test_describe(unsigned long addr, char *buf, size_t size)
{
	if (!describer_armed || (addr & PAGE_MASK) != DESCRIBED_ADDR)
		return NULL;
	snprintf(buf, size, "selftest area page at 0x%lx", addr & PAGE_MASK);
	return buf;
}

/* A registered describer names its addresses, before the layout regions. */
static void describer_names_its_area(struct selftest *t)
{
	static bool registered;
	u8 byte;

	if (!registered) {
		fault_register_describer(test_describe);
		registered = true;
	}
	describer_armed = true;
	EXPECT_EQ(t, probe_read_u8((void *)(DESCRIBED_ADDR + 3), &byte), -EFAULT);
	describer_armed = false;
	expect_fault(t, DESCRIBED_ADDR + 3, 0,
		     "not-present page: selftest area page at 0xffff800000001000 [no mapping]");
	/* Disarmed, the same address falls back to its region. */
	EXPECT_EQ(t, probe_read_u8((void *)(DESCRIBED_ADDR + 3), &byte), -EFAULT);
	expect_fault(t, DESCRIBED_ADDR + 3, 0, "not-present page: Kernel Space");
}

/* Where an address lies, for addresses nobody maps, asked without faulting. */
static void layout_regions_named(struct selftest *t)
{
	static const struct {
		unsigned long addr;
		const char *what;
	} cases[] = {
		{ 0xffffeaf000000000ul, "not-present page: Vmemmap [no mapping]" },
		{ 0xffffffffc0000000ul, "not-present page: Modules [no mapping]" },
		{ 0xffffffffff100000ul, "unused hole between the modules and the pkmap window" },
		{ PKMAP_END, "unused hole between the pkmap window and the fixmap" },
		{ 0xffffffffff600000ul, "legacy vsyscall page" },
		{ 0xffffffffff700000ul, "unused hole above the vsyscall page" },
		{ 0xfffffffffffff000ul, "unused hole at the top" },
	};
	char buf[FAULT_WHAT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		fault_describe(cases[i].addr, 0, buf, sizeof(buf));
		if (!strstr(buf, cases[i].what))
			selftest_check(t, false, __FILE__, __LINE__, "0x%lx: \"%s\" lacks \"%s\"",
				       cases[i].addr, buf, cases[i].what);
	}
	EXPECT_TRUE(t, true); /* the loop reports each mismatch */
}

/* The error code in words, as the oops's #PF lines. */
static void error_code_decoded(struct selftest *t)
{
	char buf[96];

	fault_decode_error(0, buf, sizeof(buf));
	EXPECT_EQ(t, strcmp(buf, "supervisor read access in kernel mode, not-present page"), 0);
	fault_decode_error(X86_PF_PROT | X86_PF_WRITE, buf, sizeof(buf));
	EXPECT_EQ(t, strcmp(buf, "supervisor write access in kernel mode, permissions violation"),
		  0);
	fault_decode_error(X86_PF_PROT | X86_PF_INSTR | X86_PF_USER, buf, sizeof(buf));
	EXPECT_EQ(t, strcmp(buf,
			    "user instruction fetch access in user mode, permissions violation"), 0);
	fault_decode_error(X86_PF_PROT | X86_PF_RSVD, buf, sizeof(buf));
	EXPECT_EQ(t, strcmp(buf, "supervisor read access in kernel mode, reserved bit violation"),
		  0);
}

static const struct selftest_case fault_cases[] = {
	SELFTEST_CASE(unmapped_address_named),
	SELFTEST_CASE(mapped_probe_succeeds),
	SELFTEST_CASE(user_address_named),
	SELFTEST_CASE(write_to_read_only_named),
	SELFTEST_CASE(nx_fetch_named),
	SELFTEST_CASE(reserved_bit_named),
	SELFTEST_CASE(describer_names_its_area),
	SELFTEST_CASE(layout_regions_named),
	SELFTEST_CASE(error_code_decoded),
};
SELFTEST_SUITE(fault, fault_cases);
