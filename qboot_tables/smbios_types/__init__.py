"""The SMBIOS registry: one descriptor per structure type we decode, from one module per type, and the rows.

Adding a type: write its body schema and name tables in qboot_tables/schemas/smbios.py (and add it to
DECODED_TYPES there), then qboot_tables/smbios_types/<type>.py with a DESCRIPTOR (meanings, string fields,
checks), then add the module's name to STRUCTURE_MODULES below. Its rows then come from the same walk as every
ACPI table's (qboot_tables.show.fields.schema_rows).
"""
from __future__ import annotations

import importlib

from construct import Container

from qboot_tables.schemas import smbios as S
from qboot_tables.show.fields import Row, schema_rows
from qboot_tables.smbios_types.descriptor import STRINGS, SmbiosDescriptor
from qboot_tables.smbios_types.entry_point import ENTRY_POINT_21, ENTRY_POINT_30, RAW, entry_point_descriptor
from qboot_tables.smbios_types.header import GENERIC, HEADER

# One line per structure type module below qboot_tables/smbios_types/, each with a DESCRIPTOR.
STRUCTURE_MODULES = (
    "bios",  # 0
    "system",  # 1
    "chassis",  # 3
    "processor",  # 4
    "memory_array",  # 16
    "memory_device",  # 17
    "mapped_address",  # 19
    "boot",  # 32
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
    """The parsed struct, carrying what its meanings need beside its own fields (the string set, the bytes)."""
    context = Container(parsed)
    context.update(extra)
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
    # §6.1.3: the string set follows the formatted area, each string NUL-terminated.
    offset = s.length
    for index, string in enumerate(s.strings, 1):
        rows.append(Row(f"string {index}", offset, len(string) + 1, string))
        offset += len(string) + 1
    return rows
