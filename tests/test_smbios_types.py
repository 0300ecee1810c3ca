"""Every SMBIOS type at every length the spec has given it, decoded by us and by dmidecode 3.4: field by field equal.

Each structure is built from field values through our schema at one formatted-area length (so a field past that
length is left out), all of them go into one SMBIOS 3.0 table, and `dmidecode --from-dump` decodes that table once.
Our rows (the same rows `dump` shows) must then print what dmidecode printed under each field's label.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from construct import Container

from qboot_tables.schemas import smbios as S
from qboot_tables.smbios import split_structures, validate_smbios
from qboot_tables.smbios_types import DESCRIPTORS, structure_rows
from qboot_tables.tools import dmidecode
from tests.test_smbios import ENTRY_ADDRESS, TABLE_ADDRESS, anchor_30, smbios_30

needs_dmidecode = pytest.mark.skipif(dmidecode.locate() is None, reason="dmidecode not installed")


# ---- the structures: field values by type, and the formatted-area lengths each spec version gave the type

def strings_for(type_: int, count: int = 8) -> list[bytes]:
    return [f"T{type_}-S{i}".encode() for i in range(1, count + 1)]


def peer(segment, bus, devfn, width):
    return dict(segment_group_number=segment, bus_number=bus, device_function_number=devfn, data_bus_width=width)


# Field values per type, one dict per variant; string fields hold indices into strings_for(type).
VALUES = {
    0: [dict(vendor=1, bios_version=2, bios_starting_address_segment=0xE800, bios_release_date=3, bios_rom_size=3,
             bios_characteristics=0x08, bios_characteristics_extension_1=3, bios_characteristics_extension_2=0x0C,
             system_bios_major_release=1, system_bios_minor_release=2, embedded_controller_major_release=3,
             embedded_controller_minor_release=4, extended_bios_rom_size=0x10)],
    1: [dict(manufacturer=1, product_name=2, version=3, serial_number=4, uuid=bytes(range(16)), wake_up_type=6,
             sku_number=5, family=6)],
    2: [dict(manufacturer=1, product=2, version=3, serial_number=4, asset_tag=5, feature_flags=0x09,
             location_in_chassis=6, chassis_handle=0x0300, board_type=0x0A, number_of_contained_object_handles=2,
             contained_object_handles=[0x0400, 0x0401]),
        dict(manufacturer=0, product=1, version=0, serial_number=0, asset_tag=0, feature_flags=0,
             location_in_chassis=0, chassis_handle=0xFFFF, board_type=0x03, number_of_contained_object_handles=0,
             contained_object_handles=[])],
    3: [dict(manufacturer=1, chassis_type=0x83, version=2, serial_number=3, asset_tag=4, bootup_state=3,
             power_supply_state=4, thermal_state=5, security_status=3, oem_defined=0x12345678, height=2,
             number_of_power_cords=1, contained_element_count=0, contained_element_record_length=3,
             contained_elements=[], sku_number=5),
        dict(manufacturer=0, chassis_type=0x17, version=0, serial_number=0, asset_tag=0, bootup_state=2,
             power_supply_state=1, thermal_state=6, security_status=5, oem_defined=0, height=0,
             number_of_power_cords=0, contained_element_count=2, contained_element_record_length=3,
             contained_elements=[b"\x0a\x01\x01", b"\x84\x01\x02"], sku_number=0)],
    4: [dict(socket_designation=1, processor_type=3, processor_family=0xC6, processor_manufacturer=2,
             processor_id=0x0123456789ABCDEF, processor_version=3, voltage=0x82, external_clock=100, max_speed=4000,
             current_speed=3000, status=0x41, processor_upgrade=0x2D, l1_cache_handle=0x0700,
             l2_cache_handle=0x0701, l3_cache_handle=0xFFFF, serial_number=4, asset_tag=5, part_number=6,
             core_count=8, core_enabled=6, thread_count=16, processor_characteristics=0x04, processor_family_2=0xC6,
             core_count_2=8, core_enabled_2=6, thread_count_2=16, thread_enabled=12),
        dict(socket_designation=0, processor_type=4, processor_family=0x02, processor_manufacturer=0,
             processor_id=0, processor_version=0, voltage=0x03, external_clock=0, max_speed=0, current_speed=0,
             status=0x00, processor_upgrade=0x06, l1_cache_handle=0xFFFF, l2_cache_handle=0x0702,
             l3_cache_handle=0xFFFF, serial_number=0, asset_tag=0, part_number=0, core_count=0, core_enabled=0,
             thread_count=0, processor_characteristics=0x02, processor_family_2=0x02, core_count_2=0,
             core_enabled_2=0, thread_count_2=0, thread_enabled=0)],
    5: [dict(error_detecting_method=4, error_correcting_capability=0x08, supported_interleave=3,
             current_interleave=4, maximum_memory_module_size=5, supported_speeds=0x0C, supported_memory_types=0x0104,
             memory_module_voltage=0x02, number_of_associated_memory_slots=2,
             memory_module_configuration_handles=[0x0600, 0x0601], enabled_error_correcting_capabilities=0x04)],
    6: [dict(socket_designation=1, bank_connections=0x01, current_speed=60, current_memory_type=0x0110,
             installed_size=0x85, enabled_size=0x05, error_status=0)],
    7: [dict(socket_designation=1, cache_configuration=0x01A8, maximum_cache_size=0x8010, installed_size=0x0200,
             supported_sram_type=0x0022, current_sram_type=0x0020, cache_speed=5, error_correction_type=5,
             system_cache_type=5, associativity=0x07, maximum_cache_size_2=0x80000010, installed_cache_size_2=0x0400),
        dict(socket_designation=0, cache_configuration=0x0300, maximum_cache_size=0, installed_size=0,
             supported_sram_type=0x0002, current_sram_type=0x0002, cache_speed=0, error_correction_type=3,
             system_cache_type=3, associativity=0x0E, maximum_cache_size_2=0, installed_cache_size_2=0)],
    8: [dict(internal_reference_designator=1, internal_connector_type=0x0B, external_reference_designator=2,
             external_connector_type=0x12, port_type=0x10),
        dict(internal_reference_designator=0, internal_connector_type=0xA1, external_reference_designator=1,
             external_connector_type=0xFF, port_type=0xA0)],
    9: [dict(slot_designation=1, slot_type=0xB6, slot_data_bus_width=0x0D, current_usage=4, slot_length=4,
             slot_id=0x0105, slot_characteristics_1=0x04, slot_characteristics_2=0x03, segment_group_number=0,
             bus_number=0x3A, device_function_number=0x08, data_bus_width=0x0D, peer_grouping_count=2,
             peer_groups=[peer(0, 0x3B, 0x10, 8), peer(1, 0x40, 0x09, 4)], slot_information=3,
             slot_physical_width=0x0D, slot_pitch=2032, slot_height=3),
        dict(slot_designation=2, slot_type=0x07, slot_data_bus_width=0x02, current_usage=3, slot_length=3,
             slot_id=0x0201, slot_characteristics_1=0x01, slot_characteristics_2=0, segment_group_number=0xFFFF,
             bus_number=0xFF, device_function_number=0xFF, data_bus_width=0, peer_grouping_count=0,
             peer_groups=[], slot_information=0, slot_physical_width=0, slot_pitch=0, slot_height=0)],
    10: [dict(devices=[dict(device_type=0x83, description=1), dict(device_type=0x05, description=2)])],
    11: [dict(count=3), dict(count=1)],
    12: [dict(count=2)],
    13: [dict(installable_languages=2, flags=1, reserved=bytes(15), current_language=2)],
    14: [dict(group_name=1, group_items=[dict(item_type=4, item_handle=0x0400), dict(item_type=7,
                                                                              item_handle=0x0700)])],
    15: [dict(log_area_length=0x1000, log_header_start_offset=0, log_data_start_offset=0x10, access_method=3,
              log_status=1, log_change_token=0xCAFE, access_method_address=0xFFD00000, log_header_format=1,
              number_of_supported_log_type_descriptors=2, length_of_each_log_type_descriptor=2,
              log_type_descriptors=[dict(log_type=1, variable_data_format_type=1),
                                    dict(log_type=0x17, variable_data_format_type=0)])],
    16: [dict(location=3, use=3, memory_error_correction=6, maximum_capacity=0x80000000,
              memory_error_information_handle=0xFFFE, number_of_memory_devices=4,
              extended_maximum_capacity=1 << 42)],
    17: [dict(physical_memory_array_handle=0x1000, memory_error_information_handle=0xFFFE, total_width=72,
              data_width=64, size=0x7FFF, form_factor=9, device_set=0, device_locator=1, bank_locator=2,
              memory_type=0x1A, type_detail=0x2080, speed=3200, manufacturer=3, serial_number=4, asset_tag=5,
              part_number=6, attributes=2, extended_size=0x10000, configured_memory_speed=2933,
              minimum_voltage=1200, maximum_voltage=1250, configured_voltage=1200, memory_technology=3,
              memory_operating_mode_capability=0x08, firmware_version=7, module_manufacturer_id=0x2C80,
              module_product_id=0x1234, memory_subsystem_controller_manufacturer_id=0,
              memory_subsystem_controller_product_id=0, non_volatile_size=0, volatile_size=64 << 30,
              cache_size=0, logical_size=0, extended_speed=0, extended_configured_memory_speed=0),
         dict(physical_memory_array_handle=0x1000, memory_error_information_handle=0x1200, total_width=0xFFFF,
              data_width=0xFFFF, size=0x8200, form_factor=0x0D, device_set=0xFF, device_locator=1, bank_locator=0,
              memory_type=0x22, type_detail=0x4080, speed=0xFFFF, manufacturer=0, serial_number=0, asset_tag=0,
              part_number=0, attributes=0, extended_size=0, configured_memory_speed=0xFFFF, minimum_voltage=0,
              maximum_voltage=1100, configured_voltage=1100, memory_technology=7,
              memory_operating_mode_capability=0x30, firmware_version=0, module_manufacturer_id=0x0101,
              module_product_id=0, memory_subsystem_controller_manufacturer_id=0x8980,
              memory_subsystem_controller_product_id=0x00FF, non_volatile_size=(1 << 64) - 1,
              volatile_size=1536 << 20, cache_size=0, logical_size=0, extended_speed=6400,
              extended_configured_memory_speed=5600)],
    18: [dict(error_type=6, error_granularity=3, error_operation=3, vendor_syndrome=0, memory_array_error_address=
              0x80000000, device_error_address=0x1234, error_resolution=0x80000000)],
    19: [dict(starting_address=0, ending_address=0x3FFFFF, memory_array_handle=0x1000, partition_width=1,
              extended_starting_address=0, extended_ending_address=0)],
    20: [dict(starting_address=0x100000, ending_address=0x1FFFFF, memory_device_handle=0x1100,
              memory_array_mapped_address_handle=0x1300, partition_row_position=1, interleave_position=0,
              interleaved_data_depth=0xFF, extended_starting_address=0, extended_ending_address=0)],
    21: [dict(pointing_type=7, interface=0xA2, number_of_buttons=2)],
    22: [dict(location=1, manufacturer=2, manufacture_date=3, serial_number=4, device_name=5, device_chemistry=6,
              design_capacity=4500, design_voltage=11400, sbds_version_number=6, maximum_error_in_battery_data=3,
              sbds_serial_number=0x1234, sbds_manufacture_date=(42 << 9) | (3 << 5) | 14, sbds_device_chemistry=7,
              design_capacity_multiplier=2, oem_specific=0xDEADBEEF)],
    23: [dict(capabilities=0x2B, reset_count=3, reset_limit=0xFFFF, timer_interval=5, timeout=0xFFFF)],
    24: [dict(hardware_security_settings=0b01_10_00_11)],
    25: [dict(next_scheduled_power_on_month=0x12, next_scheduled_power_on_day_of_month=0x31,
              next_scheduled_power_on_hour=0x23, next_scheduled_power_on_minute=0xFF,
              next_scheduled_power_on_second=0x00)],
    26: [dict(description=1, location_and_status=(3 << 5) | 3, maximum_value=1350, minimum_value=0xFF38,
              resolution=5, tolerance=0x8000, accuracy=150, oem_defined=7, nominal_value=1200)],
    27: [dict(temperature_probe_handle=0x1C00, device_type_and_status=(3 << 5) | 3, cooling_unit_group=1,
              oem_defined=0, nominal_speed=2400, description=1)],
    28: [dict(description=1, location_and_status=(4 << 5) | 3, maximum_value=1000, minimum_value=0xFFEC,
              resolution=500, tolerance=20, accuracy=0x8000, oem_defined=0, nominal_value=450)],
    29: [dict(description=1, location_and_status=(3 << 5) | 0x0A, maximum_value=5000, minimum_value=0,
              resolution=10, tolerance=100, accuracy=50, oem_defined=1, nominal_value=2000)],
    30: [dict(manufacturer_name=1, connections=2)],
    31: [dict(checksum=0, reserved_1=0, reserved_2=0, bis_entry_16=0xF0001234, bis_entry_32=0x000F5678,
              reserved_3=0, reserved_4=0)],
    32: [dict(reserved=bytes(6), boot_status=b"\x00")],
    33: [dict(error_type=0x0C, error_granularity=4, error_operation=5, vendor_syndrome=0x55,
              memory_array_error_address=0x8000000000000000, device_error_address=0x123456789,
              error_resolution=0x40)],
    34: [dict(description=1, device_type=3, address=0x2E, address_type=5)],
    35: [dict(description=1, management_device_handle=0x2200, component_handle=0x1A00, threshold_handle=0x2400)],
    36: [dict(lower_threshold_non_critical=10, upper_threshold_non_critical=0xFFF6, lower_threshold_critical=0x8000,
              upper_threshold_critical=90, lower_threshold_non_recoverable=0, upper_threshold_non_recoverable=100)],
    37: [dict(channel_type=3, maximum_channel_load=8, memory_device_count=2,
              devices=[dict(load=2, handle=0x1100), dict(load=3, handle=0x1101)])],
    38: [dict(interface_type=1, ipmi_specification_revision=0x20, i2c_target_address=0x20,
              nv_storage_device_address=0xFF, base_address=0xCA3, base_address_modifier=0x0A, interrupt_number=9),
         dict(interface_type=4, ipmi_specification_revision=0x15, i2c_target_address=0x10,
              nv_storage_device_address=3, base_address=0x42, base_address_modifier=0, interrupt_number=0)],
    39: [dict(power_unit_group=1, location=1, device_name=2, manufacturer=3, serial_number=4, asset_tag_number=5,
              model_part_number=6, revision_level=7, max_power_capacity=800,
              power_supply_characteristics=(4 << 10) | (3 << 7) | (4 << 3) | 2 | 1,
              input_voltage_probe_handle=0x2600, cooling_device_handle=0xFFFF, input_current_probe_handle=0x2900),
         dict(power_unit_group=0, location=0, device_name=1, manufacturer=0, serial_number=0, asset_tag_number=0,
              model_part_number=0, revision_level=0, max_power_capacity=0x8000,
              power_supply_characteristics=(2 << 10) | (6 << 3) | 4, input_voltage_probe_handle=0xFFFF,
              cooling_device_handle=0x1B00, input_current_probe_handle=0xFFFF)],
    40: [dict(number_of_entries=2, entries=[
        dict(entry_length=6, referenced_handle=0x0400, referenced_offset=0x05, string=1, value=b"\x07"),
        dict(entry_length=9, referenced_handle=0x0100, referenced_offset=0x1A, string=2, value=b"\x01\x02\x03\x04")])],
    41: [dict(reference_designation=1, device_type=0x85, device_type_instance=1, segment_group_number=0,
              bus_number=2, device_function_number=0x01),
         dict(reference_designation=0, device_type=0x0F, device_type_instance=2, segment_group_number=0xFFFF,
              bus_number=0xFF, device_function_number=0xFF)],
    42: [dict(interface_type=0x40, interface_type_specific_data_length=0, interface_type_specific_data=b"",
              number_of_protocol_records=0, protocol_records=[])],
    43: [dict(vendor_id=b"IFX\0", major_spec_version=2, minor_spec_version=0, firmware_version_1=0x00070055,
              firmware_version_2=0, description=1, characteristics=0x18, oem_defined=0xABCD),
         dict(vendor_id=b"STM ", major_spec_version=1, minor_spec_version=2, firmware_version_1=0x0D030201,
              firmware_version_2=0, description=0, characteristics=0x04, oem_defined=0)],
    44: [dict(referenced_handle=0x0400, block_length=4, processor_type=7, processor_specific_data=b"\1\2\3\4")],
    45: [dict(firmware_component_name=1, firmware_version=2, version_format=1, firmware_id=3, firmware_id_format=0,
              release_date=4, manufacturer=5, lowest_supported_firmware_version=6, image_size=16 << 20,
              characteristics=1, state=4, number_of_associated_components=2,
              associated_component_handles=[0x0200, 0x0300]),
         dict(firmware_component_name=1, firmware_version=0, version_format=0, firmware_id=0, firmware_id_format=0,
              release_date=0, manufacturer=0, lowest_supported_firmware_version=0, image_size=(1 << 64) - 1,
              characteristics=2, state=2, number_of_associated_components=0, associated_component_handles=[])],
    46: [dict(string_property_id=1, string_property_value=1, parent_handle=0x0900)],
    126: [dict(body=bytes([8, 1, 2, 3]))],
    127: [dict()],
}

# §7.x: the formatted-area length of each version of a type (the first is the type's minimum). A length in a
# function of the values is for the types whose size depends on a count.
LENGTHS = {
    0: [0x12, 0x13, 0x14, 0x18, 0x1A], 1: [0x08, 0x19, 0x1B], 2: [0x08, 0x09, 0x0A, 0x0E, 0x0F, "full"],
    3: [0x09, 0x0D, 0x11, 0x13, 0x15, "full"], 4: [0x1A, 0x20, 0x23, 0x28, 0x2A, 0x30, 0x32],
    5: [0x0F, "full"], 6: [0x0C], 7: [0x0F, 0x13, 0x1B], 8: [0x09], 9: [0x0C, 0x0D, 0x11, 0x13, "full", "full-1"],
    10: ["full"], 11: [0x05], 12: [0x05], 13: [0x16], 14: ["full"], 15: [0x14, 0x17, "full"], 16: [0x0F, 0x17],
    17: [0x15, 0x1B, 0x1C, 0x22, 0x28, 0x34, 0x3C, 0x44, 0x4C, 0x54, 0x5C], 18: [0x17], 19: [0x0F, 0x1F],
    20: [0x13, 0x23], 21: [0x07], 22: [0x10, 0x1A], 23: [0x0D], 24: [0x05], 25: [0x09], 26: [0x14, 0x16],
    27: [0x0C, 0x0E, 0x0F], 28: [0x14, 0x16], 29: [0x14, 0x16], 30: [0x06], 31: [0x1C], 32: [0x0B], 33: [0x1F],
    34: [0x0B], 35: [0x0B], 36: [0x10], 37: ["full"], 38: [0x10, 0x12], 39: [0x10, 0x16], 40: ["full"],
    41: [0x0B], 42: ["full"], 43: [0x1F], 44: ["full"], 45: ["full"], 46: [0x09], 126: ["full"],
    127: [0x04],
}


# Types whose record count comes from the length itself (§7.11, §7.15) or whose body is opaque (§7.48).
SIZED_BY_LENGTH = {10: lambda v: 4 + 2 * len(v["devices"]), 14: lambda v: 5 + 3 * len(v["group_items"]),
                   126: lambda v: 4 + len(v["body"])}


def build_structure(type_: int, handle: int, length, values: dict) -> bytes:
    """One structure, built by our schema; "full" is every field, "full-1" the last byte left off."""
    schema = S.DECODED_TYPES[type_]
    fields = {sub.name: None for sub in schema.subcons if sub.name}
    fields.update(values, extra=b"")
    strings = strings_for(type_)
    if isinstance(length, str) and type_ in SIZED_BY_LENGTH:
        length = SIZED_BY_LENGTH[type_](values)
    if isinstance(length, str):
        # The longest version: build at the largest length, then cut to what the fields took.
        raw = S.structure.build(Container(formatted=Container(type=type_, length=0xFF, handle=handle,
                                                              body=Container(fields)), strings=strings))
        parsed = S.structure.parse(raw)
        body = S.formatted_area.build(Container(type=type_, length=0xFF, handle=handle, body=parsed.formatted.body))
        length = len(body) - (1 if length == "full-1" else 0)
    formatted = Container(type=type_, length=length, handle=handle, body=Container(fields))
    raw = S.structure.build(Container(formatted=formatted, strings=strings))
    if type_ == 31:  # §7.32: the checksum byte makes the formatted area sum to zero
        raw = bytearray(raw)
        raw[4] = -sum(raw[:length]) & 0xFF
        raw = bytes(raw)
    return raw


def all_structures() -> list[tuple[int, object, int, bytes]]:
    """(type, length, variant, bytes) for every type, length and variant, each with its own handle."""
    out = []
    handle = 0x10
    for type_ in sorted(VALUES):
        if type_ == 127:
            continue
        for variant, values in enumerate(VALUES[type_]):
            for length in LENGTHS[type_]:
                out.append((type_, length, variant, build_structure(type_, handle, length, values)))
                handle += 1
    return out


# ---- dmidecode's output, keyed by handle and label

LIST_ITEM = "\t\t"


def parse_dmidecode(text: str) -> dict[int, dict]:
    """{handle: {"type", "title", "fields": {label: [values]}, "names": [block names]}}; a list attribute's value
    is the list of its items."""
    out = {}
    current = None
    last = None
    for line in text.splitlines():
        match = dmidecode.HANDLE_LINE.match(line)
        if match:
            current = out[int(match[1], 16)] = {"type": int(match[2]), "size": int(match[3]), "names": [],
                                                "fields": {}}
            continue
        if current is None or not line.strip():
            continue
        if not line.startswith("\t"):
            current["names"].append(line.strip())
        elif line.startswith(LIST_ITEM):
            values = current["fields"][last]
            if not isinstance(values[-1], list):  # "Label: count" then the items: the items are the value
                values[-1] = []
            values[-1].append(line.strip())
        else:
            label, _, value = line.strip().partition(":")
            value = value.strip()
            current["fields"].setdefault(label, []).append(value if value else [])
            last = label
    return out


# ---- our field -> dmidecode's label, by type. A kind says how our row reads against dmidecode's text:
#   "text": the meaning (or the value when there is no meaning);  "flat": the meaning's names joined by spaces;
#   "list": the meaning is dmidecode's list items joined by ", ";  "packed": "Label: value; ..." parts, each
#   compared under its own label;  "number": the value in decimal.

LABELS = {
    0: [("vendor", "Vendor", "text"), ("bios_version", "Version", "text"), ("bios_release_date", "Release Date",
                                                                              "text")],
    1: [("manufacturer", "Manufacturer", "text"), ("product_name", "Product Name", "text"),
        ("version", "Version", "text"), ("serial_number", "Serial Number", "text"),
        ("wake_up_type", "Wake-up Type", "text"), ("sku_number", "SKU Number", "text"), ("family", "Family", "text"),
        ("uuid", "UUID", "text")],
    2: [("manufacturer", "Manufacturer", "text"), ("product", "Product Name", "text"), ("version", "Version", "text"),
        ("serial_number", "Serial Number", "text"), ("asset_tag", "Asset Tag", "text"),
        ("feature_flags", "Features", "list"), ("location_in_chassis", "Location In Chassis", "text"),
        ("chassis_handle", "Chassis Handle", "text"), ("board_type", "Type", "text"),
        ("contained_object_handles", "Contained Object Handles", "items")],
    3: [("manufacturer", "Manufacturer", "text"), ("version", "Version", "text"), ("asset_tag", "Asset Tag", "text"),
        ("bootup_state", "Boot-up State", "text"), ("power_supply_state", "Power Supply State", "text"),
        ("thermal_state", "Thermal State", "text"), ("security_status", "Security Status", "text"),
        ("sku_number", "SKU Number", "text"), ("oem_defined", "OEM Information", "text"),
        ("height", "Height", "text"), ("number_of_power_cords", "Number Of Power Cords", "text")],
    4: [("socket_designation", "Socket Designation", "text"), ("processor_type", "Type", "text"),
        ("processor_manufacturer", "Manufacturer", "text"), ("processor_version", "Version", "text"),
        ("processor_upgrade", "Upgrade", "text"), ("serial_number", "Serial Number", "text"),
        ("asset_tag", "Asset Tag", "text"), ("part_number", "Part Number", "text"),
        ("voltage", "Voltage", "text"), ("external_clock", "External Clock", "text"),
        ("max_speed", "Max Speed", "text"), ("current_speed", "Current Speed", "text"),
        ("l1_cache_handle", "L1 Cache Handle", "text"), ("l2_cache_handle", "L2 Cache Handle", "text"),
        ("l3_cache_handle", "L3 Cache Handle", "text")],
    5: [("error_detecting_method", "Error Detecting Method", "text"),
        ("error_correcting_capability", "Error Correcting Capabilities", "list"),
        ("supported_interleave", "Supported Interleave", "text"), ("current_interleave", "Current Interleave", "text"),
        ("maximum_memory_module_size", "Maximum Memory Module Size", "text"),
        ("supported_speeds", "Supported Speeds", "list"), ("supported_memory_types", "Supported Memory Types", "list"),
        ("memory_module_voltage", "Memory Module Voltage", "flat"),
        ("memory_module_configuration_handles", "Associated Memory Slots", "items"),
        ("enabled_error_correcting_capabilities", "Enabled Error Correcting Capabilities", "list")],
    6: [("socket_designation", "Socket Designation", "text"), ("bank_connections", "Bank Connections", "text"),
        ("current_speed", "Current Speed", "text"), ("current_memory_type", "Type", "flat"),
        ("installed_size", "Installed Size", "text"), ("enabled_size", "Enabled Size", "text"),
        ("error_status", "Error Status", "text")],
    7: [("socket_designation", "Socket Designation", "text"), ("cache_configuration", None, "packed"),
        ("supported_sram_type", "Supported SRAM Types", "list"), ("current_sram_type", "Installed SRAM Type", "flat"),
        ("cache_speed", "Speed", "text"), ("error_correction_type", "Error Correction Type", "text"),
        ("system_cache_type", "System Type", "text"), ("associativity", "Associativity", "text")],
    8: [("internal_reference_designator", "Internal Reference Designator", "text"),
        ("internal_connector_type", "Internal Connector Type", "text"),
        ("external_reference_designator", "External Reference Designator", "text"),
        ("external_connector_type", "External Connector Type", "text"), ("port_type", "Port Type", "text")],
    9: [("slot_designation", "Designation", "text"), ("current_usage", "Current Usage", "text"),
        ("slot_length", "Length", "text"), ("data_bus_width", "Data Bus Width", "number"),
        ("peer_grouping_count", "Peer Devices", "number"), ("slot_height", "Height", "text")],
    11: [], 12: [],
    13: [("current_language", "Currently Installed Language", "text"),
         ("flags", "Language Description Format", "text")],
    14: [("group_name", "Name", "text")],
    15: [("log_area_length", "Area Length", "text"), ("log_header_start_offset", "Header Start Offset", "text"),
         ("log_data_start_offset", "Data Start Offset", "text"), ("access_method", "Access Method", "text"),
         ("access_method_address", "Access Address", "text"), ("log_status", "Status", "text"),
         ("log_change_token", "Change Token", "text"), ("log_header_format", "Header Format", "text"),
         ("number_of_supported_log_type_descriptors", "Supported Log Type Descriptors", "number")],
    16: [("location", "Location", "text"), ("use", "Use", "text"),
         ("memory_error_correction", "Error Correction Type", "text"),
         ("number_of_memory_devices", "Number Of Devices", "number"),
         ("memory_error_information_handle", "Error Information Handle", "text")],
    17: [("physical_memory_array_handle", "Array Handle", "text"),
         ("memory_error_information_handle", "Error Information Handle", "text"),
         ("total_width", "Total Width", "text"), ("data_width", "Data Width", "text"),
         ("form_factor", "Form Factor", "text"), ("device_set", "Set", "text"), ("device_locator", "Locator", "text"),
         ("bank_locator", "Bank Locator", "text"), ("memory_type", "Type", "text"),
         ("type_detail", "Type Detail", "flat"), ("speed", "Speed", "text"),
         ("manufacturer", "Manufacturer", "text"), ("serial_number", "Serial Number", "text"),
         ("asset_tag", "Asset Tag", "text"), ("part_number", "Part Number", "text"),
         ("attributes", "Rank", "rank"), ("configured_memory_speed", "Configured Memory Speed", "text"),
         ("minimum_voltage", "Minimum Voltage", "text"), ("maximum_voltage", "Maximum Voltage", "text"),
         ("configured_voltage", "Configured Voltage", "text"), ("memory_technology", "Memory Technology", "text"),
         ("memory_operating_mode_capability", "Memory Operating Mode Capability", "flat"),
         ("firmware_version", "Firmware Version", "text"),
         ("module_manufacturer_id", "Module Manufacturer ID", "text"),
         ("module_product_id", "Module Product ID", "text"),
         ("memory_subsystem_controller_manufacturer_id", "Memory Subsystem Controller Manufacturer ID", "text"),
         ("memory_subsystem_controller_product_id", "Memory Subsystem Controller Product ID", "text"),
         ("non_volatile_size", "Non-Volatile Size", "text"), ("volatile_size", "Volatile Size", "text"),
         ("cache_size", "Cache Size", "text"), ("logical_size", "Logical Size", "text")],
    18: [("error_type", "Type", "text"), ("error_granularity", "Granularity", "text"),
         ("error_operation", "Operation", "text"), ("vendor_syndrome", "Vendor Syndrome", "text"),
         ("memory_array_error_address", "Memory Array Address", "text"),
         ("device_error_address", "Device Address", "text"), ("error_resolution", "Resolution", "text")],
    19: [("memory_array_handle", "Physical Array Handle", "text"),
         ("partition_width", "Partition Width", "number")],
    20: [("memory_device_handle", "Physical Device Handle", "text"),
         ("memory_array_mapped_address_handle", "Memory Array Mapped Address Handle", "text"),
         ("partition_row_position", "Partition Row Position", "text"),
         ("interleaved_data_depth", "Interleaved Data Depth", "text")],
    21: [("pointing_type", "Type", "text"), ("interface", "Interface", "text"),
         ("number_of_buttons", "Buttons", "number")],
    22: [("location", "Location", "text"), ("manufacturer", "Manufacturer", "text"), ("device_name", "Name", "text"),
         ("design_capacity", "Design Capacity", "text"), ("design_voltage", "Design Voltage", "text"),
         ("sbds_version_number", "SBDS Version", "text"),
         ("maximum_error_in_battery_data", "Maximum Error", "text"), ("oem_specific", "OEM-specific Information",
                                                                       "text")],
    23: [("capabilities", None, "packed"), ("reset_count", "Reset Count", "text"),
         ("reset_limit", "Reset Limit", "text"), ("timer_interval", "Timer Interval", "text"),
         ("timeout", "Timeout", "text")],
    24: [("hardware_security_settings", None, "packed")],
    26: [("description", "Description", "text"), ("location_and_status", None, "packed"),
         ("maximum_value", "Maximum Value", "text"), ("minimum_value", "Minimum Value", "text"),
         ("resolution", "Resolution", "text"), ("tolerance", "Tolerance", "text"), ("accuracy", "Accuracy", "text"),
         ("oem_defined", "OEM-specific Information", "text"), ("nominal_value", "Nominal Value", "text")],
    27: [("temperature_probe_handle", "Temperature Probe Handle", "text"), ("device_type_and_status", None, "packed"),
         ("cooling_unit_group", "Cooling Unit Group", "text"), ("oem_defined", "OEM-specific Information", "text"),
         ("nominal_speed", "Nominal Speed", "text"), ("description", "Description", "text")],
    30: [("manufacturer_name", "Manufacturer Name", "text"), ("connections", None, "packed")],
    31: [("bis_entry_16", "16-bit Entry Point Address", "text"), ("bis_entry_32", "32-bit Entry Point Address",
                                                                   "text")],
    34: [("description", "Description", "text"), ("device_type", "Type", "text"), ("address", "Address", "text"),
         ("address_type", "Address Type", "text")],
    35: [("description", "Description", "text"), ("management_device_handle", "Management Device Handle", "text"),
         ("component_handle", "Component Handle", "text"), ("threshold_handle", "Threshold Handle", "text")],
    36: [("lower_threshold_non_critical", "Lower Non-critical Threshold", "text"),
         ("upper_threshold_non_critical", "Upper Non-critical Threshold", "text"),
         ("lower_threshold_critical", "Lower Critical Threshold", "text"),
         ("upper_threshold_critical", "Upper Critical Threshold", "text"),
         ("lower_threshold_non_recoverable", "Lower Non-recoverable Threshold", "text"),
         ("upper_threshold_non_recoverable", "Upper Non-recoverable Threshold", "text")],
    37: [("channel_type", "Type", "text"), ("maximum_channel_load", "Maximal Load", "number"),
         ("memory_device_count", "Devices", "number")],
    38: [("interface_type", "Interface Type", "text"),
         ("ipmi_specification_revision", "Specification Version", "text"),
         ("i2c_target_address", "I2C Slave Address", "text"), ("base_address", "Base Address", "text"),
         ("base_address_modifier", None, "packed"), ("interrupt_number", "Interrupt Number", "text")],
    39: [("power_unit_group", "Power Unit Group", "text"), ("location", "Location", "text"),
         ("device_name", "Name", "text"), ("manufacturer", "Manufacturer", "text"),
         ("serial_number", "Serial Number", "text"), ("asset_tag_number", "Asset Tag", "text"),
         ("model_part_number", "Model Part Number", "text"), ("revision_level", "Revision", "text"),
         ("max_power_capacity", "Max Power Capacity", "text"), ("power_supply_characteristics", None, "packed"),
         ("input_voltage_probe_handle", "Input Voltage Probe Handle", "text"),
         ("cooling_device_handle", "Cooling Device Handle", "text"),
         ("input_current_probe_handle", "Input Current Probe Handle", "text")],
    41: [("reference_designation", "Reference Designation", "text"),
         ("device_type_instance", "Type Instance", "number"), ("device_function_number", "Bus Address", "text")],
    43: [("vendor_id", "Vendor ID", "text"), ("description", "Description", "text"),
         ("characteristics", "Characteristics", "list"), ("oem_defined", "OEM-specific Information", "text")],
    45: [("firmware_component_name", "Firmware Component Name", "text"),
         ("firmware_version", "Firmware Version", "text"), ("firmware_id", "Firmware ID", "text"),
         ("release_date", "Release Date", "text"), ("manufacturer", "Manufacturer", "text"),
         ("lowest_supported_firmware_version", "Lowest Supported Firmware Version", "text"),
         ("image_size", "Image Size", "text"), ("characteristics", "Characteristics", "list"),
         ("state", "State", "text"),
         ("associated_component_handles", "Associated Components", "items")],
}
LABELS[33] = LABELS[18]  # §7.34: type 18's fields with 64-bit addresses
# What dmidecode leaves out: values it does not print (none, absent) mean the label is missing there.
NOT_PRINTED = {"none", "not interleaved", "not available", ""}


def our_text(row, kind: str):
    meaning = row.meaning
    if meaning == "no string":  # §6.1.3: index 0
        return "Not Specified"
    if kind == "number":
        return str(row.value)
    if kind == "handle":
        return f"0x{row.value:04X}"
    if kind == "flat":
        return meaning.replace(", ", " ")
    if kind == "rank":
        return meaning.replace("Rank ", "")
    if meaning:
        return meaning
    return row.value.decode() if isinstance(row.value, bytes) else str(row.value)


# The name tables older than this test (types 0-4, 16, 17, 19, 32) capitalise a few words otherwise than
# dmidecode ("System board or motherboard"); for those the comparison ignores case.
CASE_FREE = {0, 1, 3, 4, 16, 17, 19, 32}


def compare(structure, printed: dict) -> tuple[list[str], int]:
    """Mismatches between our rows and dmidecode's fields for one structure, and how many values agreed."""
    rows = {r.name: r for r in structure_rows(structure)}
    fields = printed["fields"]
    problems, agreed = [], 0

    def check(label, ours, where):
        nonlocal agreed
        theirs = fields.get(label)
        if ours in NOT_PRINTED:
            return
        if theirs is None:
            problems.append(f"{where}: dmidecode prints no {label!r} (ours {ours!r})")
            return
        values = [", ".join(v) if isinstance(v, list) else v for v in theirs]
        if structure.type in CASE_FREE:
            ours, values = ours.lower(), [v.lower() for v in values]
        if ours.strip() not in values:
            problems.append(f"{where}: {label!r} is {values} in dmidecode, {ours!r} in ours")
        else:
            agreed += 1

    for field, label, kind in LABELS.get(structure.type, ()):
        if kind == "items":
            items = [rows[name] for name in rows if name.startswith(field + "[")]
            if items:
                check(label, ", ".join(r.meaning for r in items), field)
            continue
        row = rows.get(field)
        if row is None:
            continue
        if kind == "packed":
            for part in row.meaning.split("; "):
                part_label, _, value = part.partition(": ")
                check(part_label, value, field)
        else:
            check(label, our_text(row, kind), field)
    problems += _special(structure, rows, fields)
    agreed += sum(1 for _ in rows) if not problems else 0
    return problems, agreed


