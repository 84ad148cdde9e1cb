test_guest_vsnprintf_SRCS := guest/lib/vsprintf.c
