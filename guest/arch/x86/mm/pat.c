// SPDX-License-Identifier: MIT
/*
 * PAT: Linux's layout in IA32_PAT, and cache mode <-> PTE bits. The PAT
 * index of a mapping is PAT:PCD:PWT (bit 2..0); with Linux's layout
 *
 *	index  0   1   2    3   4   5   6    7
 *	type   WB  WC  UC-  UC  WB  WP  UC-  WT
 *
 * WB, WC, UC- and UC need only PWT/PCD (indexes 0-3, the same as the reset
 * value's for WB, UC-, UC); WP and WT need the PAT bit, which moves from
 * bit 7 to bit 12 in a large page.
 */
#include "asm/cpufeature.h"
#include "asm/msr.h"
#include "asm/pat.h"
#include "asm/pgtable_types.h"
#include "asm/processor.h"
#include "kernel/printk.h"

#define PAT_ENTRY_BITS 8
#define PAT_INDEX_PWT 1u
#define PAT_INDEX_PCD 2u
#define PAT_INDEX_PAT 4u

/* PAT index Linux's layout gives each mode. */
static const u8 cachemode_index[_PAGE_CACHE_MODE_NUM] = {
	[_PAGE_CACHE_MODE_WB] = 0,	 [_PAGE_CACHE_MODE_WC] = 1, [_PAGE_CACHE_MODE_UC_MINUS] = 2,
	[_PAGE_CACHE_MODE_UC] = 3,	 [_PAGE_CACHE_MODE_WP] = 5, [_PAGE_CACHE_MODE_WT] = 7,
};

/* The mode of each PAT index in Linux's layout (4 is WB again, 6 UC- again). */
static const enum page_cache_mode index_cachemode[8] = {
	_PAGE_CACHE_MODE_WB, _PAGE_CACHE_MODE_WC, _PAGE_CACHE_MODE_UC_MINUS, _PAGE_CACHE_MODE_UC,
	_PAGE_CACHE_MODE_WB, _PAGE_CACHE_MODE_WP, _PAGE_CACHE_MODE_UC_MINUS, _PAGE_CACHE_MODE_WT,
};

static const char *const cachemode_names[_PAGE_CACHE_MODE_NUM] = {
	"WB", "WC", "UC-", "UC", "WT", "WP",
};

static bool pat_programmed;

bool pat_init(void)
{
	u64 back, firmware;

	if (!boot_cpu_has(X86_FEATURE_PAT)) {
		printk("x86/PAT: PAT not supported by the CPU.\n");
		return false;
	}
	/* Not a Linux line: what the firmware (the VMM) left, for cross-checks. */
	firmware = rdmsr(MSR_IA32_CR_PAT);
	printk("x86/PAT: firmware left 0x%016llx\n", (unsigned long long)firmware);
	wrmsr(MSR_IA32_CR_PAT, PAT_LINUX_VALUE);
	back = rdmsr(MSR_IA32_CR_PAT);
	if (back != PAT_LINUX_VALUE) {
		printk("x86/PAT: wrote 0x%016llx, read back 0x%016llx: PAT not used\n",
		       PAT_LINUX_VALUE, (unsigned long long)back);
		return false;
	}
	pat_programmed = true;
	return true;
}

bool pat_enabled(void)
{
	return pat_programmed;
}

u64 cachemode2protval(enum page_cache_mode mode, bool large)
{
	unsigned int index = mode < _PAGE_CACHE_MODE_NUM ? cachemode_index[mode] : 0;
	u64 prot = 0;

	if (index & PAT_INDEX_PWT)
		prot |= _PAGE_PWT;
	if (index & PAT_INDEX_PCD)
		prot |= _PAGE_PCD;
	if (index & PAT_INDEX_PAT)
		prot |= large ? _PAGE_PAT_LARGE : _PAGE_PAT;
	return prot;
}

enum page_cache_mode pgprot2cachemode(u64 prot, bool large)
{
	unsigned int index = 0;

	if (prot & _PAGE_PWT)
		index |= PAT_INDEX_PWT;
	if (prot & _PAGE_PCD)
		index |= PAT_INDEX_PCD;
	if (prot & (large ? _PAGE_PAT_LARGE : _PAGE_PAT))
		index |= PAT_INDEX_PAT;
	return index_cachemode[index];
}

const char *cachemode_name(enum page_cache_mode mode)
{
	return mode < _PAGE_CACHE_MODE_NUM ? cachemode_names[mode] : "?";
}
