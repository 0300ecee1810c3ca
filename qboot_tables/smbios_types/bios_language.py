"""SMBIOS type 13, BIOS Language Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.oem_strings import string_count_check

DESCRIPTOR = SmbiosDescriptor(
    type=13, title=S.TYPE_NAMES[13], schema=X.bios_language, spec="DSP0134 3.6.0 §7.14", min_length=0x16,
    strings=frozenset({"current_language"}),
    meanings={
        # §7.14: the installable languages are the first strings of the set.
        "installable_languages": lambda value, _context: str(value),
        # bit 0: "enUS" rather than "en|US|iso8859-1".
        "flags": lambda value, _context: "Abbreviated" if value & 1 else "Long",
    },
    checks=(string_count_check("installable_languages"),),
)