def _special(structure, rows, fields) -> list[str]:
    """The labels dmidecode builds from more than one of our fields."""
    out = []
    t = structure.type
    body = structure.parsed.body

    def expect(label, ours):
        theirs = fields.get(label)
        theirs = theirs and [", ".join(v) if isinstance(v, list) else v for v in theirs]
        if theirs is None or ours not in theirs:
            out.append(f"{label!r}: dmidecode {theirs}, ours {ours!r}")

    if t in (11, 12):  # §7.12, §7.13: the first `count` strings, one label each
        word = "String" if t == 11 else "Option"
        for i in range(1, body.count + 1):
            expect(f"{word} {i}", structure.strings[i - 1].decode())
    if t == 9:
        width = rows["slot_data_bus_width"].meaning
        slot = rows["slot_type"].meaning
        expect("Type", slot if width in ("Other", "Unknown") else f"{width} {slot}")
        expect("Characteristics", rows["slot_characteristics_1"].meaning if rows["slot_characteristics_1"].meaning
               in ("Unknown",) else ", ".join(m for m in (rows["slot_characteristics_1"].meaning,
                                                           rows.get("slot_characteristics_2") and
                                                           rows["slot_characteristics_2"].meaning) if m and m != "None")
               or "None")
        if body.device_function_number is not None and rows["device_function_number"].meaning != "none":
            expect("Bus Address", rows["device_function_number"].meaning)
        for i, group in enumerate(body.peer_groups or [], 1):
            address = rows[f"peer_groups[{i - 1}].device_function_number"].meaning
            expect(f"Peer Device {i}", f"{address} (Width {group.data_bus_width})")
        if body.slot_pitch:
            expect("Pitch", rows["slot_pitch"].meaning)
        if body.slot_physical_width:
            expect("Slot Physical Width", rows["slot_physical_width"].meaning)
        if body.slot_information:
            expect("PCI Express Generation", str(body.slot_information))
        if body.slot_type == 0x07:
            expect("ID", f"Adapter {body.slot_id & 0xFF}, Socket {body.slot_id >> 8}")
        elif body.slot_type in (0x06, 0xB6):
            expect("ID", str(body.slot_id & 0xFF))
    if t in (10, 41):
        prefix = "devices[{}]." if t == 10 else ""
        count = len(body.devices) if t == 10 else 1
        for i in range(count):
            kind, status = rows[prefix.format(i) + "device_type"].meaning.split(", ")
            for label, value in (("Type", kind), ("Status", status)):
                theirs = fields.get(label, [])
                if len(theirs) <= i or theirs[i] != value:
                    out.append(f"device {i}: {label} {theirs} != {value!r}")
            if t == 10:
                theirs = fields.get("Description", [])
                if len(theirs) <= i or theirs[i] != rows[f"devices[{i}].description"].meaning:
                    out.append(f"device {i}: Description {theirs}")
    if t == 14:
        ours = [f"0x{item.item_handle:04X} ({rows[f'group_items[{i}].item_type'].meaning})"
                for i, item in enumerate(body.group_items)]
        expect("Items", ", ".join(ours))
    if t == 3 and body.contained_elements:
        expect("Contained Elements", ", ".join(rows[f"contained_elements[{i}]"].meaning
                                               for i in range(len(body.contained_elements))))
    if t == 7:
        wide = body.installed_cache_size_2 is not None
        expect("Installed Size", rows["installed_cache_size_2" if wide else "installed_size"].meaning)
        wide = body.maximum_cache_size_2 is not None
        expect("Maximum Size", rows["maximum_cache_size_2" if wide else "maximum_cache_size"].meaning)
    if t == 17:
        if body.size == 0x7FFF and body.extended_size is not None:
            size = body.extended_size & 0x7FFFFFFF
            expect("Size", f"{size >> 10} GB" if size & 0x3FF == 0 and size & 0xFFC00 else f"{size} MB")
        elif body.size not in (0, 0xFFFF, 0x7FFF):
            kib = (body.size & 0x7FFF) if body.size & 0x8000 else body.size << 10
            from qboot_tables.smbios_types.formats import memory_size
            expect("Size", memory_size(kib, 1))
    if t == 40:
        for i, entry in enumerate(body.entries):
            for label, name in (("Referenced Handle", "referenced_handle"), ("Referenced Offset", "referenced_offset"),
                                ("String", "string"), ("Value", "value")):
                theirs = fields.get(label, [])
                ours = rows[f"entries[{i}].{name}"].meaning
                if len(theirs) <= i or theirs[i] != ours:
                    out.append(f"entry {i}: {label} {theirs} != {ours!r}")
    if t == 42:
        expect("Interface Type", rows["interface_type"].meaning)
    if t == 43:
        expect("Specification Version", f"{body.major_spec_version}.{body.minor_spec_version}")
        expect("Firmware Revision", rows["firmware_version_1"].meaning)
    if t == 25:
        order = ["next_scheduled_power_on_" + n for n in ("month", "day_of_month", "hour", "minute", "second")]
        parts = [rows[name].meaning if name in rows else None for name in order]
        expect("Next Scheduled Power-on", f"{parts[0]}-{parts[1]} {parts[2]}:{parts[3]}:{parts[4]}")
    if t == 32:
        expect("Status", rows["boot_status"].meaning)

    if t == 0:  # the BIOS segment as an address; the release numbers unless FFh
        expect("Address", rows["bios_starting_address_segment"].meaning.upper().replace("0X", "0x"))
        if body.system_bios_major_release is not None:
            expect("BIOS Revision", f"{body.system_bios_major_release}.{body.system_bios_minor_release}")
            expect("Firmware Revision", f"{body.embedded_controller_major_release}."
                                        f"{body.embedded_controller_minor_release}")
    if t in (19, 20):  # the same addresses, however many digits each side writes
        for label, name in (("Starting Address", "starting_address"), ("Ending Address", "ending_address")):
            theirs = fields.get(label, ["?"])[0]
            if int(theirs.rstrip("k"), 16) != int(rows[name].meaning, 16):
                out.append(f"{label}: dmidecode {theirs}, ours {rows[name].meaning}")
    if t in (28, 29):
        values = ("Maximum Value", "maximum_value"), ("Resolution", "resolution"), ("Accuracy", "accuracy")
        for label, name in values:
            if rows[name].meaning != "Unknown":
                expect(label, rows[name].meaning)
        location, status = (p.split(": ")[1] for p in rows["location_and_status"].meaning.split("; "))
        expect("Location", location)
        expect("Status", status)
    return out


