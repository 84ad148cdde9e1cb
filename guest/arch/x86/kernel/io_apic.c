// SPDX-License-Identifier: MIT
/*
 * The I/O APIC (see asm/io_apic.h): two MMIO registers, IOREGSEL and IOWIN,
 * give indirect access to the ID, the version and the redirection table.
 * The page is mapped uncached (PCD|PWT) in the device window; every pin is
 * masked at boot and only the ones a driver routes are opened.
 */
#include "asm/apic.h"
#include "asm/io_apic.h"
#include "asm/irq.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/pgtable_types.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

#define IOREGSEL 0x00 /* byte offsets in the page */
#define IOWIN 0x10
#define IO_APIC_ABSENT 0xffffffffu /* what a read of nothing returns */

static volatile u32 *io_apic_regs;
static unsigned int nr_pins;

static u32 io_apic_read(unsigned int reg)
{
	io_apic_regs[IOREGSEL / sizeof(u32)] = reg;
	return io_apic_regs[IOWIN / sizeof(u32)];
}

static void io_apic_write(unsigned int reg, u32 val)
{
	io_apic_regs[IOREGSEL / sizeof(u32)] = reg;
	io_apic_regs[IOWIN / sizeof(u32)] = val;
}

unsigned int io_apic_nr_pins(void)
{
	return nr_pins;
}

u64 io_apic_read_entry(unsigned int gsi)
{
	if (gsi >= nr_pins)
		return 0;
	return (u64)io_apic_read(IO_APIC_REG_REDTBL + 2 * gsi + 1) << 32 |
	       io_apic_read(IO_APIC_REG_REDTBL + 2 * gsi);
}

void io_apic_mask(unsigned int gsi)
{
	if (gsi >= nr_pins)
		return;
	io_apic_write(IO_APIC_REG_REDTBL + 2 * gsi, IO_APIC_RTE_MASKED);
}

/* Program one redirection entry (see asm/io_apic.h); the low word last, as it unmasks. */
int io_apic_route(unsigned int gsi, unsigned int vector)
{
	u64 entry;

	if (gsi >= nr_pins || vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return -EINVAL;
	entry = (u64)(apic_id() & 0xff) << IO_APIC_RTE_DEST_SHIFT | vector;
	io_apic_write(IO_APIC_REG_REDTBL + 2 * gsi, IO_APIC_RTE_MASKED);
	io_apic_write(IO_APIC_REG_REDTBL + 2 * gsi + 1, (u32)(entry >> 32));
	io_apic_write(IO_APIC_REG_REDTBL + 2 * gsi, (u32)entry);
	return 0;
}

/* Find, map and mask the I/O APIC (see asm/io_apic.h). */
void io_apic_init(void)
{
	u32 ver;
	int err;

	if (!apic_present())
		return;
	err = kernel_map_range(DEVICE_WINDOW_IO_APIC, IO_APIC_DEFAULT_PHYS_BASE, PAGE_SIZE,
			       pgtable_prot_kernel_data() | _PAGE_PCD | _PAGE_PWT, 0);
	if (err) {
		printk("IOAPIC: cannot map 0x%lx (error %d): no I/O APIC\n",
		       IO_APIC_DEFAULT_PHYS_BASE, err);
		return;
	}
	io_apic_regs = (volatile u32 *)DEVICE_WINDOW_IO_APIC;
	ver = io_apic_read(IO_APIC_REG_VERSION);
	if (ver == IO_APIC_ABSENT) {
		printk("IOAPIC: nothing answers at 0x%lx: no I/O APIC\n",
		       IO_APIC_DEFAULT_PHYS_BASE);
		return;
	}
	nr_pins = ((ver >> 16) & 0xff) + 1; /* an 8-bit field: at most 256 pins */
	for (unsigned int pin = 0; pin < nr_pins; pin++)
		io_apic_mask(pin);
	printk("IOAPIC: id 0x%x at 0x%lx, version 0x%x, %u pins (GSI 0-%u), all masked\n",
	       (io_apic_read(IO_APIC_REG_ID) >> 24) & 0xf, IO_APIC_DEFAULT_PHYS_BASE, ver & 0xff,
	       nr_pins, nr_pins - 1);
}
