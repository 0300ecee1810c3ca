"""SMBIOS type 24, Hardware Security."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import packed

# §7.25: four 2-bit statuses, the power-on password in the top bits.
settings = packed(
    ("Power-On Password Status", 6, 2, X.HARDWARE_SECURITY_STATUS),
    ("Keyboard Password Status", 4, 2, X.HARDWARE_SECURITY_STATUS),
    ("Administrator Password Status", 2, 2, X.HARDWARE_SECURITY_STATUS),
    ("Front Panel Reset Status", 0, 2, X.HARDWARE_SECURITY_STATUS),
)

DESCRIPTOR = SmbiosDescriptor(
    type=24, title=S.TYPE_NAMES[24], schema=X.hardware_security, spec="DSP0134 3.6.0 §7.25", min_length=0x05,
    meanings={"hardware_security_settings": settings},
)
