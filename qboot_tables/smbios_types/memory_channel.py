"""SMBIOS type 37, Memory Channel."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle

DESCRIPTOR = SmbiosDescriptor(
    type=37, title=S.TYPE_NAMES[37], schema=X.memory_channel, spec="DSP0134 3.6.0 §7.38", min_length=0x07,
    meanings={"handle": handle}, enums={"channel_type": X.MEMORY_CHANNEL_TYPES},
)
