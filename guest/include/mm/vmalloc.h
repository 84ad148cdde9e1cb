/* SPDX-License-Identifier: MIT */
/*
 * The vmalloc area (guest/mm/vmalloc.c): virtually contiguous kernel
 * mappings of pages that need not be physically contiguous (vmalloc, vmap)
 * and of device memory (ioremap, asm/ioremap.h), in Linux x86-64's 4-level
 * vmalloc/ioremap space. Names, flags and messages are Linux's
 * (include/linux/vmalloc.h, mm/vmalloc.c); the design and where it differs
 * are in docs/vmalloc-and-ioremap.md.
 *
 * Every area is followed by one unmapped guard page (unless VM_NO_GUARD),
 * so an overrun faults instead of running into the next area; the area's
 * size counts it, as Linux's vm_struct.size does. One CPU and no
 * preemption: no lock; nothing here may be called from an interrupt.
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/page.h"

/* Linux x86-64 4-level without KASLR: 32 TiB; VMALLOC_END is the last byte. */
#define VMALLOC_START _AC(0xffffc90000000000, UL)
#define VMALLOC_END _AC(0xffffe8ffffffffff, UL)
/* What /proc/meminfo's VmallocTotal shows (Linux's VMALLOC_TOTAL: END - START). */
#define VMALLOC_TOTAL (VMALLOC_END - VMALLOC_START)

/* vm_struct flags: Linux's values. */
#define VM_IOREMAP 0x00000001ul /* ioremap() and friends */
#define VM_ALLOC 0x00000002ul   /* vmalloc(): the area owns its pages */
#define VM_MAP 0x00000004ul     /* vmap(): the caller owns the pages */
#define VM_NO_GUARD 0x00000040ul /* no guard page after the area (callers who know) */

/* One mapped area (Linux's vm_struct and vmap_area in one). */
struct vm_struct {
	struct list_head list; /* in the busy list, sorted by address */
	void *addr;            /* first byte */
	unsigned long size;    /* bytes, the guard page included */
	unsigned long flags;   /* VM_* */
	struct page **pages;   /* VM_ALLOC: the pages, nr_pages of them (kmalloc'd) */
	unsigned int nr_pages; /* VM_ALLOC, VM_MAP: pages mapped */
	phys_addr_t phys_addr; /* VM_IOREMAP: first physical byte mapped (page aligned) */
	const void *caller;    /* return address of the caller of vmalloc(), ioremap(), ... */
};

/*
 * Set up the space once slab is available: register the page-fault
 * handler's describer for it (asm/fault.h).
 */
void vmalloc_init(void);

/*
 * The PTE bits of vmalloc and vmap mappings (Linux's PAGE_KERNEL): those of
 * the direct map, kernel data (NX where EFER.NXE is on) and global where
 * CR4.PGE is on. ioremap adds the cache-mode bits to it.
 */
u64 vmalloc_prot_kernel(void);

/* Whether @addr lies in the vmalloc/ioremap space (Linux's is_vmalloc_addr()). */
static inline bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

/* The size the caller can use: the area's size without its guard page. */
unsigned long get_vm_area_size(const struct vm_struct *area);

/*
 * Reserve @size bytes (rounded up to pages) of vmalloc space, aligned to
 * @align (a power of two, at least a page), plus the guard page unless
 * @flags has VM_NO_GUARD. Nothing is mapped. NULL if @size is 0 or the
 * space is full. get_vm_area() records its caller; the _caller form lets a
 * wrapper (ioremap) name its own.
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags);
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller);
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long align,
				       unsigned long flags, const void *caller);

/* The area containing @addr (its guard page included), or NULL (Linux's find_vm_area()). */
struct vm_struct *find_vm_area(const void *addr);

/*
 * Take the area starting at @addr out of the busy list and unmap it (one
 * TLB flush); the caller frees the struct. NULL if no area starts there.
 */
struct vm_struct *remove_vm_area(const void *addr);

/*
 * Map [@addr, @addr + @size) (page aligned, inside a reserved area) to
 * [@pa, ...) with the PTE bits @prot, 4 KiB leaves. Returns 0 or -ENOMEM.
 */
int vmap_page_range(unsigned long addr, unsigned long size, phys_addr_t pa, u64 prot);

/* ---- vmalloc ---- */

/*
 * @size bytes (rounded up to pages) of virtually contiguous memory, from
 * order-0 pages that may be highmem (GFP_KERNEL | __GFP_HIGHMEM), mapped
 * with 4 KiB PTEs. NULL, with a Linux-style message, for size 0, a size
 * beyond the RAM there is, or no memory.
 */
void *vmalloc(unsigned long size);
/* vmalloc() and zero it. */
void *vzalloc(unsigned long size);
/* vmalloc() with @gfp (zone and __GFP_ZERO, __GFP_NOWARN honoured), recording @caller. */
void *__vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller);

/*
 * Unmap and free what vmalloc() returned: one TLB flush, the pages back
 * to the buddy, the area back to the free space. NULL is a no-op. Any
 * other address (an interior one, a freed one, a vmap or ioremap area, an
 * address outside the space) is refused with Linux's message
 * "Trying to vfree() nonexistent vm area (0x...)" or the like.
 */
void vfree(const void *addr);

/* ---- vmap ---- */

/*
 * Map @count pages the caller owns (any zone, highmem included) virtually
 * contiguously with the PTE bits @prot (0: kernel data, write-back, i.e.
 * vmalloc_prot_kernel()). @flags: VM_MAP, VM_NO_GUARD; anything else
 * (VM_ALLOC would let vfree() free the caller's pages) is refused with one
 * line. NULL if refused, if @count is 0 or beyond the RAM there is, or no
 * space/memory.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, u64 prot);

/* Undo vmap(): unmap (one flush) and free the area, not the pages. */
void vunmap(const void *addr);

/* The struct page mapped at vmalloc address @addr, or NULL (Linux's vmalloc_to_page()). */
struct page *vmalloc_to_page(const void *addr);

/* ---- figures ---- */

/* Pages vmalloc() holds (Linux's vmalloc_nr_pages(): /proc/meminfo's VmallocUsed). */
unsigned long vmalloc_nr_pages(void);

/*
 * The largest free stretch of vmalloc space in bytes (VmallocChunk with
 * its pre-4.4 meaning: Linux has printed 0 there since 4.4).
 */
unsigned long vmalloc_largest_chunk(void);

/* Areas currently allocated (for tests). */
unsigned long vmalloc_nr_areas(void);

/*
 * One /proc/vmallocinfo line for @v, without the newline, into @buf:
 * "0x<start>-0x<end> <size> <caller> [pages=N] [phys=0x...] ioremap|vmalloc|vmap"
 * (size and end include the guard page, as in Linux). Returns its length.
 * A line is at most VMALLOCINFO_LINE_MAX bytes with its NUL; a smaller
 * @size cuts it (never written past).
 */
#define VMALLOCINFO_LINE_MAX 160
int vmallocinfo_format(const struct vm_struct *v, char *buf, size_t size);

/* Print /proc/vmallocinfo: one line per area, in address order. */
void vmallocinfo_show(void);

#endif /* MM_VMALLOC_H */
