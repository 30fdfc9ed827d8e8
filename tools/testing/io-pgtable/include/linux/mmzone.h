/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: one node, and the node statistics iommu-pages.h updates. */
#ifndef _SHIM_LINUX_MMZONE_H
#define _SHIM_LINUX_MMZONE_H

#include <linux/types.h>

struct page;

enum node_stat_item {
	NR_PAGETABLE,
	NR_SECONDARY_PAGETABLE,
	NR_IOMMU_PAGES,
	NR_VM_NODE_STAT_ITEMS
};

typedef struct pglist_data {
	int node_id;
} pg_data_t;

extern struct pglist_data shim_node0;

static inline struct pglist_data *page_pgdat(const struct page *page)
{
	(void)page;
	return &shim_node0;
}

#define NODE_DATA(nid)	(&shim_node0)

#endif
