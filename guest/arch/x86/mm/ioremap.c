// SPDX-License-Identifier: MIT
/*
 * ioremap, iounmap, memremap (asm/ioremap.h), after Linux's
 * __ioremap_caller(): refuse RAM, align to pages, reserve the memory type
 * and take the one granted if the caller can live with it, get a vmalloc
 * area (aligned to its size, VM_IOREMAP), map it with 4 KiB PTEs carrying
 * the cache mode's PWT/PCD/PAT bits.
 *
 * RAM is what the firmware's E820 map calls usable, as memblock.memory
 * holds it. Linux lets PageReserved RAM through; boot reservations are not
 * marked page by page here (mm/page.h), so all RAM is refused.
 */
#include "asm/ioremap.h"
#include "asm/memtype.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

/* Linux's region_intersects() answers. */
enum region_type {
	REGION_DISJOINT, /* no RAM in the range */
	REGION_INTERSECTS, /* all RAM */
	REGION_MIXED,
};

/* How much of [@start, @start + @size) is RAM (E820 usable, from memblock.memory). */
static enum region_type ram_region(phys_addr_t start, phys_addr_t size)
{
	phys_addr_t end = start + size, ram = 0;
	struct memblock_region *r;

	for_each_mem_region(r) {
		phys_addr_t lo = r->base > start ? r->base : start;
		phys_addr_t hi = r->base + r->size < end ? r->base + r->size : end;

		if (lo < hi)
			ram += hi - lo;
	}
	if (!ram)
		return REGION_DISJOINT;
	return ram == size ? REGION_INTERSECTS : REGION_MIXED;
}

/* Whether @addr fits in the CPU's physical address width (Linux's phys_addr_valid()). */
static bool phys_addr_valid(phys_addr_t addr)
{
	unsigned int bits = boot_cpu_data.x86_phys_bits;

	return !bits || bits >= 64 || !(addr >> bits);
}

/*
 * The common part of every ioremap flavour (Linux's __ioremap_caller()):
 * map [@phys_addr, @phys_addr + @size) with cache mode @pcm (or the one
 * the memtype reservation grants), for @caller. RAM is refused unless
 * @ram_ok (memremap() of highmem RAM).
 */
static void *__ioremap_caller(phys_addr_t phys_addr, unsigned long size,
			      enum page_cache_mode pcm, const void *caller, bool ram_ok)
{
	phys_addr_t last_addr = phys_addr + size - 1, offset;
	enum page_cache_mode new_pcm;
	struct vm_struct *area;
	unsigned long vaddr;
	int ret;

	/* Neither wraparound nor zero size. */
	if (!size || last_addr < phys_addr)
		return NULL;
	if (!phys_addr_valid(last_addr)) {
		printk("ioremap: invalid physical address %llx\n", (unsigned long long)last_addr);
		return NULL;
	}
	if (!ram_ok && ram_region(phys_addr, size) != REGION_DISJOINT) {
		printk("WARNING: ioremap on RAM at 0x%016llx - 0x%016llx\n",
		       (unsigned long long)phys_addr, (unsigned long long)last_addr);
		return NULL;
	}
	/* Whole pages; the caller gets its offset back in the returned pointer. */
	offset = phys_addr & ~PAGE_MASK;
	phys_addr &= PAGE_MASK;
	size = (unsigned long)(((last_addr | ~PAGE_MASK) + 1) - phys_addr);

	ret = memtype_reserve(phys_addr, phys_addr + size, pcm, &new_pcm);
	if (ret) {
		printk("ioremap memtype_reserve failed %d\n", ret);
		return NULL;
	}
	if (pcm != new_pcm) {
		if (!is_new_memtype_allowed(phys_addr, size, pcm, new_pcm)) {
			printk("ioremap error for 0x%llx-0x%llx, requested 0x%x, got 0x%x\n",
			       (unsigned long long)phys_addr,
			       (unsigned long long)(phys_addr + size), pcm, new_pcm);
			goto err_free_memtype;
		}
		pcm = new_pcm;
	}
	area = get_vm_area_caller(size, VM_IOREMAP, caller);
	if (!area)
		goto err_free_memtype;
	area->phys_addr = phys_addr;
	vaddr = (unsigned long)area->addr;
	/*
	 * Linux also syncs the direct map's attributes here
	 * (memtype_kernel_map_sync()); only RAM has a direct mapping, and RAM
	 * reaches this point only from memremap() of highmem, which has none.
	 */
	if (vmap_page_range(vaddr, size, phys_addr,
			    vmalloc_prot_kernel() | cachemode2protval(pcm, false)))
		goto err_free_area;
	return (void *)(vaddr + offset);

err_free_area:
	kfree(remove_vm_area(area->addr));
err_free_memtype:
	memtype_free(phys_addr, phys_addr + size);
	return NULL;
}

