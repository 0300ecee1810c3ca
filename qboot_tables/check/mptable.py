"""MP table checks: what the reader found wrong with the bytes, each entry's own checks, the table as a whole,
and agreement with the MADT when the set has one."""
from __future__ import annotations

from collections import Counter

from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas import mptable as M
from qboot_tables.mptable_types import descriptor, named_entries

TABLE = "MPTABLE"


def validate_mptable(tableset) -> list[Finding]:
    """Every finding for tableset.mptable; [] when the set has none."""
    mptable = tableset.mptable
    if mptable is None:
        return []
    from qboot_tables.check.consistency import madt_cpus, mptable_against_madt

    out = list(mptable.problems)
    out += _check_structures(mptable)
    if mptable.config is not None:
        out += _check_entries(mptable)
        out += _check_table(mptable)
        out += mptable_against_madt(tableset, madt_cpus(tableset), mptable)
    return out


def _check_structures(mptable) -> list[Finding]:
    out = []
    floating, config = mptable.floating, mptable.config
    revisions = M.MP_SPEC_REVISIONS
    if floating is not None and floating.spec_rev not in revisions:
        out.append(Finding(WARNING, TABLE, "floating.spec_rev", f"{floating.spec_rev} is neither 1 (MPS 1.1) "
                                                                f"nor 4 (MPS 1.4)"))
    if config is None:
        return out
    header = config.header
    if header.spec_rev not in revisions:
        out.append(Finding(WARNING, TABLE, "config.spec_rev", f"{header.spec_rev} is neither 1 (MPS 1.1) nor 4 "
                                                              f"(MPS 1.4)"))
    elif floating is not None and floating.spec_rev in revisions and floating.spec_rev != header.spec_rev:
        out.append(Finding(WARNING, TABLE, "config.spec_rev", f"{header.spec_rev}, the floating pointer says "
                                                              f"{floating.spec_rev}"))
    if floating is not None and floating.feature1:
        # §4.1: a non-zero feature byte 1 selects a default configuration, and the table is then ignored.
        out.append(Finding(ERROR, TABLE, "floating.feature1", f"default configuration {floating.feature1} "
                                                              "selected, yet a configuration table is present"))
    if floating is not None and mptable.floating_address is not None and mptable.config_address is not None:
        end = mptable.floating_address + M.MP_FLOATING_POINTER_SIZE
        table_end = mptable.config_address + len(mptable.config_raw)
        if mptable.config_address < end and table_end > mptable.floating_address:
            out.append(Finding(ERROR, TABLE, "floating.physical_address_pointer",
                               f"{mptable.config_address:#x}: the table would overlap the floating pointer"))
    return out


def _check_entries(mptable) -> list[Finding]:
    """Each entry's length against its type's, then the checks its descriptor carries."""
    out = []
    for name, entry in named_entries(mptable):
        d = descriptor(entry.type)
        if name.startswith("extended") and d.size is not None and len(entry.raw) > d.size:
            # §4.4: entries carry their length so that a longer, later one can be stepped over.
            out.append(Finding(WARNING, TABLE, f"{name}.length", f"{len(entry.raw)} for type {entry.type}, "
                                                                 f"MPS 1.4 gives {d.size}"))
        if entry.parsed is None or not isinstance(entry.parsed.body, dict):
            continue
        for check in d.checks:
            out += check(mptable, name, entry.parsed.body)
    return out


def _check_table(mptable) -> list[Finding]:
    out = []
    types = [e.type for e in mptable.base]
    if types != sorted(types):
        out.append(Finding(WARNING, TABLE, "entries", "base entries are not sorted by type (MPS 1.4 §4.3)"))
    processors = mptable.entries(M.MP_PROCESSOR)
    enabled = [p for p in processors if p.cpu_flags & M.MP_CPU_ENABLED]
    bootstrap = [p.local_apic_id for p in enabled if p.cpu_flags & M.MP_CPU_BOOTSTRAP]
    if not enabled:
        out.append(Finding(ERROR, TABLE, "processors", "no enabled processor"))
    elif len(bootstrap) != 1:
        out.append(Finding(ERROR, TABLE, "processors", f"{len(bootstrap)} bootstrap processors (BP flag), "
                                                       "where there is exactly one"))
    for what, ids in (("processors", [p.local_apic_id for p in processors]),
                      ("buses", [b.bus_id for b in mptable.entries(M.MP_BUS)]),
                      ("io_apic", [a.io_apic_id for a in mptable.entries(M.MP_IO_APIC)])):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            out.append(Finding(ERROR, TABLE, what, f"IDs listed more than once: {repeated}"))
    return out
