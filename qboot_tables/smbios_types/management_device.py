"""SMBIOS type 34, Management Device."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32

DESCRIPTOR = SmbiosDescriptor(
    type=34, title=S.TYPE_NAMES[34], schema=X.management_device, spec="DSP0134 3.6.0 §7.35", min_length=0x0B,
    strings=frozenset({"description"}), meanings={"address": hex32},
    enums={"device_type": X.MANAGEMENT_DEVICE_TYPES, "address_type": X.MANAGEMENT_DEVICE_ADDRESS_TYPES},
)
