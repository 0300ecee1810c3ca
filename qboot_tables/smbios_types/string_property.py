"""SMBIOS type 46, String Property: a string that belongs to another structure, named by property ID."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle

# §7.47.1 String Property IDs (8000h-BFFFh BIOS vendor, C000h-FFFFh OEM).
PROPERTY_IDS = {0: "Reserved", 1: "UEFI device path"}


def property_id(value, _context) -> str:
    if value >= 0xC000:
        return "OEM-specific"
    if value >= 0x8000:
        return "BIOS vendor-specific"
    return PROPERTY_IDS.get(value, f"Reserved ({value})")


DESCRIPTOR = SmbiosDescriptor(
    type=46, title=S.TYPE_NAMES[46], schema=X.string_property, spec="DSP0134 3.6.0 §7.47", min_length=0x09,
    strings=frozenset({"string_property_value"}),
    meanings={"string_property_id": property_id, "parent_handle": handle},
)
