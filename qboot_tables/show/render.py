"""Rendering: a TableSet becomes one document of field rows, printed as text or JSON from the same rows."""
from __future__ import annotations

import json

from qboot_tables.show.descriptions import printable, selector_meaning
from qboot_tables.show.fields import Row, json_value, schema_rows
from qboot_tables.smbios_types import entry_point_rows, structure_rows
from qboot_tables.tables import GENERIC, RSDP, descriptor
from qboot_tables.schemas.e820 import E820_TYPES
from qboot_tables.schemas.fw_cfg import SELECTOR_KEYS
from qboot_tables.schemas.loader import COMMAND_NAMES, ZONE_NAMES
from qboot_tables.show.summary import summarize, summary_line

AML_SIGNATURES = ("DSDT", "SSDT")  # ACPI 6.5 §5.2.11: the definition blocks, whose AML is decoded
# Byte fields longer than this (AML, raw bodies) are shown by length in text; JSON carries them whole.
TEXT_BYTES_LIMIT = 32


def _row_dict(row: Row) -> dict:
    value = row.value
    doc = {"name": row.name, "offset": row.offset, "size": row.size, "value": json_value(value),
           "meaning": row.meaning}
    if isinstance(value, (bytes, bytearray)):
        # Bytes become text or hex in JSON; say which, so text output can quote only real text.
        doc["encoding"] = "text" if printable(value) is not None else "hex"
    return doc


def table_document(table, table_descriptor=None) -> dict:
    doc = {"name": table.name, "signature": table.signature, "address": table.address, "length": len(table.data)}
    if table.parsed is None:
        doc["error"] = table.error
        doc["fields"] = []
        return doc
    rows = schema_rows(table_descriptor or descriptor(table.signature), table.parsed)
    doc["fields"] = [_row_dict(r) for r in rows]
    return doc


def smbios_document(smbios) -> dict:
    return {
        "entry_point": {"address": smbios.entry_point_address, "length": len(smbios.entry_point_raw),
                        "fields": [_row_dict(r) for r in entry_point_rows(smbios)]},
        "table_address": smbios.table_address,
        "structures": [{"type": s.type, "handle": s.handle, "offset": s.offset, "length": len(s.raw),
                        "fields": [_row_dict(r) for r in structure_rows(s)]} for s in smbios.structures],
    }


def loader_document(commands) -> list[dict]:
    out = []
    for index, entry in enumerate(commands):
        doc = {"index": index, "command": COMMAND_NAMES.get(entry.command, f"unknown {entry.command:#x}")}
        if isinstance(entry.body, dict):
            for key, value in entry.body.items():
                if key.startswith("_") or key == "padding":
                    continue
                doc[key] = (bytes(value).split(b"\0", 1)[0].decode("latin-1") if isinstance(value, bytes)
                            else value)
        if entry.command != 0:  # padding entries fill the script to 4 KiB; listing them says nothing
            out.append(doc)
    return out


def mptable_document(mptable) -> dict:
    """The floating pointer, the configuration table header and every entry, each as field rows."""
    from qboot_tables import mptable_types as T

    doc: dict = {"floating_pointer": None, "config": None, "entries": [], "extended_entries": []}
    if mptable.floating is not None:
        doc["floating_pointer"] = {"address": mptable.floating_address, "length": len(mptable.floating_raw),
                                   "fields": [_row_dict(r) for r in T.floating_rows(mptable)]}
    if mptable.config is None:
        return doc
    header = mptable.config.header
    doc["config"] = {"address": mptable.config_address, "length": header.base_table_length,
                     "extended_length": header.extended_table_length,
                     "fields": [_row_dict(r) for r in T.header_rows(mptable)]}
    buses = T.buses(mptable)
    for key, entries in (("entries", mptable.base), ("extended_entries", mptable.extended)):
        for index, entry in enumerate(entries):
            d = T.descriptor(entry.type)
            doc[key].append({"index": index, "type": entry.type, "title": d.title, "spec": d.spec,
                             "offset": entry.offset, "length": len(entry.raw),
                             "fields": [_row_dict(r) for r in T.entry_rows(mptable, entry, buses)]})
    return doc


def fw_cfg_document(snapshot) -> dict:
    """The fw_cfg file directory (name, selector, size) and the well-known selectors with their keys."""
    sizes = {name: len(data) for name, data in snapshot.files.items()}
    listed = {entry["name"]: entry for entry in snapshot.directory}
    files = [{"name": name, "select": listed.get(name, {}).get("select"), "size": listed.get(name, {}).get("size",
                                                                                                       sizes.get(name))}
             for name in sorted(set(sizes) | set(listed))]
    selectors = []
    known = sorted(snapshot.selectors, key=lambda name: (SELECTOR_KEYS.get(name, 1 << 16), name))
    for name in known:
        value = snapshot.selectors[name]
        selectors.append({"name": name, "selector": SELECTOR_KEYS.get(name), "value": value,
                          "meaning": selector_meaning(name, value)})
    return {"origin": dict(snapshot.origin), "files": files, "selectors": selectors}


