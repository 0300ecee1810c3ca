"""SMBIOS type 126, Inactive: a structure firmware has switched off in place; its body is kept as bytes."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

DESCRIPTOR = SmbiosDescriptor(
    type=126, title=S.TYPE_NAMES[126], schema=X.inactive, spec="DSP0134 3.6.0 §7.48", min_length=S.HEADER_SIZE,
)
