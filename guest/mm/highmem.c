// SPDX-License-Identifier: MIT
/*
 * Highmem mappings (see mm/highmem.h): the persistent kmap() pool in the
 * pkmap window and the kmap_local_page() slot stack in the fixmap, with
 * Linux's semantics, for one CPU and no scheduler. Their faults are named
 * by highmem_describe() (registered with the #PF handler).
 */
#include "asm/fault.h"
#include "asm/fixmap.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include <stdarg.h>

#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/highmem.h"
#include "mm/mm_init.h"
#include "mm/slab.h"

_Static_assert((PKMAP_BASE & (PMD_SIZE - 1)) == 0, "the pkmap window is one 2 MiB page table");
_Static_assert(PKMAP_END <= FIXADDR_START, "the pkmap window lies below the fixmap");
_Static_assert(PKMAP_BASE >= 0xffffffffff000000ul, "the pkmap window lies above MODULES_END");

/* Room for one BUG message. */
#define KMAP_BUG_MSG_LEN 200

/* page_address_htable: 2^7 chains of pkmap entries, keyed by pfn. */
#define PA_HASH_BITS 7
#define PA_HASH_SIZE (1u << PA_HASH_BITS)
#define GOLDEN_RATIO_64 0x61c8864680b583ebull /* Linux's hash_64() multiplier */
#define PKMAP_NONE (-1)

/* The pool (see the pkmap_count table in mm/highmem.h). */
static int pkmap_count[LAST_PKMAP];
static unsigned int last_pkmap_nr;
static u64 *pkmap_ptes;               /* the window's page table */
static unsigned long pkmap_pfn[LAST_PKMAP]; /* mapped pfn; after a flush, the last one (0: never) */
static s16 pa_hash_head[PA_HASH_SIZE];
static s16 pa_hash_next[LAST_PKMAP];

unsigned long pkmap_nr_flushes;
unsigned long pkmap_nr_exhausted;

/* The kmap_local stack (one CPU). */
static unsigned int kmap_local_nr;
static bool kmap_local_guards;
static u64 *kmap_local_pte0; /* PTE of slot 0 (FIX_KMAP_BEGIN); slot s is s entries below */
static unsigned long kmap_local_pfn[KM_SLOTS_PER_CPU]; /* last pfn mapped in each slot */

/* Leaf bits of every kmap and kmap_local mapping: kernel data (RW, NX). */
static u64 kmap_prot;

static struct {
	bool armed;
	unsigned int caught;
	char msg[KMAP_BUG_MSG_LEN];
} kmap_bug_trap;

/* A misuse: "BUG: ..." and panic, or recorded if a selftest expects it (mm/highmem.h). */
static void __printf(1, 2) kmap_bug(const char *fmt, ...)
{
	char msg[KMAP_BUG_MSG_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (kmap_bug_trap.armed) {
		if (!kmap_bug_trap.caught++)
			memcpy(kmap_bug_trap.msg, msg, sizeof(msg));
		return;
	}
	printk("BUG: %s\n", msg);
	panic("highmem: %s", msg);
}

void kmap_expect_bug(void)
{
	kmap_bug_trap.armed = true;
	kmap_bug_trap.caught = 0;
	kmap_bug_trap.msg[0] = '\0';
}

const char *kmap_bug_caught(void)
{
	unsigned int caught = kmap_bug_trap.caught;

	kmap_bug_trap.armed = false;
	kmap_bug_trap.caught = 0; /* consumed: the message stays until the next arming */
	return caught ? kmap_bug_trap.msg : NULL;
}

bool PageHighMem(const struct page *page)
{
	return page_to_pfn(page) >= max_low_pfn;
}

/* The hash bucket of @pfn (Linux's hash_long() of the page). */
static unsigned int pa_hash(unsigned long pfn)
{
	return (unsigned int)((pfn * GOLDEN_RATIO_64) >> (64 - PA_HASH_BITS));
}

/* The pkmap entry mapping @pfn, or PKMAP_NONE. */
static int pkmap_lookup(unsigned long pfn)
{
	for (int nr = pa_hash_head[pa_hash(pfn)]; nr != PKMAP_NONE; nr = pa_hash_next[nr]) {
		if (pkmap_pfn[nr] == pfn)
			return nr;
	}
	return PKMAP_NONE;
}

/* Make entry @nr findable by its pfn: it was just mapped. */
static void pa_hash_add(unsigned int nr)
{
	unsigned int h = pa_hash(pkmap_pfn[nr]);

	pa_hash_next[nr] = pa_hash_head[h];
	pa_hash_head[h] = (s16)nr;
}

/* Forget entry @nr's pfn: it is being unmapped (a missing link is corruption). */
static void pa_hash_del(unsigned int nr)
{
	s16 *link = &pa_hash_head[pa_hash(pkmap_pfn[nr])];

	while (*link != PKMAP_NONE && *link != (s16)nr)
		link = &pa_hash_next[*link];
	if (*link == PKMAP_NONE)
		panic("highmem: pkmap entry %u (pfn 0x%lx) missing from its hash chain", nr,
		      pkmap_pfn[nr]);
	*link = pa_hash_next[nr];
}

/*
 * Linux's flush_all_zero_pkmaps(): unmap every entry without users (count
 * 1 -> 0) and flush the TLB once for all of them, if there was any.
 */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;

	for (unsigned int nr = 0; nr < LAST_PKMAP; nr++) {
		if (pkmap_count[nr] != 1)
			continue;
		if (!(pkmap_ptes[nr] & _PAGE_PRESENT))
			panic("highmem: pkmap entry %u has count 1 but no mapping", nr);
		pkmap_count[nr] = 0;
		pkmap_ptes[nr] = 0;
		pa_hash_del(nr);
		need_flush = true;
	}
	if (need_flush) {
		/* 512 pages: beyond the single-page ceiling, so a full flush (one per wrap). */
		flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP));
		pkmap_nr_flushes++;
	}
}

