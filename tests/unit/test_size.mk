test_size_SRCS := vmm/size.c
