"""Cross-table consistency: every table that describes the CPUs, interrupts or memory must tell the same story.

MADT, SRAT, the DSDT's processor objects, the MP table, SMBIOS type 4 and the fw_cfg CPU selectors must agree
on every CPU (APIC ID, UID, present or not, NUMA node); the MADT and the MP table on the I/O APIC and the IRQ0
override; e820 on RAM with SRAT's memory and SMBIOS type 19. Each disagreement is a Finding.
"""
from __future__ import annotations

from qboot_tables.errors import ParseError, parse
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.e820 import E820_RAM
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLES, LocalApicFlags, MadtType
from qboot_tables.schemas.common import type_length_subtable
from qboot_tables.tables import madt, srat
from qboot_tables.tables.madt import madt_cpu_entry

CPU_ENTRY_TYPES = (MadtType.LOCAL_APIC, MadtType.LOCAL_X2APIC)  # the _MAT types a processor object may hold

STA_PRESENT = 0x1  # ACPI 6.5 §6.3.7 _STA bit 0
FOUR_GIB = 1 << 32


def madt_cpus(tableset) -> dict[int, tuple[int, bool]]:
    """{processor UID: (APIC ID, enabled)} from the MADT."""
    return {cpu.uid: (cpu.apic_id, cpu.enabled) for cpu in madt.processors(tableset.table("APIC"))}


def srat_nodes(tableset) -> dict[int, int] | None:
    """{APIC ID: proximity domain} from the SRAT's processor affinity entries; None without an SRAT."""
    return srat.processor_domains(tableset.table("SRAT"))


def check(tableset, mptable=None) -> list[Finding]:
    """All cross-table findings for a set; `mptable` is a parsed MP table (read.mptable.parse_mptable) that
    the set does not carry itself (validate() checks tableset.mptable)."""
    out = []
    cpus = madt_cpus(tableset)
    out += _check_dsdt(tableset, cpus)
    out += _check_srat(tableset, cpus)
    out += _check_selectors(tableset, cpus)
    out += _check_smbios_cpus(tableset, cpus)
    if mptable is not None:
        out += _check_mptable(tableset, cpus, mptable)
    out += _check_memory(tableset)
    return out


def _check_dsdt(tableset, cpus) -> list[Finding]:
    from qboot_tables.aml.namespace import processors

    if tableset.table("DSDT") is None:
        return []
    objects = processors(list(tableset.aml().values()))
    if not objects:
        return []  # CPUs known from the MADT alone (QEMU's microvm): nothing to disagree with
    nodes = srat_nodes(tableset)
    out, seen = [], set()
    for obj in objects:
        where = obj.path
        # ACPI 6.5 §5.2.12.2: the MADT's processor UID matches a Processor's ProcessorID or a device's _UID.
        uid = obj.processor_id if obj.kind == "Processor" else obj.uid
        if uid not in cpus:
            out.append(Finding(ERROR, "DSDT", where, f"processor object with UID {uid} has no MADT entry"))
            continue
        seen.add(uid)
        apic_id, present = cpus[uid]
        mat = _mat_entry(obj.mat)
        if isinstance(mat, str):
            out.append(Finding(ERROR, "DSDT", f"{where}._MAT", mat))
        elif mat is not None:
            mat_id = mat.body.apic_id if mat.type == MadtType.LOCAL_APIC else mat.body.x2apic_id
            mat_enabled = bool(mat.body.flags & LocalApicFlags.ENABLED)
            # A hot-pluggable CPU (its _STA a method, as in QEMU's hw/acpi/cpu.c) has a _MAT saying enabled while
            # the MADT lists it disabled: Linux reads a hot-added CPU's APIC ID from _MAT only when it is enabled.
            hot_pluggable = obj.sta is None and mat_enabled and not present
            if mat_id != apic_id or (mat_enabled != present and not hot_pluggable):
                out.append(Finding(ERROR, "DSDT", f"{where}._MAT", f"APIC ID {mat_id}, enabled "
                                   f"{mat_enabled}; the MADT says {apic_id}, {present}"))
        if isinstance(obj.sta, int) and bool(obj.sta & STA_PRESENT) != present:
            out.append(Finding(ERROR, "DSDT", f"{where}._STA", f"{obj.sta:#x}, but the MADT has the CPU "
                                                              f"{'enabled' if present else 'disabled'}"))
        if nodes is not None and obj.pxm is not None and obj.pxm != nodes.get(apic_id):
            out.append(Finding(ERROR, "DSDT", f"{where}._PXM", f"{obj.pxm}, SRAT says {nodes.get(apic_id)}"))
        if obj.kind == "Processor" and apic_id >= 0xFF:
            out.append(Finding(ERROR, "DSDT", where, f"a Processor object for APIC ID {apic_id} (>= 255 needs a "
                                                     "Device with _HID ACPI0007)"))
    for uid in sorted(set(cpus) - seen):
        out.append(Finding(ERROR, "DSDT", "", f"no processor object for MADT UID {uid} (APIC ID {cpus[uid][0]})"))
    return out


