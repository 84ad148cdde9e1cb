test_control_stats_SRCS := vmm/stats_out.c vmm/vcpu_pause.c vmm/stop.c vmm/error.c
