"""IORT: Arm's IO Remapping Table, the nodes that map device IDs through SMMUs to GIC ITS groups."""
from enum import IntEnum, IntFlag

from construct import (Array, Bytes, Construct, GreedyBytes, GreedyRange, If, Int8ul, Int16ul, Int32ul, Int64ul, Struct,
                       this)

from qboot_tables.schemas.common import table, through_nul_within, type_length_subtable

# Layouts from Arm's "IO Remapping Table, Platform Design Document" (ARM DEN 0049), cited by section name and
# revision. Table revision 0 is issues A to D (D: March 2018, what acpica-tools 20200925 reads); 1 is E, 2 E.a,
# 3 E.b, 4 E.c (withdrawn), 5 E.d, 6 E.e, 7 E.f (ACPICA actbl2.h and its dmtbdump2.c AcpiDmDumpIort name them).
# Every offset inside a node is counted from the node's first byte; the node body here starts after the type
# and length, at node offset 3.
NODE_HEADER_SIZE = 16
IORT_NODE_OFFSET = 48  # the header, node count, node offset and reserved word


def _region_end(ctx) -> int:
    """Where a node's own data ends: at its ID mapping array when it has one, else at the node's end."""
    return ctx.mapping_offset if ctx.mapping_count else ctx._.length


def _gap(target, end):
    """Bytes from `end` (a function of the context) to the node offset `target` gives: padding the node's own
    offsets ask for. A target before `end` does not fit this layout and fails the node, which stays bytes."""
    return Bytes(lambda ctx: target(ctx) - end(ctx))


# DEN0049 "ID mappings" (20 bytes): a range of input IDs, translated to output IDs at the node that
# output_reference gives (an offset from the start of the table). id_count is the number of IDs minus one.
id_mapping = Struct(
    "input_base" / Int32ul,
    "id_count" / Int32ul,
    "output_base" / Int32ul,
    "output_reference" / Int32ul,
    "flags" / Int32ul,  # IdMappingFlags
)

# DEN0049 "Memory access properties" (8 bytes), in named component and root complex nodes.
memory_access = Struct(
    "cache_coherency" / Int32ul,  # CacheCoherency
    "hints" / Int8ul,  # AllocationHints
    "reserved" / Int16ul,
    "memory_flags" / Int8ul,  # MemoryAccessFlags
)


def _common(*fields):
    """The node header's fields after type and length (DEN0049 "IORT node header"), then `fields`.
    identifier was reserved before issue E."""
    return ("revision" / Int8ul, "identifier" / Int32ul, "mapping_count" / Int32ul, "mapping_offset" / Int32ul,
            *fields)


def _mappings(end):
    """The ID mapping array at the offset the node header gives, after what the node's own data took up to
    `end`; the node's bytes after the array are kept in `extra`."""
    return (
        "mappings_padding" / Bytes(lambda ctx: ctx.mapping_offset - end(ctx) if ctx.mapping_count else 0),
        "id_mappings" / Array(this.mapping_count, id_mapping),
        "extra" / GreedyBytes,
    )


# DEN0049 "ITS group node" (type 0): the GIC ITS identifiers of the group, which the MADT's GIC ITS structures
# carry.
its_group = Struct(*_common(
    "its_count" / Int32ul,
    "identifiers" / Array(this.its_count, Int32ul),
    *_mappings(lambda ctx: 20 + 4 * ctx.its_count),
))


def _name_end(ctx) -> int:
    return 29 + len(ctx.device_name)


# DEN0049 "Named component node" (type 1): a device in the ACPI namespace, by its full path, NUL-terminated and
# padded; iasl shows the path, and the padding after it, as separate fields.
named_component = Struct(*_common(
    "node_flags" / Int32ul,  # NAMED_COMPONENT_FLAG_FIELDS
    "memory_properties" / memory_access,
    "memory_address_limit" / Int8ul,  # bits of address the device can drive
    "device_name" / through_nul_within(lambda ctx: _region_end(ctx) - 29),
    "name_padding" / _gap(_region_end, _name_end),
    *_mappings(_region_end),
))


