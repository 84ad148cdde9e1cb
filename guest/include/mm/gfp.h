/* SPDX-License-Identifier: MIT */
/*
 * GFP ("get free pages") flags: how an allocation may be satisfied.
 *
 * Bit values and composite masks are Linux 6.x's (include/linux/gfp_types.h),
 * so a mode printed as "mode:0xcc0(GFP_KERNEL)" means here what it means in
 * a Linux log. Only the bits the allocator acts upon, and those the
 * composite masks are made of, are defined. There is no reclaim here, so
 * __GFP_DIRECT_RECLAIM / __GFP_KSWAPD_RECLAIM only change which watermark
 * reserves a request may use (as in Linux's gfp_to_alloc_flags()).
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "kernel/types.h"
#include "mm/mmzone.h"

typedef unsigned int gfp_t;

/* Zone modifiers: where the memory may come from. */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_MOVABLE 0x08u     /* also a migratetype hint */
#define __GFP_RECLAIMABLE 0x10u /* migratetype hint only */
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT 3

/* Watermark and action modifiers. */
#define __GFP_HIGH 0x20u  /* high priority: may use half of the min reserve */
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u /* return zeroed pages */
#define __GFP_DIRECT_RECLAIM 0x400u /* the caller may sleep */
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_NOWARN 0x2000u  /* no allocation failure report */
#define __GFP_NOFAIL 0x8000u  /* never fail: see docs/page-alloc.md */
#define __GFP_HARDWALL 0x100000u
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

/* The usual combinations. */
#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* gfp_zone()'s answer for a contradictory zone modifier combination. */
#define ZONE_BAD MAX_NR_ZONES

/*
 * The highest zone a request may use (Linux's gfp_zone()). DMA|DMA32,
 * DMA|HIGHMEM and DMA32|HIGHMEM are contradictions: ZONE_BAD.
 */
static inline enum zone_type gfp_zone(gfp_t gfp)
{
	unsigned int bits = gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);

	switch (bits) {
	case 0:
		return ZONE_NORMAL;
	case __GFP_DMA:
		return ZONE_DMA;
	case __GFP_DMA32:
		return ZONE_DMA32;
	case __GFP_HIGHMEM:
		return (gfp & __GFP_MOVABLE) ? ZONE_MOVABLE : ZONE_HIGHMEM;
	default:
		return ZONE_BAD;
	}
}

/* The migratetype a request asks for (Linux's gfp_migratetype()). */
static inline enum migratetype gfp_migratetype(gfp_t gfp)
{
	unsigned int mt = (gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT;

	/* MOVABLE|RECLAIMABLE together is a caller bug; Linux warns, we pick movable. */
	return mt >= MIGRATE_PCPTYPES ? MIGRATE_MOVABLE : (enum migratetype)mt;
}

#endif /* MM_GFP_H */
