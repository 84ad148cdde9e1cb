test_cli_SRCS := vmm/cli.c vmm/layout.c vmm/size.c vmm/error.c