def _mat_entry(mat: bytes | None):
    """A constant _MAT buffer parsed as the MADT entry it holds (§6.2.10), a problem as text, or None."""
    if mat is None:
        return None
    schema = madt_cpu_entry(mat[0]) if mat and mat[0] in CPU_ENTRY_TYPES else type_length_subtable(MADT_SUBTABLES)
    try:
        entry = parse(schema, mat, "_MAT")
    except ParseError as e:
        return str(e)
    if entry.length != len(mat):
        return f"length field {entry.length}, buffer of {len(mat)} bytes"
    return entry


def _check_srat(tableset, cpus) -> list[Finding]:
    nodes = srat_nodes(tableset)
    if nodes is None:
        return []
    missing = sorted(apic_id for apic_id, _ in cpus.values() if apic_id not in nodes)
    extra = sorted(set(nodes) - {apic_id for apic_id, _ in cpus.values()})
    out = []
    if missing:
        out.append(Finding(ERROR, "SRAT", "", f"no affinity entry for APIC IDs {missing}"))
    if extra:
        out.append(Finding(ERROR, "SRAT", "", f"affinity entries for APIC IDs the MADT does not have: {extra}"))
    return out


def _check_selectors(tableset, cpus) -> list[Finding]:
    selectors = tableset.snapshot.selectors if tableset.snapshot is not None else {}
    out = []
    present = sum(1 for _, on in cpus.values() if on)
    if "nb_cpus" in selectors and cpus and selectors["nb_cpus"] != present:
        out.append(Finding(ERROR, "fw_cfg", "nb_cpus", f"{selectors['nb_cpus']}, but the MADT enables {present}"))
    # On pc and q35, MAX_CPUS is the APIC ID limit (QEMU hw/i386/fw_cfg.c); microvm has no RSDT, only an XSDT.
    if "max_cpus" in selectors and cpus and tableset.table("RSDT") is not None:
        limit = max(apic_id for apic_id, _ in cpus.values()) + 1
        if selectors["max_cpus"] != limit:
            out.append(Finding(ERROR, "fw_cfg", "max_cpus", f"{selectors['max_cpus']}, but the MADT's APIC IDs "
                                                            f"need a limit of {limit}"))
    numa = selectors.get("numa") or {}
    nodes = srat_nodes(tableset)
    if numa.get("nodes") and nodes is not None:
        for apic_id, node in nodes.items():
            if apic_id < len(numa["apic_node"]) and numa["apic_node"][apic_id] != node:
                out.append(Finding(ERROR, "fw_cfg", f"numa.apic_node[{apic_id}]",
                                   f"node {numa['apic_node'][apic_id]}, SRAT says {node}"))
    return out


def _check_smbios_cpus(tableset, cpus) -> list[Finding]:
    if tableset.smbios is None or not cpus:
        return []
    from qboot_tables.smbios import processor_count

    total = 0
    for s in tableset.smbios.of_type(4):
        if s.parsed is None:
            continue
        threads = processor_count(s.parsed.body, "thread_count")
        if threads is None or threads == 0xFF:
            return []  # no thread count, or 2.x's "255 or more" with no 16-bit field to say how many
        total += threads
    if total != len(cpus):
        return [Finding(ERROR, "SMBIOS", "type 4", f"{total} threads over all sockets, but the MADT has "
                                                   f"{len(cpus)} possible CPUs")]
    return []


def _check_mptable(tableset, cpus, mptable) -> list[Finding]:
    return list(mptable.problems) + mptable_against_madt(tableset, cpus, mptable)


