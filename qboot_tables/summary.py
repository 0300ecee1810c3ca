"""The one-line summary of a TableSet: CPUs enabled and possible, APIC IDs, NUMA nodes, RAM."""
from __future__ import annotations

from qboot_tables.schemas.e820 import E820_RAM
from qboot_tables.tables import madt, srat

def processors(tableset) -> list[tuple[int, int, int]]:
    """(APIC ID, processor UID, flags) of every processor entry in the MADT, in table order."""
    return [(cpu.apic_id, cpu.uid, cpu.flags) for cpu in madt.processors(tableset.table("APIC"))]


def numa_nodes(tableset) -> int:
    srat_table = tableset.table("SRAT")
    if srat_table is not None and srat_table.parsed is not None:
        return len(srat.domains(srat_table))
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
        "cpus_enabled": sum(1 for _, _, flags in cpus if flags & madt.ENABLED),
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
