test_monitor_SRCS := vmm/monitor_parse.c vmm/monitor_pages.c vmm/monitor_mmio.c vmm/error.c
