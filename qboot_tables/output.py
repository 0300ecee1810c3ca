"""Writing a TableSet out: linked ACPI tables as DIR/<SIG>, DIR/RSDP and DIR/smbios.bin, or acpidump text."""
from __future__ import annotations

import os

from qboot_tables.errors import QbootTablesError


class OutputError(QbootTablesError):
    """A file we were asked to write could not be written."""


def write_file(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror}") from None


def write_tables(tableset, out_dir: str) -> list[str]:
    """Each linked ACPI table as DIR/<name> (SSDT, SSDT2...), the RSDP, and SMBIOS in dmidecode dump format."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out_dir}: cannot create: {e.strerror}") from None
    written = []
    if tableset.rsdp is not None:
        written.append("RSDP")
        write_file(os.path.join(out_dir, "RSDP"), tableset.rsdp.data)
    for table in tableset.acpi:
        written.append(table.name)
        write_file(os.path.join(out_dir, table.name), table.data)
    if tableset.smbios is not None:
        from qboot_tables.dmidecode import write_dump_bin

        write_dump_bin(tableset.smbios, os.path.join(out_dir, "smbios.bin"))
        written.append("smbios.bin")
    return written


def write_acpidump(tableset, path: str) -> None:
    from qboot_tables.acpidump import format_acpidump

    tables = ([("RSDP", tableset.rsdp.address, tableset.rsdp.data)] if tableset.rsdp is not None else [])
    tables += [(t.signature, t.address, t.data) for t in tableset.acpi]
    write_file(path, format_acpidump(tables).encode("ascii"))
