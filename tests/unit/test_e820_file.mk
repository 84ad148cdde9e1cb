test_e820_file_SRCS := vmm/e820_file.c vmm/layout.c vmm/size.c vmm/error.c
