/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference walker for ARM LPAE (VMSAv8-64 long-descriptor) translation
 * tables, for the KUnit suites and the userspace harness.
 *
 * It decodes raw table memory by the architecture's rules alone and shares
 * no code with io-pgtable-arm.c: a checker that reused the format's own
 * macros would repeat the format's mistakes instead of catching them.
 * Every descriptor is read through a caller-supplied callback, so that a
 * harness can show the walker the device's view of memory (what a
 * non-coherent walker would really fetch) rather than the CPU's.
 */
#ifndef __IO_PGTABLE_ARM_REF_H
#define __IO_PGTABLE_ARM_REF_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/types.h>

/* Descriptor fields, named after the ARM ARM (VMSAv8-64, D8.3). */
#define ARM_REF_VALID		BIT_ULL(0)
#define ARM_REF_TYPE		BIT_ULL(1)	/* table/page vs block */
#define ARM_REF_NS		BIT_ULL(5)
#define ARM_REF_AP1		BIT_ULL(6)	/* S1: EL0 access; S2/Mali: read */
#define ARM_REF_AP2		BIT_ULL(7)	/* S1: read-only; S2/Mali: write */
#define ARM_REF_AF		BIT_ULL(10)
#define ARM_REF_NG		BIT_ULL(11)
#define ARM_REF_DBM		BIT_ULL(51)
#define ARM_REF_CONT		BIT_ULL(52)
#define ARM_REF_PXN		BIT_ULL(53)
#define ARM_REF_UXN		BIT_ULL(54)	/* S2/Mali: XN[1] */
#define ARM_REF_PXNTABLE	BIT_ULL(59)
#define ARM_REF_XNTABLE		BIT_ULL(60)
#define ARM_REF_APTABLE0	BIT_ULL(61)	/* no EL0 access below */
#define ARM_REF_APTABLE1	BIT_ULL(62)	/* read-only below */
#define ARM_REF_NSTABLE		BIT_ULL(63)

/**
 * enum arm_lpae_ref_stage - which flavour of the descriptors to decode
 * @ARM_LPAE_REF_S1:   Stage 1: AttrIndx, AP[2:1], NS, nG, UXN/PXN.
 * @ARM_LPAE_REF_S2:   Stage 2: MemAttr, S2AP, XN[1:0] (FEAT_XNX rules).
 * @ARM_LPAE_REF_MALI: Mali GPU LPAE: AttrIndx, stage-2-like permissions,
 *                     level-3 leaves encoded 0b01.
 */
enum arm_lpae_ref_stage {
	ARM_LPAE_REF_S1,
	ARM_LPAE_REF_S2,
	ARM_LPAE_REF_MALI,
};

/**
 * enum arm_lpae_ref_memtype - memory type a leaf resolves to
 * @ARM_LPAE_REF_MEM_UNKNOWN:   Reserved or unpredictable encoding.
 * @ARM_LPAE_REF_MEM_DEVICE:    Any Device memory type.
 * @ARM_LPAE_REF_MEM_NORMAL_NC: Normal, inner and outer non-cacheable.
 * @ARM_LPAE_REF_MEM_NORMAL_WB: Normal, inner and outer write-back.
 * @ARM_LPAE_REF_MEM_NORMAL:    Normal with any other cacheability (or, for
 *                              S2 with FWB, "use the stage-1 type").
 */
enum arm_lpae_ref_memtype {
	ARM_LPAE_REF_MEM_UNKNOWN,
	ARM_LPAE_REF_MEM_DEVICE,
	ARM_LPAE_REF_MEM_NORMAL_NC,
	ARM_LPAE_REF_MEM_NORMAL_WB,
	ARM_LPAE_REF_MEM_NORMAL,
};

/**
 * struct arm_lpae_ref - what the walker needs to know, as hardware would
 * @stage:         Descriptor flavour.
 * @granule_shift: 12, 14 or 16.
 * @ias:           Input address size in bits.
 * @start_level:   Level of the top table (S2: of the concatenated tables).
 * @pgd:           Physical address of the top table.
 * @ttbr1:         The tables translate the upper half (bits ias..63 set).
 * @lpa52:         52-bit output addresses: PA[51:48] in bits [15:12].
 * @s2fwb:         S2 MemAttr uses the FEAT_S2FWB encoding.
 * @mair:          S1: MAIR; Mali: MEMATTR. One byte per AttrIndx.
 * @read:          Reads the descriptor at a physical address; NULL for
 *                 arm_lpae_ref_read_cpu().
 * @ctx:           Passed to @read.
 */
