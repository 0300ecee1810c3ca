"""TableDescriptor: everything the library knows about one ACPI table type, in one value.

Validation, rendering, diff and summary read descriptors and never name a signature themselves, so a table is
added by writing its module (schema, meanings, checks) and registering it in qboot_tables.tables.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

from construct import Construct

from qboot_tables.show.descriptions import gas_meaning
from qboot_tables.schemas.common import ACPI_HEADER_SIZE

# describe(value, context) -> meaning shown beside a field's value ("ENABLED", "Desktop", "2 GiB").
# value is what the field's construct parsed (an int, bytes, a Container...) and context the Container around it;
# construct 2.10 has no annotations, so both are Any: each meaning function annotates the value it expects.
Describe = Callable[[Any, Any], str]


# Descriptors are NamedTuples rather than frozen dataclasses: a dataclass costs about 2 ms to create, which every
# dump would pay at start-up. Their empty-mapping defaults are shared and never written.
class Subtables(NamedTuple):
    """A list of records inside a table: `{type, length, body}` subtables, or fixed-size entries (MCFG)."""

    field: str = "subtables"  # where the list is in the parsed table
    # Keyed by the spec's IntEnum (MadtType...) or plain ints; looked up by the int a table holds. Mapping's key
    # is invariant, so the key type is left open.
    names: Mapping[Any, str] = {}  # type -> the spec's name for it
    # type -> its length, header included, for validation; a tuple when spec versions gave it several (GICC)
    sizes: Mapping[Any, int | tuple[int, ...]] = {}
    # type -> (field under the subtable, label) that tells one subtable from another of its type, for diff
    keys: Mapping[Any, tuple[str, str]] = {}


class TableDescriptor(NamedTuple):
    signature: str
    title: str  # "Multiple APIC Description Table (MADT)"
    schema: Construct  # the construct schema, from qboot_tables.schemas
    spec: str = ""  # where the layout is defined: "ACPI 6.5 §5.2.12"
    header: bool = True  # False for the FACS, which has only a signature and a length
    min_length: int = ACPI_HEADER_SIZE  # shorter than this and the fixed fields are cut off
    # (subtable type or None for the table itself, leaf field name) -> describe
    meanings: Mapping[tuple[int | None, str], Describe] = {}
    subtables: Subtables | None = None
    # What the table's list holds, when bytes left after its last whole item are an error ("subtable",
    # "4-byte entry"); None: trailing bytes after the known fields are only a warning.
    items: str | None = None
    pointers: frozenset = frozenset()  # fields that hold guest addresses of other tables (diff compares targets)
    root: bool = False  # RSDT and XSDT: every entry is a pointer to a table
    checks: tuple[Callable, ...] = ()  # check(table) -> [Finding], beyond the generic ones

    def meaning(self, subtable_type: int | None, leaf: str, value, context) -> str:
        describe = (self.meanings.get((subtable_type, leaf)) if subtable_type is not None else None) or \
            self.meanings.get((None, leaf)) or COMMON_MEANINGS.get(leaf)
        return describe(value, context) if describe else ""


# Meanings shared by every table: the Generic Address Structure's fields (ACPI 6.5 §5.2.3.2).
COMMON_MEANINGS: dict[str, Describe] = {"space_id": gas_meaning("space_id"), "access_size": gas_meaning("access_size")}
