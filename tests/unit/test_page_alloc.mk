test_page_alloc_SRCS := guest/mm/page_alloc.c guest/mm/debug_vm.c guest/mm/show_mem.c guest/mm/memblock.c guest/lib/vsprintf.c tests/unit/guest_log.c