struct arm_lpae_ref {
	enum arm_lpae_ref_stage	stage;
	unsigned int		granule_shift;
	unsigned int		ias;
	int			start_level;
	phys_addr_t		pgd;
	bool			ttbr1;
	bool			lpa52;
	bool			s2fwb;
	u64			mair;
	u64			(*read)(void *ctx, phys_addr_t pa);
	void			*ctx;
};

/**
 * struct arm_lpae_ref_leaf - one translation, decoded
 * @valid:       The IOVA translates.
 * @malformed:   The walk stopped at a valid descriptor whose encoding is not
 *               allowed where it sits (a block at level 3 or at a level
 *               without blocks, a 0b11 Mali level-3 entry, an IOVA outside
 *               the tables' half).
 * @level:       Level of the leaf, or of the descriptor that ended the walk.
 * @size:        Bytes mapped by the leaf.
 * @pte:         The raw leaf descriptor.
 * @pte_pa:      Where the descriptor sits.
 * @oa:          Output address of the IOVA itself (leaf base + offset).
 * @read:        Reads allowed.
 * @write:       Writes allowed (for a DBM leaf: once hardware marks it dirty).
 * @dbm:         The DBM bit is set.
 * @dirty:       DBM leaf that is writable now (S1: AP[2] clear).
 * @unpriv:      S1: unprivileged (EL0) access allowed. Always true otherwise.
 * @exec_priv:   Privileged execution allowed.
 * @exec_unpriv: Unprivileged execution allowed.
 * @af:          Access flag.
 * @ng:          Not-global (S1).
 * @ns:          Non-secure output (S1: NS, or NSTable above).
 * @contiguous:  Contiguous hint.
 * @sh:          SH[1:0].
 * @attr:        S1/Mali AttrIndx, S2 MemAttr[3:0].
 * @attr_byte:   S1/Mali: the MAIR/MEMATTR byte @attr selects.
 * @memtype:     The memory type this resolves to.
 */
struct arm_lpae_ref_leaf {
	bool			valid;
	bool			malformed;
	int			level;
	u64			size;
	u64			pte;
	phys_addr_t		pte_pa;
	phys_addr_t		oa;
	bool			read;
	bool			write;
	bool			dbm;
	bool			dirty;
	bool			unpriv;
	bool			exec_priv;
	bool			exec_unpriv;
	bool			af;
	bool			ng;
	bool			ns;
	bool			contiguous;
	unsigned int		sh;
	unsigned int		attr;
	u8			attr_byte;
	enum arm_lpae_ref_memtype memtype;
};

/**
 * struct arm_lpae_ref_visitor - callbacks for arm_lpae_ref_for_each()
 * @table: Called for every table reachable from the top one, the top one
 *         first, with its level, physical address, size in bytes and the
 *         first IOVA it translates.
 * @leaf:  Called for every valid leaf (and malformed descriptor) with its
 *         input address and its decoding.
 * @arg:   Passed to both.
 *
 * Either may be NULL. A non-zero return stops the iteration and is
 * returned by arm_lpae_ref_for_each().
 */
struct arm_lpae_ref_visitor {
	int	(*table)(void *arg, int level, phys_addr_t pa, size_t size,
			 u64 iova);
	int	(*leaf)(void *arg, u64 iova,
			const struct arm_lpae_ref_leaf *leaf);
	void	*arg;
};

/**
 * arm_lpae_ref_read_cpu() - the default descriptor reader: the CPU's view
 * @ctx: Unused.
 * @pa:  Physical address of the descriptor, in the linear map.
 *
 * Return: The descriptor.
 */
static inline u64 arm_lpae_ref_read_cpu(void *ctx, phys_addr_t pa)
{
	return READ_ONCE(*(u64 *)phys_to_virt(pa));
}

static inline u64 arm_lpae_ref_read(const struct arm_lpae_ref *ref,
				    phys_addr_t pa)
{
	if (ref->read)
		return ref->read(ref->ctx, pa);
	return arm_lpae_ref_read_cpu(ref->ctx, pa);
}

/* Each level resolves granule_shift - 3 bits: a table is one granule of u64. */
static inline unsigned int arm_lpae_ref_bits_per_level(unsigned int gshift)
{
	return gshift - 3;
}

