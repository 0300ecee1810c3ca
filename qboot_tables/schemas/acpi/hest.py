"""HEST: the Hardware Error Source Table, one structure per error source the platform reports.

Error source structures carry a type but no length: each type has a fixed size, plus an array of 28-byte
machine check banks for the IA-32 types. So the list cannot step over a type it does not know; it stops there
and the bytes left stay in the table's `extra`.
"""
from construct import (Array, BytesInteger, Check, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Struct,
                       Switch, this)

from qboot_tables.schemas.common import generic_address, table

# ACPI 6.5 §18.3.2, Hardware Error Notification Structure (28 bytes)
hest_notification = Struct(
    "notify_type" / Int8ul,  # HEST_NOTIFY_TYPES
    "notify_length" / Int8ul,  # 28
    "configuration_write_enable" / Int16ul,  # HEST_NOTIFY_CONFIG_WRITE_ENABLE
    "poll_interval" / Int32ul,  # milliseconds
    "vector" / Int32ul,
    "polling_threshold_value" / Int32ul,
    "polling_threshold_window" / Int32ul,  # milliseconds
    "error_threshold_value" / Int32ul,
    "error_threshold_window" / Int32ul,  # milliseconds
)

# ACPI 6.5 §18.3.2.1.1 IA-32 Architecture Machine Check Bank Structure (28 bytes)
hest_bank = Struct(
    "bank_number" / Int8ul,
    "clear_status_on_init" / Int8ul,
    "status_data_format" / Int8ul,  # HEST_BANK_FORMATS
    "reserved" / Int8ul,
    "control_register_msr_address" / Int32ul,
    "control_init_data" / Int64ul,
    "status_register_msr_address" / Int32ul,
    "address_register_msr_address" / Int32ul,
    "misc_register_msr_address" / Int32ul,
)

# ACPI 6.5 §18.3.2.1 IA-32 Architecture Machine Check Exception (type 0, 40 bytes and the banks)
ia32_machine_check = Struct(
    "reserved1" / Int16ul,
    "flags" / Int8ul,  # HEST_SOURCE_FLAGS
    "enabled" / Int8ul,
    "records_to_preallocate" / Int32ul,
    "max_sections_per_record" / Int32ul,
    "global_capability_init_data" / Int64ul,
    "global_control_init_data" / Int64ul,
    "number_of_hardware_banks" / Int8ul,
    "reserved2" / BytesInteger(7, swapped=True),
    "banks" / Array(this.number_of_hardware_banks, hest_bank),
)

# ACPI 6.5 §18.3.2.2 IA-32 Architecture Corrected Machine Check (type 1, 48 bytes and the banks), and the
# IA-32 Architecture Deferred Machine Check of §18.3.2 (type 11, ACPI 6.3), which has the same layout.
ia32_corrected_machine_check = Struct(
    "reserved1" / Int16ul,
    "flags" / Int8ul,  # HEST_SOURCE_FLAGS
    "enabled" / Int8ul,
    "records_to_preallocate" / Int32ul,
    "max_sections_per_record" / Int32ul,
    "notification_structure" / hest_notification,
    "number_of_hardware_banks" / Int8ul,
    "reserved2" / Int24ul,
    "banks" / Array(this.number_of_hardware_banks, hest_bank),
)

# ACPI 6.5 §18.3.2.2.1 IA-32 Architecture Non-Maskable Interrupt Structure (type 2, 20 bytes)
ia32_nmi = Struct(
    "reserved" / Int32ul,
    "records_to_preallocate" / Int32ul,
    "max_sections_per_record" / Int32ul,
    "max_raw_data_length" / Int32ul,
)

# The fields the three PCI Express AER structures share, after the type and source ID: ACPI 6.5 §18.3.2.3
# PCI Express Root Port AER Structure (type 6, 48 bytes), §18.3.2.4 PCI Express Device AER Structure (type 7,
# 44 bytes), §18.3.2.5 PCI Express/PCI-X Bridge AER Structure (type 8, 56 bytes).
_aer_fields = (
    "reserved1" / Int16ul,
    "flags" / Int8ul,  # HEST_AER_FLAGS
    "enabled" / Int8ul,
    "records_to_preallocate" / Int32ul,
    "max_sections_per_record" / Int32ul,
    "bus" / Int32ul,  # bits 7:0 bus, 15:8 segment
    "device" / Int16ul,
    "function" / Int16ul,
    "device_control" / Int16ul,
    "reserved2" / Int16ul,
    "uncorrectable_error_mask" / Int32ul,
    "uncorrectable_error_severity" / Int32ul,
    "correctable_error_mask" / Int32ul,
    "advanced_error_capabilities_and_control" / Int32ul,
)
pcie_root_port_aer = Struct(*_aer_fields, "root_error_command" / Int32ul)
pcie_device_aer = Struct(*_aer_fields)
pcie_bridge_aer = Struct(
    *_aer_fields,
    "secondary_uncorrectable_error_mask" / Int32ul,
    "secondary_uncorrectable_error_severity" / Int32ul,
    "secondary_advanced_capabilities_and_control" / Int32ul,
)

