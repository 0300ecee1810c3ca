"""SMBIOS type 6, Memory Module Information (obsolete since 2.1)."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import names_of_bits


def module_size(value, _context) -> str:
    # §7.7.2: bits 6:0 are n for 2^n MB, 7Dh not determinable, 7Eh disabled, 7Fh not installed; bit 7 double bank.
    size = value & 0x7F
    special = {0x7D: "Not Determinable", 0x7E: "Disabled", 0x7F: "Not Installed"}
    text = special.get(size, f"{1 << size} MB")
    if size not in special:
        text += " (Double-bank Connection)" if value & 0x80 else " (Single-bank Connection)"
    return text


def bank_connections(value, _context) -> str:
    # §7.7: one RAS# line per nibble; Fh means no connection.
    lines = [str(nibble) for nibble in (value >> 4, value & 0xF) if nibble != 0xF]
    return " ".join(lines) if lines else "None"


def error_status(value, _context) -> str:
    # §7.7.3: bit 2 says the errors are in the event log; bits 1:0 otherwise.
    if value & 4:
        return "See Event Log"
    return X.MEMORY_MODULE_ERRORS[value & 3]


DESCRIPTOR = SmbiosDescriptor(
    type=6, title=S.TYPE_NAMES[6], schema=X.memory_module, spec="DSP0134 3.6.0 §7.7", min_length=0x0C,
    strings=frozenset({"socket_designation"}),
    meanings={
        "bank_connections": bank_connections,
        "current_speed": lambda value, _context: f"{value} ns" if value else "Unknown",
        "current_memory_type": names_of_bits(X.MEMORY_MODULE_TYPES),
        "installed_size": module_size, "enabled_size": module_size, "error_status": error_status,
    },
)
