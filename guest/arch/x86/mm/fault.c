// SPDX-License-Identifier: MIT
/*
 * The page-fault handler (see asm/fault.h): decode the error code, name
 * what the address hit, then either hand the fault to a probe's exception
 * fixup (an expected fault: the kernel goes on) or print Linux's oops lines
 * plus the verdict for do_exception() to end the boot with.
 *
 * What was hit, first answer wins: the registered describers (vmalloc,
 * highmem, fixmap), then the direct map beyond lowmem (a highmem page,
 * reachable only through kmap), then the region of the layout the address
 * lies in, from the page-table dump's marker list (abi/ptdump_markers.h).
 */
#include "abi/ptdump_markers.h"
#include "asm/early_ioremap.h"
#include "asm/extable.h"
#include "asm/fault.h"
#include "asm/fixmap.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "mm/mm_init.h"
#include "mm/page.h"

/* The lower canonical half: user space, which this kernel never maps. */
#define USER_SPACE_END _AC(0x0000800000000000, UL)
/* Linux calls a fault below this a NULL pointer dereference. */
#define NULL_DEREF_LIMIT PAGE_SIZE
/* The direct map's size in Linux's 4-level layout (64 TiB). */
#define DIRECT_MAP_SIZE (_AC(64, UL) << 40)
/* Room for the "where" half of a verdict. */
#define WHERE_LEN 192

unsigned long nr_page_faults;

static fault_describer_fn describers[FAULT_MAX_DESCRIBERS];
static unsigned int nr_describers;

static const struct ptdump_marker markers[] = PTDUMP_MARKERS;

/* Linux's MODULES_END and the legacy vsyscall page (mm.rst). */
#define MODULES_END_ADDR _AC(0xffffffffff000000, UL)
#define VSYSCALL_ADDR _AC(0xffffffffff600000, UL)

/*
 * Parts of the top 16 MiB the markers (starts only) would misname: the
 * gaps around the pkmap window and the fixmap, and the vsyscall page.
 */
static const struct {
	unsigned long start, end;
	const char *name;
} top_regions[] = {
	{ MODULES_END_ADDR, PKMAP_BASE, "unused hole between the modules and the pkmap window" },
	{ PKMAP_END, FIXADDR_START, "unused hole between the pkmap window and the fixmap" },
	{ VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE, "legacy vsyscall page (not mapped here)" },
	{ VSYSCALL_ADDR + PAGE_SIZE, EARLY_IOREMAP_BASE, "unused hole above the vsyscall page" },
	{ EARLY_IOREMAP_BASE + EARLY_IOREMAP_PAGES * PAGE_SIZE, 0, "unused hole at the top" },
};

void fault_register_describer(fault_describer_fn describe)
{
	if (!describe)
		panic("fault_register_describer: NULL describer");
	if (nr_describers == FAULT_MAX_DESCRIBERS)
		panic("fault_register_describer: more than %u describers", FAULT_MAX_DESCRIBERS);
	describers[nr_describers++] = describe;
}

void fault_decode_error(unsigned long error_code, char *out, size_t size)
{
	const char *access = "read";

	if (error_code & X86_PF_INSTR)
		access = "instruction fetch";
	else if (error_code & X86_PF_WRITE)
		access = "write";
	snprintf(out, size, "%s %s access in %s mode, %s%s%s",
		 (error_code & X86_PF_USER) ? "user" : "supervisor", access,
		 (error_code & X86_PF_USER) ? "user" : "kernel",
		 (error_code & X86_PF_RSVD) ? "reserved bit violation" :
		 (error_code & X86_PF_PROT) ? "permissions violation" : "not-present page",
		 (error_code & X86_PF_PK) ? ", protection key" : "",
		 (error_code & X86_PF_SHSTK) ? ", shadow stack" : "");
}

/* The first half of a verdict: why the access failed, from the error code. */
static const char *fault_why(unsigned long addr, unsigned long error_code)
{
	if (addr < USER_SPACE_END)
		return addr < NULL_DEREF_LIMIT ? "NULL pointer dereference" : "user address";
	if (error_code & X86_PF_RSVD)
		return "reserved bit set in a paging entry";
	if (error_code & X86_PF_PROT) {
		if (error_code & X86_PF_INSTR)
			return "instruction fetch from an NX mapping";
		if (error_code & X86_PF_WRITE)
			return "write to a read-only mapping";
		return "protection violation";
	}
	return "not-present page";
}

/* The layout region @addr lies in, by the last marker at or below it. */
static const char *region_name(unsigned long addr)
{
	const char *name = markers[0].name;

	for (size_t i = 0; i < ARRAY_SIZE(markers); i++) {
		if (addr >= markers[i].start)
			name = markers[i].name;
	}
	return name;
}

