"""Small hand-built fw_cfg table sets for loader and CLI tests: an RSDP, an RSDT and one WAET, linked by script."""
from __future__ import annotations

from construct import Container

from qboot_tables.schemas.loader import (CMD_ADD_CHECKSUM, CMD_ADD_POINTER, CMD_ALLOCATE, CMD_WRITE_POINTER,
                                         LOADER_ENTRY_SIZE, ZONE_FSEG, ZONE_HIGH, loader_entry)
from qboot_tables.read.snapshot import FwCfgSnapshot

RSDP_FILE = "etc/acpi/rsdp"
TABLES_FILE = "etc/acpi/tables"
WAET_OFFSET = 64
RAM = 128 << 20


def name(text: str) -> bytes:
    return text.encode().ljust(56, b"\0")


def allocate(file: str, align: int = 64, zone: int = ZONE_HIGH) -> dict:
    return dict(command=CMD_ALLOCATE, body=dict(file=name(file), align=align, zone=zone, padding=b""))


def add_pointer(dest: str, src: str, offset: int, size: int = 4) -> dict:
    return dict(command=CMD_ADD_POINTER, body=dict(dest_file=name(dest), src_file=name(src), offset=offset,
                                                   size=size, padding=b""))


def add_checksum(file: str, offset: int, start: int, length: int) -> dict:
    return dict(command=CMD_ADD_CHECKSUM, body=dict(file=name(file), offset=offset, start=start, length=length,
                                                    padding=b""))


def write_pointer(dest: str, src: str, dst_offset: int, src_offset: int, size: int = 8) -> dict:
    return dict(command=CMD_WRITE_POINTER, body=dict(dest_file=name(dest), src_file=name(src),
                                                     dst_offset=dst_offset, src_offset=src_offset, size=size,
                                                     padding=b""))


def script(*commands, pad_to: int = 4096) -> bytes:
    data = b"".join(loader_entry.build(Container(c)) for c in commands)
    return data + bytes(max(0, pad_to - len(data)))


def header(signature: bytes, length: int, revision: int = 1) -> bytes:
    return (signature + length.to_bytes(4, "little") + bytes([revision, 0]) + b"BOCHS " + b"BXPC    "
            + (1).to_bytes(4, "little") + b"BXPC" + (1).to_bytes(4, "little"))


def tables_blob() -> bytes:
    # RSDT at 0 with one entry pre-filled with the WAET's offset, as QEMU pre-fills pointer fields.
    rsdt = header(b"RSDT", 40) + WAET_OFFSET.to_bytes(4, "little")
    waet = header(b"WAET", 40) + (2).to_bytes(4, "little")
    return rsdt.ljust(WAET_OFFSET, b"\0") + waet


def rsdp_blob() -> bytes:
    return b"RSD PTR " + b"\0" + b"BOCHS " + b"\0" + (0).to_bytes(4, "little")


def e820_blob(ram: int = RAM) -> bytes:
    return (0).to_bytes(8, "little") + ram.to_bytes(8, "little") + (1).to_bytes(4, "little")


def good_commands() -> list[dict]:
    return [
        allocate(RSDP_FILE, 16, ZONE_FSEG),
        allocate(TABLES_FILE, 64, ZONE_HIGH),
        add_checksum(TABLES_FILE, WAET_OFFSET + 9, WAET_OFFSET, 40),
        add_pointer(TABLES_FILE, TABLES_FILE, 36),
        add_checksum(TABLES_FILE, 9, 0, 40),
        add_pointer(RSDP_FILE, TABLES_FILE, 16),
        add_checksum(RSDP_FILE, 8, 0, 20),
    ]


def snapshot(commands=None, **extra_files) -> FwCfgSnapshot:
    files = {RSDP_FILE: rsdp_blob(), TABLES_FILE: tables_blob(), "etc/e820": e820_blob(),
             "etc/table-loader": script(*(good_commands() if commands is None else commands))}
    files.update({k.replace("__", "/"): v for k, v in extra_files.items()})
    return FwCfgSnapshot(files=files, origin={"source": "tests/synthetic.py"})


def raw_script_with(commands, index: int, offset: int, raw: bytes) -> bytes:
    """A script whose entry `index` has `raw` written at byte `offset`: for fields construct would not build."""
    data = bytearray(script(*commands))
    start = index * LOADER_ENTRY_SIZE + offset
    data[start:start + len(raw)] = raw
    return bytes(data)
