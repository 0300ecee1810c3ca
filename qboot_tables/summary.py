"""The one-line summary of a TableSet: CPUs enabled and possible, APIC IDs, NUMA nodes, RAM."""
from __future__ import annotations

from qboot_tables.schemas.e820 import E820_RAM

MADT_LAPIC = 0x0
MADT_X2APIC = 0x9
SRAT_MEMORY = 1
ENABLED = 1 << 0


def processors(tableset) -> list[tuple[int, int, int]]:
    """(APIC ID, processor UID, flags) of every processor entry in the MADT, in table order."""
    madt = tableset.table("APIC")
    if madt is None or madt.parsed is None:
        return []
    out = []
    for sub in madt.parsed.subtables:
        if sub.type == MADT_LAPIC and isinstance(sub.body, dict):
            out.append((sub.body.apic_id, sub.body.acpi_processor_uid, sub.body.flags))
        elif sub.type == MADT_X2APIC and isinstance(sub.body, dict):
            out.append((sub.body.x2apic_id, sub.body.acpi_processor_uid, sub.body.flags))
    return out


def numa_nodes(tableset) -> int:
    srat = tableset.table("SRAT")
    if srat is not None and srat.parsed is not None:
        domains = set()
        for sub in srat.parsed.subtables:
            body = sub.body
            if not isinstance(body, dict):
                continue
            if "proximity_domain" in body:
                domains.add(body.proximity_domain)
            elif "proximity_domain_lo" in body:
                domains.add(body.proximity_domain_lo | body.proximity_domain_hi << 8)
        return len(domains)
    numa = (tableset.snapshot.selectors.get("numa") if tableset.snapshot is not None else None) or {}
    return numa.get("nodes") or 0 if isinstance(numa, dict) else 0


def ram_bytes(tableset) -> int:
    if tableset.e820 is not None:
        return sum(e.length for e in tableset.e820.entries if e.type == E820_RAM)
    if tableset.snapshot is not None:
        return int(tableset.snapshot.selectors.get("ram_size") or 0)
    return 0


def summarize(tableset) -> dict:
    cpus = processors(tableset)
    return {
        "cpus_enabled": sum(1 for _, _, flags in cpus if flags & ENABLED),
        "cpus_possible": len(cpus),
        "apic_ids": [apic_id for apic_id, _, _ in cpus],
        "numa_nodes": numa_nodes(tableset),
        "ram_bytes": ram_bytes(tableset),
    }


def summary_line(summary: dict) -> str:
    ids = summary["apic_ids"]
    id_range = f"{min(ids)}-{max(ids)}" if ids else "none"
    ram = summary["ram_bytes"]
    return (f"CPUs: {summary['cpus_enabled']} enabled of {summary['cpus_possible']} possible; APIC IDs {id_range}; "
            f"NUMA nodes: {summary['numa_nodes']}; RAM: {ram} bytes ({ram / (1 << 20):.0f} MiB)")
