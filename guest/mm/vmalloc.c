// SPDX-License-Identifier: MIT
/*
 * The vmalloc area allocator and vmalloc/vfree/vmap/vunmap (mm/vmalloc.h).
 *
 * Bookkeeping: one list of busy areas (struct vm_struct, kmalloc'd),
 * sorted by address; the free space is the gaps between them, so there is
 * no free list to keep in step and freeing needs no coalescing. An
 * allocation is first fit over the gaps, O(live areas); a free or lookup
 * is O(live areas) too. That is Linux's design before 2.6.28 (vmlist);
 * Linux now keeps a busy rbtree and a free rbtree augmented with the
 * largest gap below each node, O(log n), which pays off with tens of
 * thousands of areas, not with the handful a kernel this size has.
 *
 * Every area's size includes its guard page, so the gaps are computed
 * against it and two areas are never adjacent without one.
 *
 * Mapping: 4 KiB PTEs written straight into the kernel page tables, one
 * walk per 2 MiB (pgtable_pte_alloc(); page-table pages come from the
 * buddy and count in PageTables); unmapping clears the PTEs the same way
 * and ends with a single flush_tlb_kernel_range().
 */
#include <stdarg.h>

#include "abi/ptdump_markers.h"
#include "asm/fault.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/sparse.h"
#include "mm/vmalloc.h"

_Static_assert(VMALLOC_START == PTDUMP_VMALLOC_START, "vmalloc marker of ptdump");

/* "swapper/0", the task every message of this one-CPU kernel runs as (Linux's comm). */
#define VMALLOC_COMM "swapper/0"
/* Room for format_gfp_flags()'s names of a mask. */
#define GFP_NAMES_LEN 128
/* The flags a vmap() caller may give: the area never owns the pages nor a memtype. */
#define VMAP_FLAGS (VM_MAP | VM_NO_GUARD)
/* Linux x86-64's IOREMAP_MAX_ORDER with huge vmap: ioremap areas align up to 1 GiB. */
#define IOREMAP_MAX_ORDER PUD_SHIFT

static struct list_head vmap_area_list = LIST_HEAD_INIT(vmap_area_list);
static unsigned long nr_areas;
static unsigned long nr_vmalloc_pages_held;
static bool vmalloc_ready;

u64 vmalloc_prot_kernel(void)
{
	static u64 prot;

	/* Linux's PAGE_KERNEL: kernel data, global where CR4.PGE is on (as the direct map). */
	if (!prot)
		prot = pgtable_prot_kernel_data() | ((read_cr4() & X86_CR4_PGE) ? _PAGE_GLOBAL : 0);
	return prot;
}

/* Round @x up to a multiple of @a (a power of two); 0 if that wraps. */
static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

unsigned long get_vm_area_size(const struct vm_struct *area)
{
	return (area->flags & VM_NO_GUARD) ? area->size : area->size - PAGE_SIZE;
}

/* Linux's get_count_order_long(): the order of the power of two at or above @x (> 0). */
static unsigned int count_order(unsigned long x)
{
	unsigned int order = 0;

	while ((1ul << order) < x)
		order++;
	return order;
}

/*
 * First fit: the lowest @align-aligned address where @size bytes fit in a
 * gap; *@prev gets the list node to insert after. 0 if nothing fits.
 */
static unsigned long find_gap(unsigned long size, unsigned long align, struct list_head **prev)
{
	/* VMALLOC_END is the last byte: an area may end at VMALLOC_END + 1's page below. */
	const unsigned long limit = VMALLOC_END & PAGE_MASK;
	unsigned long start = VMALLOC_START;
	struct vm_struct *a;

	list_for_each_entry(a, &vmap_area_list, list) {
		unsigned long addr = align_up(start, align);
		unsigned long next = (unsigned long)a->addr;

		if (addr >= start && addr <= next && next - addr >= size) {
			*prev = a->list.prev;
			return addr;
		}
		start = next + a->size;
	}
	start = align_up(start, align);
	if (start && start <= limit && limit - start >= size) {
		*prev = vmap_area_list.prev;
		return start;
	}
	return 0;
}

struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long align,
				       unsigned long flags, const void *caller)
{
	struct list_head *prev;
	struct vm_struct *area;
	unsigned long addr;

	if (!vmalloc_ready || !size || size > VMALLOC_TOTAL || !align || (align & (align - 1)))
		return NULL;
	size = align_up(size, PAGE_SIZE);
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (flags & VM_IOREMAP) {
		unsigned int order = count_order(size);

		align = 1ul << (order > IOREMAP_MAX_ORDER ? IOREMAP_MAX_ORDER : order);
	}
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	addr = find_gap(size, align, &prev);
	if (!addr) {
		printk("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
		       size);
		kfree(area);
		return NULL;
	}
	area->addr = (void *)addr;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	list_add(&area->list, prev);
	nr_areas++;
	return area;
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller)
{
	return __get_vm_area_caller(size, PAGE_SIZE, flags, caller);
}

struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	return __get_vm_area_caller(size, PAGE_SIZE, flags, __builtin_return_address(0));
}

struct vm_struct *find_vm_area(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	struct vm_struct *area;

	list_for_each_entry(area, &vmap_area_list, list) {
		unsigned long start = (unsigned long)area->addr;

		if (a < start)
			break;
		if (a - start < area->size)
			return area;
	}
	return NULL;
}

/* The area that starts exactly at @addr, or NULL: frees name an area by its start. */
static struct vm_struct *find_area_start(const void *addr)
{
	struct vm_struct *area = find_vm_area(addr);

	return area && area->addr == addr ? area : NULL;
}

/* Clear the PTEs of [@addr, @addr + @size) and flush the TLB once (below). */
static void vunmap_range(unsigned long addr, unsigned long size);

/*
 * Write 4 KiB PTEs for @nr pages at @addr: @pages[i], or @pa + i pages
 * when @pages is NULL. On failure the PTEs written so far are cleared
 * again (and nothing else: a PTE found present is not ours to clear).
 */
static int vmap_ptes(unsigned long addr, unsigned long nr, struct page **pages, phys_addr_t pa,
		     u64 prot)
{
	const unsigned long start = addr;
	unsigned long i = 0;
	int err = 0;

	prot |= _PAGE_PRESENT;
	while (i < nr && !err) {
		u64 *pte = pgtable_pte_alloc(addr);

		if (!pte) {
			err = -ENOMEM;
			break;
		}
		/* The rest of this page table, without walking again. */
		for (unsigned int idx = pte_index(addr); idx < PTRS_PER_TABLE && i < nr;
		     idx++, i++, pte++, addr += PAGE_SIZE) {
			phys_addr_t p = pages ? PFN_PHYS(page_to_pfn(pages[i]))
					      : pa + i * PAGE_SIZE;

			if (*pte & _PAGE_PRESENT) {
				/* Free space that is mapped: the bookkeeping is broken. */
				printk("vmalloc: 0x%lx is already mapped (pte 0x%llx)\n", addr,
				       (unsigned long long)*pte);
				err = -EINVAL;
				break;
			}
			*pte = p | prot;
		}
	}
	if (err)
		vunmap_range(start, addr - start);
	return err;
}

int vmap_page_range(unsigned long addr, unsigned long size, phys_addr_t pa, u64 prot)
{
	if ((addr | size | pa) & ~PAGE_MASK)
		return -EINVAL;
	return vmap_ptes(addr, size >> PAGE_SHIFT, NULL, pa, prot);
}

/*
 * Clear the PTEs of [@addr, @addr + @size) and flush the TLB once. One
 * walk per page table; pages never mapped are skipped.
 */
static void vunmap_range(unsigned long addr, unsigned long size)
{
	unsigned long va = addr, end = addr + size;

	while (va < end) {
		unsigned int shift;
		u64 *pte = pgtable_leaf_ptr(va, &shift);

		if (!pte || shift != PAGE_SHIFT) {
			/* Not mapped here (or not by us): look at the next page. */
			va += PAGE_SIZE;
			continue;
		}
		for (unsigned int idx = pte_index(va); idx < PTRS_PER_TABLE && va < end;
		     idx++, pte++, va += PAGE_SIZE)
			*pte = 0;
	}
	flush_tlb_kernel_range(addr, end);
}

/* Take @area off the busy list and free it: for an area whose pages are not (or no longer) mapped. */
static void free_unmapped_area(struct vm_struct *area)
{
	list_del(&area->list);
	nr_areas--;
	kfree(area);
}

struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct *area = find_area_start(addr);

	if (!area)
		return NULL;
	list_del(&area->list);
	nr_areas--;
	vunmap_range((unsigned long)area->addr, get_vm_area_size(area));
	return area;
}

/* "swapper/0: vmalloc error: size N, WHY, mode:0x...(NAMES), nodemask=(null)" (warn_alloc()). */
static void vmalloc_warn(gfp_t gfp, unsigned long size, const char *why)
{
	char names[GFP_NAMES_LEN];

	if (gfp & __GFP_NOWARN)
		return;
	format_gfp_flags(names, sizeof(names), gfp);
	printk("%s: vmalloc error: size %lu, %s, mode:%#x(%s), nodemask=(null)\n", VMALLOC_COMM,
	       size, why, gfp, names);
}