/**
 * arm_lpae_ref_level_shift() - lowest IOVA bit a level resolves
 * @gshift: Granule shift.
 * @level:  Lookup level, 0 to 3.
 *
 * Return: log2 of the size an entry of @level maps.
 */
static inline unsigned int arm_lpae_ref_level_shift(unsigned int gshift,
						    int level)
{
	return gshift + (3 - level) * arm_lpae_ref_bits_per_level(gshift);
}

/**
 * arm_lpae_ref_min_start_level() - the level a walk of @ias bits needs
 * @gshift: Granule shift.
 * @ias:    Input address size.
 *
 * The highest level whose entries, together, span @ias bits without
 * concatenation: what stage 1 and a non-concatenated stage 2 start at.
 *
 * Return: The level.
 */
static inline int arm_lpae_ref_min_start_level(unsigned int gshift,
					       unsigned int ias)
{
	unsigned int bpl = arm_lpae_ref_bits_per_level(gshift);

	return 4 - (int)DIV_ROUND_UP(ias - gshift, bpl);
}

/**
 * arm_lpae_ref_pgd_entries() - entries of the top table(s)
 * @ref: The walker's configuration.
 *
 * Return: How many descriptors the start level holds, concatenated tables
 * included; at least one (Mali walks from level 0 whatever its ias).
 */
static inline u64 arm_lpae_ref_pgd_entries(const struct arm_lpae_ref *ref)
{
	unsigned int shift = arm_lpae_ref_level_shift(ref->granule_shift,
						      ref->start_level);

	return ref->ias > shift ? 1ULL << (ref->ias - shift) : 1;
}

/**
 * arm_lpae_ref_block_allowed() - whether a block descriptor may sit here
 * @ref:   The walker's configuration.
 * @level: Lookup level, 0 to 2.
 *
 * 4K: level 1 and 2; 16K: level 2; 64K: level 2, and level 1 with 52-bit
 * output addresses (FEAT_LPA).
 *
 * Return: True if a block is legal at @level.
 */
static inline bool arm_lpae_ref_block_allowed(const struct arm_lpae_ref *ref,
					      int level)
{
	switch (ref->granule_shift) {
	case 12:
		return level == 1 || level == 2;
	case 14:
		return level == 2;
	case 16:
		return level == 2 || (level == 1 && ref->lpa52);
	}
	return false;
}

/**
 * arm_lpae_ref_desc_addr() - the address a table or leaf descriptor holds
 * @ref: The walker's configuration.
 * @pte: The descriptor.
 *
 * Bits [47:granule] hold the address; with 52-bit output addresses (64K
 * granule) bits [15:12] hold PA[51:48].
 *
 * Return: The address, granule-aligned.
 */
static inline phys_addr_t arm_lpae_ref_desc_addr(const struct arm_lpae_ref *ref,
						 u64 pte)
{
	u64 pa = pte & GENMASK_ULL(47, ref->granule_shift);

	if (ref->lpa52)
		pa |= ((pte >> 12) & 0xfULL) << 48;
	return (phys_addr_t)pa;
}

/* The Normal encodings of one MAIR nibble: 0b0100 NC, 0b01xx/0b11xx WB. */
static inline bool arm_lpae_ref_mair_nibble_wb(unsigned int n)
{
	return (n & 0xc) == 0xc || ((n & 0xc) == 0x4 && (n & 0x3));
}

static inline enum arm_lpae_ref_memtype arm_lpae_ref_mair_type(u8 attr)
{
	unsigned int outer = attr >> 4, inner = attr & 0xf;

	if (!outer)
		return (inner & 0x3) ? ARM_LPAE_REF_MEM_UNKNOWN :
				       ARM_LPAE_REF_MEM_DEVICE;
	if (!inner)
		return ARM_LPAE_REF_MEM_UNKNOWN;
	if (outer == 0x4 && inner == 0x4)
		return ARM_LPAE_REF_MEM_NORMAL_NC;
	if (arm_lpae_ref_mair_nibble_wb(outer) &&
	    arm_lpae_ref_mair_nibble_wb(inner))
		return ARM_LPAE_REF_MEM_NORMAL_WB;
	return ARM_LPAE_REF_MEM_NORMAL;
}

/* Mali MEMATTR bytes have their own encoding; only two are ours to name. */
static inline enum arm_lpae_ref_memtype arm_lpae_ref_mali_type(u8 attr)
{
	switch (attr) {
	case 0x8d:
		return ARM_LPAE_REF_MEM_NORMAL_WB;
	case 0x88:
		return ARM_LPAE_REF_MEM_NORMAL;
	}
	return ARM_LPAE_REF_MEM_UNKNOWN;
}

