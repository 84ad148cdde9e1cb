test_guest_selftest_SRCS := guest/kernel/selftest.c guest/lib/vsprintf.c
