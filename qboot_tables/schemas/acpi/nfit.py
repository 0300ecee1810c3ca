"""NFIT: the NVDIMM Firmware Interface Table, persistent memory ranges and the NVDIMMs behind them."""
import uuid
from enum import IntEnum, IntFlag

from construct import Array, Bytes, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, Optional, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.26.2 System Physical Address (SPA) Range Structure (type 0, 56 bytes; 64 since ACPI 6.4
# added the location cookie).
spa_range = with_extra(
    "range_index" / Int16ul,
    "flags" / Int16ul,  # NfitSpaFlags
    "reserved" / Int32ul,
    "proximity_domain" / Int32ul,
    "range_guid" / Bytes(16),  # NFIT_SPA_GUIDS: what kind of range
    "base_address" / Int64ul,
    "length" / Int64ul,
    "memory_mapping" / Int64ul,  # EFI memory attributes (EFI_MEMORY_WB, ...)
    "location_cookie" / Optional(Int64ul),
)

# ACPI 6.5 §5.2.26.3 NVDIMM Region Mapping Structure (type 1, 48 bytes)
region_mapping = with_extra(
    "device_handle" / Int32ul,  # NFIT device handle: node, socket, controller, channel, DIMM
    "physical_id" / Int16ul,  # SMBIOS type 17 handle of the NVDIMM
    "region_id" / Int16ul,
    "range_index" / Int16ul,  # the SPA range it maps into; 0 for none
    "control_region_index" / Int16ul,
    "region_size" / Int64ul,
    "region_offset" / Int64ul,
    "address" / Int64ul,  # the NVDIMM physical address of the region
    "interleave_index" / Int16ul,
    "interleave_ways" / Int16ul,
    "flags" / Int16ul,  # NfitRegionMappingFlags
    "reserved" / Int16ul,
)

# ACPI 6.5 §5.2.26.4 Interleave Structure (type 2, 16 bytes and 4 per line)
interleave = with_extra(
    "interleave_index" / Int16ul,
    "reserved" / Int16ul,
    "line_count" / Int32ul,
    "line_size" / Int32ul,  # bytes
    "line_offsets" / Array(this.line_count, Int32ul),
)

# ACPI 6.5 §5.2.26.5 SMBIOS Management Information Structure (type 3): SMBIOS structures for the NVDIMMs.
smbios = with_extra(
    "reserved" / Int32ul,
)

# ACPI 6.5 §5.2.26.6 NVDIMM Control Region Structure (type 4): 32 bytes when the NVDIMM has no block control
# windows, 80 with them (QEMU writes all 80 with none).
control_region = with_extra(
    "region_index" / Int16ul,
    "vendor_id" / Int16ul,
    "device_id" / Int16ul,
    "revision_id" / Int16ul,
    "subsystem_vendor_id" / Int16ul,
    "subsystem_device_id" / Int16ul,
    "subsystem_revision_id" / Int16ul,
    "valid_fields" / Int8ul,  # bit 0: the manufacturing location and date are valid
    "manufacturing_location" / Int8ul,
    "manufacturing_date" / Int16ul,
    "reserved1" / Int16ul,
    "serial_number" / Int32ul,
    "region_format_interface_code" / Int16ul,
    "windows" / Int16ul,  # block control windows; the fields below describe them
    "window_size" / Optional(Int64ul),
    "command_offset" / Optional(Int64ul),
    "command_size" / Optional(Int64ul),
    "status_offset" / Optional(Int64ul),
    "status_size" / Optional(Int64ul),
    "flags" / Optional(Int16ul),  # NfitControlRegionFlags
    "reserved2" / Optional(Bytes(6)),
)

# ACPI 6.5 §5.2.26.7 NVDIMM Block Data Window Region Structure (type 5, 40 bytes)
block_data_window = with_extra(
    "region_index" / Int16ul,
    "windows" / Int16ul,
    "offset" / Int64ul,
    "size" / Int64ul,
    "capacity" / Int64ul,
    "start_address" / Int64ul,
)

# ACPI 6.5 §5.2.26.8 Flush Hint Address Structure (type 6, 16 bytes and 8 per address)
flush_hint_address = with_extra(
    "device_handle" / Int32ul,
    "hint_count" / Int16ul,
    "reserved" / Bytes(6),
    "hint_addresses" / Array(this.hint_count, Int64ul),
)

# ACPI 6.5 §5.2.26.9 Platform Capabilities Structure (type 7, 16 bytes)
platform_capabilities = with_extra(
    "highest_valid_capability" / Int8ul,
    "reserved1" / Bytes(3),
    "capabilities" / Int32ul,  # NfitCapabilities
    "reserved2" / Int32ul,
)


# ACPI 6.5 §5.2.26.1 Table 5.132 NFIT structure types; 8 and above are reserved.
class NfitType(IntEnum):
    SPA_RANGE = 0
    REGION_MAPPING = 1
    INTERLEAVE = 2
    SMBIOS = 3
    CONTROL_REGION = 4
    BLOCK_DATA_WINDOW = 5
    FLUSH_HINT_ADDRESS = 6
    PLATFORM_CAPABILITIES = 7


NFIT_SUBTABLES: dict[int, Construct] = {
    NfitType.SPA_RANGE: spa_range, NfitType.REGION_MAPPING: region_mapping, NfitType.INTERLEAVE: interleave,
    NfitType.SMBIOS: smbios, NfitType.CONTROL_REGION: control_region, NfitType.BLOCK_DATA_WINDOW: block_data_window,
    NfitType.FLUSH_HINT_ADDRESS: flush_hint_address, NfitType.PLATFORM_CAPABILITIES: platform_capabilities,
}

# ACPI 6.5 §5.2.26 NVDIMM Firmware Interface Table: the header, 4 reserved bytes, then structures with a 2-byte
# type and a 2-byte length.
nfit = table(
    "reserved" / Int32ul,
    "subtables" / GreedyRange(type_length_subtable(NFIT_SUBTABLES, Int16ul, Int16ul)),
)

# The spec's name of each structure type, for display.
NFIT_TYPES = {
    NfitType.SPA_RANGE: "System Physical Address (SPA) Range",
    NfitType.REGION_MAPPING: "NVDIMM Region Mapping",
    NfitType.INTERLEAVE: "Interleave",
    NfitType.SMBIOS: "SMBIOS Management Information",
    NfitType.CONTROL_REGION: "NVDIMM Control Region",
    NfitType.BLOCK_DATA_WINDOW: "NVDIMM Block Data Window Region",
    NfitType.FLUSH_HINT_ADDRESS: "Flush Hint Address",
    NfitType.PLATFORM_CAPABILITIES: "Platform Capabilities",
}
NFIT_SUBTABLE_SIZES = {NfitType.REGION_MAPPING: 48, NfitType.BLOCK_DATA_WINDOW: 40, NfitType.PLATFORM_CAPABILITIES: 16}


# ACPI 6.5 §5.2.26.2 SPA range flags.
class NfitSpaFlags(IntFlag):
    CONTROL_REGION_FOR_HOT_ADD = 1 << 0
    PROXIMITY_DOMAIN_VALID = 1 << 1
    LOCATION_COOKIE_VALID = 1 << 2



def _efi_guid(text: str) -> bytes:
    """A GUID as the table stores it: the first three groups little-endian (EFI byte order)."""
    return uuid.UUID(text).bytes_le


# ACPI 6.5 §5.2.26.2 Table 5.134 Address Range Type GUIDs, as stored -> name.
NFIT_SPA_GUIDS = {
    _efi_guid("7305944f-fdda-44e3-b16c-3f22d252e5d0"): "Volatile Memory",
    _efi_guid("66f0d379-b4f3-4074-ac43-0d3318b78cdb"): "Persistent Memory (PM) Region",
    _efi_guid("92f701f6-13b4-405d-910b-299367e8234c"): "NVDIMM Control Region",
    _efi_guid("91af0530-5d86-470e-a6b0-0a2db9408249"): "NVDIMM Block Data Window Region",
    _efi_guid("77ab535a-45fc-624b-5560-f7b281d1f96e"): "RAM Disk, Virtual Disk, Volatile",
    _efi_guid("3d5abd30-4175-87ce-6d64-d2ade523c4bb"): "RAM Disk, Virtual CD, Volatile",
    _efi_guid("5cea02c9-4d07-69d3-269f-4496fbe096f9"): "RAM Disk, Virtual Disk, Persistent",
    _efi_guid("08018188-42cd-bb48-100f-5387d53ded3d"): "RAM Disk, Virtual CD, Persistent",
}


# ACPI 6.5 §5.2.26.3 NVDIMM state flags.
class NfitRegionMappingFlags(IntFlag):
    SAVE_FAILED = 1 << 0
    RESTORE_FAILED = 1 << 1
    FLUSH_FAILED = 1 << 2
    NOT_ARMED = 1 << 3
    HEALTH_OBSERVED = 1 << 4
    HEALTH_ENABLED = 1 << 5
    MAP_FAILED = 1 << 6


# ACPI 6.5 §5.2.26.6 NVDIMM Control Region flags.
class NfitControlRegionFlags(IntFlag):
    BUFFERED = 1 << 0


# ACPI 6.5 §5.2.26.9 Platform capabilities.
class NfitCapabilities(IntFlag):
    CPU_CACHE_FLUSH_TO_NVDIMM = 1 << 0
    MEMORY_CONTROLLER_FLUSH_TO_NVDIMM = 1 << 1
    BYTE_ADDRESSABLE_PERSISTENT_MEMORY_MIRRORING = 1 << 2
