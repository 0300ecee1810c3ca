"""SRAT: the System Resource Affinity Table, which puts processors and memory ranges in proximity domains."""
from construct import Bytes, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.16.1 Processor Local APIC/SAPIC Affinity Structure (type 0, 16 bytes). The proximity domain
# is split: bits 7:0 at offset 2 and bits 31:8 at offset 9.
processor_local_apic_affinity = with_extra(
    "proximity_domain_lo" / Int8ul,
    "apic_id" / Int8ul,
    "flags" / Int32ul,  # SRAT_PROCESSOR_FLAGS
    "local_sapic_eid" / Int8ul,
    "proximity_domain_hi" / Int24ul,
    "clock_domain" / Int32ul,
)

# ACPI 6.5 §5.2.16.2 Memory Affinity Structure (type 1, 40 bytes). The spec gives base and length as low and
# high 32-bit halves; one little-endian u64 each is the same bytes.
memory_affinity = with_extra(
    "proximity_domain" / Int32ul,
    "reserved1" / Int16ul,
    "base_address" / Int64ul,
    "length" / Int64ul,
    "reserved2" / Int32ul,
    "flags" / Int32ul,  # SRAT_MEMORY_FLAGS
    "reserved3" / Int64ul,
)

# ACPI 6.5 §5.2.16.3 Processor Local x2APIC Affinity Structure (type 2, 24 bytes)
processor_local_x2apic_affinity = with_extra(
    "reserved1" / Int16ul,
    "proximity_domain" / Int32ul,
    "x2apic_id" / Int32ul,
    "flags" / Int32ul,  # SRAT_PROCESSOR_FLAGS
    "clock_domain" / Int32ul,
    "reserved2" / Int32ul,
)

# ACPI 6.5 §5.2.16.4 GICC Affinity Structure (type 3, 18 bytes)
gicc_affinity = with_extra(
    "proximity_domain" / Int32ul,
    "acpi_processor_uid" / Int32ul,  # the UID of a GICC entry in the MADT
    "flags" / Int32ul,  # SRAT_GICC_FLAGS
    "clock_domain" / Int32ul,
)

# ACPI 6.5 §5.2.16.5 Architecture Specific Affinity Structure: GIC ITS Affinity (type 4, 12 bytes)
gic_its_affinity = with_extra(
    "proximity_domain" / Int32ul,
    "reserved" / Int16ul,
    "its_id" / Int32ul,  # the GIC ITS ID of a MADT ITS entry
)

# ACPI 6.5 §5.2.16.6 Generic Initiator Affinity Structure (type 5, 32 bytes) and §5.2.16.7 Generic Port Affinity
# Structure (type 6, the same layout). The 16-byte device handle is an ACPI handle (_HID 8 bytes, _UID 4,
# reserved 4) or a PCI one (segment 2, BDF 2, reserved 12), as Device Handle Type says; kept whole, as iasl
# shows it.
generic_affinity = with_extra(
    "reserved1" / Int8ul,
    "device_handle_type" / Int8ul,  # SRAT_DEVICE_HANDLE_TYPES
    "proximity_domain" / Int32ul,
    "device_handle" / Bytes(16),
    "flags" / Int32ul,  # SRAT_GENERIC_AFFINITY_FLAGS
    "reserved2" / Int32ul,
)

# Subtable type -> body schema: every type of ACPI 6.5; a reserved type keeps its body as raw bytes.
SRAT_SUBTABLES = {
    0: processor_local_apic_affinity,
    1: memory_affinity,
    2: processor_local_x2apic_affinity,
    3: gicc_affinity,
    4: gic_its_affinity,
    5: generic_affinity,
    6: generic_affinity,
}

# ACPI 6.5 §5.2.16 System Resource Affinity Table (SRAT). reserved1 must be 1 for backward compatibility
# (ACPICA calls it table_revision).
srat = table(
    "reserved1" / Int32ul,
    "reserved2" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(SRAT_SUBTABLES)),
)

# ACPI 6.5 §5.2.16, Static Resource Allocation Structure types; 7 and above are reserved in 6.5.
SRAT_TYPES = {
    0: "Processor Local APIC/SAPIC Affinity",
    1: "Memory Affinity",
    2: "Processor Local x2APIC Affinity",
    3: "GICC Affinity",
    4: "GIC Interrupt Translation Service (ITS) Affinity",
    5: "Generic Initiator Affinity",
    6: "Generic Port Affinity",
}
SRAT_SUBTABLE_SIZES = {0: 16, 1: 40, 2: 24, 3: 18, 4: 12, 5: 32, 6: 32}

# ACPI 6.5 §5.2.16.1 and §5.2.16.3 processor affinity flags, bit -> name: if clear, OSPM ignores the entry.
SRAT_PROCESSOR_FLAGS = {0: "ENABLED"}
# ACPI 6.5 §5.2.16.2 Flags - Memory Affinity Structure, bit -> name.
SRAT_MEMORY_FLAGS = {0: "ENABLED", 1: "HOT_PLUGGABLE", 2: "NON_VOLATILE"}
# ACPI 6.5 §5.2.16.4 Flags - GICC Affinity Structure, bit -> name.
SRAT_GICC_FLAGS = {0: "ENABLED"}
# ACPI 6.5 §5.2.16.6 Device Handle Type; 2-0xFF are reserved.
SRAT_DEVICE_HANDLE_TYPES = {0: "ACPI Device Handle", 1: "PCI Device Handle"}
# ACPI 6.5 §5.2.16.6 Flags - Generic Initiator/Port Affinity Structure, bit -> name.
SRAT_GENERIC_AFFINITY_FLAGS = {0: "ENABLED", 1: "ARCHITECTURAL_TRANSACTIONS"}
