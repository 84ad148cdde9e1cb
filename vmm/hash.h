/* SPDX-License-Identifier: MIT */
/* Hashing for the VMM's small open-addressing tables (access log, mmio monitor). */
#ifndef VMM_HASH_H
#define VMM_HASH_H

#include <stdint.h>

/* 64-bit finalizer of MurmurHash3: spreads page-aligned addresses and small keys well. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

#endif /* VMM_HASH_H */
