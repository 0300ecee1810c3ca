"""SMBIOS structure types 2, 5-15, 18, 20-31, 33-46 and 126: their body schemas and name tables (data only)."""
from construct import Array, Bytes, GreedyBytes, If, Int8ul, Int16ul, Int32ul, Int64ul, Optional, Struct, this

from qboot_tables.schemas.smbios_fields import (HANDLE, STRING, body, counted, end_of, fields_after,
                                                fields_at_spec_offsets)

# Citations are to DMTF DSP0134 (SMBIOS) 3.6.0; "(2.1+)" says which version added a field. The name tables use
# the wording dmidecode 3.4 prints, so that its output can serve as the oracle.

# §7.3 Baseboard (or Module) Information (Type 2).
baseboard = body(
    *fields_at_spec_offsets(
        "manufacturer" / STRING,
        "product" / STRING,
        "version" / STRING,
        "serial_number" / STRING,
        "asset_tag" / STRING,
        "feature_flags" / Int8ul,
        "location_in_chassis" / STRING,
        "chassis_handle" / HANDLE,
        "board_type" / Int8ul,
        "number_of_contained_object_handles" / Int8ul,
    ),
    "contained_object_handles" / counted("number_of_contained_object_handles", 0x0F, 2, HANDLE),
)

# §7.6 Memory Controller Information (Type 5), obsolete since 2.1.
memory_controller = body(
    *fields_at_spec_offsets(
        "error_detecting_method" / Int8ul,
        "error_correcting_capability" / Int8ul,
        "supported_interleave" / Int8ul,
        "current_interleave" / Int8ul,
        "maximum_memory_module_size" / Int8ul,  # 2^n MB per module
        "supported_speeds" / Int16ul,
        "supported_memory_types" / Int16ul,
        "memory_module_voltage" / Int8ul,
        "number_of_associated_memory_slots" / Int8ul,
    ),
    "memory_module_configuration_handles" / counted("number_of_associated_memory_slots", 0x0F, 2, HANDLE),
    *fields_after(end_of("number_of_associated_memory_slots", 0x0F, 2),
                  "enabled_error_correcting_capabilities" / Int8ul),  # 2.1+
)

# §7.7 Memory Module Information (Type 6), obsolete since 2.1.
memory_module = body(*fields_at_spec_offsets(
    "socket_designation" / STRING,
    "bank_connections" / Int8ul,  # two RAS# lines, a nibble each; Fh none
    "current_speed" / Int8ul,  # ns; 0 unknown
    "current_memory_type" / Int16ul,
    "installed_size" / Int8ul,
    "enabled_size" / Int8ul,
    "error_status" / Int8ul,
))

# §7.8 Cache Information (Type 7).
cache = body(*fields_at_spec_offsets(
    "socket_designation" / STRING,
    "cache_configuration" / Int16ul,
    "maximum_cache_size" / Int16ul,  # bit 15: 64K granularity, else 1K
    "installed_size" / Int16ul,
    "supported_sram_type" / Int16ul,
    "current_sram_type" / Int16ul,
    "cache_speed" / Int8ul,  # 2.1+, ns
    "error_correction_type" / Int8ul,  # 2.1+
    "system_cache_type" / Int8ul,  # 2.1+
    "associativity" / Int8ul,  # 2.1+
    "maximum_cache_size_2" / Int32ul,  # 3.1+, bit 31: 64K granularity
    "installed_cache_size_2" / Int32ul,  # 3.1+
))

# §7.9 Port Connector Information (Type 8).
port_connector = body(*fields_at_spec_offsets(
    "internal_reference_designator" / STRING,
    "internal_connector_type" / Int8ul,
    "external_reference_designator" / STRING,
    "external_connector_type" / Int8ul,
    "port_type" / Int8ul,
))

# §7.10 System Slots (Type 9). The peer groups (3.2+) are n records of 5 bytes from 13h, so the fields
# after them (3.4+) sit at 13h + 5n.
PEER_GROUPS_OFFSET = 0x13
peer_group = Struct(
    "segment_group_number" / Int16ul,
    "bus_number" / Int8ul,
    "device_function_number" / Int8ul,  # device in bits 7:3, function in bits 2:0
    "data_bus_width" / Int8ul,
)
system_slots = body(
    *fields_at_spec_offsets(
        "slot_designation" / STRING,
        "slot_type" / Int8ul,
        "slot_data_bus_width" / Int8ul,
        "current_usage" / Int8ul,
        "slot_length" / Int8ul,
        "slot_id" / Int16ul,
        "slot_characteristics_1" / Int8ul,
        "slot_characteristics_2" / Int8ul,  # 2.1+
        "segment_group_number" / Int16ul,  # 2.6+
        "bus_number" / Int8ul,  # 2.6+
        "device_function_number" / Int8ul,  # 2.6+
        "data_bus_width" / Int8ul,  # 3.2+
        "peer_grouping_count" / Int8ul,  # 3.2+
    ),
    "peer_groups" / counted("peer_grouping_count", PEER_GROUPS_OFFSET, peer_group.sizeof(), peer_group),
    *fields_after(end_of("peer_grouping_count", PEER_GROUPS_OFFSET, peer_group.sizeof()),
                  "slot_information" / Int8ul,  # 3.4+
                  "slot_physical_width" / Int8ul,  # 3.4+
                  "slot_pitch" / Int16ul,  # 3.4+, 1/100 mm
                  "slot_height" / Int8ul),  # 3.5+
)

