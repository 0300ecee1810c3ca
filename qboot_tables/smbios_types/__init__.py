"""The SMBIOS registry: one descriptor per structure type we decode, from one module per type, and the rows.

Adding a type: write its body schema and name tables in qboot_tables/schemas/smbios_ext.py (and add it to
EXT_TYPES there and to EXT_TYPE_NUMBERS in schemas/smbios.py), then qboot_tables/smbios_types/<type>.py with a
DESCRIPTOR (meanings, string fields, checks), then add its type and module, one line, to STRUCTURE_MODULES
below. Its rows then come from the same walk as every ACPI table's (qboot_tables.show.fields.schema_rows).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping

from construct import Container, GreedyBytes, ListContainer, NullTerminated, Struct

from qboot_tables.registry import LazyRegistry
from qboot_tables.schemas import smbios as S
from qboot_tables.show.fields import Row, schema_rows
from qboot_tables.smbios_types.descriptor import STRINGS, SmbiosDescriptor
from qboot_tables.smbios_types.entry_point import ENTRY_POINT_21, ENTRY_POINT_30, RAW, entry_point_descriptor
from qboot_tables.smbios_types.header import GENERIC, HEADER

# Structure type -> the module below qboot_tables/smbios_types/ with its DESCRIPTOR, one line per type. A module
# is imported when its type is first met, so a dump of QEMU's nine types does not load forty-nine.
STRUCTURE_MODULES = {
    0: "bios",
    1: "system",
    2: "baseboard",
    3: "chassis",
    4: "processor",
    5: "memory_controller",
    6: "memory_module",
    7: "cache",
    8: "port_connector",
    9: "system_slots",
    10: "on_board_devices",
    11: "oem_strings",
    12: "configuration_options",
    13: "bios_language",
    14: "group_associations",
    15: "event_log",
    16: "memory_array",
    17: "memory_device",
    18: "memory_error",
    19: "mapped_address",
    20: "device_mapped_address",
    21: "pointing_device",
    22: "battery",
    23: "system_reset",
    24: "hardware_security",
    25: "power_controls",
    26: "probes",  # the voltage probe; 28 and 29 share its layout
    27: "cooling_device",
    28: "temperature_probe",
    29: "current_probe",
    30: "remote_access",
    31: "bis_entry_point",
    32: "boot",
    33: "memory_error_64",
    34: "management_device",
    35: "management_component",
    36: "management_threshold",
    37: "memory_channel",
    38: "ipmi_device",
    39: "power_supply",
    40: "additional_information",
    41: "onboard_device",
    42: "host_interface",
    43: "tpm_device",
    44: "processor_additional",
    45: "firmware_inventory",
    46: "string_property",
    126: "inactive",
    127: "end_of_table",
}


DESCRIPTORS: Mapping[int, SmbiosDescriptor] = LazyRegistry("qboot_tables.smbios_types", STRUCTURE_MODULES,
                                                              lambda found: found.type)

__all__ = ["DESCRIPTORS", "ENTRY_POINT_21", "ENTRY_POINT_30", "GENERIC", "HEADER", "SmbiosDescriptor",
           "descriptor", "entry_point_rows", "structure_rows"]


def descriptor(type_: int) -> SmbiosDescriptor:
    """The descriptor of a structure type; GENERIC (the body as bytes) for a type we do not decode."""
    return DESCRIPTORS[type_] if type_ in STRUCTURE_MODULES else GENERIC


def _context(parsed, **extra) -> Container:
    """The parsed struct, carrying what its meanings need beside its own fields (the string set, the bytes).

    Records nested in a body (type 10's devices, type 40's entries) are their own meanings' context, so each
    carries the extras too."""
    context = Container(parsed)
    context.update(extra)
    for key, value in parsed.items():
        if isinstance(value, Container):
            context[key] = _context(value, **extra)
        elif isinstance(value, list) and value and isinstance(value[0], Container):
            context[key] = ListContainer(_context(item, **extra) for item in value)
    return context


def entry_point_rows(smbios) -> list[Row]:
    """Rows for the entry point's fields."""
    raw = smbios.entry_point_raw
    return schema_rows(entry_point_descriptor(raw), _context(smbios.entry_point, **{RAW: raw}))


def structure_rows(structure) -> list[Row]:
    """Rows for a structure: its header (type, length, handle), each field of its formatted area, each string."""
    s = structure
    rows = schema_rows(HEADER, S.header.parse(s.formatted))
    if s.parsed is not None:
        rows += schema_rows(descriptor(s.type), _context(s.parsed.body, **{STRINGS: s.strings}), S.HEADER_SIZE)
    elif s.length > S.HEADER_SIZE:
        rows += schema_rows(GENERIC, Container(body=s.formatted[S.HEADER_SIZE:]), S.HEADER_SIZE)
    strings = Container((f"string {index}", string) for index, string in enumerate(s.strings, 1))
    return rows + schema_rows(string_set_descriptor(len(s.strings)), strings, s.length)


@functools.lru_cache(maxsize=None)
def string_set_descriptor(count: int) -> SmbiosDescriptor:
    """§6.1.3: the string set follows the formatted area, each string NUL-terminated; its rows are named
    "string 1", "string 2", ... as the string fields number them."""
    schema = Struct(*(f"string {index}" / NullTerminated(GreedyBytes) for index in range(1, count + 1)))
    return SmbiosDescriptor(type=None, title="String set", schema=schema, spec="DSP0134 3.6.0 §6.1.3")