static inline enum arm_lpae_ref_memtype arm_lpae_ref_s2_type(unsigned int ma,
							     bool fwb)
{
	unsigned int outer = ma >> 2, inner = ma & 3;

	if (fwb) {
		/* MemAttr[3] is reserved; MemAttr[2] picks Device vs Normal */
		if (ma & 0x8)
			return ARM_LPAE_REF_MEM_UNKNOWN;
		if (!(ma & 0x4))
			return ARM_LPAE_REF_MEM_DEVICE;
		switch (inner) {
		case 1:
			return ARM_LPAE_REF_MEM_NORMAL_NC;
		case 2:
			return ARM_LPAE_REF_MEM_NORMAL_WB;
		case 3:
			return ARM_LPAE_REF_MEM_NORMAL;
		}
		return ARM_LPAE_REF_MEM_UNKNOWN;
	}
	if (!outer)
		return ARM_LPAE_REF_MEM_DEVICE;
	if (!inner)
		return ARM_LPAE_REF_MEM_UNKNOWN;
	if (outer == 1 && inner == 1)
		return ARM_LPAE_REF_MEM_NORMAL_NC;
	if (outer == 3 && inner == 3)
		return ARM_LPAE_REF_MEM_NORMAL_WB;
	return ARM_LPAE_REF_MEM_NORMAL;
}

/*
 * Hierarchical attributes collected from the table descriptors on the way
 * down (stage 1 only: stage 2 and Mali have none).
 */
struct arm_lpae_ref_inherit {
	bool	no_el0;
	bool	ro;
	bool	xn;
	bool	pxn;
	bool	ns;
};

static inline void arm_lpae_ref_inherit(const struct arm_lpae_ref *ref,
					struct arm_lpae_ref_inherit *in,
					u64 table)
{
	if (ref->stage != ARM_LPAE_REF_S1)
		return;
	in->no_el0 |= !!(table & ARM_REF_APTABLE0);
	in->ro |= !!(table & ARM_REF_APTABLE1);
	in->xn |= !!(table & ARM_REF_XNTABLE);
	in->pxn |= !!(table & ARM_REF_PXNTABLE);
	in->ns |= !!(table & ARM_REF_NSTABLE);
}

/* Whether a valid non-table descriptor is a legal leaf at @level. */
static inline bool arm_lpae_ref_leaf_ok(const struct arm_lpae_ref *ref,
					int level, u64 pte)
{
	if (level == 3) {
		if (ref->stage == ARM_LPAE_REF_MALI)
			return (pte & 3) == 1;
		return (pte & 3) == 3;
	}
	return arm_lpae_ref_block_allowed(ref, level);
}

static inline void arm_lpae_ref_decode(const struct arm_lpae_ref *ref,
				       const struct arm_lpae_ref_inherit *in,
				       int level, u64 pte,
				       struct arm_lpae_ref_leaf *out)
{
	unsigned int xn;

	out->level = level;
	out->pte = pte;
	out->size = 1ULL << arm_lpae_ref_level_shift(ref->granule_shift, level);
	out->af = !!(pte & ARM_REF_AF);
	out->sh = (pte >> 8) & 3;
	out->contiguous = !!(pte & ARM_REF_CONT);
	out->dbm = !!(pte & ARM_REF_DBM);
	out->unpriv = true;

