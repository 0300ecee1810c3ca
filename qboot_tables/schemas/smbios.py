"""SMBIOS: the 2.1, 3.0 and legacy DMI entry points, structures (formatted area plus string set), and their name tables."""
import importlib
from collections.abc import Mapping

from construct import (Array, Bytes, Construct, ExprAdapter, FixedSized, GreedyBytes, If, Int8ul, Int16ul, Int32ul, Int64ul,
                       NullTerminated, RepeatUntil, Struct, Switch, this)

# §6.1.2 and §6.1.3: the header size, the handle range and the helpers every structure schema is made of; they
# live in smbios_fields so that smbios_ext can use them too (MAX_HANDLE is re-exported for the validation).
from qboot_tables.schemas.smbios_fields import (HEADER_SIZE, MAX_HANDLE, STRING, TYPE_END_OF_TABLE,  # noqa: F401
                                                body, fields_at_spec_offsets)

# Citations are to DMTF DSP0134 (SMBIOS) 3.6.0 unless a field is newer; "(2.4+)" says which version added it.

ANCHOR_21 = b"_SM_"
INTERMEDIATE_ANCHOR = b"_DMI_"
ANCHOR_30 = b"_SM3_"
ENTRY_POINT_21_SIZE = 0x1F
ENTRY_POINT_30_SIZE = 0x18
# §5.2.1: the first checksum covers bytes 0x00-0x0F, the intermediate one 0x10 to the end of the entry point.
INTERMEDIATE_OFFSET = 0x10

# §5.2.1 SMBIOS 2.1 (32-bit) Entry Point.
entry_point_21 = Struct(
    "anchor" / Bytes(4),  # "_SM_"
    "checksum" / Int8ul,
    "length" / Int8ul,  # 0x1F
    "major_version" / Int8ul,
    "minor_version" / Int8ul,
    "max_structure_size" / Int16ul,
    "entry_point_revision" / Int8ul,
    "formatted_area" / Bytes(5),
    "intermediate_anchor" / Bytes(5),  # "_DMI_"
    "intermediate_checksum" / Int8ul,
    "structure_table_length" / Int16ul,
    "structure_table_address" / Int32ul,
    "number_of_structures" / Int16ul,
    "bcd_revision" / Int8ul,
)

# The legacy DMI entry point (DMI 2.0, kept by §5.2.1 as the intermediate part of the 2.1 entry point): firmware
# older than SMBIOS 2.1 has `_DMI_` on a 16-byte boundary with no `_SM_` anchor in front. The version is
# only the BCD revision.
ENTRY_POINT_LEGACY_SIZE = 0x0F
entry_point_legacy = Struct(
    "anchor" / Bytes(5),  # "_DMI_"
    "checksum" / Int8ul,  # over the 15 bytes
    "structure_table_length" / Int16ul,
    "structure_table_address" / Int32ul,
    "number_of_structures" / Int16ul,
    "bcd_revision" / Int8ul,
)

# §5.2.2 SMBIOS 3.0 (64-bit) Entry Point. The table length is a maximum: the table ends at type 127.
entry_point_30 = Struct(
    "anchor" / Bytes(5),  # "_SM3_"
    "checksum" / Int8ul,
    "length" / Int8ul,  # 0x18
    "major_version" / Int8ul,
    "minor_version" / Int8ul,
    "docrev" / Int8ul,
    "entry_point_revision" / Int8ul,  # 01h: the 3.0 entry point
    "reserved" / Int8ul,
    "structure_table_max_size" / Int32ul,
    "structure_table_address" / Int64ul,
)

# §7.1 BIOS Information (Type 0).
bios_information = body(*fields_at_spec_offsets(
    "vendor" / STRING,
    "bios_version" / STRING,
    "bios_starting_address_segment" / Int16ul,
    "bios_release_date" / STRING,
    "bios_rom_size" / Int8ul,
    "bios_characteristics" / Int64ul,
    "bios_characteristics_extension_1" / Int8ul,  # 2.4+
    "bios_characteristics_extension_2" / Int8ul,  # 2.4+
    "system_bios_major_release" / Int8ul,  # 2.4+
    "system_bios_minor_release" / Int8ul,  # 2.4+
    "embedded_controller_major_release" / Int8ul,  # 2.4+
    "embedded_controller_minor_release" / Int8ul,  # 2.4+
    "extended_bios_rom_size" / Int16ul,  # 3.1+
))

