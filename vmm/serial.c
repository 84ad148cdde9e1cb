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
#define UART_IIR_FIFOS 0xc0 /* both FIFO bits: a 16550A with FIFOs on */
#define UART_FCR_ENABLE 0x01
#define UART_LSR_DR 0x01   /* data ready */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty */
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
/* A terminal is always attached: carrier, data set ready, clear to send. */
#define UART_MSR_CONNECTED (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)

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
			if (s->mcr & UART_MCR_LOOP) {
				/* Loopback (Linux's probe): the byte comes back to RBR. */
				s->loop_byte = *data;
				s->loop_full = true;
			} else {
				fputc(*data, s->out);
				/* Read by the event-loop thread (stats records): atomic. */
				__atomic_add_fetch(&s->bytes_out, 1, __ATOMIC_RELAXED);
			}
		} else if (s->loop_full) {
			*data = s->loop_byte;
			s->loop_full = false;
		} else {
			*data = 0; /* nothing is ever received from outside */
		}
		return true;
	case UART_IER:
		if (is_write)
			*(dlab ? &s->dlm : &s->ier) = *data;
		else
			*data = dlab ? s->dlm : s->ier;
		return true;
	case UART_IIR_FCR:
		/* FIFO contents are not modelled (output is immediate), their state is. */
		if (is_write)
			s->fifo = *data & UART_FCR_ENABLE;
		else
			*data = UART_IIR_NO_INT | (s->fifo ? UART_IIR_FIFOS : 0);
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
			*data = UART_LSR_THRE | UART_LSR_TEMT | (s->loop_full ? UART_LSR_DR : 0);
		return true;
	case UART_MSR:
		if (is_write)
			return true;
		if (s->mcr & UART_MCR_LOOP)
			/* Loopback wires the modem outputs to the inputs, as on a real 16550. */
			*data = (s->mcr & UART_MCR_RTS ? UART_MSR_CTS : 0) |
				(s->mcr & UART_MCR_DTR ? UART_MSR_DSR : 0) |
				(s->mcr & UART_MCR_OUT1 ? UART_MSR_RI : 0) |
				(s->mcr & UART_MCR_OUT2 ? UART_MSR_DCD : 0);
		else
			*data = UART_MSR_CONNECTED;
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
