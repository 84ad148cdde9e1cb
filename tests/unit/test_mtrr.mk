test_mtrr_SRCS := vmm/mtrr.c
