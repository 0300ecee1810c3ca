"""RASF: its descriptor."""
from qboot_tables.schemas.acpi.rasf import RASF_LENGTH, rasf
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="RASF",
    title="ACPI RAS Feature Table (RASF)",
    schema=rasf,
    spec="ACPI 6.5 §5.2.20",
    min_length=RASF_LENGTH,
)
