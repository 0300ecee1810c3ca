"""What a TableSet becomes on disk: linked ACPI tables as DIR/<name>, DIR/RSDP, DIR/smbios.bin, DIR/e820.bin
and DIR/mptable.bin, or acpidump text. These only make bytes; qboot_tables.files writes them, after its checks."""
from __future__ import annotations

from qboot_tables.files import safe_signature


def table_files(tableset) -> dict[str, bytes]:
    """Each linked ACPI table under its name (SSDT, SSDT2..., already made safe by walk.unique_names), the RSDP,
    SMBIOS in `dmidecode --dump-bin` format, the e820 map as etc/e820 lays it out, and the MP table."""
    files = {}
    if tableset.rsdp is not None:
        files["RSDP"] = tableset.rsdp.data
    for table in tableset.acpi:
        files[table.name] = table.data
    if tableset.smbios is not None:
        from qboot_tables.tools.dmidecode import dump_bin

        files["smbios.bin"] = dump_bin(tableset.smbios)
    if tableset.e820 is not None:
        from qboot_tables.errors import build
        from qboot_tables.schemas.e820 import E820_DUMP_FILE, e820_table

        files[E820_DUMP_FILE] = build(e820_table, tableset.e820, E820_DUMP_FILE)
    mptable = mptable_file(tableset.mptable)
    if mptable:
        from qboot_tables.read.mptable import MPTABLE_FILE

        files[MPTABLE_FILE] = mptable
    return files


def mptable_file(mptable) -> bytes:
    """The MP table as one file: the floating pointer and the table when the table follows it (as firmware lays
    them out), else the configuration table alone, which reads back the same; b"" without a table."""
    if mptable is None or mptable.config is None:
        return b""
    follows = (mptable.floating is not None and mptable.floating_address is not None
               and mptable.config_address == mptable.floating_address + len(mptable.floating_raw))
    return (mptable.floating_raw if follows else b"") + mptable.config_raw


def acpidump_text(tableset) -> bytes:
    """The tables as acpidump prints them; a signature that is not printable is shown as files.safe_signature
    makes it, which acpidump.parse_acpidump accepts back."""
    from qboot_tables.tools.acpidump import RSDP_NAME, format_acpidump

    tables = ([(RSDP_NAME, tableset.rsdp.address, tableset.rsdp.data)] if tableset.rsdp is not None else [])
    tables += [(safe_signature(t.signature), t.address, t.data) for t in tableset.acpi]
    return format_acpidump(tables).encode("ascii")
