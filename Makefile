# Top-level build: the VMM (bin/vmm), its sanitizer build (bin/vmm-san), the
# guest kernel (images/guest.elf), host unit tests (bin/tests/), and the
# entry points `make run`, `make test`, `make bench`. See README.md.

CC       ?= gcc
ifeq ($(origin CC),default)
CC       := gcc
endif
BUILD    := build
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

# ---------------------------------------------------------------- VMM (host)
VMM_SRCS   := $(sort $(wildcard vmm/*.c))
VMM_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow \
              -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -MMD -MP
VMM_LIBS   := -lelf -ljansson -lpthread
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

VMM_OBJS     := $(VMM_SRCS:%.c=$(BUILD)/host/%.o)
VMM_SAN_OBJS := $(VMM_SRCS:%.c=$(BUILD)/san/%.o)

# ---------------------------------------------------------------- guest
GUEST_C_SRCS := $(sort $(shell find guest -name '*.c'))
GUEST_S_SRCS := $(sort $(shell find guest -name '*.S'))
GUEST_OBJS   := $(GUEST_S_SRCS:%.S=$(BUILD)/guest/%.o) $(GUEST_C_SRCS:%.c=$(BUILD)/guest/%.o)
GUEST_LDS    := guest/arch/x86/kernel.lds
GUEST_CFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
                -Iguest/include -Iguest/arch/x86/include \
                -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
                -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
                -fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
                -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(GUEST_LDS) -Wl,--build-id=none \
                 -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# ---------------------------------------------------------------- unit tests
# Each tests/unit/test_NAME.c has a tests/unit/test_NAME.mk that sets
# test_NAME_SRCS: the vmm/ or guest/ sources it links (guest code is built
# for the host here, as Linux's tools/testing/memblock does).
include $(wildcard tests/unit/*.mk)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
UNIT_BINS  := $(UNIT_NAMES:%=bin/tests/%) $(UNIT_NAMES:%=bin/tests/%-san)
UNIT_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -MMD -MP \
               -Iguest/include -Iguest/arch/x86/include -Itests/unit -DHOST_UNIT_TEST
UNIT_LIBS  := -lcmocka -lelf -ljansson

.PHONY: all test-build vmm guest unit deps-run deps-test run test bench clean
# `make` builds what `make run` needs (the VMM and the guest) and the bench
# guests; `make test` adds the sanitizer VMM and the unit tests (slow to
# compile twice each, so not part of the default build).
all: bin/vmm images/guest.elf $(BENCH_ELFS)
test-build: all bin/vmm-san unit

vmm: bin/vmm
guest: images/guest.elf
unit: $(UNIT_BINS)

bin/vmm: $(VMM_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMM_CFLAGS) -o $@ $^ $(VMM_LIBS)

bin/vmm-san: $(VMM_SAN_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMM_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(VMM_LIBS)

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMM_CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMM_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

images/guest.elf: $(GUEST_OBJS) $(GUEST_LDS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

$(BUILD)/guest/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guest/%.o: %.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

# One rule pair per unit test: plain and ASan/UBSan.
define unit_test_rules
bin/tests/$(1): tests/unit/$(1).c $$($(1)_SRCS) $$(wildcard tests/unit/*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(UNIT_CFLAGS) -o $$@ tests/unit/$(1).c $$($(1)_SRCS) $$(UNIT_LIBS)
bin/tests/$(1)-san: tests/unit/$(1).c $$($(1)_SRCS) $$(wildcard tests/unit/*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(UNIT_CFLAGS) $$(SAN_FLAGS) -o $$@ tests/unit/$(1).c $$($(1)_SRCS) $$(UNIT_LIBS)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit_test_rules,$(t))))

# ---------------------------------------------------------------- bench guests
# Minimal PVH ELFs: exit at once (monitor overhead) and a 1M-iteration loop
# (guest instruction rate). Linked at 1 MiB, loaded by physical address.
BENCH_ELFS := bin/bench/pvh_exit.elf bin/bench/pvh_loop1m.elf
bin/bench/pvh_exit.elf: ITER := 0
bin/bench/pvh_loop1m.elf: ITER := 1000000
bin/bench/%.elf: bench/pvh_loop.S shared/ports.h shared/pvh.h
	@mkdir -p $(@D)
	$(Q)$(CC) -D__ASSEMBLY__ -DLOOP_ITERATIONS=$(ITER) -nostdlib -static -no-pie \
		-Wl,-Ttext=0x100000 -Wl,-e,pvh_start -Wl,--build-id=none -Wl,-z,noexecstack \
		-o $@ $<

# ---------------------------------------------------------------- entry points
deps-run:
	$(Q)scripts/deps.sh run
deps-test:
	$(Q)scripts/deps.sh test

# Build, then boot the default guest (4 GiB, two DIMMs around the 3 GiB hole).
run: deps-run
	$(Q)$(MAKE) --no-print-directory bin/vmm images/guest.elf
	bin/vmm $(RUN_ARGS) images/guest.elf

# Build everything, then every test; the last line is "N passed, N failed".
test: deps-test
	$(Q)$(MAKE) --no-print-directory -j$(shell nproc) test-build
	$(Q)tests/run.sh

bench: deps-test
	$(Q)$(MAKE) --no-print-directory bin/vmm images/guest.elf $(BENCH_ELFS)
	$(Q)bench/boot.sh
	$(Q)bench/mm.sh
	$(Q)bench/monitor.sh
	$(Q)bench/memstat.sh

clean:
	rm -rf $(BUILD) bin images/guest.elf

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