/* Give back @nr pages of @pages and the array. */
static void free_page_array(struct page **pages, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++)
		__free_page(pages[i]);
	kfree(pages);
}

void *__vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller)
{
	unsigned long real_size = size, nr, i;
	struct vm_struct *area;
	struct page **pages;

	if (!size) {
		vmalloc_warn(gfp, 0, "zero size refused");
		return NULL;
	}
	nr = size > VMALLOC_TOTAL ? VMALLOC_TOTAL >> PAGE_SHIFT : PFN_UP(size);
	if (size > VMALLOC_TOTAL || nr > totalram_pages()) {
		vmalloc_warn(gfp, real_size, "exceeds total pages");
		return NULL;
	}
	area = __get_vm_area_caller(nr << PAGE_SHIFT, PAGE_SIZE, VM_ALLOC, caller);
	if (!area) {
		vmalloc_warn(gfp, real_size, "vm_struct allocation failed");
		return NULL;
	}
	pages = kmalloc_array(nr, sizeof(*pages), GFP_KERNEL | __GFP_NOWARN);
	if (!pages) {
		vmalloc_warn(gfp, real_size, "failed to allocate page array");
		goto free_area;
	}
	for (i = 0; i < nr; i++) {
		/* Zeroing goes through the new mapping below, not page by page through a window. */
		pages[i] = alloc_page((gfp & ~__GFP_ZERO) | __GFP_NOWARN);
		if (!pages[i])
			break;
	}
	if (i < nr) {
		vmalloc_warn(gfp, real_size, "failed to allocate pages");
		free_page_array(pages, i);
		goto free_area;
	}
	area->pages = pages;
	area->nr_pages = (unsigned int)nr;
	if (vmap_ptes((unsigned long)area->addr, nr, pages, 0, vmalloc_prot_kernel())) {
		vmalloc_warn(gfp, real_size, "could not map pages");
		/* vmap_ptes() unmapped them: no page goes back to the buddy while still mapped. */
		free_unmapped_area(area);
		free_page_array(pages, nr);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(area->addr, 0, nr << PAGE_SHIFT);
	nr_vmalloc_pages_held += nr;
	return area->addr;

free_area:
	free_unmapped_area(area);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL | __GFP_HIGHMEM, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO,
				__builtin_return_address(0));
}

/* What kind of area @area is, for messages: its VM_* type as vmallocinfo names it. */
static const char *area_kind(const struct vm_struct *area)
{
	if (area->flags & VM_ALLOC)
		return "vmalloc";
	if (area->flags & VM_MAP)
		return "vmap";
	if (area->flags & VM_IOREMAP)
		return "ioremap";
	return "vm_area";
}

/*
 * The area @fn ("vfree", "vunmap") may free at @addr, which must have
 * @flag; NULL, with Linux's message (or a sharper one for the wrong
 * kind), otherwise.
 */
static struct vm_struct *area_to_free(const void *addr, unsigned long flag, const char *fn)
{
	struct vm_struct *area;

	if ((unsigned long)addr & ~PAGE_MASK) {
		printk("WARNING: Trying to %s() bad address (%p)\n", fn, addr);
		return NULL;
	}
	area = find_area_start(addr);
	if (!area) {
		printk("WARNING: Trying to %s() nonexistent vm area (%p)\n", fn, addr);
		return NULL;
	}
	if (!(area->flags & flag)) {
		printk("WARNING: Trying to %s() a %s area (%p): not freed\n", fn, area_kind(area),
		       addr);
		return NULL;
	}
	return area;
}

void vfree(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = area_to_free(addr, VM_ALLOC, "vfree");
	if (!area)
		return;
	remove_vm_area(addr);
	nr_vmalloc_pages_held -= area->nr_pages;
	free_page_array(area->pages, area->nr_pages);
	kfree(area);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, u64 prot)
{
	struct vm_struct *area;

	if (!count || !pages || count > totalram_pages())
		return NULL;
	if (flags & ~VMAP_FLAGS) {
		/* VM_ALLOC would let vfree() free pages the caller owns; VM_IOREMAP, iounmap(). */
		printk("vmap: flags 0x%lx: only VM_MAP and VM_NO_GUARD are allowed\n", flags);
		return NULL;
	}
	for (unsigned int i = 0; i < count; i++)
		if (!pages[i] || !pfn_valid(page_to_pfn(pages[i]))) {
			printk("vmap: page %u is not a valid struct page (%p)\n", i, pages[i]);
			return NULL;
		}
	area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, flags | VM_MAP,
				  __builtin_return_address(0));
	if (!area)
		return NULL;
	if (!prot)
		prot = vmalloc_prot_kernel();
	if (vmap_ptes((unsigned long)area->addr, count, pages, 0, prot)) {
		free_unmapped_area(area);
		return NULL;
	}
	area->nr_pages = count;
	return area->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = area_to_free(addr, VM_MAP, "vunmap");
	if (area)
		kfree(remove_vm_area(addr));
}

