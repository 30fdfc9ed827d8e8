/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: node page statistics.  The counters are kept, so tests
 * and the benchmark can read NR_IOMMU_PAGES (shim_node_page_state()).
 */
#ifndef _SHIM_LINUX_VMSTAT_H
#define _SHIM_LINUX_VMSTAT_H

#include <linux/mmzone.h>

void mod_node_page_state(struct pglist_data *pgdat,
			 enum node_stat_item item, long delta);
long shim_node_page_state(enum node_stat_item item);

static inline void mod_lruvec_page_state(struct page *page,
					 enum node_stat_item idx, int val)
{
	mod_node_page_state(page_pgdat(page), idx, val);
}

#endif
