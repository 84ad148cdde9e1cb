test_guest_e820_SRCS := guest/mm/e820_sanitize.c
