"""FPDT and S3PT: their descriptors. The FPDT holds pointer records; the S3PT, which one of them names, is a
headerless table of S3 resume and suspend timings."""
from __future__ import annotations

from qboot_tables.show.descriptions import enum_name
from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas.acpi.fpdt import (FPDT_RECORD_SIZES, FPDT_TYPES, S3PT_HEADER_SIZE, S3PT_RECORD_SIZES,
                                            S3PT_TYPES, S3ptType, fpdt, s3pt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def nanoseconds(value, _context) -> str:
    return f"{value / 1e6:.3f} ms" if value else ""


def check_s3pt_length(table) -> list[Finding]:
    # Linux drivers/acpi/acpi_fpdt.c fpdt_process_subtable() walks the records up to this length; past the data
    # it would read records that are not there.
    p = table.parsed
    if p.length != len(table.data):
        return [Finding(WARNING, table.name, "length", f"{p.length}, but {len(table.data)} bytes are present")]
    return []


FPDT = TableDescriptor(
    signature="FPDT",
    title="Firmware Performance Data Table (FPDT)",
    schema=fpdt,
    spec="ACPI 6.5 §5.2.24",
    min_length=36,
    meanings={(None, "type"): enum_name(FPDT_TYPES, "Reserved")},
    subtables=Subtables(field="records", names=FPDT_TYPES, sizes=FPDT_RECORD_SIZES),
    items="record",
)

S3PT = TableDescriptor(
    signature="S3PT",
    title="S3 Performance Table (S3PT)",
    schema=s3pt,
    spec="ACPI 6.5 §5.2.24.6",
    header=False,
    min_length=S3PT_HEADER_SIZE,
    meanings={
        (None, "type"): enum_name(S3PT_TYPES, "Reserved"),
        (S3ptType.BASIC_S3_RESUME, "full_resume"): nanoseconds,
        (S3ptType.BASIC_S3_RESUME, "average_resume"): nanoseconds,
    },
    subtables=Subtables(field="records", names=S3PT_TYPES, sizes=S3PT_RECORD_SIZES),
    items="record",
    checks=(check_s3pt_length,),
)

DESCRIPTORS = (FPDT, S3PT)