# §7.2 System Information (Type 1).
system_information = body(*fields_at_spec_offsets(
    "manufacturer" / STRING,
    "product_name" / STRING,
    "version" / STRING,
    "serial_number" / STRING,
    "uuid" / Bytes(16),  # 2.1+; §7.2.1: the first three fields are little-endian since 2.6
    "wake_up_type" / Int8ul,  # 2.1+
    "sku_number" / STRING,  # 2.4+
    "family" / STRING,  # 2.4+
))

# §7.4 System Enclosure or Chassis (Type 3). The contained element records (2.3+) are n records of m
# bytes each, so the SKU number (2.7+) sits at 15h + n*m.
CHASSIS_ELEMENTS_OFFSET = 0x15


def _chassis_elements_end(ctx):
    if ctx.contained_element_count is None or ctx.contained_element_record_length is None:
        return None
    return CHASSIS_ELEMENTS_OFFSET + ctx.contained_element_count * ctx.contained_element_record_length


chassis = body(
    *fields_at_spec_offsets(
        "manufacturer" / STRING,
        "chassis_type" / Int8ul,  # bit 7: chassis lock present; bits 6:0 the type (§7.4.1)
        "version" / STRING,
        "serial_number" / STRING,
        "asset_tag" / STRING,
        "bootup_state" / Int8ul,  # 2.1+
        "power_supply_state" / Int8ul,  # 2.1+
        "thermal_state" / Int8ul,  # 2.1+
        "security_status" / Int8ul,  # 2.1+
        "oem_defined" / Int32ul,  # 2.3+
        "height" / Int8ul,  # 2.3+, in U (1.75 inches); 0 unspecified
        "number_of_power_cords" / Int8ul,  # 2.3+
        "contained_element_count" / Int8ul,  # 2.3+
        "contained_element_record_length" / Int8ul,  # 2.3+
    ),
    "contained_elements" / If(
        lambda ctx: _chassis_elements_end(ctx) is not None and ctx._.length >= _chassis_elements_end(ctx),
        Array(this.contained_element_count, Bytes(this.contained_element_record_length))),
    "sku_number" / If(  # 2.7+
        lambda ctx: _chassis_elements_end(ctx) is not None and ctx._.length >= _chassis_elements_end(ctx) + 1,
        STRING),
)

# §7.5 Processor Information (Type 4).
processor = body(*fields_at_spec_offsets(
    "socket_designation" / STRING,
    "processor_type" / Int8ul,
    "processor_family" / Int8ul,  # FEh: see processor_family_2
    "processor_manufacturer" / STRING,
    "processor_id" / Int64ul,  # on x86 CPUID leaf 1 EAX then EDX (§7.5.3)
    "processor_version" / STRING,
    "voltage" / Int8ul,
    "external_clock" / Int16ul,  # MHz
    "max_speed" / Int16ul,  # MHz
    "current_speed" / Int16ul,  # MHz
    "status" / Int8ul,
    "processor_upgrade" / Int8ul,
    "l1_cache_handle" / Int16ul,  # 2.1+
    "l2_cache_handle" / Int16ul,  # 2.1+
    "l3_cache_handle" / Int16ul,  # 2.1+
    "serial_number" / STRING,  # 2.3+
    "asset_tag" / STRING,  # 2.3+
    "part_number" / STRING,  # 2.3+
    "core_count" / Int8ul,  # 2.5+; FFh: see core_count_2
    "core_enabled" / Int8ul,  # 2.5+; FFh: see core_enabled_2
    "thread_count" / Int8ul,  # 2.5+; FFh: see thread_count_2
    "processor_characteristics" / Int16ul,  # 2.5+
    "processor_family_2" / Int16ul,  # 2.6+
    "core_count_2" / Int16ul,  # 3.0+
    "core_enabled_2" / Int16ul,  # 3.0+
    "thread_count_2" / Int16ul,  # 3.0+
    "thread_enabled" / Int16ul,  # 3.6+
))