/* The second half of a verdict: where @addr is, into @buf. */
static void fault_where(unsigned long addr, char *buf, size_t size)
{
	for (unsigned int i = 0; i < nr_describers; i++) {
		const char *s = describers[i](addr, buf, size);

		if (s) {
			if (s != buf)
				snprintf(buf, size, "%s", s);
			return;
		}
	}
	if (addr < USER_SPACE_END) {
		snprintf(buf, size, "User Space (this kernel maps no user memory)");
	} else if (addr >= PAGE_OFFSET && addr - PAGE_OFFSET < DIRECT_MAP_SIZE &&
		   addr - PAGE_OFFSET >= PFN_PHYS(max_low_pfn)) {
		snprintf(buf, size, "direct map beyond lowmem (pfn 0x%lx is above the lowmem limit 0x%lx: highmem is reachable only through kmap)",
			 (unsigned long)PHYS_PFN(addr - PAGE_OFFSET), (unsigned long)max_low_pfn);
	} else if (addr >= EARLY_IOREMAP_BASE &&
		   addr < EARLY_IOREMAP_BASE + EARLY_IOREMAP_PAGES * PAGE_SIZE) {
		snprintf(buf, size, "early_ioremap window slot %lu",
			 (addr - EARLY_IOREMAP_BASE) >> PAGE_SHIFT);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(top_regions); i++) {
			if (addr >= top_regions[i].start &&
			    (addr < top_regions[i].end || !top_regions[i].end)) {
				snprintf(buf, size, "%s", top_regions[i].name);
				return;
			}
		}
		snprintf(buf, size, "%s", region_name(addr));
	}
}

/* The leaf mapping @addr, as " [pte 0x... 4K RW NX]", or " [no mapping]". */
static void fault_leaf(unsigned long addr, char *buf, size_t size)
{
	unsigned int shift = 0;
	u64 e = addr >= USER_SPACE_END ? pgtable_lookup(addr, &shift) : 0;

	if (!e) {
		snprintf(buf, size, " [no mapping]");
		return;
	}
	snprintf(buf, size, " [%s 0x%lx %s %s %s]",
		 shift == PAGE_SHIFT ? "pte" : shift == PMD_SHIFT ? "pmd" : "pud",
		 (unsigned long)e,
		 shift == PAGE_SHIFT ? "4K" : shift == PMD_SHIFT ? "2M" : "1G",
		 (e & _PAGE_RW) ? "RW" : "ro", (e & _PAGE_NX) ? "NX" : "x");
}

void fault_describe(unsigned long addr, unsigned long error_code, char *out, size_t size)
{
	char where[WHERE_LEN], leaf[64];

	where[0] = '\0';
	fault_where(addr, where, sizeof(where));
	fault_leaf(addr, leaf, sizeof(leaf));
	snprintf(out, size, "%s: %s%s", fault_why(addr, error_code), where, leaf);
}

bool fault_fixup(struct pt_regs *regs, unsigned long cr2)
{
	struct fault_info info;

	nr_page_faults++;
	info.addr = cr2;
	info.error_code = regs->error_code;
	info.ip = regs->ip;
	fault_describe(cr2, regs->error_code, info.what, sizeof(info.what));
	return fixup_exception(regs, &info);
}

void fault_show_oops(const struct pt_regs *regs, unsigned long cr2)
{
	char buf[FAULT_WHAT_LEN];
	unsigned long error_code = regs->error_code;
	const char *access = "read";

	if (cr2 < NULL_DEREF_LIMIT)
		printk("BUG: kernel NULL pointer dereference, address: %016lx\n", cr2);
	else
		printk("BUG: unable to handle page fault for address: %016lx\n", cr2);
	if ((error_code & (X86_PF_INSTR | X86_PF_PROT)) == (X86_PF_INSTR | X86_PF_PROT))
		printk("kernel tried to execute NX-protected page - exploit attempt? (uid: 0)\n");
	if (error_code & X86_PF_INSTR)
		access = "instruction fetch";
	else if (error_code & X86_PF_WRITE)
		access = "write";
	printk("#PF: %s %s access in %s mode\n",
	       (error_code & X86_PF_USER) ? "user" : "supervisor", access,
	       (error_code & X86_PF_USER) ? "user" : "kernel");
	printk("#PF: error_code(0x%04lx) - %s\n", error_code,
	       (error_code & X86_PF_RSVD) ? "reserved bit violation" :
	       (error_code & X86_PF_PROT) ? "permissions violation" : "not-present page");
	fault_describe(cr2, error_code, buf, sizeof(buf));
	printk("#PF: hit %s\n", buf);
}
