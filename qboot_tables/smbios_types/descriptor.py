"""SmbiosDescriptor: everything the library knows about one SMBIOS structure type (or entry point), in one value.

It is read by the same row walk as the ACPI tables (qboot_tables.show.fields.schema_rows): `schema` is the
structure's body as qboot_tables.schemas.smbios parses it, and `meaning(kind, field, value, context)` gives the
meaning column. A meaning function receives (value, context), where context is the parsed struct the field sits in,
carrying what a field alone cannot say: the structure's string set (`STRINGS`), or an entry point's bytes.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

from construct import Construct

# describe(value, context) -> meaning shown beside a field's value ("Desktop", "512 MiB", "QEMU").
# value is what the field's construct parsed (an int, bytes, a Container...) and context the Container around it;
# construct 2.10 has no annotations, so both are Any: each meaning function annotates the value it expects.
Describe = Callable[[Any, Any], str]

# The context key under which a structure's string set (a list of bytes, index 1 first) travels to meanings.
STRINGS = "_strings"


def string_meaning(value, context) -> str:
    """§6.1.3: a string field holds the 1-based index of a string in the set; 0 means none."""
    if value == 0:
        return "no string"
    strings = context[STRINGS]
    if value > len(strings):
        return f"missing: the set has {len(strings)} strings"
    return bytes(strings[value - 1]).decode("latin-1")


# A NamedTuple, as TableDescriptor is, for start-up time; its empty-mapping defaults are shared and never written.
class SmbiosDescriptor(NamedTuple):
    type: int | None  # the structure type; None for an entry point or the header every structure starts with
    title: str  # "System Information"
    schema: Construct  # the construct schema of the body (or of the whole entry point), from schemas.smbios
    spec: str = ""  # "DSP0134 3.6.0 §7.2"
    min_length: int = 0  # the formatted area's length in the earliest version that defines the type
    strings: frozenset = frozenset()  # fields holding a string index: their meaning is the string
    meanings: Mapping[str, Describe] = {}  # field -> describe
    # field -> {value: name}: enumerations whose meaning is the name; validation warns about a 0 none defines
    enums: Mapping[str, Mapping[int, str]] = {}
    checks: tuple[Callable, ...] = ()  # check(structure) -> [Finding], beyond the generic ones
    # field -> the structure type its handle must name (FFFEh and FFFFh name none), checked across the table
    references: Mapping[str, int] = {}

    def meaning(self, _kind, leaf: str, value, context) -> str:
        if leaf in self.strings:
            return string_meaning(value, context)
        describe = self.meanings.get(leaf)
        if describe:
            return describe(value, context)
        names = self.enums.get(leaf)
        if names is not None:
            return names.get(value, f"Unknown ({value})")  # the wording of show.descriptions.enum_name
        return ""
