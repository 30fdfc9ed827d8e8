/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic page-table allocator for IOMMUs: the interface between IOMMU (and
 * GPU) drivers, which own the hardware, and the page-table formats, which own
 * the memory the hardware walks.
 */
#ifndef __IO_PGTABLE_H
#define __IO_PGTABLE_H

#include <linux/bitops.h>
#include <linux/iommu.h>

struct kmem_cache;

/**
 * enum io_pgtable_fmt - page-table formats known to the core
 *
 * @ARM_32_LPAE_S1: AArch32 long-descriptor stage 1 (ias/oas up to 32/40 bits).
 * @ARM_32_LPAE_S2: AArch32 long-descriptor stage 2 (ias/oas up to 40 bits).
 * @ARM_64_LPAE_S1: VMSAv8-64 stage 1.
 * @ARM_64_LPAE_S2: VMSAv8-64 stage 2.
 * @ARM_V7S:        ARMv7 short-descriptor, 32-bit input addresses.
 * @ARM_MALI_LPAE:  The LPAE variant walked by Mali (Midgard/Bifrost) GPUs.
 * @AMD_IOMMU_V1:   AMD IOMMU host (v1) page tables.
 * @AMD_IOMMU_V2:   AMD IOMMU guest (v2) page tables.
 * @APPLE_DART:     Apple DART, first generation.
 * @APPLE_DART2:    Apple DART, second generation.
 * @IO_PGTABLE_NUM_FMTS: number of formats; not a format.
 */
enum io_pgtable_fmt {
	ARM_32_LPAE_S1,
	ARM_32_LPAE_S2,
	ARM_64_LPAE_S1,
	ARM_64_LPAE_S2,
	ARM_V7S,
	ARM_MALI_LPAE,
	AMD_IOMMU_V1,
	AMD_IOMMU_V2,
	APPLE_DART,
	APPLE_DART2,
	IO_PGTABLE_NUM_FMTS,
};

/**
 * struct iommu_flush_ops - TLB maintenance the formats ask of the driver
 *
 * @tlb_flush_all:  Invalidate every TLB and walk-cache entry of the context,
 *                  and wait for completion.
 * @tlb_flush_walk: Invalidate the walk-cache (intermediate table) entries
 *                  covering [@iova, @iova + @size), leaf granule @granule, and
 *                  wait for completion. Called before a table that was
 *                  reachable by the walker is freed or replaced.
 * @tlb_add_page:   Optional: queue invalidation of the leaf entry for one page
 *                  of size @granule at @iova. The driver may issue it at once
 *                  or batch it in @gather until iommu_iotlb_sync().
 *
 * All three may be called in atomic context and must not sleep.
 */
struct iommu_flush_ops {
	void (*tlb_flush_all)(void *cookie);
	void (*tlb_flush_walk)(unsigned long iova, size_t size, size_t granule,
			       void *cookie);
	void (*tlb_add_page)(struct iommu_iotlb_gather *gather,
			     unsigned long iova, size_t granule, void *cookie);
};

