"""LPIT: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.lpit import LPIT_FLAGS, LPIT_SUBTABLE_SIZES, LPIT_TYPES, lpit
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def microseconds(value, _context) -> str:
    return f"{value} us"


DESCRIPTOR = TableDescriptor(
    signature="LPIT",
    title="Low Power Idle Table (LPIT)",
    schema=lpit,
    spec="Intel ACPI Low Power S0 Idle (LPIT) Specification 1.0 §2",
    min_length=36,
    meanings={
        (None, "type"): enum_name(LPIT_TYPES, "Reserved"),
        (0, "flags"): bit_names(LPIT_FLAGS),
        (0, "residency"): microseconds,
        (0, "latency"): microseconds,
    },
    subtables=Subtables(names=LPIT_TYPES, sizes=LPIT_SUBTABLE_SIZES, keys={0: ("body.unique_id", "id")}),
    items="subtable",
)
