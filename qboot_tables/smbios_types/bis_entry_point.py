"""SMBIOS type 31, Boot Integrity Services (BIS) Entry Point."""
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def check_checksum(s) -> list[Finding]:
    # §7.32: the checksum makes the whole formatted area sum to zero.
    total = sum(s.formatted) & 0xFF
    return [Finding(ERROR, s.name, "checksum", f"the structure sums to {total:#04x}, not 0")] if total else []


DESCRIPTOR = SmbiosDescriptor(
    type=31, title=S.TYPE_NAMES[31], schema=X.bis_entry_point, spec="DSP0134 3.6.0 §7.32", min_length=0x1C,
    meanings={
        "bis_entry_16": lambda value, _context: f"{value >> 16:04X}:{value & 0xFFFF:04X}",
        "bis_entry_32": lambda value, _context: f"0x{value:08X}",
    },
    checks=(check_checksum,),
)
