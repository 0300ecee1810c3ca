"""SDEI: its descriptor."""
from qboot_tables.schemas.acpi.sdei import SDEI_LENGTH, sdei
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SDEI",
    title="Software Delegated Exception Interface Table (SDEI)",
    schema=sdei,
    spec="Arm Software Delegated Exception Interface (DEN 0054)",
    min_length=SDEI_LENGTH,
)
