"""SMBIOS type 14, Group Associations."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle


def item_type(value, _context) -> str:
    return X.STRUCTURE_SHORT_NAMES.get(value, "OEM-specific" if value >= 128 else f"type {value}")


DESCRIPTOR = SmbiosDescriptor(
    type=14, title=S.TYPE_NAMES[14], schema=X.group_associations, spec="DSP0134 3.6.0 §7.15", min_length=0x05,
    strings=frozenset({"group_name"}), meanings={"item_type": item_type, "item_handle": handle},
)
