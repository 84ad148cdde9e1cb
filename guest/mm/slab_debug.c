// SPDX-License-Identifier: MIT
/*
 * slub_debug: the `slub_debug` parameter, and the red zone, poison,
 * double-free and caller-tracking checks of debug caches (Linux's
 * mm/slub.c debug half, reduced to one report line per problem).
 *
 * Only caches with SLAB_DEBUG_FLAGS come here, and only from the slow
 * paths: such caches never have a CPU slab, so their allocations and frees
 * always miss the fast path, which therefore carries no debug test.
 *
 * An object slot of a debug cache (docs/slab.md):
 *   [left red zone][object][right red zone][free pointer][alloc caller][free caller]
 * Red zones read SLUB_RED_ACTIVE (0xcc) while the object is allocated and
 * SLUB_RED_INACTIVE (0xbb) while it is free; a poisoned free object is
 * POISON_FREE (0x6b) with POISON_END (0xa5) last, an allocated one starts
 * as POISON_INUSE (0x5a).
 */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "slab_internal.h"

#define SLUB_DEBUG_STRING_MAX 128 /* bytes of the parameter kept */
#define SLUB_DEBUG_MAX_BLOCKS 4   /* ';'-separated option blocks */
#define SLAB_REPORT_MAX 200       /* bytes of one report's text */
#define SLAB_CHECK_MAX_OBJECTS 1024u /* objects per slab the allocated-object check covers */

/* One block of the parameter: flags and the cache names they apply to ("" = all). */
struct slub_debug_block {
	slab_flags_t flags;
	const char *names; /* comma-separated, inside slub_debug_string; NULL: every cache */
};

static char slub_debug_string[SLUB_DEBUG_STRING_MAX];
static struct slub_debug_block slub_debug_blocks[SLUB_DEBUG_MAX_BLOCKS];
static unsigned int slub_debug_nr_blocks;

/* Every slub_debug problem is one console line naming the cache. */
void slab_report(const struct kmem_cache *s, const char *fmt, ...)
{
	char buf[SLAB_REPORT_MAX];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	printk("slub: %s: %s\n", s->name, buf);
}

/* The flags of option letters [@p, @end) (Linux's parse_slub_debug_flags()). */
static slab_flags_t parse_letters(const char *p, const char *end)
{
	slab_flags_t flags = 0;

	if (p == end)
		return SLAB_DEBUG_FLAGS; /* no letters: everything */
	for (; p < end; p++) {
		switch (*p) {
		case 'f': case 'F':
			flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z': case 'Z':
			flags |= SLAB_RED_ZONE;
			break;
		case 'p': case 'P':
			flags |= SLAB_POISON;
			break;
		case 'u': case 'U':
			flags |= SLAB_STORE_USER;
			break;
		case '-':
			flags = 0; /* "-" switches debugging off */
			break;
		default:
			printk("slub_debug option '%c' unknown. skipped\n", *p);
		}
	}
	return flags;
}

/* Keep a copy of the parameter and split it into blocks of letters and names. */
int slub_debug_setup(const char *value)
{
	char *p, *block;
	size_t len;

	slub_debug_nr_blocks = 0;
	if (!value)
		return 0;
	len = strnlen(value, SLUB_DEBUG_STRING_MAX);
	if (len == SLUB_DEBUG_STRING_MAX) {
		printk("slub_debug: value too long (%u bytes at most): \"%.40s...\"\n",
		       SLUB_DEBUG_STRING_MAX - 1, value);
		return -EINVAL;
	}
	memcpy(slub_debug_string, value, len + 1);
	if (!len) {
		slub_debug_blocks[0].flags = SLAB_DEBUG_FLAGS;
		slub_debug_blocks[0].names = NULL;
		slub_debug_nr_blocks = 1;
		return 0;
	}
	for (block = slub_debug_string; block; block = p) {
		char *comma;

		p = block;
		while (*p && *p != ';')
			p++;
		if (*p)
			*p++ = '\0';
		else
			p = NULL;
		if (slub_debug_nr_blocks == SLUB_DEBUG_MAX_BLOCKS) {
			printk("slub_debug: more than %u blocks: \"%s\" ignored\n",
			       SLUB_DEBUG_MAX_BLOCKS, block);
			return -EINVAL;
		}
		comma = block;
		while (*comma && *comma != ',')
			comma++;
		slub_debug_blocks[slub_debug_nr_blocks].flags = parse_letters(block, comma);
		slub_debug_blocks[slub_debug_nr_blocks].names = *comma ? comma + 1 : NULL;
		slub_debug_nr_blocks++;
	}
	return 0;
}

