test_memstat_dev_SRCS := vmm/memstat_dev.c vmm/memstat_report.c vmm/layout.c vmm/size.c vmm/error.c
