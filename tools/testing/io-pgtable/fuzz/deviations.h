/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differences from Linux 6.12's io-pgtable we decided on, in one place.
 *
 * diff-fuzz.c classifies every difference it finds between our io-pgtable
 * and 6.12's as one of these, or as a failure. An entry belongs here only
 * when it is a deliberate decision with a reason an Arm/IOMMU maintainer
 * would accept; anything else is a bug to fix, not a line to add.
 *
 * Some entries cannot show in what the fuzzer compares (EXACT_PGD,
 * ENOMEM_NOTHING): they are here so that the list is the whole list, and
 * the tests named in their reasons check them.
 *
 * DEVIATION(id, summary, reason); no include guard: included once per use.
 */

/* Configuration: what alloc accepts and writes back */
DEVIATION(ADDITIVE_QUIRK,
	"we accept IO_PGTABLE_QUIRK_NO_WARN, _ARM_S2FWB, _NO_SPLIT and _ARM_BBML2, which 6.12 does not have and refuses",
	"additive: a driver that does not pass them gets 6.12's behaviour; NO_WARN lets GPU VM_BIND return userspace errors without a WARN, S2FWB is FEAT_S2FWB's stage-2 attribute encoding, NO_SPLIT restores 6.13's refusal to split a block, ARM_BBML2 lets a split skip the break on FEAT_BBM level 2 walkers. The fuzzer runs the configurations with NO_SPLIT and ARM_BBML2 against 6.12 without them")
DEVIATION(EXACT_PGD,
	"the top-level table is exactly as large as the configuration needs (64 bytes at least) and aligned to its size, through cfg->alloc too; 6.12 allocates at least a page",
	"the architecture requires the TTBR to be aligned to the table's size and no more; a 32-bit IOVA space needs 32 bytes of level-1 entries, not 4 KiB (64 KiB on a 64K-page kernel). Custom allocators see the smaller sizes; memory only otherwise. The KUnit suites check size and alignment")
DEVIATION(IAS_TINY,
	"we refuse an ias no larger than the granule shift; 6.12 accepts it",
	"6.12 computes a non-positive number of levels (start level 4 or more) and sizes the PGD from it: the tables it returns cannot translate anything")
DEVIATION(UNREACHABLE_BLOCKS,
	"block sizes larger than the start level maps (4T with ias <= 42; 2M and 1G with a one-level 4K walk) are not advertised in pgsize_bitmap; 6.12 advertises them",
	"no entry of the walk can hold such a block: 6.12 advertises the size and then refuses every map of it (WARN, -EINVAL/-ERANGE), so the IOMMU core would pick a size that always fails")
DEVIATION(MAIR_UNUSED,
	"MAIR attribute fields 4-7 are 0 in ours, 0xff in 6.12",
	"6.12 sign-extends an int shift (0xf4 << 24) into the upper half; no descriptor of either selects an index above 3, so no translation differs")
DEVIATION(V7S_L1_16K,
	"v7s with ias below 32: the level-1 table is 16 KiB and 16 KiB-aligned; 6.12 allocates 4 << (ias - 20) bytes in a page",
	"with TTBCR.N = 0 (the TCR both write) the walker takes the table base from TTBR0[31:14] and indexes it with IOVA[31:20]: a table that is not 16 KiB-aligned is read from the wrong base")

/* Arguments the IOMMU core never passes */
DEVIATION(UNALIGNED,
	"an IOVA or physical address not aligned to pgsize is refused (-EINVAL, unmap returns 0) and changes nothing; 6.12 does not check",
	"6.12 maps or unmaps the aligned-down IOVA and writes the low address bits into the descriptor (RES0 or the wrong output address); the IOMMU core never passes such arguments, so a caller that does has a bug it should see")
DEVIATION(RANGE_END,
	"a map whose IOVA or physical range runs past the end of ias/oas fails with -ERANGE and maps nothing; 6.12 checks only the first address",
	"6.12 maps up to the end of the top table and beyond (past the end of a PGD smaller than a page, outside its DMA mapping for a non-coherent walker; output addresses wrap or exceed oas); the IOVAs past ias cannot be translated and an output address past oas is an address size fault")
DEVIATION(PGCOUNT_ZERO,
	"pgcount 0 is refused: map returns -EINVAL; 6.12's LPAE map returns 0 (and may allocate tables), its v7s map -EINVAL",
	"a request for nothing is a caller bug; -EINVAL is what the kernel-doc promises and what 6.12's own v7s returns")
DEVIATION(ARG_NO_WARN,
	"invalid arguments (a size not in pgsize_bitmap, an IOVA or address out of range, pgcount 0) are refused without a WARN; 6.12 WARNs",
	"the same error reaches the caller; invalid arguments can come from userspace through GPU VM_BIND and VFIO, where a WARN is a panic under panic_on_warn")
