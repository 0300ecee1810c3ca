"""SMBIOS type 2, Baseboard (or Module) Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle, names_of_bits

DESCRIPTOR = SmbiosDescriptor(
    type=2, title=S.TYPE_NAMES[2], schema=X.baseboard, spec="DSP0134 3.6.0 §7.3", min_length=0x08,
    strings=frozenset({"manufacturer", "product", "version", "serial_number", "asset_tag", "location_in_chassis"}),
    meanings={"feature_flags": names_of_bits(X.BASEBOARD_FEATURES), "chassis_handle": handle,
              "contained_object_handles": handle},
    enums={"board_type": X.BOARD_TYPES},
)
