/* SPDX-License-Identifier: MIT */
/* The guest's door to the I/O ports and exit codes in shared/ports.h. */
#ifndef ABI_PORTS_H
#define ABI_PORTS_H

#include "../../../shared/ports.h"

#endif /* ABI_PORTS_H */