def _root_complex_end(ctx) -> int:
    return 36 + (4 if ctx.root_complex_flags is not None else 0)


# DEN0049 "Root complex node" (type 2). Issue D (node revision 1) ends in three reserved bytes, as iasl 20200925
# reads it; issue E.d (node revision 3) puts the PASID capabilities in the first two of them, and E.e (node
# revision 4) appends flags.
root_complex = Struct(*_common(
    "memory_properties" / memory_access,
    "ats_attribute" / Int32ul,  # AtsAttributes
    "pci_segment_number" / Int32ul,
    "memory_address_limit" / Int8ul,
    "pasid_capabilities" / If(this.revision >= 3, Int16ul),  # bits 0-4: the largest PASID width
    "reserved" / Bytes(lambda ctx: 1 if ctx.revision >= 3 else 3),
    # RootComplexFlags
    "root_complex_flags" / If(lambda ctx: ctx.revision >= 4 and _region_end(ctx) >= 40, Int32ul),
    *_mappings(_root_complex_end),
))


def _global_end(ctx) -> int:
    return ctx.global_interrupt_offset + 16


def _context_end(ctx) -> int:
    if not ctx.context_interrupt_count:
        return _global_end(ctx)
    return ctx.context_interrupt_offset + 8 * ctx.context_interrupt_count


def _pmu_end(ctx) -> int:
    if not ctx.pmu_interrupt_count:
        return _context_end(ctx)
    return ctx.pmu_interrupt_offset + 8 * ctx.pmu_interrupt_count


# DEN0049 "SMMUv1 or SMMUv2 node" (type 3): the global interrupts, then the context and PMU interrupt arrays, at
# the offsets the node gives. Each context or PMU interrupt is a GSIV (low dword) and its flags (high dword),
# one 8-byte field as iasl shows it.
smmu_v1_v2 = Struct(*_common(
    "base_address" / Int64ul,
    "span" / Int64ul,
    "model" / Int32ul,  # SmmuModel
    "smmu_flags" / Int32ul,  # SmmuFlags
    "global_interrupt_offset" / Int32ul,
    "context_interrupt_count" / Int32ul,
    "context_interrupt_offset" / Int32ul,
    "pmu_interrupt_count" / Int32ul,
    "pmu_interrupt_offset" / Int32ul,
    "global_interrupts_padding" / _gap(lambda ctx: ctx.global_interrupt_offset, lambda ctx: 60),
    "nsg_irpt" / Int32ul,
    "nsg_irpt_flags" / Int32ul,  # InterruptFlags
    "nsg_cfg_irpt" / Int32ul,
    "nsg_cfg_irpt_flags" / Int32ul,
    "context_interrupts_padding" / Bytes(
        lambda ctx: ctx.context_interrupt_offset - _global_end(ctx) if ctx.context_interrupt_count else 0),
    "context_interrupts" / Array(this.context_interrupt_count, Int64ul),
    "pmu_interrupts_padding" / Bytes(
        lambda ctx: ctx.pmu_interrupt_offset - _context_end(ctx) if ctx.pmu_interrupt_count else 0),
    "pmu_interrupts" / Array(this.pmu_interrupt_count, Int64ul),
    *_mappings(_pmu_end),
))


def _smmu_v3_end(ctx) -> int:
    return 60 + (4 if ctx.proximity_domain is not None else 0) + (4 if ctx.id_mapping_index is not None else 0)


# DEN0049 "SMMUv3 node" (type 4). Issue C added the proximity domain and the device ID mapping index, read here
# when the node's data has room for them before its ID mappings.
smmu_v3 = Struct(*_common(
    "base_address" / Int64ul,
    "smmu_flags" / Int32ul,  # SMMU_V3_FLAG_FIELDS
    "reserved" / Int32ul,
    "vatos_address" / Int64ul,
    "model" / Int32ul,  # SmmuV3Model
    "event_gsiv" / Int32ul,
    "pri_gsiv" / Int32ul,
    "gerr_gsiv" / Int32ul,
    "sync_gsiv" / Int32ul,
    "proximity_domain" / If(lambda ctx: _region_end(ctx) >= 64, Int32ul),
    "id_mapping_index" / If(lambda ctx: _region_end(ctx) >= 68, Int32ul),
    *_mappings(_smmu_v3_end),
))