# §7.17 Physical Memory Array (Type 16).
physical_memory_array = body(*fields_at_spec_offsets(
    "location" / Int8ul,
    "use" / Int8ul,
    "memory_error_correction" / Int8ul,
    "maximum_capacity" / Int32ul,  # KiB; 8000_0000h: see extended_maximum_capacity
    "memory_error_information_handle" / Int16ul,  # FFFEh not provided, FFFFh no error
    "number_of_memory_devices" / Int16ul,
    "extended_maximum_capacity" / Int64ul,  # 2.7+, bytes
))

# §7.18 Memory Device (Type 17).
memory_device = body(*fields_at_spec_offsets(
    "physical_memory_array_handle" / Int16ul,
    "memory_error_information_handle" / Int16ul,
    "total_width" / Int16ul,  # bits; FFFFh unknown
    "data_width" / Int16ul,  # bits; FFFFh unknown
    "size" / Int16ul,  # bit 15 set: KiB, else MiB; 7FFFh: see extended_size; FFFFh unknown
    "form_factor" / Int8ul,
    "device_set" / Int8ul,
    "device_locator" / STRING,
    "bank_locator" / STRING,
    "memory_type" / Int8ul,
    "type_detail" / Int16ul,
    "speed" / Int16ul,  # 2.3+, MT/s
    "manufacturer" / STRING,  # 2.3+
    "serial_number" / STRING,  # 2.3+
    "asset_tag" / STRING,  # 2.3+
    "part_number" / STRING,  # 2.3+
    "attributes" / Int8ul,  # 2.6+, bits 3:0 rank
    "extended_size" / Int32ul,  # 2.7+, MiB
    "configured_memory_speed" / Int16ul,  # 2.7+, MT/s
    "minimum_voltage" / Int16ul,  # 2.8+, mV
    "maximum_voltage" / Int16ul,  # 2.8+, mV
    "configured_voltage" / Int16ul,  # 2.8+, mV
    "memory_technology" / Int8ul,  # 3.2+
    "memory_operating_mode_capability" / Int16ul,  # 3.2+
    "firmware_version" / STRING,  # 3.2+
    "module_manufacturer_id" / Int16ul,  # 3.2+
    "module_product_id" / Int16ul,  # 3.2+
    "memory_subsystem_controller_manufacturer_id" / Int16ul,  # 3.2+
    "memory_subsystem_controller_product_id" / Int16ul,  # 3.2+
    "non_volatile_size" / Int64ul,  # 3.2+
    "volatile_size" / Int64ul,  # 3.2+
    "cache_size" / Int64ul,  # 3.2+
    "logical_size" / Int64ul,  # 3.2+
    "extended_speed" / Int32ul,  # 3.3+
    "extended_configured_memory_speed" / Int32ul,  # 3.3+
))

# §7.20 Memory Array Mapped Address (Type 19).
memory_array_mapped_address = body(*fields_at_spec_offsets(
    "starting_address" / Int32ul,  # KiB; FFFF_FFFFh: see the extended addresses
    "ending_address" / Int32ul,  # KiB, inclusive
    "memory_array_handle" / Int16ul,
    "partition_width" / Int8ul,
    "extended_starting_address" / Int64ul,  # 2.7+, bytes
    "extended_ending_address" / Int64ul,  # 2.7+, bytes
))

# §7.33 System Boot Information (Type 32): the boot status runs to the end of the formatted area, so
# `extra` is always empty here.
system_boot_information = body(
    *fields_at_spec_offsets("reserved" / Bytes(6)),
    "boot_status" / GreedyBytes,
)

# §7.44 End-of-Table (Type 127): the header only.
end_of_table = body()



