// SPDX-License-Identifier: MIT
/*
 * touch=N@ADDR (see kernel/workload.h): a known number of first touches in
 * a known physical range, for the host's uffd and dirty monitors and for
 * bench/monitor.sh. The range is reserved from memblock early, so no
 * allocator and no struct page initialisation ever writes to it; the touch
 * loop is four instructions per page, as guest instructions are slow here.
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/kstrtox.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/workload.h"
#include "mm/e820.h"
#include "mm/e820_setup.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"

#define TSC_NS_PER_US 1000ul

static u64 touch_pages;  /* 0: no touch= */
static u64 touch_addr;   /* any address in the chosen RAM range */
static phys_addr_t touch_base; /* reserved range, once workload_reserve() ran */

/* Does @s end with a size suffix (then N is bytes)? */
static bool has_size_suffix(const char *s)
{
	size_t n = strlen(s);
	char c = n ? s[n - 1] : '\0';

	return c == 'K' || c == 'k' || c == 'M' || c == 'm' || c == 'G' || c == 'g' ||
	       c == 'T' || c == 't';
}

/* The '@' in @s, or NULL. */
static const char *find_at(const char *s)
{
	for (; *s; s++)
		if (*s == '@')
			return s;
	return NULL;
}

/* touch=N@ADDR: N pages (or bytes with a suffix), ADDR any address of a RAM range. */
void workload_parse_cmdline(void)
{
	const char *val = cmdline_get("touch");
	char count[KSTRTOSIZE_MAX_DIGITS + 1];
	const char *at;
	u64 n;

	if (!val)
		return;
	at = find_at(val);
	if (!at || (size_t)(at - val) > KSTRTOSIZE_MAX_DIGITS || at == val)
		bad_boot("touch=%s: expected N@ADDR (N pages, or bytes with K/M/G/T)", val);
	memcpy(count, val, (size_t)(at - val));
	count[at - val] = '\0';
	if (has_size_suffix(count)) {
		if (kstrtosize(count, &n) || !n || n % PAGE_SIZE)
			bad_boot("touch=%s: size \"%s\" is not a non-zero multiple of 4K", val,
				 count);
		n /= PAGE_SIZE;
	} else if (kstrtou64(count, 0, &n) || !n) {
		bad_boot("touch=%s: page count \"%s\" is not a number above 0", val, count);
	}
	if (kstrtosize(at + 1, &touch_addr))
		bad_boot("touch=%s: address \"%s\" is not a number", val, at + 1);
	touch_pages = n;
}

/* The usable E820 RAM range holding touch_addr, or NULL. */
static const struct e820_entry *find_ram_range(void)
{
	for (u32 i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];

		if (e->type == E820_TYPE_RAM && touch_addr >= e->addr &&
		    touch_addr - e->addr < e->size)
			return e;
	}
	return NULL;
}

/* Take the pages from memblock before sparse_init() and the buddy allocator can. */
void workload_reserve(void)
{
	const struct e820_entry *e;
	u64 size = touch_pages << PAGE_SHIFT;

	if (!touch_pages)
		return;
	e = find_ram_range();
	if (!e)
		bad_boot("touch=: 0x%lx is not in a usable E820 RAM range",
			 (unsigned long)touch_addr);
	if (touch_pages > e->size >> PAGE_SHIFT)
		bad_boot("touch=: %lu pages do not fit in [mem 0x%016lx-0x%016lx]",
			 (unsigned long)touch_pages, (unsigned long)e->addr,
			 (unsigned long)(e->addr + e->size - 1));
	/* 2 MiB aligned when large enough: the mapping then needs few tables. */
	if (size >= PMD_SIZE)
		touch_base = memblock_phys_alloc_range(size, PMD_SIZE, e->addr, e->addr + e->size);
	if (!touch_base)
		touch_base = memblock_phys_alloc_range(size, PAGE_SIZE, e->addr,
						       e->addr + e->size);
	if (!touch_base)
		bad_boot("touch=: no %lu free pages left in [mem 0x%016lx-0x%016lx]",
			 (unsigned long)touch_pages, (unsigned long)e->addr,
			 (unsigned long)(e->addr + e->size - 1));
}

/* One byte per page: four instructions a page (store, add, decrement, branch). */
static void touch_loop(u8 *p, u64 pages)
{
	asm volatile("1:\n\t"
		     "movb $1, (%0)\n\t"
		     "add %2, %0\n\t"
		     "dec %1\n\t"
		     "jnz 1b"
		     : "+r"(p), "+r"(pages)
		     : "i"(PAGE_SIZE)
		     : "memory", "cc");
}

/* After boot: map (outside lowmem), touch, report. */
void workload_run(void)
{
	u64 size = touch_pages << PAGE_SHIFT, t0, cycles;
	u64 lowmem_end = (u64)max_low_pfn << PAGE_SHIFT;
	u64 map_start = touch_base > lowmem_end ? touch_base : lowmem_end;
	u32 khz = boot_cpu_data.tsc_khz;
	int err;

	if (!touch_pages)
		return;
	/*
	 * Above lowmem there is no direct mapping: map what lies above it
	 * where the direct map would have it (PAGE_OFFSET + pa), so the whole
	 * range is one virtual run from __va(touch_base), for the touch only.
	 */
	if (touch_base + size > lowmem_end) {
		err = kernel_map_range((unsigned long)__va(map_start), map_start,
				       touch_base + size - map_start, pgtable_prot_kernel_data(),
				       PGTABLE_MAP_LARGE);
		if (err)
			bad_boot("touch=: cannot map [mem 0x%016lx-0x%016lx] (error %d)",
				 (unsigned long)map_start, (unsigned long)(touch_base + size - 1),
				 err);
	}
	t0 = bench_rdtsc();
	touch_loop((u8 *)__va(touch_base), touch_pages);
	cycles = bench_rdtsc() - t0;
	/* The wall time only when the hypervisor said how fast the TSC runs. */
	printk("workload: touched %lu pages [mem 0x%016lx-0x%016lx] in %lu TSC cycles (%lu us)\n",
	       (unsigned long)touch_pages, (unsigned long)touch_base,
	       (unsigned long)(touch_base + size - 1), (unsigned long)cycles,
	       khz ? (unsigned long)(cycles * TSC_NS_PER_US / khz) : 0ul);
}
