/* SPDX-License-Identifier: MIT */
/* The guest's door to the memstat device ABI in shared/memstat_dev.h. */
#ifndef ABI_MEMSTAT_DEV_H
#define ABI_MEMSTAT_DEV_H

#include "../../../shared/memstat_dev.h"

#endif /* ABI_MEMSTAT_DEV_H */
