"""SMBIOS: the "etc/smbios/smbios-anchor" and "etc/smbios/smbios-tables" QEMU 7.2 builds for a MachineConfig.

Facts from QEMU 7.2's hw/smbios/smbios.c (smbios_get_tables, smbios_build_type_*_table, smbios_set_defaults,
smbios_entry_point_setup) and include/hw/firmware/smbios.h; checked byte for byte against every fixture.
QEMU gives each structure the fields of its own struct, so the formatted-area length is the size of the
fields we fill in, computed once in `_finish`; strings are numbered in the order QEMU adds them, an empty
string becomes index 0, and nothing is deduplicated.
"""
from __future__ import annotations

from construct import SizeofError, Struct

from qboot_tables.errors import build
from qboot_tables.generate.e820 import ram_ranges
from qboot_tables.generate.machine import GiB, KiB, MiB, MachineConfig, MachineConfigError
from qboot_tables.schemas import fw_cfg as F
from qboot_tables.schemas import smbios as S

MANUFACTURER = "QEMU"  # pc_piix.c / pc_q35.c smbios_set_defaults
DEFAULT_CPU_SPEED = 2000  # MHz, smbios.c DEFAULT_CPU_SPEED
# Handles: each type has its own base, and instances count up from it (smbios.c T*_BASE).
HANDLE_BASE = {0: 0x000, 1: 0x100, 2: 0x200, 3: 0x300, 4: 0x400, 11: 0xE00, 16: 0x1000, 17: 0x1100, 19: 0x1300,
               32: 0x2000, 41: 0x2900, S.TYPE_END_OF_TABLE: 0x7F00}
DIMM_SIZE = 16 * GiB  # smbios.c MAX_DIMM_SZ: RAM is described as 16 GiB DIMMs, the last one smaller
MAX_T16_STD_SZ = 0x8000_0000  # KiB: larger capacities go to extended_maximum_capacity
MAX_T17_STD_SZ = 0x7FFF  # MiB: larger DIMMs go to extended_size
MAX_T17_EXT_SZ = 0x8000_0000  # MiB
SMBIOS_21_MAX_TABLES_LEN = 0xFFFF  # the 2.1 entry point's 16-bit table length
UINT32_MAX = 0xFFFF_FFFF
NOT_PROVIDED = 0xFFFE  # memory error information handle: not provided
NO_CACHE = 0xFFFF  # processor cache handles: no cache information
UNKNOWN_WIDTH = 0xFFFF

BODY_SCHEMAS = S.DECODED_TYPES


class _Strings:
    """A structure's string set, numbered as QEMU's SMBIOS_TABLE_SET_STR numbers it."""

    def __init__(self):
        self.strings: list[bytes] = []

    def add(self, value: str | None) -> int:
        if not value:
            return 0  # an absent or empty string is index 0 and adds nothing
        # surrogateescape: arguments and -smbios path= files that are not UTF-8 keep their bytes, as in QEMU.
        self.strings.append(value.encode("utf-8", "surrogateescape"))
        return len(self.strings)


def _field_size(schema: Struct, name: str, fields: dict) -> int:
    """Bytes the field `name` of a body schema takes (the field as if the length covered it)."""
    key = (id(schema), name)
    if key in _FIXED_SIZES:
        return _FIXED_SIZES[key]
    for sub in schema.subcons:
        if sub.name == name:
            inner = sub.subcon
            inner = getattr(inner, "thensubcon", inner)  # If(...) fields: the field itself
            try:
                size = _FIXED_SIZES[key] = inner.sizeof()
            except SizeofError:
                # Sized by its value or by other fields (type 3's element array): the fields are the context.
                size = len(inner.build(fields[name], **fields))
            return size
    raise KeyError(f"SMBIOS body has no field {name!r}")


_FIXED_SIZES: dict = {}


