// SPDX-License-Identifier: MIT
/*
 * Memory-type reservations (asm/memtype.h), after Linux's
 * arch/x86/mm/pat/memtype.c and memtype_interval.c.
 *
 * Two sets, as in Linux:
 *  - non-RAM reservations (ioremap of a device range): a list sorted by
 *    start, where entries may overlap when their types agree, each entry one
 *    reservation (Linux keeps them in an interval tree; a list does here:
 *    there are a handful of entries, not thousands);
 *  - RAM types: Linux keeps them in two page flags per struct page
 *    (PG_arch_1, PG_uncached); struct page is 32 bytes here and its flags
 *    belong to mm/page.h, so a sorted list of disjoint ranges that are not
 *    WB stands for those flags. A page in no range is WB. It behaves page
 *    for page as Linux's flags do, and also covers RAM without struct page.
 * Entries come from kmalloc(): reservations are possible once the slab
 * allocator is up (ioremap and set_memory_* run after that).
 */
#include "asm/memtype.h"
#include "asm/mtrr.h"
#include "asm/page.h"
#include "asm/pat.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "mm/e820_setup.h"
#include "mm/gfp.h"
#include "mm/slab.h"

/* The legacy ISA hole, never tracked: always mapped WB (Linux's ISA_START/END_ADDRESS). */
#define ISA_START_ADDRESS 0xa0000ull
#define ISA_END_ADDRESS 0x100000ull

/* Physical addresses have at most 52 bits (Linux's __PHYSICAL_MASK_SHIFT). */
#define MAX_PHYS_ADDR (1ull << 52)

/* The task every message names: one kernel thread, Linux's idle task name. */
#define MEMTYPE_TASK "swapper:0"

struct memtype {
	u64 start, end; /* [start, end) */
	enum page_cache_mode type;
	struct list_head list;
};

/* Non-RAM reservations, sorted by start then end; overlapping ones share a type. */
static struct list_head memtype_list = LIST_HEAD_INIT(memtype_list);
/* RAM ranges whose pages are not WB: disjoint, sorted by start. */
static struct list_head ram_list = LIST_HEAD_INIT(ram_list);

const char *cattr_name(enum page_cache_mode pcm)
{
	switch (pcm) {
	case _PAGE_CACHE_MODE_UC:
		return "uncached";
	case _PAGE_CACHE_MODE_UC_MINUS:
		return "uncached-minus";
	case _PAGE_CACHE_MODE_WB:
		return "write-back";
	case _PAGE_CACHE_MODE_WC:
		return "write-combining";
	case _PAGE_CACHE_MODE_WT:
		return "write-through";
	case _PAGE_CACHE_MODE_WP:
		return "write-protected";
	default:
		return "broken";
	}
}

/* Linux's is_ISA_range(): the whole range inside the legacy hole. */
static bool is_untracked_pat_range(u64 start, u64 end)
{
	return start >= ISA_START_ADDRESS && end <= ISA_END_ADDRESS;
}

bool is_new_memtype_allowed(u64 paddr, unsigned long size, enum page_cache_mode pcm,
			    enum page_cache_mode new_pcm)
{
	if (is_untracked_pat_range(paddr, paddr + size))
		return true;
	if (new_pcm == _PAGE_CACHE_MODE_WB &&
	    (pcm == _PAGE_CACHE_MODE_UC_MINUS || pcm == _PAGE_CACHE_MODE_WC ||
	     pcm == _PAGE_CACHE_MODE_WT))
		return false;
	return !(pcm == _PAGE_CACHE_MODE_WT && new_pcm == _PAGE_CACHE_MODE_WC);
}

/*
 * Pages of [@start_pfn, @end_pfn) lying wholly inside E820 RAM: what
 * Linux's walk_system_ram_range() visits (the sanitized table has no
 * overlaps, so the pieces add up).
 */
