"""LPIT: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.lpit import LPIT_SUBTABLE_SIZES, LPIT_TYPES, LpitFlags, LpitType, lpit
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
        (LpitType.NATIVE_CSTATE, "flags"): bit_names(LpitFlags),
        (LpitType.NATIVE_CSTATE, "residency"): microseconds,
        (LpitType.NATIVE_CSTATE, "latency"): microseconds,
    },
    subtables=Subtables(names=LPIT_TYPES, sizes=LPIT_SUBTABLE_SIZES,
                        keys={LpitType.NATIVE_CSTATE: ("body.unique_id", "id")}),
    items="subtable",
)
