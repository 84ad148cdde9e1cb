/* SPDX-License-Identifier: MIT */
#include "serial.h"

#include "../shared/ports.h"

/* 16550 register offsets and bits (DLAB = divisor latch access, LCR bit 7). */
#define UART_RX_TX 0   /* RBR/THR, DLL when DLAB */
#define UART_IER 1     /* DLM when DLAB */
#define UART_IIR_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define UART_LCR_DLAB 0x80
#define UART_IIR_NO_INT 0x01
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty */
#define UART_MCR_LOOP 0x10
#define UART_MSR_DCD_DSR_CTS 0xb0

void serial_init(struct serial *s, FILE *out)
{
	*s = (struct serial){ .out = out, .dll = 1 /* 115200 baud */ };
}

bool serial_io(struct serial *s, unsigned offset, bool is_write, uint8_t *data)
{
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (offset) {
	case UART_RX_TX:
		if (dlab) {
			if (is_write)
				s->dll = *data;
			else
				*data = s->dll;
		} else if (is_write) {
			if (!(s->mcr & UART_MCR_LOOP)) {
				fputc(*data, s->out);
				s->bytes_out++;
			}
		} else {
			*data = 0; /* nothing is ever received */
		}
		return true;
	case UART_IER:
		if (is_write)
			*(dlab ? &s->dlm : &s->ier) = *data;
		else
			*data = dlab ? s->dlm : s->ier;
		return true;
	case UART_IIR_FCR:
		if (!is_write)
			*data = UART_IIR_NO_INT; /* FCR writes: FIFOs are not modelled */
		return true;
	case UART_LCR:
		if (is_write)
			s->lcr = *data;
		else
			*data = s->lcr;
		return true;
	case UART_MCR:
		if (is_write)
			s->mcr = *data;
		else
			*data = s->mcr;
		return true;
	case UART_LSR:
		if (!is_write)
			*data = UART_LSR_THRE | UART_LSR_TEMT; /* always ready to send */
		return true;
	case UART_MSR:
		if (!is_write)
			*data = UART_MSR_DCD_DSR_CTS;
		return true;
	case UART_SCR:
		if (is_write)
			s->scr = *data;
		else
			*data = s->scr;
		return true;
	default:
		return false;
	}
}