def _finish(type_: int, handle: int, fields: dict, strings: _Strings) -> bytes:
    """One structure: the formatted-area length from the fields given, then the schema builds it."""
    schema = BODY_SCHEMAS[type_]
    length = S.HEADER_SIZE + sum(_field_size(schema, name, fields) for name in fields)
    # Fields past `length` stay None: the schema leaves them out (§6.1.2, the length tells which exist).
    body: dict[str, object] = {sub.name: None for sub in schema.subcons if sub.name}
    body.update(fields, extra=b"")
    # A type the structure schema does not decode takes its body as bytes, built here.
    formatted_body = body if type_ in S.DECODED_TYPES else build(schema, body, f"SMBIOS type {type_}", length=length)
    formatted = {"type": type_, "length": length, "handle": handle, "body": formatted_body}
    return build(S.structure, {"formatted": formatted, "strings": strings.strings}, f"SMBIOS type {type_}")


def _option(machine: MachineConfig, type_: int, key: str, default=None):
    return machine.smbios_fields.get(type_, {}).get(key, default)


def _number(machine: MachineConfig, type_: int, key: str, default: int) -> int:
    value = _option(machine, type_, key)
    return default if value is None else int(value, 0)


def _type0(machine: MachineConfig) -> bytes:
    # Optional: only with -smbios type=0 (the firmware adds its own otherwise).
    s = _Strings()
    release = _option(machine, 0, "release")
    major, minor = (int(p) for p in release.split(".")) if release else (0, 0)
    uefi = str(_option(machine, 0, "uefi", "off")).lower() in ("on", "yes", "true", "y")
    fields = {
        "vendor": s.add(_option(machine, 0, "vendor")),
        "bios_version": s.add(_option(machine, 0, "version")),
        "bios_starting_address_segment": 0xE800,  # smbios.c: SeaBIOS's value
        "bios_release_date": s.add(_option(machine, 0, "date")),
        "bios_rom_size": 0,
        "bios_characteristics": 0x08,  # bit 3: BIOS characteristics are not supported
        "bios_characteristics_extension_1": 0,
        # bit 2 targeted content distribution, bit 4 virtual machine; bit 3 UEFI with uefi=on
        "bios_characteristics_extension_2": 0x14 | (0x08 if uefi else 0),
        "system_bios_major_release": major,
        "system_bios_minor_release": minor,
        "embedded_controller_major_release": 0xFF,  # SeaBIOS's "no embedded controller"
        "embedded_controller_minor_release": 0xFF,
    }
    return _finish(0, HANDLE_BASE[0], fields, s)


def _type1(machine: MachineConfig) -> bytes:
    s = _Strings()
    fields = {
        "manufacturer": s.add(_option(machine, 1, "manufacturer", MANUFACTURER)),
        "product_name": s.add(_option(machine, 1, "product", machine.machine_description)),
        "version": s.add(_option(machine, 1, "version", machine.machine_type)),
        "serial_number": s.add(_option(machine, 1, "serial")),
        # smbios_encode_uuid: the first three fields little-endian (SMBIOS 2.6 wire format, §7.2.1), except on
        # machine types 2.1 and older (smbios_uuid_encoded off), which keep the RFC 4122 order.
        "uuid": (bytes(16) if not machine.uuid else _wire_uuid(machine.uuid)
                 if machine.machine_class.smbios_uuid_encoded else machine.uuid),
        "wake_up_type": 0x06,  # power switch
    }
    fields["sku_number"] = s.add(_option(machine, 1, "sku"))
    fields["family"] = s.add(_option(machine, 1, "family"))
    return _finish(1, HANDLE_BASE[1], fields, s)


def _wire_uuid(rfc4122: bytes) -> bytes:
    return rfc4122[3::-1] + rfc4122[5:3:-1] + rfc4122[7:5:-1] + rfc4122[8:]