def document(tableset, findings, only: set[str] | None = None, asl: bool = False) -> dict:
    """The whole dump as plain data: tables, SMBIOS, e820, loader, the MP table, fw_cfg, findings and the
    summary. Each DSDT and SSDT carries its namespace, or with `asl` its ASL text instead: the text form
    shows the ASL, which declares everything the namespace lists."""
    def wanted(signature: str) -> bool:
        return only is None or signature in only

    doc = {"source": tableset.source}
    if tableset.rsdp is not None and wanted("RSDP"):
        doc["rsdp"] = table_document(tableset.rsdp, RSDP)
    doc["acpi"] = [table_document(t) for t in tableset.acpi if wanted(t.signature)]
    aml = tableset.aml() if any(t["signature"] in AML_SIGNATURES for t in doc["acpi"]) else {}
    if aml:  # only a set with AML needs the decoder, and only one of its two forms
        if asl:
            from qboot_tables.aml.asl import table_asl
        else:
            from qboot_tables.aml.namespace import table_namespace
    for table_doc in doc["acpi"]:
        decoded = aml.get(table_doc["name"])
        if decoded is not None:
            if asl:
                table_doc["asl"] = table_asl(decoded)
            else:
                table_doc["namespace"] = table_namespace(decoded)
    if tableset.smbios is not None and wanted("SMBIOS"):
        doc["smbios"] = smbios_document(tableset.smbios)
    if tableset.e820 is not None and wanted("E820"):
        doc["e820"] = [{"address": e.address, "length": e.length, "type": e.type,
                        "meaning": E820_TYPES.get(e.type, "unknown")} for e in tableset.e820.entries]
    image = tableset.image
    if image is not None and wanted("LOADER"):
        doc["loader"] = loader_document(image.commands)
        doc["allocations"] = [{"file": a.name, "address": a.address, "size": a.size,
                               "zone": ZONE_NAMES.get(a.zone, a.zone), "align": a.align, "fixed": a.fixed}
                              for a in image.allocations.values()]
        doc["fw_cfg_writes"] = [{"file": w.file, "offset": w.offset, "data": w.data.hex()} for w in image.writes]
    if tableset.mptable is not None and wanted("MPTABLE"):
        doc["mptable"] = mptable_document(tableset.mptable)
    if tableset.snapshot is not None and wanted("FWCFG"):
        doc["fw_cfg"] = fw_cfg_document(tableset.snapshot)
    doc["findings"] = [f.as_dict() for f in findings]
    doc["summary"] = summarize(tableset)
    return doc


def to_json(doc: dict) -> str:
    from qboot_tables.show.jsontext import dumps  # a text dump never needs it

    return dumps(doc)


def _text_value(value, encoding: str | None = None) -> str:
    if encoding == "text":
        return f'"{value}"'
    if isinstance(value, int):
        return f"{value:#x}" if value > 9 else str(value)
    return str(value)


def _field_lines(fields, out: list[str]) -> None:
    for f in fields:
        value = f["value"]
        if isinstance(value, str) and len(value) > 2 * TEXT_BYTES_LIMIT and f["size"] > TEXT_BYTES_LIMIT:
            value = f"<{f['size']} bytes>"
        meaning = f"  ({f['meaning']})" if f["meaning"] else ""
        out.append(f"  [{f['offset']:04X} {f['size']:3d}] {f['name']:<36} : "
                   f"{_text_value(value, f.get('encoding'))}{meaning}")


HEX_DUMP_WIDTH = 16  # bytes per line of a hex dump


def _raw_bytes(field) -> bytes:
    """A bytes row's value back from its JSON form: hex, or text that printable() cut at its trailing NULs."""
    if field.get("encoding") == "hex":
        return bytes.fromhex(field["value"])
    return field["value"].encode("ascii").ljust(field["size"], b"\0")


def _hex_dump_lines(field, out: list[str]) -> None:
    """The row's bytes as offset, hex and ASCII columns, the offsets counted from the start of the table."""
    raw = _raw_bytes(field)
    out.append(f"  [{field['offset']:04X} {field['size']:3d}] {field['name']:<36} :")
    for start in range(0, len(raw), HEX_DUMP_WIDTH):
        chunk = raw[start:start + HEX_DUMP_WIDTH]
        hex_part = " ".join(f"{b:02X}" for b in chunk)
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        out.append(f"      {field['offset'] + start:04X}  {hex_part:<{3 * HEX_DUMP_WIDTH - 1}}  {text}")


def _where(address) -> str:
    return f" @ {address:#010x}" if address is not None else ""


