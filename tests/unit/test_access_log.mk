test_access_log_SRCS := vmm/access_log.c