	switch (ref->stage) {
	case ARM_LPAE_REF_S1:
		out->attr = (pte >> 2) & 7;
		out->attr_byte = ref->mair >> (8 * out->attr);
		out->memtype = arm_lpae_ref_mair_type(out->attr_byte);
		out->ns = (pte & ARM_REF_NS) || in->ns;
		out->ng = !!(pte & ARM_REF_NG);
		out->read = true;
		/* DBM makes a read-only leaf writable-clean, not read-only */
		out->write = (!(pte & ARM_REF_AP2) || out->dbm) && !in->ro;
		out->dirty = out->dbm && !(pte & ARM_REF_AP2);
		out->unpriv = (pte & ARM_REF_AP1) && !in->no_el0;
		out->exec_unpriv = !(pte & ARM_REF_UXN) && !in->xn;
		out->exec_priv = !(pte & ARM_REF_PXN) && !in->pxn;
		break;
	case ARM_LPAE_REF_S2:
		out->attr = (pte >> 2) & 0xf;
		out->attr_byte = out->attr;
		out->memtype = arm_lpae_ref_s2_type(out->attr, ref->s2fwb);
		out->read = !!(pte & ARM_REF_AP1);
		out->write = !!(pte & ARM_REF_AP2);
		out->dirty = out->dbm && out->write;
		/* XN[1:0] read with FEAT_XNX: 0b10 is never-execute at any EL */
		xn = (pte >> 53) & 3;
		out->exec_priv = xn == 0 || xn == 3;
		out->exec_unpriv = xn == 0 || xn == 1;
		break;
	case ARM_LPAE_REF_MALI:
		out->attr = (pte >> 2) & 7;
		out->attr_byte = ref->mair >> (8 * out->attr);
		out->memtype = arm_lpae_ref_mali_type(out->attr_byte);
		out->read = !!(pte & ARM_REF_AP1);
		out->write = !!(pte & ARM_REF_AP2);
		out->exec_priv = !(pte & ARM_REF_UXN);
		out->exec_unpriv = out->exec_priv;
		break;
	}
}

/*
 * log2 of the entries of a contiguous run at @level: 16 with the 4K
 * granule; 128 at level 3 and 32 above with 16K; 32 with 64K.
 */
static inline unsigned int arm_lpae_ref_run_bits(unsigned int gshift,
						 int level)
{
	if (gshift == 14)
		return level == 3 ? 7 : 5;
	return gshift == 16 ? 5 : 4;
}

/*
 * Whether the run of the contiguous leaf at @pte_pa (level @level) is one
 * the walker may cache as one entry: naturally aligned, every entry valid
 * and hinted, with consecutive output addresses from an address aligned
 * to the run, and the same attributes (a dirty state the walker set with
 * DBM may differ).
 */
static inline bool arm_lpae_ref_run_ok(const struct arm_lpae_ref *ref,
				       int level, phys_addr_t pte_pa)
{
	unsigned int bits = arm_lpae_ref_run_bits(ref->granule_shift, level);
	u64 n = 1ULL << bits, size, i;
	phys_addr_t first = pte_pa & ~(phys_addr_t)(n * sizeof(u64) - 1);
	u64 p0 = arm_lpae_ref_read(ref, first), ignore;
	phys_addr_t oa0 = arm_lpae_ref_desc_addr(ref, p0);

	size = 1ULL << arm_lpae_ref_level_shift(ref->granule_shift, level);
	if (oa0 & (n * size - 1))
		return false;
	ignore = GENMASK_ULL(47, 12) | ((p0 & ARM_REF_DBM) ? ARM_REF_AP2 : 0);
	for (i = 0; i < n; i++) {
		u64 p = arm_lpae_ref_read(ref, first + i * sizeof(u64));

		if (!(p & ARM_REF_VALID) || !(p & ARM_REF_CONT) ||
		    ((p ^ p0) & ~ignore) ||
		    arm_lpae_ref_desc_addr(ref, p) != oa0 + i * size)
			return false;
	}
	return true;
}

/* Whether @iova lies in the half of the address space the tables cover. */
static inline bool arm_lpae_ref_iova_ok(const struct arm_lpae_ref *ref, u64 iova)
{
	u64 hi = ref->ias < 64 ? iova >> ref->ias : 0;
	u64 ones = ref->ias < 64 ? ~0ULL >> ref->ias : 0;

	return ref->ttbr1 ? hi == ones : !hi;
}

/**
 * arm_lpae_ref_walk() - translate one IOVA as the walker would
 * @ref:  The walker's configuration.
 * @iova: The input address (for TTBR1, with the upper bits set).
 * @out:  The decoded translation; on a fault, @out->level and @out->pte say
 *        where the walk stopped.
 *
 * Return: True if @iova translates.
 */
static inline bool arm_lpae_ref_walk(const struct arm_lpae_ref *ref, u64 iova,
				     struct arm_lpae_ref_leaf *out)
{
	unsigned int gshift = ref->granule_shift;
	u64 idx_mask = BIT_ULL(arm_lpae_ref_bits_per_level(gshift)) - 1;
	struct arm_lpae_ref_inherit in = {};
	phys_addr_t table = ref->pgd;
	unsigned int shift;
	int level;
	u64 pte;

	memset(out, 0, sizeof(*out));
	out->level = ref->start_level;
	if (!arm_lpae_ref_iova_ok(ref, iova)) {
		out->malformed = true;
		return false;
	}

