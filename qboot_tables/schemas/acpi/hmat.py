"""HMAT: the Heterogeneous Memory Attribute Table, latency, bandwidth and caches between proximity domains."""
from construct import Array, Bytes, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.28.2 Memory Proximity Domain Attributes Structure (type 0, 40 bytes)
memory_proximity_domain = with_extra(
    "flags" / Int16ul,  # HMAT_PROXIMITY_FLAGS
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
    "flags" / Int8ul,  # bits 3:0 the memory hierarchy (HMAT_MEMORY_HIERARCHIES); bits 5:4 access attributes
    "data_type" / Int8ul,  # HMAT_DATA_TYPES
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

HMAT_SUBTABLES = {0: memory_proximity_domain, 1: locality, 2: memory_side_cache}

# ACPI 6.5 §5.2.28 HMAT: the header, 4 reserved bytes, then structures with a 2-byte type, 2 reserved bytes
# and a 4-byte length.
hmat = table(
    "reserved" / Bytes(4),
    "subtables" / GreedyRange(type_length_subtable(HMAT_SUBTABLES, Int16ul, Int32ul, between=("reserved" / Int16ul,))),
)

# ACPI 6.5 §5.2.28.1 Table 5.150 HMAT structure types.
HMAT_TYPES = {0: "Memory Proximity Domain Attributes", 1: "System Locality Latency and Bandwidth Information",
              2: "Memory Side Cache Information"}
HMAT_SUBTABLE_SIZES = {0: 40}
# ACPI 6.5 §5.2.28.2 Table 5.152 flags, bit -> name.
HMAT_PROXIMITY_FLAGS = {0: "INITIATOR_PROXIMITY_DOMAIN_VALID"}
# ACPI 6.5 §5.2.28.4 Table 5.153 flags, bits 3:0.
HMAT_MEMORY_HIERARCHIES = {0: "Memory", 1: "First level memory side cache", 2: "Second level memory side cache",
                           3: "Third level memory side cache"}
# ACPI 6.5 §5.2.28.4 Table 5.153 data types.
HMAT_DATA_TYPES = {0: "Access Latency", 1: "Read Latency", 2: "Write Latency", 3: "Access Bandwidth",
                   4: "Read Bandwidth", 5: "Write Bandwidth"}
# ACPI 6.5 §5.2.28.5 Table 5.154 cache attributes: {name: (first bit, bit count, value names or None)}.
HMAT_CACHE_ATTRIBUTE_FIELDS = {
    "levels": (0, 4, None),
    "level": (4, 4, None),
    "associativity": (8, 4, {0: "None", 1: "Direct Mapped", 2: "Complex Cache Indexing"}),
    "write policy": (12, 4, {0: "None", 1: "Write Back", 2: "Write Through"}),
    "line size": (16, 16, None),
}
