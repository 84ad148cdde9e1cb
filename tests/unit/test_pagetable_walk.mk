test_pagetable_walk_SRCS := vmm/pagetable_walk.c vmm/pagetable_dump.c vmm/guest_mem.c vmm/size.c vmm/error.c
