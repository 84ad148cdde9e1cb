/* SPDX-License-Identifier: MIT */
/* The guest's door to the page-table dump's region markers in shared/ptdump_markers.h. */
#ifndef ABI_PTDUMP_MARKERS_H
#define ABI_PTDUMP_MARKERS_H

#include "../../../shared/ptdump_markers.h"

#endif /* ABI_PTDUMP_MARKERS_H */
