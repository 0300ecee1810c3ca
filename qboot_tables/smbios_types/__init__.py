"""The SMBIOS registry: one descriptor per structure type we decode, from one module per type, and the rows.

Adding a type: write its body schema and name tables in qboot_tables/schemas/smbios_ext.py (and add it to
EXT_TYPES there), then qboot_tables/smbios_types/<type>.py with a DESCRIPTOR (meanings, string fields,
checks), then add the module's name to STRUCTURE_MODULES below. Its rows then come from the same walk as every
ACPI table's (qboot_tables.show.fields.schema_rows).
"""
from __future__ import annotations

import functools
import importlib

from construct import Container, GreedyBytes, ListContainer, NullTerminated, Struct

from qboot_tables.schemas import smbios as S
from qboot_tables.show.fields import Row, schema_rows
from qboot_tables.smbios_types.descriptor import STRINGS, SmbiosDescriptor
from qboot_tables.smbios_types.entry_point import ENTRY_POINT_21, ENTRY_POINT_30, RAW, entry_point_descriptor
from qboot_tables.smbios_types.header import GENERIC, HEADER

# One line per structure type module below qboot_tables/smbios_types/, each with a DESCRIPTOR.
STRUCTURE_MODULES = (
    "bios",  # 0
    "system",  # 1
    "baseboard",  # 2
    "chassis",  # 3
    "processor",  # 4
    "memory_controller",  # 5
    "memory_module",  # 6
    "cache",  # 7
    "port_connector",  # 8
    "system_slots",  # 9
    "on_board_devices",  # 10
    "oem_strings",  # 11
    "configuration_options",  # 12
    "bios_language",  # 13
    "group_associations",  # 14
    "event_log",  # 15
    "memory_array",  # 16
    "memory_device",  # 17
    "memory_error",  # 18
    "mapped_address",  # 19
    "device_mapped_address",  # 20
    "pointing_device",  # 21
    "battery",  # 22
    "system_reset",  # 23
    "hardware_security",  # 24
    "power_controls",  # 25
    "probes",  # 26 (the voltage probe; 28 and 29 share its layout)
    "cooling_device",  # 27
    "temperature_probe",  # 28
    "current_probe",  # 29
    "remote_access",  # 30
    "bis_entry_point",  # 31
    "boot",  # 32
    "memory_error_64",  # 33
    "management_device",  # 34
    "management_component",  # 35
    "management_threshold",  # 36
    "memory_channel",  # 37
    "ipmi_device",  # 38
    "power_supply",  # 39
    "additional_information",  # 40
    "onboard_device",  # 41
    "host_interface",  # 42
    "tpm_device",  # 43
    "processor_additional",  # 44
    "firmware_inventory",  # 45
    "string_property",  # 46
    "inactive",  # 126
    "end_of_table",  # 127
)
DESCRIPTORS: dict[int, SmbiosDescriptor] = {}
for _name in STRUCTURE_MODULES:
    _descriptor = importlib.import_module(f"qboot_tables.smbios_types.{_name}").DESCRIPTOR
    DESCRIPTORS[_descriptor.type] = _descriptor

__all__ = ["DESCRIPTORS", "ENTRY_POINT_21", "ENTRY_POINT_30", "GENERIC", "HEADER", "SmbiosDescriptor",
           "descriptor", "entry_point_rows", "structure_rows"]


def descriptor(type_: int) -> SmbiosDescriptor:
    """The descriptor of a structure type; GENERIC (the body as bytes) for a type we do not decode."""
    return DESCRIPTORS.get(type_, GENERIC)


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
