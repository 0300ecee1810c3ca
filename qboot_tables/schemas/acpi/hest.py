"""HEST: the Hardware Error Source Table, one structure per error source the platform reports.

Error source structures carry a type but no length: each type has a fixed size, plus an array of 28-byte
machine check banks for the IA-32 types. So the list cannot step over a type it does not know; it stops there
and the bytes left stay in the table's `extra`.
"""
from enum import IntEnum, IntFlag

from construct import (Array, BytesInteger, Check, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Struct,
                       Switch, this)

from qboot_tables.schemas.common import generic_address, table

# ACPI 6.5 §18.3.2, Hardware Error Notification Structure (28 bytes)
hest_notification = Struct(
    "notify_type" / Int8ul,  # HestNotifyType
    "notify_length" / Int8ul,  # 28
    "configuration_write_enable" / Int16ul,  # HestNotifyConfigWriteEnable
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
    "status_data_format" / Int8ul,  # HestBankFormat
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
    "flags" / Int8ul,  # HestSourceFlags
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
    "flags" / Int8ul,  # HestSourceFlags
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
    "flags" / Int8ul,  # HestAerFlags
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


# ACPI 6.5 §18.3.2 error source types; 3-5 are not used, 12 and above reserved.
class HestType(IntEnum):
    IA32_MACHINE_CHECK = 0
    IA32_CORRECTED_MACHINE_CHECK = 1
    IA32_NMI = 2
    PCIE_ROOT_PORT_AER = 6
    PCIE_DEVICE_AER = 7
    PCIE_BRIDGE_AER = 8
    GENERIC_HARDWARE_ERROR_SOURCE = 9
    GENERIC_HARDWARE_ERROR_SOURCE_V2 = 10
    IA32_DEFERRED_MACHINE_CHECK = 11


# Error source type -> body schema. A type not listed has no size anyone knows, so Check(False) fails it and
# the GreedyRange below ends the list there.
HEST_SOURCES = {
    HestType.IA32_MACHINE_CHECK: ia32_machine_check,
    HestType.IA32_CORRECTED_MACHINE_CHECK: ia32_corrected_machine_check,
    HestType.IA32_NMI: ia32_nmi,
    HestType.PCIE_ROOT_PORT_AER: pcie_root_port_aer,
    HestType.PCIE_DEVICE_AER: pcie_device_aer,
    HestType.PCIE_BRIDGE_AER: pcie_bridge_aer,
    HestType.GENERIC_HARDWARE_ERROR_SOURCE: generic_hardware_error_source,
    HestType.GENERIC_HARDWARE_ERROR_SOURCE_V2: generic_hardware_error_source_v2,
    HestType.IA32_DEFERRED_MACHINE_CHECK: ia32_corrected_machine_check,
}
hest_error_source = Struct(
    "type" / Int16ul,  # HestType
    "source_id" / Int16ul,
    "body" / Switch(this.type, HEST_SOURCES, default=Check(False)),
)

# ACPI 6.5 §18.3.2 Hardware Error Source Table (HEST)
hest = table(
    "error_source_count" / Int32ul,
    "error_sources" / GreedyRange(hest_error_source),
)
HEST_MIN_LENGTH = 40

# The spec's name of each error source type, for display.
HEST_TYPES = {
    HestType.IA32_MACHINE_CHECK: "IA-32 Architecture Machine Check Exception",
    HestType.IA32_CORRECTED_MACHINE_CHECK: "IA-32 Architecture Corrected Machine Check",
    HestType.IA32_NMI: "IA-32 Architecture NMI Error",
    HestType.PCIE_ROOT_PORT_AER: "PCI Express Root Port AER",
    HestType.PCIE_DEVICE_AER: "PCI Express Device AER",
    HestType.PCIE_BRIDGE_AER: "PCI Express/PCI-X Bridge AER",
    HestType.GENERIC_HARDWARE_ERROR_SOURCE: "Generic Hardware Error Source",
    HestType.GENERIC_HARDWARE_ERROR_SOURCE_V2: "Generic Hardware Error Source version 2",
    HestType.IA32_DEFERRED_MACHINE_CHECK: "IA-32 Architecture Deferred Machine Check",
}
# The types with machine check banks, and the PCI Express AER types.
HEST_IA32_TYPES = (HestType.IA32_MACHINE_CHECK, HestType.IA32_CORRECTED_MACHINE_CHECK,
                   HestType.IA32_DEFERRED_MACHINE_CHECK)
HEST_AER_TYPES = (HestType.PCIE_ROOT_PORT_AER, HestType.PCIE_DEVICE_AER, HestType.PCIE_BRIDGE_AER)
# Size of each type without its banks (type and source ID included).
HEST_SOURCE_SIZES = {
    HestType.IA32_MACHINE_CHECK: 40, HestType.IA32_CORRECTED_MACHINE_CHECK: 48, HestType.IA32_NMI: 20,
    HestType.PCIE_ROOT_PORT_AER: 48, HestType.PCIE_DEVICE_AER: 44, HestType.PCIE_BRIDGE_AER: 56,
    HestType.GENERIC_HARDWARE_ERROR_SOURCE: 64, HestType.GENERIC_HARDWARE_ERROR_SOURCE_V2: 92,
    HestType.IA32_DEFERRED_MACHINE_CHECK: 48,
}
HEST_BANK_SIZE = 28


# ACPI 6.5 §18.3.2.1 flags of the IA-32 machine check sources.
class HestSourceFlags(IntFlag):
    FIRMWARE_FIRST = 1 << 0
    GHES_ASSIST = 1 << 2


# ACPI 6.5 §18.3.2.3 flags of the PCI Express AER sources.
class HestAerFlags(IntFlag):
    FIRMWARE_FIRST = 1 << 0
    GLOBAL = 1 << 1


# ACPI 6.5 §18.3.2.1.1 machine check bank status data formats.
class HestBankFormat(IntEnum):
    IA32_MCA = 0
    INTEL64_MCA = 1
    AMD64_MCA = 2


# The spec's name of each status data format, for display.
HEST_BANK_FORMATS = {HestBankFormat.IA32_MCA: "IA-32 MCA", HestBankFormat.INTEL64_MCA: "Intel 64 MCA",
                     HestBankFormat.AMD64_MCA: "AMD64 MCA"}


# ACPI 6.5 §18.3.2, Hardware Error Notification Structure: notification types; 12 and above reserved.
class HestNotifyType(IntEnum):
    POLLED = 0
    EXTERNAL_INTERRUPT = 1
    LOCAL_INTERRUPT = 2
    SCI = 3
    NMI = 4
    CMCI = 5
    MCE = 6
    GPIO_SIGNAL = 7
    ARMV8_SEA = 8
    ARMV8_SEI = 9
    EXTERNAL_INTERRUPT_GSIV = 10
    SOFTWARE_DELEGATED_EXCEPTION = 11


# The spec's name of each notification type, for display.
HEST_NOTIFY_TYPES = {
    HestNotifyType.POLLED: "Polled", HestNotifyType.EXTERNAL_INTERRUPT: "External Interrupt",
    HestNotifyType.LOCAL_INTERRUPT: "Local Interrupt", HestNotifyType.SCI: "SCI", HestNotifyType.NMI: "NMI",
    HestNotifyType.CMCI: "CMCI", HestNotifyType.MCE: "MCE", HestNotifyType.GPIO_SIGNAL: "GPIO-Signal",
    HestNotifyType.ARMV8_SEA: "ARMv8 SEA", HestNotifyType.ARMV8_SEI: "ARMv8 SEI",
    HestNotifyType.EXTERNAL_INTERRUPT_GSIV: "External Interrupt - GSIV",
    HestNotifyType.SOFTWARE_DELEGATED_EXCEPTION: "Software Delegated Exception",
}


# ACPI 6.5 §18.3.2, Hardware Error Notification Structure: Configuration Write Enable, one bit per field that
# OSPM may change.
class HestNotifyConfigWriteEnable(IntFlag):
    TYPE = 1 << 0
    POLL_INTERVAL = 1 << 1
    SWITCH_TO_POLLING_THRESHOLD_VALUE = 1 << 2
    SWITCH_TO_POLLING_THRESHOLD_WINDOW = 1 << 3
    ERROR_THRESHOLD_VALUE = 1 << 4
    ERROR_THRESHOLD_WINDOW = 1 << 5
