"""BOOT: its descriptor."""
from qboot_tables.schemas.acpi.boot import BOOT_SIZE, boot
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="BOOT",
    title="Simple Boot Flag Table (BOOT)",
    schema=boot,
    spec="Microsoft Simple Boot Flag Specification 2.1 §3",
    min_length=BOOT_SIZE,
)