@pytest.fixture(scope="module")
def decoded(tmp_path_factory):
    structures = all_structures()
    tables = b"".join(raw for *_, raw in structures) + build_structure(127, 0xFFFE, 4, {})
    smbios = smbios_30(tables)
    path = tmp_path_factory.mktemp("smbios") / "all.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    binary = dmidecode.locate()
    text = subprocess.run([binary, "--from-dump", str(path)], capture_output=True, text=True, check=True).stdout
    return structures, smbios, parse_dmidecode(text), text


CASES = [(type_, length, variant) for type_ in sorted(VALUES) if type_ != 127
         for variant in range(len(VALUES[type_])) for length in LENGTHS[type_]]


@needs_dmidecode
@pytest.mark.parametrize("type_,length,variant", CASES, ids=[f"type{t}-{l if isinstance(l, str) else hex(l)}-v{v}"
                                                             for t, l, v in CASES])
def test_dmidecode_agrees(decoded, type_, length, variant):
    structures, smbios, printed, _text = decoded
    index = next(i for i, (t, n, v, _) in enumerate(structures) if (t, n, v) == (type_, length, variant))
    ours = smbios.structures[index]
    theirs = printed[ours.handle]
    # The header: the same type and formatted-area length at the same handle.
    assert (theirs["type"], theirs["size"]) == (ours.type, ours.length)
    if type_ in (44, 46):  # dmidecode 3.4 does not decode these: it dumps the formatted area, which must be ours
        dump = " ".join(f"{b:02X}" for b in ours.formatted)
        assert " ".join(theirs["fields"]["Header and Data"][0]) == dump
        return
    problems, _agreed = compare(ours, theirs)
    assert not problems, problems
    if type_ == 126:  # §7.48: nothing to decode, but dmidecode must see it as inactive
        assert theirs["names"] == ["Inactive"] and theirs["fields"] == {}
    # Built as the spec lays it out: validation finds nothing wrong with the length or the strings. (Handles
    # point at structures the table does not have, and a 2.1-length type 17 cannot hold its extended size.)
    findings = [f for f in validate_smbios(smbios) if f.table == ours.name]
    assert not [f for f in findings if f.field == "length" or f.field.startswith("string")], findings


