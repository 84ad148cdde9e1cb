test_mtrr_lookup_SRCS := guest/arch/x86/kernel/mtrr_lookup.c guest/lib/vsprintf.c tests/unit/guest_log.c
