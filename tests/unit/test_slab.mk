test_slab_SRCS := guest/mm/slab.c guest/mm/slab_debug.c guest/mm/kmalloc.c guest/lib/vsprintf.c tests/unit/fake_page_alloc.c
