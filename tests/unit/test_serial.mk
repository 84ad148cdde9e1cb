test_serial_SRCS := vmm/serial.c
