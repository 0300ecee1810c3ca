"""SMBIOS type 25, System Power Controls."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def bcd(value, _context) -> str:
    # §7.26: each field is BCD; FFh (or any non-BCD value) means "every".
    if value > 0x99 or value & 0xF > 9:
        return "*"
    return f"{value:02x}"


DESCRIPTOR = SmbiosDescriptor(
    type=25, title=S.TYPE_NAMES[25], schema=X.system_power_controls, spec="DSP0134 3.6.0 §7.26", min_length=0x09,
    meanings={name.name: bcd for name in X.system_power_controls.subcons if name.name != "extra"},
)
