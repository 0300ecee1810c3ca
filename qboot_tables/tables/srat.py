"""SRAT: its descriptor, and the queries for the proximity domains of processors and memory."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.srat import (SRAT_DEVICE_HANDLE_TYPES, SRAT_GENERIC_AFFINITY_FLAGS, SRAT_GICC_FLAGS,
                                            SRAT_MEMORY_FLAGS, SRAT_PROCESSOR_FLAGS, SRAT_SUBTABLE_SIZES,
                                            SRAT_TYPES, srat)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

LOCAL_APIC_AFFINITY, MEMORY_AFFINITY, X2APIC_AFFINITY = 0, 1, 2
GICC_AFFINITY, GIC_ITS_AFFINITY, GENERIC_INITIATOR_AFFINITY, GENERIC_PORT_AFFINITY = 3, 4, 5, 6
ENABLED = 1 << 0
MEMORY_HOT_PLUGGABLE = 1 << 1


def processor_domains(table) -> dict[int, int] | None:
    """{APIC ID: proximity domain} from the processor affinity entries; None without a parsed SRAT."""
    if table is None or table.parsed is None:
        return None
    nodes = {}
    for sub in table.parsed.subtables:
        body = sub.body
        if sub.type == LOCAL_APIC_AFFINITY and isinstance(body, dict):
            nodes[body.apic_id] = body.proximity_domain_lo | body.proximity_domain_hi << 8
        elif sub.type == X2APIC_AFFINITY and isinstance(body, dict):
            nodes[body.x2apic_id] = body.proximity_domain
    return nodes


def memory_ranges(table, *, boot_only: bool = False) -> list[tuple[int, int, int]]:
    """(base, end, proximity domain) of each enabled memory affinity entry; with `boot_only`, leave out the
    hot-pluggable ranges, which hold no RAM at boot."""
    out = []
    for sub in (table.parsed.subtables if table is not None and table.parsed is not None else ()):
        body = sub.body
        if sub.type != MEMORY_AFFINITY or not isinstance(body, dict) or not body.flags & ENABLED or not body.length:
            continue
        if boot_only and body.flags & MEMORY_HOT_PLUGGABLE:
            continue
        out.append((body.base_address, body.base_address + body.length, body.proximity_domain))
    return out


def domains(table) -> set[int]:
    """Every proximity domain the SRAT names, in any kind of entry that has one."""
    found = set()
    for sub in (table.parsed.subtables if table is not None and table.parsed is not None else ()):
        body = sub.body
        if not isinstance(body, dict):
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
    size = SRAT_SUBTABLE_SIZES[LOCAL_APIC_AFFINITY]
    return [Finding(ERROR, table.name, f"subtables[{i}].length",
                    f"{sub.length} for type 0, expected {size}: Linux then ignores the whole SRAT")
            for i, sub in enumerate(table.parsed.subtables) if sub.type == LOCAL_APIC_AFFINITY and sub.length != size]


DESCRIPTOR = TableDescriptor(
    signature="SRAT",
    title="System Resource Affinity Table (SRAT)",
    schema=srat,
    spec="ACPI 6.5 §5.2.16",
    min_length=48,
    meanings={
        (None, "type"): enum_name(SRAT_TYPES, "Reserved"),
        (LOCAL_APIC_AFFINITY, "flags"): bit_names(SRAT_PROCESSOR_FLAGS),
        (X2APIC_AFFINITY, "flags"): bit_names(SRAT_PROCESSOR_FLAGS),
        (MEMORY_AFFINITY, "flags"): bit_names(SRAT_MEMORY_FLAGS),
        (MEMORY_AFFINITY, "length"): byte_size,
        (MEMORY_AFFINITY, "base_address"): byte_size,
        (GICC_AFFINITY, "flags"): bit_names(SRAT_GICC_FLAGS),
        (GENERIC_INITIATOR_AFFINITY, "device_handle_type"): enum_name(SRAT_DEVICE_HANDLE_TYPES, "Reserved"),
        (GENERIC_INITIATOR_AFFINITY, "flags"): bit_names(SRAT_GENERIC_AFFINITY_FLAGS),
        (GENERIC_PORT_AFFINITY, "device_handle_type"): enum_name(SRAT_DEVICE_HANDLE_TYPES, "Reserved"),
        (GENERIC_PORT_AFFINITY, "flags"): bit_names(SRAT_GENERIC_AFFINITY_FLAGS),
    },
    subtables=Subtables(names=SRAT_TYPES, sizes=SRAT_SUBTABLE_SIZES, keys={
        LOCAL_APIC_AFFINITY: ("body.apic_id", "APIC ID"),
        X2APIC_AFFINITY: ("body.x2apic_id", "x2APIC ID"),
        MEMORY_AFFINITY: ("body.base_address", "base"),
        GICC_AFFINITY: ("body.acpi_processor_uid", "uid"),
        GIC_ITS_AFFINITY: ("body.its_id", "ITS ID"),
        GENERIC_INITIATOR_AFFINITY: ("body.device_handle", "device"),
        GENERIC_PORT_AFFINITY: ("body.device_handle", "device"),
    }),
    items="subtable",
    checks=(check_lengths,),
)
