"""Validation: the problems in a TableSet, as findings. Parsing stays lenient; this is where it gets strict."""
from __future__ import annotations

from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLE_SIZES
from qboot_tables.schemas.acpi.slit import SLIT_LOCAL_DISTANCE
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE, RSDP_V1_SIZE, RSDP_V2_SIZE
from qboot_tables.schemas.e820 import E820_ENTRY_SIZE, E820_TYPES

# ACPI 6.5 Table 5.9: FADT length by major revision (revision 2 was an ACPI 1.0b extension, 129 bytes).
FADT_LENGTHS = {1: 116, 2: 129, 3: 244, 4: 244, 5: 268, 6: 276}
# MADT revision 3 (ACPI 4.0) introduced the x2APIC structures (ACPI 4.0 §5.2.12.12).
MADT_X2APIC_REVISION = 3
MADT_LAPIC = 0x0
MADT_X2APIC = 0x9
MADT_X2APIC_NMI = 0xA
LAPIC_ENABLED = 1 << 0
LAPIC_ONLINE_CAPABLE = 1 << 1


def checksum_ok(data: bytes) -> bool:
    return sum(data) & 0xFF == 0


def validate(tableset) -> list[Finding]:
    """Every finding for the set: linking and walking ones first, then the tables, SMBIOS and e820."""
    findings = list(tableset.findings)
    if tableset.rsdp is not None:
        findings += validate_rsdp(tableset.rsdp)
    for table in tableset.acpi:
        findings += validate_table(table)
    findings += validate_roots(tableset)
    if tableset.smbios is not None:
        from qboot_tables.smbios import validate_smbios

        findings += validate_smbios(tableset.smbios)
    if tableset.e820 is not None:
        findings += validate_e820(tableset.e820)
    return findings


def validate_rsdp(rsdp) -> list[Finding]:
    out = []
    if rsdp.error:
        return [Finding(ERROR, "RSDP", "", rsdp.error)]
    p = rsdp.parsed
    if p.signature != RSDP_SIGNATURE:
        out.append(Finding(ERROR, "RSDP", "signature", f"{p.signature!r} is not {RSDP_SIGNATURE!r}"))
    if not checksum_ok(rsdp.data[:RSDP_V1_SIZE]):
        out.append(Finding(ERROR, "RSDP", "checksum", "the first 20 bytes do not sum to zero"))
    if p.revision >= 2:
        if p.v2.length != RSDP_V2_SIZE:
            out.append(Finding(WARNING, "RSDP", "length", f"{p.v2.length}, expected {RSDP_V2_SIZE}"))
        if not checksum_ok(rsdp.data[:max(p.v2.length, RSDP_V1_SIZE)]):
            out.append(Finding(ERROR, "RSDP", "extended_checksum", f"the {p.v2.length} bytes do not sum to zero"))
    elif p.revision != 0:
        out.append(Finding(WARNING, "RSDP", "revision", f"revision {p.revision} is neither 0 nor 2"))
    return out


def validate_table(table) -> list[Finding]:
    name = table.name
    if table.error:
        return [Finding(ERROR, name, "", table.error)]
    p = table.parsed
    out = []
    if table.signature == "FACS":
        if p.length != len(table.data) or p.length < 64:
            out.append(Finding(ERROR, name, "length", f"{p.length} (the FACS is at least 64 bytes)"))
        return out
    header = p.header
    if header.length != len(table.data):
        out.append(Finding(ERROR, name, "header.length", f"{header.length}, but {len(table.data)} bytes are present"))
    if not checksum_ok(table.data):
        out.append(Finding(ERROR, name, "header.checksum", f"Incorrect checksum {header.checksum:#04x}: the "
                                                           f"table sums to {sum(table.data) & 0xFF:#04x}"))
    check = TABLE_CHECKS.get(table.signature)
    if check is not None:
        out += check(table)
    elif p.get("extra"):
        out.append(Finding(WARNING, name, "extra", f"{len(p.extra)} bytes after the known fields"))
    return out


def _trailing(table, what: str) -> list[Finding]:
    extra = table.parsed.extra
    if not extra:
        return []
    if not any(extra) and table.signature in ("APIC", "SRAT"):
        return [Finding(ERROR, table.name, "extra", f"Invalid zero length subtable: {len(extra)} bytes "
                                                    f"left after the last whole {what}")]
    return [Finding(ERROR, table.name, "extra", f"{len(extra)} bytes left after the last whole {what}")]


def check_fadt(table) -> list[Finding]:
    p, out = table.parsed, []
    expected = FADT_LENGTHS.get(p.header.revision)
    if expected is not None and p.header.length != expected:
        out.append(Finding(WARNING, table.name, "header.length",
                           f"{p.header.length} bytes for revision {p.header.revision}, expected {expected}"))
    for legacy, extended in (("firmware_ctrl", "x_firmware_ctrl"), ("dsdt", "x_dsdt")):
        if p[legacy] and p[extended] and p[legacy] != p[extended]:
            out.append(Finding(WARNING, table.name, extended,
                               f"{p[extended]:#x} differs from {legacy} {p[legacy]:#x}; the X_ field wins"))
    if not p.dsdt and not p.x_dsdt:
        out.append(Finding(ERROR, table.name, "dsdt", "no DSDT address"))
    if not p.firmware_ctrl and not p.x_firmware_ctrl and not p.flags & (1 << 20):
        out.append(Finding(ERROR, table.name, "firmware_ctrl", "no FACS address on a non-HW-reduced platform"))
    return out