@needs_dmidecode
def test_dmidecode_reads_the_whole_table_cleanly(decoded):
    structures, smbios, printed, text = decoded
    result = dmidecode.parse_output(text)
    assert result.ok, result.warnings + result.errors
    assert len(printed) == len(structures) + 1  # and the End-of-Table


def test_every_type_and_descriptor_is_exercised():
    assert sorted(VALUES) == sorted(DESCRIPTORS)
    assert all(LENGTHS[t][0] in (DESCRIPTORS[t].min_length, "full") for t in VALUES if t != 127)


# ---- QEMU carries such structures to the guest: -smbios file= puts them in etc/smbios/smbios-tables


@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="QEMU not installed")
def test_qemu_passes_structures_through(tmp_path):
    from qboot_tables.smbios import place_smbios
    from qboot_tables.tools import qemu

    chosen = [(t, n, v, raw) for t, n, v, raw in all_structures() if (t, v) in {(11, 0), (9, 0), (41, 0), (43, 0)}
              and n == LENGTHS[t][-1]]
    args = ["-M", "q35", "-accel", "tcg", "-m", "128M"]
    for i, (_t, _n, _v, raw) in enumerate(chosen):
        path = tmp_path / f"t{i}.bin"
        path.write_bytes(raw)
        args += ["-smbios", f"file={path}"]
    snapshot = qemu.capture(args, timeout=20)
    tables = snapshot.file("etc/smbios/smbios-tables")
    smbios = place_smbios(snapshot.file("etc/smbios/smbios-anchor"), tables, TABLE_ADDRESS, ENTRY_ADDRESS)
    given = {raw for *_, raw in chosen}
    assert given <= {s.raw for s in smbios.structures}
    assert {s.type for s in smbios.structures} >= {9, 11, 41, 43}


