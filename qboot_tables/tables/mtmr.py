"""MTMR: its descriptor."""
from qboot_tables.schemas.acpi.mtmr import mtmr
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="MTMR",
    title="MID Timer Table (MTMR)",
    schema=mtmr,
    spec="Intel Simple Firmware Interface Specification 0.8.2, MTMR",
    items="20-byte entry",
)