# §7.11 On Board Devices Information (Type 10), obsolete since 3.2: (length - 4) / 2 devices.
on_board_device = Struct(
    "device_type" / Int8ul,  # bit 7 enabled, bits 6:0 the type (§7.11.1)
    "description" / STRING,
)
on_board_devices = body("devices" / Array(lambda ctx: (ctx._.length - 4) // 2, on_board_device))

# §7.12 OEM Strings (Type 11) and §7.13 System Configuration Options (Type 12): a count; the strings are the set.
oem_strings = body(*fields_at_spec_offsets("count" / Int8ul))
system_configuration_options = body(*fields_at_spec_offsets("count" / Int8ul))

# §7.14 BIOS Language Information (Type 13).
bios_language = body(*fields_at_spec_offsets(
    "installable_languages" / Int8ul,
    "flags" / Int8ul,  # 2.1+, bit 0: abbreviated format
    "reserved" / Bytes(15),
    "current_language" / STRING,
))

# §7.15 Group Associations (Type 14): a name, then (length - 5) / 3 items.
group_item = Struct("item_type" / Int8ul, "item_handle" / HANDLE)
group_associations = body(
    *fields_at_spec_offsets("group_name" / STRING),
    "group_items" / Array(lambda ctx: max(ctx._.length - 5, 0) // 3, group_item),
)

# §7.16 System Event Log (Type 15).
log_type_descriptor = Struct("log_type" / Int8ul, "variable_data_format_type" / Int8ul)
system_event_log = body(
    *fields_at_spec_offsets(
        "log_area_length" / Int16ul,
        "log_header_start_offset" / Int16ul,
        "log_data_start_offset" / Int16ul,
        "access_method" / Int8ul,
        "log_status" / Int8ul,
        "log_change_token" / Int32ul,
        "access_method_address" / Int32ul,
        "log_header_format" / Int8ul,  # 2.1+
        "number_of_supported_log_type_descriptors" / Int8ul,  # 2.1+
        "length_of_each_log_type_descriptor" / Int8ul,  # 2.1+, 2
    ),
    "log_type_descriptors" / If(
        lambda ctx: ctx.length_of_each_log_type_descriptor == 2
        and ctx._.length >= 0x17 + 2 * ctx.number_of_supported_log_type_descriptors,
        Array(this.number_of_supported_log_type_descriptors, log_type_descriptor)),
)

# §7.19 32-Bit Memory Error Information (Type 18) and §7.34 64-Bit (Type 33).
memory_error_32 = body(*fields_at_spec_offsets(
    "error_type" / Int8ul,
    "error_granularity" / Int8ul,
    "error_operation" / Int8ul,
    "vendor_syndrome" / Int32ul,
    "memory_array_error_address" / Int32ul,  # 8000_0000h unknown
    "device_error_address" / Int32ul,
    "error_resolution" / Int32ul,
))
memory_error_64 = body(*fields_at_spec_offsets(
    "error_type" / Int8ul,
    "error_granularity" / Int8ul,
    "error_operation" / Int8ul,
    "vendor_syndrome" / Int32ul,
    "memory_array_error_address" / Int64ul,  # 8000_0000_0000_0000h unknown
    "device_error_address" / Int64ul,
    "error_resolution" / Int32ul,
))

# §7.21 Memory Device Mapped Address (Type 20).
memory_device_mapped_address = body(*fields_at_spec_offsets(
    "starting_address" / Int32ul,  # KiB; FFFF_FFFFh: see the extended addresses
    "ending_address" / Int32ul,  # KiB, inclusive
    "memory_device_handle" / HANDLE,
    "memory_array_mapped_address_handle" / HANDLE,
    "partition_row_position" / Int8ul,  # FFh unknown
    "interleave_position" / Int8ul,  # 0 not interleaved, FFh unknown
    "interleaved_data_depth" / Int8ul,  # 0 not interleaved, FFh unknown
    "extended_starting_address" / Int64ul,  # 2.7+, bytes
    "extended_ending_address" / Int64ul,  # 2.7+, bytes
))

# §7.22 Built-in Pointing Device (Type 21).
pointing_device = body(*fields_at_spec_offsets(
    "pointing_type" / Int8ul,
    "interface" / Int8ul,
    "number_of_buttons" / Int8ul,
))

# §7.23 Portable Battery (Type 22).
portable_battery = body(*fields_at_spec_offsets(
    "location" / STRING,
    "manufacturer" / STRING,
    "manufacture_date" / STRING,
    "serial_number" / STRING,
    "device_name" / STRING,
    "device_chemistry" / Int8ul,  # 02h unknown: see sbds_device_chemistry
    "design_capacity" / Int16ul,  # mWh, times design_capacity_multiplier
    "design_voltage" / Int16ul,  # mV
    "sbds_version_number" / STRING,
    "maximum_error_in_battery_data" / Int8ul,  # %; FFh unknown
    "sbds_serial_number" / Int16ul,  # 2.2+
    "sbds_manufacture_date" / Int16ul,  # 2.2+, bits 15:9 year - 1980, 8:5 month, 4:0 day
    "sbds_device_chemistry" / STRING,  # 2.2+
    "design_capacity_multiplier" / Int8ul,  # 2.2+
    "oem_specific" / Int32ul,  # 2.2+
))

# §7.24 System Reset (Type 23).
system_reset = body(*fields_at_spec_offsets(
    "capabilities" / Int8ul,
    "reset_count" / Int16ul,  # FFFFh unknown
    "reset_limit" / Int16ul,  # FFFFh unknown
    "timer_interval" / Int16ul,  # minutes; FFFFh unknown
    "timeout" / Int16ul,  # minutes; FFFFh unknown
))

# §7.25 Hardware Security (Type 24).
hardware_security = body(*fields_at_spec_offsets("hardware_security_settings" / Int8ul))

# §7.26 System Power Controls (Type 25): the next scheduled power-on, each field BCD (FFh: any).
system_power_controls = body(*fields_at_spec_offsets(
    "next_scheduled_power_on_month" / Int8ul,
    "next_scheduled_power_on_day_of_month" / Int8ul,
    "next_scheduled_power_on_hour" / Int8ul,
    "next_scheduled_power_on_minute" / Int8ul,
    "next_scheduled_power_on_second" / Int8ul,
))


def probe():
    """§7.27 Voltage Probe (Type 26), §7.29 Temperature Probe (Type 28), §7.30 Electrical Current Probe (Type 29):
    one layout, in mV, 1/10 degC or mA; 8000h unknown."""
    return body(*fields_at_spec_offsets(
        "description" / STRING,
        "location_and_status" / Int8ul,  # bits 7:5 status, bits 4:0 location
        "maximum_value" / Int16ul,
        "minimum_value" / Int16ul,
        "resolution" / Int16ul,  # 1/10 mV, 1/1000 degC or 1/10 mA
        "tolerance" / Int16ul,
        "accuracy" / Int16ul,  # 1/100 %
        "oem_defined" / Int32ul,
        "nominal_value" / Int16ul,  # present when the length is over 14h
    ))


voltage_probe, temperature_probe, current_probe = probe(), probe(), probe()

# §7.28 Cooling Device (Type 27).
cooling_device = body(*fields_at_spec_offsets(
    "temperature_probe_handle" / HANDLE,  # FFFFh none
    "device_type_and_status" / Int8ul,  # bits 7:5 status, bits 4:0 type
    "cooling_unit_group" / Int8ul,  # 0 not in a group
    "oem_defined" / Int32ul,
    "nominal_speed" / Int16ul,  # rpm; 8000h unknown (present when the length is over 0Ch)
    "description" / STRING,  # 2.7+
))

# §7.31 Out-of-Band Remote Access (Type 30).
out_of_band_remote_access = body(*fields_at_spec_offsets(
    "manufacturer_name" / STRING,
    "connections" / Int8ul,  # bit 0 inbound, bit 1 outbound
))

# §7.32 Boot Integrity Services (BIS) Entry Point (Type 31).
bis_entry_point = body(*fields_at_spec_offsets(
    "checksum" / Int8ul,  # the formatted area sums to 0
    "reserved_1" / Int8ul,
    "reserved_2" / Int16ul,
    "bis_entry_16" / Int32ul,  # segment:offset
    "bis_entry_32" / Int32ul,
    "reserved_3" / Int64ul,
    "reserved_4" / Int32ul,
))

# §7.35 Management Device (Type 34).
management_device = body(*fields_at_spec_offsets(
    "description" / STRING,
    "device_type" / Int8ul,
    "address" / Int32ul,
    "address_type" / Int8ul,
))

# §7.36 Management Device Component (Type 35).
management_device_component = body(*fields_at_spec_offsets(
    "description" / STRING,
    "management_device_handle" / HANDLE,
    "component_handle" / HANDLE,
    "threshold_handle" / HANDLE,  # FFFFh none
))

# §7.37 Management Device Threshold Data (Type 36): signed values; 8000h not available.
management_device_threshold = body(*fields_at_spec_offsets(
    "lower_threshold_non_critical" / Int16ul,
    "upper_threshold_non_critical" / Int16ul,
    "lower_threshold_critical" / Int16ul,
    "upper_threshold_critical" / Int16ul,
    "lower_threshold_non_recoverable" / Int16ul,
    "upper_threshold_non_recoverable" / Int16ul,
))

# §7.38 Memory Channel (Type 37): n (load, handle) pairs from 07h.
channel_device = Struct("load" / Int8ul, "handle" / HANDLE)
memory_channel = body(
    *fields_at_spec_offsets(
        "channel_type" / Int8ul,
        "maximum_channel_load" / Int8ul,
        "memory_device_count" / Int8ul,
    ),
    "devices" / counted("memory_device_count", 0x07, 3, channel_device),
)

# §7.39 IPMI Device Information (Type 38).
ipmi_device = body(*fields_at_spec_offsets(
    "interface_type" / Int8ul,
    "ipmi_specification_revision" / Int8ul,  # BCD-like: major in 7:4, minor in 3:0
    "i2c_target_address" / Int8ul,
    "nv_storage_device_address" / Int8ul,  # FFh none
    "base_address" / Int64ul,  # bit 0: I/O space
    "base_address_modifier" / Int8ul,  # present when the length is over 10h
    "interrupt_number" / Int8ul,
))

# §7.40 System Power Supply (Type 39).
system_power_supply = body(*fields_at_spec_offsets(
    "power_unit_group" / Int8ul,
    "location" / STRING,
    "device_name" / STRING,
    "manufacturer" / STRING,
    "serial_number" / STRING,
    "asset_tag_number" / STRING,
    "model_part_number" / STRING,
    "revision_level" / STRING,
    "max_power_capacity" / Int16ul,  # W; 8000h unknown
    "power_supply_characteristics" / Int16ul,
    "input_voltage_probe_handle" / HANDLE,  # FFFFh none (present when the length is over 10h)
    "cooling_device_handle" / HANDLE,
    "input_current_probe_handle" / HANDLE,
))

# §7.41 Additional Information (Type 40): entries of their own length.
additional_information_entry = Struct(
    "entry_length" / Int8ul,  # the whole entry, this byte included
    "referenced_handle" / HANDLE,
    "referenced_offset" / Int8ul,
    "string" / STRING,
    "value" / Bytes(lambda ctx: max(ctx.entry_length - 5, 0)),
)
additional_information = body(
    *fields_at_spec_offsets("number_of_entries" / Int8ul),
    # Entries size themselves, so only parsing says whether they fit; those that do not stay in `extra`.
    "entries" / Optional(Array(this.number_of_entries, additional_information_entry)),
)

# §7.42 Onboard Devices Extended Information (Type 41).
onboard_device_extended = body(*fields_at_spec_offsets(
    "reference_designation" / STRING,
    "device_type" / Int8ul,  # bit 7 enabled, bits 6:0 the type (§7.42.2)
    "device_type_instance" / Int8ul,
    "segment_group_number" / Int16ul,
    "bus_number" / Int8ul,
    "device_function_number" / Int8ul,
))

# §7.43 Management Controller Host Interface (Type 42): interface data, then protocol records (3.2+).
protocol_record = Struct(
    "protocol_type" / Int8ul,
    "protocol_type_specific_data_length" / Int8ul,
    "protocol_type_specific_data" / Bytes(this.protocol_type_specific_data_length),
)
management_controller_host_interface = body(
    *fields_at_spec_offsets(
        "interface_type" / Int8ul,
        "interface_type_specific_data_length" / Int8ul,  # 3.2+
    ),
    "interface_type_specific_data" / If(
        lambda ctx: ctx.interface_type_specific_data_length is not None
        and ctx._.length >= 6 + ctx.interface_type_specific_data_length,
        Bytes(this.interface_type_specific_data_length)),
    *fields_after(lambda ctx: None if ctx.interface_type_specific_data is None
                  else 6 + ctx.interface_type_specific_data_length,
                  "number_of_protocol_records" / Int8ul),
    "protocol_records" / Optional(Array(this.number_of_protocol_records, protocol_record)),
)

# §7.44 TPM Device (Type 43).
tpm_device = body(*fields_at_spec_offsets(
    "vendor_id" / Bytes(4),  # ASCII, as in TPM_CAP_PROP_MANUFACTURER
    "major_spec_version" / Int8ul,
    "minor_spec_version" / Int8ul,
    "firmware_version_1" / Int32ul,
    "firmware_version_2" / Int32ul,
    "description" / STRING,
    "characteristics" / Int64ul,
    "oem_defined" / Int32ul,
))

# §7.45 Processor Additional Information (Type 44): a processor-specific block of its own length.
processor_additional_information = body(
    *fields_at_spec_offsets(
        "referenced_handle" / HANDLE,  # the type 4 it adds to
        "block_length" / Int8ul,
        "processor_type" / Int8ul,  # §7.45.2: 07h ARM, 08h RISC-V 32, 09h RISC-V 64, 0Ah RISC-V 128, ...
    ),
    "processor_specific_data" / If(lambda ctx: ctx.block_length is not None
                                   and ctx._.length >= 8 + ctx.block_length, Bytes(this.block_length)),
)

# §7.46 Firmware Inventory Information (Type 45).
firmware_inventory = body(
    *fields_at_spec_offsets(
        "firmware_component_name" / STRING,
        "firmware_version" / STRING,
        "version_format" / Int8ul,
        "firmware_id" / STRING,
        "firmware_id_format" / Int8ul,
        "release_date" / STRING,
        "manufacturer" / STRING,
        "lowest_supported_firmware_version" / STRING,
        "image_size" / Int64ul,  # bytes; all ones unknown
        "characteristics" / Int16ul,
        "state" / Int8ul,
        "number_of_associated_components" / Int8ul,
    ),
    "associated_component_handles" / counted("number_of_associated_components", 0x18, 2, HANDLE),
)

# §7.47 String Property (Type 46).
string_property = body(*fields_at_spec_offsets(
    "string_property_id" / Int16ul,
    "string_property_value" / STRING,
    "parent_handle" / HANDLE,
))

# §7.48 Inactive (Type 126): a structure left in place but to be ignored; its body is
# whatever it was before.
inactive = Struct("body" / GreedyBytes)

EXT_TYPES = {
    2: baseboard, 5: memory_controller, 6: memory_module, 7: cache, 8: port_connector, 9: system_slots,
    10: on_board_devices, 11: oem_strings, 12: system_configuration_options, 13: bios_language,
    14: group_associations, 15: system_event_log, 18: memory_error_32, 20: memory_device_mapped_address,
    21: pointing_device, 22: portable_battery, 23: system_reset, 24: hardware_security,
    25: system_power_controls, 26: voltage_probe, 27: cooling_device, 28: temperature_probe, 29: current_probe,
    30: out_of_band_remote_access, 31: bis_entry_point, 33: memory_error_64, 34: management_device,
    35: management_device_component, 36: management_device_threshold, 37: memory_channel, 38: ipmi_device,
    39: system_power_supply, 40: additional_information, 41: onboard_device_extended,
    42: management_controller_host_interface, 43: tpm_device, 44: processor_additional_information,
    45: firmware_inventory, 46: string_property, 126: inactive,
}

# ---- name tables, for the "meaning" column (dmidecode 3.4's wording)

# §7.3.1 Baseboard: Feature Flags (bits).
BASEBOARD_FEATURES = {
    0x00: "Board is a hosting board", 0x01: "Board requires at least one daughter board",
    0x02: "Board is removable", 0x03: "Board is replaceable", 0x04: "Board is hot swappable",
}

# §7.3.2 Baseboard: Board Type.
BOARD_TYPES = {
    0x01: "Unknown", 0x02: "Other", 0x03: "Server Blade", 0x04: "Connectivity Switch",
    0x05: "System Management Module", 0x06: "Processor Module", 0x07: "I/O Module", 0x08: "Memory Module",
    0x09: "Daughter Board", 0x0A: "Motherboard", 0x0B: "Processor+Memory Module", 0x0C: "Processor+I/O Module",
    0x0D: "Interconnect Board",
}

# §7.6.1 Memory Controller: Error Detecting Method.
ERROR_DETECTING_METHODS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "None", 0x04: "8-bit Parity", 0x05: "32-bit ECC", 0x06: "64-bit ECC",
    0x07: "128-bit ECC", 0x08: "CRC",
}

# §7.6.2 Memory Controller: Error Correcting Capability (bits).
ERROR_CORRECTING_CAPABILITIES = {
    0x00: "Other", 0x01: "Unknown", 0x02: "None", 0x03: "Single-bit Error Correcting",
    0x04: "Double-bit Error Correcting", 0x05: "Error Scrubbing",
}

# §7.6.3 Memory Controller: Information Interleave Support.
INTERLEAVE_SUPPORT = {
    0x01: "Other", 0x02: "Unknown", 0x03: "One-way Interleave", 0x04: "Two-way Interleave",
    0x05: "Four-way Interleave", 0x06: "Eight-way Interleave", 0x07: "Sixteen-way Interleave",
}

# §7.7.1 Memory Module: Current Memory Type (bits).
MEMORY_MODULE_TYPES = {
    0x00: "Other", 0x01: "Unknown", 0x02: "Standard", 0x03: "FPM", 0x04: "EDO", 0x05: "Parity", 0x06: "ECC",
    0x07: "SIMM", 0x08: "DIMM", 0x09: "Burst EDO", 0x0A: "SDRAM",
}

# §7.7.3 Memory Module: Error Status, bits 1:0.
MEMORY_MODULE_ERRORS = {
    0x00: "OK", 0x01: "Uncorrectable Errors", 0x02: "Correctable Errors",
    0x03: "Correctable and Uncorrectable Errors",
}

# §7.8 Cache Configuration, bits 9:8 operational mode.
CACHE_MODES = {
    0x00: "Write Through", 0x01: "Write Back", 0x02: "Varies With Memory Address", 0x03: "Unknown",
}

# §7.8 Cache Configuration, bits 6:5 location.
CACHE_LOCATIONS = {
    0x00: "Internal", 0x01: "External", 0x03: "Unknown",
}

# §7.8.2 Cache: SRAM Type (bits).
SRAM_TYPES = {
    0x00: "Other", 0x01: "Unknown", 0x02: "Non-burst", 0x03: "Burst", 0x04: "Pipeline Burst", 0x05: "Synchronous",
    0x06: "Asynchronous",
}

# §7.8.3 Cache: Error Correction Type.
CACHE_ERROR_CORRECTION = {
    0x01: "Other", 0x02: "Unknown", 0x03: "None", 0x04: "Parity", 0x05: "Single-bit ECC", 0x06: "Multi-bit ECC",
}

# §7.8.4 Cache: System Cache Type.
SYSTEM_CACHE_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Instruction", 0x04: "Data", 0x05: "Unified",
}

# §7.8.5 Cache: Associativity.
CACHE_ASSOCIATIVITY = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Direct Mapped", 0x04: "2-way Set-associative",
    0x05: "4-way Set-associative", 0x06: "Fully Associative", 0x07: "8-way Set-associative",
    0x08: "16-way Set-associative", 0x09: "12-way Set-associative", 0x0A: "24-way Set-associative",
    0x0B: "32-way Set-associative", 0x0C: "48-way Set-associative", 0x0D: "64-way Set-associative",
    0x0E: "20-way Set-associative",
}