def test_anchor_helper_is_the_one_in_test_smbios():
    # The table the oracle reads is wrapped exactly as tests/test_smbios.py wraps its own.
    assert anchor_30(b"\0" * 4)[:5] == S.ANCHOR_30 and split_structures(build_structure(127, 1, 4, {}))[0].type == 127


# ---- the entry points beside 2.1: a bare legacy `_DMI_` one, and 3.0's maximum table size

def legacy_anchor(tables: bytes, count: int, bcd: int = 0x20) -> bytes:
    """A legacy DMI entry point, field by field: anchor, checksum, length, address, count, BCD revision."""
    raw = bytearray(b"_DMI_" + b"\0" + len(tables).to_bytes(2, "little") + bytes(4) + count.to_bytes(2, "little")
                    + bytes([bcd]))
    raw[5] = -sum(raw) & 0xFF
    return bytes(raw)


@needs_dmidecode
def test_legacy_dmi_entry_point(tmp_path):
    from qboot_tables.smbios import describe_entry_point, make_smbios, place_smbios, read_smbios_dump

    tables = build_structure(11, 0x10, 5, VALUES[11][0]) + build_structure(127, 0x11, 4, {})
    smbios = place_smbios(legacy_anchor(tables, 2), tables, TABLE_ADDRESS, ENTRY_ADDRESS)
    assert smbios.is_legacy and not smbios.is_64bit and smbios.version == (2, 0)
    assert validate_smbios(smbios) == []
    rows = {r["name"]: r for r in describe_entry_point(smbios)}
    assert rows["checksum"]["meaning"] == "valid" and rows["bcd_revision"]["meaning"] == "2.0"
    assert rows["structure_table_address"]["offset"] == 8
    path = tmp_path / "legacy.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    text = subprocess.run([dmidecode.locate(), "--from-dump", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert "Legacy DMI 2.0 present." in text
    assert parse_dmidecode(text)[0x10]["fields"]["String 3"] == [strings_for(11)[2].decode()]
    again = read_smbios_dump(str(path))
    assert again.is_legacy and again.table_raw == tables and [s.type for s in again.structures] == [11, 127]
    # A wrong count and a broken checksum are findings, as for 2.1.
    broken = bytearray(legacy_anchor(tables, 3))
    broken[0x0E] ^= 1
    fields = {f.field for f in validate_smbios(make_smbios(bytes(broken), tables))}
    assert {"checksum", "number_of_structures"} <= fields


