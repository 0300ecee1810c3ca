"""The library in one call: load() reads anything dump-tables reads into a checked TableSet; to_json() shows
any decoded value as dump-tables --json does."""
from __future__ import annotations

import os
from typing import Any

from qboot_tables.check.validate import validate
from qboot_tables.errors import UsageError
from qboot_tables.read.inputs import load as load_path, load_bytes
from qboot_tables.read.walk import Table, TableSet


def load(path_or_bytes: str | os.PathLike[str] | bytes, alloc: dict[str, int] | None = None) -> TableSet:
    """A TableSet from a path (capture, qemu_fw_cfg by_name, ACPI tables folder, table, acpidump text, SMBIOS
    dump, MP table, Linux's memmap folder) or a file's bytes; `alloc` places fw_cfg files (name -> guest address)
    instead of the default allocator. Its findings are validation's, so `tables.findings` is what dump-tables reports."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        if alloc:
            raise UsageError("alloc applies only to fw_cfg inputs (a capture or qemu_fw_cfg directory)")
        tables = load_bytes(bytes(path_or_bytes))
    else:
        tables = load_path(os.fspath(path_or_bytes), dict(alloc) if alloc else None)
    tables.findings = validate(tables)
    tables.validated = True
    return tables


def as_data(value: Any) -> Any:
    """A decoded value as plain JSON data, in the shape dump-tables --json gives it."""
    from construct import Container, ListContainer

    from qboot_tables.read.mptable import MpTable
    from qboot_tables.show.fields import json_value
    from qboot_tables.show.render import mptable_document, smbios_document
    from qboot_tables.smbios import Smbios, Structure
    from qboot_tables.smbios_types import structure_rows

    if isinstance(value, (Table, TableSet)) or hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, Smbios):
        return smbios_document(value)
    if isinstance(value, Structure):
        return {"type": value.type, "handle": value.handle, "offset": value.offset, "length": len(value.raw),
                "fields": [{"name": r.name, "offset": r.offset, "size": r.size, "value": json_value(r.value),
                            "meaning": r.meaning} for r in structure_rows(value)]}
    if isinstance(value, MpTable):
        return mptable_document(value)
    if isinstance(value, Container):  # construct's: e820, a table's parse, a subtable
        return {k: as_data(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple, ListContainer)):
        return [as_data(v) for v in value]
    if isinstance(value, (bytes, bytearray, int, float, str)) or value is None:
        return json_value(value)
    return str(value)  # construct's EnumIntegerString and flag containers print as their names


def to_json(value: Any) -> str:
    from qboot_tables.show.jsontext import dumps

    return dumps(as_data(value))