# §7.9.2 Port Information: Connector Types.
CONNECTOR_TYPES = {
    0x00: "None", 0x01: "Centronics", 0x02: "Mini Centronics", 0x03: "Proprietary", 0x04: "DB-25 male",
    0x05: "DB-25 female", 0x06: "DB-15 male", 0x07: "DB-15 female", 0x08: "DB-9 male", 0x09: "DB-9 female",
    0x0A: "RJ-11", 0x0B: "RJ-45", 0x0C: "50 Pin MiniSCSI", 0x0D: "Mini DIN", 0x0E: "Micro DIN", 0x0F: "PS/2",
    0x10: "Infrared", 0x11: "HP-HIL", 0x12: "Access Bus (USB)", 0x13: "SSA SCSI", 0x14: "Circular DIN-8 male",
    0x15: "Circular DIN-8 female", 0x16: "On Board IDE", 0x17: "On Board Floppy",
    0x18: "9 Pin Dual Inline (pin 10 cut)", 0x19: "25 Pin Dual Inline (pin 26 cut)", 0x1A: "50 Pin Dual Inline",
    0x1B: "68 Pin Dual Inline", 0x1C: "On Board Sound Input From CD-ROM", 0x1D: "Mini Centronics Type-14",
    0x1E: "Mini Centronics Type-26", 0x1F: "Mini Jack (headphones)", 0x20: "BNC", 0x21: "IEEE 1394",
    0x22: "SAS/SATA Plug Receptacle", 0x23: "USB Type-C Receptacle", 0xA0: "PC-98", 0xA1: "PC-98 Hireso",
    0xA2: "PC-H98", 0xA3: "PC-98 Note", 0xA4: "PC-98 Full",
}