/* Whether @name is in the comma-separated @list (an item ending in '*' is a prefix). */
static bool name_in_list(const char *name, const char *list)
{
	const char *item = list;
	size_t len = strlen(name);

	while (*item) {
		const char *end = item;
		size_t n;

		while (*end && *end != ',')
			end++;
		n = (size_t)(end - item);
		if (n && item[n - 1] == '*') {
			if (len >= n - 1 && !memcmp(name, item, n - 1))
				return true;
		} else if (n && len == n && !memcmp(name, item, n)) {
			return true;
		}
		item = *end ? end + 1 : end;
	}
	return false;
}

/* The flags of the block naming @name, else of the block naming none. */
slab_flags_t slub_debug_flags(const char *name)
{
	slab_flags_t global = 0;

	for (unsigned int i = 0; i < slub_debug_nr_blocks; i++) {
		const struct slub_debug_block *b = &slub_debug_blocks[i];

		if (!b->names)
			global = b->flags;
		else if (name_in_list(name, b->names))
			return b->flags;
	}
	return global;
}

/* Set the red zones of @obj to @val. */
static void set_red_zones(struct kmem_cache *s, u8 *obj, u8 val)
{
	memset(obj - s->red_left_pad, val, s->red_left_pad);
	memset(obj + s->object_size, val, s->inuse - s->object_size);
}

/*
 * Whether [@from, @from + @n) holds a byte other than @val; if so, @bad
 * gets its offset from @obj (negative in the left red zone).
 */
static bool first_bad(const u8 *obj, const u8 *from, size_t n, u8 val, long *bad)
{
	for (size_t i = 0; i < n; i++)
		if (from[i] != val) {
			*bad = (long)(from + i - obj);
			return true;
		}
	return false;
}

/*
 * Check both red zones of @obj hold @val; report the first bad byte with
 * @what ("free refused", "restored") and return false if one does not.
 */
static bool check_red_zones(struct kmem_cache *s, u8 *obj, u8 val, const char *what)
{
	const char *side = "left";
	long bad;

	if (!first_bad(obj, obj - s->red_left_pad, s->red_left_pad, val, &bad)) {
		if (!first_bad(obj, obj + s->object_size, s->inuse - s->object_size, val, &bad))
			return true;
		side = "right";
	}
	slab_report(s, "%s red zone of object %p overwritten: byte %+ld is 0x%02x, expected "
		    "0x%02x (%s)", side, obj, bad, obj[bad], val, what);
	return false;
}

/* Fill @obj with free poison. */
static void poison_object(struct kmem_cache *s, u8 *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	obj[s->object_size - 1] = POISON_END;
}

/* Check the free poison of @obj; report the first bad byte (use after free). */
static bool check_poison(struct kmem_cache *s, u8 *obj, const char *what)
{
	long bad;

	if (!first_bad(obj, obj, s->object_size - 1, POISON_FREE, &bad)) {
		if (obj[s->object_size - 1] == POISON_END)
			return true;
		bad = s->object_size - 1;
	}
	slab_report(s, "use after free: object %p byte %+ld is 0x%02x, expected 0x%02x (%s)", obj,
		    bad, obj[bad], bad == (long)s->object_size - 1 ? POISON_END : POISON_FREE,
		    what);
	return false;
}

/* Where slub_debug U keeps @obj's callers: [0] alloc, [1] free. */
static void **obj_track(struct kmem_cache *s, u8 *obj)
{
	return (void **)(obj + s->track_offset);
}

/* A new slab's object starts free: inactive red zones, free poison. */
void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (s->flags & SLAB_RED_ZONE)
		set_red_zones(s, obj, SLUB_RED_INACTIVE);
	if (slab_poisons(s))
		poison_object(s, obj);
	if (s->flags & SLAB_STORE_USER)
		obj_track(s, obj)[0] = obj_track(s, obj)[1] = NULL;
}

