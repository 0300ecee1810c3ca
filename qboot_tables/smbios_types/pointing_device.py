"""SMBIOS type 21, Built-in Pointing Device."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

DESCRIPTOR = SmbiosDescriptor(
    type=21, title=S.TYPE_NAMES[21], schema=X.pointing_device, spec="DSP0134 3.6.0 §7.22", min_length=0x07,
    enums={"pointing_type": X.POINTING_DEVICE_TYPES, "interface": X.POINTING_DEVICE_INTERFACES},
)
