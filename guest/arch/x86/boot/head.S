/* SPDX-License-Identifier: MIT */
/*
 * PVH entry: from 32-bit protected mode without paging to start_kernel()
 * running in the higher half in 64-bit long mode.
 *
 * What the loader promises (Xen's PVH ABI, also QEMU's and this VMM's):
 * 32-bit protected mode, paging off, flat 4 GiB CS and DS, interrupts off,
 * EBX = physical address of struct hvm_start_info. Nothing else: no stack,
 * no GDT we may keep, no particular CR0/CR4/EFER bits, no zeroed BSS, no
 * direction flag. So everything is set here explicitly.
 *
 * Register use in the 32-bit part: EBX holds the start-info address
 * throughout (ESI keeps it while CPUID clobbers EBX); EAX, ECX, EDX are
 * scratch; EDI and EBP carry the EFER and CR4 values being built.
 */
#include "abi/pvh.h"
#include "asm/msr-index.h"
#include "asm/page.h"
#include "asm/pgtable_types.h"
#include "asm/processor-flags.h"
#include "asm/segment.h"

/*
 * CR0 for long mode: PE (protected mode, already on) and PG (paging, the
 * switch into long mode once EFER.LME is set), plus MP, ET and NE (x87
 * errors as exceptions, as Linux sets them) and WP (read-only pages are
 * read-only for the kernel too). CD and NW stay clear: caches on, whatever
 * the loader left.
 */
#define CR0_STATE (X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG)

/*
 * CR4 for long mode: PAE (64-bit page-table entries), which long mode
 * requires; PGE is added below if CPUID has it.
 */
#define CR4_STATE X86_CR4_PAE

/* EFER: LME; paging will then activate long mode (EFER.LMA). NXE is added if CPUID has NX. */
#define EFER_STATE EFER_LME

/* The CPUID bits asked below (Intel SDM vol. 2, CPUID). */
#define CPUID_FEATURE_LEAF 1
#define CPUID_1_EDX_PGE_BIT 13
#define CPUID_EXT_MAX_LEAF 0x80000000
#define CPUID_EXT_FEATURE_LEAF 0x80000001
#define CPUID_80000001_EDX_NX_BIT 20

/* The physical address of a higher-half symbol (32-bit operands, table entries). */
#define pa(x) __pa_symbol(x)

/* ------------------------------------------------------------------------
 * The ELF note that makes this a PVH kernel: owner "Xen", type
 * XEN_ELFNOTE_PHYS32_ENTRY, descriptor = the 32-bit physical entry address.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f			/* name size, NUL included */
	.long 4f - 3f			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz XEN_ELFNOTE_OWNER
2:	.balign 4
3:	.long pvh_start_xen
4:	.balign 4

/* ------------------------------------------------------------------------
 * The 32-bit entry. Linked and loaded at the same (physical) address: it
 * runs before paging exists.
 */
	.section .boot.text, "ax"
	.code32
	.globl pvh_start_xen
pvh_start_xen:
	/* String instructions count upwards (the BSS clear, and C expects DF = 0). */
	cld

	/*
	 * Our own GDT: the loader's may be anywhere, even in memory we are
	 * about to overwrite. CS keeps the loader's (cached) descriptor until
	 * the far jump below; the data segments are reloaded now.
	 */
	lgdt	boot_gdt_ptr
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/*
	 * The boot page tables need no work here: they are data in the image
	 * (below), every entry of every table written in the file, so their
	 * content depends on nothing the loader did except loading the ELF.
	 * Building them here would cost thousands of guest instructions, and
	 * guest instructions are slow on this project's KVM host
	 * (docs/platform-notes.md).
	 */

	/*
	 * Optional features, asked of CPUID as Linux's startup code does:
	 * global pages (CR4.PGE) and no-execute (EFER.NXE) where the CPU has
	 * them. CPUID clobbers EBX: the start-info address waits in ESI. EDI
	 * collects EFER, EBP CR4.
	 */
	movl	%ebx, %esi
	movl	$EFER_STATE, %edi
	movl	$CR4_STATE, %ebp
	movl	$CPUID_FEATURE_LEAF, %eax
	cpuid
	btl	$CPUID_1_EDX_PGE_BIT, %edx
	jnc	1f
	orl	$X86_CR4_PGE, %ebp
1:	movl	$CPUID_EXT_MAX_LEAF, %eax
	cpuid
	cmpl	$CPUID_EXT_FEATURE_LEAF, %eax
	jb	2f
	movl	$CPUID_EXT_FEATURE_LEAF, %eax
	cpuid
	btl	$CPUID_80000001_EDX_NX_BIT, %edx
	jnc	2f
	orl	$EFER_NX, %edi
