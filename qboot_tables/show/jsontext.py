"""json.dumps(value, indent=1), byte for byte, in a fraction of the time: the JSON every command prints.

With an indent the json module leaves its C encoder for a generator per nesting level, and every token climbs
back up through all of them: half of a `dump --json` of a small machine went there. This writes the same text
depth-first into one list, quoting strings with the json module's own C function. A value of any other kind
than the document model's (dict with str keys, list, tuple, str, int, float, bool, None) goes to json.dumps
whole, so its output, or its TypeError, stays json's.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _quote  # ensure_ascii, the json.dumps default
from collections.abc import Iterable
from itertools import repeat
from typing import Any


class _NotPlain(Exception):
    """A value json.dumps must handle itself: a non-str key, another type, or a container inside itself."""


def dumps(value: Any) -> str:
    """The text of json.dumps(value, indent=1)."""
    out: list[str] = []
    try:
        _write(value, out, "\n", set())
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=1)
    return "".join(out)


def _write(value: Any, out: list[str], newline: str, open_ids: set[int]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is dict or kind is list or isinstance(value, (dict, list, tuple)):
        _write_container(value, out, newline, open_ids)
    elif isinstance(value, str):
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))  # as json does: an IntEnum prints as its number
    elif isinstance(value, float):
        out.append(_float(value))
    else:
        raise _NotPlain


def _write_container(value: Any, out: list[str], newline: str, open_ids: set[int]) -> None:
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    if id(value) in open_ids:
        raise _NotPlain  # json.dumps raises "Circular reference detected"
    open_ids.add(id(value))
    inner = newline + " "
    separator = inner
    items: Iterable[tuple[str, Any]]  # (what goes before the item, the item)
    if isinstance(value, dict):
        out.append("{")
        items = [(_key(key) + ": ", item) for key, item in value.items()]  # as json walks a dict
    else:
        out.append("[")
        items = zip(repeat(""), value)
    for label, item in items:
        head = separator + label
        kind = type(item)  # the common leaves without a call of their own
        if kind is str:
            out.append(head + _quote(item))
        elif kind is int:
            out.append(head + int.__repr__(item))
        else:
            out.append(head)
            _write(item, out, inner, open_ids)
        separator = "," + inner
    out.append(newline + ("}" if isinstance(value, dict) else "]"))
    open_ids.discard(id(value))


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise _NotPlain  # json turns int, float, bool and None keys into strings its own way
    return _quote(key)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
