"""Semantic diff of two TableSets: "APIC: +2 Processor Local APIC entries (uid 6, 7)", not a hex dump.

Both sides go through the same field rows the renderer prints, so a difference is named the way `dump-tables`
names the field. Where the tables were placed is not a difference; what the pointers point at is.
"""
from __future__ import annotations

import difflib
import re

from qboot_tables.show.render import AML_SIGNATURES, document
from qboot_tables.tables import RSDP, descriptor

AML_FIELD = "aml"  # the definition blocks' byte code (schemas/acpi/aml.py)
CHECKSUM_FIELD = re.compile(r"(^|\.)(header\.)?(extended_)?checksum$")


def _fmt(value) -> str:
    if isinstance(value, int):
        return f"{value:#x}" if value > 9 else str(value)
    text = str(value)
    return text if len(text) <= 40 else f"<{len(text) // 2} bytes>"


def _bits_changed(old: int, new: int, meaning_old: str, meaning_new: str) -> str:
    changes = []
    for bit in range(64):
        if (old ^ new) >> bit & 1:
            changes.append(f"bit {bit} {'set' if new >> bit & 1 else 'cleared'}")
    names_old = {n.strip() for n in meaning_old.split(",")} - {"", "none"}
    names_new = {n.strip() for n in meaning_new.split(",")} - {"", "none"}
    named = [f"+{n}" for n in sorted(names_new - names_old)] + [f"-{n}" for n in sorted(names_old - names_new)]
    return ", ".join(changes) + (f" ({', '.join(named)})" if named else "")


def _describe_change(where: str, old: dict, new: dict) -> str:
    a, b = old["value"], new["value"]
    if isinstance(a, int) and isinstance(b, int) and where.rsplit(".", 1)[-1].endswith("flags"):
        return f"{where}: {_fmt(a)} -> {_fmt(b)}: {_bits_changed(a, b, old['meaning'], new['meaning'])}"
    if isinstance(a, str) and isinstance(b, str) and len(a) > 80:
        return f"{where}: differs ({old['size']} -> {new['size']} bytes)"
    meaning = f" ({old['meaning'] or '-'} -> {new['meaning'] or '-'})" if old["meaning"] != new["meaning"] else ""
    return f"{where}: {_fmt(a)} -> {_fmt(b)}{meaning}"


def _address_names(doc: dict) -> dict[int, str]:
    names = {t["address"]: t["name"] for t in doc.get("acpi", []) if t["address"] is not None}
    if "rsdp" in doc and doc["rsdp"]["address"] is not None:
        names[doc["rsdp"]["address"]] = "RSDP"
    return names


def _pointer_target(value, names: dict[int, str]) -> str | None:
    """What a pointer points at, by table name; None when the source knows no addresses (raw tables)."""
    if not names:
        return None
    return names.get(value, "nothing" if not value else f"unknown {value:#x}")


def _split_rows(d, fields: list[dict]):
    """Plain fields by name, and the descriptor's subtables (MADT, SRAT, MCFG...) as {index: {field: row}}."""
    plain: dict[str, dict] = {}
    subtables: dict[int, dict[str, dict]] = {}
    listed = d.subtables
    pattern = re.compile(rf"^{re.escape(listed.field)}\[(\d+)\]\.(.*)$") if listed is not None else None
    for row in fields:
        m = pattern.match(row["name"]) if pattern else None
        if m:
            subtables.setdefault(int(m.group(1)), {})[m.group(2)] = row
        else:
            plain[row["name"]] = row
    return plain, subtables


def _subtable_key(d, kind) -> tuple[str, str] | None:
    """(field, label) that identifies a subtable of this type, from the table's descriptor."""
    listed = d.subtables
    return listed.keys.get(kind) if listed is not None else None


def _subtable_identity(d, sub: dict) -> tuple:
    kind = sub["type"]["value"] if "type" in sub else None
    key = _subtable_key(d, kind)
    if key is not None and key[0] in sub:
        return (kind, sub[key[0]]["value"])
    return (kind, None)


def _subtable_label(d, sub: dict) -> str:
    return sub["type"]["meaning"] if "type" in sub and sub["type"]["meaning"] else f"{d.signature} subtable"