/**
 * struct io_pgtable_cfg - configuration of one set of page tables
 *
 * The driver fills in the inputs before alloc_io_pgtable_ops(); the format
 * writes back the outputs (the restricted @pgsize_bitmap and the register
 * values in the format-specific union) on success.
 *
 * @quirks:        IO_PGTABLE_QUIRK_* flags; a format refuses flags it does
 *                 not implement.
 * @pgsize_bitmap: Page and block sizes the driver can use. The format
 *                 chooses its granule from it and restricts it to the sizes
 *                 that granule can map.
 * @ias:           Input address (IOVA) size, in bits. The 64-bit LPAE
 *                 formats clamp it to what the granule translates (48
 *                 bits, 52 with the 64K granule) and write that back, as
 *                 6.12 does; ARM_32_LPAE_S1/S2 and ARM_MALI_LPAE refuse more
 *                 than 32/40/48 bits.
 * @oas:           Output address (physical address or IPA) size, in bits.
 *                 Clamped and written back as @ias; the VMSA formats then
 *                 need a size TCR.IPS/VTCR.PS encodes (32, 36, 40, 42, 44,
 *                 48 or 52 bits). ARM_32_LPAE_S1/S2 and ARM_MALI_LPAE refuse
 *                 more than 40 bits.
 * @coherent_walk: True when the walker snoops CPU caches; when false every
 *                 table write is made visible with the DMA API before the
 *                 walker may use it, and @iommu_dev must be set.
 * @tlb:           TLB maintenance callbacks; may be NULL.
 * @iommu_dev:     The device that walks the tables, for the DMA API and the
 *                 NUMA node of table memory. May be NULL for coherent walks.
 * @alloc:         Optional custom table allocator. Called for every table,
 *                 the top level included, with the table's size in bytes.
 *                 The memory must be zeroed, naturally aligned to @size,
 *                 in the linear map (virt_to_phys() works) and, for a
 *                 non-coherent walker, suitable for dma_map_single(). The
 *                 core refuses (the map fails with -ENOMEM) memory that is
 *                 misaligned or out of the format's reach. Only formats that
 *                 advertise %IO_PGTABLE_CAP_CUSTOM_ALLOCATOR accept it, and
 *                 @alloc and @free must be set together.
 * @free:          Frees memory from @alloc; @size is the size it was
 *                 allocated with.
 * @table_cache:   Optional kmem cache for every table but the top level
 *                 (ARM LPAE: granule-sized tables), for drivers that want
 *                 only a cache and not a whole allocator: objects at least
 *                 the granule in size and aligned to it. The top level
 *                 still comes from the normal path. Not with @alloc;
 *                 only formats that advertise %IO_PGTABLE_CAP_TABLE_CACHE
 *                 accept it.
 * @arm_lpae_s1_cfg: Output: ARM LPAE stage-1 register values.
 * @arm_lpae_s1_cfg.ttbr: TTBR value (table address; ASID left to the driver).
 * @arm_lpae_s1_cfg.tcr:  TCR fields for the half of the address space in use.
 * @arm_lpae_s1_cfg.tcr.ips:  Intermediate physical address size (PS encoding).
 * @arm_lpae_s1_cfg.tcr.tg:   Granule: the TG0 encoding, or with
 *                            IO_PGTABLE_QUIRK_ARM_TTBR1 the TG1 encoding.
 * @arm_lpae_s1_cfg.tcr.sh:   Shareability of table walks.
 * @arm_lpae_s1_cfg.tcr.orgn: Outer cacheability of table walks.
 * @arm_lpae_s1_cfg.tcr.irgn: Inner cacheability of table walks.
 * @arm_lpae_s1_cfg.tcr.tsz:  T0SZ/T1SZ: 64 - ias.
 * @arm_lpae_s1_cfg.mair: MAIR value matching the AttrIndx the format uses.
 * @arm_lpae_s2_cfg: Output: ARM LPAE stage-2 register values.
 * @arm_lpae_s2_cfg.vttbr: VTTBR value (table address; VMID left to the driver).
 * @arm_lpae_s2_cfg.vtcr:  VTCR fields.
 * @arm_lpae_s2_cfg.vtcr.ps:   Physical address size (PS encoding).
 * @arm_lpae_s2_cfg.vtcr.tg:   Granule (TG0 encoding).
 * @arm_lpae_s2_cfg.vtcr.sh:   Shareability of table walks.
 * @arm_lpae_s2_cfg.vtcr.orgn: Outer cacheability of table walks.
 * @arm_lpae_s2_cfg.vtcr.irgn: Inner cacheability of table walks.
 * @arm_lpae_s2_cfg.vtcr.sl:   SL0: the starting level.
 * @arm_lpae_s2_cfg.vtcr.tsz:  T0SZ: 64 - ias.
 * @arm_v7s_cfg: Output: ARMv7 short-descriptor register values.
 * @arm_v7s_cfg.ttbr: TTBR0 value (table address and walk attributes).
 * @arm_v7s_cfg.tcr:  TTBCR value.
 * @arm_v7s_cfg.nmrr: NMRR value.
 * @arm_v7s_cfg.prrr: PRRR value.
 * @arm_mali_lpae_cfg: Output: Mali register values.
 * @arm_mali_lpae_cfg.transtab: AS_TRANSTAB value.
 * @arm_mali_lpae_cfg.memattr:  AS_MEMATTR value.
 * @apple_dart_cfg: Output of the Apple DART formats.
 * @apple_dart_cfg.ttbr:    Table addresses.
 * @apple_dart_cfg.n_ttbrs: Number of valid @apple_dart_cfg.ttbr entries.
 * @amd: Input of the AMD formats.
 * @amd.nid: NUMA node for table memory.
 */