# ACPI 6.5 §18.3.2.6 Generic Hardware Error Source Structure (type 9, 64 bytes)
_ghes_fields = (
    "related_source_id" / Int16ul,  # 0xFFFF: none
    "reserved" / Int8ul,
    "enabled" / Int8ul,
    "records_to_preallocate" / Int32ul,
    "max_sections_per_record" / Int32ul,
    "max_raw_data_length" / Int32ul,
    "error_status_address" / generic_address,
    "notification_structure" / hest_notification,
    "error_status_block_length" / Int32ul,
)
generic_hardware_error_source = Struct(*_ghes_fields)
# ACPI 6.5 §18.3.2, Generic Hardware Error Source version 2 (GHESv2) Structure (type 10, 92 bytes, ACPI 6.1)
generic_hardware_error_source_v2 = Struct(
    *_ghes_fields,
    "read_ack_register" / generic_address,
    "read_ack_preserve" / Int64ul,
    "read_ack_write" / Int64ul,
)

# Error source type -> body schema. A type not listed has no size anyone knows, so Check(False) fails it and
# the GreedyRange below ends the list there.
HEST_SOURCES = {
    0: ia32_machine_check,
    1: ia32_corrected_machine_check,
    2: ia32_nmi,
    6: pcie_root_port_aer,
    7: pcie_device_aer,
    8: pcie_bridge_aer,
    9: generic_hardware_error_source,
    10: generic_hardware_error_source_v2,
    11: ia32_corrected_machine_check,
}
hest_error_source = Struct(
    "type" / Int16ul,  # HEST_TYPES
    "source_id" / Int16ul,
    "body" / Switch(this.type, HEST_SOURCES, default=Check(False)),
)

# ACPI 6.5 §18.3.2 Hardware Error Source Table (HEST)
hest = table(
    "error_source_count" / Int32ul,
    "error_sources" / GreedyRange(hest_error_source),
)
HEST_MIN_LENGTH = 40

# ACPI 6.5 §18.3.2 error source types; 3-5 are not used, 12 and above reserved.
HEST_TYPES = {
    0: "IA-32 Architecture Machine Check Exception",
    1: "IA-32 Architecture Corrected Machine Check",
    2: "IA-32 Architecture NMI Error",
    6: "PCI Express Root Port AER",
    7: "PCI Express Device AER",
    8: "PCI Express/PCI-X Bridge AER",
    9: "Generic Hardware Error Source",
    10: "Generic Hardware Error Source version 2",
    11: "IA-32 Architecture Deferred Machine Check",
}
# Size of each type without its banks (type and source ID included).
HEST_SOURCE_SIZES = {0: 40, 1: 48, 2: 20, 6: 48, 7: 44, 8: 56, 9: 64, 10: 92, 11: 48}
HEST_BANK_SIZE = 28
# ACPI 6.5 §18.3.2.1 flags of the IA-32 machine check sources, bit -> name.
HEST_SOURCE_FLAGS = {0: "FIRMWARE_FIRST", 2: "GHES_ASSIST"}
# ACPI 6.5 §18.3.2.3 flags of the PCI Express AER sources, bit -> name.
HEST_AER_FLAGS = {0: "FIRMWARE_FIRST", 1: "GLOBAL"}
# ACPI 6.5 §18.3.2.1.1 machine check bank status data formats.
HEST_BANK_FORMATS = {0: "IA-32 MCA", 1: "Intel 64 MCA", 2: "AMD64 MCA"}
# ACPI 6.5 §18.3.2, Hardware Error Notification Structure: notification types; 12 and above reserved.
HEST_NOTIFY_TYPES = {
    0: "Polled", 1: "External Interrupt", 2: "Local Interrupt", 3: "SCI", 4: "NMI", 5: "CMCI", 6: "MCE",
    7: "GPIO-Signal", 8: "ARMv8 SEA", 9: "ARMv8 SEI", 10: "External Interrupt - GSIV",
    11: "Software Delegated Exception",
}
# ACPI 6.5 §18.3.2, Hardware Error Notification Structure: Configuration Write Enable, bit -> the field that
# OSPM may change.
HEST_NOTIFY_CONFIG_WRITE_ENABLE = {
    0: "TYPE", 1: "POLL_INTERVAL", 2: "SWITCH_TO_POLLING_THRESHOLD_VALUE",
    3: "SWITCH_TO_POLLING_THRESHOLD_WINDOW", 4: "ERROR_THRESHOLD_VALUE", 5: "ERROR_THRESHOLD_WINDOW",
}
