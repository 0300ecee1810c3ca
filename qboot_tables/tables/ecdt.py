"""ECDT: its descriptor."""
from qboot_tables.schemas.acpi.ecdt import ECDT_MIN_SIZE, ecdt
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="ECDT",
    title="Embedded Controller Boot Resources Table (ECDT)",
    schema=ecdt,
    spec="ACPI 6.5 §5.2.15",
    min_length=ECDT_MIN_SIZE,
)