def to_text(doc: dict) -> str:
    out = [f"Source: {doc['source']}", ""]
    tables = ([doc["rsdp"]] if "rsdp" in doc else []) + doc["acpi"]
    for t in tables:
        out.append(f"{t['name']}{_where(t['address'])}, {t['length']} bytes")
        if t.get("error"):
            out.append(f"  cannot decode: {t['error']}")
        if t is not doc.get("rsdp") and descriptor(t["signature"]) is GENERIC:
            # A table nobody documents: its header, then its body as a hex dump.
            body = [f for f in t["fields"] if f["name"] == "body" and isinstance(f["value"], str)]
            _field_lines([f for f in t["fields"] if f not in body], out)
            for field in body:
                _hex_dump_lines(field, out)
        elif "asl" in t:
            # The definition block's header as fields, its AML as the ASL iasl -dl would print.
            _field_lines([f for f in t["fields"] if f["name"] != "aml"], out)
            asl = t["asl"]
            if asl.startswith("/*"):  # iasl's header comment repeats the fields just printed
                asl = asl[asl.index("*/") + 2:].lstrip("\n")
            out += ["  " + line if line else "" for line in asl.rstrip("\n").split("\n")]
        else:
            _field_lines(t["fields"], out)
        out.append("")
    if "smbios" in doc:
        sm = doc["smbios"]
        ep = sm["entry_point"]
        out.append(f"SMBIOS entry point{_where(ep['address'])}, {ep['length']} bytes")
        _field_lines(ep["fields"], out)
        out.append("")
        for s in sm["structures"]:
            out.append(f"SMBIOS type {s['type']}, handle {s['handle']:#06x}, {s['length']} bytes")
            _field_lines(s["fields"], out)
            out.append("")
    if "e820" in doc:
        out.append("e820 map")
        for e in doc["e820"]:
            out.append(f"  {e['address']:#018x}-{e['address'] + e['length'] - 1:#018x}  {e['meaning']}")
        out.append("")
    if "loader" in doc:
        out.append("table-loader commands")
        for c in doc["loader"]:
            rest = " ".join(f"{k}={_text_value(v)}" for k, v in c.items() if k not in ("index", "command"))
            out.append(f"  [{c['index']:3d}] {c['command']:<13} {rest}")
        out.append("allocations")
        for a in doc["allocations"]:
            fixed = ", placed by caller" if a["fixed"] else ""
            out.append(f"  {a['file']:<32} {a['address']:#010x} {a['size']:#8x} bytes, {a['zone']}{fixed}")
        for w in doc["fw_cfg_writes"]:
            out.append(f"  fw_cfg write: {w['file']} +{w['offset']:#x} <- {w['data']}")
        out.append("")
    if "mptable" in doc:
        _mptable_lines(doc["mptable"], out)
    if "fw_cfg" in doc:
        _fw_cfg_lines(doc["fw_cfg"], out)
    if doc["findings"]:
        out.append("Findings")
        for f in doc["findings"]:
            field = f".{f['field']}" if f["field"] else ""
            out.append(f"  {f['severity']}: {f['table']}{field}: {f['message']}")
        out.append("")
    out.append("Summary: " + summary_line(doc["summary"]))
    return "\n".join(out) + "\n"


def _mptable_lines(mp: dict, out: list[str]) -> None:
    floating, config = mp["floating_pointer"], mp["config"]
    if floating is not None:
        out.append(f"MP floating pointer{_where(floating['address'])}, {floating['length']} bytes")
        _field_lines(floating["fields"], out)
        out.append("")
    if config is None:
        return
    extended = f", {config['extended_length']} bytes of extended entries" if config["extended_length"] else ""
    out.append(f"MP configuration table{_where(config['address'])}, {config['length']} bytes{extended}")
    _field_lines(config["fields"], out)
    out.append("")
    for key, what in (("entries", "MP entry"), ("extended_entries", "MP extended entry")):
        for e in mp[key]:
            out.append(f"{what} {e['index']}: {e['title']}, {e['length']} bytes at {e['offset']:#x}")
            _field_lines(e["fields"], out)
            out.append("")


def _fw_cfg_lines(fw_cfg: dict, out: list[str]) -> None:
    out.append("fw_cfg files")
    for f in fw_cfg["files"]:
        select = f"{f['select']:#06x}" if f["select"] is not None else "     ?"
        size = f"{f['size']:#8x}" if f["size"] is not None else "       ?"
        out.append(f"  {select} {size} bytes  {f['name']}")
    out.append("fw_cfg selectors")
    for s in fw_cfg["selectors"]:
        key = f"{s['selector']:#06x}" if s["selector"] is not None else "     ?"
        value = s["value"] if isinstance(s["value"], (int, str)) else json.dumps(s["value"], sort_keys=True)
        meaning = f"  ({s['meaning']})" if s["meaning"] else ""
        out.append(f"  {key} {s['name']:<14} : {_text_value(value)}{meaning}")
    out.append("")
