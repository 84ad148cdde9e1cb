test_guest_cmdline_SRCS := guest/kernel/cmdline.c guest/lib/kstrtox.c