	for (level = ref->start_level; level <= 3; level++) {
		u64 idx;

		shift = arm_lpae_ref_level_shift(gshift, level);
		if (level == ref->start_level)
			idx = (iova >> shift) &
			      (arm_lpae_ref_pgd_entries(ref) - 1);
		else
			idx = (iova >> shift) & idx_mask;

		out->level = level;
		out->pte_pa = table + idx * sizeof(u64);
		pte = arm_lpae_ref_read(ref, out->pte_pa);
		out->pte = pte;
		if (!(pte & ARM_REF_VALID))
			return false;
		if (level < 3 && (pte & ARM_REF_TYPE)) {
			arm_lpae_ref_inherit(ref, &in, pte);
			table = arm_lpae_ref_desc_addr(ref, pte);
			continue;
		}
		if (!arm_lpae_ref_leaf_ok(ref, level, pte) ||
		    ((pte & ARM_REF_CONT) &&
		     !arm_lpae_ref_run_ok(ref, level, out->pte_pa))) {
			out->malformed = true;
			return false;
		}
		arm_lpae_ref_decode(ref, &in, level, pte, out);
		out->oa = arm_lpae_ref_desc_addr(ref, pte) +
			  (iova & (out->size - 1));
		out->valid = true;
		return true;
	}
	return false;
}

static inline int __arm_lpae_ref_visit(const struct arm_lpae_ref *ref,
				       const struct arm_lpae_ref_visitor *v,
				       const struct arm_lpae_ref_inherit *up,
				       int level, phys_addr_t table,
				       u64 entries, u64 base)
{
	unsigned int shift = arm_lpae_ref_level_shift(ref->granule_shift,
						      level);
	u64 next_entries = 1ULL << arm_lpae_ref_bits_per_level(ref->granule_shift);
	struct arm_lpae_ref_leaf leaf;
	u64 i;
	int ret;

	for (i = 0; i < entries; i++) {
		phys_addr_t pa = table + i * sizeof(u64);
		u64 iova = base + (i << shift);
		u64 pte = arm_lpae_ref_read(ref, pa);

		if (!(pte & ARM_REF_VALID))
			continue;
		if (level < 3 && (pte & ARM_REF_TYPE)) {
			struct arm_lpae_ref_inherit in = *up;
			phys_addr_t next = arm_lpae_ref_desc_addr(ref, pte);

			arm_lpae_ref_inherit(ref, &in, pte);
			if (v->table) {
				ret = v->table(v->arg, level + 1, next,
					       1UL << ref->granule_shift, iova);
				if (ret)
					return ret;
			}
			ret = __arm_lpae_ref_visit(ref, v, &in, level + 1, next,
						   next_entries, iova);
			if (ret)
				return ret;
			continue;
		}
		if (!v->leaf)
			continue;
		memset(&leaf, 0, sizeof(leaf));
		if (arm_lpae_ref_leaf_ok(ref, level, pte) &&
		    (!(pte & ARM_REF_CONT) ||
		     arm_lpae_ref_run_ok(ref, level, pa))) {
			arm_lpae_ref_decode(ref, up, level, pte, &leaf);
			leaf.oa = arm_lpae_ref_desc_addr(ref, pte);
			leaf.valid = true;
		} else {
			leaf.level = level;
			leaf.pte = pte;
			leaf.malformed = true;
		}
		leaf.pte_pa = pa;
		ret = v->leaf(v->arg, iova, &leaf);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * arm_lpae_ref_for_each() - visit every reachable table and leaf
 * @ref: The walker's configuration.
 * @v:   The callbacks.
 *
 * Depth-first, in IOVA order; each table is reported before its contents.
 *
 * Return: 0, or the first non-zero value a callback returned.
 */
static inline int arm_lpae_ref_for_each(const struct arm_lpae_ref *ref,
					const struct arm_lpae_ref_visitor *v)
{
	struct arm_lpae_ref_inherit in = {};
	u64 entries = arm_lpae_ref_pgd_entries(ref);
	u64 base = ref->ttbr1 ? ~0ULL << ref->ias : 0;
	int ret;

	if (v->table) {
		ret = v->table(v->arg, ref->start_level, ref->pgd,
			       entries * sizeof(u64), base);
		if (ret)
			return ret;
	}
	return __arm_lpae_ref_visit(ref, v, &in, ref->start_level, ref->pgd,
				    entries, base);
}

#endif /* __IO_PGTABLE_ARM_REF_H */