# The types whose schemas and name tables live in smbios_ext.
EXT_TYPE_NUMBERS = frozenset({2, *range(5, 16), 18, *range(20, 32), *range(33, 47), 126})


class _BodySchemas(Mapping):
    """Every decoded type's body schema. smbios_ext's 37 are built on the first use of one of them, so that a
    dump of QEMU's nine types does not pay for them."""

    def __init__(self, core: dict) -> None:
        self._core = core
        self._all: dict | None = None

    def __getitem__(self, type_):
        if type_ in self._core:
            return self._core[type_]
        if type_ not in EXT_TYPE_NUMBERS:
            raise KeyError(type_)
        if self._all is None:
            self._all = {**self._core, **importlib.import_module("qboot_tables.schemas.smbios_ext").EXT_TYPES}
        return self._all[type_]

    def __contains__(self, type_) -> bool:
        return type_ in self._core or type_ in EXT_TYPE_NUMBERS

    def __iter__(self):
        return iter(sorted(self._core.keys() | EXT_TYPE_NUMBERS))

    def __len__(self) -> int:
        return len(self._core.keys() | EXT_TYPE_NUMBERS)


class _TypeSwitch(Switch):
    """construct's Switch, without reading every case when it is made (which would build them all)."""

    def __init__(self, keyfunc, cases, default) -> None:
        Construct.__init__(self)
        self.keyfunc, self.cases, self.default = keyfunc, cases, default
        self.flagbuildnone = False  # every body has fields to build


DECODED_TYPES = _BodySchemas({
    0: bios_information,
    1: system_information,
    3: chassis,
    4: processor,
    16: physical_memory_array,
    17: memory_device,
    19: memory_array_mapped_address,
    32: system_boot_information,
    TYPE_END_OF_TABLE: end_of_table,
})

# §6.1.2: the formatted area. `length` counts the whole header, so the body is length - 4 bytes. Other types
# keep their body raw. The common type_length_subtable helper cannot be used: the handle sits between the
# length and the body and belongs to every type, decoded or not.
header = Struct(
    "type" / Int8ul,
    "length" / Int8ul,  # the formatted area's, header included
    "handle" / Int16ul,
)
formatted_area = Struct(
    *header.subcons,
    "body" / FixedSized(this.length - HEADER_SIZE, _TypeSwitch(this.type, DECODED_TYPES, default=GreedyBytes)),
)

# §6.1.3 Text strings: NUL-terminated strings after the formatted area, the set ending in one more NUL; a
# structure without strings ends in two NULs. The set ends at the first empty string after the first, which
# is the first double NUL; the decoded list leaves out that terminator (and is [] for the empty set).
string_set = ExprAdapter(
    RepeatUntil(lambda string, strings, ctx: string == b"" and len(strings) > 1, NullTerminated(GreedyBytes)),
    decoder=lambda strings, ctx: [] if list(strings) == [b"", b""] else list(strings[:-1]),
    encoder=lambda strings, ctx: list(strings) + [b""] if strings else [b"", b""],
)

structure = Struct("formatted" / formatted_area, "strings" / string_set)

# ---- name tables, for the "meaning" column

# §7: the structure types, one §7.x heading each.
TYPE_NAMES = {
    0: "BIOS Information", 1: "System Information", 2: "Baseboard Information", 3: "System Enclosure or Chassis",
    4: "Processor Information", 5: "Memory Controller Information", 6: "Memory Module Information",
    7: "Cache Information", 8: "Port Connector Information", 9: "System Slots", 10: "On Board Devices Information",
    11: "OEM Strings", 12: "System Configuration Options", 13: "BIOS Language Information",
    14: "Group Associations", 15: "System Event Log", 16: "Physical Memory Array", 17: "Memory Device",
    18: "32-Bit Memory Error Information", 19: "Memory Array Mapped Address", 20: "Memory Device Mapped Address",
    21: "Built-in Pointing Device", 22: "Portable Battery", 23: "System Reset", 24: "Hardware Security",
    25: "System Power Controls", 26: "Voltage Probe", 27: "Cooling Device", 28: "Temperature Probe",
    29: "Electrical Current Probe", 30: "Out-of-Band Remote Access", 31: "Boot Integrity Services Entry Point",
    32: "System Boot Information", 33: "64-Bit Memory Error Information", 34: "Management Device",
    35: "Management Device Component", 36: "Management Device Threshold Data", 37: "Memory Channel",
    38: "IPMI Device Information", 39: "System Power Supply", 40: "Additional Information",
    41: "Onboard Devices Extended Information", 42: "Management Controller Host Interface", 43: "TPM Device",
    44: "Processor Additional Information", 45: "Firmware Inventory Information", 46: "String Property",
    126: "Inactive", 127: "End-of-Table",
}

