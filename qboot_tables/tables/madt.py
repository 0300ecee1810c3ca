"""MADT ("APIC"): its descriptor, its checks, and the one query for the processors it lists."""
from __future__ import annotations

from typing import NamedTuple

from qboot_tables.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas.acpi.madt import (MADT_FLAGS, MADT_LAPIC_FLAGS, MADT_SUBTABLE_SIZES, MADT_TYPES,
                                            MPS_INTI_FLAG_FIELDS, madt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

LOCAL_APIC, IO_APIC, INTERRUPT_OVERRIDE, LOCAL_X2APIC, LOCAL_X2APIC_NMI = 0x0, 0x1, 0x2, 0x9, 0xA
ENABLED, ONLINE_CAPABLE = 1 << 0, 1 << 1
# MADT revision 3 (ACPI 4.0) introduced the x2APIC structures (ACPI 4.0 §5.2.12.12).
X2APIC_REVISION = 3


class Processor(NamedTuple):
    apic_id: int
    uid: int
    flags: int
    index: int  # which subtable

    @property
    def enabled(self) -> bool:
        return bool(self.flags & ENABLED)


def subtables_of(table) -> list | None:
    """The decoded subtables of a MADT (an unknown type's body stays bytes); None when there is no parsed MADT."""
    if table is None or table.parsed is None:
        return None
    return [sub for sub in table.parsed.subtables if isinstance(sub.body, dict)]


def processors(table) -> list[Processor]:
    """Every Processor Local APIC and x2APIC entry of a parsed MADT, in table order."""
    out = []
    for i, sub in enumerate(table.parsed.subtables if table is not None and table.parsed is not None else ()):
        if sub.type in (LOCAL_APIC, LOCAL_X2APIC) and isinstance(sub.body, dict):
            apic_id = sub.body.apic_id if sub.type == LOCAL_APIC else sub.body.x2apic_id
            out.append(Processor(apic_id, sub.body.acpi_processor_uid, sub.body.flags, i))
    return out


def check_processors(table) -> list[Finding]:
    p, name, out = table.parsed, table.name, []
    apic_ids: dict[int, int] = {}
    uids: dict[int, int] = {}
    for cpu in processors(table):
        where = f"subtables[{cpu.index}]"
        if cpu.flags & ENABLED and cpu.flags & ONLINE_CAPABLE:
            out.append(Finding(WARNING, name, f"{where}.body.flags", "ENABLED and ONLINE_CAPABLE both set"))
        if p.subtables[cpu.index].type == LOCAL_X2APIC and cpu.apic_id < 0xFF:
            out.append(Finding(INFO, name, f"{where}.body.x2apic_id",
                               f"x2APIC entry for APIC ID {cpu.apic_id}, which a local APIC entry could hold"))
        if cpu.apic_id in apic_ids:
            out.append(Finding(ERROR, name, where, f"APIC ID {cpu.apic_id} repeats subtables[{apic_ids[cpu.apic_id]}]"))
        if cpu.uid in uids:
            out.append(Finding(ERROR, name, where, f"processor UID {cpu.uid} repeats subtables[{uids[cpu.uid]}]"))
        apic_ids.setdefault(cpu.apic_id, cpu.index)
        uids.setdefault(cpu.uid, cpu.index)
    return out


def check_x2apic_revision(table) -> list[Finding]:
    p = table.parsed
    x2apic = [i for i, sub in enumerate(p.subtables)
              if sub.type in (LOCAL_X2APIC, LOCAL_X2APIC_NMI) and p.header.revision < X2APIC_REVISION]
    if not x2apic:
        return []
    # One finding for all of them: QEMU 7.2 writes revision 1 with x2APIC entries, and Linux accepts it.
    return [Finding(WARNING, table.name, f"subtables[{x2apic[0]}].type",
                    f"{len(x2apic)} x2APIC structures in a revision {p.header.revision} MADT "
                    f"(they need revision {X2APIC_REVISION}, ACPI 4.0)")]


DESCRIPTOR = TableDescriptor(
    signature="APIC",
    title="Multiple APIC Description Table (MADT)",
    schema=madt,
    spec="ACPI 6.5 §5.2.12",
    min_length=44,
    meanings={
        (None, "flags"): bit_names(MADT_FLAGS),
        (None, "type"): enum_name(MADT_TYPES, "Reserved/OEM"),
        (LOCAL_APIC, "flags"): bit_names(MADT_LAPIC_FLAGS),
        (LOCAL_X2APIC, "flags"): bit_names(MADT_LAPIC_FLAGS),
        (INTERRUPT_OVERRIDE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (0x3, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (0x4, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (LOCAL_X2APIC_NMI, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
    },
    subtables=Subtables(names=MADT_TYPES, sizes=MADT_SUBTABLE_SIZES, keys={
        LOCAL_APIC: ("body.acpi_processor_uid", "uid"),
        LOCAL_X2APIC: ("body.acpi_processor_uid", "uid"),
        IO_APIC: ("body.io_apic_id", "id"),
        INTERRUPT_OVERRIDE: ("body.source", "irq"),
        0x4: ("body.acpi_processor_uid", "uid"),
        LOCAL_X2APIC_NMI: ("body.acpi_processor_uid", "uid"),
    }),
    items="subtable",
    checks=(check_processors, check_x2apic_revision),
)
