"""UEFI: its descriptor."""
import uuid

from qboot_tables.schemas.acpi.uefi import UEFI_MIN_SIZE, uefi
from qboot_tables.tables.descriptor import TableDescriptor


def guid(value, _context) -> str:
    """A GUID's 16 bytes in the usual text form (the first three groups are stored little-endian)."""
    return str(uuid.UUID(bytes_le=bytes(value))).upper()


DESCRIPTOR = TableDescriptor(
    signature="UEFI",
    title="UEFI ACPI Data Table (UEFI)",
    schema=uefi,
    spec="UEFI Specification 2.10 Appendix O",
    min_length=UEFI_MIN_SIZE,
    meanings={(None, "identifier"): guid},
)
