"""FACS: its descriptor and check; it has no standard header and no checksum."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.facs import FACS_FLAGS, FACS_SIZE, facs
from qboot_tables.tables.descriptor import TableDescriptor


def check_facs(table) -> list[Finding]:
    p = table.parsed
    if p.length != len(table.data) or p.length < FACS_SIZE:
        return [Finding(ERROR, table.name, "length", f"{p.length} (the FACS is at least {FACS_SIZE} bytes)")]
    return []


DESCRIPTOR = TableDescriptor(
    signature="FACS",
    title="Firmware ACPI Control Structure (FACS)",
    schema=facs,
    spec="ACPI 6.5 §5.2.10",
    header=False,
    min_length=FACS_SIZE,
    meanings={(None, "flags"): bit_names(FACS_FLAGS)},
    checks=(check_facs,),
)
