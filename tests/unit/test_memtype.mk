test_memtype_SRCS := guest/arch/x86/mm/memtype.c guest/lib/vsprintf.c tests/unit/guest_log.c
