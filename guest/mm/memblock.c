// SPDX-License-Identifier: MIT
/*
 * memblock: physical memory before the page allocator, with Linux's
 * semantics (mm/memblock.c); see mm/memblock.h for the API and
 * docs/memblock.md for how the boot feeds it.
 *
 * Every change to a collection is computed by one sweep over its sorted
 * regions that emits the new regions in order into a spare array, merging
 * each with the previous one when they touch and have the same flags. The
 * spare array is then swapped in. Linux instead counts, inserts with
 * memmove and merges afterwards, which can need more room mid-way than
 * the result does; the sweep knows the exact result size, so a full array
 * refuses only what really does not fit, and a refused call leaves
 * everything as it was.
 *
 * No libc: only kernel/types.h and printk, so the host unit test links
 * this file unchanged.
 */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "mm/memblock.h"


/* Linux's SMP_CACHE_BYTES on x86_64 (one L1 line): the alignment of "align 0". */
#define SMP_CACHE_BYTES 64

/*
 * Allocations start at this address: the first page is never handed out,
 * so that 0 can mean failure (Linux's memblock_find_in_range_node()).
 */
#define MEMBLOCK_LOWEST_ALLOC 0x1000

static struct memblock_region memblock_memory_init_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region memblock_reserved_init_regions[INIT_MEMBLOCK_REGIONS];

/*
 * Where the next version of a collection is built; after a successful
 * change it is swapped with the collection's old array. One is enough: one
 * CPU, no interrupts, and no change is ever nested in another.
 */
static struct memblock_region memblock_spare_init_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region *memblock_spare = memblock_spare_init_regions;

struct memblock memblock = {
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
	.memory = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = memblock_memory_init_regions,
		.name = "memory",
	},
	.reserved = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = memblock_reserved_init_regions,
		.name = "reserved",
	},
};

static bool memblock_debug;

/* What a rewrite of part of a collection does to the regions inside the range. */
enum memblock_range_op {
	MEMBLOCK_OP_REMOVE,     /* drop them */
	MEMBLOCK_OP_SET_FLAG,   /* add a flag */
	MEMBLOCK_OP_CLEAR_FLAG, /* remove a flag */
};

/* The new version of a collection, as a sweep emits it. */
struct memblock_builder {
	struct memblock_region *out;
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total;
	bool overflow; /* the result needs more than @max regions */
};

/* Shrink @size so that @base + @size does not pass PHYS_ADDR_MAX (Linux's memblock_cap_size). */
static phys_addr_t memblock_cap_size(phys_addr_t base, phys_addr_t size)
{
	return size < PHYS_ADDR_MAX - base ? size : PHYS_ADDR_MAX - base;
}

/* Whether @x is a power of two (0 is not). */
static bool is_power_of_2(phys_addr_t x)
{
	return x && !(x & (x - 1));
}

/* @x limited to [@lo, @hi]. */
static phys_addr_t clamp_addr(phys_addr_t x, phys_addr_t lo, phys_addr_t hi)
{
	if (x < lo)
		return lo;
	return x > hi ? hi : x;
}

/* The "memblock_xxx: [0x...-0x...]" line of memblock=debug (end inclusive, as Linux prints it). */
static void memblock_dbg_range(const char *func, phys_addr_t base, phys_addr_t size)
{
	if (memblock_debug)
		printk("%s: [0x%016llx-0x%016llx]\n", func, (unsigned long long)base,
		       (unsigned long long)(base + size - 1));
}

/* Start building a new version of @type in the spare array. */
static void builder_init(struct memblock_builder *b, const struct memblock_type *type)
{
	b->out = memblock_spare;
	b->cnt = 0;
	b->max = type->max;
	b->total = 0;
	b->overflow = false;
}

/*
 * Append [@base, @base + @size) with @flags, merged into the last region
 * when it ends at @base with the same flags. Callers emit in address order.
 * The count never shrinks, so running out of room here means the final
 * result does not fit.
 */
static void builder_emit(struct memblock_builder *b, phys_addr_t base, phys_addr_t size,
			 enum memblock_flags flags)
{
	struct memblock_region *last = b->cnt ? &b->out[b->cnt - 1] : NULL;

