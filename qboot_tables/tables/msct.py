"""MSCT: its descriptor."""
from qboot_tables.show.descriptions import byte_size
from qboot_tables.schemas.acpi.msct import MSCT_MIN_SIZE, msct
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="MSCT",
    title="Maximum System Characteristics Table (MSCT)",
    schema=msct,
    spec="ACPI 6.5 §5.2.19",
    min_length=MSCT_MIN_SIZE,
    meanings={(None, "memory_capacity"): byte_size},
    items="22-byte proximity domain structure",
)