struct io_pgtable_cfg {
	/*
	 * IO_PGTABLE_QUIRK_ARM_NS: (ARM formats) Set the NS and NSTable bits
	 *	in stage-1 descriptors, for walkers that check them even when
	 *	they run in the non-secure state.
	 *
	 * IO_PGTABLE_QUIRK_NO_PERMS: (ARM v7s) Ignore IOMMU_READ, IOMMU_WRITE
	 *	and IOMMU_NOEXEC and map everything with full access, for
	 *	hardware that does not implement the format's permissions. The
	 *	LPAE formats refuse it, as 6.12 does.
	 *
	 * IO_PGTABLE_QUIRK_ARM_MTK_EXT: (ARM v7s) MediaTek extension: output
	 *	addresses up to 35 bits, PA bits 32, 33 and 34 in descriptor
	 *	bits 9, 4 and 5.
	 *
	 * IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT: (ARM v7s) MediaTek extension:
	 *	the level-1 table itself may sit above 4 GiB (up to 35 bits),
	 *	encoded in the TTBR as for IO_PGTABLE_QUIRK_ARM_MTK_EXT.
	 *
	 * IO_PGTABLE_QUIRK_ARM_TTBR1: (ARM LPAE) The tables translate the upper
	 *	half of a split address space (TTBR1): IOVAs have all bits
	 *	from ias to 63 set.
	 *
	 * IO_PGTABLE_QUIRK_ARM_OUTER_WBWA: (ARM LPAE stage 1) Walks of a
	 *	non-coherent walker are outer write-back write-allocate
	 *	cacheable. Refused with a coherent walker, as in 6.12.
	 *
	 * IO_PGTABLE_QUIRK_ARM_HD: (ARM LPAE stage 1) The hardware updates
	 *	the dirty state (DBM); read_and_clear_dirty() reports it.
	 *
	 * IO_PGTABLE_QUIRK_ARM_S2FWB: (ARM LPAE stage 2) The walker uses the
	 *	FEAT_S2FWB encoding of the stage-2 memory attributes.
	 *
	 * IO_PGTABLE_QUIRK_NO_WARN: Return -EEXIST (or 0 from unmap) without a
	 *	WARN when a request conflicts with the existing mappings, for
	 *	callers (GPU VM_BIND) whose requests come from userspace.
	 *
	 * IO_PGTABLE_QUIRK_NO_SPLIT: (ARM LPAE and v7s) Unmapping part of a
	 *	block returns 0 and changes nothing, instead of splitting the
	 *	block (the behaviour of Linux 6.13 and later, which removed the
	 *	split).
	 *
	 * IO_PGTABLE_QUIRK_ARM_BBML2: (ARM_64_LPAE_S1/S2) The walker may see a block
	 *	replaced by a table with the same translation without a break
	 *	in between, as FEAT_BBM level 2 (SMMU_IDR3.BBML == 2) allows,
	 *	and it never reports a TLB conflict for it. A split then
	 *	installs the table in place of the block and invalidates the
	 *	block's range afterwards, so that the rest of the block never
	 *	faults. The driver must only set it for such a walker.
	 *
	 * IO_PGTABLE_QUIRK_ARM_CONTIG: (ARM LPAE stage 1 and 2) Advertise in
	 *	pgsize_bitmap the sizes a run of entries with the contiguous
	 *	hint maps (4K granule: 64K and 32M; 16K: 2M and 1G; 64K: 2M
	 *	and 16G, where the entry size under them is mapped), and map
	 *	them so: one TLB entry for the run. Unmapping part of a run
	 *	first rewrites the whole run without the hint, by
	 *	break-before-make: its entries are invalidated, synced and
	 *	tlb_flush_walk()ed before they are written again. A driver
	 *	whose walker has an erratum in the hint does not set it.
	 *
	 * IO_PGTABLE_QUIRK_ARM_RECLAIM: (ARM LPAE stage 1 and 2) Return the
	 *	tables that unmap empties page by page, which 6.12 keeps until
	 *	their whole range is unmapped in one call. An emptied table is
	 *	marked; once an RCU grace period has passed, so that no mapper
	 *	can be inside it, a later unmap with a gather detaches it, calls
	 *	tlb_flush_walk() for the span it covered (granule == size: one
	 *	invalidation of the entry to it), and frees it a grace period
	 *	after that. The driver's tlb_flush_walk() must take any range at
	 *	any unmap; unmaps without a gather never reclaim.
	 */
	#define IO_PGTABLE_QUIRK_ARM_NS			BIT(0)
	#define IO_PGTABLE_QUIRK_NO_PERMS		BIT(1)
	#define IO_PGTABLE_QUIRK_ARM_MTK_EXT		BIT(3)
	#define IO_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT	BIT(4)
	#define IO_PGTABLE_QUIRK_ARM_TTBR1		BIT(5)
	#define IO_PGTABLE_QUIRK_ARM_OUTER_WBWA		BIT(6)
	#define IO_PGTABLE_QUIRK_ARM_HD			BIT(7)
	#define IO_PGTABLE_QUIRK_ARM_S2FWB		BIT(8)
	#define IO_PGTABLE_QUIRK_NO_WARN		BIT(9)
	#define IO_PGTABLE_QUIRK_NO_SPLIT		BIT(10)
	#define IO_PGTABLE_QUIRK_ARM_BBML2		BIT(11)
	#define IO_PGTABLE_QUIRK_ARM_CONTIG		BIT(12)
	#define IO_PGTABLE_QUIRK_ARM_RECLAIM		BIT(13)
	unsigned long			quirks;
	unsigned long			pgsize_bitmap;
	unsigned int			ias;
	unsigned int			oas;
	bool				coherent_walk;
	const struct iommu_flush_ops	*tlb;
	struct device			*iommu_dev;

