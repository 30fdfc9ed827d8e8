/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux 6.12's own io-pgtable formats, as the benchmark and the
 * differential fuzzer link them beside ours (upstream.mk renames their
 * init_fns on the compiler command line). A binary that does not link a
 * format sees its init_fns as NULL (weak), and upstream_alloc() refuses it.
 */
#ifndef __IOPT_UPSTREAM_H
#define __IOPT_UPSTREAM_H

#include <linux/io-pgtable.h>

extern struct io_pgtable_init_fns upstream_arm_64_lpae_s1_init_fns __weak;
extern struct io_pgtable_init_fns upstream_arm_64_lpae_s2_init_fns __weak;
extern struct io_pgtable_init_fns upstream_arm_32_lpae_s1_init_fns __weak;
extern struct io_pgtable_init_fns upstream_arm_32_lpae_s2_init_fns __weak;
extern struct io_pgtable_init_fns upstream_arm_mali_lpae_init_fns __weak;
extern struct io_pgtable_init_fns upstream_arm_v7s_init_fns __weak;

static inline const struct io_pgtable_init_fns *
upstream_fns(enum io_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARM_64_LPAE_S1:
		return &upstream_arm_64_lpae_s1_init_fns;
	case ARM_64_LPAE_S2:
		return &upstream_arm_64_lpae_s2_init_fns;
	case ARM_32_LPAE_S1:
		return &upstream_arm_32_lpae_s1_init_fns;
	case ARM_32_LPAE_S2:
		return &upstream_arm_32_lpae_s2_init_fns;
	case ARM_MALI_LPAE:
		return &upstream_arm_mali_lpae_init_fns;
	case ARM_V7S:
		return &upstream_arm_v7s_init_fns;
	default:
		return NULL;
	}
}

/* What 6.12's alloc_io_pgtable_ops() does around the format's alloc(). */
static inline struct io_pgtable_ops *upstream_alloc(enum io_pgtable_fmt fmt,
						    struct io_pgtable_cfg *cfg,
						    void *cookie)
{
	const struct io_pgtable_init_fns *fns = upstream_fns(fmt);
	struct io_pgtable *iop;

	if (!fns)
		return NULL;
	iop = fns->alloc(cfg, cookie);
	if (!iop)
		return NULL;
	iop->fmt = fmt;
	iop->cookie = cookie;
	iop->cfg = *cfg;
	return &iop->ops;
}

/* ... and free_io_pgtable_ops() around its free(). */
static inline void upstream_free(struct io_pgtable_ops *ops)
{
	struct io_pgtable *iop = io_pgtable_ops_to_pgtable(ops);

	io_pgtable_tlb_flush_all(iop);
	upstream_fns(iop->fmt)->free(iop);
}

#endif
