"""Field rows: one walk over a schema and its parsed value gives (name, offset, size, value, meaning) per field.

Text and JSON output both come from these rows, so the two can never disagree. Offsets come from the schema
itself (static sizes, or the parsed value's own length), never from parsing the bytes a second time.
"""
from __future__ import annotations

from typing import NamedTuple

import construct as C

from qboot_tables.show.descriptions import printable


class Row(NamedTuple):
    name: str
    offset: int
    size: int
    value: object
    meaning: str = ""


_static_sizes: dict[int, int] = {}


def _leaf_size(subcon, value) -> int:
    if isinstance(subcon, C.NullTerminated):  # a C string (SMBIOS's string set): its bytes and the terminator
        return len(value) + len(subcon.term)
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    key = id(subcon)
    size = _static_sizes.get(key)
    if size is None:
        size = _static_sizes[key] = subcon.sizeof()
    return size


def _evaluate(expr, context):
    return expr(context) if callable(expr) else expr


def schema_rows(descriptor, value, base: int = 0) -> list[Row]:
    """Rows for every leaf field of `value` as parsed by the descriptor's schema, with its meanings."""
    rows: list[Row] = []
    _walk(descriptor.schema, value, base, "", rows, value, descriptor, None)
    return rows


def _walk(subcon, value, offset, path, rows, context, descriptor, kind) -> int:
    """`kind` is the subtable type whose body is being walked (a Switch's key), None outside subtables."""
    while isinstance(subcon, C.Renamed):
        subcon = subcon.subcon
    if isinstance(subcon, C.Struct):
        for sub in subcon.subcons:
            name = sub.name
            child = f"{path}.{name}" if path else name
            offset = _walk(sub, value[name], offset, child, rows, value, descriptor, kind)
        return offset
    if isinstance(subcon, (C.GreedyRange, C.Array)):
        for i, item in enumerate(value):
            offset = _walk(subcon.subcon, item, offset, f"{path}[{i}]", rows, context, descriptor, kind)
        return offset
    if isinstance(subcon, C.FixedSized):
        length = _evaluate(subcon.length, context)
        _walk(subcon.subcon, value, offset, path, rows, context, descriptor, kind)
        return offset + length
    if isinstance(subcon, C.Switch):
        key = _evaluate(subcon.keyfunc, context)
        case = subcon.cases.get(key, subcon.default)
        return _walk(case, value, offset, path, rows, context, descriptor, key)
    if isinstance(subcon, C.Select):  # Optional(x) is Select(x, Pass): None means the field is absent
        if value is None:
            return offset
        return _walk(subcon.subcons[0], value, offset, path, rows, context, descriptor, kind)
    if isinstance(subcon, C.IfThenElse):
        if subcon.elsesubcon is C.Pass:  # If(cond, x): the parsed value says which branch, even when cond
            chosen = subcon.thensubcon if value is not None else C.Pass  # reads a parent (`this._`) not kept
        else:
            chosen = subcon.thensubcon if _evaluate(subcon.condfunc, context) else subcon.elsesubcon
        return _walk(chosen, value, offset, path, rows, context, descriptor, kind)
    if isinstance(subcon, C.Pass.__class__) or value is None:
        return offset
    size = _leaf_size(subcon, value)
    if path.endswith(("extra", "padding")) and not value:
        return offset + size  # empty spare room: nothing to show
    leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
    rows.append(Row(path, offset, size, value, descriptor.meaning(kind, leaf, value, context)))
    return offset + size


def json_value(value):
    """Rows' values as JSON: integers stay integers, text stays text, other bytes become hex."""
    if isinstance(value, (bytes, bytearray)):
        text = printable(value)
        return text if text is not None else value.hex()
    return value