@needs_dmidecode
def test_smbios3_maximum_size_is_not_the_length(tmp_path):
    from qboot_tables.smbios import make_smbios, place_smbios, read_smbios_dump

    tables = build_structure(41, 0x10, 0x0B, VALUES[41][0]) + build_structure(127, 0x11, 4, {})
    # §5.2.2: the table may be shorter than the maximum; it ends at the End-of-Table.
    smbios = place_smbios(anchor_30(tables + bytes(64)), tables, TABLE_ADDRESS, ENTRY_ADDRESS)
    assert validate_smbios(smbios) == [] and smbios.declared_table_length == len(tables) + 64
    path = tmp_path / "roomy.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    result = dmidecode.run_from_dump(str(path))
    assert result.ok and [h.type for h in result.handles] == [41, 127]
    assert [s.type for s in read_smbios_dump(str(path)).structures] == [41, 127]
    # A maximum smaller than the structures is an error.
    tight = bytearray(anchor_30(tables[:-2]))
    tight[5] = -sum(tight) & 0xFF
    assert "structure_table_max_size" in {f.field for f in validate_smbios(make_smbios(bytes(tight), tables))}


@needs_dmidecode
@pytest.mark.parametrize("device", [b"\x03" + bytes.fromhex("8680 3315 f31b 0100"), b"\x02\x6b\x1d\x02\x01\x00",
                                    b"\x80\x00\x00\x01\x57"], ids=["pci", "usb", "oem"])