static u64 ram_pages_in(u64 start_pfn, u64 end_pfn)
{
	u64 n = 0;

	for (u32 i = 0; i < e820_table.nr_entries; i++) {
		const struct e820_entry *e = &e820_table.entries[i];
		u64 s, t;

		if (e->type != E820_TYPE_RAM)
			continue;
		s = (e->addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
		t = (e->addr + e->size) >> PAGE_SHIFT;
		if (s < start_pfn)
			s = start_pfn;
		if (t > end_pfn)
			t = end_pfn;
		if (s < t)
			n += t - s;
	}
	return n;
}

int pat_pagerange_is_ram(u64 start, u64 end)
{
	u64 start_pfn = start >> PAGE_SHIFT;
	u64 end_pfn = (end + PAGE_SIZE - 1) >> PAGE_SHIFT;
	u64 ram;

	/* Linux tracks the legacy ISA region as non-RAM whatever E820 says. */
	if (start_pfn < ISA_END_ADDRESS >> PAGE_SHIFT)
		start_pfn = ISA_END_ADDRESS >> PAGE_SHIFT;
	if (start_pfn >= end_pfn)
		return 0;
	ram = ram_pages_in(start_pfn, end_pfn);
	if (!ram)
		return 0;
	return ram == end_pfn - start_pfn ? 1 : -1;
}

/*
 * Linux's pat_x_mtrr_type(): a WB request is WB only where the MTRRs say
 * WB (disabled MTRRs say nothing: UC-); every other request stands.
 */
static enum page_cache_mode pat_x_mtrr_type(u64 start, u64 end, enum page_cache_mode req)
{
	u8 uniform;

	if (req != _PAGE_CACHE_MODE_WB)
		return req;
	if (mtrr_type_lookup(start, end, &uniform) != MTRR_TYPE_WRBACK)
		return _PAGE_CACHE_MODE_UC_MINUS;
	return _PAGE_CACHE_MODE_WB;
}

/* Whether [@s1, @e1) and [@s2, @e2) share a byte. */
static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 < e2 && s2 < e1;
}

/* ---- RAM: one type per page, WB unless a range of ram_list says otherwise ---- */

/* The first RAM range overlapping [@start, @end), or NULL. */
static struct memtype *ram_first_overlap(u64 start, u64 end)
{
	struct memtype *m;

	list_for_each_entry(m, &ram_list, list) {
		if (m->start >= end)
			break;
		if (overlaps(m->start, m->end, start, end))
			return m;
	}
	return NULL;
}

/* Insert @new into @head sorted by start, then end. */
static void insert_sorted(struct list_head *head, struct memtype *new)
{
	struct memtype *m;

	list_for_each_entry(m, head, list) {
		if (m->start > new->start || (m->start == new->start && m->end > new->end))
			break;
	}
	list_add_tail(&new->list, &m->list);
}

/* Linux's reserve_ram_pages_type(): every page must still be WB. */
static int reserve_ram_pages_type(u64 start, u64 end, enum page_cache_mode req,
				  enum page_cache_mode *new_type)
{
	static bool warned_uc;
	struct memtype *m;

	if (req == _PAGE_CACHE_MODE_WP) {
		if (new_type)
			*new_type = _PAGE_CACHE_MODE_UC_MINUS;
		return -EINVAL;
	}
	if (req == _PAGE_CACHE_MODE_UC) {
		/* Linux: WARN_ON_ONCE, "We do not support strong UC" on RAM. */
		if (!warned_uc)
			printk("WARNING: x86/PAT: strong UC asked for RAM [mem %#010lx-%#010lx], "
			       "UC- used\n", start, end - 1);
		warned_uc = true;
		req = _PAGE_CACHE_MODE_UC_MINUS;
	}
	/* Linux's loop covers the pages from start's to end's, end rounded down. */
	start &= PAGE_MASK;
	end &= PAGE_MASK;
	m = ram_first_overlap(start, end);
	if (m) {
		printk("x86/PAT: reserve_ram_pages_type failed [mem %#010lx-%#010lx], "
		       "track 0x%x, req 0x%x\n", start, end - 1, m->type, req);
		if (new_type)
			*new_type = m->type;
		return -EBUSY;
	}
	if (new_type)
		*new_type = req;
	if (req == _PAGE_CACHE_MODE_WB || start >= end)
		return 0; /* WB is what an untracked page already is */
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->start = start;
	m->end = end;
	m->type = req;
	insert_sorted(&ram_list, m);
	return 0;
}

