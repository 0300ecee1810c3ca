"""Cross-table consistency: every table that describes the CPUs, interrupts or memory must tell the same story.

MADT, SRAT, the DSDT's processor objects, the MP table, SMBIOS type 4 and the fw_cfg CPU selectors must agree
on every CPU (APIC ID, UID, present or not, NUMA node); the MADT and the MP table on the I/O APIC and the IRQ0
override; e820 on RAM with SRAT's memory and SMBIOS type 19; the NFIT's persistent ranges with e820 (they are
not RAM) and SRAT (their non-volatile ranges and domains); the DMAR's and IVRS's device lists with the MADT's
I/O APICs and SMBIOS type 41's onboard devices; the HMAT's proximity domains with the SRAT's. Each disagreement
is a Finding.
"""
from __future__ import annotations

from qboot_tables.errors import ParseError, parse
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.e820 import E820_RAM
from qboot_tables.schemas.acpi.dmar import DmarScopeType, DmarType, DrhdFlags
from qboot_tables.schemas.acpi.hmat import HmatProximityFlags, HmatType
from qboot_tables.schemas.acpi.ivrs import IVHD_TYPES, IvrsEntryType
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLES, LocalApicFlags, MadtType
from qboot_tables.schemas.acpi.nfit import NfitSpaFlags, NfitType
from qboot_tables.schemas.acpi.srat import SratMemoryFlags, SratType
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
    out += _check_nfit(tableset)
    out += _check_iommu_devices(tableset)
    out += _check_hmat(tableset)
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
        # Non-volatile ranges are NVDIMMs (hw/acpi/nvdimm.c nvdimm_build_srat), which e820 does not call RAM.
        persistent = {(start, end) for start, end, _ in _srat_nonvolatile(srat_table)}
        srat_ram = [(start, end) for start, end, _ in srat.memory_ranges(srat_table, boot_only=True)
                    if (start, end) not in persistent]
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


def _srat_nonvolatile(table) -> list[tuple[int, int, int]]:
    """(base, end, domain) of the SRAT's enabled non-volatile memory ranges."""
    out = []
    for sub in (table.parsed.subtables if table is not None and table.parsed is not None else ()):
        body = sub.body
        if sub.type == SratType.MEMORY_AFFINITY and hasattr(body, "flags") and body.length and \
                body.flags & SratMemoryFlags.ENABLED and body.flags & SratMemoryFlags.NON_VOLATILE:
            out.append((body.base_address, body.base_address + body.length, body.proximity_domain))
    return out


def _parsed_subtables(tableset, signature: str, field: str = "subtables") -> list:
    table = tableset.table(signature)
    if table is None or table.parsed is None:
        return []
    return [s for s in table.parsed[field] if hasattr(s.body, "get")]


def _check_nfit(tableset) -> list[Finding]:
    """ACPI 6.5 §5.2.26: each SPA range lies outside e820's RAM, and with an SRAT, in a non-volatile memory
    range of the same proximity domain (and every such SRAT range is some SPA range); mappings name ranges
    and control regions that exist."""
    structures = _parsed_subtables(tableset, "NFIT")
    if not structures:
        return []
    out = []
    spas = {s.body.range_index: s.body for s in structures if s.type == NfitType.SPA_RANGE}
    control_regions = {s.body.region_index for s in structures if s.type == NfitType.CONTROL_REGION}
    ram = _ram_ranges(tableset.e820) if tableset.e820 is not None else []
    srat_table = tableset.table("SRAT")
    nonvolatile = _srat_nonvolatile(srat_table) if srat_table is not None else None
    for index, spa in sorted(spas.items()):
        where, start, end = f"SPA range {index}", spa.base_address, spa.base_address + spa.length
        overlap = [(hex(a), hex(b)) for a, b in ram if a < end and start < b]
        if overlap:
            out.append(Finding(ERROR, "NFIT", where, f"{start:#x}-{end:#x} overlaps e820 RAM {overlap}"))
        if nonvolatile is None:
            continue
        domain = spa.proximity_domain if spa.flags & NfitSpaFlags.PROXIMITY_DOMAIN_VALID else None
        covering = [d for a, b, d in nonvolatile if a <= start and end <= b]
        if not covering:
            out.append(Finding(ERROR, "NFIT", where, f"{start:#x}-{end:#x} is in no non-volatile SRAT range"))
        elif domain is not None and domain not in covering:
            out.append(Finding(ERROR, "NFIT", where, f"proximity domain {domain}, the SRAT's range says "
                                                     f"{covering[0]}"))
    for a, b, _ in nonvolatile or ():
        if not any(a < spa.base_address + spa.length and spa.base_address < b for spa in spas.values()):
            out.append(Finding(ERROR, "SRAT", "memory", f"non-volatile range {a:#x}-{b:#x} has no NFIT SPA range"))
    for s in structures:
        if s.type != NfitType.REGION_MAPPING:
            continue
        handle = f"region mapping {s.body.device_handle:#x}"
        if s.body.range_index and s.body.range_index not in spas:
            out.append(Finding(ERROR, "NFIT", handle, f"SPA range index {s.body.range_index} does not exist"))
        if s.body.control_region_index not in control_regions:
            out.append(Finding(ERROR, "NFIT", handle, f"control region index {s.body.control_region_index} does "
                                                      f"not exist"))
    return out


def _io_apic_ids(tableset) -> set[int] | None:
    subtables = madt.subtables_of(tableset.table("APIC"))
    if subtables is None:
        return None
    return {s.body.io_apic_id for s in subtables if s.type == MadtType.IO_APIC}