	if (!size)
		return;
	b->total += size;
	if (last && last->base + last->size == base && last->flags == flags) {
		last->size += size;
		return;
	}
	if (b->cnt == b->max) {
		b->overflow = true;
		return;
	}
	b->out[b->cnt].base = base;
	b->out[b->cnt].size = size;
	b->out[b->cnt].flags = flags;
	b->cnt++;
}

/*
 * Make the built version the contents of @type, or, if it did not fit, say
 * so on one line (who was refused, what range, which array) and keep @type.
 */
static int builder_commit(struct memblock_builder *b, struct memblock_type *type,
			  const char *func, phys_addr_t base, phys_addr_t size)
{
	if (b->overflow) {
		printk("memblock: %s [0x%016llx-0x%016llx] refused: %s array full (%lu regions)\n",
		       func, (unsigned long long)base, (unsigned long long)(base + size - 1),
		       type->name, type->max);
		return -ENOMEM;
	}
	memblock_spare = type->regions;
	type->regions = b->out;
	type->cnt = b->cnt;
	type->total_size = b->total;
	return 0;
}

/*
 * Add [@base, @base + @size) to @type with @flags. Existing regions are
 * kept as they are (flags included); only the parts they do not cover are
 * new: the sweep emits, before each region, the piece of the new range
 * lying below it and not yet covered, then the region itself.
 */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			      enum memblock_flags flags, const char *func)
{
	struct memblock_builder b;
	phys_addr_t end, pos;
	unsigned long i;

	size = memblock_cap_size(base, size);
	if (!size)
		return 0;
	end = base + size;
	pos = base; /* [pos, end) is the part of the new range not emitted yet */

	builder_init(&b, type);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		phys_addr_t r_end = r->base + r->size;

		if (pos < end && pos < r->base) {
			phys_addr_t piece_end = r->base < end ? r->base : end;

			builder_emit(&b, pos, piece_end - pos, flags);
		}
		builder_emit(&b, r->base, r->size, r->flags);
		if (r_end > pos)
			pos = r_end;
	}
	if (pos < end)
		builder_emit(&b, pos, end - pos, flags);
	return builder_commit(&b, type, func, base, size);
}

/*
 * Apply @op with @flag to the part of @type inside [@base, @base + @size):
 * every region is emitted as its piece below the range, its piece inside
 * (dropped, or with the flag changed), and its piece above. A region
 * containing the whole range thus splits in two (remove) or three.
 */
static int memblock_rewrite_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
				  enum memblock_range_op op, enum memblock_flags flag,
				  const char *func)
{
	struct memblock_builder b;
	phys_addr_t end;
	unsigned long i;

	size = memblock_cap_size(base, size);
	if (!size)
		return 0;
	end = base + size;

	builder_init(&b, type);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		phys_addr_t r_end = r->base + r->size;
		phys_addr_t in_base, in_end;

		if (r_end <= base || r->base >= end) {
			builder_emit(&b, r->base, r->size, r->flags);
			continue;
		}
		in_base = r->base > base ? r->base : base;
		in_end = r_end < end ? r_end : end;
		builder_emit(&b, r->base, in_base - r->base, r->flags);
		if (op == MEMBLOCK_OP_SET_FLAG)
			builder_emit(&b, in_base, in_end - in_base, r->flags | flag);
		else if (op == MEMBLOCK_OP_CLEAR_FLAG)
			builder_emit(&b, in_base, in_end - in_base, r->flags & ~flag);
		builder_emit(&b, in_end, r_end - in_end, r->flags);
	}
	return builder_commit(&b, type, func, base, size);
}

/* Empty both collections, no ceiling, debug off; see mm/memblock.h. */
void memblock_init(void)
{
	memblock.memory.cnt = 0;
	memblock.memory.total_size = 0;
	memblock.reserved.cnt = 0;
	memblock.reserved.total_size = 0;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock_debug = false;
}

/* Declare RAM (from the E820 table). */
int memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size);
	return memblock_add_range(&memblock.memory, base, size, MEMBLOCK_NONE, __func__);
}

/* Withdraw RAM (a mem= limit, a DIMM going away). */
int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size);
	return memblock_rewrite_range(&memblock.memory, base, size, MEMBLOCK_OP_REMOVE,
				      MEMBLOCK_NONE, __func__);
}