def _diff_subtables(name: str, d, old: dict, new: dict) -> list[str]:
    def index(subtables):
        keyed, seen = {}, {}
        for i, sub in sorted(subtables.items()):
            ident = _subtable_identity(d, sub)
            n = seen[ident] = seen.get(ident, 0) + 1  # repeats (and unkeyed types) pair up in order
            keyed[ident + (n,)] = sub
        return keyed

    a, b = index(old), index(new)
    lines = []
    for sign, only in (("+", [k for k in b if k not in a]), ("-", [k for k in a if k not in b])):
        groups: dict[str, list] = {}
        for key in only:
            sub = (b if sign == "+" else a)[key]
            groups.setdefault(_subtable_label(d, sub), []).append((key, sub))
        for label, items in groups.items():
            key_info = _subtable_key(d, items[0][0][0])
            ids = ", ".join(_fmt(k[1]) for k, _ in items if k[1] is not None)
            what = f" ({key_info[1]} {ids})" if key_info and ids else ""
            lines.append(f"{name}: {sign}{len(items)} {label} entr{'y' if len(items) == 1 else 'ies'}{what}")
    for key in (k for k in a if k in b):
        label = _subtable_label(d, a[key])
        key_info = _subtable_key(d, key[0])
        who = f"{label} {key_info[1]} {_fmt(key[1])}" if key_info and key[1] is not None else label
        for field in sorted(set(a[key]) | set(b[key])):
            x, y = a[key].get(field), b[key].get(field)
            if x is None or y is None:
                lines.append(f"{name}: {who}: {field} {'added' if x is None else 'removed'}")
            elif x["value"] != y["value"]:
                lines.append(_describe_change(f"{name}: {who}: {field}", x, y))
    return lines


def _diff_table(name: str, d, old: dict, new: dict, names_a, names_b) -> list[str]:
    if old.get("error") or new.get("error"):
        if old.get("error") != new.get("error"):
            return [f"{name}: decodes as {old.get('error') or 'valid'} -> {new.get('error') or 'valid'}"]
    plain_a, subs_a = _split_rows(d, old["fields"])
    plain_b, subs_b = _split_rows(d, new["fields"])
    pointers = d.pointers
    lines: list[str] = []
    checksums: list[str] = []
    moved = False  # a pointer's value changed: that alone changes the checksum
    if d.root:
        targets_a = [_pointer_target(r["value"], names_a) for n, r in plain_a.items() if n.startswith("entries[")]
        targets_b = [_pointer_target(r["value"], names_b) for n, r in plain_b.items() if n.startswith("entries[")]
        if None not in targets_a + targets_b and targets_a != targets_b:
            lines.append(f"{name}.entries: [{', '.join(map(str, targets_a))}] -> [{', '.join(map(str, targets_b))}]")
        pointers = {n for n in set(plain_a) | set(plain_b) if n.startswith("entries[")}
    for field in sorted(set(plain_a) | set(plain_b), key=lambda f: ((plain_a.get(f) or plain_b[f])["offset"], f)):
        x, y = plain_a.get(field), plain_b.get(field)
        if field == AML_FIELD:
            continue  # compared object by object in _diff_aml
        if field in pointers:
            moved = moved or x is None or y is None or x["value"] != y["value"]
            if x and y and field in d.pointers:
                ta, tb = _pointer_target(x["value"], names_a), _pointer_target(y["value"], names_b)
                if None not in (ta, tb) and ta != tb:
                    lines.append(f"{name}.{field}: points at {ta} -> {tb}")
            continue
        if x is None or y is None:
            lines.append(f"{name}.{field}: {'added' if x is None else 'removed'}"
                         f" ({_fmt((y or x)['value'])})")
        elif x["value"] != y["value"]:
            (checksums if CHECKSUM_FIELD.search(field) else lines).append(
                _describe_change(f"{name}.{field}", x, y))
    lines += _diff_subtables(name, d, subs_a, subs_b)
    # A checksum follows everything else; say it only when nothing else explains it.
    return lines or ([] if moved else checksums)


