"""The hostile-input campaign: seeds from the repository, mutators, and one checked in-process CLI run per case.

tests/test_mutation_campaign.py draws cases with Hypothesis and tools/fuzz-cli with random.Random, both through
draw_case(), and both run them with run_case(), so the two mutate and check alike. A case must:
- end with exit status 0, 1 or 2, with no exception escaping (QBOOT_TABLES_DEBUG=1 makes the CLI's catch-all
  re-raise) and no "internal error" or traceback on stderr; an exit 2 says why in one line;
- end within its time limit;
- leave every input byte-identical, with the same modes, and no file added to or removed from an input tree;
- write nothing outside --out and --acpidump: not beside them, not in the working directory, not at the root;
- read nothing outside its input (a symlink out of a by_name tree must not be followed).
"""
from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
import json
import lzma
import os
import shutil
import signal
import stat
import struct
import traceback
from dataclasses import dataclass, field
from typing import NamedTuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")
# shared/ lies beside the work tree, here and in CI; the campaign still runs without it.
REAL_HW_ACPIDUMP = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "real-hw-acpidump")

KINDS = ("capture", "fw_cfg.json", "e820", "table-loader", "by_name", "raw_table", "table_folder", "rsdp",
         "acpidump", "smbios", "memmap", "generate")
# Fixtures the CLI turns into acpidump text, `--out` table folders and SMBIOS dumps once, at seed time: SMBIOS
# 2.1 and 3.0, NUMA, an SSDT, microvm's XSDT without SMBIOS.
DERIVED_FROM = ("q35-smp4", "pc-numa2", "q35-smbios64", "pc-vmgenid", "q35-smbios-type1", "microvm-acpi")
# Small machines from the corpus of real hardware (compressed acpidump text); the DSDT and SSDTs are dropped
# from all but the first, so that mutations land in the tables around them.
REAL_HW = (("d017", True), ("d024", False), ("d036", False))
GENERATE_SEEDS = (
    ("-M", "q35", "-smp", "4"),
    ("-M", "pc", "-smp", "8,sockets=2", "-m", "2G"),
    ("-M", "q35", "-smp", "2,maxcpus=8", "-m", "1G", "-object", "memory-backend-ram,id=m0,size=512M",
     "-object", "memory-backend-ram,id=m1,size=512M", "-numa", "node,memdev=m0", "-numa", "node,memdev=m1"),
    ("-machine", "pc,hpet=off,smbios-entry-point-type=64", "-m", "4G", "-smp", "6,sockets=2,cores=3"),
    ("-M", "q35", "-smbios", "type=1,manufacturer=Acme,serial=42", "-uuid", "12345678-1234-1234-1234-123456789abc"),
    ("-M", "microvm,acpi=on", "-m", "512M"),
    ("-M", "q35", "-device", "intel-iommu", "-device", "e1000,addr=3.0,multifunction=on",
     "-device", "virtio-rng-pci,id=r,addr=3.1", "-smbios", "type=41,pcidev=r"),
)

CAPTURE_INDEX = "fw_cfg.json"
# Input paths inside a case directory. `outside` holds bait that no input may lead to.
IN, SEED, OUTSIDE, OUT, ACPIDUMP = "in", "seed", "outside", "out", "dump.acpidump"


# ---- seeds


class Seed(NamedTuple):
    kind: str
    name: str
    files: dict  # path below in/ ("/"-separated) -> bytes
    entry: str  # the input below in/: "" for the directory itself, else one file's path
    args: tuple = ()  # generate: the QEMU command line


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _capture_files(fixture: str) -> dict:
    """fw_cfg.json and every fw_cfg file it lists, as the capture directory holds them."""
    files = {CAPTURE_INDEX: _read(os.path.join(fixture, CAPTURE_INDEX))}
    index = json.loads(files[CAPTURE_INDEX])
    for entry in index["files"]:
        files[entry["name"]] = _read(os.path.join(fixture, *entry["name"].split("/")))
    return files


def _cli(*argv: str) -> None:
    """Run the CLI in-process for seed material; its output is not wanted."""
    from qboot_tables.cli import dump_main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = dump_main(list(argv))
    if status not in (0, 1):
        raise RuntimeError(f"seed material: dump-tables {' '.join(argv)} exited {status}")


def _dir_files(path: str) -> dict:
    return {n: _read(os.path.join(path, n)) for n in sorted(os.listdir(path))
            if os.path.isfile(os.path.join(path, n))}


# The name Linux's /sys/firmware/memmap gives each e820 type (arch/x86/kernel/e820.c, e820_type_to_string).
LINUX_E820_NAMES = {1: "System RAM", 2: "Reserved", 3: "ACPI Tables", 4: "ACPI Non-volatile Storage",
                    5: "Unusable memory", 12: "Persistent Memory (legacy)", 7: "Persistent Memory",
                    0xEFFFFFFF: "Soft Reserved", 13: "Unknown E820 type"}