# §7.1.1 BIOS Characteristics (bits 32-63 are reserved for the BIOS and system vendors).
BIOS_CHARACTERISTICS = {
    2: "Unknown", 3: "BIOS Characteristics are not supported", 4: "ISA", 5: "MCA", 6: "EISA", 7: "PCI",
    8: "PC card (PCMCIA)", 9: "Plug and Play", 10: "APM", 11: "BIOS is upgradeable (Flash)",
    12: "BIOS shadowing is allowed", 13: "VL-VESA", 14: "ESCD support", 15: "Boot from CD", 16: "Selectable boot",
    17: "BIOS ROM is socketed", 18: "Boot from PC card (PCMCIA)", 19: "EDD specification",
    20: "Int 13h Japanese floppy NEC 9800 1.2 MB", 21: "Int 13h Japanese floppy Toshiba 1.2 MB",
    22: "Int 13h 5.25\"/360 KB floppy", 23: "Int 13h 5.25\"/1.2 MB floppy", 24: "Int 13h 3.5\"/720 KB floppy",
    25: "Int 13h 3.5\"/2.88 MB floppy", 26: "Int 5h print screen", 27: "Int 9h 8042 keyboard",
    28: "Int 14h serial", 29: "Int 17h printer", 30: "Int 10h CGA/Mono video", 31: "NEC PC-98",
}
# §7.1.2.1 and §7.1.2.2: the BIOS characteristics extension bytes.
BIOS_CHARACTERISTICS_EXTENSION_1 = {
    0: "ACPI", 1: "USB legacy", 2: "AGP", 3: "I2O boot", 4: "LS-120 SuperDisk boot", 5: "ATAPI ZIP drive boot",
    6: "1394 boot", 7: "Smart battery",
}
BIOS_CHARACTERISTICS_EXTENSION_2 = {
    0: "BIOS Boot Specification", 1: "Function key-initiated network boot",
    2: "Targeted content distribution", 3: "UEFI Specification is supported",
    4: "SMBIOS table describes a virtual machine", 5: "Manufacturing mode is supported",
    6: "Manufacturing mode is enabled",
}

# §7.2.2 System: Wake-up Type.
WAKE_UP_TYPES = {0: "Reserved", 1: "Other", 2: "Unknown", 3: "APM Timer", 4: "Modem Ring", 5: "LAN Remote",
                 6: "Power Switch", 7: "PCI PME#", 8: "AC Power Restored"}

# §7.4.1 System Enclosure or Chassis Types (bits 6:0 of chassis_type).
CHASSIS_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Desktop", 0x04: "Low Profile Desktop", 0x05: "Pizza Box",
    0x06: "Mini Tower", 0x07: "Tower", 0x08: "Portable", 0x09: "Laptop", 0x0A: "Notebook", 0x0B: "Hand Held",
    0x0C: "Docking Station", 0x0D: "All in One", 0x0E: "Sub Notebook", 0x0F: "Space-saving", 0x10: "Lunch Box",
    0x11: "Main Server Chassis", 0x12: "Expansion Chassis", 0x13: "Sub Chassis", 0x14: "Bus Expansion Chassis",
    0x15: "Peripheral Chassis", 0x16: "RAID Chassis", 0x17: "Rack Mount Chassis", 0x18: "Sealed-case PC",
    0x19: "Multi-system chassis", 0x1A: "Compact PCI", 0x1B: "Advanced TCA", 0x1C: "Blade",
    0x1D: "Blade Enclosure", 0x1E: "Tablet", 0x1F: "Convertible", 0x20: "Detachable", 0x21: "IoT Gateway",
    0x22: "Embedded PC", 0x23: "Mini PC", 0x24: "Stick PC",
}
CHASSIS_LOCK_PRESENT = 0x80
# §7.4.2 System Enclosure or Chassis States (boot-up, power supply, thermal).
CHASSIS_STATES = {1: "Other", 2: "Unknown", 3: "Safe", 4: "Warning", 5: "Critical", 6: "Non-recoverable"}
# §7.4.3 System Enclosure or Chassis Security Status.
CHASSIS_SECURITY_STATUS = {1: "Other", 2: "Unknown", 3: "None", 4: "External interface locked out",
                           5: "External interface enabled"}