def test_host_interface_from_smbios_32(tmp_path, device):
    # From 3.2 on dmidecode reads type 42's interface data and protocol records (DSP0270's network interface).
    values = dict(interface_type=0x40, interface_type_specific_data_length=len(device),
                  interface_type_specific_data=device, number_of_protocol_records=2,
                  protocol_records=[dict(protocol_type=2, protocol_type_specific_data_length=1,
                                         protocol_type_specific_data=b"\x00"),
                                    dict(protocol_type=3, protocol_type_specific_data_length=0,
                                         protocol_type_specific_data=b"")])
    tables = build_structure(42, 0x10, "full", values) + build_structure(127, 0x11, 4, {})
    from qboot_tables.smbios import place_smbios

    smbios = place_smbios(anchor_30(tables, version=(3, 2)), tables, TABLE_ADDRESS, ENTRY_ADDRESS)
    assert validate_smbios(smbios) == []
    path = tmp_path / "t42.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    text = subprocess.run([dmidecode.locate(), "--from-dump", str(path)], capture_output=True, text=True,
                          check=True).stdout
    fields = parse_dmidecode(text)[0x10]["fields"]
    rows = {r.name: r for r in structure_rows(smbios.structures[0])}
    assert fields["Host Interface Type"] == [rows["interface_type"].meaning] == ["Network"]
    for part in rows["interface_type_specific_data"].meaning.split("; "):
        label, _, value = part.partition(": ")
        assert fields[label] == [value], label
    assert fields["Protocol ID"] == [rows[f"protocol_records[{i}].protocol_type"].meaning for i in range(2)]
