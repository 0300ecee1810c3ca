"""WDAT: its descriptor."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas.acpi.wdat import (WDAT_MIN_LENGTH, WdatAction, WdatFlags, WdatInstruction,
                                            WdatInstructionFlags, wdat)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

PRESERVE_REGISTER = int(WdatInstructionFlags.PRESERVE_REGISTER)
instruction_name = enum_name(WdatInstruction, "Reserved")


def instruction(value, context) -> str:
    name = instruction_name(value & ~PRESERVE_REGISTER, context)
    return f"{name}, PRESERVE_REGISTER" if value & PRESERVE_REGISTER else name


def check_entry_count(table) -> list[Finding]:
    # Linux (drivers/watchdog/wdat_wdt.c, wdat_wdt_probe) walks `watchdog_entry_count` entries and trusts the
    # count, so a count that disagrees with the table's length is worth a warning.
    p = table.parsed
    if p.watchdog_entry_count == len(p.entries):
        return []
    return [Finding(WARNING, table.name, "watchdog_entry_count",
                    f"{p.watchdog_entry_count}, but the table holds {len(p.entries)} entries")]


DESCRIPTOR = TableDescriptor(
    signature="WDAT",
    title="Watchdog Action Table (WDAT)",
    schema=wdat,
    spec="Microsoft Hardware Watchdog Timers Design Specification 1.00",
    min_length=WDAT_MIN_LENGTH,
    meanings={
        (None, "flags"): bit_names(WdatFlags),
        (None, "watchdog_action"): enum_name(WdatAction, "Reserved"),
        (None, "instruction"): instruction,
    },
    subtables=Subtables(field="entries", keys={None: ("watchdog_action", "action")}),
    items="entry",  # a partial one: iasl (dmtable.c AcpiDmDumpTable) says "table terminates in the middle"
    checks=(check_entry_count,),
)