# §7.5.1 Processor Information: Processor Type.
PROCESSOR_TYPES = {1: "Other", 2: "Unknown", 3: "Central Processor", 4: "Math Processor", 5: "DSP Processor",
                   6: "Video Processor"}
# §7.5.2 Processor Information: Processor Family (a selection; processor_family_2 uses the same
# numbers and adds the values above FFh).
PROCESSOR_FAMILIES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "8086", 0x04: "80286", 0x05: "Intel386 processor",
    0x06: "Intel486 processor", 0x07: "8087", 0x08: "80287", 0x09: "80387", 0x0A: "80487",
    0x0B: "Intel Pentium processor", 0x0C: "Pentium Pro processor", 0x0D: "Pentium II processor",
    0x0E: "Pentium processor with MMX technology", 0x0F: "Intel Celeron processor",
    0x10: "Pentium II Xeon processor", 0x11: "Pentium III processor", 0x12: "M1 Family", 0x13: "M2 Family",
    0x14: "Intel Celeron M processor", 0x15: "Intel Pentium 4 HT processor", 0x18: "AMD Duron Processor Family",
    0x19: "K5 Family", 0x1A: "K6 Family", 0x1B: "K6-2", 0x1C: "K6-3", 0x1D: "AMD Athlon Processor Family",
    0x1E: "AMD29000 Family", 0x1F: "K6-2+", 0x28: "Intel Core Duo processor",
    0x29: "Intel Core Duo mobile processor", 0x2A: "Intel Core Solo mobile processor",
    0x2B: "Intel Atom processor", 0x2C: "Intel Core M processor", 0x2D: "Intel Core m3 processor",
    0x2E: "Intel Core m5 processor", 0x2F: "Intel Core m7 processor",
    0x83: "AMD Athlon 64 Processor Family", 0x84: "AMD Opteron Processor Family",
    0x85: "AMD Sempron Processor Family", 0x86: "AMD Turion 64 Mobile Technology",
    0x87: "Dual-Core AMD Opteron Processor Family", 0x88: "AMD Athlon 64 X2 Dual-Core Processor Family",
    0xB0: "Pentium III Xeon processor", 0xB1: "Pentium III Processor with Intel SpeedStep Technology",
    0xB2: "Pentium 4 Processor", 0xB3: "Intel Xeon processor", 0xB5: "Intel Xeon processor MP",
    0xB6: "AMD Athlon XP Processor Family", 0xB7: "AMD Athlon MP Processor Family",
    0xB8: "Intel Itanium 2 processor", 0xB9: "Intel Pentium M processor", 0xBA: "Intel Celeron D processor",
    0xBB: "Intel Pentium D processor", 0xBC: "Intel Pentium Processor Extreme Edition",
    0xBD: "Intel Core Solo Processor", 0xBF: "Intel Core 2 Duo Processor", 0xC0: "Intel Core 2 Solo processor",
    0xC1: "Intel Core 2 Extreme processor", 0xC2: "Intel Core 2 Quad processor",
    0xC6: "Intel Core i7 processor", 0xC7: "Dual-Core Intel Celeron processor",
    0xCD: "Intel Core i5 processor", 0xCE: "Intel Core i3 processor", 0xCF: "Intel Core i9 processor",
    0xFE: "Available in processor_family_2",
    0x100: "ARMv7", 0x101: "ARMv8", 0x102: "ARMv9", 0x118: "ARM", 0x119: "StrongARM",
    0x200: "RISC-V RV32", 0x201: "RISC-V RV64", 0x202: "RISC-V RV128",
}
PROCESSOR_FAMILY_SEE_FAMILY_2 = 0xFE
# §7.5.5 Processor Information: Processor Upgrade.
PROCESSOR_UPGRADES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "Daughter Board", 0x04: "ZIF Socket", 0x05: "Replaceable Piggy Back",
    0x06: "None", 0x07: "LIF Socket", 0x08: "Slot 1", 0x09: "Slot 2", 0x0A: "370-pin socket", 0x0B: "Slot A",
    0x0C: "Slot M", 0x0D: "Socket 423", 0x0E: "Socket A (Socket 462)", 0x0F: "Socket 478", 0x10: "Socket 754",
    0x11: "Socket 940", 0x12: "Socket 939", 0x13: "Socket mPGA604", 0x14: "Socket LGA771",
    0x15: "Socket LGA775", 0x16: "Socket S1", 0x17: "Socket AM2", 0x18: "Socket F (1207)",
    0x19: "Socket LGA1366", 0x1A: "Socket G34", 0x1B: "Socket AM3", 0x1C: "Socket C32", 0x1D: "Socket LGA1156",
    0x1E: "Socket LGA1567", 0x1F: "Socket PGA988A", 0x20: "Socket BGA1288", 0x21: "Socket rPGA988B",
    0x22: "Socket BGA1023", 0x23: "Socket BGA1224", 0x24: "Socket LGA1155", 0x25: "Socket LGA1356",
    0x26: "Socket LGA2011", 0x27: "Socket FS1", 0x28: "Socket FS2", 0x29: "Socket FM1", 0x2A: "Socket FM2",
    0x2B: "Socket LGA2011-3", 0x2C: "Socket LGA1356-3", 0x2D: "Socket LGA1150", 0x2E: "Socket BGA1168",
    0x2F: "Socket BGA1234", 0x30: "Socket BGA1364", 0x31: "Socket AM4", 0x32: "Socket LGA1151",
    0x33: "Socket BGA1356", 0x34: "Socket BGA1440", 0x35: "Socket BGA1515", 0x36: "Socket LGA3647-1",
    0x37: "Socket SP3", 0x38: "Socket SP3r2", 0x39: "Socket LGA2066", 0x3A: "Socket BGA1392",
    0x3B: "Socket BGA1510", 0x3C: "Socket BGA1528", 0x3D: "Socket LGA4189", 0x3E: "Socket LGA1200",
    0x3F: "Socket LGA4677",
}
# §7.5 Processor Information, the Status field: bits 2:0 (bit 6: CPU socket populated).
PROCESSOR_STATUS = {0: "Unknown", 1: "CPU Enabled", 2: "CPU Disabled by User through BIOS Setup",
                    3: "CPU Disabled by BIOS (POST Error)", 4: "CPU is Idle, waiting to be enabled", 7: "Other"}
