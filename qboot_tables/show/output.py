"""What a TableSet becomes on disk: linked ACPI tables as DIR/<name>, DIR/RSDP and DIR/smbios.bin, or acpidump
text. These only make bytes; qboot_tables.files writes them, after its checks."""
from __future__ import annotations

from qboot_tables.files import safe_signature


def table_files(tableset) -> dict[str, bytes]:
    """Each linked ACPI table under its name (SSDT, SSDT2..., already made safe by walk.unique_names), the RSDP,
    and SMBIOS in `dmidecode --dump-bin` format."""
    files = {}
    if tableset.rsdp is not None:
        files["RSDP"] = tableset.rsdp.data
    for table in tableset.acpi:
        files[table.name] = table.data
    if tableset.smbios is not None:
        from qboot_tables.tools.dmidecode import dump_bin

        files["smbios.bin"] = dump_bin(tableset.smbios)
    return files


def acpidump_text(tableset) -> bytes:
    """The tables as acpidump prints them; a signature that is not printable is shown as files.safe_signature
    makes it, which acpidump.parse_acpidump accepts back."""
    from qboot_tables.tools.acpidump import RSDP_NAME, format_acpidump

    tables = ([(RSDP_NAME, tableset.rsdp.address, tableset.rsdp.data)] if tableset.rsdp is not None else [])
    tables += [(safe_signature(t.signature), t.address, t.data) for t in tableset.acpi]
    return format_acpidump(tables).encode("ascii")