def _pmcg_end(ctx) -> int:
    return 32 + (8 if ctx.page1_base_address is not None else 0)


# DEN0049 "PMCG node" (type 5, issue C): an SMMUv3 performance monitor counter group; issue D (node revision 1)
# added the page 1 base address.
pmcg = Struct(*_common(
    "page0_base_address" / Int64ul,
    "overflow_gsiv" / Int32ul,
    "node_reference" / Int32ul,  # offset of the SMMUv3 or named component node it monitors
    "page1_base_address" / If(lambda ctx: _region_end(ctx) >= 40, Int64ul),
    *_mappings(_pmcg_end),
))

# DEN0049 "Memory range descriptor" (20 bytes), in RMR nodes.
memory_range = Struct(
    "base_address" / Int64ul,
    "length" / Int64ul,
    "reserved" / Int32ul,
)


def _rmr_mappings_end(ctx) -> int:
    return ctx.mapping_offset + 20 * ctx.mapping_count if ctx.mapping_count else 28


# DEN0049 issue E.b "Reserved Memory Range node" (type 6): memory that a device behind an SMMU must keep
# reaching (set up by firmware), with the stream IDs in its ID mappings. The mappings come first and the range
# descriptors after them, where every generator seen puts them (EDK II's DynamicTablesPkg IortGenerator);
# another order fails to parse and the node stays bytes.
rmr = Struct(*_common(
    "rmr_flags" / Int32ul,  # RMR_FLAG_FIELDS
    "rmr_count" / Int32ul,
    "rmr_offset" / Int32ul,
    "mappings_padding" / Bytes(lambda ctx: ctx.mapping_offset - 28 if ctx.mapping_count else 0),
    "id_mappings" / Array(this.mapping_count, id_mapping),
    "ranges_padding" / Bytes(lambda ctx: ctx.rmr_offset - _rmr_mappings_end(ctx) if ctx.rmr_count else 0),
    "memory_ranges" / Array(this.rmr_count, memory_range),
    "extra" / GreedyBytes,
))


def _iwb_name_end(ctx) -> int:
    return 26 + len(ctx.device_name)


# Interrupt Wire Bridge node (type 7, for GICv5), as ACPICA's actbl2.h (ACPI_IORT_IWB) lays it out: the
# configuration frame, the bridge's index and its namespace path.
iwb = Struct(*_common(
    "base_address" / Int64ul,
    "iwb_index" / Int16ul,
    "device_name" / through_nul_within(lambda ctx: _region_end(ctx) - 26),
    "name_padding" / _gap(_region_end, _iwb_name_end),
    *_mappings(_region_end),
))


# DEN0049 "IORT node header" node types.
class IortType(IntEnum):
    ITS_GROUP = 0
    NAMED_COMPONENT = 1
    ROOT_COMPLEX = 2
    SMMU_V1_V2 = 3
    SMMU_V3 = 4
    PMCG = 5
    RMR = 6
    IWB = 7


IORT_SUBTABLES: dict[int, Construct] = {
    IortType.ITS_GROUP: its_group, IortType.NAMED_COMPONENT: named_component, IortType.ROOT_COMPLEX: root_complex,
    IortType.SMMU_V1_V2: smmu_v1_v2, IortType.SMMU_V3: smmu_v3, IortType.PMCG: pmcg, IortType.RMR: rmr,
    IortType.IWB: iwb,
}

# DEN0049 "IORT table structure": the node count, the offset of the first node (optional padding may come
# before it), then the nodes, each with a 1-byte type and a 2-byte length that counts the whole node.
iort = table(
    "node_count" / Int32ul,
    "node_offset" / Int32ul,
    "reserved" / Int32ul,
    "padding" / Bytes(lambda ctx: ctx.node_offset - IORT_NODE_OFFSET),
    "nodes" / GreedyRange(type_length_subtable(IORT_SUBTABLES, Int8ul, Int16ul)),
)

