"""MpDescriptor: everything the library knows about one MP table structure or entry type, in one value.

Read by the same row walk as the ACPI tables and SMBIOS (qboot_tables.show.fields.schema_rows). A meaning
function receives (value, context), where context is the parsed body carrying the table's buses under `BUSES`,
so an interrupt's source IRQ can be read as an ISA IRQ or a PCI device and pin.
"""
from __future__ import annotations

from dataclasses import dataclass, field as _field
from typing import Any, Callable, Mapping

from construct import Construct

# describe(value, context) -> meaning shown beside a field's value ("ISA", "level, active high").
# value is what the field's construct parsed (an int, bytes, a Container...) and context the Container around it;
# construct 2.10 has no annotations, so both are Any: each meaning function annotates the value it expects.
Describe = Callable[[Any, Any], str]

# The context key under which {bus ID: bus type name} travels to meanings.
BUSES = "_buses"


@dataclass(frozen=True)
class MpDescriptor:
    type: int | None  # the entry type; None for the floating pointer, the header and entry headers
    title: str  # "I/O Interrupt Assignment"
    schema: Construct  # the construct schema of the body (or the whole structure), from schemas.mptable
    spec: str = ""  # "MPS 1.4 §4.3.4"
    size: int | None = None  # the entry's length, header included, when the spec fixes it
    meanings: Mapping[str, Describe] = _field(default_factory=dict)  # field -> describe
    checks: tuple[Callable, ...] = ()  # check(mptable, name, body) -> [Finding], beyond the generic ones

    def meaning(self, _kind, leaf: str, value, context) -> str:
        describe = self.meanings.get(leaf)
        return describe(value, context) if describe else ""


def bus_name(value, context) -> str:
    """A bus ID's type as the table's bus entries give it."""
    buses = context.get(BUSES) or {}
    return buses.get(value, "no bus entry with this ID")