# §7.9.3 Port Types.
PORT_TYPES = {
    0x00: "None", 0x01: "Parallel Port XT/AT Compatible", 0x02: "Parallel Port PS/2", 0x03: "Parallel Port ECP",
    0x04: "Parallel Port EPP", 0x05: "Parallel Port ECP/EPP", 0x06: "Serial Port XT/AT Compatible",
    0x07: "Serial Port 16450 Compatible", 0x08: "Serial Port 16550 Compatible",
    0x09: "Serial Port 16550A Compatible", 0x0A: "SCSI Port", 0x0B: "MIDI Port", 0x0C: "Joystick Port",
    0x0D: "Keyboard Port", 0x0E: "Mouse Port", 0x0F: "SSA SCSI", 0x10: "USB", 0x11: "Firewire (IEEE P1394)",
    0x12: "PCMCIA Type I", 0x13: "PCMCIA Type II", 0x14: "PCMCIA Type III", 0x15: "Cardbus",
    0x16: "Access Bus Port", 0x17: "SCSI II", 0x18: "SCSI Wide", 0x19: "PC-98", 0x1A: "PC-98 Hireso",
    0x1B: "PC-H98", 0x1C: "Video Port", 0x1D: "Audio Port", 0x1E: "Modem Port", 0x1F: "Network Port", 0x20: "SATA",
    0x21: "SAS", 0xA0: "8251 Compatible", 0xA1: "8251 FIFO Compatible",
}

