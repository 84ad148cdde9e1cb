/* SPDX-License-Identifier: MIT */
/* The guest's door to the CPUID hypervisor leaves in shared/hypervisor.h. */
#ifndef ABI_HYPERVISOR_H
#define ABI_HYPERVISOR_H

#include "../../../shared/hypervisor.h"

#endif /* ABI_HYPERVISOR_H */
