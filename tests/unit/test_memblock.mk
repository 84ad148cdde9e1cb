test_memblock_SRCS := guest/mm/memblock.c guest/lib/vsprintf.c tests/unit/guest_log.c