2:	movl	%esi, %ebx

	/* CR4: PAE (long mode needs 64-bit entries), and PGE if the CPU has it. */
	movl	%ebp, %cr4

	/* CR3: the top-level table (PML4), physical address. */
	movl	$pa(early_pml4), %eax
	movl	%eax, %cr3

	/* EFER.LME: request long mode; it becomes active when paging is turned on. */
	movl	$MSR_EFER, %ecx
	movl	%edi, %eax
	xorl	%edx, %edx
	wrmsr

	/*
	 * CR0.PG: paging on. With LME set this enters long mode (in its
	 * 32-bit compatibility submode, since CS is still a 32-bit segment).
	 */
	movl	$CR0_STATE, %eax
	movl	%eax, %cr0

	/* Far jump through our 64-bit code segment (L=1): now in 64-bit mode. */
	ljmpl	$__KERNEL_CS, $startup_64_low

	.code64
startup_64_low:
	/* Still at the physical address (identity map); go to the higher half. */
	movabsq	$startup_64, %rax
	jmpq	*%rax

/* ------------------------------------------------------------------------
 * The boot GDT: null, 64-bit kernel code, kernel data (selectors as in
 * asm/segment.h). gdt_init() replaces it with the kernel's GDT and TSS.
 */
	.section .boot.data, "a"
	.balign 8
boot_gdt:
	.quad	0
	.quad	GDT_DESC_KERNEL_CODE64
	.quad	GDT_DESC_KERNEL_DATA
boot_gdt_end:

	/* The 32-bit LGDT operand: limit, then the physical base. */
	.balign 8
boot_gdt_ptr:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

/* ------------------------------------------------------------------------
 * 64-bit code in the higher half.
 */
	.text
startup_64:
	/*
	 * The upper halves of the general registers are undefined after the
	 * switch to 64-bit mode: keep only the 32 bits of the start-info
	 * address (the 32-bit move zero-extends).
	 */
	movl	%ebx, %ebx

	/* A stack at last. */
	movq	$boot_stack_top, %rsp

	/*
	 * Clear .bss: C expects its zero-initialised data to be zero, and the
	 * loader need not have zeroed it. (Stacks and scratch buffers live in
	 * .noinit instead, which keeps this clear short.)
	 */
	movq	$__bss_start, %rdi
	movq	$__bss_end, %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq

	/* No frame above this one, for backtraces and debuggers. */
	xorl	%ebp, %ebp
	movl	%ebx, %edi
	call	start_kernel

	/* start_kernel() does not return; if it ever did, stop here. */
1:	cli
	hlt
	jmp	1b

/* ------------------------------------------------------------------------
 * Boot page tables, complete in the image (every entry, zeros included):
 *
 *   early_pml4[0]   -> early_pdpt_ident: entries 0..3 -> early_pd_ident,
 *                      four page directories whose 2048 entries map
 *                      physical [0, 4 GiB) with 2 MiB pages (present,
 *                      writable, PS = large page, write-back)
 *   early_pml4[511] -> early_pdpt_kernel: entry 510 (0xffffffff80000000)
 *                      -> the first identity page directory, so the kernel
 *                      map shows physical [0, 1 GiB), which holds the image
 *
 * Entries hold physical addresses (pa()); all tables are below 4 GiB.
 */
	.section .data..pgtables, "aw"
	.balign PAGE_SIZE
	.globl early_pml4, early_pdpt_ident, early_pdpt_kernel, early_pd_ident
early_pml4:
	.quad	pa(early_pdpt_ident) + _PAGE_TABLE
	.fill	pgd_index(__START_KERNEL_map) - 1, 8, 0
	.quad	pa(early_pdpt_kernel) + _PAGE_TABLE

early_pdpt_ident:
	.set	pd, 0
	.rept	EARLY_IDENT_NR_PDS
	.quad	pa(early_pd_ident) + pd * PAGE_SIZE + _PAGE_TABLE
	.set	pd, pd + 1
	.endr
	.fill	PTRS_PER_TABLE - EARLY_IDENT_NR_PDS, 8, 0

early_pdpt_kernel:
	.fill	pud_index(__START_KERNEL_map), 8, 0
	.quad	pa(early_pd_ident) + _PAGE_TABLE
	.fill	PTRS_PER_TABLE - pud_index(__START_KERNEL_map) - 1, 8, 0

early_pd_ident:
	.set	pmd, 0
	.rept	EARLY_IDENT_NR_PDS * PTRS_PER_TABLE
	.quad	pmd * PMD_SIZE + __PAGE_KERNEL_LARGE
	.set	pmd, pmd + 1
	.endr
early_pgtables_end:

	/* Every table must be exactly one page: a miscount would shift the next. */
	.if (early_pdpt_ident - early_pml4) != PAGE_SIZE || \
	    (early_pdpt_kernel - early_pdpt_ident) != PAGE_SIZE || \
	    (early_pd_ident - early_pdpt_kernel) != PAGE_SIZE || \
	    (early_pgtables_end - early_pd_ident) != EARLY_IDENT_NR_PDS * PAGE_SIZE
	.error "boot page tables are not whole pages"
	.endif

/*
 * The boot stack, 16 KiB, in .noinit: no space in the file, and not part
 * of the BSS clear (a stack needs no zeroes).
 */
#define BOOT_STACK_SIZE (4 * PAGE_SIZE)
	.section .noinit, "aw", @nobits
	.balign 16
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
