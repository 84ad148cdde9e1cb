/* SPDX-License-Identifier: MIT */
/*
 * memblock: the early physical-memory allocator (guest/mm/memblock.c), with
 * the names and semantics of Linux's mm/memblock.c.
 *
 * Two collections of regions describe physical memory before the page
 * allocator exists:
 *  - memblock.memory: the RAM the kernel may use (fed from the E820 table);
 *  - memblock.reserved: what is taken (kernel image, boot data, allocations).
 * Each is an array of regions sorted by base, disjoint, and minimal: two
 * regions that touch and have the same flags are always merged into one.
 * Free memory is memory minus reserved; allocations search it from the top
 * down, as Linux does by default, and reserve what they return.
 *
 * The arrays are static (INIT_MEMBLOCK_REGIONS entries each) and never
 * grow: a call that would need more regions fails with -ENOMEM, prints one
 * line saying so, and leaves both arrays exactly as they were.
 *
 * Ranges are [base, base + size). A size of 0 is a no-op. A range that
 * would wrap past 2^64 is clamped to end at PHYS_ADDR_MAX (Linux's
 * memblock_cap_size()), so the last byte of the address space is never in
 * any region.
 *
 * Arch-neutral and free of everything but kernel/types.h and printk: the
 * host unit test (tests/unit/test_memblock.c) links this very file.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/types.h"

/* Regions per array (Linux's initial size, kept for good here). */
#define INIT_MEMBLOCK_REGIONS 128

/* @end values for memblock_phys_alloc_range(), as in Linux. */
#define MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0) /* no ceiling at all */
#define MEMBLOCK_ALLOC_ACCESSIBLE 0                /* up to memblock.current_limit */

/* Region attributes (Linux's bit values; the others are not modelled). */
enum memblock_flags {
	MEMBLOCK_NONE = 0x0,    /* plain memory */
	MEMBLOCK_HOTPLUG = 0x1, /* hotpluggable: recorded, not acted upon yet */
	MEMBLOCK_NOMAP = 0x4,   /* not for the direct map: never allocated from */
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
};

/*
 * One collection. @regions[0..@cnt) is sorted by base, disjoint and minimal;
 * @total_size is the sum of their sizes. @regions points at one of the
 * static arrays in memblock.c, and which one changes: an update is built in
 * a spare array, then swapped in. So a pointer to a region (from
 * for_each_mem_region, say) is valid only until the next change, as in
 * Linux, where a change moves regions with memmove.
 */
struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
};

/* The allocator's state, readable by everyone (tests, the dump, mm init). */
extern struct memblock memblock;

/*
 * Back to the initial state: both arrays empty, current limit "anywhere",
 * debug off. The static initialisation already is this state, so the boot
 * does not need it; tests call it before every case.
 */
void memblock_init(void);

/*
 * Add [@base, @base + @size) to memory / to reserved. Parts already covered
 * keep their regions (and flags); the rest becomes MEMBLOCK_NONE regions.
 * Reserving outside memory is allowed (Linux allows it too). Returns 0, or
 * -ENOMEM (with a message) if the array has no room for the result.
 */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);

/*
 * Take [@base, @base + @size) out of memory / out of reserved (the latter
 * un-reserves, Linux's memblock_phys_free()). Regions crossing the edges
 * are split. Returns 0, or -ENOMEM (with a message) if a split would need a
 * region the array does not have.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/*
 * Set or clear a flag on the memory in [@base, @base + @size), splitting
 * regions at the edges. Returns 0 or -ENOMEM as above.
 */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);

/*
 * Shrink every memory region to whole @align units (a power of two), and
 * drop those with none left: E820 ranges such as [0, 0x9fc00) end inside
 * a page (Linux calls this with PAGE_SIZE after feeding the E820 table).
 */
void memblock_trim_memory(phys_addr_t align);