/* Mark memory as taken, so no allocation returns it. */
int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size);
	return memblock_add_range(&memblock.reserved, base, size, MEMBLOCK_NONE, __func__);
}

/* Give back a reservation or an allocation (it becomes free memblock memory again). */
int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size);
	return memblock_rewrite_range(&memblock.reserved, base, size, MEMBLOCK_OP_REMOVE,
				      MEMBLOCK_NONE, __func__);
}

/* Record that memory may be hot-removed later. */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite_range(&memblock.memory, base, size, MEMBLOCK_OP_SET_FLAG,
				      MEMBLOCK_HOTPLUG, __func__);
}

/* Undo memblock_mark_hotplug(). */
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite_range(&memblock.memory, base, size, MEMBLOCK_OP_CLEAR_FLAG,
				      MEMBLOCK_HOTPLUG, __func__);
}

/* Keep memory out of the direct map and of every allocation. */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite_range(&memblock.memory, base, size, MEMBLOCK_OP_SET_FLAG,
				      MEMBLOCK_NOMAP, __func__);
}

/* Undo memblock_mark_nomap(). */
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite_range(&memblock.memory, base, size, MEMBLOCK_OP_CLEAR_FLAG,
				      MEMBLOCK_NOMAP, __func__);
}

/* Keep only the whole @align units of every memory region (partial pages are not RAM to mm). */
void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	struct memblock_builder b;
	unsigned long i;

	if (!is_power_of_2(align)) {
		printk("memblock: %s: alignment 0x%llx is not a power of two\n", __func__,
		       (unsigned long long)align);
		return;
	}
	builder_init(&b, type);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		phys_addr_t r_end = r->base + r->size;
		phys_addr_t start, end;

		/* Rounding the base up would wrap: no whole unit in this region. */
		if (r->base > PHYS_ADDR_MAX - (align - 1))
			continue;
		start = (r->base + align - 1) & ~(align - 1);
		end = r_end & ~(align - 1);
		if (start < end)
			builder_emit(&b, start, end - start, r->flags);
	}
	/* Trimming never adds a region: this cannot be refused. */
	builder_commit(&b, type, __func__, 0, 0);
}

/*
 * The highest @size bytes aligned to @align (a power of two) that are free
 * and inside [@start, @end); 0 if there are none. The free ranges are
 * walked from the top down, each clipped to the window.
 */
static phys_addr_t memblock_find_in_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
					  phys_addr_t end)
{
	phys_addr_t this_start, this_end, cand;
	u64 i;

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE)
		end = memblock.current_limit;
	if (start < MEMBLOCK_LOWEST_ALLOC)
		start = MEMBLOCK_LOWEST_ALLOC;
	if (end < start)
		end = start;

	for_each_free_mem_range_reverse(i, &this_start, &this_end) {
		this_start = clamp_addr(this_start, start, end);
		this_end = clamp_addr(this_end, start, end);
		if (this_end < size)
			continue;
		cand = (this_end - size) & ~(align - 1);
		/* size > 0, so cand >= this_start also means the clipped range is not empty. */
		if (cand >= this_start)
			return cand;
	}
	return 0;
}

/* Allocate and reserve physical memory; see mm/memblock.h for the rules. */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				      phys_addr_t end)
{
	phys_addr_t found;

	if (memblock_debug)
		printk("%s: %llu bytes align=0x%llx from=0x%016llx max_addr=0x%016llx\n", __func__,
		       (unsigned long long)size, (unsigned long long)align,
		       (unsigned long long)start, (unsigned long long)end);
	if (!size) {
		printk("memblock: %s: size 0 refused\n", __func__);
		return 0;
	}
	if (!align) {
		/* Linux dumps the stack here; one line says the same. */
		printk("memblock: %s: align 0, using SMP_CACHE_BYTES (%u)\n", __func__,
		       SMP_CACHE_BYTES);
		align = SMP_CACHE_BYTES;
	} else if (!is_power_of_2(align)) {
		printk("memblock: %s: align 0x%llx is not a power of two\n", __func__,
		       (unsigned long long)align);
		return 0;
	}
	found = memblock_find_in_range(size, align, start, end);
	if (!found || memblock_reserve(found, size))
		return 0;
	return found;
}

