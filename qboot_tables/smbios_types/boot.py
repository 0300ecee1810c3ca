"""SMBIOS type 32, System Boot Information."""
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import enum_name
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

_boot_status = enum_name(S.BOOT_STATUS)


def boot_status(value, context) -> str:
    # §7.33: the first byte is the status code; vendor data may follow.
    return _boot_status(value[0], context) if value else ""


DESCRIPTOR = SmbiosDescriptor(
    type=32, title=S.TYPE_NAMES[32], schema=S.system_boot_information, spec="DSP0134 3.6.0 §7.33",
    min_length=0x0B, meanings={"boot_status": boot_status},
)
