/* SPDX-License-Identifier: MIT */
/*
 * The guest's door to the PVH boot ABI in shared/: one fixed relative path,
 * so guest code includes "abi/pvh.h" from any directory depth.
 */
#ifndef ABI_PVH_H
#define ABI_PVH_H

#include "../../../shared/pvh.h"

#endif /* ABI_PVH_H */
