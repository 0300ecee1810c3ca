"""Validation: the problems in a TableSet, as findings. Parsing stays lenient; this is where it gets strict."""
from __future__ import annotations

from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE, RSDP_V1_SIZE, RSDP_V2_SIZE
from qboot_tables.schemas.e820 import E820_ENTRY_SIZE, E820_TYPES
from qboot_tables.tables import descriptor

def checksum_ok(data: bytes) -> bool:
    return sum(data) & 0xFF == 0


def validate(tableset) -> list[Finding]:
    """Every finding for the set: linking and walking ones first, then the tables, SMBIOS, e820 and the MP
    table."""
    if getattr(tableset, "validated", False):  # qboot_tables.load() has run this already and kept the result
        return list(tableset.findings)
    findings = list(tableset.findings)
    if tableset.rsdp is not None:
        findings += validate_rsdp(tableset.rsdp)
    for table in tableset.acpi:
        findings += validate_table(table)
    findings += validate_roots(tableset)
    if tableset.aml():
        from qboot_tables.aml.namespace import aml_findings

        findings += aml_findings(list(tableset.aml().values()))
    if tableset.smbios is not None:
        from qboot_tables.smbios import validate_smbios

        findings += validate_smbios(tableset.smbios)
    if tableset.e820 is not None:
        findings += validate_e820(tableset.e820)
    if tableset.mptable is not None:
        from qboot_tables.check.mptable import validate_mptable

        findings += validate_mptable(tableset)
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
    """The checks every table gets from its descriptor (length, checksum, subtable lengths, trailing bytes),
    then the table's own."""
    name, d = table.name, descriptor(table.signature)
    if table.error:
        return [Finding(ERROR, name, "", table.error)]
    p = table.parsed
    out = []
    if len(table.data) < d.min_length:
        out.append(Finding(ERROR, name, "", f"{len(table.data)} bytes, shorter than the {d.min_length} that "
                                            f"{d.spec or 'its layout'} needs"))
    if d.header:
        if p.header.length != len(table.data):
            out.append(Finding(ERROR, name, "header.length", f"{p.header.length}, but {len(table.data)} bytes are "
                                                             f"present"))
        if not checksum_ok(table.data):
            out.append(Finding(ERROR, name, "header.checksum", f"Incorrect checksum {p.header.checksum:#04x}: the "
                                                               f"table sums to {sum(table.data) & 0xFF:#04x}"))
    generic = _subtable_lengths(table, d) + _undecoded_subtables(table, d)
    own = [finding for check in d.checks for finding in check(table)]
    # A table's own check knows better than the generic one (SRAT type 0 must be exactly 16 bytes for Linux):
    # where both speak of the same field, only the table's finding is kept.
    claimed = {finding.field for finding in own}
    out += [finding for finding in generic if finding.field not in claimed] + own
    if d.header:
        out += _trailing(table, d)
    return out


def _subtable_lengths(table, d) -> list[Finding]:
    """Each subtable's length against its spec length (`Subtables.sizes`: one length, or every length some
    spec version gave it). Shorter is an error: Linux refuses such an entry (BAD_MADT_ENTRY in
    include/linux/acpi.h, and the SRAT parsers' "Unexpected header length" in drivers/acpi/numa/srat.c) and iasl
    marks it. Longer is a warning: both read the known fields and step over the rest by the length field."""
    if d.subtables is None or not d.subtables.sizes:
        return []
    out = []
    for i, sub in enumerate(table.parsed[d.subtables.field]):
        sizes = d.subtables.sizes.get(sub.type)
        if sizes is None:
            continue
        sizes = sizes if isinstance(sizes, tuple) else (sizes,)
        if sub.length in sizes:
            continue
        expected = " or ".join(str(size) for size in sizes)
        severity = ERROR if sub.length < min(sizes) else WARNING
        out.append(Finding(severity, table.name, f"{d.subtables.field}[{i}].length",
                           f"{sub.length} for type {sub.type}, expected {expected}"))
    return out


def _undecoded_subtables(table, d) -> list[Finding]:
    """One info finding for the subtables of types the schema does not decode (newer than it, reserved or OEM):
    they are kept as bytes with their type and length, which is not a fault."""
    if d.subtables is None:
        return []
    raw = [(i, sub) for i, sub in enumerate(table.parsed[d.subtables.field])
           if isinstance(sub, dict) and "type" in sub and isinstance(sub.get("body"), (bytes, bytearray))]
    if not raw:
        return []
    kinds = sorted({sub["type"] for _, sub in raw})
    names = ", ".join(f"{kind:#x} ({d.subtables.names.get(kind, 'reserved or OEM')})" for kind in kinds)
    return [Finding(INFO, table.name, f"{d.subtables.field}[{raw[0][0]}]",
                    f"{len(raw)} subtable(s) of type {names} not decoded: kept as bytes")]


def _trailing(table, d) -> list[Finding]:
    extra = table.parsed.get("extra")
    if not extra:
        return []
    if d.items is None:
        return [Finding(WARNING, table.name, "extra", f"{len(extra)} bytes after the known fields")]
    if not any(extra) and d.subtables is not None and d.subtables.sizes:
        # ACPICA's iasl says the same of a subtable whose length is zero (dmtable.c AcpiDmDumpTable callers).
        return [Finding(ERROR, table.name, "extra", f"Invalid zero length subtable: {len(extra)} bytes "
                                                    f"left after the last whole {d.items}")]
    return [Finding(ERROR, table.name, "extra", f"{len(extra)} bytes left after the last whole {d.items}")]


def validate_roots(tableset) -> list[Finding]:
    """RSDT and XSDT, when both exist, must list the same tables; no table may be listed twice."""
    out = []
    roots = [t for t in tableset.acpi if descriptor(t.signature).root and t.parsed is not None]
    for root in roots:
        entries = list(root.parsed.entries)
        if len(set(entries)) != len(entries):
            out.append(Finding(WARNING, root.name, "entries", "a table is listed more than once"))
    if len({t.signature for t in roots}) > 1 and len({tuple(t.parsed.entries) for t in roots}) > 1:
        # The walk puts the XSDT, which an OS uses, first when the RSDP has both; the finding names it.
        out.append(Finding(WARNING, roots[0].name, "entries", f"the {roots[0].signature} and {roots[1].signature} "
                                                              f"list different tables"))
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