void kmap_flush_unused(void)
{
	if (pkmap_ptes)
		flush_all_zero_pkmaps();
}

/*
 * Linux's map_new_virtual(): the next free entry after the cursor,
 * flushing the unused ones when the cursor wraps. PKMAP_NONE when every
 * entry has users (Linux would sleep; see mm/highmem.h).
 */
static int map_new_virtual(unsigned long pfn)
{
	unsigned int count = LAST_PKMAP;

	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & LAST_PKMAP_MASK;
		if (!last_pkmap_nr) {
			flush_all_zero_pkmaps();
			count = LAST_PKMAP;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;
		if (--count == 0) {
			pkmap_nr_exhausted++;
			printk("kmap: all %u pkmap entries are in use, cannot map pfn 0x%lx: returning NULL (no scheduler to wait on)\n",
			       LAST_PKMAP, pfn);
			return PKMAP_NONE;
		}
	}
	pkmap_ptes[last_pkmap_nr] = PFN_PHYS(pfn) | kmap_prot;
	pkmap_count[last_pkmap_nr] = 1;
	pkmap_pfn[last_pkmap_nr] = pfn;
	pa_hash_add(last_pkmap_nr);
	return (int)last_pkmap_nr;
}

void *kmap(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	int nr;

	if (!PageHighMem(page))
		return page_address(page);
	if (!pkmap_ptes)
		panic("kmap: pfn 0x%lx before kmap_init()", pfn);
	nr = pkmap_lookup(pfn);
	if (nr == PKMAP_NONE) {
		nr = map_new_virtual(pfn);
		if (nr == PKMAP_NONE)
			return NULL;
	}
	if (++pkmap_count[nr] < 2)
		panic("kmap: pkmap entry %d of pfn 0x%lx had count %d", nr, pfn,
		      pkmap_count[nr] - 1);
	return (void *)PKMAP_ADDR(nr);
}

void kunmap(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	int nr;

	if (!PageHighMem(page))
		return;
	nr = pkmap_ptes ? pkmap_lookup(pfn) : PKMAP_NONE;
	if (nr == PKMAP_NONE) {
		kmap_bug("kunmap: pfn 0x%lx is not kmapped", pfn);
		return;
	}
	if (pkmap_count[nr] < 2) {
		kmap_bug("kunmap: pfn 0x%lx at 0x%lx has no user left (pkmap_count %d): unbalanced kunmap",
			 pfn, PKMAP_ADDR(nr), pkmap_count[nr]);
		return;
	}
	/* Down to 1: still mapped, torn down at the next wrap. */
	pkmap_count[nr]--;
}

