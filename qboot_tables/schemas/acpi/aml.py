"""DSDT and SSDT: definition blocks, a header followed by AML byte code kept as raw bytes."""
from construct import GreedyBytes, Struct

from qboot_tables.schemas.common import acpi_header

# ACPI 6.5 §5.2.11.1 Differentiated System Description Table (DSDT) and §5.2.11.2 Secondary System Description
# Table (SSDT): the same layout. The AML is disassembled by iasl, not here.
aml_table = Struct(
    "header" / acpi_header,
    "aml" / GreedyBytes,
)
