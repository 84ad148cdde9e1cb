// SPDX-License-Identifier: MIT
/*
 * The page attribute table, printed in the format of Linux's boot line:
 * after pat_init() (mm/pat.c) Linux's layout WB WC UC- UC WB WP UC- WT, or
 * whatever the firmware left if programming it failed.
 */
#include "asm/msr.h"
#include "asm/pat.h"
#include "asm/processor.h"
#include "kernel/printk.h"

#define PAT_NR_ENTRIES 8
#define PAT_ENTRY_BITS 8
#define PAT_TYPE_MASK 0x7 /* bits 7:3 of each entry are reserved */

/* Linux's four-column names (pat_get_cache_mode()); 2 and 3 are reserved encodings. */
static const char *const pat_type_names[PAT_TYPE_MASK + 1] = {
	[0] = "UC  ", [1] = "WC  ", [2] = "??  ", [3] = "??  ",
	[4] = "WT  ", [5] = "WP  ", [6] = "WB  ", [7] = "UC- ",
};

/* Print the PAT MSR entry by entry, or why there is none. */
void pat_print_config(void)
{
	u64 pat;
	int i;

	if (!boot_cpu_has(X86_FEATURE_PAT))
		return; /* pat_init() said so */
	pat = rdmsr(MSR_IA32_CR_PAT);
	printk("x86/PAT: Configuration [0-7]: ");
	for (i = 0; i < PAT_NR_ENTRIES; i++)
		printk("%s", pat_type_names[(pat >> (i * PAT_ENTRY_BITS)) & PAT_TYPE_MASK]);
	printk("\n");
}
