"""The summary of a TableSet: CPUs enabled and possible, APIC IDs, NUMA nodes, RAM; None where it is not known."""
from __future__ import annotations

from qboot_tables.schemas.e820 import E820_RAM
from qboot_tables.tables import madt


def numa_nodes(tableset) -> int | None:
    """The SRAT's proximity domains; with ACPI tables but no SRAT, one node (Linux's dummy node); else unknown."""
    srat_table = tableset.table("SRAT")
    if srat_table is not None and srat_table.parsed is not None:
        from qboot_tables.tables import srat  # loaded only for a machine with an SRAT (start-up time)

        return len(srat.domains(srat_table)) or 1
    return 1 if tableset.table("APIC") is not None else None


def ram_bytes(tableset) -> int | None:
    """RAM from e820, else from the SRAT's boot memory, else from fw_cfg's RAM size; None when nothing says."""
    if tableset.e820 is not None:
        return sum(e.length for e in tableset.e820.entries if e.type == E820_RAM)
    srat_table = tableset.table("SRAT")
    if srat_table is not None:
        from qboot_tables.tables import srat

        ranges = srat.memory_ranges(srat_table, boot_only=True)
        if ranges:
            return sum(end - start for start, end, _ in ranges)
    ram = tableset.snapshot.selectors.get("ram_size") if tableset.snapshot is not None else None
    return ram if isinstance(ram, int) else None


def cpus(tableset) -> tuple[int | None, int | None, list[int] | None]:
    """(enabled, possible, the possible CPUs' APIC IDs), None where nothing says. From the MADT as Linux reads
    it; without one, from the MP table, where Linux counts an entry without the enabled flag as a disabled CPU
    that is still possible (arch/x86/kernel/mpparse.c MP_processor_info, smpboot.c prefill_possible_map);
    without either, from fw_cfg's boot CPU count (FW_CFG_NB_CPUS), which says nothing of the others."""
    apic = tableset.table("APIC")
    if apic is not None:
        possible = madt.possible(apic)
        return sum(1 for cpu in possible if cpu.enabled), len(possible), [cpu.apic_id for cpu in possible]
    if tableset.mptable is not None and tableset.mptable.config is not None:
        from qboot_tables.schemas.mptable import MP_CPU_ENABLED, MP_PROCESSOR  # only machines with no MADT

        processors = tableset.mptable.entries(MP_PROCESSOR)
        return (sum(1 for p in processors if p.cpu_flags & MP_CPU_ENABLED), len(processors),
                [p.local_apic_id for p in processors])
    boot = tableset.snapshot.selectors.get("nb_cpus") if tableset.snapshot is not None else None
    return boot if isinstance(boot, int) else None, None, None


def summarize(tableset) -> dict:
    enabled, possible, apic_ids = cpus(tableset)
    return {
        "cpus_enabled": enabled,
        "cpus_possible": possible,
        "apic_ids": apic_ids,
        "numa_nodes": numa_nodes(tableset),
        "ram_bytes": ram_bytes(tableset),
    }


def id_runs(ids) -> str:
    """"0-2,4-6": the IDs in order, contiguous ones as a run."""
    runs: list[list[int]] = []
    for i in sorted(ids):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs) or "none"


def summary_line(summary: dict) -> str:
    def known(value, text=str) -> str:
        return "unknown" if value is None else text(value)

    ram = summary["ram_bytes"]
    if summary["cpus_possible"] is not None:
        cpu_text = (f"CPUs: {summary['cpus_enabled']} enabled of {summary['cpus_possible']} possible; APIC IDs "
                    f"{id_runs(summary['apic_ids'])}")
    elif summary["cpus_enabled"] is not None:
        cpu_text = f"CPUs: {summary['cpus_enabled']} enabled of unknown possible; APIC IDs unknown"
    else:
        cpu_text = "CPUs: unknown"
    return (f"{cpu_text}; NUMA nodes: {known(summary['numa_nodes'])}; RAM: "
            + known(ram, lambda r: f"{r} bytes ({r / (1 << 20):.0f} MiB)"))