/* Linux's free_ram_pages_type(): the pages go back to WB, whatever they were. */
static int free_ram_pages_type(u64 start, u64 end)
{
	struct memtype *m, *n, *spare;

	start &= PAGE_MASK;
	end &= PAGE_MASK;
	/*
	 * Freeing the middle of a range leaves two: take the second entry
	 * first so nothing can fail half-way (Linux's free never fails).
	 */
	spare = kmalloc(sizeof(*spare), GFP_KERNEL);
	list_for_each_entry_safe(m, n, &ram_list, list) {
		if (m->start >= end)
			break;
		if (!overlaps(m->start, m->end, start, end))
			continue;
		if (m->start < start && m->end > end) {
			if (!spare)
				return -ENOMEM;
			spare->start = end;
			spare->end = m->end;
			spare->type = m->type;
			m->end = start;
			list_add(&spare->list, &m->list);
			return 0; /* nothing else can overlap a range inside this one */
		}
		if (m->start < start) {
			m->end = start;
		} else if (m->end > end) {
			m->start = end; /* still sorted: nothing between the old and new start */
		} else {
			list_del(&m->list);
			kfree(m);
		}
	}
	kfree(spare);
	return 0;
}

/* ---- non-RAM: Linux's memtype interval tree, as a sorted list ---- */

/*
 * Linux's memtype_check_conflict(): every reservation overlapping
 * [@start, @end) must have @req's type, or (with @newtype) one common
 * type, which is then granted.
 */
static int memtype_check_conflict(u64 start, u64 end, enum page_cache_mode req,
				  enum page_cache_mode *newtype)
{
	enum page_cache_mode found = req;
	struct memtype *m, *first = NULL;

	list_for_each_entry(m, &memtype_list, list) {
		if (m->start >= end)
			break;
		if (!overlaps(m->start, m->end, start, end))
			continue;
		if (!first) {
			first = m;
			if (m->type != found && !newtype)
				goto failure;
			found = m->type;
			continue;
		}
		if (m->type != found)
			goto failure;
	}
	if (newtype)
		*newtype = found;
	return 0;
failure:
	printk("x86/PAT: " MEMTYPE_TASK " conflicting memory types %lx-%lx %s<->%s\n", start,
	       end, cattr_name(found), cattr_name(m->type));
	return -EBUSY;
}

/*
 * Linux's memtype_erase(): the reservation [@start, @end) exactly, else
 * one ending at @end that starts before @start (shrunk, Linux's mremap
 * case). Returns the entry to free, NULL if it was shrunk, or
 * ERR (via *@found false) if there is none.
 */
static struct memtype *memtype_erase(u64 start, u64 end, bool *found)
{
	struct memtype *m;

	*found = true;
	list_for_each_entry(m, &memtype_list, list) {
		if (m->start == start && m->end == end) {
			list_del(&m->list);
			return m;
		}
	}
	list_for_each_entry(m, &memtype_list, list) {
		if (m->start < start && m->end == end) {
			m->end = start; /* the start is unchanged: the list stays sorted enough */
			list_del(&m->list);
			insert_sorted(&memtype_list, m);
			return NULL;
		}
	}
	*found = false;
	return NULL;
}

/* Refuse what Linux would WARN about: an empty or wrapping range, or one past 52 bits. */
static bool bad_range(const char *who, u64 start, u64 end, enum page_cache_mode req)
{
	if (start < end && end <= MAX_PHYS_ADDR)
		return false;
	printk("%s failed: [mem %#010lx-%#010lx], req %s\n", who, start, end - 1,
	       cattr_name(req));
	return true;
}

