/* SPDX-License-Identifier: MIT */
#include "vcpu_run.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../shared/ports.h"
#include "exit_codes.h"
#include "memstat_dev.h"
#include "monitor.h"
#include "pagetable_dump.h"
#include "stop.h"
#include "vcpu_pause.h"
#include "x86_cpu.h"

/* RIP of the vCPU, for reports; 0 if it cannot be read. */
static uint64_t vcpu_rip(struct vcpu_run_ctx *ctx)
{
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	if (ioctl(ctx->vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return 0;
	return regs.rip;
}

static uint64_t load_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

enum exit_action { CONTINUE, STOP };

/*
 * One port access of @size bytes. Returns STOP with *status set when the
 * guest asked to exit (or broke the exit protocol).
 */
static enum exit_action handle_pio_one(struct vcpu_run_ctx *ctx, uint16_t port, unsigned size,
				       bool is_write, uint8_t *data, int *status)
{
	if (port >= SERIAL_COM1_BASE && port < SERIAL_COM1_BASE + SERIAL_COM1_NR_PORTS &&
	    size == 1 && serial_io(&ctx->serial, port - SERIAL_COM1_BASE, is_write, data))
		return CONTINUE;

	if (port == DEBUG_EXIT_PORT && is_write) {
		uint64_t value = load_le(data, size);

		fflush(ctx->serial.out);
		if (value > GUEST_EXIT_MAX) {
			fprintf(ctx->diag,
				"vmm: guest wrote exit value %" PRIu64 " (0x%" PRIx64
				") to port 0x%x; guest exit codes are 0..%d\n",
				value, value, DEBUG_EXIT_PORT, GUEST_EXIT_MAX);
			*status = VMM_EXIT_GUEST_PROTOCOL;
		} else {
			*status = (int)value;
		}
		return STOP;
	}

	if (ctx->memstat && memstat_dev_pio(ctx->memstat, port, size, is_write, data))
		return CONTINUE;

	/* Without --dump-pagetables the request is an unhandled port, reported below. */
	if (port == PTDUMP_REQUEST_PORT && is_write && ctx->ptdump) {
		pagetable_dump_request(ctx->ptdump, (uint32_t)load_le(data, size));
		return CONTINUE;
	}

	if (access_log_note(&ctx->access_log, ACCESS_PIO, port, is_write))
		access_log_report(&ctx->access_log, ACCESS_PIO, port, size, is_write,
				  is_write ? load_le(data, size) : 0, vcpu_rip(ctx), NULL);
	if (!is_write)
		memset(data, 0xff, size);
	return CONTINUE;
}

static enum exit_action handle_pio(struct vcpu_run_ctx *ctx, int *status)
{
	struct kvm_run *run = ctx->vm->run;
	unsigned size = run->io.size;
	uint64_t span = (uint64_t)size * run->io.count;

	/* KVM fills these, but an out-of-page offset would be our crash: check. */
	if (size == 0 || size > 4 || run->io.data_offset > ctx->vm->run_size ||
	    span > ctx->vm->run_size - run->io.data_offset) {
		fprintf(ctx->diag, "vmm: KVM reported port I/O with size %u count %u offset %llu\n",
			size, run->io.count, (unsigned long long)run->io.data_offset);
		*status = VMM_EXIT_HOST_ERROR;
		return STOP;
	}
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	for (uint32_t i = 0; i < run->io.count; i++, data += size)
		if (handle_pio_one(ctx, run->io.port, size, run->io.direction == KVM_EXIT_IO_OUT,
				   data, status) == STOP)
			return STOP;
	return CONTINUE;
}

static void handle_mmio(struct vcpu_run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->run;
	unsigned len = run->mmio.len <= sizeof(run->mmio.data) ? run->mmio.len : 8;
	uint64_t gpa = run->mmio.phys_addr;
	/* With no memslot there, it is a hole; a memslot the guest may not touch comes later. */
	bool hole = !guest_mem_find(ctx->mem, gpa);
	const char *what = hole ? "hole" : "unbacked RAM";

	if (monitors_mmio_enabled(ctx->monitors))
		monitors_note_mmio(ctx->monitors, gpa, len, run->mmio.is_write, vcpu_rip(ctx), hole);
	if (access_log_note(&ctx->access_log, ACCESS_MMIO, gpa, run->mmio.is_write))
		access_log_report(&ctx->access_log, ACCESS_MMIO, gpa, len, run->mmio.is_write,
				  run->mmio.is_write ? load_le(run->mmio.data, len) : 0,
				  vcpu_rip(ctx), what);
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, len);
}

/* The guest cannot go on: say why, dump the vCPU, return the crash status. */
static int guest_crash(struct vcpu_run_ctx *ctx, const char *why)
{
	fflush(ctx->serial.out);
	fprintf(ctx->diag, "vmm: guest crashed: %s\n", why);
	x86_cpu_dump(ctx->vm, ctx->diag);
	return VMM_EXIT_GUEST_CRASH;
}

static int handle_internal_error(struct vcpu_run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->run;
	char why[200];
	/* Suberror 1 is the one a guest causes: code KVM's emulator cannot run. */
	int n = snprintf(why, sizeof(why), "KVM internal error, suberror %u%s",
			 run->internal.suberror,
			 run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
				 " (emulation failure: e.g. code executed from a hole or MMIO)" :
				 "");

	for (uint32_t i = 0; i < run->internal.ndata && i < 4 && n > 0 && (size_t)n < sizeof(why);
	     i++)
		n += snprintf(why + n, sizeof(why) - (size_t)n, " data[%u]=0x%llx", i,
			      (unsigned long long)run->internal.data[i]);
	return guest_crash(ctx, why);
}

int vcpu_run(struct vcpu_run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->run;
	int status = VMM_EXIT_HOST_ERROR;
	char why[128];
	int signo = 0;

	stop_attach_run(run);
	vcpu_pause_attach(run);
	for (;;) {
		int ret;

		vcpu_pause_enter_guest();
		ret = ioctl(ctx->vm->vcpu_fd, KVM_RUN, 0);
		vcpu_pause_leave_guest();
		if (ret < 0) {
			if (errno != EINTR && errno != EAGAIN) {
				fprintf(ctx->diag, "vmm: KVM_RUN: %s\n", strerror(errno));
				status = VMM_EXIT_HOST_ERROR;
				goto out;
			}
			switch (stop_requested(&signo)) {
			case STOP_TIMEOUT:
				fflush(ctx->serial.out);
				fprintf(ctx->diag, "vmm: timeout: guest still running after %" PRIu64
					" ms, stopped\n", ctx->timeout_ms);
				x86_cpu_dump(ctx->vm, ctx->diag);
				status = VMM_EXIT_TIMEOUT;
				goto out;
			case STOP_SIGNAL:
				fflush(ctx->serial.out);
				fprintf(ctx->diag, "vmm: stopped by signal %d (%s)\n", signo,
					strsignal(signo));
				status = VMM_EXIT_SIGNAL_BASE + signo;
				goto out;
			case STOP_NONE:
				break;
			}
			/* Not stop.c's: the control socket's stop (park here) or quit. */
			if (vcpu_pause_point(run) == VCPU_QUIT) {
				fflush(ctx->serial.out);
				fprintf(ctx->diag, "vmm: quit requested on the control socket\n");
				status = VCPU_QUIT_EXIT_STATUS;
				goto out;
			}
			continue;
		}
		/* Atomic: the event-loop thread reads it for statistics records. */
		__atomic_add_fetch(&ctx->exits, 1, __ATOMIC_RELAXED);

		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (handle_pio(ctx, &status) == STOP)
				goto out;
			break;
		case KVM_EXIT_MMIO:
			handle_mmio(ctx);
			break;
		case KVM_EXIT_SHUTDOWN:
			status = guest_crash(ctx, "triple fault (KVM_EXIT_SHUTDOWN)");
			goto out;
		/*
		 * No KVM_EXIT_HLT: with the in-kernel irqchip a guest HLT waits
		 * in KVM for an interrupt (a KVM that exited anyway lands in
		 * "unexpected KVM exit reason" below).
		 */
		case KVM_EXIT_FAIL_ENTRY:
			snprintf(why, sizeof(why), "VM entry failed, hardware reason 0x%llx",
				 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			status = guest_crash(ctx, why);
			goto out;
		case KVM_EXIT_INTERNAL_ERROR:
			status = handle_internal_error(ctx);
			goto out;
		case KVM_EXIT_SYSTEM_EVENT:
			snprintf(why, sizeof(why), "system event %u (%s)", run->system_event.type,
				 run->system_event.type == KVM_SYSTEM_EVENT_RESET ? "reset" :
				 run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ? "shutdown" :
										       "other");
			status = guest_crash(ctx, why);
			goto out;
		default:
			fprintf(ctx->diag, "vmm: unexpected KVM exit reason %u\n",
				run->exit_reason);
			x86_cpu_dump(ctx->vm, ctx->diag);
			status = VMM_EXIT_HOST_ERROR;
			goto out;
		}
	}
out:
	stop_detach_run();
	vcpu_pause_detach();
	fflush(ctx->serial.out);
	/* Whatever ended the run, the vCPU is stopped and its tables can be read. */
	if (ctx->ptdump)
		pagetable_dump_exit(ctx->ptdump, status);
	access_log_summary(&ctx->access_log);
	return status;
}
