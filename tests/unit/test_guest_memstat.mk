test_guest_memstat_SRCS := guest/drivers/memstat_parse.c guest/drivers/memstat_stats.c guest/lib/kstrtox.c guest/lib/vsprintf.c
