/* SPDX-License-Identifier: MIT */
/*
 * The VMM's exit status (docs/exit-codes.md). 0..GUEST_EXIT_MAX is the
 * guest's own code, written to the debug-exit port; everything above is
 * the VMM speaking. Values 64-70 follow <sysexits.h>.
 */
#ifndef VMM_EXIT_CODES_H
#define VMM_EXIT_CODES_H

#include "../shared/ports.h"

enum vmm_exit_code {
	VMM_EXIT_USAGE = 64,          /* bad command line (EX_USAGE) */
	VMM_EXIT_BAD_INPUT = 65,      /* guest ELF or E820 file missing or invalid (EX_DATAERR) */
	VMM_EXIT_HOST_ERROR = 70,     /* KVM or the host failed the VMM (EX_SOFTWARE) */
	VMM_EXIT_GUEST_PROTOCOL = 71, /* the guest broke the VMM ABI (exit value > 63, ...) */
	VMM_EXIT_GUEST_CRASH = 72,    /* triple fault, shutdown, dead halt, KVM internal error */
	VMM_EXIT_TIMEOUT = 124,       /* --timeout expired, as timeout(1) */
	VMM_EXIT_SIGNAL_BASE = 128,   /* stopped by SIGINT/SIGTERM/SIGHUP: 128 + signal */
};

_Static_assert(GUEST_EXIT_MAX < VMM_EXIT_USAGE, "guest codes and VMM codes are disjoint");

#endif /* VMM_EXIT_CODES_H */
