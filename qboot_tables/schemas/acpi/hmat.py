"""HMAT: the Heterogeneous Memory Attribute Table, latency, bandwidth and caches between proximity domains."""
from enum import IntEnum, IntFlag

from construct import Array, Bytes, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.28.2 Memory Proximity Domain Attributes Structure (type 0, 40 bytes)
memory_proximity_domain = with_extra(
    "flags" / Int16ul,  # HmatProximityFlags
    "reserved1" / Int16ul,
    "initiator_proximity_domain" / Int32ul,  # the initiator attached to this memory, when the flag says so
    "memory_proximity_domain" / Int32ul,
    "reserved2" / Int32ul,
    "reserved3" / Int64ul,
    "reserved4" / Int64ul,
)

# ACPI 6.5 §5.2.28.4 System Locality Latency and Bandwidth Information Structure (type 1, 32 bytes, then the
# initiator and target proximity domain lists and one 2-byte entry per (initiator, target) pair).
locality = with_extra(
    "flags" / Int8ul,  # bits 3:0 the memory hierarchy (HmatMemoryHierarchy); bits 5:4 access attributes
    "data_type" / Int8ul,  # HmatDataType
    "min_transfer_size" / Int8ul,
    "reserved1" / Int8ul,
    "initiator_count" / Int32ul,
    "target_count" / Int32ul,
    "reserved2" / Int32ul,
    "entry_base_unit" / Int64ul,  # an entry times this is picoseconds (latency) or MB/s (bandwidth)
    "initiators" / Array(this.initiator_count, Int32ul),
    "targets" / Array(this.target_count, Int32ul),
    "entries" / Array(this.initiator_count * this.target_count, Int16ul),  # row per initiator; 0: no path
)

# ACPI 6.5 §5.2.28.5 Memory Side Cache Information Structure (type 2, 32 bytes and 2 per SMBIOS handle)
memory_side_cache = with_extra(
    "memory_proximity_domain" / Int32ul,
    "reserved1" / Int32ul,
    "cache_size" / Int64ul,  # bytes
    "cache_attributes" / Int32ul,  # HMAT_CACHE_ATTRIBUTE_FIELDS
    "reserved2" / Int16ul,
    "smbios_handle_count" / Int16ul,
    "smbios_handles" / Array(this.smbios_handle_count, Int16ul),  # SMBIOS type 17 of the cache's memory
)


# ACPI 6.5 §5.2.28.1 Table 5.150 HMAT structure types; 3 and above are reserved.
class HmatType(IntEnum):
    MEMORY_PROXIMITY_DOMAIN = 0
    SYSTEM_LOCALITY = 1
    MEMORY_SIDE_CACHE = 2


HMAT_SUBTABLES: dict[int, Construct] = {
    HmatType.MEMORY_PROXIMITY_DOMAIN: memory_proximity_domain, HmatType.SYSTEM_LOCALITY: locality,
    HmatType.MEMORY_SIDE_CACHE: memory_side_cache,
}

# ACPI 6.5 §5.2.28 HMAT: the header, 4 reserved bytes, then structures with a 2-byte type, 2 reserved bytes
# and a 4-byte length.
hmat = table(
    "reserved" / Bytes(4),
    "subtables" / GreedyRange(type_length_subtable(HMAT_SUBTABLES, Int16ul, Int32ul, between=("reserved" / Int16ul,))),
)

# The spec's name of each structure type, for display.
HMAT_TYPES = {HmatType.MEMORY_PROXIMITY_DOMAIN: "Memory Proximity Domain Attributes",
              HmatType.SYSTEM_LOCALITY: "System Locality Latency and Bandwidth Information",
              HmatType.MEMORY_SIDE_CACHE: "Memory Side Cache Information"}
HMAT_SUBTABLE_SIZES = {HmatType.MEMORY_PROXIMITY_DOMAIN: 40}


# ACPI 6.5 §5.2.28.2 Table 5.152 flags.
class HmatProximityFlags(IntFlag):
    INITIATOR_PROXIMITY_DOMAIN_VALID = 1 << 0


# ACPI 6.5 §5.2.28.4 Table 5.153 flags, bits 3:0: the memory hierarchy.
class HmatMemoryHierarchy(IntEnum):
    MEMORY = 0
    FIRST_LEVEL_CACHE = 1
    SECOND_LEVEL_CACHE = 2
    THIRD_LEVEL_CACHE = 3


# The spec's name of each memory hierarchy, for display.
HMAT_MEMORY_HIERARCHIES = {HmatMemoryHierarchy.MEMORY: "Memory",
                           HmatMemoryHierarchy.FIRST_LEVEL_CACHE: "First level memory side cache",
                           HmatMemoryHierarchy.SECOND_LEVEL_CACHE: "Second level memory side cache",
                           HmatMemoryHierarchy.THIRD_LEVEL_CACHE: "Third level memory side cache"}


# ACPI 6.5 §5.2.28.4 Table 5.153 data types.
class HmatDataType(IntEnum):
    ACCESS_LATENCY = 0
    READ_LATENCY = 1
    WRITE_LATENCY = 2
    ACCESS_BANDWIDTH = 3
    READ_BANDWIDTH = 4
    WRITE_BANDWIDTH = 5


# The spec's name of each data type, for display.
HMAT_DATA_TYPES = {HmatDataType.ACCESS_LATENCY: "Access Latency", HmatDataType.READ_LATENCY: "Read Latency",
                   HmatDataType.WRITE_LATENCY: "Write Latency", HmatDataType.ACCESS_BANDWIDTH: "Access Bandwidth",
                   HmatDataType.READ_BANDWIDTH: "Read Bandwidth", HmatDataType.WRITE_BANDWIDTH: "Write Bandwidth"}


# ACPI 6.5 §5.2.28.5 Table 5.154 cache attributes, bits 11:8: the cache associativity.
class HmatCacheAssociativity(IntEnum):
    NONE = 0
    DIRECT_MAPPED = 1
    COMPLEX_CACHE_INDEXING = 2


# ACPI 6.5 §5.2.28.5 Table 5.154 cache attributes, bits 15:12: the write policy.
class HmatWritePolicy(IntEnum):
    NONE = 0
    WRITE_BACK = 1
    WRITE_THROUGH = 2


# ACPI 6.5 §5.2.28.5 Table 5.154 cache attributes: {name: (first bit, bit count, value names or None)}.
HMAT_CACHE_ATTRIBUTE_FIELDS = {
    "levels": (0, 4, None),
    "level": (4, 4, None),
    "associativity": (8, 4, {HmatCacheAssociativity.NONE: "None", HmatCacheAssociativity.DIRECT_MAPPED: "Direct Mapped",
                             HmatCacheAssociativity.COMPLEX_CACHE_INDEXING: "Complex Cache Indexing"}),
    "write policy": (12, 4, {HmatWritePolicy.NONE: "None", HmatWritePolicy.WRITE_BACK: "Write Back",
                             HmatWritePolicy.WRITE_THROUGH: "Write Through"}),
    "line size": (16, 16, None),
}