	void *(*alloc)(void *cookie, size_t size, gfp_t gfp);
	void (*free)(void *cookie, void *pages, size_t size);
	struct kmem_cache		*table_cache;

	/* Low-level data specific to the table format */
	union {
		struct {
			u64	ttbr;
			struct {
				u32	ips:3;
				u32	tg:2;
				u32	sh:2;
				u32	orgn:2;
				u32	irgn:2;
				u32	tsz:6;
			}	tcr;
			u64	mair;
		} arm_lpae_s1_cfg;

		struct {
			u64	vttbr;
			struct {
				u32	ps:3;
				u32	tg:2;
				u32	sh:2;
				u32	orgn:2;
				u32	irgn:2;
				u32	sl:2;
				u32	tsz:6;
			}	vtcr;
		} arm_lpae_s2_cfg;

		struct {
			u32	ttbr;
			u32	tcr;
			u32	nmrr;
			u32	prrr;
		} arm_v7s_cfg;

		struct {
			u64	transtab;
			u64	memattr;
		} arm_mali_lpae_cfg;

		struct {
			u64 ttbr[4];
			u32 n_ttbrs;
		} apple_dart_cfg;

		struct {
			int nid;
		} amd;
	};
};

/**
 * struct io_pgtable_reservation - table memory set aside for map and unmap
 *	calls that must not allocate (GPU VM_BIND jobs)
 *
 * @tables:   The tables held, linked through their first word. Private.
 * @ops:      The page tables the reservation belongs to (set by the first
 *            io_pgtable_reserve()). Private.
 * @count:    How many tables are held: what the calls may still take.
 * @taken:    Tables map and unmap took from the reservation, in all.
 * @returned: Tables unmap (or a map that replaced empty tables) gave back
 *            to it, in all.
 *
 * Zero-initialise it; io_pgtable_reserve() fills it, in a context that may
 * sleep; io_pgtable_attach_reservation() hands it to the map_pages and
 * unmap_pages calls that follow, which then take every table from it and
 * never call an allocator; io_pgtable_unreserve() gives the tables back.
 * Every table is of the size io_pgtable_count_map() counts in (for ARM
 * LPAE, the granule), zeroed, and ready for the walker. The driver
 * serialises every use of one reservation.
 */
struct io_pgtable_reservation {
	void			*tables;
	struct io_pgtable_ops	*ops;
	size_t			count;
	size_t			taken;
	size_t			returned;
};