PROCESSOR_SOCKET_POPULATED = 0x40
# §7.5.9 Processor Characteristics.
PROCESSOR_CHARACTERISTICS = {1: "Unknown", 2: "64-bit Capable", 3: "Multi-Core", 4: "Hardware Thread",
                             5: "Execute Protection", 6: "Enhanced Virtualization",
                             7: "Power/Performance Control", 8: "128-bit Capable", 9: "Arm64 SoC ID"}
# §7.5.6-§7.5.8: a count of FFh in the byte field means "see the 16-bit ..._2 field".
COUNT_SEE_FIELD_2 = 0xFF

# §7.17.1 Memory Array: Location.
MEMORY_ARRAY_LOCATIONS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "System board or motherboard", 0x04: "ISA add-on card",
    0x05: "EISA add-on card", 0x06: "PCI add-on card", 0x07: "MCA add-on card", 0x08: "PCMCIA add-on card",
    0x09: "Proprietary add-on card", 0x0A: "NuBus", 0xA0: "PC-98/C20 add-on card", 0xA1: "PC-98/C24 add-on card",
    0xA2: "PC-98/E add-on card", 0xA3: "PC-98/Local bus add-on card",
}
# §7.17.2 Memory Array: Use.
MEMORY_ARRAY_USES = {1: "Other", 2: "Unknown", 3: "System memory", 4: "Video memory", 5: "Flash memory",
                     6: "Non-volatile RAM", 7: "Cache memory"}