/* The common allocation: anywhere below the current limit. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

/* Set the ceiling of MEMBLOCK_ALLOC_ACCESSIBLE allocations (memory mapped so far). */
void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/* The ceiling of MEMBLOCK_ALLOC_ACCESSIBLE allocations. */
phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

/* All the RAM memblock knows of, in bytes. */
phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

/* All reserved bytes (inside memory or not). */
phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

/* Where RAM starts. */
phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

/* Where the highest RAM ends (max_pfn is derived from it). */
phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *type = &memblock.memory;

	if (!type->cnt)
		return 0;
	return type->regions[type->cnt - 1].base + type->regions[type->cnt - 1].size;
}

/* Index of the region of @type containing @addr (binary search), or -1. */
static long memblock_search(const struct memblock_type *type, phys_addr_t addr)
{
	unsigned long left = 0, right = type->cnt;

	while (left < right) {
		unsigned long mid = left + (right - left) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (addr < r->base)
			right = mid;
		else if (addr - r->base >= r->size)
			left = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* Whether @addr is RAM. */
bool memblock_is_memory(phys_addr_t addr)
{
	return memblock_search(&memblock.memory, addr) >= 0;
}

/* Whether @addr is taken. */
bool memblock_is_reserved(phys_addr_t addr)
{
	return memblock_search(&memblock.reserved, addr) >= 0;
}

/* Whether a whole range is RAM (inside one region, as Linux checks it). */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	long idx = memblock_search(&memblock.memory, base);
	const struct memblock_region *r;

	if (idx < 0)
		return false;
	r = &memblock.memory.regions[idx];
	return r->base + r->size >= base + memblock_cap_size(base, size);
}

/* Whether any byte of a range is taken. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *type = &memblock.reserved;
	phys_addr_t end = base + memblock_cap_size(base, size);
	unsigned long i;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base >= end)
			break;
		if (base < r->base + r->size)
			return true;
	}
	return false;
}

/* Turn memblock=debug on or off. */
void memblock_set_debug(bool on)
{
	memblock_debug = on;
}

/* Whether memblock=debug is on. */
bool memblock_get_debug(void)
{
	return memblock_debug;
}

/* Whether @word occurs in @s (strstr, which the guest has no library for). */
static bool str_contains(const char *s, const char *word)
{
	for (; *s; s++) {
		const char *a = s, *w = word;

		while (*w && *a == *w) {
			a++;
			w++;
		}
		if (!*w)
			return true;
	}
	return false;
}

/* Linux's early_memblock(): "memblock=debug" (the word anywhere in the value). */
void memblock_early_param(const char *val)
{
	if (val && str_contains(val, "debug"))
		memblock_debug = true;
}

/* One collection in Linux's memblock_dump() format (no NUMA node: this kernel has none). */
static void memblock_dump(const struct memblock_type *type)
{
	unsigned long i;

	printk(" %s.cnt  = 0x%lx\n", type->name, type->cnt);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		/* Linux's %#x prints 0x0 for 0, C's prints 0: hence 0x%x. */
		printk(" %s[0x%lx]\t[0x%016llx-0x%016llx], 0x%016llx bytes flags: 0x%x\n",
		       type->name, i, (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size - 1), (unsigned long long)r->size,
		       (unsigned int)r->flags);
	}
}

/* The whole configuration, as memblock=debug shows it in Linux. */
void __memblock_dump_all(void)
{
	printk("MEMBLOCK configuration:\n");
	printk(" memory size = 0x%016llx reserved size = 0x%016llx\n",
	       (unsigned long long)memblock.memory.total_size,
	       (unsigned long long)memblock.reserved.total_size);
	memblock_dump(&memblock.memory);
	memblock_dump(&memblock.reserved);
}

/* The configuration, only under memblock=debug (the boot calls this unconditionally). */
void memblock_dump_all(void)
{
	if (memblock_debug)
		__memblock_dump_all();
}

/*
 * The @b-th hole of @type: below its first region (b = 0), between regions
 * b - 1 and b, or above the last (b = cnt), which ends at PHYS_ADDR_MAX.
 */