DEVIATION(ARG_ERRNO,
	"a map with several invalid arguments may report a different one of -EINVAL/-ERANGE (and without a WARN)",
	"both refuse and change nothing; the order of the checks is not part of the API")
DEVIATION(IOVA_TO_PHYS_RANGE,
	"iova_to_phys of an IOVA outside the tables' range (above ias, or the other TTBR half) returns 0; 6.12 drops the upper bits and returns the translation of the alias (for ARM_MALI_LPAE with ias <= 39 every level-0 index is 0)",
	"the walker faults on such an IOVA: there is no translation, and 0 is iova_to_phys's answer for none")

/* map_pages */
DEVIATION(EEXIST_WHOLE,
	"a map that meets an existing mapping fails with -EEXIST and maps nothing; 6.12 keeps the pages before the conflict mapped (and reports them in *mapped)",
	"-EINVAL, -ERANGE and -EEXIST leave the tables as they were for the whole range, as the kernel-doc promises; the IOMMU core unmaps 6.12's partial result on any error anyway")
DEVIATION(BLOCK_OVER_TABLE,
	"a block map over a table that still maps something fails with -EEXIST and changes nothing; 6.12 frees the table and everything it maps, silently, and installs the block",
	"mapping over a live mapping is -EEXIST everywhere else in the API (6.12 too, for leaves); discarding live translations behind the caller's back is a use-after-unmap hazard for the caller that owns them. 6.12 also frees them when the same request then fails with -EEXIST on a later entry")
DEVIATION(ENOMEM_NOTHING,
	"LPAE: a map that cannot allocate every table it needs fails with -ENOMEM and maps nothing, installs nothing; 6.12 keeps what it mapped before the failure (and the empty tables it installed)",
	"map reserves its tables before it writes a leaf (prepare, then commit), so a failed request leaves the tables as they were, as for every other error; the IOMMU core unmaps 6.12's partial result anyway. The fuzzer fails no allocation of either side, so it cannot see this one; tests/alloc-fail-test.c checks it")

/* unmap_pages and its TLB callbacks */
DEVIATION(SPLIT_BBM,
	"LPAE and v7s: unmap of part of a block splits it with break-before-make: one tlb_flush_walk of the whole block, after its entry is cleared and synced and before the tables that map the rest are installed (with IO_PGTABLE_QUIRK_ARM_BBML2: after the install); 6.12 writes the table over the live block and calls none",
	"the architecture forbids replacing a valid block by a table without an invalid entry and a TLB invalidation in between (Arm ARM, break-before-make; SMMUv3 without BBML2 may raise a TLB conflict abort or use both entries); 6.13 removed 6.12's split for that reason. The walk flush is that invalidation; it also covers the unmapped part. The fuzzer checks at each such flush that nothing in the block's range translates through the walker's view (with BBML2: only what the request unmaps)")
DEVIATION(SPLIT_GATHER,
	"LPAE: the part of a block that a split unmaps is reported with tlb_add_page only through a real gather; 6.12's split calls tlb_add_page also with a NULL gather and with a queued one",
	"as for every other leaf ours unmaps, and as 6.12's own unmap of leaves does: a NULL gather is the caller invalidating after the call (the GPU drivers), a queued gather is flushed whole later (the flush queue), and a tlb_add_page that fills the gather (arm-smmu-v3's) must never be handed NULL. The split's synchronous walk flush (SPLIT_BBM) has already invalidated the unmapped part")
DEVIATION(SPLIT_WHOLE_BLOCK,
	"LPAE and v7s: an unmap in smaller pages that covers a whole block clears the block as the one leaf it is (one tlb_add_page of the block's size to a real gather) and may return more than a table's worth in one call; 6.12 splits it into a table, clears every entry of it (one tlb_add_page each), a table's worth per call, and keeps the empty table",
	"the same translations and the same bytes unmapped in all (the IOMMU core calls again for the rest either way); a table allocated (with GFP_ATOMIC, or taken from a VM_BIND reservation) only to be emptied is memory kept for the life of the domain and an allocation that can fail an unmap for nothing, and the count of such an unmap is 0. A block is one TLB entry: one invalidation of its size removes it")
DEVIATION(NO_SPLIT_QUIRK,
	"LPAE with IO_PGTABLE_QUIRK_NO_SPLIT (which 6.12 does not have): unmap of part of a block returns 0 and changes nothing; 6.12 splits the block",
	"the driver asked for the behaviour of 6.13 and later, which removed the split; the fuzzer gives 6.12 the same configuration without the quirk")
