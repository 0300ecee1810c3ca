"""PDTT: its descriptor and checks."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names
from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas.acpi.pdtt import PDTT_FIXED_END, PdttTriggerFlags, pdtt
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def check_triggers(table) -> list[Finding]:
    p, out = table.parsed, []
    if p.trigger_identifier_array_offset < PDTT_FIXED_END:
        out.append(Finding(WARNING, table.name, "trigger_identifier_array_offset",
                           f"{p.trigger_identifier_array_offset} points into the fixed fields"))
    if p.trigger_count != len(p.triggers):
        out.append(Finding(WARNING, table.name, "trigger_count",
                           f"{p.trigger_count}, but the table holds {len(p.triggers)} trigger identifiers"))
    return out


DESCRIPTOR = TableDescriptor(
    signature="PDTT",
    title="Platform Debug Trigger Table (PDTT)",
    schema=pdtt,
    spec="ACPI 6.5 §5.2.29",
    min_length=PDTT_FIXED_END,
    meanings={(None, "flags"): bit_names(PdttTriggerFlags)},
    subtables=Subtables(field="triggers", keys={None: ("subchannel_id", "subchannel")}),
    items="trigger identifier",  # a partial one: iasl (dmtable.c AcpiDmDumpTable) says "table terminates..."
    checks=(check_triggers,),
)
