test_pvh_boot_SRCS := vmm/pvh_boot.c vmm/guest_mem.c vmm/error.c vmm/size.c
