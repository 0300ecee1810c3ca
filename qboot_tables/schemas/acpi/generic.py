"""The fallback schema for a table whose signature has no schema of its own: header and raw body."""
from construct import GreedyBytes, Struct

from qboot_tables.schemas.common import acpi_header

# ACPI 6.5 §5.2.6 System Description Table Header, then the body as it is.
generic_table = Struct(
    "header" / acpi_header,
    "body" / GreedyBytes,
)