# §7.10.1 System Slots: Slot Type.
SLOT_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "ISA", 0x04: "MCA", 0x05: "EISA", 0x06: "PCI", 0x07: "PC Card (PCMCIA)",
    0x08: "VLB", 0x09: "Proprietary", 0x0A: "Processor Card", 0x0B: "Proprietary Memory Card",
    0x0C: "I/O Riser Card", 0x0D: "NuBus", 0x0E: "PCI-66", 0x0F: "AGP", 0x10: "AGP 2x", 0x11: "AGP 4x",
    0x12: "PCI-X", 0x13: "AGP 8x", 0x14: "M.2 Socket 1-DP", 0x15: "M.2 Socket 1-SD", 0x16: "M.2 Socket 2",
    0x17: "M.2 Socket 3", 0x18: "MXM Type I", 0x19: "MXM Type II", 0x1A: "MXM Type III", 0x1B: "MXM Type III-HE",
    0x1C: "MXM Type IV", 0x1D: "MXM 3.0 Type A", 0x1E: "MXM 3.0 Type B", 0x1F: "PCI Express 2 SFF-8639 (U.2)",
    0x20: "PCI Express 3 SFF-8639 (U.2)", 0x21: "PCI Express Mini 52-pin with bottom-side keep-outs",
    0x22: "PCI Express Mini 52-pin without bottom-side keep-outs", 0x23: "PCI Express Mini 76-pin",
    0x24: "PCI Express 4 SFF-8639 (U.2)", 0x25: "PCI Express 5 SFF-8639 (U.2)",
    0x26: "OCP NIC 3.0 Small Form Factor (SFF)", 0x27: "OCP NIC 3.0 Large Form Factor (LFF)",
    0x28: "OCP NIC Prior to 3.0", 0x30: "CXL FLexbus 1.0", 0xA0: "PC-98/C20", 0xA1: "PC-98/C24", 0xA2: "PC-98/E",
    0xA3: "PC-98/Local Bus", 0xA4: "PC-98/Card", 0xA5: "PCI Express", 0xA6: "PCI Express x1",
    0xA7: "PCI Express x2", 0xA8: "PCI Express x4", 0xA9: "PCI Express x8", 0xAA: "PCI Express x16",
    0xAB: "PCI Express 2", 0xAC: "PCI Express 2 x1", 0xAD: "PCI Express 2 x2", 0xAE: "PCI Express 2 x4",
    0xAF: "PCI Express 2 x8", 0xB0: "PCI Express 2 x16", 0xB1: "PCI Express 3", 0xB2: "PCI Express 3 x1",
    0xB3: "PCI Express 3 x2", 0xB4: "PCI Express 3 x4", 0xB5: "PCI Express 3 x8", 0xB6: "PCI Express 3 x16",
    0xB8: "PCI Express 4", 0xB9: "PCI Express 4 x1", 0xBA: "PCI Express 4 x2", 0xBB: "PCI Express 4 x4",
    0xBC: "PCI Express 4 x8", 0xBD: "PCI Express 4 x16", 0xBE: "PCI Express 5", 0xBF: "PCI Express 5 x1",
    0xC0: "PCI Express 5 x2", 0xC1: "PCI Express 5 x4", 0xC2: "PCI Express 5 x8", 0xC3: "PCI Express 5 x16",
    0xC4: "PCI Express 6+", 0xC5: "EDSFF E1", 0xC6: "EDSFF E3",
}