struct page *vmalloc_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr, pfn;
	unsigned int shift;
	u64 entry;

	if (!is_vmalloc_addr(addr))
		return NULL;
	entry = pgtable_lookup(va, &shift);
	if (!entry)
		return NULL;
	pfn = PHYS_PFN(entry & PTE_PFN_MASK & ~((1ull << shift) - 1)) +
	      ((va & ((1ul << shift) - 1)) >> PAGE_SHIFT);
	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

unsigned long vmalloc_nr_pages(void)
{
	return nr_vmalloc_pages_held;
}

unsigned long vmalloc_nr_areas(void)
{
	return nr_areas;
}

unsigned long vmalloc_largest_chunk(void)
{
	unsigned long start = VMALLOC_START, best = 0;
	struct vm_struct *a;

	list_for_each_entry(a, &vmap_area_list, list) {
		unsigned long gap = (unsigned long)a->addr - start;

		if (gap > best)
			best = gap;
		start = (unsigned long)a->addr + a->size;
	}
	if ((VMALLOC_END & PAGE_MASK) - start > best)
		best = (VMALLOC_END & PAGE_MASK) - start;
	return best;
}

/*
 * Append to @buf (@size bytes, @*len used) as snprintf() would, but never
 * past the end: once the line is cut, the rest is dropped.
 */
static void __printf(4, 5) info_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list args;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(args, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, args);
	va_end(args);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

int vmallocinfo_format(const struct vm_struct *v, char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	/* Linux's s_show(); the caller is a symbol there, its address here. */
	info_append(buf, size, &len, "0x%016lx-0x%016lx %7lu 0x%lx", (unsigned long)v->addr,
		    (unsigned long)v->addr + v->size, v->size, (unsigned long)v->caller);
	if (v->nr_pages)
		info_append(buf, size, &len, " pages=%u", v->nr_pages);
	if (v->phys_addr)
		info_append(buf, size, &len, " phys=0x%016llx", (unsigned long long)v->phys_addr);
	if (v->flags & VM_IOREMAP)
		info_append(buf, size, &len, " ioremap");
	if (v->flags & VM_ALLOC)
		info_append(buf, size, &len, " vmalloc");
	if (v->flags & VM_MAP)
		info_append(buf, size, &len, " vmap");
	return (int)len;
}

void vmallocinfo_show(void)
{
	struct vm_struct *v;

	list_for_each_entry(v, &vmap_area_list, list) {
		char line[VMALLOCINFO_LINE_MAX];

		vmallocinfo_format(v, line, sizeof(line));
		printk("%s\n", line);
	}
}

/*
 * The page-fault handler's names for vmalloc space: the guard page after
 * an area, the inside of one (an access the mapping refused), or the free
 * space. Reads the busy list only (see fault_describer_fn).
 */
static const char *vmalloc_describe(unsigned long addr, char *buf, size_t size)
{
	struct vm_struct *a;

	if (addr < VMALLOC_START || addr > VMALLOC_END)
		return NULL;
	list_for_each_entry(a, &vmap_area_list, list) {
		unsigned long start = (unsigned long)a->addr, used = get_vm_area_size(a);

		if (addr < start)
			break;
		if (addr - start >= a->size)
			continue;
		if (addr - start >= used)
			snprintf(buf, size,
				 "vmalloc guard page of area 0x%lx-0x%lx (%lu bytes, caller 0x%lx)",
				 start, start + used, used, (unsigned long)a->caller);
		else
			snprintf(buf, size,
				 "inside vmalloc area 0x%lx-0x%lx (%lu bytes, caller 0x%lx, %s)",
				 start, start + used, used, (unsigned long)a->caller, area_kind(a));
		return buf;
	}
	return "unused vmalloc space";
}

void vmalloc_init(void)
{
	if (vmalloc_ready)
		return;
	if (!slab_is_available())
		panic("vmalloc_init: called before kmem_cache_init()");
	fault_register_describer(vmalloc_describe);
	vmalloc_ready = true;
}
