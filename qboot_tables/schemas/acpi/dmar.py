"""DMAR: the DMA Remapping Reporting table of Intel VT-d, its remapping structures and their device scopes."""
from enum import IntEnum, IntFlag

from construct import Array, Bytes, Construct, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, \
    Struct, this

from qboot_tables.schemas.common import table, through_nul, type_length_subtable, with_extra

# Intel VT-d specification rev. 4.1 §8.3.1 Device Scope Structure (6 bytes and a path). The path lists
# (device, function) pairs from the start bus down to the device, one 2-byte entry per bridge crossed; a
# length that leaves an odd byte keeps it in `extra`. The fields are named entry_* so that a scope's type
# and length never read as its parent structure's.
device_scope = Struct(
    "entry_type" / Int8ul,  # DmarScopeType
    "entry_length" / Int8ul,
    "reserved" / Int16ul,
    "enumeration_id" / Int8ul,  # IOAPIC ID, HPET number or ACPI device number, by entry_type
    "bus" / Int8ul,  # start bus number of the path
    "pci_path" / Array((this.entry_length - 6) // 2, Bytes(2)),  # (device, function)
    "extra" / Bytes((this.entry_length - 6) % 2),
)
device_scopes = GreedyRange(device_scope)

# VT-d 4.1 §8.3 DMA Remapping Hardware Unit Definition (DRHD) Structure (type 0, 16 bytes and scopes)
drhd = with_extra(
    "flags" / Int8ul,  # DrhdFlags
    "size" / Int8ul,  # VT-d 3.x: register set size as 2^n 4 KiB pages; reserved before
    "segment" / Int16ul,
    "register_base_address" / Int64ul,
    "device_scopes" / device_scopes,
)

# VT-d 4.1 §8.4 Reserved Memory Region Reporting (RMRR) Structure (type 1, 24 bytes and scopes)
rmrr = with_extra(
    "reserved" / Int16ul,
    "segment" / Int16ul,
    "base_address" / Int64ul,
    "end_address" / Int64ul,  # limit: the last byte of the region
    "device_scopes" / device_scopes,
)

# VT-d 4.1 §8.5 Root Port ATS Capability Reporting (ATSR) Structure (type 2, 8 bytes and scopes)
atsr = with_extra(
    "flags" / Int8ul,  # AtsrFlags
    "reserved" / Int8ul,
    "segment" / Int16ul,
    "device_scopes" / device_scopes,
)

# VT-d 4.1 §8.6 Remapping Hardware Static Affinity (RHSA) Structure (type 3, 20 bytes)
rhsa = with_extra(
    "reserved" / Int32ul,
    "base_address" / Int64ul,  # register base of the DRHD it applies to
    "proximity_domain" / Int32ul,
)

# VT-d 4.1 §8.7 ACPI Name-space Device Declaration (ANDD) Structure (type 4, 8 bytes and the name). The
# name is a NUL-terminated ACPI path; bytes past its NUL are padding, kept in `extra`.
andd = Struct(
    "reserved" / Int24ul,
    "device_number" / Int8ul,  # the enumeration ID that device scopes of type 5 use
    "device_name" / through_nul,
    "extra" / GreedyBytes,
)

# VT-d 4.1 §8.8 SoC Integrated Address Translation Cache (SATC) Reporting Structure (type 5, 8 bytes and
# scopes)
satc = with_extra(
    "flags" / Int8ul,  # SatcFlags
    "reserved" / Int8ul,
    "segment" / Int16ul,
    "device_scopes" / device_scopes,
)

# Structure type -> body schema; any other type keeps its body as raw bytes.


# VT-d 4.1 §8.2 Table 8-3 Remapping Structure Types; 6 and above are reserved.
class DmarType(IntEnum):
    DRHD = 0
    RMRR = 1
    ATSR = 2
    RHSA = 3
    ANDD = 4
    SATC = 5


DMAR_SUBTABLES: dict[int, Construct] = {
    DmarType.DRHD: drhd, DmarType.RMRR: rmrr, DmarType.ATSR: atsr, DmarType.RHSA: rhsa, DmarType.ANDD: andd,
    DmarType.SATC: satc,
}

# VT-d 4.1 §8.1 DMA Remapping Reporting Structure: the header, then remapping structures, each with a
# 2-byte type and a 2-byte length.
dmar = table(
    "host_address_width" / Int8ul,  # the DMA physical address width, minus one
    "flags" / Int8ul,  # DmarFlags
    "reserved" / Bytes(10),
    "subtables" / GreedyRange(type_length_subtable(DMAR_SUBTABLES, Int16ul, Int16ul)),
)

# The spec's name of each remapping structure type, for display.
DMAR_TYPES = {
    DmarType.DRHD: "Hardware Unit Definition (DRHD)",
    DmarType.RMRR: "Reserved Memory Region (RMRR)",
    DmarType.ATSR: "Root Port ATS Capability (ATSR)",
    DmarType.RHSA: "Remapping Hardware Static Affinity (RHSA)",
    DmarType.ANDD: "ACPI Name-space Device Declaration (ANDD)",
    DmarType.SATC: "SoC Integrated Address Translation Cache (SATC)",
}
# VT-d 4.1 §8.3 to §8.8: the structures whose length the spec fixes (the others end in device scopes or a name).
DMAR_SUBTABLE_SIZES = {DmarType.RHSA: 20}


# VT-d 4.1 §8.1 DMAR Flags.
class DmarFlags(IntFlag):
    INTR_REMAP = 1 << 0
    X2APIC_OPT_OUT = 1 << 1
    DMA_CTRL_PLATFORM_OPT_IN = 1 << 2


# VT-d 4.1 §8.3 DRHD Flags.
class DrhdFlags(IntFlag):
    INCLUDE_PCI_ALL = 1 << 0


# VT-d 4.1 §8.5 ATSR Flags.
class AtsrFlags(IntFlag):
    ALL_PORTS = 1 << 0


# VT-d 4.1 §8.8 SATC Flags.
class SatcFlags(IntFlag):
    ATC_REQUIRED = 1 << 0


# VT-d 4.1 §8.3.1 Table 8-4 Device Scope Entry types.
class DmarScopeType(IntEnum):
    PCI_ENDPOINT = 1
    PCI_BRIDGE = 2
    IOAPIC = 3
    HPET = 4
    NAMESPACE = 5


# The spec's name of each device scope type, for display.
DMAR_SCOPE_TYPES = {
    DmarScopeType.PCI_ENDPOINT: "PCI Endpoint Device",
    DmarScopeType.PCI_BRIDGE: "PCI Sub-hierarchy",
    DmarScopeType.IOAPIC: "IOAPIC",
    DmarScopeType.HPET: "MSI-capable HPET",
    DmarScopeType.NAMESPACE: "ACPI Name-space Enumerated Device",
}
