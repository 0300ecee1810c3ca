"""SLIT: its descriptor and check."""
from __future__ import annotations

from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.slit import SLIT_LOCAL_DISTANCE, slit
from qboot_tables.tables.descriptor import TableDescriptor


def check_slit(table) -> list[Finding]:
    p, out = table.parsed, []
    n = p.locality_count
    if p.matrix is None:
        return [Finding(ERROR, table.name, "matrix", f"fewer than {n}x{n} bytes for {n} localities")]
    for i in range(n):
        if p.matrix[i][i] != SLIT_LOCAL_DISTANCE:
            out.append(Finding(ERROR, table.name, f"matrix[{i}][{i}]", f"distance to itself is {p.matrix[i][i]}, "
                                                                      f"must be {SLIT_LOCAL_DISTANCE}"))
    return out


DESCRIPTOR = TableDescriptor(
    signature="SLIT",
    title="System Locality Information Table (SLIT)",
    schema=slit,
    spec="ACPI 6.5 §5.2.17",
    min_length=44,
    items="matrix row",
    checks=(check_slit,),
)