def _memmap_files(e820: bytes) -> dict:
    """An etc/e820 as Linux shows it in /sys/firmware/memmap: N/start, N/end (inclusive) and N/type."""
    files = {}
    for index in range(len(e820) // 20):
        start, size, kind = struct.unpack_from("<QQI", e820, 20 * index)
        files.update({f"{index}/start": f"{start:#x}\n".encode(), f"{index}/end": f"{start + size - 1:#x}\n".encode(),
                      f"{index}/type": (LINUX_E820_NAMES.get(kind, "Unknown E820 type") + "\n").encode()})
    return files


def _entry_point_size(dump: bytes) -> int:
    # SMBIOS 3.7 §5.2.1/§5.2.2: the entry point length is at offset 5 (_SM_) or 6 (_SM3_).
    return dump[6] if dump.startswith(b"_SM3_") else dump[5]


def _drop_aml(text: bytes) -> bytes:
    """acpidump text without its DSDT and SSDT blocks (a block is a header line, its rows and a blank line)."""
    blocks = text.split(b"\n\n")
    return b"\n\n".join(b for b in blocks if not b.lstrip().startswith((b"DSDT", b"SSDT")))


def load_seeds(cache_dir: str) -> dict:
    """Every kind's seeds, read once: fixtures, goldens, what the CLI makes of them, and real machines."""
    seeds: dict[str, list[Seed]] = {kind: [] for kind in KINDS}
    fixtures = sorted(d for d in os.listdir(FIXTURES) if os.path.isfile(os.path.join(FIXTURES, d, CAPTURE_INDEX)))
    raw_tables: dict[bytes, str] = {}
    for name in fixtures:
        fixture = os.path.join(FIXTURES, name)
        files = _capture_files(fixture)
        for kind in ("capture", "fw_cfg.json", "e820", "table-loader"):
            seeds[kind].append(Seed(kind, name, files, ""))
        by_name = {f"{n}/raw": data for n, data in files.items() if n != CAPTURE_INDEX}
        seeds["by_name"].append(Seed("by_name", name, by_name, ""))
        golden = os.path.join(fixture, "golden", "tables")
        for sig, data in _dir_files(golden).items():
            raw_tables.setdefault(data, f"{name}/{sig}")
        if name in DERIVED_FROM:
            seeds["table_folder"].append(Seed("table_folder", f"{name}/golden", _dir_files(golden), ""))
            seeds["rsdp"].append(Seed("rsdp", f"{name}/golden", {"RSDP": _read(os.path.join(golden, "RSDP"))},
                                      "RSDP"))
            seeds["rsdp"].append(Seed("rsdp", f"{name}/unlinked", {"rsdp": files["etc/acpi/rsdp"]}, "rsdp"))
    for data, label in raw_tables.items():
        sig = label.rsplit("/", 1)[1]
        if sig != "RSDP":
            seeds["raw_table"].append(Seed("raw_table", label, {sig: data}, sig))
    for name in DERIVED_FROM:
        out = os.path.join(cache_dir, name)
        text = os.path.join(cache_dir, f"{name}.acpidump")
        if not os.path.isdir(out):
            _cli(os.path.join(FIXTURES, name), "--out", out, "--acpidump", text)
        seeds["table_folder"].append(Seed("table_folder", f"{name}/out", _dir_files(out), ""))
        seeds["acpidump"].append(Seed("acpidump", name, {"tables.acpidump": _read(text)}, "tables.acpidump"))
        if os.path.isfile(os.path.join(out, "smbios.bin")):
            dump = _read(os.path.join(out, "smbios.bin"))
            seeds["smbios"].append(Seed("smbios", f"{name}/smbios.bin", {"smbios.bin": dump}, "smbios.bin"))
            # Linux's /sys/firmware/dmi/tables: the entry point alone, and the structure table (at 0x20 in
            # dmidecode's dump) as DMI.
            sysfs = {"smbios_entry_point": dump[:_entry_point_size(dump)], "DMI": dump[0x20:]}
            seeds["smbios"].append(Seed("smbios", f"{name}/sysfs", sysfs, ""))
    for name in DERIVED_FROM:
        seeds["memmap"].append(Seed("memmap", f"{name}/memmap", _memmap_files(_capture_files(
            os.path.join(FIXTURES, name))["etc/e820"]), ""))
    seeds["memmap"].append(Seed("memmap", "every type name", _memmap_files(b"".join(
        struct.pack("<QQI", n << 20, 1 << 20, kind) for n, kind in enumerate(LINUX_E820_NAMES))), ""))
    for name, keep_aml in REAL_HW:
        path = os.path.join(REAL_HW_ACPIDUMP, f"{name}.txt.xz")
        if os.path.isfile(path):
            text = lzma.decompress(_read(path))
            text = text if keep_aml else _drop_aml(text)
            seeds["acpidump"].append(Seed("acpidump", f"real-hw/{name}", {"tables.acpidump": text},
                                          "tables.acpidump"))
    for args in GENERATE_SEEDS:
        seeds["generate"].append(Seed("generate", " ".join(args), {}, "", args))
    return seeds


# ---- byte mutators: each takes the bytes and two drawn integers, and interprets them modulo what it needs

INTERESTING = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
               0x100000000, 0xFFFFFFFFFFFFFFFF, 8, 20, 24, 36, 44, 128, 4096, 1 << 20, 1 << 31, 1 << 40)
WIDTHS = (1, 2, 4, 8)
# Signatures that try to leave --out, and anchors that change what a file is taken for.
TRAVERSAL = (b"../Q", b"/QQQ", b"..\x00x")
TOKENS = TRAVERSAL + (b"RSD PTR ", b"_SM_", b"_SM3_", b"_DMI_", b"FACP", b"DSDT", b"XSDT", b"RSDT", b"APIC",
                      b"FACS", b"SSDT", b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"etc/acpi/tables\x00",
                      b"etc/e820\x00", b"%s%n", b"\x80\x81\xfe\xff", b"\n\r\t ")
SIGNATURES = (b"RSD PTR ", b"_SM3_", b"_SM_", b"APIC", b"FACP", b"FACS", b"DSDT", b"SSDT", b"RSDT", b"XSDT",
              b"HPET", b"MCFG", b"WAET", b"SRAT", b"SLIT")
LOADER_ENTRY = 128  # QEMU hw/acpi/bios-linker-loader.c: each command is 128 bytes


def _anchors(data: bytes) -> list[int]:
    """Offsets where mutations matter most: table starts, and loader commands when it looks like a script."""
    found = {0}
    for sig in SIGNATURES:
        at = data.find(sig)
        while at != -1 and len(found) < 256:
            found.add(at)
            at = data.find(sig, at + 1)
    if len(data) % LOADER_ENTRY == 0 and data[:4] == b"\x01\x00\x00\x00":
        found.update(range(0, len(data), LOADER_ENTRY))
    return sorted(found)


