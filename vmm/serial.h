/* SPDX-License-Identifier: MIT */
/*
 * COM1 as a 16550A that only transmits: what the guest writes to the
 * transmit register goes to an output stream; the registers a driver polls
 * (LSR, IIR, MSR, scratch, divisor latch) read back sensibly so that the
 * guest's serial driver and Linux-style probing work.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct serial {
	FILE *out;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint64_t bytes_out;
};

void serial_init(struct serial *s, FILE *out);

/* Port access at @offset (0..7) from COM1's base; false if not a register. */
bool serial_io(struct serial *s, unsigned offset, bool is_write, uint8_t *data);

#endif /* VMM_SERIAL_H */