/*
 * One ioremap flavour per cache mode (asm/ioremap.h). Each is a function
 * of its own so __builtin_return_address(0) names its caller for
 * vmallocinfo.
 */
#define DEFINE_IOREMAP(name, pcm)                                                        \
	void *name(phys_addr_t phys_addr, unsigned long size)                            \
	{                                                                                \
		return __ioremap_caller(phys_addr, size, pcm, __builtin_return_address(0), \
					false);                                          \
	}

DEFINE_IOREMAP(ioremap, _PAGE_CACHE_MODE_UC_MINUS)
DEFINE_IOREMAP(ioremap_uc, _PAGE_CACHE_MODE_UC)
DEFINE_IOREMAP(ioremap_wc, _PAGE_CACHE_MODE_WC)
DEFINE_IOREMAP(ioremap_wt, _PAGE_CACHE_MODE_WT)
DEFINE_IOREMAP(ioremap_cache, _PAGE_CACHE_MODE_WB)

void iounmap(const volatile void *addr)
{
	unsigned long a = (unsigned long)addr;
	struct vm_struct *area;

	/*
	 * Linux returns quietly for anything up to high_memory, the end of the
	 * direct map: NULL, and the direct-map addresses memremap() gives.
	 */
	if (a < PAGE_OFFSET + PFN_PHYS(max_low_pfn))
		return;
	area = is_vmalloc_addr((const void *)a) ? find_vm_area((const void *)a) : NULL;
	if (!area || !(area->flags & VM_IOREMAP) ||
	    a - (unsigned long)area->addr >= get_vm_area_size(area)) {
		printk("iounmap: bad address 0x%lx\n", a);
		return;
	}
	memtype_free(area->phys_addr, area->phys_addr + get_vm_area_size(area));
	kfree(remove_vm_area(area->addr));
}

/* Whether [@offset, @offset + @size) is all direct-mapped lowmem (Linux's try_ram_remap() test). */
static bool ram_is_lowmem(phys_addr_t offset, size_t size)
{
	return offset + size > offset && offset + size <= PFN_PHYS(max_low_pfn);
}

void *memremap(phys_addr_t offset, size_t size, unsigned long flags)
{
	enum region_type is_ram;
	void *addr = NULL;

	if (!flags || !size || offset + size - 1 < offset)
		return NULL;
	is_ram = ram_region(offset, size);
	if (is_ram == REGION_MIXED) {
		printk("WARNING: memremap attempted on mixed range 0x%016llx size: 0x%lx\n",
		       (unsigned long long)offset, (unsigned long)size);
		return NULL;
	}
	if (flags & MEMREMAP_WB) {
		if (is_ram == REGION_INTERSECTS) {
			/*
			 * RAM is WB already: lowmem through the direct map, as Linux; highmem
			 * (which Linux x86-64 does not have) through a WB vmalloc mapping.
			 */
			if (ram_is_lowmem(offset, size))
				return __va(offset);
			addr = __ioremap_caller(offset, size, _PAGE_CACHE_MODE_WB,
						__builtin_return_address(0), true);
		} else {
			addr = __ioremap_caller(offset, size, _PAGE_CACHE_MODE_WB,
						__builtin_return_address(0), false);
		}
	}
	/* Any other mode would alias RAM with a second cache mode. */
	if (!addr && is_ram == REGION_INTERSECTS && flags != MEMREMAP_WB) {
		printk("WARNING: memremap attempted on ram 0x%016llx size: 0x%lx\n",
		       (unsigned long long)offset, (unsigned long)size);
		return NULL;
	}
	if (!addr && (flags & MEMREMAP_WT))
		addr = __ioremap_caller(offset, size, _PAGE_CACHE_MODE_WT,
					__builtin_return_address(0), false);
	if (!addr && (flags & MEMREMAP_WC))
		addr = __ioremap_caller(offset, size, _PAGE_CACHE_MODE_WC,
					__builtin_return_address(0), false);
	return addr;
}

void memunmap(void *addr)
{
	if (is_vmalloc_addr(addr))
		iounmap(addr);
}
