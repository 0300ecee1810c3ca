"""EINJ: its descriptor, and the checks Linux makes before it uses an APEI instruction table."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.einj import (EINJ_MIN_LENGTH, INSTRUCTION_ENTRY_SIZE, ApeiEntryFlags, EinjAction,
                                            EinjInstruction, einj)
from qboot_tables.schemas.common import ACPI_HEADER_SIZE
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

FIXED_FIELDS = 12  # the fields between the ACPI header and the entries
HEADER_LENGTHS = (FIXED_FIELDS, ACPI_HEADER_SIZE + FIXED_FIELDS)  # what Linux takes in the header length field


def instruction_table_checks(header_length_field: str, count_field: str, header_lengths: tuple[int, ...]):
    """The checks EINJ and ERST share: Linux refuses the table when its header length or its entry count is not
    what the table's length implies."""
    def check(table) -> list[Finding]:
        p, out = table.parsed, []
        if p[header_length_field] not in header_lengths:
            out.append(Finding(ERROR, table.name, header_length_field,
                               f"{p[header_length_field]}, expected {' or '.join(map(str, header_lengths))}"))
        whole = max(0, (len(table.data) - ACPI_HEADER_SIZE - FIXED_FIELDS) // INSTRUCTION_ENTRY_SIZE)
        if p[count_field] != whole:
            out.append(Finding(ERROR, table.name, count_field,
                               f"{p[count_field]}, but the table's length holds {whole} entries"))
        return out
    return check


DESCRIPTOR = TableDescriptor(
    signature="EINJ",
    title="Error Injection Table (EINJ)",
    schema=einj,
    spec="ACPI 6.5 §18.6",
    min_length=EINJ_MIN_LENGTH,
    meanings={
        (None, "action"): enum_name(EinjAction, "Reserved"),
        (None, "instruction"): enum_name(EinjInstruction, "Reserved"),
        (None, "flags"): bit_names(ApeiEntryFlags),
    },
    subtables=Subtables(field="entries", keys={None: ("action", "action")}),
    items="entry",  # a partial one: iasl (dmtable.c AcpiDmDumpTable) says "table terminates in the middle"
    # Linux (drivers/acpi/apei/einj.c, einj_check_table) refuses an EINJ whose injection header length is
    # neither 12 nor 48 (some firmware counts the ACPI header) or whose entry count disagrees with its length.
    checks=(instruction_table_checks("injection_header_length", "injection_entry_count", HEADER_LENGTHS),),
)