def _type2(machine: MachineConfig) -> bytes:
    # Optional: only with -smbios type=2.
    s = _Strings()
    fields = {
        "manufacturer": s.add(_option(machine, 2, "manufacturer", MANUFACTURER)),
        "product": s.add(_option(machine, 2, "product", machine.machine_description)),
        "version": s.add(_option(machine, 2, "version", machine.machine_type)),
        "serial_number": s.add(_option(machine, 2, "serial")),
        "asset_tag": s.add(_option(machine, 2, "asset")),
        "feature_flags": 0x01,  # hosting board
        "location_in_chassis": s.add(_option(machine, 2, "location")),
        "chassis_handle": HANDLE_BASE[3],
        "board_type": 0x0A,  # motherboard
        "number_of_contained_object_handles": 0,
        "contained_object_handles": [],
    }
    return _finish(2, HANDLE_BASE[2], fields, s)


def _type3(machine: MachineConfig) -> bytes:
    s = _Strings()
    fields = {
        "manufacturer": s.add(_option(machine, 3, "manufacturer", MANUFACTURER)),
        "chassis_type": 0x01,  # other
        "version": s.add(_option(machine, 3, "version", machine.machine_type)),
        "serial_number": s.add(_option(machine, 3, "serial")),
        "asset_tag": s.add(_option(machine, 3, "asset")),
        "bootup_state": 0x03, "power_supply_state": 0x03, "thermal_state": 0x03,  # safe
        "security_status": 0x02,  # unknown
        "oem_defined": 0, "height": 0, "number_of_power_cords": 0,
        "contained_element_count": 0, "contained_element_record_length": 0, "contained_elements": [],
    }
    fields["sku_number"] = s.add(_option(machine, 3, "sku"))
    return _finish(3, HANDLE_BASE[3], fields, s)


def _type4(machine: MachineConfig, instance: int) -> bytes:
    s = _Strings()
    prefix = _option(machine, 4, "sock_pfx", "CPU")
    fields = {
        "socket_designation": s.add(f"{prefix}{instance:2x}"),  # smbios.c: "%s%2x"
        "processor_type": 0x03,  # central processor
        "processor_family": 0x01,  # other
        "processor_manufacturer": s.add(_option(machine, 4, "manufacturer", MANUFACTURER)),
        "processor_id": machine.smbios_processor_id,
        "processor_version": s.add(_option(machine, 4, "version", machine.machine_type)),
        "voltage": 0,
        "external_clock": 0,
        "max_speed": _number(machine, 4, "max-speed", DEFAULT_CPU_SPEED),
        "current_speed": _number(machine, 4, "current-speed", DEFAULT_CPU_SPEED),
        "status": 0x41,  # socket populated, CPU enabled
        "processor_upgrade": 0x01,  # other
        "l1_cache_handle": NO_CACHE, "l2_cache_handle": NO_CACHE, "l3_cache_handle": NO_CACHE,
    }
    fields["serial_number"] = s.add(_option(machine, 4, "serial"))
    fields["asset_tag"] = s.add(_option(machine, 4, "asset"))
    fields["part_number"] = s.add(_option(machine, 4, "part"))
    # Per socket, with FFh above 255 (§7.5.6-§7.5.8). Debian's 7.2.22 carries the upstream fixes "Fix core
    # count in type4" and "Fix thread count in type4" (v7.2.0 wrote cores per die and threads per core);
    # measured with dies and threads, see tests/test_generate_e820_smbios.py.
    cores, threads = machine.cores_per_socket, machine.threads_per_socket
    fields["core_count"] = fields["core_enabled"] = _count_byte(cores)
    fields["thread_count"] = _count_byte(threads)
    fields["processor_characteristics"] = 0x02  # unknown
    fields["processor_family_2"] = 0x01  # other
    if machine.smbios_entry_point_type == "64":
        # Only the 3.0 structure has the 16-bit counts (SMBIOS_TYPE_4_LEN_V30).
        fields["core_count_2"] = fields["core_enabled_2"] = cores
        fields["thread_count_2"] = threads
    return _finish(4, HANDLE_BASE[4] + instance, fields, s)


