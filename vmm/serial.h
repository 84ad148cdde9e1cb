/* SPDX-License-Identifier: MIT */
/*
 * COM1 as a 16550A that only transmits: what the guest writes to the
 * transmit register goes to an output stream at once (so LSR always says
 * "empty"); the registers a driver polls or probes read back as on real
 * hardware: divisor latch, scratch, FIFO state in IIR, and loopback mode
 * (the byte sent comes back, MSR mirrors MCR) as Linux's 8250 probe uses.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct serial {
	FILE *out;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo;         /* FCR bit 0: FIFOs enabled (16550A mode) */
	uint8_t loop_byte; /* last byte sent in loopback mode, read back from RBR */
	bool loop_full;
	uint64_t bytes_out;
};

void serial_init(struct serial *s, FILE *out);

/* Port access at @offset (0..7) from COM1's base; false if not a register. */
bool serial_io(struct serial *s, unsigned offset, bool is_write, uint8_t *data);

#endif /* VMM_SERIAL_H */
