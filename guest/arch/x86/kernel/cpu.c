// SPDX-License-Identifier: MIT
/*
 * What the boot CPU can do for memory management, from CPUID.
 *
 * Every leaf is read only after checking that the highest leaf of its range
 * covers it (leaves beyond the maximum return other leaves' data on Intel).
 * The hypervisor leaves are read only if CPUID.1:ECX.HYPERVISOR is set, and
 * their contents are treated as untrusted text and numbers.
 */
#include "abi/hypervisor.h"
#include "asm/cpuid.h"
#include "asm/processor.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"

#define CPUID_BASIC_LEAF 0x00000000u
#define CPUID_FEATURE_LEAF 0x00000001u
#define CPUID_EXT_FEATURE_LEAF 0x00000007u /* sub-leaf 0 */
#define CPUID_EXT_BASE 0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_ADDR_SIZES 0x80000008u
#define CPUID_EXT_RANGE_MASK 0xffff0000u
/* Hypervisor leaves occupy 0x40000000..0x400000ff. */
#define CPUID_HV_RANGE_END 0x400000ffu

/* Address widths Linux assumes when 0x80000008 is missing. */
#define PHYS_BITS_DEFAULT 32
#define PHYS_BITS_PAE 36
#define VIRT_BITS_DEFAULT 32
#define VIRT_BITS_LM 48
/* The range x86-64 allows for MAXPHYADDR. */
#define PHYS_BITS_MIN 32
#define PHYS_BITS_MAX 52

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* Where each feature lives in CPUID, and its /proc/cpuinfo name. */
struct cpu_feature_bit {
	enum x86_feature feature;
	u32 leaf;
	enum cpuid_reg reg;
	u8 bit;
	const char *name;
};

/* In the order "CPU: mm features:" prints them; hypervisor and lm are not printed. */
static const struct cpu_feature_bit cpu_feature_bits[] = {
	{ X86_FEATURE_PAE, CPUID_FEATURE_LEAF, CPUID_EDX, 6, "pae" },
	{ X86_FEATURE_PSE, CPUID_FEATURE_LEAF, CPUID_EDX, 3, "pse" },
	{ X86_FEATURE_PSE36, CPUID_FEATURE_LEAF, CPUID_EDX, 17, "pse36" },
	{ X86_FEATURE_PGE, CPUID_FEATURE_LEAF, CPUID_EDX, 13, "pge" },
	{ X86_FEATURE_PAT, CPUID_FEATURE_LEAF, CPUID_EDX, 16, "pat" },
	{ X86_FEATURE_MTRR, CPUID_FEATURE_LEAF, CPUID_EDX, 12, "mtrr" },
	{ X86_FEATURE_NX, CPUID_EXT_FEATURES, CPUID_EDX, 20, "nx" },
	{ X86_FEATURE_GBPAGES, CPUID_EXT_FEATURES, CPUID_EDX, 26, "pdpe1gb" },
	{ X86_FEATURE_PCID, CPUID_FEATURE_LEAF, CPUID_ECX, 17, "pcid" },
	{ X86_FEATURE_INVPCID, CPUID_EXT_FEATURE_LEAF, CPUID_EBX, 10, "invpcid" },
	{ X86_FEATURE_SMEP, CPUID_EXT_FEATURE_LEAF, CPUID_EBX, 7, "smep" },
	{ X86_FEATURE_SMAP, CPUID_EXT_FEATURE_LEAF, CPUID_EBX, 20, "smap" },
	{ X86_FEATURE_HYPERVISOR, CPUID_FEATURE_LEAF, CPUID_ECX, 31, NULL },
	{ X86_FEATURE_LM, CPUID_EXT_FEATURES, CPUID_EDX, 29, NULL },
};

struct cpuinfo_x86 boot_cpu_data;

/* Whether @leaf exists: below the highest leaf of its range. */
static bool cpuid_leaf_exists(u32 leaf)
{
	if (leaf >= CPUID_EXT_BASE)
		return boot_cpu_data.extended_cpuid_level >= leaf;
	return boot_cpu_data.cpuid_level >= leaf;
}

/* The register @reg of a CPUID result, for the table-driven feature lookup. */
static u32 cpuid_reg_value(const struct cpuid_regs *r, enum cpuid_reg reg)
{
	switch (reg) {
	case CPUID_EAX:
		return r->eax;
	case CPUID_EBX:
		return r->ebx;
	case CPUID_ECX:
		return r->ecx;
	default:
		return r->edx;
	}
}

/* The 12 signature bytes in EBX, ECX, EDX order (hypervisors) into @sig. */
static void cpuid_signature(char *sig, u32 a, u32 b, u32 c)
{
	memcpy(sig, &a, 4);
	memcpy(sig + 4, &b, 4);
	memcpy(sig + 8, &c, 4);
	sig[CPUID_SIG_LEN] = '\0';
}

/* Family, model and stepping from CPUID.1:EAX, extended fields as Linux adds them. */
static void cpu_decode_signature(u32 sig)
{
	u32 family = (sig >> 8) & 0xf;
	u32 model = (sig >> 4) & 0xf;

	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 0x6)
		model += ((sig >> 16) & 0xf) << 4;
	boot_cpu_data.x86 = family;
	boot_cpu_data.x86_model = model;
	boot_cpu_data.x86_stepping = sig & 0xf;
}

