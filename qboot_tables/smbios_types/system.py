"""SMBIOS type 1, System Information."""
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def uuid_meaning(value, _context) -> str:
    # §7.2.1: since 2.6 the first three fields are little-endian; QEMU 7.2 declares 2.8 or 3.0.
    if value == bytes(16):
        return "not present"
    if value == b"\xff" * 16:
        return "not set"
    import uuid  # only when a UUID is shown: the import is a noticeable part of a whole dump's run time

    return str(uuid.UUID(bytes_le=bytes(value)))


DESCRIPTOR = SmbiosDescriptor(
    type=1, title=S.TYPE_NAMES[1], schema=S.system_information, spec="DSP0134 3.6.0 §7.2",
    min_length=0x08,
    strings=frozenset({"manufacturer", "product_name", "version", "serial_number", "sku_number", "family"}),
    meanings={"uuid": uuid_meaning}, enums={"wake_up_type": S.WAKE_UP_TYPES},
)
