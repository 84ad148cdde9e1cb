test_highmem_SRCS := guest/mm/highmem.c guest/lib/vsprintf.c tests/unit/guest_log.c
