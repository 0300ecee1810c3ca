"""SRAT: its descriptor, and the queries for the proximity domains of processors and memory."""
from __future__ import annotations

from construct import Container

from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.srat import (SRAT_DEVICE_HANDLE_TYPES, SRAT_SUBTABLE_SIZES, SRAT_TYPES,
                                            SratGenericAffinityFlags, SratGiccFlags, SratMemoryFlags,
                                            SratProcessorFlags, SratType, srat)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def processor_domains(table) -> dict[int, int] | None:
    """{APIC ID: proximity domain} from the processor affinity entries; None without a parsed SRAT."""
    if table is None or table.parsed is None:
        return None
    nodes = {}
    for sub in table.parsed.subtables:
        body = sub.body
        if sub.type == SratType.LOCAL_APIC_AFFINITY and isinstance(body, Container):
            nodes[body.apic_id] = body.proximity_domain_lo | body.proximity_domain_hi << 8
        elif sub.type == SratType.X2APIC_AFFINITY and isinstance(body, Container):
            nodes[body.x2apic_id] = body.proximity_domain
    return nodes


def memory_ranges(table, *, boot_only: bool = False) -> list[tuple[int, int, int]]:
    """(base, end, proximity domain) of each enabled memory affinity entry; with `boot_only`, leave out the
    hot-pluggable ranges, which hold no RAM at boot."""
    out = []
    for sub in (table.parsed.subtables if table is not None and table.parsed is not None else ()):
        body = sub.body
        if sub.type != SratType.MEMORY_AFFINITY or not isinstance(body, Container) or \
                not body.flags & SratMemoryFlags.ENABLED or not body.length:
            continue
        if boot_only and body.flags & SratMemoryFlags.HOT_PLUGGABLE:
            continue
        out.append((body.base_address, body.base_address + body.length, body.proximity_domain))
    return out


def domains(table) -> set[int]:
    """Every proximity domain the SRAT names, in any kind of entry that has one."""
    found = set()
    for sub in (table.parsed.subtables if table is not None and table.parsed is not None else ()):
        body = sub.body
        if not isinstance(body, Container):
            continue
        if "proximity_domain" in body:
            found.add(body.proximity_domain)
        elif "proximity_domain_lo" in body:
            found.add(body.proximity_domain_lo | body.proximity_domain_hi << 8)
    return found


def check_lengths(table) -> list[Finding]:
    """Linux on x86 takes a Processor Local APIC Affinity entry of exactly 16 bytes and no other length: it calls
    the whole SRAT bad and boots without NUMA (arch/x86/mm/srat.c acpi_numa_processor_affinity_init, bad_srat).
    For the other types a longer entry is only the generic warning."""
    size = SRAT_SUBTABLE_SIZES[SratType.LOCAL_APIC_AFFINITY]
    return [Finding(ERROR, table.name, f"subtables[{i}].length",
                    f"{sub.length} for type 0, expected {size}: Linux then ignores the whole SRAT")
            for i, sub in enumerate(table.parsed.subtables)
            if sub.type == SratType.LOCAL_APIC_AFFINITY and sub.length != size]


DESCRIPTOR = TableDescriptor(
    signature="SRAT",
    title="System Resource Affinity Table (SRAT)",
    schema=srat,
    spec="ACPI 6.5 §5.2.16",
    min_length=48,
    meanings={
        (None, "type"): enum_name(SRAT_TYPES, "Reserved"),
        (SratType.LOCAL_APIC_AFFINITY, "flags"): bit_names(SratProcessorFlags),
        (SratType.X2APIC_AFFINITY, "flags"): bit_names(SratProcessorFlags),
        (SratType.MEMORY_AFFINITY, "flags"): bit_names(SratMemoryFlags),
        (SratType.MEMORY_AFFINITY, "length"): byte_size,
        (SratType.MEMORY_AFFINITY, "base_address"): byte_size,
        (SratType.GICC_AFFINITY, "flags"): bit_names(SratGiccFlags),
        (SratType.GENERIC_INITIATOR_AFFINITY, "device_handle_type"): enum_name(SRAT_DEVICE_HANDLE_TYPES, "Reserved"),
        (SratType.GENERIC_INITIATOR_AFFINITY, "flags"): bit_names(SratGenericAffinityFlags),
        (SratType.GENERIC_PORT_AFFINITY, "device_handle_type"): enum_name(SRAT_DEVICE_HANDLE_TYPES, "Reserved"),
        (SratType.GENERIC_PORT_AFFINITY, "flags"): bit_names(SratGenericAffinityFlags),
    },
    subtables=Subtables(names=SRAT_TYPES, sizes=SRAT_SUBTABLE_SIZES, keys={
        SratType.LOCAL_APIC_AFFINITY: ("body.apic_id", "APIC ID"),
        SratType.X2APIC_AFFINITY: ("body.x2apic_id", "x2APIC ID"),
        SratType.MEMORY_AFFINITY: ("body.base_address", "base"),
        SratType.GICC_AFFINITY: ("body.acpi_processor_uid", "uid"),
        SratType.GIC_ITS_AFFINITY: ("body.its_id", "ITS ID"),
        SratType.GENERIC_INITIATOR_AFFINITY: ("body.device_handle", "device"),
        SratType.GENERIC_PORT_AFFINITY: ("body.device_handle", "device"),
    }),
    items="subtable",
    checks=(check_lengths,),
)
