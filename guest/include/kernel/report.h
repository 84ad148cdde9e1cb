/* SPDX-License-Identifier: MIT */
/* report=: /proc-format reports printed at the end of the run (kernel/report.c). */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

/* Read and check report= with the other parameters; a bad name stops the boot. */
void report_parse_cmdline(void);

/* Print the reports asked for (nothing if report= was not given). */
void report_show(void);

#endif /* KERNEL_REPORT_H */
