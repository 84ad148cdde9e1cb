test_elf_loader_SRCS := vmm/elf_loader.c vmm/guest_mem.c vmm/size.c vmm/error.c tests/unit/elf_builder.c