def mptable_against_madt(tableset, cpus, mptable) -> list[Finding]:
    """The MP table's CPUs, I/O APICs and IRQ0 pin against the MADT's; [] when the set has no MADT."""
    from qboot_tables.schemas.mptable import MP_BUS, MP_CPU_ENABLED, MP_IO_APIC, MP_IO_INTERRUPT, MP_PROCESSOR

    out = []
    mp_ids = {p.local_apic_id for p in mptable.entries(MP_PROCESSOR) if p.cpu_flags & MP_CPU_ENABLED}
    # The MP table can only name 8-bit APIC IDs of CPUs that are there at boot.
    madt_ids = {apic_id for apic_id, present in cpus.values() if present and apic_id < 0xFF}
    if cpus and mp_ids != madt_ids:
        out.append(Finding(ERROR, "MPTABLE", "processors", f"APIC IDs {sorted(mp_ids)}, the MADT enables "
                                                           f"{sorted(madt_ids)}"))
    subtables = madt.subtables_of(tableset.table("APIC"))
    if subtables is None:
        return out
    # MPS 1.4 §4.2 and ACPI 6.5 §5.2.12: both headers give the local APIC's address.
    madt_lapic = tableset.table("APIC").parsed.local_apic_address
    mp_lapic = mptable.config.header.local_apic_address if mptable.config is not None else madt_lapic
    if mp_lapic != madt_lapic:
        out.append(Finding(ERROR, "MPTABLE", "config.local_apic_address", f"{mp_lapic:#x}, the MADT says "
                                                                          f"{madt_lapic:#x}"))
    ioapics = {s.body.io_apic_id: s.body.io_apic_address for s in subtables if s.type == MadtType.IO_APIC}
    mp_ioapics = {e.io_apic_id: e.io_apic_address for e in mptable.entries(MP_IO_APIC)}
    if ioapics != mp_ioapics:
        out.append(Finding(ERROR, "MPTABLE", "io_apic", f"{mp_ioapics}, the MADT has {ioapics}"))
    override = next((s.body for s in subtables if s.type == MadtType.INTERRUPT_OVERRIDE and s.body.source == 0), None)
    isa = {b.bus_id for b in mptable.entries(MP_BUS) if b.bus_type.startswith(b"ISA")}
    irq0 = next((e for e in mptable.entries(MP_IO_INTERRUPT)
                 if e.source_bus_id in isa and e.source_bus_irq == 0 and e.interrupt_type == 0), None)
    madt_pin = override.global_system_interrupt if override is not None else 0
    if irq0 is None or irq0.destination_intin != madt_pin:
        mp_pin = irq0.destination_intin if irq0 is not None else None
        out.append(Finding(ERROR, "MPTABLE", "irq0", f"IRQ0 goes to I/O APIC pin {mp_pin}, the MADT says "
                                                     f"GSI {madt_pin}"))
    return out


def _ram_ranges(e820) -> list[tuple[int, int]]:
    return sorted((e.address, e.address + e.length) for e in e820.entries if e.type == E820_RAM and e.length)


def _check_memory(tableset) -> list[Finding]:
    if tableset.e820 is None:
        return []
    out = []
    ram = _ram_ranges(tableset.e820)
    total = sum(end - start for start, end in ram)
    srat_table = tableset.table("SRAT")
    if srat_table is not None and srat_table.parsed is not None:
        # SRAT describes the RAM that exists at boot as enabled, non-hot-pluggable ranges; QEMU leaves the
        # 640 KiB-1 MiB hole out of it (hw/i386/acpi-build.c build_srat), so compare what lies above 1 MiB.
        srat_ram = [(start, end) for start, end, _ in srat.memory_ranges(srat_table, boot_only=True)]
        above_1m = sum(max(0, end - max(start, 1 << 20)) for start, end in ram)
        srat_above_1m = sum(max(0, end - max(start, 1 << 20)) for start, end in srat_ram)
        if above_1m != srat_above_1m:
            out.append(Finding(ERROR, "SRAT", "memory", f"{srat_above_1m:#x} bytes of RAM above 1 MiB, e820 has "
                                                        f"{above_1m:#x}"))
    if tableset.smbios is not None:
        from qboot_tables.smbios import mapped_ranges

        mapped = sorted(mapped_ranges(tableset.smbios))
        if mapped and mapped != ram:
            shown_mapped, shown_ram = ([(hex(a), hex(b)) for a, b in ranges] for ranges in (mapped, ram))
            out.append(Finding(ERROR, "SMBIOS", "type 19", f"mapped ranges {shown_mapped} differ from e820 RAM "
                                                           f"{shown_ram}"))
        if not mapped and total:
            out.append(Finding(ERROR, "SMBIOS", "type 19", "no memory array mapped address for the e820 RAM"))
    return out