# §7.10.2 System Slots: Slot Data Bus Width (and slot physical width).
SLOT_WIDTHS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "8-bit", 0x04: "16-bit", 0x05: "32-bit", 0x06: "64-bit", 0x07: "128-bit",
    0x08: "x1", 0x09: "x2", 0x0A: "x4", 0x0B: "x8", 0x0C: "x12", 0x0D: "x16", 0x0E: "x32",
}

# §7.10.3 System Slots: Current Usage.
SLOT_USAGES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Available", 0x04: "In Use", 0x05: "Unavailable",
}

# §7.10.4 System Slots: Slot Length.
SLOT_LENGTHS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Short", 0x04: "Long", 0x05: "2.5\" drive form factor",
    0x06: "3.5\" drive form factor",
}

# §7.10.6 Slot Characteristics 1 (bits; bit 0 is "unknown").
SLOT_CHARACTERISTICS_1 = {
    0x01: "5.0 V is provided", 0x02: "3.3 V is provided", 0x03: "Opening is shared",
    0x04: "PC Card-16 is supported", 0x05: "Cardbus is supported", 0x06: "Zoom Video is supported",
    0x07: "Modem ring resume is supported",
}

# §7.10.7 Slot Characteristics 2 (bits).
SLOT_CHARACTERISTICS_2 = {
    0x00: "PME signal is supported", 0x01: "Hot-plug devices are supported", 0x02: "SMBus signal is supported",
    0x03: "PCIe slot bifurcation is supported", 0x04: "Async/surprise removal is supported",
    0x05: "Flexbus slot, CXL 1.0 capable", 0x06: "Flexbus slot, CXL 2.0 capable",
}