def _pos(data: bytes, a: int) -> int:
    """A position: uniform for a quarter of the values of `a`, otherwise just after an anchor."""
    if a % 4 == 0:
        return (a >> 2) % (len(data) + 1)
    anchors = _anchors(data)
    k = a >> 2
    return min(anchors[k % len(anchors)] + (k // len(anchors)) % 64, len(data))


def _pack(value: int, width: int, big: bool) -> bytes:
    return (value & ((1 << 8 * width) - 1)).to_bytes(width, "big" if big else "little")


def _overwrite(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + chunk + data[at + len(chunk):]


def _signature_offsets(data: bytes) -> list[int]:
    """Where a known signature starts a table (RSDP and SMBIOS anchors included)."""
    return [a for a in _anchors(data) if data[a:a + 4] in {s[:4] for s in SIGNATURES}]


def m_flip(data, a, b):
    if not data:
        return data
    at = _pos(data, a) % len(data)
    return _overwrite(data, at, bytes([data[at] ^ (1 << b % 8)]))


def m_set(data, a, b):
    return _overwrite(data, _pos(data, a), bytes([b % 256]))


def m_insert(data, a, b):
    at = _pos(data, a)
    return data[:at] + bytes([(b >> 4) % 256]) * (1 + b % 16) + data[at:]


def m_delete(data, a, b):
    at = _pos(data, a)
    count = 1 + (b % 4096 if b % 4 == 0 else b % 64)
    return data[:at] + data[at + count:]


def m_truncate(data, a, b):
    return data[:_pos(data, a)]


def m_int(data, a, b):
    value = INTERESTING[b % len(INTERESTING)]
    width = WIDTHS[(b // len(INTERESTING)) % len(WIDTHS)]
    return _overwrite(data, _pos(data, a), _pack(value, width, big=(b // 97) % 8 == 0))


def m_token(data, a, b):
    return _overwrite(data, _pos(data, a), TOKENS[b % len(TOKENS)])


def m_duplicate(data, a, b):
    """Copy a chunk of the data to another place: repeated tables, repeated loader commands."""
    start = _pos(data, a)
    chunk = data[start:start + 1 + b % 256] if b % 2 else data[start:start + LOADER_ENTRY]
    at = _pos(data, b >> 8)
    return data[:at] + chunk + data[at:]


def m_signature(data, a, b):
    """Give a table a hostile or different signature (path traversal, another table's, an anchor)."""
    offsets = _signature_offsets(data)
    if not offsets:
        return data
    token = TRAVERSAL[b % 3] if b % 2 == 0 else TOKENS[b % len(TOKENS)][:4]
    return _overwrite(data, offsets[a % len(offsets)], token)


def m_length(data, a, b):
    """Set a table's 32-bit length field (just after its 4-byte signature) to an interesting value."""
    offsets = _signature_offsets(data)
    if not offsets:
        return data
    value = INTERESTING[b % len(INTERESTING)]
    if b // len(INTERESTING) % 3 == 0:  # off by a little from the true length
        value = int.from_bytes(data[offsets[a % len(offsets)] + 4:][:4], "little") + (b % 9) - 4
    return _overwrite(data, offsets[a % len(offsets)] + 4, _pack(value, 4, big=False))


def m_retarget(data, a, b):
    """Point a 32- or 64-bit field at another table of the same blob (before linking, pointers are offsets into
    their file): an RSDT entry or a FADT pointer aimed at a table of the wrong kind, or into the middle of one."""
    anchors = _anchors(data)
    value = anchors[b % len(anchors)] + (0 if b // len(anchors) % 4 else 4)
    return _overwrite(data, _pos(data, a), _pack(value, 8 if (b >> 16) % 4 == 0 else 4, big=False))


BYTE_OPS = {
    "flip": m_flip, "set": m_set, "insert": m_insert, "delete": m_delete, "truncate": m_truncate,
    "int": m_int, "token": m_token, "duplicate": m_duplicate, "signature": m_signature, "length": m_length,
    "retarget": m_retarget,
}


# ---- text mutators (acpidump text, fw_cfg.json): on lines

GARBAGE_LINES = ("", " ", "    0000: ZZ", "FACP @ 0x0", "\x00\x01\x02", "xxxx yyyy", "    0010: " + "FF " * 40,
                 "RSDP @ 0x00000000000F5A10", "    0000: 52 53 44 20 50 54 52 20", "DSDT @ 0x" + "F" * 17,
                 "../Q @ 0x0000000000000000", "    FFFFFFFF: 00")
HEADER_SIGS = ("../Q", "/QQQ", "..\x00x", "RSDP", "FACP", "DSDT", "XSDT", "APIC", "FACS", "    ", "\x7f\x7f\x7f\x7f")
HEADER_ADDRESSES = ("0x0000000000000000", "0xFFFFFFFFFFFFFFFF", "0x" + "1" * 17, "0x", "FFFF", "0x7fe0000",
                    "0X00000000000F5A10")
INDENTS = ("", " ", "\t", "        ", "  \t  ")


def _lines(data: bytes) -> list[str]:
    return data.decode("latin-1").split("\n")


def _join(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("latin-1")


def t_drop(data, a, b):
    lines = _lines(data)
    del lines[a % len(lines)]
    return _join(lines)


def t_duplicate(data, a, b):
    lines = _lines(data)
    i = a % len(lines)
    lines[i:i] = lines[i:i + 1 + b % 3]
    return _join(lines)


def t_swap(data, a, b):
    lines = _lines(data)
    i, j = a % len(lines), b % len(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return _join(lines)


def t_hex_digit(data, a, b):
    lines = _lines(data)
    i = a % len(lines)
    digits = [k for k, c in enumerate(lines[i]) if c in "0123456789abcdefABCDEF"]
    if digits:
        k = digits[b % len(digits)]
        lines[i] = lines[i][:k] + "0123456789ABCDEFG "[(b // len(digits)) % 18] + lines[i][k + 1:]
    return _join(lines)


def t_header(data, a, b):
    """Change a "SIG @ 0xADDR" line: its signature, its address, or both."""
    lines = _lines(data)
    headers = [k for k, line in enumerate(lines) if " @ " in line[:8]] or [a % len(lines)]
    i = headers[a % len(headers)]
    sig, _, address = lines[i].partition(" @ ")
    if b % 3 != 1:
        sig = HEADER_SIGS[(b // 3) % len(HEADER_SIGS)]
    if b % 3 != 0:
        address = HEADER_ADDRESSES[(b // 3) % len(HEADER_ADDRESSES)]
    lines[i] = f"{sig} @ {address}"
    return _join(lines)


def t_indent(data, a, b):
    lines = _lines(data)
    i = a % len(lines)
    lines[i] = INDENTS[b % len(INDENTS)] + lines[i].lstrip()
    return _join(lines)


def t_row_offset(data, a, b):
    """Give a hex row an offset out of sequence."""
    lines = _lines(data)
    rows = [k for k, line in enumerate(lines) if line[:8].strip().endswith(":") or ": " in line[:14]]
    if rows:
        i = rows[a % len(rows)]
        head, sep, rest = lines[i].partition(":")
        value = INTERESTING[b % len(INTERESTING)] + (b // len(INTERESTING)) % 3 * 16
        lines[i] = f"    {value:04X}{sep}{rest}"
    return _join(lines)


def t_garbage(data, a, b):
    lines = _lines(data)
    lines.insert(a % (len(lines) + 1), GARBAGE_LINES[b % len(GARBAGE_LINES)])
    return _join(lines)


def t_cut(data, a, b):
    lines = _lines(data)
    i = a % len(lines)
    lines[i] = lines[i][:b % (len(lines[i]) + 1)]
    return _join(lines)


TEXT_OPS = {
    "drop-line": t_drop, "duplicate-line": t_duplicate, "swap-lines": t_swap, "hex-digit": t_hex_digit,
    "header": t_header, "indent": t_indent, "row-offset": t_row_offset, "garbage-line": t_garbage,
    "cut-line": t_cut,
}


# ---- fw_cfg.json mutators: on the parsed document, written back as JSON

ODD_VALUES = (None, True, False, 0, -1, 1 << 64, 1.5, float("nan"), float("inf"), "", "x", "0x10", "512M",
              "\x00", [], {}, [1, 2], {"a": 1}, "../../../etc/passwd", "a" * 5000)
BAD_NAMES = ("../x", "../../outside/raw", "/etc/passwd", "", "etc//e820", "etc/./e820", "etc/e820/",
             "etc/acpi\x00/tables", "etc/e820\x00", "a" * 5000, "etc/" + "d/" * 300 + "x", "fw_cfg.json", ".",
             "etc", "etc/acpi/tables/../rsdp", "etc/acpi/rsdp ", "ETC/E820", 42, None, ["etc/e820"])
SELECTOR_KEYS = ("ram_size", "nb_cpus", "max_cpus", "numa", "hpet", "irq0_override", "uuid", "signature",
                 "features", "boot_menu", "x-unknown")
ROOT_KEYS = ("files", "selectors", "origin", "format")
NEST_DEPTHS = (2, 50, 1000, 100000)
_NEST_MARK = "\x00nest-here\x00"


def _json_paths(node, path=(), depth=0) -> list[tuple]:
    """Every value's path in a document (keys and indices), outermost first; bounded in depth."""
    paths = [path]
    if depth < 12:
        if isinstance(node, dict):
            for k in node:
                paths += _json_paths(node[k], path + (k,), depth + 1)
        elif isinstance(node, list):
            for k in range(len(node)):
                paths += _json_paths(node[k], path + (k,), depth + 1)
    return paths


def _json_get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _json_edit(data: bytes, edit) -> bytes:
    """Parse, let `edit` change the document, and write it back; text that no longer parses is left alone."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    result = edit(doc)
    if isinstance(result, bytes):
        return result
    return json.dumps(doc, indent=2).encode()


def _file_entries(doc) -> list:
    files = doc.get("files") if isinstance(doc, dict) else None
    return [e for e in files if isinstance(e, dict)] if isinstance(files, list) else []


def j_type(data, a, b):
    def edit(doc):
        paths = _json_paths(doc)[1:]
        if paths:
            path = paths[a % len(paths)]
            _json_get(doc, path[:-1])[path[-1]] = ODD_VALUES[b % len(ODD_VALUES)]
    return _json_edit(data, edit)


def j_delete(data, a, b):
    def edit(doc):
        paths = _json_paths(doc)[1:]
        if paths:
            path = paths[a % len(paths)]
            del _json_get(doc, path[:-1])[path[-1]]
    return _json_edit(data, edit)


def j_nest(data, a, b):
    """Wrap one value in many arrays or objects: parsers that recurse run out of stack."""
    def edit(doc):
        paths = _json_paths(doc)
        path = paths[a % len(paths)]
        depth = NEST_DEPTHS[b % len(NEST_DEPTHS)]
        inner = json.dumps(_json_get(doc, path))
        opening, closing = ("[", "]") if (b // len(NEST_DEPTHS)) % 2 == 0 else ('{"a":', "}")
        nested = opening * depth + inner + closing * depth
        if not path:
            return nested.encode()
        _json_get(doc, path[:-1])[path[-1]] = _NEST_MARK
        return json.dumps(doc, indent=2).replace(json.dumps(_NEST_MARK), nested).encode()
    return _json_edit(data, edit)


def j_name(data, a, b):
    def edit(doc):
        entries = _file_entries(doc)
        if entries:
            entries[a % len(entries)]["name"] = BAD_NAMES[b % len(BAD_NAMES)]
    return _json_edit(data, edit)


def j_size(data, a, b):
    def edit(doc):
        entries = _file_entries(doc)
        if entries:
            entry = entries[a % len(entries)]
            size = entry.get("size") if isinstance(entry.get("size"), int) else 0
            choices = (size + 1, size - 1, -1, 0, 1 << 32, 1 << 64, str(size), float(size), None)
            entry["size"] = choices[b % len(choices)]
    return _json_edit(data, edit)


def j_duplicate(data, a, b):
    def edit(doc):
        entries = _file_entries(doc)
        if entries:
            doc["files"].append(dict(entries[a % len(entries)]))
    return _json_edit(data, edit)


def j_selector(data, a, b):
    def edit(doc):
        if isinstance(doc, dict) and isinstance(doc.get("selectors"), dict):
            doc["selectors"][SELECTOR_KEYS[a % len(SELECTOR_KEYS)]] = ODD_VALUES[b % len(ODD_VALUES)]
    return _json_edit(data, edit)


def j_root(data, a, b):
    def edit(doc):
        if isinstance(doc, dict):
            doc[ROOT_KEYS[a % len(ROOT_KEYS)]] = ODD_VALUES[b % len(ODD_VALUES)]
    return _json_edit(data, edit)


JSON_OPS = {
    "json-type": j_type, "json-delete": j_delete, "json-nest": j_nest, "json-name": j_name, "json-size": j_size,
    "json-duplicate": j_duplicate, "json-selector": j_selector, "json-root": j_root,
}


# ---- QEMU argument mutators (generate): on the list of arguments

NUMBERS = ("0", "1", "-1", "4294967296", "18446744073709551616", "9" * 5000, "1" * 400, "\uff14", "\u0663",
           "1.5", "0x10", "1e9", "", " 4", "4 ", "+4", "08", "288", "289", "4096", "1_000")
ARG_STRINGS = ("", "a" * 100000, "-M", "--", "q35,", "=", ",", ",,", "help", "-smp", "pc-i440fx-7.2", "q35,acpi=off",
               "\u00e9", "\uff11", "sockets=0", "maxcpus=0", "type=4,max-speed=99999999999", "-m", "1.5G", "0")
ARG_OPTIONS = (("-numa", "node"), ("-numa", "node,nodeid=300"), ("-numa", "dist,src=0,dst=1,val=5"),
               ("-smp", "sockets=0"), ("-smp", "1,maxcpus=4096"), ("-m", "1.5G"), ("-m", "0"),
               ("-m", "1G,slots=4,maxmem=8G"), ("-object", "memory-backend-ram,id=m0,size=1G"), ("-cpu", "max"),
               ("-uuid", "zz"), ("-smbios", "type=4,max-speed=99999999999"), ("-smbios", "type=17,size=-1"),
               ("-foo",), ("-M", "microvm"), ("-M",), ("-machine", "q35,x-oem-id=" + "X" * 100),
               ("-numa", "cpu,node-id=0,socket-id=99"))
SUFFIXES = (",", ",sockets=2", ",maxcpus=288", "G", "T", "E", ",,", "\u00a0", "k", ",cores=0", "=1", "9" * 30)


def _digit_runs(text: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for k, c in enumerate(text + " "):
        if c.isdigit() and start is None:
            start = k
        elif not c.isdigit() and start is not None:
            runs.append((start, k))
            start = None
    return runs


def a_number(args, a, b):
    if not args:
        return args
    i = a % len(args)
    runs = _digit_runs(args[i])
    if runs:
        s, e = runs[(a // len(args)) % len(runs)]
        args = list(args)
        args[i] = args[i][:s] + NUMBERS[b % len(NUMBERS)] + args[i][e:]
    return args


def a_replace(args, a, b):
    if not args:
        return args
    args = list(args)
    args[a % len(args)] = ARG_STRINGS[b % len(ARG_STRINGS)]
    return args


def a_drop(args, a, b):
    return [x for k, x in enumerate(args) if k != a % max(len(args), 1)]


def a_duplicate(args, a, b):
    if not args:
        return args
    i = a % len(args)
    return list(args[:i + 1]) + list(args[i:i + 1 + b % 2]) + list(args[i + 1:])


def a_swap(args, a, b):
    if not args:
        return args
    args = list(args)
    i, j = a % len(args), b % len(args)
    args[i], args[j] = args[j], args[i]
    return args


def a_append(args, a, b):
    option = ARG_OPTIONS[b % len(ARG_OPTIONS)]
    i = (a % (len(args) + 1)) & ~1  # between options, mostly
    return list(args[:i]) + list(option) + list(args[i:])


def a_suffix(args, a, b):
    if not args:
        return args
    args = list(args)
    args[a % len(args)] += SUFFIXES[b % len(SUFFIXES)]
    return args


ARG_OPS = {
    "arg-number": a_number, "arg-replace": a_replace, "arg-drop": a_drop, "arg-duplicate": a_duplicate,
    "arg-swap": a_swap, "arg-append": a_append, "arg-suffix": a_suffix,
}
# Most argument mutations keep the command line's shape, so that QEMU's checks past the parser are reached.
GENERATE_OPS = ("arg-number",) * 4 + ("arg-suffix",) * 2 + ("arg-append",) * 2 + (
    "arg-replace", "arg-drop", "arg-duplicate", "arg-swap")


def apply(seed, ops):
    """Apply mutation ops, each (name, a, b), in order: bytes in, bytes out (a list of strings for generate)."""
    for name, a, b in ops:
        if name in ARG_OPS:
            seed = ARG_OPS[name](seed, a, b)
        elif name in JSON_OPS:
            seed = JSON_OPS[name](seed, a, b)
        elif name in TEXT_OPS:
            seed = TEXT_OPS[name](seed, a, b) if seed else seed
        else:
            seed = BYTE_OPS[name](seed, a, b)
    return seed


# ---- tree mutators: on the directory of a directory input, after its files are written

EXTRA_NAMES = ("extra", "etc/acpi/extra", "APIC9", "SSDT", "raw", "etc/raw", "opt/x/raw", "smbios.bin", "DMI",
               "fw_cfg.json.d", "etc/e820.d", ".hidden", "-", "\u00e9t\u00e9", "FACP2")
EXTRA_CONTENTS = (b"", b"junk", b"RSD PTR " + bytes(12), b"_SM_", b"APIC\x24\x00\x00\x00" + bytes(28),
                  b"\x00" * 128, b"FACS\x40\x00\x00\x00" + bytes(56))
TREE_OPS = ("mkdir", "file", "loop", "escape", "remove", "file-to-dir", "link-file", "dangling")


def _tree_dirs(top: str) -> list[str]:
    dirs = []
    for base, names, _files in os.walk(top):
        names.sort()
        dirs.append(base)
    return dirs


def _tree_files(top: str) -> list[str]:
    found = []
    for base, names, files in os.walk(top):
        names.sort()
        found += [os.path.join(base, f) for f in sorted(files)]
    return found


def apply_tree(top: str, outside: str, ops) -> None:
    """Change the directory tree of an input: extra entries, symlinks out of it and into a cycle, files gone.
    An op that an earlier one made impossible (a file where it wants a folder) is skipped."""
    for op in ops:
        try:
            _tree_op(top, outside, *op)
        except OSError:
            pass


def _tree_op(top: str, outside: str, name: str, a: int, b: int) -> None:
    dirs, files = _tree_dirs(top), _tree_files(top)
    target = os.path.join(top, EXTRA_NAMES[a % len(EXTRA_NAMES)])
    if os.path.lexists(target) and name in ("mkdir", "file", "dangling"):
        return
    if name == "mkdir":
        os.makedirs(target, exist_ok=True)
    elif name == "file":
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(EXTRA_CONTENTS[b % len(EXTRA_CONTENTS)])
    elif name == "loop":  # a link to its own directory or to a parent: a cycle for anything that follows it
        where = dirs[a % len(dirs)]
        link = os.path.join(where, f"loop{b % 3}")
        if not os.path.lexists(link):
            os.symlink(("." if b % 2 else ".."), link)
    elif name == "escape":  # a link out of the input, to files no input should reach
        where = dirs[a % len(dirs)]
        link = os.path.join(where, ("escape", "raw", "etc", "APIC", "smbios.bin")[b % 5])
        if not os.path.lexists(link):
            bait = outside if b % 2 == 0 else os.path.join(outside, "APIC")
            os.symlink(os.path.relpath(bait, where), link)
    elif name == "remove" and files:
        os.unlink(files[a % len(files)])
    elif name == "file-to-dir" and files:
        path = files[a % len(files)]
        os.unlink(path)
        os.makedirs(os.path.join(path, "raw"))
    elif name == "link-file" and len(files) > 1:
        path, other = files[a % len(files)], files[b % len(files)]
        if path != other:
            os.unlink(path)
            os.symlink(os.path.relpath(other, os.path.dirname(path)), path)
    elif name == "dangling":
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.symlink("does-not-exist", target)


# ---- cases


@dataclass(frozen=True)
class Case:
    kind: str
    seed: str  # Seed.name
    edits: tuple = ()  # ((file path below in/, or "" for generate's arguments), ((op, a, b), ...)), ...
    tree: tuple = ()  # ((tree op, a, b), ...)
    mode: str = "plain"  # one of MODES, or generate
    options: tuple = ()  # further CLI options (--only, --alloc, --json, --format)
    program: str = "dump-tables"  # or "qboot-tables"
    stale_sizes: bool = False  # captures: keep fw_cfg.json's sizes when a file's length changes


# About a third write (--out and --acpidump), a fifth diff against the unmutated seed, some print JSON, and
# one in twenty asks for --out inside the input.
MODES = ("plain",) * 5 + ("json",) * 4 + ("write",) * 6 + ("diff", "diff", "diff-reversed", "diff-reversed",
                                                           "out-in-input")
# Files that matter most in a capture; "*" is any file.
CAPTURE_TARGETS = (CAPTURE_INDEX, "etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp", "etc/e820",
                   "etc/smbios/smbios-anchor", "etc/smbios/smbios-tables", "*")
FOCUS = {"fw_cfg.json": CAPTURE_INDEX, "e820": "etc/e820", "table-loader": "etc/table-loader"}
CAPTURE_KINDS = ("capture", "fw_cfg.json", "e820", "table-loader")
ONLY = ("APIC", "RSDP,SMBIOS", "E820,LOADER", "XXXX", "../Q", "FACP,DSDT,FACS", ",,,")
ALLOC_NAMES = ("etc/acpi/rsdp", "etc/acpi/tables", "etc/smbios/smbios-tables", "etc/e820", "nope", "=")
ALLOC_ADDRESSES = ("0", "0xf5a10", "0xFFFFFFFF", "0x100000000", "-1", "0x7fe0000", "0xa0000", "1e3", "0x",
                   "\uff10", "0xfffffffffffffffff")
WIDE = 1 << 32


class RandomDraw:
    """Draws for tools/fuzz-cli, from random.Random; tests/test_mutation_campaign.py has a Hypothesis twin."""

    def __init__(self, rnd):
        self.rnd = rnd

    def integer(self, lo: int, hi: int) -> int:
        return self.rnd.randint(lo, hi)

    def choice(self, seq):
        return seq[self.rnd.randrange(len(seq))]


# Families of mutators, by name. acpidump text gets mostly hex-digit changes, which keep the text readable so
# that the mutated bytes reach the tables' decoding.
FAMILIES = {"bytes": tuple(BYTE_OPS), "text": tuple(TEXT_OPS), "json": tuple(JSON_OPS), "args": GENERATE_OPS,
            "acpidump": ("hex-digit",) * 5 + tuple(TEXT_OPS)}


def _draw_ops(draw, families: tuple, most: int = 4) -> tuple:
    count = draw.integer(1, most) if draw.integer(0, 7) else draw.integer(most + 1, 3 * most)
    ops = []
    for _ in range(count):
        family = FAMILIES[draw.choice(families)]
        ops.append((draw.choice(family), draw.integer(0, WIDE - 1), draw.integer(0, WIDE - 1)))
    return tuple(ops)


def _families(draw, path: str) -> tuple:
    """Which mutators suit a file (names of FAMILIES): JSON and line mutators for text, byte mutators for all."""
    base = path.rsplit("/", 1)[-1]
    if base == CAPTURE_INDEX:
        # Mostly structure alone: one broken bracket would leave every later JSON mutation nothing to parse.
        return ("json",) if draw.integer(0, 3) else ("json", "text", "bytes")
    if base.endswith(".acpidump"):
        return ("acpidump", "acpidump", "acpidump", "bytes")
    if base in ("start", "end", "type"):  # Linux's memmap: one line of text each
        return ("text", "bytes")
    return ("bytes",)


def draw_case(draw, kind: str, seeds: dict) -> Case:
    """One case of `kind`: a seed, mutations of one to three of its files (or its arguments), and how to run it."""
    seed = seeds[kind][draw.integer(0, len(seeds[kind]) - 1)]
    if kind == "generate":
        ops = _draw_ops(draw, ("args",), most=2)
        options = ("--format", "capture") if draw.integer(0, 3) == 0 else ()
        return Case(kind, seed.name, (("", ops),), mode="generate", options=options, program="qboot-tables")
    files = sorted(seed.files)
    edits = []
    for _ in range(draw.integer(1, 3) if draw.integer(0, 3) == 0 else 1):
        if kind in FOCUS and not edits:
            target = FOCUS[kind]
        elif kind in CAPTURE_KINDS + ("by_name",):
            suffix = "/raw" if kind == "by_name" else ""
            wanted = draw.choice(CAPTURE_TARGETS)
            target = wanted + suffix if wanted + suffix in seed.files else draw.choice(files)
        else:
            target = draw.choice(files)
        edits.append((target, _draw_ops(draw, _families(draw, target))))
    tree = ()
    if not seed.entry and draw.integer(0, 5 if kind == "by_name" else 9) == 0:
        tree = tuple((draw.choice(TREE_OPS), draw.integer(0, WIDE - 1), draw.integer(0, WIDE - 1))
                     for _ in range(draw.integer(1, 3)))
    mode = draw.choice(MODES)
    options = []
    if mode == "write" and draw.integer(0, 1):
        options.append("--json")
    if not mode.startswith("diff") and draw.integer(0, 9) == 0:
        options += ["--only", draw.choice(ONLY)]
    fw_cfg = kind in ("capture", "e820", "table-loader", "by_name")
    if not mode.startswith("diff") and fw_cfg and draw.integer(0, 9) == 0:
        options += ["--alloc", f"{draw.choice(ALLOC_NAMES)}={draw.choice(ALLOC_ADDRESSES)}"]
    program = "qboot-tables" if mode.startswith("diff") or draw.integer(0, 2) == 0 else "dump-tables"
    stale = kind in CAPTURE_KINDS and draw.integer(0, 7) == 0
    return Case(kind, seed.name, tuple(edits), tree, mode, tuple(options), program, stale)


class Invocation(NamedTuple):
    """A case made concrete: the CLI's argv (paths relative to the case directory), and which paths are inputs
    (never to change) and outputs (the only places to write)."""
    program: str
    argv: tuple
    inputs: tuple
    outputs: tuple


def _write_files(top: str, files: dict) -> None:
    for rel, data in files.items():
        path = os.path.join(top, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _matching_sizes(index: bytes, files: dict) -> bytes:
    doc = json.loads(index)
    for entry in doc["files"]:
        if entry["name"] in files:
            entry["size"] = len(files[entry["name"]])
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def _bait(top: str, seeds: dict) -> None:
    """Files outside every input, for symlinks to point at: a by_name entry, a table, a nested by_name entry."""
    apic = next(s for s in seeds["raw_table"] if s.entry == "APIC").files["APIC"]
    _write_files(top, {"raw": b"outside the input\n", "APIC": apic, "sub/raw": b"outside too\n"})


def prepare(case: Case, seeds: dict, case_dir: str) -> Invocation:
    """Write the case's files into `case_dir` (which exists and is empty) and say how to run it."""
    seed = next(s for s in seeds[case.kind] if s.name == case.seed)
    if case.kind == "generate":
        args = tuple(apply(list(seed.args), case.edits[0][1]))
        return Invocation(case.program, ("generate", "--out", OUT) + case.options + ("--",) + args, (), (OUT,))
    top = os.path.join(case_dir, IN)
    files = dict(seed.files)
    for target, ops in case.edits:
        if target != CAPTURE_INDEX:
            files[target] = apply(files[target], ops)
    if case.kind in CAPTURE_KINDS and not case.stale_sizes:
        # Sizes that match the mutated files, so that the mutation reaches the loader and the walk; fw_cfg.json's
        # own mutations (and stale_sizes) still try sizes that do not match.
        files[CAPTURE_INDEX] = _matching_sizes(files[CAPTURE_INDEX], files)
    for target, ops in case.edits:
        if target == CAPTURE_INDEX:
            files[target] = apply(files[target], ops)
    _write_files(top, files)
    _bait(os.path.join(case_dir, OUTSIDE), seeds)
    if case.tree:
        apply_tree(top, os.path.join(case_dir, OUTSIDE), case.tree)
    given = IN + "/" + seed.entry if seed.entry else IN
    inputs = (given, OUTSIDE)
    outputs: tuple = ()
    if case.mode.startswith("diff"):
        _write_files(os.path.join(case_dir, SEED), seed.files)
        unchanged = SEED + "/" + seed.entry if seed.entry else SEED
        pair = (unchanged, given) if case.mode == "diff-reversed" else (given, unchanged)
        return Invocation("qboot-tables", ("diff",) + pair, inputs + (SEED,), ())
    argv = (given,)
    if case.mode == "json":
        argv += ("--json",)
    elif case.mode == "write":
        argv += ("--out", OUT, "--acpidump", ACPIDUMP)
        outputs = (OUT, ACPIDUMP)
    elif case.mode == "out-in-input":
        # --out inside a capture or table folder, or the folder holding a single-file input: must be refused.
        out = IN + "/" + OUT if not seed.entry else IN
        argv += ("--out", out)
        outputs = (out,)
    argv += case.options
    if case.program == "qboot-tables":
        argv = ("dump",) + argv
    return Invocation(case.program, argv, inputs, outputs)


# ---- running one case, and its checks

FAILURE_KINDS = ("exception", "internal error", "hang", "bad exit status", "error not one line", "changed input",
                 "stray write", "read outside input")


class Hang(BaseException):
    """Raised by the case's timer. A BaseException, so that no `except Exception` in the library swallows it."""


@dataclass
class Failure:
    kind: str  # one of FAILURE_KINDS
    detail: str  # exception type and message, or the paths concerned
    where: str = ""  # the last traceback frame inside qboot_tables
    last: str = ""  # the traceback's very last frame
    traceback: str = ""
    key: str = ""  # for failures without a traceback: what they have in common with others of the same bug

    def signature(self) -> tuple:
        """What makes two failures the same bug: for exceptions, the type and the line that raised it."""
        if self.kind in ("exception", "hang"):
            return (self.kind, self.detail.split(":", 1)[0], self.where)
        return (self.kind, self.key or self.detail)


@dataclass
class Result:
    invocation: Invocation
    status: int | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    failures: list = field(default_factory=list)


def _frame(frame) -> str:
    path = frame.filename
    if "/qboot_tables/" in path:  # name the module as the package does, wherever it was imported from
        path = "qboot_tables/" + path.rsplit("/qboot_tables/", 1)[1]
    return f"{path}:{frame.lineno} in {frame.name}"


def _failure_from(kind: str, e: BaseException) -> Failure:
    import qboot_tables

    package = os.path.dirname(os.path.abspath(qboot_tables.__file__))
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename != __file__]  # not _ReadWatch.open
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(package + os.sep)]
    message = str(e)
    if len(message) > 300:
        message = message[:300] + f"... ({len(message)} characters)"
    return Failure(kind, f"{type(e).__name__}: {message}", _frame(ours[-1]) if ours else "",
                   _frame(frames[-1]) if frames else "", "".join(traceback.format_exception(e)))


def snapshot_tree(top: str) -> dict:
    """Every path below `top` (not following links): type, mode, content hash or link target, and a file's mtime."""
    found = {}
    for base, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            when = 0
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    what = hashlib.sha256(f.read()).hexdigest()
                when = st.st_mtime_ns  # a file written again with the same bytes was still written
            elif stat.S_ISLNK(st.st_mode):
                what = "-> " + os.readlink(path)
            else:
                what = ""
            found[os.path.relpath(path, top)] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), what, when)
    return found


def _under(path: str, roots) -> bool:
    return any(path == r or path.startswith(r + os.sep) for r in roots)


class _ReadWatch:
    """Records every file opened (with open() or os.open) below the bait directory while the case runs."""

    def __init__(self, bait: str):
        self.bait = os.path.realpath(bait)
        self.seen: list[str] = []
        self.builtin_open, self.os_open = builtins.open, os.open

    def _note(self, file, dir_fd=None) -> None:
        if not isinstance(file, (str, bytes, os.PathLike)):
            return
        try:
            path = os.fsdecode(file)
            if dir_fd is not None:
                path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
            real = os.path.realpath(path)
        except (ValueError, OSError):
            return
        if real == self.bait or real.startswith(self.bait + os.sep):
            self.seen.append(path)

    def open(self, file, *args, **kwargs):
        self._note(file)
        return self.builtin_open(file, *args, **kwargs)

    def os_open_watched(self, path, flags, mode=0o777, *, dir_fd=None):
        self._note(path, dir_fd)
        return self.os_open(path, flags, mode, dir_fd=dir_fd)

    def __enter__(self):
        builtins.open, os.open = self.open, self.os_open_watched
        return self

    def __exit__(self, *exc):
        builtins.open, os.open = self.builtin_open, self.os_open


def _entry(program: str):
    from qboot_tables.cli import dump_main, main

    return dump_main if program == "dump-tables" else main


def _finding_line(line: str, inputs) -> bool:
    """A finding that dump prints before an error: "dump-tables: PATH: error: ..." or a warning."""
    return any(line.startswith(f"dump-tables: {p}: {severity}: ") for p in inputs
               for severity in ("error", "warning"))


def execute(inv: Invocation, case_dir: str, time_limit: float) -> Result:
    """Run the CLI in-process in `case_dir` and check everything a case must hold. `case_dir` holds the inputs."""
    import time

    entry = _entry(inv.program)
    result = Result(inv)
    before = snapshot_tree(case_dir)
    parent = os.path.dirname(case_dir)
    parent_before, root_before = set(os.listdir(parent)), set(os.listdir("/"))
    cwd, debug = os.getcwd(), os.environ.get("QBOOT_TABLES_DEBUG")
    stdout, stderr = io.StringIO(), io.StringIO()

    def on_timer(signum, frame):
        raise Hang(f"no answer within {time_limit:g} s")

    previous = signal.signal(signal.SIGALRM, on_timer)
    os.environ["QBOOT_TABLES_DEBUG"] = "1"
    os.chdir(case_dir)
    started = time.monotonic()
    try:
        with _ReadWatch(os.path.join(case_dir, OUTSIDE)) as watch:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                signal.setitimer(signal.ITIMER_REAL, time_limit)
                try:
                    result.status = entry(list(inv.argv))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    except Hang as e:
        result.failures.append(_failure_from("hang", e))
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # SystemExit included: the CLI returns its status, it never exits
        result.failures.append(_failure_from("exception", e))
    finally:
        result.seconds = time.monotonic() - started
        os.chdir(cwd)
        if debug is None:
            os.environ.pop("QBOOT_TABLES_DEBUG", None)
        else:
            os.environ["QBOOT_TABLES_DEBUG"] = debug
        signal.signal(signal.SIGALRM, previous)
    result.stdout, result.stderr = stdout.getvalue(), stderr.getvalue()
    if result.status == 130:  # the CLI turns Ctrl-C into 130
        raise KeyboardInterrupt
    _check_output(result, inv)
    _check_files(result, inv, case_dir, before)
    for name in sorted(set(os.listdir(parent)) - parent_before):
        result.failures.append(Failure("stray write", f"{name} created beside the case directory",
                                       key="beside the case directory"))
    for name in sorted(set(os.listdir("/")) - root_before):
        path = "/" + name
        removed = ""
        if os.path.isfile(path) and not os.path.islink(path) and os.path.getmtime(path) >= started - 1:
            os.unlink(path)  # ours: written by this case's run, so take it away again
            removed = " (removed)"
        result.failures.append(Failure("stray write", f"{path} created at the filesystem root{removed}",
                                       key="at the filesystem root"))
    if watch.seen:
        result.failures.append(Failure("read outside input", f"opened {watch.seen[0]} (a symlink out of the "
                                                             f"input), {len(watch.seen)} files in all",
                                       key="a symlink out of the input followed"))
    return result


def _check_output(result: Result, inv: Invocation) -> None:
    if "internal error" in result.stderr or "Traceback" in result.stderr:
        line = next(x for x in result.stderr.splitlines() if "internal error" in x or "Traceback" in x)
        result.failures.append(Failure("internal error", line[:300], key=line.split(":", 3)[-1][:60]))
    if result.status is None:
        return
    if result.status not in (0, 1, 2):
        result.failures.append(Failure("bad exit status", f"exit {result.status!r}"))
    if result.status == 2:
        lines = [x for x in result.stderr.splitlines() if x.strip() and not _finding_line(x, inv.inputs)]
        usage = lines[:1] and lines[0].startswith("usage:")
        if len(lines) != 1 and not usage:
            result.failures.append(Failure("error not one line", f"exit 2 with {len(lines)} error lines: "
                                           + " | ".join(x[:120] for x in lines[:3]), key="exit 2, several lines"))


def _check_files(result: Result, inv: Invocation, case_dir: str, before: dict) -> None:
    after = snapshot_tree(case_dir)
    inputs = [os.path.normpath(p) for p in inv.inputs]
    outputs = [os.path.normpath(p) for p in inv.outputs]
    # Everything that was there before is an input or lies beside one (the bait, the folder of a file input).
    changed = [p for p in before if p not in after or after[p] != before[p]]
    added = [p for p in after if p not in before]
    into_inputs = [p for p in added if _under(p, inputs)]
    stray = [p for p in added if not _under(p, inputs) and not _under(p, outputs)]
    if changed or into_inputs:
        def how(p):
            if p not in before:
                return "added"
            if p not in after:
                return "removed"
            return "rewritten" if after[p][:3] == before[p][:3] else "changed"
        what = [f"{p} {how(p)}" for p in sorted(changed + into_inputs)]
        # --out or --acpidump inside an input is one bug; an input rewritten in place, another.
        key = ("output written inside the input" if any(_under(p, outputs) for p in into_inputs + changed)
               else "input " + "/".join(sorted({how(p) for p in changed + into_inputs})))
        result.failures.append(Failure("changed input", ", ".join(what[:4]) + (" ..." if len(what) > 4 else ""),
                                       key=key))
    if stray:
        result.failures.append(Failure("stray write", "wrote " + ", ".join(sorted(stray)[:4])
                                       + (" ..." if len(stray) > 4 else "") + " outside --out/--acpidump",
                                       key="beside --out, in the case directory"))


def make_work_dir() -> str:
    """A fresh directory for a campaign, in memory (/dev/shm) where there is one: cases write and hash a few
    hundred kilobytes each, and tmpfs halves what that costs."""
    import tempfile

    shm = "/dev/shm"
    memory = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    return tempfile.mkdtemp(prefix="qboot-mutation-", dir=memory)


def run_case(case: Case, seeds: dict, work_dir: str, time_limit: float = 10.0) -> Result:
    """Prepare `case` in a fresh directory below `work_dir`, run it, check it, and remove the directory."""
    case_dir = os.path.join(work_dir, "case")
    if os.path.lexists(case_dir):
        shutil.rmtree(case_dir)
    os.mkdir(case_dir)
    try:
        return execute(prepare(case, seeds, case_dir), case_dir, time_limit)
    finally:
        shutil.rmtree(case_dir, ignore_errors=True)


def describe(result: Result) -> str:
    """The failures of a case, one per line, for an assertion message or a report."""
    lines = []
    for f in result.failures:
        where = f" [{f.where}]" if f.where else ""
        lines.append(f"{f.kind}: {f.detail}{where}")
    lines.append(f"argv: {command_line(result.invocation)}")
    return "\n".join(lines)


def command_line(inv: Invocation, limit: int = 200) -> str:
    """The invocation as a shell command run from the case directory; long arguments shortened to `limit`."""
    import shlex

    args = [a if len(a) <= limit else a[:60] + f"...({len(a)} characters)" for a in inv.argv]
    return " ".join(shlex.quote(a) for a in [inv.program] + args)