# The document's name of each node type, for display.
IORT_TYPES = {IortType.ITS_GROUP: "ITS group", IortType.NAMED_COMPONENT: "Named component",
              IortType.ROOT_COMPLEX: "Root complex", IortType.SMMU_V1_V2: "SMMUv1/SMMUv2", IortType.SMMU_V3: "SMMUv3",
              IortType.PMCG: "PMCG", IortType.RMR: "Reserved memory range (RMR)",
              IortType.IWB: "Interrupt wire bridge (IWB)"}


# DEN0049 "Memory access properties": cache coherency values.
class CacheCoherency(IntEnum):
    NOT_COHERENT = 0
    FULLY_COHERENT = 1


CACHE_COHERENCY = {CacheCoherency.NOT_COHERENT: "not coherent", CacheCoherency.FULLY_COHERENT: "fully coherent"}


# DEN0049 "Memory access properties": allocation hints.
class AllocationHints(IntFlag):
    TRANSIENT = 1 << 0
    WRITE_ALLOCATE = 1 << 1
    READ_ALLOCATE = 1 << 2
    OVERRIDE = 1 << 3


ALLOCATION_HINTS = {
    AllocationHints.TRANSIENT: "transient",
    AllocationHints.WRITE_ALLOCATE: "write-allocate",
    AllocationHints.READ_ALLOCATE: "read-allocate",
    AllocationHints.OVERRIDE: "override",
}


# DEN0049 "Memory access properties": memory access flags (CANWBS: issue E.f).
class MemoryAccessFlags(IntFlag):
    COHERENT_PATH_TO_MEMORY = 1 << 0
    DEVICE_ATTRIBUTES_CACHEABLE = 1 << 1
    CANWBS = 1 << 2


MEMORY_ACCESS_FLAGS = {
    MemoryAccessFlags.COHERENT_PATH_TO_MEMORY: "coherent path to memory",
    MemoryAccessFlags.DEVICE_ATTRIBUTES_CACHEABLE: "device attributes are cacheable, inner shareable",
    MemoryAccessFlags.CANWBS: "ensured coherency of accesses (CANWBS)",
}


# DEN0049 "ID mappings" flags.
class IdMappingFlags(IntFlag):
    SINGLE_MAPPING = 1 << 0


ID_MAPPING_FLAGS = {IdMappingFlags.SINGLE_MAPPING: "single mapping"}
# DEN0049 "Named component node" node flags (issue E.b).
NAMED_COMPONENT_FLAG_FIELDS = {"stall_supported": (0, 1, {0: "no", 1: "yes"}), "pasid_bits": (1, 5, None)}


# DEN0049 "Root complex node" ATS attribute bits.
class AtsAttributes(IntFlag):
    ATS_SUPPORTED = 1 << 0
    PRI_SUPPORTED = 1 << 1
    PASID_FORWARDING_SUPPORTED = 1 << 2


ATS_ATTRIBUTES = {
    AtsAttributes.ATS_SUPPORTED: "ATS supported",
    AtsAttributes.PRI_SUPPORTED: "PRI supported",
    AtsAttributes.PASID_FORWARDING_SUPPORTED: "PASID forwarding supported",
}


# DEN0049 "Root complex node" flags (issue E.e).
class RootComplexFlags(IntFlag):
    PASID_SUPPORTED = 1 << 0


ROOT_COMPLEX_FLAGS = {RootComplexFlags.PASID_SUPPORTED: "PASID supported"}


# DEN0049 "SMMUv1 or SMMUv2 node" models.
class SmmuModel(IntEnum):
    GENERIC_SMMU_V1 = 0
    GENERIC_SMMU_V2 = 1
    ARM_CORELINK_MMU_400 = 2
    ARM_CORELINK_MMU_500 = 3
    ARM_CORELINK_MMU_401 = 4
    CAVIUM_THUNDERX_SMMU_V2 = 5