void *kmap_high_page_address(const struct page *page)
{
	int nr = pkmap_ptes ? pkmap_lookup(page_to_pfn(page)) : PKMAP_NONE;

	return nr == PKMAP_NONE ? NULL : (void *)PKMAP_ADDR(nr);
}

int pkmap_count_of(unsigned int nr)
{
	return nr < LAST_PKMAP ? pkmap_count[nr] : -1;
}

/* The slot of stack entry @i: every other slot in debug mode, so guards sit in between. */
static unsigned int kmap_local_slot(unsigned int i)
{
	return kmap_local_guards ? 2 * i + 1 : i;
}

/* The fixed address of kmap_local slot @slot of this CPU. */
static unsigned long kmap_local_slot_addr(unsigned int slot)
{
	return __fix_to_virt(FIX_KMAP_BEGIN + slot);
}

void *kmap_local_page(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int slot;
	u64 *pte;

	if (!PageHighMem(page))
		return page_address(page);
	if (!kmap_local_pte0)
		panic("kmap_local_page: pfn 0x%lx before kmap_init()", pfn);
	if (kmap_local_nr >= KM_MAX_IDX) {
		kmap_bug("kmap_local_page: stack overflow: %u entries mapped (KM_MAX_IDX), cannot map pfn 0x%lx",
			 kmap_local_nr, pfn);
		return NULL;
	}
	slot = kmap_local_slot(kmap_local_nr);
	pte = kmap_local_pte0 - slot;
	if (*pte & _PAGE_PRESENT)
		panic("kmap_local_page: slot %u at 0x%lx is still mapped (pte 0x%lx)", slot,
		      kmap_local_slot_addr(slot), (unsigned long)*pte);
	/* The slot was unmapped with an INVLPG, so no stale entry can hide the new one. */
	*pte = PFN_PHYS(pfn) | kmap_prot;
	kmap_local_pfn[slot] = pfn;
	kmap_local_nr++;
	return (void *)kmap_local_slot_addr(slot);
}

/* Whether @addr is a direct-map (lowmem) address: kunmap_local() ignores those. */
static bool is_lowmem_addr(unsigned long addr)
{
	return addr >= PAGE_OFFSET && addr - PAGE_OFFSET < PFN_PHYS(max_low_pfn);
}

void kunmap_local(const void *vaddr)
{
	unsigned long addr = (unsigned long)vaddr & PAGE_MASK, top;
	unsigned int slot;

	if (addr < __fix_to_virt(FIX_KMAP_END) || addr > __fix_to_virt(FIX_KMAP_BEGIN)) {
		if (!is_lowmem_addr(addr))
			kmap_bug("kunmap_local(0x%lx): neither a kmap_local slot nor a lowmem address",
				 (unsigned long)vaddr);
		return;
	}
	if (!kmap_local_nr) {
		kmap_bug("kunmap_local(0x%lx): the kmap_local stack is empty",
			 (unsigned long)vaddr);
		return;
	}
	slot = kmap_local_slot(kmap_local_nr - 1);
	top = kmap_local_slot_addr(slot);
	if (addr != top) {
		kmap_bug("kunmap_local(0x%lx): not the top of the kmap_local stack (top 0x%lx, depth %u): unmap in reverse order",
			 (unsigned long)vaddr, top, kmap_local_nr);
		return;
	}
	kmap_local_pte0[-(long)slot] = 0;
	flush_tlb_one_kernel(addr);
	kmap_local_nr--;
}

unsigned int kmap_local_depth(void)
{
	return kmap_local_nr;
}

bool kmap_local_debug_enabled(void)
{
	return kmap_local_guards;
}

int kmap_local_set_debug(bool on)
{
	if (kmap_local_nr)
		return -EBUSY;
	kmap_local_guards = on;
	return 0;
}

/* "last pfn 0x..." or "never mapped", for what a slot held last. */
static const char *pfn_note(unsigned long pfn, char *buf, size_t size)
{
	if (!pfn)
		return "never mapped";
	snprintf(buf, size, "last pfn 0x%lx", pfn);
	return buf;
}