def _diff_aml(a, b) -> list[str]:
    """The DSDT and SSDTs compared object by object across the whole set, so an object that moved to another
    table is no change; a changed method or value is shown as a diff of its ASL."""
    from qboot_tables.aml.namespace import objects, path_text

    aml_a, aml_b = a.aml(), b.aml()
    if not aml_a and not aml_b:
        return []
    old, new = objects(list(aml_a.values())), objects(list(aml_b.values()))
    lines = []
    for key in sorted(new.keys() - old.keys()):
        label, kind = new[key][:2]
        lines.append(f"{label}: +{kind} {_occurrence(path_text(key[0]), key[1])}")
    for key in sorted(old.keys() - new.keys()):
        label, kind = old[key][:2]
        lines.append(f"{label}: -{kind} {_occurrence(path_text(key[0]), key[1])}")
    for key in sorted(old.keys() & new.keys()):
        (_, kind_a, node_a, own_a), (label, kind_b, node_b, own_b) = old[key], new[key]
        if own_a == own_b:
            continue
        where = _occurrence(path_text(key[0]), key[1])
        if kind_a != kind_b:
            lines.append(f"{label}: {where}: {kind_a} -> {kind_b}")
            continue
        lines.append(f"{label}: {kind_b} {where} changed:")
        lines += _asl_change(node_a, node_b, key[0][:-1])
    return lines


def _occurrence(path: str, occurrence: int) -> str:
    return path if occurrence == 1 else f"{path} (declared again, #{occurrence})"


ASL_CONTEXT_LINES = 2


def _asl_change(node_a, node_b, scope: tuple) -> list[str]:
    """The changed lines of one object's ASL, as a unified diff without its file headers."""
    text_a = _own_asl(node_a, scope).splitlines()
    text_b = _own_asl(node_b, scope).splitlines()
    changed = [line.rstrip("\n") for line in difflib.unified_diff(text_a, text_b, lineterm="", n=ASL_CONTEXT_LINES)]
    return ["    " + line for line in changed[2:]] or ["    (the same ASL, different encoding)"]


def _own_asl(node, scope: tuple) -> str:
    """A container (Device, Scope...) without its children, which are compared as objects of their own."""
    from qboot_tables.aml.asl import node_asl
    from qboot_tables.aml.namespace import without_children
    from qboot_tables.aml.tree import FieldUnit

    if type(node) is FieldUnit:
        return f"{node.name}, {node.bits}"  # a field unit prints as it does in its field list
    return node_asl(without_children(node), scope=scope)


def _diff_smbios(a: dict | None, b: dict | None) -> list[str]:
    if a is None or b is None:
        return [] if a is b else [f"SMBIOS: {'added' if a is None else 'removed'}"]
    lines = []
    ep_a = {r["name"]: r for r in a["entry_point"]["fields"]}
    ep_b = {r["name"]: r for r in b["entry_point"]["fields"]}
    for field in sorted(ep_a.keys() & ep_b.keys(), key=lambda f: (ep_a[f]["offset"], f)):
        if field in ("structure_table_address",) or CHECKSUM_FIELD.search(field) or "checksum" in field:
            continue
        if ep_a[field]["value"] != ep_b[field]["value"]:
            lines.append(_describe_change(f"SMBIOS entry point.{field}", ep_a[field], ep_b[field]))
    structs_a = {(s["type"], s["handle"]): s for s in a["structures"]}
    structs_b = {(s["type"], s["handle"]): s for s in b["structures"]}
    for key in sorted(structs_b.keys() - structs_a.keys()):
        lines.append(f"SMBIOS: +type {key[0]} handle {key[1]:#06x}")
    for key in sorted(structs_a.keys() - structs_b.keys()):
        lines.append(f"SMBIOS: -type {key[0]} handle {key[1]:#06x}")
    for key in sorted(structs_a.keys() & structs_b.keys()):
        fa = {r["name"]: r for r in structs_a[key]["fields"]}
        fb = {r["name"]: r for r in structs_b[key]["fields"]}
        where = f"SMBIOS type {key[0]} handle {key[1]:#06x}"
        for field in sorted(fa.keys() | fb.keys(), key=lambda f: ((fa.get(f) or fb[f])["offset"], f)):
            x, y = fa.get(field), fb.get(field)
            if x is None or y is None:
                either = x or y or {}  # the one side that has the field
                lines.append(f"{where}.{field}: {'added' if x is None else 'removed'} ({_fmt(either.get('value'))})")
            elif x["value"] != y["value"]:
                lines.append(_describe_change(f"{where}.{field}", x, y))
    return lines


def _diff_e820(a, b) -> list[str]:
    if a is None or b is None:
        return [] if a is b else [f"e820: {'added' if a is None else 'removed'}"]
    ranges_a = [(e["address"], e["length"], e["meaning"]) for e in a]
    ranges_b = [(e["address"], e["length"], e["meaning"]) for e in b]
    lines = [f"e820: +{x:#x}-{x + n - 1:#x} {m}" for x, n, m in ranges_b if (x, n, m) not in ranges_a]
    lines += [f"e820: -{x:#x}-{x + n - 1:#x} {m}" for x, n, m in ranges_a if (x, n, m) not in ranges_b]
    if not lines and ranges_a != ranges_b:
        lines.append("e820: same ranges in a different order")
    return lines