DEVIATION(V7S_SPLIT_612_BROKEN,
	"v7s: unmap of part of a section, supersection or large page splits it with break-before-make, as the LPAE formats do (SPLIT_BBM); 6.12's v7s split writes the leaves that keep the rest without the block's output address, so they map physical 0 onwards, and a page unmapped out of a supersection makes sections of it and returns 0",
	"6.12's arm_v7s_split_blk_unmap() builds the new leaves from the block's attributes alone: a bug (6.13 removed the split). Ours keeps the translation of the rest; the fuzzer checks that it unmapped the whole request and that every sample outside it translates as it did before the call, and ends the sequence, since 6.12's tables are then wrong")
DEVIATION(UNMAP_HOLE_NO_WARN,
	"unmap of a range that is (partly) not mapped returns the bytes unmapped before the hole without a WARN; 6.12 WARNs",
	"same return value; unmapping what is not mapped is reported to the caller by the short return, and callers whose ranges come from userspace (VFIO, GPU VM_BIND) must not be able to trigger a WARN (panic_on_warn)")
DEVIATION(EMPTY_TABLE_UNMAP,
	"unmap of a block-size page whose table maps nothing (emptied by earlier unmaps) returns what was unmapped before it and keeps the empty table; 6.12 removes the table and counts the page as unmapped",
	"nothing was mapped there: unmap returns the bytes it unmapped, and stops at the first page with nothing mapped, as it does where there is no table at all")
DEVIATION(WHOLE_TABLE_REMOVED,
	"an unmap whose range covers a whole leaf table removes the table: one tlb_flush_walk for its range instead of a tlb_add_page per leaf; 6.12 clears the leaves one by one and keeps the empty table",
	"one range invalidation instead of up to 8192 page ones, and no empty table left behind for the life of the domain; the entry is cleared (and synced) before the flush and the table freed after it, as the architecture requires")
DEVIATION(TABLE_UNMAP_NO_ADD_PAGE,
	"unmapping a whole table calls tlb_flush_walk for its range and no tlb_add_page; 6.12 also queues a tlb_add_page for the table entry",
	"tlb_flush_walk invalidates every entry of the range, leaves included, in every in-tree driver; the extra add_page is a second invalidation of the same range")
DEVIATION(QUEUED_TABLE_FREE,
	"LPAE: with a queued gather (DMA-FQ), tables an unmap removes go on gather->freelist without a tlb_flush_walk when they are one page each from the page allocator and the walker is coherent; 6.12 flushes the walk and frees them at once",
	"dma-iommu's flush queue frees the freelist with iommu_put_pages_list() only after its flush_iotlb_all, which invalidates walk caches too, so the table is not reused before the walker forgets it; the synchronous walk flush (a command and a wait on an SMMU) is what lazy mode exists to avoid")
DEVIATION(RECLAIM,
	"LPAE with IO_PGTABLE_QUIRK_ARM_RECLAIM (opt-in, which 6.12 does not have): a table below the top level that unmaps with a gather empty page by page is freed once a grace period has passed, by a later unmap with a gather (in one thread: the same call), which calls tlb_flush_walk(start of its span, span, granule = span) once per table, and the table above it in turn when that is left empty; 6.12 keeps the table until one unmap covers its whole range. Later, a block map over such a span finds no table in ours, where 6.12 frees its empty one with a tlb_flush_walk",
	"the same translations and return values; a long-running device that maps and unmaps small buffers otherwise keeps every table it ever used (up to 64 KiB each). The table goes only after every mapper that may have read its entry has finished (RCU) and only if nothing was mapped in it meanwhile (cmpxchg of the marked entry); one walk invalidation of the span removes the only cached entry to it. Unmaps without a gather (the GPU drivers, whose tlb_flush_walk may do nothing) never reclaim. The fuzzer checks each such flush: size and granule one table span, aligned, nothing mapped there in 6.12's tables or translating in ours, and ours holding no empty table below the top after the unmap, never more tables than 6.12, and only the top one once everything is unmapped")
DEVIATION(V7S_UNMAP_PARTLY_MAPPED,
	"v7s: unmap of a 64K or 16M page that smaller leaves map only in part unmaps them and counts the page; 6.12 WARNs and unmaps nothing",
	"as for LPAE, where a block-size unmap over a table removes whatever the table maps (6.12 too); the IOMMU core unmaps with the largest page size the IOVA allows, whatever sizes mapped it")
DEVIATION(V7S_FREE_EMPTIED_L2,
	"v7s: a level-2 table that an unmap empties entirely is unhooked, invalidated with tlb_flush_walk and freed; 6.12 keeps it",
	"the table is unreachable before it is freed, and the walk flush is what the architecture requires before its memory is reused; 6.12 keeps 1 KiB per emptied MiB for the life of the domain")
