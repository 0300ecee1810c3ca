"""BERT: the Boot Error Record Table, which points at the errors left from the previous boot."""
from construct import Int32ul, Int64ul

from qboot_tables.schemas.common import table

# ACPI 6.5 §18.3.1 Boot Error Record Table (BERT), 48 bytes.
bert = table(
    "boot_error_region_length" / Int32ul,
    "boot_error_region" / Int64ul,  # physical address of the Boot Error Region (a Generic Error Status Block)
)
BERT_LENGTH = 48
