"""SMBIOS type 30, Out-of-Band Remote Access."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import packed

_enabled = {0: "Disabled", 1: "Enabled"}

DESCRIPTOR = SmbiosDescriptor(
    type=30, title=S.TYPE_NAMES[30], schema=X.out_of_band_remote_access, spec="DSP0134 3.6.0 §7.31",
    min_length=0x06, strings=frozenset({"manufacturer_name"}),
    meanings={"connections": packed(("Inbound Connection", 0, 1, _enabled), ("Outbound Connection", 1, 1, _enabled))},
)