DEVIATION(V7S_NULL_GATHER,
	"v7s: unmap with a NULL gather calls no tlb_add_page, as LPAE (and 6.12's LPAE) does; 6.12's v7s calls it with the NULL gather",
	"a NULL gather is the caller saying it invalidates after the call (panfrost, panthor, msm); one rule for both formats, and a callback that fills the gather (arm-smmu-v3's) must never be handed NULL. No in-tree user passes NULL to v7s")
DEVIATION(V7S_ONE_ADD_PAGE_PER_LEAF,
	"v7s: one tlb_add_page per large page or supersection removed, with its size; 6.12 calls it once per copy of the descriptor (16 times, 4K or 1M)",
	"a large page or supersection is one TLB entry, and an invalidation by any address inside it removes it; every v7s user (arm-smmu, mtk_iommu) invalidates at least that address")

/* Descriptor encodings (Mali leaves match 6.12 bit for bit) */
DEVIATION(S2_XN,
	"stage-2 IOMMU_NOEXEC leaves have XN[1:0] = 0b10; 6.12 writes 0b11",
	"with FEAT_XNX (SMMUv3.2+, Armv8.2) 0b11 means executable at EL1 and not at EL0; 0b10 is execute-never at every level, which is what IOMMU_NOEXEC asks for, and without FEAT_XNX both mean execute-never")
DEVIATION(DEVICE_SH,
	"Device memory (IOMMU_MMIO) leaves are Outer Shareable; 6.12 writes Inner Shareable for IOMMU_MMIO | IOMMU_CACHE",
	"the architecture treats every Device type as Outer Shareable and ignores SH for it; the walkers decode the same translation")

/* The contiguous hint (IO_PGTABLE_QUIRK_ARM_CONTIG; diff-fuzz --contig) */
DEVIATION(CONTIG_PGSIZE,
	"LPAE stage 1 and 2 with IO_PGTABLE_QUIRK_ARM_CONTIG (which 6.12 does not have): pgsize_bitmap also holds the sizes of contiguous runs (4K granule: 64K and 32M; 16K: 2M and 1G; 64K: 2M and 16G) of the sizes it has; 6.12, given the configuration without the quirk, advertises the sizes the runs are made of",
	"additive: a driver that does not pass the quirk gets 6.12's bitmap. With it, the IOMMU core and the DMA API map a run size as one request, which is what lets it be one TLB entry. The fuzzer maps and unmaps a run size in ours as the same range in the size it is made of in 6.12, as iommu_map() does for a bitmap without it")
DEVIATION(CONTIG_LEAF,
	"a map of a run size writes its entries with the contiguous hint (descriptor bit 52), naturally aligned runs of them with consecutive output addresses and the same attributes; 6.12 writes the same leaves without it",
	"Arm ARM, the Contiguous bit: a walker may then cache the run as one TLB entry (16 x 4K as one 64K entry), which is what the quirk is for; every translation is the same. The fuzzer compares the leaves without the bit, and checks that ours' hinted leaves are exactly those of whole runs mapped with a run size and that the walker finds every run consistent")
DEVIATION(CONTIG_ADD_PAGE,
	"an unmap whose entries cleared together are whole runs calls tlb_add_page once per run, with the run's size; 6.12 calls it once per entry with the entry's size",
	"a run is one TLB entry, and one invalidation of its size removes it (the architecture allows invalidating a run by any address in it; arm-smmu-v3 uses the size for range invalidation): 16 to 128 invalidations become one. The bytes reported are the same; entries cleared with others that are not whole runs are reported per entry, as 6.12 does")
DEVIATION(CONTIG_BREAK,
	"an unmap of part of a run (a single page, a range across its edge, a smaller size splitting a block of it) first rewrites the whole run without the hint by break-before-make: one tlb_flush_walk of the run's range, then the remaining entries written again plain; 6.12 has no runs to break",
	"the architecture forbids a run whose entries differ (some invalid, or with and without the hint): the walker may use the stale run entry for any address in it, or report a TLB conflict. Invalidating the entries, syncing, invalidating the run's range and only then rewriting them is break-before-make; the walk flush is that invalidation. The fuzzer checks at the flush that nothing in the run translates, and after it that the rest translates as before, without the hint")
DEVIATION(CONTIG_DIRTY,
	"read_and_clear_dirty with IO_PGTABLE_QUIRK_ARM_HD reports a whole run dirty (and cleans every entry of it) when the walker marked any entry of it; 6.12 has no runs and reports the entries it finds dirty",
	"a run is one TLB entry: the walker may record a write through it in any one of its entries, so a write anywhere in the run must be taken as a write to all of it. The fuzzer does not run dirty tracking (in either mode); the KUnit case lpae_test_dirty_contig_run (drivers/iommu/io-pgtable-arm-kunit.c) checks it")