/* What a pkmap entry holds, by its count. */
static void describe_pkmap(unsigned long addr, char *buf, size_t size)
{
	unsigned int nr = PKMAP_NR(addr);
	int count = pkmap_count[nr];
	char note[32];

	if (count == 0)
		snprintf(buf, size, "stale kmap slot: pkmap entry %u at 0x%lx (pkmap_count 0: free and flushed, %s)",
			 nr, PKMAP_ADDR(nr), pfn_note(pkmap_pfn[nr], note, sizeof(note)));
	else if (count == 1)
		snprintf(buf, size, "stale kmap slot: pkmap entry %u at 0x%lx (pkmap_count 1: unused but still mapped, pfn 0x%lx)",
			 nr, PKMAP_ADDR(nr), pkmap_pfn[nr]);
	else
		snprintf(buf, size, "pkmap entry %u at 0x%lx (pkmap_count %d: %d users, pfn 0x%lx)",
			 nr, PKMAP_ADDR(nr), count, count - 1, pkmap_pfn[nr]);
}

/* What a kmap_local slot is: guard, live entry, or stale (above the top). */
static void describe_kmap_local(unsigned long addr, char *buf, size_t size)
{
	unsigned int slot = __virt_to_fix(addr) - FIX_KMAP_BEGIN, entry;
	char note[32];

	if (kmap_local_guards && !(slot & 1)) {
		snprintf(buf, size, "kmap_local guard slot %u at 0x%lx (kmap_local_debug: between entries %d and %u)",
			 slot, kmap_local_slot_addr(slot), (int)slot / 2 - 1, slot / 2);
		return;
	}
	entry = kmap_local_guards ? slot / 2 : slot;
	if (entry >= KM_MAX_IDX)
		snprintf(buf, size, "kmap_local slot %u at 0x%lx (a guard slot, unused without kmap_local_debug)",
			 slot, kmap_local_slot_addr(slot));
	else if (entry >= kmap_local_nr)
		snprintf(buf, size, "stale kmap_local slot %u at 0x%lx (entry %u, above the stack top: depth %u, %s)",
			 slot, kmap_local_slot_addr(slot), entry, kmap_local_nr,
			 pfn_note(kmap_local_pfn[slot], note, sizeof(note)));
	else
		snprintf(buf, size, "kmap_local slot %u at 0x%lx (entry %u of %u, pfn 0x%lx)", slot,
			 kmap_local_slot_addr(slot), entry, kmap_local_nr, kmap_local_pfn[slot]);
}

/* Fault describer (asm/fault.h): the pkmap window and the kmap_local slots. */
static const char *highmem_describe(unsigned long addr, char *buf, size_t size)
{
	if (addr >= PKMAP_BASE && addr < PKMAP_END) {
		describe_pkmap(addr, buf, size);
		return buf;
	}
	if (addr >= __fix_to_virt(FIX_KMAP_END) &&
	    addr < __fix_to_virt(FIX_KMAP_BEGIN) + PAGE_SIZE) {
		describe_kmap_local(addr, buf, size);
		return buf;
	}
	return NULL;
}

void highmem_parse_cmdline(void)
{
	const char *v = cmdline_get("kmap_local_debug");

	if (!v)
		return;
	if (!*v || !strcmp(v, "1") || !strcmp(v, "on"))
		kmap_local_guards = true;
	else if (!strcmp(v, "0") || !strcmp(v, "off"))
		kmap_local_guards = false;
	else
		bad_boot("kmap_local_debug=%s: expected on, off, 1 or 0", v);
}

void kmap_init(void)
{
	fixmap_init();
	kmap_prot = pgtable_prot_kernel_data();
	pkmap_ptes = pgtable_pte_alloc(PKMAP_BASE);
	if (!pkmap_ptes)
		panic("kmap: no page table for the pkmap window at 0x%lx", PKMAP_BASE);
	for (unsigned int h = 0; h < PA_HASH_SIZE; h++)
		pa_hash_head[h] = PKMAP_NONE;
	kmap_local_pte0 = fixmap_pte(FIX_KMAP_BEGIN);
	fault_register_describer(highmem_describe);
	printk("highmem: pkmap %u entries at [0x%lx-0x%lx], kmap_local %u x %u slots at [0x%lx-0x%lx]%s\n",
	       LAST_PKMAP, PKMAP_BASE, PKMAP_END - 1, NR_CPUS, KM_SLOTS_PER_CPU,
	       __fix_to_virt(FIX_KMAP_END), __fix_to_virt(FIX_KMAP_BEGIN) + PAGE_SIZE - 1,
	       kmap_local_guards ? ", kmap_local_debug (guard slots)" : "");
}