int memtype_reserve(u64 start, u64 end, enum page_cache_mode req_type,
		    enum page_cache_mode *new_type)
{
	enum page_cache_mode actual;
	struct memtype *entry;
	int is_ram, err;

	if (bad_range(__func__, start, end, req_type))
		return -EINVAL;
	if (!pat_enabled()) {
		/* Without PAT the PTE bits mean what they always meant: nothing to track. */
		if (new_type)
			*new_type = req_type;
		return 0;
	}
	if (is_untracked_pat_range(start, end)) {
		if (new_type)
			*new_type = _PAGE_CACHE_MODE_WB;
		return 0;
	}
	actual = pat_x_mtrr_type(start, end, req_type);
	if (new_type)
		*new_type = actual;
	is_ram = pat_pagerange_is_ram(start, end);
	if (is_ram == 1)
		return reserve_ram_pages_type(start, end, req_type, new_type);
	if (is_ram < 0)
		return -EINVAL;
	if (!slab_is_available())
		return -ENOMEM;
	entry = kmalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->start = start;
	entry->end = end;
	entry->type = actual;
	err = memtype_check_conflict(start, end, actual, new_type);
	if (err) {
		printk("x86/PAT: memtype_reserve failed [mem %#010lx-%#010lx], track %s, req %s\n",
		       start, end - 1, cattr_name(entry->type), cattr_name(req_type));
		kfree(entry);
		return err;
	}
	if (new_type)
		entry->type = *new_type;
	insert_sorted(&memtype_list, entry);
	return 0;
}

int memtype_free(u64 start, u64 end)
{
	struct memtype *entry;
	bool found;
	int is_ram;

	if (!pat_enabled())
		return 0;
	if (bad_range(__func__, start, end, _PAGE_CACHE_MODE_WB))
		return -EINVAL;
	if (is_untracked_pat_range(start, end))
		return 0;
	is_ram = pat_pagerange_is_ram(start, end);
	if (is_ram == 1)
		return free_ram_pages_type(start, end);
	if (is_ram < 0)
		return -EINVAL;
	entry = memtype_erase(start, end, &found);
	if (!found) {
		printk("x86/PAT: " MEMTYPE_TASK " freeing invalid memtype [mem %#010lx-%#010lx]\n",
		       start, end - 1);
		return -EINVAL;
	}
	kfree(entry);
	return 0;
}

enum page_cache_mode memtype_lookup(u64 paddr)
{
	struct memtype *m;

	paddr &= PAGE_MASK;
	if (is_untracked_pat_range(paddr, paddr + PAGE_SIZE))
		return _PAGE_CACHE_MODE_WB;
	if (pat_pagerange_is_ram(paddr, paddr + PAGE_SIZE) == 1) {
		m = ram_first_overlap(paddr, paddr + PAGE_SIZE);
		return m ? m->type : _PAGE_CACHE_MODE_WB;
	}
	list_for_each_entry(m, &memtype_list, list) {
		if (m->start > paddr)
			break;
		if (paddr < m->end)
			return m->type;
	}
	return _PAGE_CACHE_MODE_UC_MINUS;
}

unsigned long memtype_nr_entries(void)
{
	unsigned long n = 0;
	struct list_head *p;

	list_for_each(p, &memtype_list)
		n++;
	list_for_each(p, &ram_list)
		n++;
	return n;
}

/* One line of Linux's pat_memtype_list. */
static void memtype_show_entry(const struct memtype *m)
{
	printk("PAT: [mem 0x%016lx-0x%016lx] %s\n", m->start, m->end, cattr_name(m->type));
}

void memtype_show(void)
{
	struct memtype *m;

	printk("PAT memtype list:\n");
	list_for_each_entry(m, &memtype_list, list)
		memtype_show_entry(m);
	printk("PAT RAM memtypes:\n");
	list_for_each_entry(m, &ram_list, list)
		memtype_show_entry(m);
}
