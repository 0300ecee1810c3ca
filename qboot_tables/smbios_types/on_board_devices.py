"""SMBIOS type 10, On Board Devices Information (obsolete since 3.2, replaced by type 41)."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def device_type(value, _context) -> str:
    # §7.11.1: bit 7 says whether the device is enabled, bits 6:0 what it is.
    kind = X.ONBOARD_DEVICE_TYPES.get(value & 0x7F, f"out of spec ({value & 0x7F})")
    return f"{kind}, {'Enabled' if value & 0x80 else 'Disabled'}"


DESCRIPTOR = SmbiosDescriptor(
    type=10, title=S.TYPE_NAMES[10], schema=X.on_board_devices, spec="DSP0134 3.6.0 §7.11", min_length=0x04,
    strings=frozenset({"description"}), meanings={"device_type": device_type},
)