def _onboard_devices(tableset) -> set[tuple[int, int, int]]:
    """(segment, bus, devfn) of each SMBIOS type 41 entry (§7.42): the devices the firmware says are there."""
    if tableset.smbios is None:
        return set()
    return {(s.parsed.body.segment_group_number, s.parsed.body.bus_number, s.parsed.body.device_function_number)
            for s in tableset.smbios.of_type(41) if s.parsed is not None}


def _check_iommu_devices(tableset) -> list[Finding]:
    """The devices a remapping unit names must exist where the set says which exist: its I/O APIC scope or
    special entry is an I/O APIC of the MADT, and a unit that lists its devices (no INCLUDE_PCI_ALL, no IVRS
    "all" entry) lists each onboard device SMBIOS type 41 names on its segment, each once."""
    out = []
    io_apics = _io_apic_ids(tableset)
    onboard = _onboard_devices(tableset)
    for unit in _parsed_subtables(tableset, "DMAR"):
        if unit.type != DmarType.DRHD:
            continue
        where = f"DRHD {unit.body.register_base_address:#x}"
        listed = []
        for scope in unit.body.device_scopes:
            if scope.entry_type == DmarScopeType.IOAPIC and io_apics is not None \
                    and scope.enumeration_id not in io_apics:
                out.append(Finding(ERROR, "DMAR", where, f"I/O APIC scope {scope.enumeration_id}, the MADT's I/O "
                                                         f"APICs are {sorted(io_apics)}"))
            elif scope.entry_type in (DmarScopeType.PCI_ENDPOINT, DmarScopeType.PCI_BRIDGE) and \
                    len(scope.pci_path) == 1:  # a device on the start bus itself
                listed.append((scope.bus, scope.pci_path[0][0] << 3 | scope.pci_path[0][1]))
        out += _listed_devices("DMAR", where, unit.body.segment, listed,
                               unit.body.flags & DrhdFlags.INCLUDE_PCI_ALL, onboard)
    for unit in _parsed_subtables(tableset, "IVRS"):
        if unit.type not in IVHD_TYPES:
            continue
        where = f"IVHD {unit.body.base_address:#x}"
        entries = unit.body.entries
        listed = [(e.device_id >> 8, e.device_id & 0xFF) for e in entries if e.entry_type == IvrsEntryType.SELECT]
        for e in entries:
            if e.entry_type == IvrsEntryType.SPECIAL_DEVICE and e.data.variety == 1 and io_apics is not None \
                    and e.data.handle not in io_apics:  # variety 1: an I/O APIC
                out.append(Finding(ERROR, "IVRS", where, f"special I/O APIC {e.data.handle}, the MADT's I/O APICs "
                                                         f"are {sorted(io_apics)}"))
        everything = any(e.entry_type in (IvrsEntryType.ALL, IvrsEntryType.START_OF_RANGE) for e in entries)
        if not everything and listed and (unit.body.device_id >> 8, unit.body.device_id & 0xFF) not in listed:
            out.append(Finding(ERROR, "IVRS", where, f"the IOMMU's own function {unit.body.device_id:#06x} is not "
                                                     f"in its device entries"))
        out += _listed_devices("IVRS", where, unit.body.pci_segment_group, listed, everything, onboard)
    return out


def _listed_devices(table: str, where: str, segment: int, listed: list, includes_all, onboard) -> list[Finding]:
    out = []
    repeated = sorted({f"{bus:02x}:{devfn >> 3:02x}.{devfn & 7}" for bus, devfn in listed
                       if listed.count((bus, devfn)) > 1})
    if repeated:
        out.append(Finding(ERROR, table, where, f"devices listed more than once: {repeated}"))
    if not includes_all:
        for seg, bus, devfn in sorted(onboard):
            if seg == segment and (bus, devfn) not in listed:
                out.append(Finding(ERROR, table, where, f"SMBIOS type 41 names {bus:02x}:{devfn >> 3:02x}."
                                                        f"{devfn & 7}, which this unit does not list"))
    return out


def _check_hmat(tableset) -> list[Finding]:
    """ACPI 6.5 §5.2.28: the HMAT speaks of the SRAT's proximity domains; initiators are domains with
    processors, and every SRAT memory domain has its attributes structure."""
    structures = _parsed_subtables(tableset, "HMAT")
    srat_table = tableset.table("SRAT")
    if not structures or srat_table is None or srat_table.parsed is None:
        return []
    known = srat.domains(srat_table)
    with_cpus = set((srat_nodes(tableset) or {}).values())
    with_memory = {d for _, _, d in srat.memory_ranges(srat_table)}
    out = []

    def need(domain: int, where: str, what: str, domains: set) -> None:
        if domain not in domains:
            kind = "an SRAT domain with processors" if domains is with_cpus else "an SRAT proximity domain"
            out.append(Finding(ERROR, "HMAT", where, f"{what} {domain} is not {kind}"))

    described = set()
    for i, s in enumerate(structures):
        where = f"subtables[{i}]"
        if s.type == HmatType.MEMORY_PROXIMITY_DOMAIN:
            described.add(s.body.memory_proximity_domain)
            need(s.body.memory_proximity_domain, where, "memory proximity domain", known)
            if s.body.flags & HmatProximityFlags.INITIATOR_PROXIMITY_DOMAIN_VALID:
                need(s.body.initiator_proximity_domain, where, "initiator", with_cpus)
        elif s.type == HmatType.SYSTEM_LOCALITY:
            for domain in s.body.initiators:
                need(domain, where, "initiator", with_cpus)
            for domain in s.body.targets:
                need(domain, where, "target", known)
        elif s.type == HmatType.MEMORY_SIDE_CACHE:
            need(s.body.memory_proximity_domain, where, "cache's memory domain", known)
    if described:
        for domain in sorted(with_memory - described):
            out.append(Finding(ERROR, "HMAT", "", f"SRAT memory domain {domain} has no memory proximity domain "
                                                  f"attributes"))
    return out
