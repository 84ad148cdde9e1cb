/* SPDX-License-Identifier: MIT */
/* COM1 model (vmm/serial.c): transmit, polled registers, divisor latch, loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "../../vmm/serial.h"

static void put(struct serial *s, unsigned off, uint8_t v)
{
	assert_true(serial_io(s, off, true, &v));
}

static uint8_t get(struct serial *s, unsigned off)
{
	uint8_t v = 0x5a;

	assert_true(serial_io(s, off, false, &v));
	return v;
}

static void test_transmit_goes_to_stream(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct serial s;

	(void)state;
	serial_init(&s, out);
	for (const char *p = "hello\n"; *p; p++)
		put(&s, 0, (uint8_t)*p);
	fclose(out);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(s.bytes_out, 6);
	free(buf);
}

static void test_lsr_always_ready_iir_no_interrupt(void **state)
{
	struct serial s;

	(void)state;
	serial_init(&s, stdout);
	assert_int_equal(get(&s, 5), 0x60);
	assert_int_equal(get(&s, 2), 0x01);
}

static void test_divisor_latch_does_not_transmit(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct serial s;

	(void)state;
	serial_init(&s, out);
	put(&s, 3, 0x80); /* DLAB */
	put(&s, 0, 0x03); /* 38400 baud */
	put(&s, 1, 0x00);
	assert_int_equal(get(&s, 0), 0x03);
	put(&s, 3, 0x03); /* 8N1, DLAB off */
	assert_int_equal(get(&s, 3), 0x03);
	fclose(out);
	assert_int_equal(len, 0);
	assert_int_equal(s.bytes_out, 0);
	free(buf);
}

static void test_scratch_and_loopback(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct serial s;

	(void)state;
	serial_init(&s, out);
	put(&s, 7, 0xa5);
	assert_int_equal(get(&s, 7), 0xa5);
	put(&s, 4, 0x10); /* loopback: Linux's probe sends test bytes this way */
	put(&s, 0, 'x');
	fclose(out);
	assert_int_equal(len, 0);
	free(buf);
}

/* Linux's 8250 probe: loopback with RTS|OUT2 must read back MSR 0x90 (CTS|DCD). */
static void test_loopback_modem_status_follows_mcr(void **state)
{
	struct serial s;

	(void)state;
	serial_init(&s, stdout);
	assert_int_equal(get(&s, 6) & 0xf0, 0xb0); /* not looped: a terminal is attached */
	put(&s, 4, 0x10 | 0x0a);                    /* LOOP | RTS | OUT2 */
	assert_int_equal(get(&s, 6) & 0xf0, 0x90);
	put(&s, 4, 0x10 | 0x05);                    /* LOOP | DTR | OUT1 */
	assert_int_equal(get(&s, 6) & 0xf0, 0x60);
	put(&s, 4, 0x10);
	assert_int_equal(get(&s, 6) & 0xf0, 0x00);
}

static void test_loopback_byte_comes_back(void **state)
{
	struct serial s;

	(void)state;
	serial_init(&s, stdout);
	put(&s, 4, 0x10);
	assert_int_equal(get(&s, 5) & 0x01, 0); /* nothing received yet */
	put(&s, 0, 0x5a);
	assert_int_equal(get(&s, 5) & 0x01, 1); /* data ready */
	assert_int_equal(get(&s, 0), 0x5a);
	assert_int_equal(get(&s, 5) & 0x01, 0);
}

/* IIR bits 7:6 say whether FIFOs are on: Linux tells a 16550A from a 16450 by them. */
static void test_fifo_state_in_iir(void **state)
{
	struct serial s;

	(void)state;
	serial_init(&s, stdout);
	assert_int_equal(get(&s, 2), 0x01);
	put(&s, 2, 0x07); /* enable and clear FIFOs */
	assert_int_equal(get(&s, 2), 0xc1);
	put(&s, 2, 0x00);
	assert_int_equal(get(&s, 2), 0x01);
}

static void test_not_a_register(void **state)
{
	struct serial s;
	uint8_t v = 0;

	(void)state;
	serial_init(&s, stdout);
	assert_false(serial_io(&s, 8, false, &v));
	assert_false(serial_io(&s, 1000, true, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transmit_goes_to_stream),
		cmocka_unit_test(test_lsr_always_ready_iir_no_interrupt),
		cmocka_unit_test(test_divisor_latch_does_not_transmit),
		cmocka_unit_test(test_scratch_and_loopback),
		cmocka_unit_test(test_loopback_modem_status_follows_mcr),
		cmocka_unit_test(test_loopback_byte_comes_back),
		cmocka_unit_test(test_fifo_state_in_iir),
		cmocka_unit_test(test_not_a_register),
	};
	return cmocka_run_group_tests_name("serial", tests, NULL, NULL);
}
