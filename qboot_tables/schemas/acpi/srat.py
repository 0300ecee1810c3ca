"""SRAT: the System Resource Affinity Table, which puts processors and memory ranges in proximity domains."""
from enum import IntEnum, IntFlag

from construct import Bytes, Construct, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul

from qboot_tables.schemas.acpi import flag_bits
from qboot_tables.schemas.common import table, type_length_subtable, with_extra


# ACPI 6.5 §5.2.16 Static Resource Allocation Structure types; 7 and above are reserved in 6.5.
class SratType(IntEnum):
    LOCAL_APIC_AFFINITY = 0
    MEMORY_AFFINITY = 1
    X2APIC_AFFINITY = 2
    GICC_AFFINITY = 3
    GIC_ITS_AFFINITY = 4
    GENERIC_INITIATOR_AFFINITY = 5
    GENERIC_PORT_AFFINITY = 6


# ACPI 6.5 §5.2.16.1 Processor Local APIC/SAPIC Affinity Structure (type 0, 16 bytes). The proximity domain
# is split: bits 7:0 at offset 2 and bits 31:8 at offset 9.
processor_local_apic_affinity = with_extra(
    "proximity_domain_lo" / Int8ul,
    "apic_id" / Int8ul,
    "flags" / Int32ul,  # SratProcessorFlags
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
    "flags" / Int32ul,  # SratMemoryFlags
    "reserved3" / Int64ul,
)

# ACPI 6.5 §5.2.16.3 Processor Local x2APIC Affinity Structure (type 2, 24 bytes)
processor_local_x2apic_affinity = with_extra(
    "reserved1" / Int16ul,
    "proximity_domain" / Int32ul,
    "x2apic_id" / Int32ul,
    "flags" / Int32ul,  # SratProcessorFlags
    "clock_domain" / Int32ul,
    "reserved2" / Int32ul,
)

# ACPI 6.5 §5.2.16.4 GICC Affinity Structure (type 3, 18 bytes)
gicc_affinity = with_extra(
    "proximity_domain" / Int32ul,
    "acpi_processor_uid" / Int32ul,  # the UID of a GICC entry in the MADT
    "flags" / Int32ul,  # SratGiccFlags
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
    "device_handle_type" / Int8ul,  # SratDeviceHandleType
    "proximity_domain" / Int32ul,
    "device_handle" / Bytes(16),
    "flags" / Int32ul,  # SratGenericAffinityFlags
    "reserved2" / Int32ul,
)

# Subtable type -> body schema: every type of ACPI 6.5; a reserved type keeps its body as raw bytes.
SRAT_SUBTABLES: dict[int, Construct] = {
    SratType.LOCAL_APIC_AFFINITY: processor_local_apic_affinity,
    SratType.MEMORY_AFFINITY: memory_affinity,
    SratType.X2APIC_AFFINITY: processor_local_x2apic_affinity,
    SratType.GICC_AFFINITY: gicc_affinity,
    SratType.GIC_ITS_AFFINITY: gic_its_affinity,
    SratType.GENERIC_INITIATOR_AFFINITY: generic_affinity,
    SratType.GENERIC_PORT_AFFINITY: generic_affinity,
}

# ACPI 6.5 §5.2.16 System Resource Affinity Table (SRAT). reserved1 must be 1 for backward compatibility
# (ACPICA calls it table_revision).
srat = table(
    "reserved1" / Int32ul,
    "reserved2" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(SRAT_SUBTABLES)),
)

# The spec's name of each subtable type, for display.
SRAT_TYPES = {
    SratType.LOCAL_APIC_AFFINITY: "Processor Local APIC/SAPIC Affinity",
    SratType.MEMORY_AFFINITY: "Memory Affinity",
    SratType.X2APIC_AFFINITY: "Processor Local x2APIC Affinity",
    SratType.GICC_AFFINITY: "GICC Affinity",
    SratType.GIC_ITS_AFFINITY: "GIC Interrupt Translation Service (ITS) Affinity",
    SratType.GENERIC_INITIATOR_AFFINITY: "Generic Initiator Affinity",
    SratType.GENERIC_PORT_AFFINITY: "Generic Port Affinity",
}
SRAT_SUBTABLE_SIZES = {
    SratType.LOCAL_APIC_AFFINITY: 16, SratType.MEMORY_AFFINITY: 40, SratType.X2APIC_AFFINITY: 24,
    SratType.GICC_AFFINITY: 18, SratType.GIC_ITS_AFFINITY: 12, SratType.GENERIC_INITIATOR_AFFINITY: 32,
    SratType.GENERIC_PORT_AFFINITY: 32,
}


# ACPI 6.5 §5.2.16.1 and §5.2.16.3 processor affinity flags: if ENABLED is clear, OSPM ignores the entry.
class SratProcessorFlags(IntFlag):
    ENABLED = 1 << 0


# ACPI 6.5 §5.2.16.2 Flags - Memory Affinity Structure.
class SratMemoryFlags(IntFlag):
    ENABLED = 1 << 0
    HOT_PLUGGABLE = 1 << 1
    NON_VOLATILE = 1 << 2


SRAT_MEMORY_FLAGS = flag_bits(SratMemoryFlags)  # {bit: name}, as the schema tests index it


# ACPI 6.5 §5.2.16.4 Flags - GICC Affinity Structure.
class SratGiccFlags(IntFlag):
    ENABLED = 1 << 0


# ACPI 6.5 §5.2.16.6 Device Handle Type; 2-0xFF are reserved.
class SratDeviceHandleType(IntEnum):
    ACPI = 0
    PCI = 1


SRAT_DEVICE_HANDLE_TYPES = {SratDeviceHandleType.ACPI: "ACPI Device Handle",
                            SratDeviceHandleType.PCI: "PCI Device Handle"}


# ACPI 6.5 §5.2.16.6 Flags - Generic Initiator/Port Affinity Structure.
class SratGenericAffinityFlags(IntFlag):
    ENABLED = 1 << 0
    ARCHITECTURAL_TRANSACTIONS = 1 << 1