SMMU_MODELS = {SmmuModel.GENERIC_SMMU_V1: "Generic SMMUv1", SmmuModel.GENERIC_SMMU_V2: "Generic SMMUv2",
               SmmuModel.ARM_CORELINK_MMU_400: "Arm CoreLink MMU-400",
               SmmuModel.ARM_CORELINK_MMU_500: "Arm CoreLink MMU-500",
               SmmuModel.ARM_CORELINK_MMU_401: "Arm CoreLink MMU-401",
               SmmuModel.CAVIUM_THUNDERX_SMMU_V2: "Cavium ThunderX SMMUv2"}


# DEN0049 "SMMUv1 or SMMUv2 node" flags.
class SmmuFlags(IntFlag):
    DVM_SUPPORTED = 1 << 0
    COHERENT_PAGE_TABLE_WALK = 1 << 1


SMMU_FLAGS = {
    SmmuFlags.DVM_SUPPORTED: "DVM supported",
    SmmuFlags.COHERENT_PAGE_TABLE_WALK: "coherent page table walk",
}


# DEN0049 "SMMUv1 or SMMUv2 node" interrupt flags (global, context and PMU interrupts).
class InterruptFlags(IntFlag):
    EDGE_TRIGGERED = 1 << 0


INTERRUPT_FLAGS = {InterruptFlags.EDGE_TRIGGERED: "edge-triggered"}


# DEN0049 "SMMUv3 node" models.
class SmmuV3Model(IntEnum):
    GENERIC_SMMU_V3 = 0
    HISILICON_HI161X_SMMU_V3 = 1
    CAVIUM_CN99XX_SMMU_V3 = 2


SMMU_V3_MODELS = {SmmuV3Model.GENERIC_SMMU_V3: "Generic SMMUv3",
                  SmmuV3Model.HISILICON_HI161X_SMMU_V3: "HiSilicon Hi161x SMMUv3",
                  SmmuV3Model.CAVIUM_CN99XX_SMMU_V3: "Cavium CN99xx SMMUv3"}

# DEN0049 "SMMUv3 node" flags.
SMMU_V3_FLAG_FIELDS = {
    "cohacc_override": (0, 1, {0: "no", 1: "yes"}),
    "httu_override": (1, 2, {0: "none", 1: "access flag", 2: "access and dirty flags", 3: "reserved"}),
    "proximity_domain_valid": (3, 1, {0: "no", 1: "yes"}),
    "deviceid_mapping_index_valid": (4, 1, {0: "no", 1: "yes"}),
}


# DEN0049 issue E.d "Reserved Memory Range node" flags, bits 2-9: the access attributes.
class RmrAccessAttributes(IntEnum):
    DEVICE_NGNRNE = 0
    DEVICE_NGNRE = 1
    DEVICE_NGRE = 2
    DEVICE_GRE = 3
    NORMAL_NON_CACHEABLE = 4
    NORMAL_WRITE_BACK = 5


RMR_ACCESS_ATTRIBUTES = {RmrAccessAttributes.DEVICE_NGNRNE: "Device-nGnRnE",
                         RmrAccessAttributes.DEVICE_NGNRE: "Device-nGnRE", RmrAccessAttributes.DEVICE_NGRE: "Device-nGRE", RmrAccessAttributes.DEVICE_GRE: "Device-GRE",
                         RmrAccessAttributes.NORMAL_NON_CACHEABLE: "Normal Inner/Outer Non-cacheable",
                         RmrAccessAttributes.NORMAL_WRITE_BACK: "Normal Inner/Outer Write-back, Inner Shareable"}
# DEN0049 issue E.d "Reserved Memory Range node" flags: remapping, privilege, access attributes (bits 2-9).
RMR_FLAG_FIELDS = {
    "remapping_permitted": (0, 1, {0: "no", 1: "yes"}),
    "access_privileged": (1, 1, {0: "no", 1: "yes"}),
    "access_attributes": (2, 8, RMR_ACCESS_ATTRIBUTES),
}