/*
 * Find @size free bytes aligned to @align inside [@start, @end), reserve
 * them and return their address; 0 on failure. As in Linux:
 *  - the highest fitting address is taken (top-down);
 *  - @align must be a power of two; 0 means SMP_CACHE_BYTES (64) and is
 *    reported, as Linux warns about it; any other value is refused;
 *  - @end == MEMBLOCK_ALLOC_ACCESSIBLE means memblock.current_limit; any
 *    other @end is used as given (MEMBLOCK_ALLOC_ANYWHERE: no ceiling);
 *  - the first page is never returned, so 0 always means failure;
 *  - NOMAP memory is never returned;
 *  - a @size of 0 is refused (there is nothing to reserve).
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end);

/* memblock_phys_alloc_range() anywhere below the current limit. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);

/*
 * The ceiling of MEMBLOCK_ALLOC_ACCESSIBLE allocations (exclusive), for
 * memory not yet mapped; MEMBLOCK_ALLOC_ANYWHERE initially.
 */
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

/* Bytes in memory / in reserved. */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);

/* Lowest memory address, and the end of the highest memory region; 0 without memory. */
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);

/* Whether @addr lies in memory / in reserved. */
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);

/* Whether [@base, @base + @size) lies inside one memory region. */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);

/* Whether [@base, @base + @size) overlaps reserved memory at all. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/*
 * memblock=debug: with @on, every add, remove, reserve, free and allocation
 * prints a line as Linux's do ("memblock_reserve: [0x...-0x...]", inclusive
 * end, without Linux's caller symbol: the guest has no symbol table), and
 * memblock_dump_all() prints.
 */
void memblock_set_debug(bool on);
bool memblock_get_debug(void);

/* The value of "memblock=" on the command line: "debug" anywhere in it turns debug on. */
void memblock_early_param(const char *val);

/* The configuration in Linux's format ("MEMBLOCK configuration:"), if debug is on. */
void memblock_dump_all(void);

/* The same, whatever the debug switch says. */
void __memblock_dump_all(void);

/*
 * Iteration, as Linux's __next_mem_range(): the ranges of @type_a, minus
 * those of @type_b if it is not NULL, in increasing address order. @idx
 * starts at 0 and is U64_MAX once the ranges are exhausted. NOMAP memory
 * regions are skipped when @type_a is memblock.memory. @out_start and
 * @out_end may be NULL.
 */
void __next_mem_range(u64 *idx, struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end);

/* The same from the top down: @idx starts at U64_MAX and is U64_MAX again at the end. */
void __next_mem_range_rev(u64 *idx, struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end);

#ifndef U64_MAX
#define U64_MAX ((u64)~0ULL)
#endif

#define __for_each_mem_range(i, type_a, type_b, p_start, p_end)                 \
	for (i = 0, __next_mem_range(&i, type_a, type_b, p_start, p_end);       \
	     i != U64_MAX; __next_mem_range(&i, type_a, type_b, p_start, p_end))

#define __for_each_mem_range_rev(i, type_a, type_b, p_start, p_end)              \
	for (i = U64_MAX, __next_mem_range_rev(&i, type_a, type_b, p_start, p_end); \
	     i != U64_MAX; __next_mem_range_rev(&i, type_a, type_b, p_start, p_end))

/* Every memory range (NOMAP excluded): u64 i; phys_addr_t start, end. */
#define for_each_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.memory, NULL, p_start, p_end)

/* Every reserved range. */
#define for_each_reserved_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.reserved, NULL, p_start, p_end)

/* Every free range: memory (NOMAP excluded) minus reserved, bottom up. */
#define for_each_free_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, p_start, p_end)

/* The same, top down. */
#define for_each_free_mem_range_reverse(i, p_start, p_end) \
	__for_each_mem_range_rev(i, &memblock.memory, &memblock.reserved, p_start, p_end)

/* Every region of a collection: struct memblock_region *rgn. */
#define for_each_mem_region(rgn)                                                   \
	for (rgn = memblock.memory.regions;                                        \
	     rgn < memblock.memory.regions + memblock.memory.cnt; rgn++)

#define for_each_reserved_mem_region(rgn)                                          \
	for (rgn = memblock.reserved.regions;                                      \
	     rgn < memblock.reserved.regions + memblock.reserved.cnt; rgn++)

#endif /* MM_MEMBLOCK_H */