# What a source can hold, by section. A fw_cfg source carries everything QEMU gives, so a section it lacks is
# missing; any other source carries only what it has (an acpidump has no SMBIOS, Linux's acpi/tables no RSDP).
FW_CFG_SECTIONS = ("RSDP", "ACPI", "SMBIOS", "E820")


def sections(tableset) -> set[str]:
    """The sections this set can carry: RSDP, ACPI, SMBIOS, E820, MPTABLE."""
    carried = set(FW_CFG_SECTIONS) if tableset.snapshot is not None else set()
    for name, value in (("RSDP", tableset.rsdp), ("ACPI", tableset.acpi or None), ("SMBIOS", tableset.smbios),
                        ("E820", tableset.e820), ("MPTABLE", tableset.mptable)):
        if value is not None:
            carried.add(name)
    return carried


def _section(line: str) -> str:
    """The section a diff line is about: the table name before its first ':' or '.', or SMBIOS, e820."""
    head = re.split(r"[:. ]", line, maxsplit=1)[0]
    return head.upper() if head.lower() == "e820" else head


def changes(a, b, only: set[str] | None = None, strict: bool = False) -> tuple[list[tuple[str, str]], list[str]]:
    """(section, line) for each way TableSet `b` differs from `a`, and the sections left out because only one
    side can carry them (none with `strict`). `only` holds signatures and RSDP, ACPI, SMBIOS, E820."""
    both = sections(a) & sections(b)
    skipped = [] if strict else sorted((sections(a) | sections(b)) - both)
    wanted = set(only) if only is not None else None
    if not strict:
        dropped = set(skipped) | ({"ACPI"} if "ACPI" not in both else set())
        if "ACPI" in dropped:
            # Neither a table nor the AML is compared against a source that cannot hold ACPI tables.
            dropped |= {t.signature for t in list(a.acpi) + list(b.acpi)}
        if wanted is None:
            wanted = {t.signature for t in list(a.acpi) + list(b.acpi)} | {"RSDP", "SMBIOS", "E820", "MPTABLE"}
        wanted -= dropped
    da, db = document(a, [], wanted), document(b, [], wanted)
    lines = [(_section(line), line) for line in _diff_documents(da, db)]
    if wanted is None or wanted & set(AML_SIGNATURES):
        section = ""
        for line in _diff_aml(a, b):
            section = section if line.startswith(" ") else _section(line)  # an ASL diff's lines follow their head
            lines.append((section, line))
    lines += [(_section(line), line) for line in _diff_rest(da, db)]
    return lines, skipped


def diff(a, b, only: set[str] | None = None, strict: bool = True) -> list[str]:
    """Lines that say how TableSet `b` differs from `a`; empty when they hold the same tables. With `strict`
    (the default here; the CLI's is not) a section only one side can carry counts as added or removed."""
    return [line for _, line in changes(a, b, only, strict)[0]]


def _diff_documents(da: dict, db: dict) -> list[str]:
    names_a, names_b = _address_names(da), _address_names(db)
    lines = []
    if ("rsdp" in da) != ("rsdp" in db):
        lines.append(f"RSDP: {'added' if 'rsdp' in db else 'removed'}")
    elif "rsdp" in da:
        lines += _diff_table("RSDP", RSDP, da["rsdp"], db["rsdp"], names_a, names_b)
    tables_a = {t["name"]: t for t in da["acpi"]}
    tables_b = {t["name"]: t for t in db["acpi"]}
    # Sorted, never set order: the output must not depend on PYTHONHASHSEED.
    for name in sorted(tables_b.keys() - tables_a.keys()):
        lines.append(f"{name}: +table ({tables_b[name]['length']} bytes)")
    for name in sorted(tables_a.keys() - tables_b.keys()):
        lines.append(f"{name}: -table ({tables_a[name]['length']} bytes)")
    for name in [n for n in tables_a if n in tables_b]:
        lines += _diff_table(name, descriptor(tables_a[name]["signature"]), tables_a[name], tables_b[name],
                             names_a, names_b)
    return lines


def _diff_rest(da: dict, db: dict) -> list[str]:
    return _diff_smbios(da.get("smbios"), db.get("smbios")) + _diff_e820(da.get("e820"), db.get("e820"))
