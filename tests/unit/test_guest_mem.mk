test_guest_mem_SRCS := vmm/guest_mem.c vmm/size.c vmm/error.c