/**
 * struct io_pgtable_ops - operations on a set of page tables
 *
 * @map_pages: Map @pgcount pages of size @pgsize, physically contiguous from
 *	@paddr, at @iova, with IOMMU_* @prot. @pgcount may cross table
 *	boundaries. Returns 0 and sets *@mapped to the bytes mapped. Errors,
 *	each leaving the tables as they were: -EINVAL for an @iova or @paddr
 *	not aligned to @pgsize, a @pgsize not in the cfg's pgsize_bitmap, a
 *	@pgcount of 0 or a @prot with neither IOMMU_READ nor IOMMU_WRITE;
 *	-ERANGE for an IOVA range beyond ias (or outside the TTBR1 half) or a
 *	physical range beyond oas; -EEXIST when any page in the range is
 *	already mapped (with a WARN unless IO_PGTABLE_QUIRK_NO_WARN);
 *	-ENOMEM when the tables the request needs could not all be
 *	allocated, or an attached reservation does not hold them all (with
 *	a WARN): they are taken before any leaf is written, so nothing is
 *	mapped then either. *@mapped is only ever increased, by the bytes
 *	mapped. @gfp applies to table allocations.
 * @unmap_pages: Unmap @pgcount pages of size @pgsize from @iova and return
 *	the bytes unmapped, stopping at the first page that is not mapped
 *	(0 when nothing was). Each leaf cleared on its own is invalidated
 *	through tlb_add_page into @gather, after the cleared entries are
 *	visible to a non-coherent walker (a driver may invalidate from the
 *	callback itself); with a queued or a NULL @gather (GPU drivers pass
 *	NULL and invalidate afterwards) tlb_add_page is not called, as in
 *	6.12. A table whose whole range the call unmaps is removed instead:
 *	its entry is cleared, tlb_flush_walk invalidates the range (leaves
 *	included) and only then is the table freed. Tables emptied leaf by
 *	leaf stay in place, since concurrent callers may be walking them,
 *	unless the format returns them (IO_PGTABLE_QUIRK_ARM_RECLAIM): then
 *	an unmap with a @gather may also detach, tlb_flush_walk and free
 *	tables emptied before, anywhere in the tables. Unmapping part
 *	of a larger block splits it, as 6.12 does, but with break-before-make
 *	(ARM LPAE and v7s): the tables that map the rest of the block are built
 *	aside, the block entry is cleared and synced, tlb_flush_walk
 *	invalidates the block's range (synchronously), and only then are the
 *	tables installed; the part unmapped is reported through @gather as
 *	for any leaf. With IO_PGTABLE_QUIRK_ARM_BBML2 the tables replace the
 *	block directly and the invalidation follows. The tables come from
 *	the attached reservation (io_pgtable_attach_reservation()) if there
 *	is one, else from the allocator with GFP_ATOMIC, as in 6.12 (unmap
 *	has no gfp and may be called in atomic context); without them the
 *	call returns 0 and changes nothing. With IO_PGTABLE_QUIRK_NO_SPLIT
 *	the call refuses instead: 0, nothing changed (with a WARN unless
 *	IO_PGTABLE_QUIRK_NO_WARN). Bad arguments (as for @map_pages)
 *	return 0. Between a split's break and its make another unmapper of a
 *	different part of the same block (or contiguous run) spins until
 *	the split is done: callers that may do that must not interrupt one
 *	another on one CPU (process context and an interrupt handler). The
 *	bytes returned may run past the end of the table of @pgsize entries
 *	(a block that smaller pages cover whole goes at once); like 6.12's
 *	they are never fewer than the pages unmapped.
 * @iova_to_phys: The physical address @iova translates to, or 0 when it is
 *	not mapped, or while a split of the block (or a break of the
 *	contiguous run) over it is between its break and its make, when the
 *	walker faults there too. Lock-free.
 * @read_and_clear_dirty: Record in @dirty every mapping in
 *	[@iova, @iova + @size) that the walker has written since the last
 *	call, and mark it clean again unless @flags has IOMMU_DIRTY_NO_CLEAR.
 *	Returns 0, or -EINVAL for a bad range or a format other than
 *	ARM_64_LPAE_S1 (which, without IO_PGTABLE_QUIRK_ARM_HD, finds
 *	nothing dirty). Set by every LPAE format, as in 6.12.
 *
 * @count_tables: Optional (ARM LPAE): see io_pgtable_count_map() and
 *	io_pgtable_count_unmap().
 * @reserve: Optional (ARM LPAE): see io_pgtable_reserve().
 * @unreserve: Optional (ARM LPAE): see io_pgtable_unreserve().
 * @attach_reservation: Optional (ARM LPAE): see
 *	io_pgtable_attach_reservation().
 *
 * These back the iommu_domain_ops callbacks of the same names. Operations on
 * disjoint IOVA ranges may run concurrently without a lock, except while a
 * reservation is attached.
 */