def _count_byte(count: int) -> int:
    return S.COUNT_SEE_FIELD_2 if count > 255 else count


def _dimm_count(machine: MachineConfig) -> int:
    return -(-machine.ram_size // DIMM_SIZE)


def _type16(machine: MachineConfig) -> bytes:
    size_kib = -(-machine.ram_size // KiB)
    small = size_kib < MAX_T16_STD_SZ
    fields = {
        "location": 0x01,  # other
        "use": 0x03,  # system memory
        "memory_error_correction": 0x06,  # multi-bit ECC (SeaBIOS's choice, for Windows)
        "maximum_capacity": size_kib if small else MAX_T16_STD_SZ,
        "memory_error_information_handle": NOT_PROVIDED,
        "number_of_memory_devices": _dimm_count(machine),
        "extended_maximum_capacity": 0 if small else machine.ram_size,
    }
    return _finish(16, HANDLE_BASE[16], fields, _Strings())


def _type17(machine: MachineConfig, instance: int, size: int) -> bytes:
    s = _Strings()
    size_mib = -(-size // MiB)
    if size_mib >= MAX_T17_EXT_SZ:
        raise MachineConfigError(f"-m: a {size_mib} MiB SMBIOS memory device is beyond SMBIOS's extended size")
    speed = _number(machine, 17, "speed", 0)
    fields = {
        "physical_memory_array_handle": HANDLE_BASE[16],
        "memory_error_information_handle": NOT_PROVIDED,
        "total_width": UNKNOWN_WIDTH, "data_width": UNKNOWN_WIDTH,
        "size": size_mib if size_mib < MAX_T17_STD_SZ else MAX_T17_STD_SZ,
        "form_factor": 0x09,  # DIMM
        "device_set": 0,
        "device_locator": s.add(f"{_option(machine, 17, 'loc_pfx', 'DIMM')} {instance}"),
        "bank_locator": s.add(_option(machine, 17, "bank")),
        "memory_type": 0x07,  # RAM
        "type_detail": 0x02,  # other
        "speed": speed,
    }
    fields["manufacturer"] = s.add(_option(machine, 17, "manufacturer", MANUFACTURER))
    fields["serial_number"] = s.add(_option(machine, 17, "serial"))
    fields["asset_tag"] = s.add(_option(machine, 17, "asset"))
    fields["part_number"] = s.add(_option(machine, 17, "part"))
    fields.update({
        "attributes": 0,
        "extended_size": 0 if size_mib < MAX_T17_STD_SZ else size_mib,
        "configured_memory_speed": speed,  # QEMU reuses the maximum speed
        "minimum_voltage": 0, "maximum_voltage": 0, "configured_voltage": 0,
    })
    return _finish(17, HANDLE_BASE[17] + instance, fields, s)


def _type19(handle: int, start: int, size: int) -> bytes:
    end = start + size - 1
    start_kib, end_kib = start // KiB, end // KiB
    small = start_kib < UINT32_MAX and end_kib < UINT32_MAX
    fields = {
        "starting_address": start_kib if small else UINT32_MAX,
        "ending_address": end_kib if small else UINT32_MAX,
        "memory_array_handle": HANDLE_BASE[16],
        "partition_width": 1,
        "extended_starting_address": 0 if small else start,
        "extended_ending_address": 0 if small else end,
    }
    return _finish(19, handle, fields, _Strings())


def _type32() -> bytes:
    fields = {"reserved": bytes(6), "boot_status": b"\0"}  # no errors detected
    return _finish(32, HANDLE_BASE[32], fields, _Strings())


def _type11(machine: MachineConfig) -> bytes:
    # smbios.c smbios_build_type_11_table: the count is every value= given, but SMBIOS_TABLE_SET_STR_LIST adds
    # only the non-empty ones to the string set.
    s = _Strings()
    for value in machine.smbios_oem_strings:
        s.add(value)
    return _finish(11, HANDLE_BASE[11], {"count": len(machine.smbios_oem_strings) & 0xFF}, s)


def _type41(device, instance: int) -> bytes:
    # smbios.c smbios_build_type_41_table: one per -smbios type=41 in order; a PCI device is on bus 0 (QEMU
    # refuses others), segment 0, and "device number" is its whole devfn.
    s = _Strings()
    fields = {
        "reference_designation": s.add(device.designation),
        "device_type": device.kind,
        "device_type_instance": device.instance,
        "segment_group_number": 0,
        "bus_number": 0,
        "device_function_number": device.devfn or 0,
    }
    return _finish(41, HANDLE_BASE[41] + instance, fields, s)


def _type127() -> bytes:
    return _finish(S.TYPE_END_OF_TABLE, HANDLE_BASE[S.TYPE_END_OF_TABLE], {}, _Strings())


def smbios_structures(machine: MachineConfig) -> list[bytes]:
    """Every structure in QEMU's order: the -smbios file= blobs, then 0, 1, 2, 3, 4 per socket, 11, 16, 17 per
    DIMM, 19 per RAM range, 32, 41 and 127, each type left out when a file gave it. A file is one item however
    many structures it holds, as QEMU counts it in the entry point (hw/smbios/smbios.c smbios_entry_add)."""
    if not machine.has_smbios:
        raise MachineConfigError(f"-machine {machine.machine_type}: this machine has no SMBIOS")
    skipped = machine.smbios_file_types
    structures = list(machine.smbios_files)

    def add(type_: int, *built: bytes) -> None:
        if type_ not in skipped:
            structures.extend(built)

    if 0 in machine.smbios_fields:
        add(0, _type0(machine))
    add(1, _type1(machine))
    if 2 in machine.smbios_fields:
        add(2, _type2(machine))
    add(3, _type3(machine))
    add(4, *(_type4(machine, i) for i in range(machine.smbios_sockets)))
    if machine.smbios_oem_strings:
        add(11, _type11(machine))
    dimms = _dimm_count(machine)
    add(16, _type16(machine))
    add(17, *(_type17(machine, i, DIMM_SIZE if i < dimms - 1 else (machine.ram_size - 1) % DIMM_SIZE + 1)
              for i in range(dimms)))
    # Keep type 19 handles clear of type 17's when there are more DIMMs than the gap between their bases.
    gap = HANDLE_BASE[19] - HANDLE_BASE[17]
    offset = dimms - gap if dimms > gap else 0
    add(19, *(_type19(HANDLE_BASE[19] + offset + i, start, size)
              for i, (start, size) in enumerate(ram_ranges(machine))))
    add(32, _type32())
    add(41, *(_type41(device, i) for i, device in enumerate(machine.smbios_onboard_devices)))
    add(S.TYPE_END_OF_TABLE, _type127())
    return structures


# SMBIOS 3.6 §7.1 and §7.2: the offsets of the type 0 and type 1 fields QEMU hands over in legacy mode, in the
# order hw/smbios/smbios.c smbios_build_type_0_fields / smbios_build_type_1_fields adds them.
LEGACY_TYPE0_STRINGS = (("vendor", 0x04), ("version", 0x05), ("date", 0x08))
LEGACY_TYPE0_RELEASE = (0x14, 0x15)  # system BIOS major and minor release
LEGACY_TYPE1_STRINGS = (("manufacturer", 0x04), ("product", 0x05), ("version", 0x06), ("serial", 0x07),
                        ("sku", 0x19), ("family", 0x1A))
LEGACY_TYPE1_UUID = 0x08
LEGACY_FIELD_HEADER = 6  # smbios.c struct smbios_field: u16 length, u8 kind, u8 type, u16 offset


def legacy_smbios_entries(machine: MachineConfig) -> bytes:
    """FW_CFG_SMBIOS_ENTRIES of a legacy machine type (hw/smbios/smbios.c smbios_get_table_legacy): a u16 count,
    then a table entry for each -smbios file= and a field entry for each type 0 and type 1 field that is set,
    QEMU's defaults included; b"" when there is none (QEMU then adds no item). The firmware builds the structures
    (qboot_tables.smbios_legacy)."""
    # -smbios file= blobs first, whole, as QEMU adds them while it reads the options.
    entries = [build(F.smbios_legacy_header, {"length": F.smbios_legacy_header.sizeof() + len(data),
                                              "kind": F.SMBIOS_TABLE_ENTRY}, "FW_CFG_SMBIOS_ENTRIES") + data
               for data in machine.smbios_files]

    def add(type_: int, offset: int, data: bytes) -> None:
        entries.append(build(F.smbios_legacy_field, {
            "header": {"length": LEGACY_FIELD_HEADER + len(data),
                       "kind": F.SMBIOS_FIELD_ENTRY}, "type": type_, "offset": offset, "data": data},
            "FW_CFG_SMBIOS_ENTRIES"))

    for key, offset in LEGACY_TYPE0_STRINGS:
        if _option(machine, 0, key) is not None:  # an empty value is still a field: its NUL alone
            add(0, offset, str(_option(machine, 0, key)).encode("utf-8", "surrogateescape") + b"\0")
    release = _option(machine, 0, "release")
    if release:
        for offset, part in zip(LEGACY_TYPE0_RELEASE, (int(p) for p in release.split("."))):
            add(0, offset, bytes([part]))
    defaults = ({"manufacturer": MANUFACTURER, "product": machine.machine_description,
                 "version": machine.machine_type} if machine.machine_class.smbios_defaults else {})
    for key, offset in LEGACY_TYPE1_STRINGS:
        value = _option(machine, 1, key, defaults.get(key))
        if value is not None:
            add(1, offset, str(value).encode("utf-8", "surrogateescape") + b"\0")
    if machine.uuid:  # not wire-encoded: "legacy mode ... needs to keep the guest ABI"
        add(1, LEGACY_TYPE1_UUID, machine.uuid)
    return len(entries).to_bytes(2, "little") + b"".join(entries) if entries else b""


def build_smbios(machine: MachineConfig) -> tuple[bytes, bytes]:
    """(anchor, tables): QEMU's entry point, with zero address and checksums for the firmware, and table."""
    structures = smbios_structures(machine)
    tables = b"".join(structures)
    if machine.smbios_entry_point_type == "32":
        if len(tables) > SMBIOS_21_MAX_TABLES_LEN:
            raise MachineConfigError(f"-machine smbios-entry-point-type=32: SMBIOS 2.1 table length {len(tables)} "
                                     f"exceeds {SMBIOS_21_MAX_TABLES_LEN}")
        anchor = build(S.entry_point_21, {
            "anchor": S.ANCHOR_21, "checksum": 0, "length": S.ENTRY_POINT_21_SIZE,
            "major_version": 2, "minor_version": 8,  # smbios.c: compliant with 2.8
            "max_structure_size": max(len(s) for s in structures),
            "entry_point_revision": 0, "formatted_area": bytes(5),
            "intermediate_anchor": S.INTERMEDIATE_ANCHOR, "intermediate_checksum": 0,
            "structure_table_length": len(tables), "structure_table_address": 0,
            "number_of_structures": len(structures), "bcd_revision": 0x28,
        }, "SMBIOS 2.1 entry point")
    else:
        anchor = build(S.entry_point_30, {
            "anchor": S.ANCHOR_30, "checksum": 0, "length": S.ENTRY_POINT_30_SIZE,
            "major_version": 3, "minor_version": 0, "docrev": 0, "entry_point_revision": 1, "reserved": 0,
            "structure_table_max_size": len(tables), "structure_table_address": 0,
        }, "SMBIOS 3.0 entry point")
    return anchor, tables
