"""PPTT: the Processor Properties Topology Table, the processor hierarchy and its caches."""
from enum import IntEnum, IntFlag

from construct import Array, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, Optional, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.30.1 Processor Hierarchy Node Structure (type 0, 20 bytes and 4 per private resource). The
# parent and the private resources are offsets of other structures from the start of the table.
processor_hierarchy_node = with_extra(
    "reserved" / Int16ul,
    "flags" / Int32ul,  # PpttProcessorFlags
    "parent" / Int32ul,  # 0: the root
    "acpi_processor_id" / Int32ul,  # the processor's _UID, when the flags say it is valid
    "private_resource_count" / Int32ul,
    "private_resources" / Array(this.private_resource_count, Int32ul),  # cache (or ID) structures
)

# ACPI 6.5 §5.2.30.2 Cache Type Structure (type 1, 24 bytes; 28 since ACPI 6.4 added the cache ID)
cache_type = with_extra(
    "reserved" / Int16ul,
    "flags" / Int32ul,  # PpttCacheFlags: which fields below are valid
    "next_level_of_cache" / Int32ul,  # offset of the next cache structure; 0: none
    "size" / Int32ul,  # bytes
    "number_of_sets" / Int32ul,
    "associativity" / Int8ul,
    "attributes" / Int8ul,  # PPTT_CACHE_ATTRIBUTE_FIELDS
    "line_size" / Int16ul,
    "cache_id" / Optional(Int32ul),
)

# ACPI 6.2 §5.2.29.3 ID Structure (type 2, 30 bytes), deprecated since ACPI 6.3 and gone from 6.5.
id_structure = with_extra(
    "reserved" / Int16ul,
    "vendor_id" / Int32ul,
    "level1_id" / Int64ul,
    "level2_id" / Int64ul,
    "major_revision" / Int16ul,
    "minor_revision" / Int16ul,
    "spin_revision" / Int16ul,
)


# ACPI 6.5 §5.2.30 Table 5.157 structure types (ID: ACPI 6.2 to 6.4).
class PpttType(IntEnum):
    PROCESSOR = 0
    CACHE = 1
    ID = 2


PPTT_SUBTABLES: dict[int, Construct] = {
    PpttType.PROCESSOR: processor_hierarchy_node, PpttType.CACHE: cache_type, PpttType.ID: id_structure,
}

# ACPI 6.5 §5.2.30 PPTT: the header, then structures with a 1-byte type and a 1-byte length.
pptt = table(
    "subtables" / GreedyRange(type_length_subtable(PPTT_SUBTABLES)),
)

# The spec's name of each structure type, for display.
PPTT_TYPES = {PpttType.PROCESSOR: "Processor Hierarchy Node", PpttType.CACHE: "Cache Type",
              PpttType.ID: "ID (deprecated)"}
PPTT_SUBTABLE_SIZES = {PpttType.ID: 30}


# ACPI 6.5 §5.2.30.1 Table 5.159 processor structure flags.
class PpttProcessorFlags(IntFlag):
    PHYSICAL_PACKAGE = 1 << 0
    ACPI_PROCESSOR_ID_VALID = 1 << 1
    PROCESSOR_IS_A_THREAD = 1 << 2
    NODE_IS_A_LEAF = 1 << 3
    IDENTICAL_IMPLEMENTATION = 1 << 4


# ACPI 6.5 §5.2.30.2 Table 5.161 cache structure flags.
class PpttCacheFlags(IntFlag):
    SIZE_VALID = 1 << 0
    NUMBER_OF_SETS_VALID = 1 << 1
    ASSOCIATIVITY_VALID = 1 << 2
    ALLOCATION_TYPE_VALID = 1 << 3
    CACHE_TYPE_VALID = 1 << 4
    WRITE_POLICY_VALID = 1 << 5
    LINE_SIZE_VALID = 1 << 6
    CACHE_ID_VALID = 1 << 7


# ACPI 6.5 §5.2.30.2 Table 5.161 attributes: {name: (first bit, bit count, value names)}.
PPTT_CACHE_ATTRIBUTE_FIELDS = {
    "allocation": (0, 2, {0: "Read", 1: "Write", 2: "Read/Write", 3: "Read/Write"}),
    "type": (2, 2, {0: "Data", 1: "Instruction", 2: "Unified", 3: "Unified"}),
    "write policy": (4, 1, {0: "Write back", 1: "Write through"}),
}
