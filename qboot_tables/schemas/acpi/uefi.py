"""UEFI: the UEFI ACPI Data Table, which passes data named by a GUID from the firmware to the OS."""
from construct import Bytes, GreedyBytes, Int16ul

from qboot_tables.schemas.common import table

UEFI_MIN_SIZE = 54

# UEFI Specification 2.10, Appendix O "UEFI ACPI Data Table": the header, a GUID naming the data's format
# (kept as its 16 bytes, in the GUID's own byte order), the offset of the data from the table's start, then the
# data. ACPI 6.5 §5.2.6 reserves the signature for it.
uefi = table(
    "identifier" / Bytes(16),
    "data_offset" / Int16ul,
    "data" / GreedyBytes,
)