# §7.10.9 System Slots: Slot Height.
SLOT_HEIGHTS = {
    0x00: "Not applicable", 0x01: "Other", 0x02: "Unknown", 0x03: "Full height", 0x04: "Low-profile",
}

# §7.11.1 and §7.42.2 Onboard Device Types (bits 6:0).
ONBOARD_DEVICE_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Video", 0x04: "SCSI Controller", 0x05: "Ethernet", 0x06: "Token Ring",
    0x07: "Sound", 0x08: "PATA Controller", 0x09: "SATA Controller", 0x0A: "SAS Controller", 0x0B: "Wireless LAN",
    0x0C: "Bluetooth", 0x0D: "WWAN", 0x0E: "eMMC", 0x0F: "NVMe Controller", 0x10: "UFS Controller",
}

# §7.16.3 System Event Log: Access Method.
EVENT_LOG_ACCESS_METHODS = {
    0x00: "Indexed I/O, one 8-bit index port, one 8-bit data port",
    0x01: "Indexed I/O, two 8-bit index ports, one 8-bit data port",
    0x02: "Indexed I/O, one 16-bit index port, one 8-bit data port", 0x03: "Memory-mapped physical 32-bit address",
    0x04: "General-purpose non-volatile data functions",
}

# §7.16.5 System Event Log: Log Header Format.
EVENT_LOG_HEADER_FORMATS = {
    0x00: "No Header", 0x01: "Type 1",
}

# §7.16.6.1 Log Record Type.
EVENT_LOG_TYPES = {
    0x01: "Single-bit ECC memory error", 0x02: "Multi-bit ECC memory error", 0x03: "Parity memory error",
    0x04: "Bus timeout", 0x05: "I/O channel block", 0x06: "Software NMI", 0x07: "POST memory resize",
    0x08: "POST error", 0x09: "PCI parity error", 0x0A: "PCI system error", 0x0B: "CPU failure",
    0x0C: "EISA failsafe timer timeout", 0x0D: "Correctable memory log disabled", 0x0E: "Logging disabled",
    0x10: "System limit exceeded", 0x11: "Asynchronous hardware timer expired",
    0x12: "System configuration information", 0x13: "Hard disk information", 0x14: "System reconfigured",
    0x15: "Uncorrectable CPU-complex error", 0x16: "Log area reset/cleared", 0x17: "System boot",
}

# §7.16.6.2 Log Record Variable Data Format Type.
EVENT_LOG_DATA_FORMATS = {
    0x00: "None", 0x01: "Handle", 0x02: "Multiple-event", 0x03: "Multiple-event handle",
    0x04: "POST results bitmap", 0x05: "System management", 0x06: "Multiple-event system management",
}

# §7.19.1 Memory Error: Error Type.
MEMORY_ERROR_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "OK", 0x04: "Bad Read", 0x05: "Parity Error", 0x06: "Single-bit Error",
    0x07: "Double-bit Error", 0x08: "Multi-bit Error", 0x09: "Nibble Error", 0x0A: "Checksum Error",
    0x0B: "CRC Error", 0x0C: "Corrected Single-bit Error", 0x0D: "Corrected Error", 0x0E: "Uncorrectable Error",
}

# §7.19.2 Memory Error: Error Granularity.
MEMORY_ERROR_GRANULARITIES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Device Level", 0x04: "Memory Partition Level",
}

# §7.19.3 Memory Error: Error Operation.
MEMORY_ERROR_OPERATIONS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Read", 0x04: "Write", 0x05: "Partial Write",
}

# §7.22.1 Pointing Device: Type.
POINTING_DEVICE_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Mouse", 0x04: "Track Ball", 0x05: "Track Point", 0x06: "Glide Point",
    0x07: "Touch Pad", 0x08: "Touch Screen", 0x09: "Optical Sensor",
}

# §7.22.2 Pointing Device: Interface.
POINTING_DEVICE_INTERFACES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Serial", 0x04: "PS/2", 0x05: "Infrared", 0x06: "HIP-HIL",
    0x07: "Bus Mouse", 0x08: "ADB (Apple Desktop Bus)", 0xA0: "Bus Mouse DB-9", 0xA1: "Bus Mouse Micro DIN",
    0xA2: "USB", 0xA3: "I2C", 0xA4: "SPI",
}

# §7.23.1 Portable Battery: Device Chemistry.
BATTERY_CHEMISTRIES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Lead Acid", 0x04: "Nickel Cadmium", 0x05: "Nickel Metal Hydride",
    0x06: "Lithium Ion", 0x07: "Zinc Air", 0x08: "Lithium Polymer",
}

# §7.24 System Reset: Capabilities, boot option bits.
RESET_BOOT_OPTIONS = {
    0x01: "Operating System", 0x02: "System Utilities", 0x03: "Do Not Reboot",
}

# §7.25 Hardware Security Settings: each 2-bit status.
HARDWARE_SECURITY_STATUS = {
    0x00: "Disabled", 0x01: "Enabled", 0x02: "Not Implemented", 0x03: "Unknown",
}

# §7.27.1 Voltage Probe: Location (also §7.30 current probes).
VOLTAGE_PROBE_LOCATIONS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Processor", 0x04: "Disk", 0x05: "Peripheral Bay",
    0x06: "System Management Module", 0x07: "Motherboard", 0x08: "Memory Module", 0x09: "Processor Module",
    0x0A: "Power Unit", 0x0B: "Add-in Card",
}

# §7.27.1, §7.28.1, §7.29.1: probe and cooling device Status.
PROBE_STATUS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "OK", 0x04: "Non-critical", 0x05: "Critical", 0x06: "Non-recoverable",
}

