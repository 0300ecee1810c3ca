"""The MP table registry: one descriptor per entry type, from one module per part of the table, and the rows.

Adding an entry type: its body schema and name tables in qboot_tables/schemas/mptable.py, a descriptor in
base.py (§4.3) or extended.py (§4.4), and one line in DESCRIPTORS below. Its rows then come from the same walk
as every ACPI table's and SMBIOS structure's (qboot_tables.show.fields.schema_rows).
"""
from __future__ import annotations

from construct import Container, GreedyBytes, Struct

from qboot_tables.schemas import mptable as M
from qboot_tables.show.fields import Row, schema_rows
from qboot_tables.mptable_types import base, extended
from qboot_tables.mptable_types.descriptor import BUSES, MpDescriptor
from qboot_tables.mptable_types.structures import BASE_HEADER, CONFIG_HEADER, EXTENDED_HEADER, FLOATING_POINTER

DESCRIPTORS: dict[int, MpDescriptor] = {d.type: d for d in (
    base.PROCESSOR, base.BUS, base.IO_APIC, base.IO_INTERRUPT, base.LOCAL_INTERRUPT,
    extended.ADDRESS_SPACE, extended.BUS_HIERARCHY, extended.COMPATIBILITY_MODIFIER,
) if d.type is not None}  # every entry type's descriptor has its type

# An extended entry of a type MPS 1.4 does not define: its body after the type and length, as bytes.
GENERIC = MpDescriptor(type=None, title="Unknown extended entry", schema=Struct("body" / GreedyBytes),
                       spec="MPS 1.4 §4.4")

__all__ = ["BUSES", "CONFIG_HEADER", "DESCRIPTORS", "FLOATING_POINTER", "GENERIC", "MpDescriptor", "buses",
           "descriptor", "entry_rows", "floating_rows", "header_rows", "is_base", "named_entries"]


def descriptor(type_: int) -> MpDescriptor:
    return DESCRIPTORS.get(type_, GENERIC)


def is_base(mptable, entry) -> bool:
    return any(e is entry for e in mptable.base)


def named_entries(mptable):
    """("entries[3]" or "extended[0]", entry) for every entry: how findings and documents name them."""
    yield from ((f"entries[{i}]", e) for i, e in enumerate(mptable.base))
    yield from ((f"extended[{i}]", e) for i, e in enumerate(mptable.extended))


def buses(mptable) -> dict[int, str]:
    """{bus ID: bus type name}, for meanings that read a bus ID."""
    return {b.bus_id: M.MP_BUS_TYPES.get(bytes(b.bus_type), bytes(b.bus_type).decode("latin-1").strip())
            for b in mptable.entries(M.MP_BUS)}


def floating_rows(mptable) -> list[Row]:
    return schema_rows(FLOATING_POINTER, mptable.floating)


def header_rows(mptable) -> list[Row]:
    return schema_rows(CONFIG_HEADER, mptable.config.header)


def entry_rows(mptable, entry, bus_names: dict[int, str] | None = None) -> list[Row]:
    """Rows for one entry, offsets counted from the start of the configuration table as in the spec's figures."""
    base_entry = is_base(mptable, entry)
    header = BASE_HEADER if base_entry else EXTENDED_HEADER
    header_size = M.MP_BASE_HEADER_SIZE if base_entry else M.MP_EXTENDED_HEADER_SIZE
    rows = schema_rows(header, header.schema.parse(entry.raw[:header_size]), entry.offset)
    body = entry.parsed.body if entry.parsed is not None else None
    if isinstance(body, dict):
        context = Container(body)
        context[BUSES] = bus_names if bus_names is not None else buses(mptable)
        rows += schema_rows(descriptor(entry.type), context, entry.offset + header_size)
    elif len(entry.raw) > header_size:
        rows += schema_rows(GENERIC, Container(body=entry.raw[header_size:]), entry.offset + header_size)
    return rows
