"""SMBIOS type 36, Management Device Threshold Data."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def threshold(value, _context) -> str:
    # §7.37: signed, in the unit of the component's probe; 8000h not available.
    if value == 0x8000:
        return "not available"
    return str(value - 0x10000 if value & 0x8000 else value)


DESCRIPTOR = SmbiosDescriptor(
    type=36, title=S.TYPE_NAMES[36], schema=X.management_device_threshold, spec="DSP0134 3.6.0 §7.37",
    min_length=0x10,
    meanings={sub.name: threshold for sub in X.management_device_threshold.subcons if sub.name != "extra"},
)