/* Checks when an object leaves the freelist (use after free, red zones). */
void slab_debug_alloc(struct kmem_cache *s, void *obj, void *caller)
{
	if (s->flags & SLAB_RED_ZONE) {
		check_red_zones(s, obj, SLUB_RED_INACTIVE, "restored");
		set_red_zones(s, obj, SLUB_RED_ACTIVE);
	}
	if (slab_poisons(s)) {
		check_poison(s, obj, "object reused");
		memset(obj, POISON_INUSE, s->object_size);
	}
	if (s->flags & SLAB_STORE_USER)
		obj_track(s, obj)[0] = caller;
}

/* Whether @obj is on the own freelist of slab @page (bounded by the object count). */
static bool on_freelist(struct kmem_cache *s, struct page *page, void *obj)
{
	char *base = page_address(page);
	unsigned int n = 0;

	for (void *p = slab_get_freelist(page, base); p && n <= s->objects;
	     p = get_freepointer(s, p), n++)
		if (p == obj)
			return true;
	return false;
}

/* Checks when an object comes back (double free, red zones); refuses bad frees. */
bool slab_debug_free(struct kmem_cache *s, struct page *page, void *obj, void *caller)
{
	bool already_free = false;
	long bad;

	if (s->flags & SLAB_CONSISTENCY_CHECKS)
		already_free = on_freelist(s, page, obj);
	if ((s->flags & SLAB_RED_ZONE) && !already_free)
		already_free = !first_bad(obj, (u8 *)obj - s->red_left_pad, s->red_left_pad,
					  SLUB_RED_INACTIVE, &bad) &&
			       !first_bad(obj, (u8 *)obj + s->object_size,
					  s->inuse - s->object_size, SLUB_RED_INACTIVE, &bad);
	if (already_free) {
		if (s->flags & SLAB_STORE_USER)
			slab_report(s, "double free of object %p: already free (allocated by %p, "
				    "freed by %p) (free refused)", obj, obj_track(s, obj)[0],
				    obj_track(s, obj)[1]);
		else
			slab_report(s, "double free of object %p: already free (free refused)",
				    obj);
		return false;
	}
	if ((s->flags & SLAB_RED_ZONE) &&
	    !check_red_zones(s, obj, SLUB_RED_ACTIVE, "free refused"))
		return false;

	if (s->flags & SLAB_RED_ZONE)
		set_red_zones(s, obj, SLUB_RED_INACTIVE);
	if (slab_poisons(s))
		poison_object(s, obj);
	if (s->flags & SLAB_STORE_USER)
		obj_track(s, obj)[1] = caller;
	return true;
}

/* Red zones and poison of every object of one slab, for validate. */
unsigned int slab_debug_check_slab(struct kmem_cache *s, struct page *page)
{
	u64 is_free[SLAB_CHECK_MAX_OBJECTS / 64] = { 0 };
	char *base = page_address(page);
	unsigned int problems = 0, i, n = 0;
	u8 *obj;

	for (void *p = slab_get_freelist(page, base); p && n < s->objects;
	     p = get_freepointer(s, p), n++) {
		if (!slab_object_index(s, base, p, &i))
			return problems; /* kmem_cache_validate() reported it */
		if (i < SLAB_CHECK_MAX_OBJECTS)
			is_free[i / 64] |= 1ull << (i % 64);
		if ((s->flags & SLAB_RED_ZONE) &&
		    !check_red_zones(s, p, SLUB_RED_INACTIVE, "found by validate"))
			problems++;
		if (slab_poisons(s) && !check_poison(s, p, "found by validate"))
			problems++;
	}
	if (!(s->flags & SLAB_RED_ZONE) || s->objects > SLAB_CHECK_MAX_OBJECTS)
		return problems;
	obj = (u8 *)base + s->red_left_pad;
	for (i = 0; i < s->objects; i++, obj += s->size)
		if (!(is_free[i / 64] & (1ull << (i % 64))) &&
		    !check_red_zones(s, obj, SLUB_RED_ACTIVE, "found by validate"))
			problems++;
	return problems;
}