# §7.17.3 Memory Array: Error Correction Types.
MEMORY_ERROR_CORRECTION = {1: "Other", 2: "Unknown", 3: "None", 4: "Parity", 5: "Single-bit ECC",
                           6: "Multi-bit ECC", 7: "CRC"}
MAXIMUM_CAPACITY_SEE_EXTENDED = 0x80000000

# §7.18.1 Memory Device: Form Factor.
MEMORY_FORM_FACTORS = {
    0x01: "Other", 0x02: "Unknown", 0x03: "SIMM", 0x04: "SIP", 0x05: "Chip", 0x06: "DIP", 0x07: "ZIP",
    0x08: "Proprietary Card", 0x09: "DIMM", 0x0A: "TSOP", 0x0B: "Row of chips", 0x0C: "RIMM", 0x0D: "SODIMM",
    0x0E: "SRIMM", 0x0F: "FB-DIMM", 0x10: "Die",
}
# §7.18.2 Memory Device: Type.
MEMORY_TYPES = {
    0x01: "Other", 0x02: "Unknown", 0x03: "DRAM", 0x04: "EDRAM", 0x05: "VRAM", 0x06: "SRAM", 0x07: "RAM",
    0x08: "ROM", 0x09: "FLASH", 0x0A: "EEPROM", 0x0B: "FEPROM", 0x0C: "EPROM", 0x0D: "CDRAM", 0x0E: "3DRAM",
    0x0F: "SDRAM", 0x10: "SGRAM", 0x11: "RDRAM", 0x12: "DDR", 0x13: "DDR2", 0x14: "DDR2 FB-DIMM", 0x18: "DDR3",
    0x19: "FBD2", 0x1A: "DDR4", 0x1B: "LPDDR", 0x1C: "LPDDR2", 0x1D: "LPDDR3", 0x1E: "LPDDR4",
    0x1F: "Logical non-volatile device", 0x20: "HBM", 0x21: "HBM2", 0x22: "DDR5", 0x23: "LPDDR5",
}
# §7.18.3 Memory Device: Type Detail (bits).
MEMORY_TYPE_DETAIL = {
    1: "Other", 2: "Unknown", 3: "Fast-paged", 4: "Static column", 5: "Pseudo-static", 6: "RAMBUS",
    7: "Synchronous", 8: "CMOS", 9: "EDO", 10: "Window DRAM", 11: "Cache DRAM", 12: "Non-volatile",
    13: "Registered (Buffered)", 14: "Unbuffered (Unregistered)", 15: "LRDIMM",
}
# §7.18, the Size field: FFFFh is unknown, 7FFFh means "see extended_size", bit 15 selects KiB instead of MiB.
MEMORY_SIZE_UNKNOWN = 0xFFFF
MEMORY_SIZE_SEE_EXTENDED = 0x7FFF
MEMORY_SIZE_KIB = 0x8000

# §7.20: a starting address of FFFF_FFFFh means the extended (byte) addresses apply.
MAPPED_ADDRESS_SEE_EXTENDED = 0xFFFFFFFF

# §7.33 System Boot Information: the boot status codes (its first byte).
BOOT_STATUS = {
    0: "No errors detected", 1: "No bootable media", 2: "Normal operating system failed to load",
    3: "Firmware-detected hardware failure", 4: "Operating system-detected hardware failure",
    5: "User-requested boot", 6: "System security violation", 7: "Previously-requested image",
    8: "System watchdog timer expired",
}
