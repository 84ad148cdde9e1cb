// SPDX-License-Identifier: MIT
/*
 * The boot console: a 16550 UART on COM1, polled, no interrupts.
 *
 * Output goes in bursts: once the transmitter is empty (LSR.THRE: with
 * FIFOs on, the whole 16-byte FIFO is free), up to 16 bytes are sent with
 * one "rep outsb". Under a hypervisor every port access is a VM exit, and
 * guest instructions are slow on this project's KVM host
 * (docs/platform-notes.md): one exit per 16 bytes instead of two per byte
 * is most of the boot time saved. The wait for THRE is a bounded spin:
 * this VMM's UART always reads LSR = 0x60 and QEMU's empties at once, but
 * a missing or wedged UART must not hang the kernel. After one timeout the
 * port is considered stuck and no longer waited for.
 */
#include "abi/ports.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "kernel/console.h"

/* Register offsets from the base port. */
#define UART_TX 0  /* transmit holding register (DLAB = 0) */
#define UART_DLL 0 /* divisor latch, low byte (DLAB = 1) */
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM 1 /* divisor latch, high byte (DLAB = 1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define UART_LCR_DLAB 0x80 /* divisor latch access */
#define UART_LCR_8N1 0x03  /* 8 data bits, no parity, 1 stop bit */
#define UART_FCR_ENABLE_FIFO 0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_LSR_THRE 0x20 /* transmit holding register empty */

/* The 16550A's transmit FIFO: bytes that may be written after THRE. */
#define UART_FIFO_SIZE 16

/* 115200 baud: the 1.8432 MHz clock / 16 / 1. */
#define UART_DIVISOR_115200 1

/*
 * About 0.1 s of polling on real hardware (an inb costs ~1 us): far more than
 * a byte takes at 115200 baud, and long enough for QEMU to drain a FIFO into
 * a slow host pipe. Paid at most once (see uart_stuck).
 */
#define UART_THRE_SPIN_MAX 100000

static bool uart_stuck;

/* Set 115200 8N1 with FIFOs, interrupts off (nothing here takes interrupts). */
void early_console_init(void)
{
	outb(0, SERIAL_COM1_BASE + UART_IER);
	outb(UART_LCR_DLAB, SERIAL_COM1_BASE + UART_LCR);
	outb(UART_DIVISOR_115200 & 0xff, SERIAL_COM1_BASE + UART_DLL);
	outb(UART_DIVISOR_115200 >> 8, SERIAL_COM1_BASE + UART_DLM);
	outb(UART_LCR_8N1, SERIAL_COM1_BASE + UART_LCR);
	outb(UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT,
	     SERIAL_COM1_BASE + UART_FCR);
	outb(UART_MCR_DTR | UART_MCR_RTS, SERIAL_COM1_BASE + UART_MCR);
}

/* Wait, boundedly, until the UART can take a byte. */
static void uart_wait_thre(void)
{
	unsigned int i;

	if (uart_stuck)
		return;
	for (i = 0; i < UART_THRE_SPIN_MAX; i++) {
		if (inb(SERIAL_COM1_BASE + UART_LSR) & UART_LSR_THRE)
			return;
		cpu_relax();
	}
	uart_stuck = true;
}

/* Send @len bytes, a FIFO-full at a time. */
void early_console_write(const char *s, size_t len)
{
	while (len) {
		size_t n = len < UART_FIFO_SIZE ? len : UART_FIFO_SIZE;

		uart_wait_thre();
		outsb(SERIAL_COM1_BASE + UART_TX, s, n);
		s += n;
		len -= n;
	}
}