struct io_pgtable_ops {
	int (*map_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);
	size_t (*unmap_pages)(struct io_pgtable_ops *ops, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
	phys_addr_t (*iova_to_phys)(struct io_pgtable_ops *ops,
				    unsigned long iova);
	int (*read_and_clear_dirty)(struct io_pgtable_ops *ops,
				    unsigned long iova, size_t size,
				    unsigned long flags,
				    struct iommu_dirty_bitmap *dirty);
	int (*count_tables)(struct io_pgtable_ops *ops, bool unmap,
			    unsigned long iova, phys_addr_t paddr, size_t size,
			    unsigned long pgsizes, unsigned int flags,
			    size_t *tables);
	int (*reserve)(struct io_pgtable_ops *ops,
		       struct io_pgtable_reservation *rsv, size_t count,
		       gfp_t gfp);
	void (*unreserve)(struct io_pgtable_ops *ops,
			  struct io_pgtable_reservation *rsv, size_t keep);
	void (*attach_reservation)(struct io_pgtable_ops *ops,
				   struct io_pgtable_reservation *rsv);
};

struct io_pgtable_ops *alloc_io_pgtable_ops(enum io_pgtable_fmt fmt,
					    struct io_pgtable_cfg *cfg,
					    void *cookie);
void free_io_pgtable_ops(struct io_pgtable_ops *ops);

/*
 * GPU VM_BIND: reservations the library computes and holds.
 *
 * IO_PGTABLE_COUNT_WORST: count as if no request queued ahead could help:
 *	for a map, as if nothing were mapped below the top-level table (no
 *	table exists, nothing is in the way); for an unmap, as if each end of
 *	the range fell inside a block of the largest size the tables map.
 */
#define IO_PGTABLE_COUNT_WORST		BIT(0)

/**
 * io_pgtable_count_map() - tables a map request can need
 * @ops:     The page tables.
 * @iova:    Start of the range to map.
 * @paddr:   Physical address it will map to.
 * @size:    Size of the range in bytes.
 * @pgsizes: Page sizes the request may use: one size, for map_pages()
 *           calls of that size, or a bitmap, for the sizes iommu_map()
 *           would pick from @iova, @paddr and @size (the sizes that are
 *           also in the configuration's pgsize_bitmap). The driver that
 *           does not know how @paddr is aligned passes the granule alone
 *           and gets an upper bound.
 * @flags:   0, or IO_PGTABLE_COUNT_WORST.
 * @tables:  Out: the number of tables, each of the size the reservation
 *           holds (for ARM LPAE, the granule).
 *
 * Counts exactly what mapping [@iova, @iova + @size) would allocate given
 * the tables that exist now: 0 for a page mapped into tables that exist;
 * a table shared by several pieces of the request once. Nothing changes.
 *
 * The count is only as good as the tables it sees. The driver calls it
 * under the lock that orders its requests; requests queued ahead of this
 * one that have not run yet can change the tables before it runs. Tables
 * a queued map creates only make the count too large. A queued unmap can
 * free tables this count relied on, and a queued map can create the
 * block a queued unmap must then split: when a request queued ahead
 * touches the same table span (for ARM LPAE with the 4K granule, the
 * same 1 GiB), count this one with IO_PGTABLE_COUNT_WORST, or count and
 * reserve for the whole queue at once, running its requests in order.
 * A driver whose requests run in the order they were counted, and each
 * one counted after the ones ahead were applied, needs neither.
 *
 * Context: Any; does not sleep. Not concurrently with map or unmap of the
 *          same range.
 * Return: 0; -EINVAL for a bad range or size (as map_pages() checks them);
 *         -EEXIST when part of the range is mapped (without
 *         IO_PGTABLE_COUNT_WORST); -EOPNOTSUPP when the format does not
 *         count.
 */
static inline int io_pgtable_count_map(struct io_pgtable_ops *ops,
				       unsigned long iova, phys_addr_t paddr,
				       size_t size, unsigned long pgsizes,
				       unsigned int flags, size_t *tables)
{
	if (!ops->count_tables)
		return -EOPNOTSUPP;
	return ops->count_tables(ops, false, iova, paddr, size, pgsizes, flags,
				 tables);
}

/**
 * io_pgtable_count_unmap() - tables an unmap request can need
 * @ops:    The page tables.
 * @iova:   Start of the range to unmap.
 * @size:   Size of the range in bytes.
 * @flags:  0, or IO_PGTABLE_COUNT_WORST.
 * @tables: Out: the number of tables.
 *
 * An unmap needs tables only to split a block that the range covers in
 * part: the tables that keep mapping the rest of it, at each end of the
 * range. Counted as io_pgtable_count_map() counts, with the same caveat
 * on queued requests; 0 with IO_PGTABLE_QUIRK_NO_SPLIT.
 *
 * Context: Any; does not sleep.
 * Return: 0, -EINVAL for a bad range, -EOPNOTSUPP when the format does
 *         not count.
 */
static inline int io_pgtable_count_unmap(struct io_pgtable_ops *ops,
					 unsigned long iova, size_t size,
					 unsigned int flags, size_t *tables)
{
	if (!ops->count_tables)
		return -EOPNOTSUPP;
	return ops->count_tables(ops, true, iova, 0, size, 0, flags, tables);
}

/**
 * io_pgtable_reserve() - add tables to a reservation
 * @ops:   The page tables the reservation is for.
 * @rsv:   The reservation; zero-initialised before its first use.
 * @count: How many tables to add.
 * @gfp:   Allocation flags, typically GFP_KERNEL.
 *
 * Allocates @count tables the way the tables themselves allocate them
 * (cfg->alloc, cfg->table_cache or pages), zeroed and ready for the
 * walker. All or nothing.
 *
 * Context: May sleep if @gfp allows; not while @rsv is attached.
 * Return: 0; -ENOMEM with @rsv unchanged; -EINVAL if @rsv belongs to other
 *         tables; -EOPNOTSUPP when the format has no reservations.
 */
static inline int io_pgtable_reserve(struct io_pgtable_ops *ops,
				     struct io_pgtable_reservation *rsv,
				     size_t count, gfp_t gfp)
{
	if (!ops->reserve)
		return -EOPNOTSUPP;
	return ops->reserve(ops, rsv, count, gfp);
}

/**
 * io_pgtable_unreserve() - free the tables of a reservation
 * @ops:  The page tables the reservation is for.
 * @rsv:  The reservation; not attached.
 * @keep: How many tables to keep in it (0 frees them all).
 *
 * Context: Any; does not sleep.
 */
static inline void io_pgtable_unreserve(struct io_pgtable_ops *ops,
					struct io_pgtable_reservation *rsv,
					size_t keep)
{
	if (ops->unreserve)
		ops->unreserve(ops, rsv, keep);
}

/**
 * io_pgtable_attach_reservation() - make map and unmap use a reservation
 * @ops: The page tables.
 * @rsv: The reservation, filled for these tables; NULL detaches.
 *
 * From now until it is detached, every map_pages() and unmap_pages() call
 * on @ops takes the tables it installs from @rsv and gives the tables it
 * removes back to it; none calls an allocator or frees memory, whatever
 * its gfp. A request whose tables @rsv does not hold is a bug in the
 * driver's count: it WARNs and fails (map: -ENOMEM; unmap of part of a
 * block: 0) with nothing changed. The driver serialises every map_pages()
 * and unmap_pages() call on @ops while a reservation is attached, and
 * gets back in @rsv->count what was not used when it detaches.
 *
 * Context: Any; does not sleep.
 */
static inline void io_pgtable_attach_reservation(struct io_pgtable_ops *ops,
						 struct io_pgtable_reservation *rsv)
{
	if (ops->attach_reservation)
		ops->attach_reservation(ops, rsv);
}

/*
 * Internal structures for page table allocator implementations.
 */

/**
 * struct io_pgtable - what every format keeps about a set of page tables
 *
 * @fmt:    The page table format.
 * @cookie: The driver's token, passed back to the flush and allocator
 *          callbacks.
 * @cfg:    The configuration as the format completed it.
 * @ops:    The operations handed to the driver.
 *
 * Formats embed this in their private structure and get back to it with
 * io_pgtable_ops_to_pgtable() and container_of().
 */
struct io_pgtable {
	enum io_pgtable_fmt	fmt;
	void			*cookie;
	struct io_pgtable_cfg	cfg;
	struct io_pgtable_ops	ops;
};

#define io_pgtable_ops_to_pgtable(x) container_of((x), struct io_pgtable, ops)

/**
 * io_pgtable_tlb_flush_all() - invalidate the whole TLB context
 * @iop: The page tables.
 */
static inline void io_pgtable_tlb_flush_all(struct io_pgtable *iop)
{
	if (iop->cfg.tlb && iop->cfg.tlb->tlb_flush_all)
		iop->cfg.tlb->tlb_flush_all(iop->cookie);
}

/**
 * io_pgtable_tlb_flush_walk() - invalidate walk caches for a range
 * @iop:     The page tables.
 * @iova:    Start of the range.
 * @size:    Size of the range in bytes.
 * @granule: Leaf size of the entries below the range's tables.
 */
static inline void
io_pgtable_tlb_flush_walk(struct io_pgtable *iop, unsigned long iova,
			  size_t size, size_t granule)
{
	if (iop->cfg.tlb && iop->cfg.tlb->tlb_flush_walk)
		iop->cfg.tlb->tlb_flush_walk(iova, size, granule, iop->cookie);
}

/**
 * io_pgtable_tlb_add_page() - queue invalidation of one leaf
 * @iop:     The page tables.
 * @gather:  The caller's gather, may be NULL.
 * @iova:    Address of the leaf.
 * @granule: Size of the leaf.
 */
static inline void
io_pgtable_tlb_add_page(struct io_pgtable *iop,
			struct iommu_iotlb_gather *gather, unsigned long iova,
			size_t granule)
{
	if (iop->cfg.tlb && iop->cfg.tlb->tlb_add_page)
		iop->cfg.tlb->tlb_add_page(gather, iova, granule, iop->cookie);
}

/**
 * enum io_pgtable_caps - IO page table backend capabilities.
 * @IO_PGTABLE_CAP_CUSTOM_ALLOCATOR: The format sends every table through
 *	cfg->alloc and cfg->free when they are set.
 * @IO_PGTABLE_CAP_TABLE_CACHE: The format takes its tables below the top
 *	level from cfg->table_cache when it is set.
 */
enum io_pgtable_caps {
	IO_PGTABLE_CAP_CUSTOM_ALLOCATOR = BIT(0),
	IO_PGTABLE_CAP_TABLE_CACHE = BIT(1),
};

/**
 * struct io_pgtable_init_fns - a format's constructor and destructor
 *
 * @alloc: Check @cfg, allocate the top-level table and complete @cfg's
 *         outputs; NULL on any error, with nothing allocated.
 * @free:  Free every table and the structure; the walker no longer uses it.
 * @caps:  IO_PGTABLE_CAP_* flags.
 */
struct io_pgtable_init_fns {
	struct io_pgtable *(*alloc)(struct io_pgtable_cfg *cfg, void *cookie);
	void (*free)(struct io_pgtable *iop);
	u32 caps;
};

extern struct io_pgtable_init_fns io_pgtable_arm_32_lpae_s1_init_fns;
extern struct io_pgtable_init_fns io_pgtable_arm_32_lpae_s2_init_fns;
extern struct io_pgtable_init_fns io_pgtable_arm_64_lpae_s1_init_fns;
extern struct io_pgtable_init_fns io_pgtable_arm_64_lpae_s2_init_fns;
extern struct io_pgtable_init_fns io_pgtable_arm_v7s_init_fns;
extern struct io_pgtable_init_fns io_pgtable_arm_mali_lpae_init_fns;
extern struct io_pgtable_init_fns io_pgtable_amd_iommu_v1_init_fns;
extern struct io_pgtable_init_fns io_pgtable_amd_iommu_v2_init_fns;
extern struct io_pgtable_init_fns io_pgtable_apple_dart_init_fns;

/*
 * Table memory, shared by the formats.
 */

/* The smallest table the core hands out: TTBRs need 64-byte alignment. */
#define IO_PGTABLE_MIN_TABLE_SIZE	64

size_t io_pgtable_table_footprint(const struct io_pgtable_cfg *cfg,
				  size_t size);
void *io_pgtable_alloc_table(const struct io_pgtable_cfg *cfg, void *cookie,
			     size_t size, gfp_t gfp, struct kmem_cache *cache,
			     phys_addr_t limit);
void *io_pgtable_alloc_table_unzeroed(const struct io_pgtable_cfg *cfg,
				      void *cookie, size_t size, gfp_t gfp,
				      struct kmem_cache *cache,
				      phys_addr_t limit);
void io_pgtable_free_table(const struct io_pgtable_cfg *cfg, void *cookie,
			   void *table, size_t size, struct kmem_cache *cache);
bool io_pgtable_table_deferrable(const struct io_pgtable_cfg *cfg, size_t size,
				 struct kmem_cache *cache,
				 struct iommu_iotlb_gather *gather);
bool io_pgtable_defer_table(const struct io_pgtable_cfg *cfg, void *table,
			    size_t size, struct kmem_cache *cache,
			    struct iommu_iotlb_gather *gather);
void __io_pgtable_sync(const struct io_pgtable_cfg *cfg, void *ptr,
		       size_t size);

/**
 * io_pgtable_sync() - make table writes visible to a non-coherent walker
 * @cfg:  The configuration of the tables.
 * @ptr:  First byte written.
 * @size: Number of bytes written.
 *
 * Free for coherent walkers. Formats call it after every write to a table
 * the walker can reach, before the write may be relied upon.
 */
static inline void io_pgtable_sync(const struct io_pgtable_cfg *cfg,
				   void *ptr, size_t size)
{
	if (!cfg->coherent_walk)
		__io_pgtable_sync(cfg, ptr, size);
}

#endif /* __IO_PGTABLE_H */
