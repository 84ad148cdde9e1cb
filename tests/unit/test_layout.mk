test_layout_SRCS := vmm/layout.c vmm/size.c vmm/error.c