static void memblock_hole(const struct memblock_type *type, unsigned long b, phys_addr_t *start,
			  phys_addr_t *end)
{
	const struct memblock_region *r = type->regions;

	*start = b ? r[b - 1].base + r[b - 1].size : 0;
	*end = b < type->cnt ? r[b].base : PHYS_ADDR_MAX;
}

/* Iterators leave NOMAP memory out, as Linux's do unless asked for it. */
static bool memblock_skip_region(const struct memblock_type *type,
				 const struct memblock_region *r)
{
	return type == &memblock.memory && (r->flags & MEMBLOCK_NOMAP);
}

/* The iterator state: the region of @type_a in the low half, the hole of @type_b in the high. */
static u64 memblock_idx(u32 a, u32 b)
{
	return (u64)a | (u64)b << 32;
}

/* Store a range found by an iterator. */
static void memblock_out(phys_addr_t *out_start, phys_addr_t *out_end, phys_addr_t start,
			 phys_addr_t end)
{
	if (out_start)
		*out_start = start;
	if (out_end)
		*out_end = end;
}

/*
 * The next range of @type_a minus @type_b, bottom up: the regions of
 * @type_a and the holes of @type_b are both sorted, so the two indices
 * advance in step and every non-empty intersection of a region and a hole
 * is one range. After one is found, whichever of the two ends first moves
 * on.
 */
void __next_mem_range(u64 *idx, struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end)
{
	u32 a = (u32)*idx, b = (u32)(*idx >> 32);

	for (; a < type_a->cnt; a++) {
		const struct memblock_region *m = &type_a->regions[a];
		phys_addr_t m_end = m->base + m->size;

		if (memblock_skip_region(type_a, m))
			continue;
		if (!type_b) {
			memblock_out(out_start, out_end, m->base, m_end);
			*idx = memblock_idx(a + 1, b);
			return;
		}
		for (; b <= type_b->cnt; b++) {
			phys_addr_t h_start, h_end;

			memblock_hole(type_b, b, &h_start, &h_end);
			if (h_start >= m_end)
				break; /* this hole and the later ones lie above the region */
			if (h_end <= m->base || h_start == h_end)
				continue; /* below the region, or between two touching regions */
			memblock_out(out_start, out_end, m->base > h_start ? m->base : h_start,
				     m_end < h_end ? m_end : h_end);
			if (m_end <= h_end)
				a++;
			else
				b++;
			*idx = memblock_idx(a, b);
			return;
		}
	}
	*idx = U64_MAX;
}

/*
 * The same top down. The indices are signed here (a reaches -1 when the
 * walk ends); U64_MAX both starts and ends the walk, and no state in
 * between can equal it, since the hole index never exceeds the array size.
 */
void __next_mem_range_rev(u64 *idx, struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end)
{
	long a, b;

	if (*idx == U64_MAX) {
		a = (long)type_a->cnt - 1;
		b = type_b ? (long)type_b->cnt : 0;
	} else {
		a = (s32)(u32)*idx;
		b = (s32)(u32)(*idx >> 32);
	}

	for (; a >= 0; a--) {
		const struct memblock_region *m = &type_a->regions[a];
		phys_addr_t m_end = m->base + m->size;

		if (memblock_skip_region(type_a, m))
			continue;
		if (!type_b) {
			memblock_out(out_start, out_end, m->base, m_end);
			*idx = memblock_idx((u32)(a - 1), (u32)b);
			return;
		}
		for (; b >= 0; b--) {
			phys_addr_t h_start, h_end;

			memblock_hole(type_b, (unsigned long)b, &h_start, &h_end);
			if (h_end <= m->base)
				break; /* this hole and the earlier ones lie below the region */
			if (h_start >= m_end || h_start == h_end)
				continue; /* above the region, or between two touching regions */
			memblock_out(out_start, out_end, m->base > h_start ? m->base : h_start,
				     m_end < h_end ? m_end : h_end);
			if (m->base >= h_start)
				a--;
			else
				b--;
			*idx = memblock_idx((u32)a, (u32)b);
			return;
		}
	}
	*idx = U64_MAX;
}
