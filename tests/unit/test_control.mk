test_control_SRCS := vmm/control.c vmm/stats_out.c vmm/vcpu_pause.c vmm/stop.c vmm/error.c
