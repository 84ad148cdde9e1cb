test_sparse_SRCS := guest/mm/sparse.c guest/mm/memblock.c guest/lib/vsprintf.c tests/unit/guest_log.c