/* Physical and virtual address widths, from 0x80000008 or Linux's defaults. */
static void cpu_detect_address_sizes(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;

	if (cpuid_leaf_exists(CPUID_EXT_ADDR_SIZES)) {
		struct cpuid_regs r = cpuid(CPUID_EXT_ADDR_SIZES);
		u8 phys = r.eax & 0xff, virt = (r.eax >> 8) & 0xff;

		if (phys >= PHYS_BITS_MIN && phys <= PHYS_BITS_MAX && virt) {
			c->x86_phys_bits = phys;
			c->x86_virt_bits = virt;
			c->address_sizes_known = true;
			return;
		}
	}
	c->x86_phys_bits = (boot_cpu_has(X86_FEATURE_PAE) || boot_cpu_has(X86_FEATURE_PSE36)) ?
				   PHYS_BITS_PAE :
				   PHYS_BITS_DEFAULT;
	c->x86_virt_bits = boot_cpu_has(X86_FEATURE_LM) ? VIRT_BITS_LM : VIRT_BITS_DEFAULT;
}

/* The hypervisor's signature and highest leaf, and the TSC rate if it gives one. */
static void cpu_detect_hypervisor(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	struct cpuid_regs r;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return;
	r = cpuid(CPUID_HV_VENDOR_LEAF);
	cpuid_signature(c->hypervisor_sig, r.ebx, r.ecx, r.edx);
	c->hypervisor_max_leaf = r.eax;
	if (c->hypervisor_max_leaf >= CPUID_HV_TIMING_LEAF &&
	    c->hypervisor_max_leaf <= CPUID_HV_RANGE_END)
		c->tsc_khz = cpuid(CPUID_HV_TIMING_LEAF).eax;
}

/* Fill boot_cpu_data from CPUID. */
void identify_boot_cpu(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	struct cpuid_regs r;
	size_t i;

	r = cpuid(CPUID_BASIC_LEAF);
	c->cpuid_level = r.eax;
	cpuid_signature(c->x86_vendor_id, r.ebx, r.edx, r.ecx);

	r = cpuid(CPUID_EXT_BASE);
	c->extended_cpuid_level = (r.eax & CPUID_EXT_RANGE_MASK) == CPUID_EXT_BASE ? r.eax : 0;

	if (cpuid_leaf_exists(CPUID_FEATURE_LEAF))
		cpu_decode_signature(cpuid(CPUID_FEATURE_LEAF).eax);

	for (i = 0; i < ARRAY_SIZE(cpu_feature_bits); i++) {
		const struct cpu_feature_bit *f = &cpu_feature_bits[i];

		if (!cpuid_leaf_exists(f->leaf))
			continue;
		r = cpuid_count(f->leaf, 0);
		if (cpuid_reg_value(&r, f->reg) & (1u << f->bit))
			c->features |= 1u << f->feature;
	}

	cpu_detect_address_sizes();
	cpu_detect_hypervisor();
}

/* Copy @sig up to its first NUL, printable ASCII only ('?' for the rest). */
static void printable_signature(char *dst, const char *sig)
{
	size_t i;

	for (i = 0; i < CPUID_SIG_LEN && sig[i]; i++)
		dst[i] = (sig[i] >= ' ' && sig[i] <= '~') ? sig[i] : '?';
	dst[i] = '\0';
}

/* The "CPU: mm features:" line: every feature name, absent ones with a '-'. */
static void print_mm_features(void)
{
	/* Longest line: every name with a '-' and a space. */
	char line[sizeof("pae pse pse36 pge pat mtrr nx pdpe1gb pcid invpcid smep smap") + 16];
	size_t i, pos = 0;

	for (i = 0; i < ARRAY_SIZE(cpu_feature_bits); i++) {
		const struct cpu_feature_bit *f = &cpu_feature_bits[i];

		if (!f->name || pos >= sizeof(line))
			continue;
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "%s%s%s", pos ? " " : "",
					boot_cpu_has(f->feature) ? "" : "-", f->name);
	}
	printk("CPU: mm features: %s\n", line);
}

/* Print vendor, family/model, hypervisor, TSC, address sizes and mm features. */
void print_cpu_info(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	char sig[CPUID_SIG_LEN + 1];

	printable_signature(sig, c->x86_vendor_id);
	printk("CPU: vendor %s, family 0x%x, model 0x%x, stepping 0x%x\n", sig, c->x86,
	       c->x86_model, c->x86_stepping);

	if (boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		printable_signature(sig, c->hypervisor_sig);
		printk("Hypervisor detected: %s\n", sig);
	} else {
		printk("Hypervisor detected: none\n");
	}
	if (c->tsc_khz)
		printk("tsc: %u kHz from hypervisor CPUID leaf 0x%x\n", c->tsc_khz,
		       CPUID_HV_TIMING_LEAF);
	else
		printk("tsc: frequency unknown (no hypervisor CPUID leaf 0x%x)\n",
		       CPUID_HV_TIMING_LEAF);

	printk("CPU: address sizes: %u bits physical, %u bits virtual%s\n", c->x86_phys_bits,
	       c->x86_virt_bits, c->address_sizes_known ? "" : " (assumed: no CPUID 0x80000008)");
	print_mm_features();
}
