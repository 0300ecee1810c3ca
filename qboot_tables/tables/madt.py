"""MADT ("APIC"): its descriptor, its checks, and the one query for the processors it lists."""
from __future__ import annotations

from typing import NamedTuple

from qboot_tables.show.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas.acpi.madt import (CORE_PIC_FLAGS, GIC_MSI_FRAME_FLAGS, GIC_VERSIONS, GICC_FLAGS,
                                            MADT_FLAGS, MADT_LAPIC_FLAGS, MADT_SUBTABLE_SIZES, MADT_TYPES,
                                            MPS_INTI_FLAG_FIELDS, PLATFORM_INTERRUPT_SOURCE_FLAGS,
                                            PLATFORM_INTERRUPT_TYPES, madt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

LOCAL_APIC, IO_APIC, INTERRUPT_OVERRIDE, LOCAL_X2APIC, LOCAL_X2APIC_NMI = 0x0, 0x1, 0x2, 0x9, 0xA
NMI_SOURCE, LOCAL_APIC_NMI, IO_SAPIC, LOCAL_SAPIC, PLATFORM_INTERRUPT_SOURCE = 0x3, 0x4, 0x6, 0x7, 0x8
GICC, GICD, GIC_MSI_FRAME, GICR, GIC_ITS, MULTIPROCESSOR_WAKEUP, CORE_PIC = 0xB, 0xC, 0xD, 0xE, 0xF, 0x10, 0x11
ENABLED, ONLINE_CAPABLE = 1 << 0, 1 << 1
GICC_ONLINE_CAPABLE = 1 << 3
# MADT revision 3 (ACPI 4.0) introduced the x2APIC structures (ACPI 4.0 §5.2.12.12).
X2APIC_REVISION = 3
# The IDs that acpi_parse_lapic and acpi_parse_x2apic ignore outright ("Ignore invalid ID"): firmware pads the
# MADT with such entries.
INVALID_APIC_IDS = {LOCAL_APIC: 0xFF, LOCAL_X2APIC: 0xFFFFFFFF}


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


def usable(table) -> list[Processor]:
    """The processor entries that can be a CPU, enabled now or online-capable, as Linux picks them
    (arch/x86/kernel/acpi/boot.c acpi_parse_lapic, acpi_parse_x2apic, acpi_is_processor_usable): not an ignored
    ID, and no x2APIC entry below 0xFF once local APIC entries exist (acpi_parse_x2apic, has_lapic_cpus).

    The rest is padding. Linux skips it from MADT revision 5 on; in an older MADT it only counts such an entry
    as a disabled CPU (topology_register_apic with present false) and never uses its APIC ID or UID."""
    p = table.parsed
    out, has_lapic_cpus = [], False
    for cpu in processors(table):
        kind = p.subtables[cpu.index].type
        if cpu.apic_id == INVALID_APIC_IDS[kind] or not cpu.flags & (ENABLED | ONLINE_CAPABLE):
            continue
        if kind == LOCAL_X2APIC and has_lapic_cpus and cpu.apic_id < 0xFF:
            continue
        has_lapic_cpus |= kind == LOCAL_APIC
        out.append(cpu)
    return out


def check_processors(table) -> list[Finding]:
    p, name, out = table.parsed, table.name, []
    for cpu in processors(table):
        where = f"subtables[{cpu.index}]"
        if cpu.flags & ENABLED and cpu.flags & ONLINE_CAPABLE:
            out.append(Finding(WARNING, name, f"{where}.body.flags", "ENABLED and ONLINE_CAPABLE both set"))
        if p.subtables[cpu.index].type == LOCAL_X2APIC and cpu.apic_id < 0xFF:
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
        where = f"subtables[{cpu.index}]"
        first = apic_ids.setdefault(cpu.apic_id, cpu)
        if first is not cpu:
            severity = ERROR if cpu.enabled and first.enabled else WARNING
            out.append(Finding(severity, name, where, f"APIC ID {cpu.apic_id} repeats subtables[{first.index}]"))
        # A repeated UID does not stop a CPU, but Linux matches a processor object to the first enabled entry of
        # its UID (drivers/acpi/processor_core.c map_madt_entry), so the other CPU has no ACPI processor object.
        first = uids.setdefault(cpu.uid, cpu)
        if first is not cpu:
            out.append(Finding(WARNING, name, where, f"processor UID {cpu.uid} repeats subtables[{first.index}]"))
    out += _check_gicc(table)
    return out


def _check_gicc(table) -> list[Finding]:
    """Arm's processors: Linux skips a usable GICC whose MPIDR an earlier one has (arch/arm64/kernel/smp.c
    acpi_map_gic_cpu_interface: "duplicate CPU MPIDR ... in MADT"), so that CPU never comes up."""
    out, seen = [], {}
    for i, sub in enumerate(table.parsed.subtables):
        if sub.type != GICC or not isinstance(sub.body, dict) or not sub.body.flags & (ENABLED | GICC_ONLINE_CAPABLE):
            continue
        first = seen.setdefault(sub.body.mpidr, i)
        if first != i:
            out.append(Finding(ERROR, table.name, f"subtables[{i}].body.mpidr",
                               f"MPIDR {sub.body.mpidr:#x} repeats subtables[{first}]"))
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
        (LOCAL_SAPIC, "flags"): bit_names(MADT_LAPIC_FLAGS),
        (INTERRUPT_OVERRIDE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (NMI_SOURCE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (LOCAL_APIC_NMI, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (LOCAL_X2APIC_NMI, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (PLATFORM_INTERRUPT_SOURCE, "flags"): bit_fields(MPS_INTI_FLAG_FIELDS),
        (PLATFORM_INTERRUPT_SOURCE, "interrupt_type"): enum_name(PLATFORM_INTERRUPT_TYPES, "Reserved"),
        (PLATFORM_INTERRUPT_SOURCE, "platform_interrupt_source_flags"): bit_names(PLATFORM_INTERRUPT_SOURCE_FLAGS),
        (GICC, "flags"): bit_names(GICC_FLAGS),
        (GICD, "gic_version"): enum_name(GIC_VERSIONS, "Reserved"),
        (GIC_MSI_FRAME, "flags"): bit_names(GIC_MSI_FRAME_FLAGS),
        (CORE_PIC, "flags"): bit_names(CORE_PIC_FLAGS),
    },
    subtables=Subtables(names=MADT_TYPES, sizes=MADT_SUBTABLE_SIZES, keys={
        LOCAL_APIC: ("body.acpi_processor_uid", "uid"),
        LOCAL_X2APIC: ("body.acpi_processor_uid", "uid"),
        IO_APIC: ("body.io_apic_id", "id"),
        INTERRUPT_OVERRIDE: ("body.source", "irq"),
        LOCAL_APIC_NMI: ("body.acpi_processor_uid", "uid"),
        LOCAL_X2APIC_NMI: ("body.acpi_processor_uid", "uid"),
        IO_SAPIC: ("body.io_apic_id", "id"),
        LOCAL_SAPIC: ("body.acpi_processor_uid_value", "uid"),
        GICC: ("body.acpi_processor_uid", "uid"),
        GICD: ("body.gic_id", "id"),
        GIC_MSI_FRAME: ("body.gic_msi_frame_id", "id"),
        GICR: ("body.discovery_range_base_address", "base"),
        GIC_ITS: ("body.gic_its_id", "id"),
        CORE_PIC: ("body.acpi_processor_id", "uid"),
    }),
    items="subtable",
    checks=(check_processors, check_x2apic_revision),
)