def check_madt(table) -> list[Finding]:
    p, name, out = table.parsed, table.name, []
    apic_ids: dict[int, int] = {}
    uids: dict[int, int] = {}
    x2apic: list[int] = []  # x2APIC structures in a MADT revision older than the one that defined them
    for i, sub in enumerate(p.subtables):
        where = f"subtables[{i}]"
        size = MADT_SUBTABLE_SIZES.get(sub.type)
        if size is not None and sub.length != size:
            out.append(Finding(ERROR, name, f"{where}.length", f"{sub.length} for type {sub.type}, expected {size}"))
        if sub.type in (MADT_X2APIC, MADT_X2APIC_NMI) and p.header.revision < MADT_X2APIC_REVISION:
            x2apic.append(i)
        if sub.type not in (MADT_LAPIC, MADT_X2APIC) or not isinstance(sub.body, dict):
            continue
        apic_id = sub.body.apic_id if sub.type == MADT_LAPIC else sub.body.x2apic_id
        uid = sub.body.acpi_processor_uid
        if sub.body.flags & LAPIC_ENABLED and sub.body.flags & LAPIC_ONLINE_CAPABLE:
            out.append(Finding(WARNING, name, f"{where}.body.flags", "ENABLED and ONLINE_CAPABLE both set"))
        if sub.type == MADT_X2APIC and apic_id < 0xFF:
            out.append(Finding(INFO, name, f"{where}.body.x2apic_id",
                               f"x2APIC entry for APIC ID {apic_id}, which a local APIC entry could hold"))
        if apic_id in apic_ids:
            out.append(Finding(ERROR, name, f"{where}", f"APIC ID {apic_id} repeats subtables[{apic_ids[apic_id]}]"))
        if uid in uids:
            out.append(Finding(ERROR, name, f"{where}", f"processor UID {uid} repeats subtables[{uids[uid]}]"))
        apic_ids.setdefault(apic_id, i)
        uids.setdefault(uid, i)
    if x2apic:
        # One finding for all of them: QEMU 7.2 writes revision 1 with x2APIC entries, and Linux accepts it.
        out.append(Finding(WARNING, name, f"subtables[{x2apic[0]}].type",
                           f"{len(x2apic)} x2APIC structures in a revision {p.header.revision} MADT "
                           f"(they need revision {MADT_X2APIC_REVISION}, ACPI 4.0)"))
    return out + _trailing(table, "subtable")


def check_srat(table) -> list[Finding]:
    from qboot_tables.schemas.acpi.srat import SRAT_SUBTABLE_SIZES

    out = []
    for i, sub in enumerate(table.parsed.subtables):
        size = SRAT_SUBTABLE_SIZES.get(sub.type)
        if size is not None and sub.length != size:
            out.append(Finding(ERROR, table.name, f"subtables[{i}].length",
                               f"{sub.length} for type {sub.type}, expected {size}"))
    return out + _trailing(table, "subtable")


def check_slit(table) -> list[Finding]:
    p, out = table.parsed, []
    n = p.locality_count
    if p.matrix is None:
        return [Finding(ERROR, table.name, "matrix", f"fewer than {n}x{n} bytes for {n} localities")]
    for i in range(n):
        if p.matrix[i][i] != SLIT_LOCAL_DISTANCE:
            out.append(Finding(ERROR, table.name, f"matrix[{i}][{i}]", f"distance to itself is {p.matrix[i][i]}, "
                                                                      f"must be {SLIT_LOCAL_DISTANCE}"))
    return out + _trailing(table, "matrix row")


def check_entries(what: str):
    def check(table):
        return _trailing(table, what)
    return check


TABLE_CHECKS = {
    "FACP": check_fadt,
    "APIC": check_madt,
    "SRAT": check_srat,
    "SLIT": check_slit,
    "RSDT": check_entries("4-byte entry"),
    "XSDT": check_entries("8-byte entry"),
    "MCFG": check_entries("allocation"),
}


def validate_roots(tableset) -> list[Finding]:
    """RSDT and XSDT, when both exist, must list the same tables; no table may be listed twice."""
    out = []
    roots = {t.signature: t for t in tableset.acpi if t.signature in ("RSDT", "XSDT") and t.parsed is not None}
    for root in roots.values():
        entries = list(root.parsed.entries)
        if len(set(entries)) != len(entries):
            out.append(Finding(WARNING, root.name, "entries", "a table is listed more than once"))
    if len(roots) == 2 and list(roots["RSDT"].parsed.entries) != list(roots["XSDT"].parsed.entries):
        out.append(Finding(WARNING, "XSDT", "entries", "the XSDT and RSDT list different tables"))
    return out


def validate_e820(e820) -> list[Finding]:
    out = []
    if e820.extra:
        out.append(Finding(ERROR, "e820", "", f"{len(e820.extra)} bytes after the last whole "
                                              f"{E820_ENTRY_SIZE}-byte entry"))
    spans = []
    for i, e in enumerate(e820.entries):
        if e.length == 0:
            out.append(Finding(WARNING, "e820", f"[{i}]", f"empty range at {e.address:#x}"))
            continue
        if e.type not in E820_TYPES:
            out.append(Finding(WARNING, "e820", f"[{i}].type", f"unknown type {e.type}"))
        spans.append((e.address, e.address + e.length, i))
    spans.sort()
    for (start_a, end_a, a), (start_b, end_b, b) in zip(spans, spans[1:]):
        if start_b < end_a:
            out.append(Finding(ERROR, "e820", f"[{b}]", f"{start_b:#x}-{end_b - 1:#x} overlaps [{a}] "
                                                        f"{start_a:#x}-{end_a - 1:#x}"))
    return out
