"""MADT ("APIC"): its descriptor, its checks, and the one query for the processors it lists."""
from __future__ import annotations

import functools
from typing import NamedTuple

from construct import Container, Int8ul, Struct

from qboot_tables.show.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas.acpi.madt import (GIC_VERSIONS, INVALID_APIC_IDS, MADT_SUBTABLE_SIZES, MADT_SUBTABLES, MADT_TYPES,
                                            MPS_INTI_FLAG_FIELDS, PLATFORM_INTERRUPT_TYPES, CorePicFlags, GiccFlags,
                                            GicMsiFrameFlags, LocalApicFlags, MadtFlags, MadtType,
                                            PlatformInterruptSourceFlags, madt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

# MADT revision 3 (ACPI 4.0) introduced the x2APIC structures (ACPI 4.0 §5.2.12.12).
X2APIC_REVISION = 3
# Linux's acpi_is_processor_usable() (arch/x86/kernel/acpi/boot.c) honours ONLINE_CAPABLE from MADT revision 5
# (ACPI 6.3) on; in an older MADT a disabled entry is a CPU that may be hot-added.
ONLINE_CAPABLE_REVISION = 5
# x2APIC IDs below this one belong in local APIC entries (ACPI 6.5 §5.2.12.12).
X2APIC_FIRST_ID = 0xFF


class Processor(NamedTuple):
    apic_id: int
    uid: int
    flags: int
    subtable: int  # its position in the MADT's subtables

    @property
    def enabled(self) -> bool:
        return bool(self.flags & LocalApicFlags.ENABLED)


@functools.cache
def madt_cpu_entry(kind: int):
    """One CPU entry type's schema: the MADT's own subtable with the body fixed to that type. Switch and
    FixedSized keep construct from compiling the general one; compiled, thousands of _MAT buffers build and
    parse ten times faster."""
    return Struct("type" / Int8ul, "length" / Int8ul, "body" / MADT_SUBTABLES[kind]).compile()


def subtables_of(table) -> list | None:
    """The decoded subtables of a MADT (an unknown type's body stays bytes); None when there is no parsed MADT."""
    if table is None or table.parsed is None:
        return None
    return [sub for sub in table.parsed.subtables if isinstance(sub.body, Container)]


def processors(table) -> list[Processor]:
    """Every Processor Local APIC and x2APIC entry of a parsed MADT, in table order."""
    out = []
    for i, sub in enumerate(table.parsed.subtables if table is not None and table.parsed is not None else ()):
        if sub.type in (MadtType.LOCAL_APIC, MadtType.LOCAL_X2APIC) and isinstance(sub.body, Container):
            apic_id = sub.body.apic_id if sub.type == MadtType.LOCAL_APIC else sub.body.x2apic_id
            out.append(Processor(apic_id, sub.body.acpi_processor_uid, sub.body.flags, i))
    return out


def possible(table) -> list[Processor]:
    """The processor entries Linux counts as CPUs, present or hot-pluggable (arch/x86/kernel/acpi/boot.c
    acpi_parse_lapic, acpi_parse_x2apic, acpi_is_processor_usable): not an ignored ID; enabled, or
    online-capable, or disabled in a MADT older than revision 5, which cannot say; and no x2APIC entry below
    0xFF once local APIC entries exist (acpi_parse_x2apic, has_lapic_cpus)."""
    cpus = processors(table)
    if not cpus:
        return []
    p = table.parsed
    honours_online_capable = p.header.revision >= ONLINE_CAPABLE_REVISION
    out, has_lapic_cpus = [], False
    for cpu in cpus:
        kind = p.subtables[cpu.subtable].type
        if cpu.apic_id == INVALID_APIC_IDS[kind]:
            continue
        if not (cpu.enabled or not honours_online_capable or cpu.flags & LocalApicFlags.ONLINE_CAPABLE):
            continue
        if kind == MadtType.LOCAL_X2APIC and has_lapic_cpus and cpu.apic_id < X2APIC_FIRST_ID:
            continue
        has_lapic_cpus |= kind == MadtType.LOCAL_APIC
        out.append(cpu)
    return out


def usable(table) -> list[Processor]:
    """The possible() entries that can be a CPU, enabled now or online-capable.

    The rest is padding. Linux skips it from MADT revision 5 on; in an older MADT it only counts such an entry
    as a disabled CPU (topology_register_apic with present false) and never uses its APIC ID or UID."""
    return [cpu for cpu in possible(table) if cpu.flags & (LocalApicFlags.ENABLED | LocalApicFlags.ONLINE_CAPABLE)]


def check_processors(table) -> list[Finding]:
    p, name, out = table.parsed, table.name, []
    for cpu in processors(table):
        where = f"subtables[{cpu.subtable}]"
        if cpu.flags & LocalApicFlags.ENABLED and cpu.flags & LocalApicFlags.ONLINE_CAPABLE:
            out.append(Finding(WARNING, name, f"{where}.body.flags", "ENABLED and ONLINE_CAPABLE both set"))
        if p.subtables[cpu.subtable].type == MadtType.LOCAL_X2APIC and cpu.apic_id < X2APIC_FIRST_ID:
            out.append(Finding(INFO, name, f"{where}.body.x2apic_id",
                               f"x2APIC entry for APIC ID {cpu.apic_id}, which a local APIC entry could hold"))
    # Repeats count only among usable entries; placeholders (neither enabled nor online-capable, often APIC ID 0
    # or 0xFF) are never a CPU. Two enabled entries with one APIC ID are an error: Linux brings up one
    # CPU for them and drops the other (arch/x86/kernel/cpu/topology.c topo_register_apic keeps one CPU per
    # APIC ID in phys_cpu_present_map). When a hot-pluggable entry is involved, Linux counts each as a possible
    # CPU (nr_disabled_cpus) and the count is overstated: a warning.
    apic_ids: dict[int, Processor] = {}
    uids: dict[int, Processor] = {}
    for cpu in usable(table):
        where = f"subtables[{cpu.subtable}]"
        first = apic_ids.setdefault(cpu.apic_id, cpu)
        if first is not cpu:
            severity = ERROR if cpu.enabled and first.enabled else WARNING
            out.append(Finding(severity, name, where, f"APIC ID {cpu.apic_id} repeats subtables[{first.subtable}]"))
        # A repeated UID does not stop a CPU, but Linux matches a processor object to the first enabled entry of
        # its UID (drivers/acpi/processor_core.c map_madt_entry), so the other CPU has no ACPI processor object.
        first = uids.setdefault(cpu.uid, cpu)
        if first is not cpu:
            out.append(Finding(WARNING, name, where, f"processor UID {cpu.uid} repeats subtables[{first.subtable}]"))
    out += _check_gicc(table)
    return out


def _check_gicc(table) -> list[Finding]:
    """Arm's processors: Linux skips a usable GICC whose MPIDR an earlier one has (arch/arm64/kernel/smp.c
    acpi_map_gic_cpu_interface: "duplicate CPU MPIDR ... in MADT"), so that CPU never comes up."""
    out: list[Finding] = []
    seen: dict[int, int] = {}  # MPIDR -> the first usable GICC's subtable index
    for i, sub in enumerate(table.parsed.subtables):
        if sub.type != MadtType.GICC or not isinstance(sub.body, Container) or \
                not sub.body.flags & (GiccFlags.ENABLED | GiccFlags.ONLINE_CAPABLE):
            continue
        first = seen.setdefault(sub.body.mpidr, i)
        if first != i:
            out.append(Finding(ERROR, table.name, f"subtables[{i}].body.mpidr",
                               f"MPIDR {sub.body.mpidr:#x} repeats subtables[{first}]"))
    return out


def check_x2apic_revision(table) -> list[Finding]:
    p = table.parsed
    x2apic = [i for i, sub in enumerate(p.subtables)
              if sub.type in (MadtType.LOCAL_X2APIC, MadtType.LOCAL_X2APIC_NMI) and p.header.revision < X2APIC_REVISION]
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
        (None, "flags"): bit_names(MadtFlags),
        (None, "type"): enum_name(MADT_TYPES, "Reserved/OEM"),
        (MadtType.LOCAL_APIC, "flags"): bit_names(LocalApicFlags),
        (MadtType.LOCAL_X2APIC, "flags"): bit_names(LocalApicFlags),
        (MadtType.LOCAL_SAPIC, "flags"): bit_names(LocalApicFlags),
        (MadtType.INTERRUPT_OVERRIDE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (MadtType.NMI_SOURCE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (MadtType.LOCAL_APIC_NMI, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (MadtType.LOCAL_X2APIC_NMI, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (MadtType.PLATFORM_INTERRUPT_SOURCE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (MadtType.PLATFORM_INTERRUPT_SOURCE, "interrupt_type"): enum_name(PLATFORM_INTERRUPT_TYPES, "Reserved"),
        (MadtType.PLATFORM_INTERRUPT_SOURCE, "platform_interrupt_source_flags"):
            bit_names(PlatformInterruptSourceFlags),
        (MadtType.GICC, "flags"): bit_names(GiccFlags),
        (MadtType.GICD, "gic_version"): enum_name(GIC_VERSIONS, "Reserved"),
        (MadtType.GIC_MSI_FRAME, "flags"): bit_names(GicMsiFrameFlags),
        (MadtType.CORE_PIC, "flags"): bit_names(CorePicFlags),
    },
    subtables=Subtables(names=MADT_TYPES, sizes=MADT_SUBTABLE_SIZES, keys={
        MadtType.LOCAL_APIC: ("body.acpi_processor_uid", "uid"),
        MadtType.LOCAL_X2APIC: ("body.acpi_processor_uid", "uid"),
        MadtType.IO_APIC: ("body.io_apic_id", "id"),
        MadtType.INTERRUPT_OVERRIDE: ("body.source", "irq"),
        MadtType.LOCAL_APIC_NMI: ("body.acpi_processor_uid", "uid"),
        MadtType.LOCAL_X2APIC_NMI: ("body.acpi_processor_uid", "uid"),
        MadtType.IO_SAPIC: ("body.io_apic_id", "id"),
        MadtType.LOCAL_SAPIC: ("body.acpi_processor_uid_value", "uid"),
        MadtType.GICC: ("body.acpi_processor_uid", "uid"),
        MadtType.GICD: ("body.gic_id", "id"),
        MadtType.GIC_MSI_FRAME: ("body.gic_msi_frame_id", "id"),
        MadtType.GICR: ("body.discovery_range_base_address", "base"),
        MadtType.GIC_ITS: ("body.gic_its_id", "id"),
        MadtType.CORE_PIC: ("body.acpi_processor_id", "uid"),
    }),
    items="subtable",
    checks=(check_processors, check_x2apic_revision),
)
