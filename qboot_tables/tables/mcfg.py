"""MCFG: its descriptor."""
from qboot_tables.schemas.acpi.mcfg import mcfg
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="MCFG",
    title="PCI Express Memory-mapped Configuration Table (MCFG)",
    schema=mcfg,
    spec="PCI Firmware Specification 3.0 §4.1.2",
    min_length=44,
    subtables=Subtables(field="allocations"),
    items="allocation",
)