# §7.28.1 Cooling Device: Device Type.
COOLING_DEVICE_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Fan", 0x04: "Centrifugal Blower", 0x05: "Chip Fan", 0x06: "Cabinet Fan",
    0x07: "Power Supply Fan", 0x08: "Heat Pipe", 0x09: "Integrated Refrigeration", 0x10: "Active Cooling",
    0x11: "Passive Cooling",
}

# §7.29.1 Temperature Probe: Location.
TEMPERATURE_PROBE_LOCATIONS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Processor", 0x04: "Disk", 0x05: "Peripheral Bay",
    0x06: "System Management Module", 0x07: "Motherboard", 0x08: "Memory Module", 0x09: "Processor Module",
    0x0A: "Power Unit", 0x0B: "Add-in Card", 0x0C: "Front Panel Board", 0x0D: "Back Panel Board",
    0x0E: "Power System Board", 0x0F: "Drive Back Plane",
}

# §7.35.1 Management Device: Type.
MANAGEMENT_DEVICE_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "LM75", 0x04: "LM78", 0x05: "LM79", 0x06: "LM80", 0x07: "LM81",
    0x08: "ADM9240", 0x09: "DS1780", 0x0A: "MAX1617", 0x0B: "GL518SM", 0x0C: "W83781D", 0x0D: "HT82H791",
}

# §7.35.2 Management Device: Address Type.
MANAGEMENT_DEVICE_ADDRESS_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "I/O Port", 0x04: "Memory", 0x05: "SMBus",
}

# §7.38 Memory Channel: Channel Type.
MEMORY_CHANNEL_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "RamBus", 0x04: "SyncLink",
}

# §7.39.1 IPMI: BMC Interface Type.
IPMI_INTERFACE_TYPES = {
    0x00: "Unknown", 0x01: "KCS (Keyboard Control Style)", 0x02: "SMIC (Server Management Interface Chip)",
    0x03: "BT (Block Transfer)", 0x04: "SSIF (SMBus System Interface)",
}

# §7.39 IPMI: Base Address Modifier, bits 7:6.
IPMI_REGISTER_SPACINGS = {
    0x00: "Successive Byte Boundaries", 0x01: "32-bit Boundaries", 0x02: "16-byte Boundaries",
}

# §7.40.1 Power Supply Characteristics: DMTF type (bits 13:10).
POWER_SUPPLY_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Linear", 0x04: "Switching", 0x05: "Battery", 0x06: "UPS",
    0x07: "Converter", 0x08: "Regulator",
}

# §7.40.1: status (bits 9:7).
POWER_SUPPLY_STATUS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "OK", 0x04: "Non-critical", 0x05: "Critical",
}

# §7.40.1: input voltage range switching (bits 6:3).
POWER_SUPPLY_RANGE_SWITCHING = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Manual", 0x04: "Auto-switch", 0x05: "Wide Range", 0x06: "N/A",
}

# §7.43.1 Host Interface Types (MCTP Host Interfaces, DSP0239).
HOST_INTERFACE_TYPES = {
    0x02: "KCS: Keyboard Controller Style", 0x03: "8250 UART Register Compatible",
    0x04: "16450 UART Register Compatible", 0x05: "16550/16550A UART Register Compatible",
    0x06: "16650/16650A UART Register Compatible", 0x07: "16750/16750A UART Register Compatible",
    0x08: "16850/16850A UART Register Compatible",
}

# §7.44.1 TPM Device Characteristics (bits).
TPM_CHARACTERISTICS = {
    0x02: "TPM Device characteristics not supported", 0x03: "Family configurable via firmware update",
    0x04: "Family configurable via platform software support",
    0x05: "Family configurable via OEM proprietary mechanism",
}

# §7.46.3 Firmware Inventory Characteristics (bits).
FIRMWARE_CHARACTERISTICS = {
    0x00: "Updatable", 0x01: "Write-Protect",
}

# §7.46.4 Firmware Inventory State.
FIRMWARE_STATES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Disabled", 0x04: "Enabled", 0x05: "Absent", 0x06: "Stand-by Offline",
    0x07: "Stand-by Spare", 0x08: "Unavailable Offline",
}

# §7.4.4 and §7.15: the short structure-type names that chassis elements and group items show.
STRUCTURE_SHORT_NAMES = {
    0x00: "BIOS", 0x01: "System", 0x02: "Base Board", 0x03: "Chassis", 0x04: "Processor", 0x05: "Memory Controller",
    0x06: "Memory Module", 0x07: "Cache", 0x08: "Port Connector", 0x09: "System Slots", 0x0A: "On Board Devices",
    0x0B: "OEM Strings", 0x0C: "System Configuration Options", 0x0D: "BIOS Language", 0x0E: "Group Associations",
    0x0F: "System Event Log", 0x10: "Physical Memory Array", 0x11: "Memory Device", 0x12: "32-bit Memory Error",
    0x13: "Memory Array Mapped Address", 0x14: "Memory Device Mapped Address", 0x15: "Built-in Pointing Device",
    0x16: "Portable Battery", 0x17: "System Reset", 0x18: "Hardware Security", 0x19: "System Power Controls",
    0x1A: "Voltage Probe", 0x1B: "Cooling Device", 0x1C: "Temperature Probe", 0x1D: "Electrical Current Probe",
    0x1E: "Out-of-band Remote Access", 0x1F: "Boot Integrity Services", 0x20: "System Boot",
    0x21: "64-bit Memory Error", 0x22: "Management Device", 0x23: "Management Device Component",
    0x24: "Management Device Threshold Data", 0x25: "Memory Channel", 0x26: "IPMI Device", 0x27: "Power Supply",
    0x28: "Additional Information", 0x29: "Onboard Device", 0x2A: "Management Controller Host Interface",
    0x2B: "TPM Device", 0x2C: "Processor", 0x2D: "Firmware", 0x2E: "String Property",
}
