"""WAET: its descriptor."""
from qboot_tables.show.descriptions import bit_names
from qboot_tables.schemas.acpi.waet import WaetFlags, waet
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="WAET",
    title="Windows ACPI Emulated Devices Table (WAET)",
    schema=waet,
    spec="Microsoft WAET specification 1.0",
    min_length=40,
    meanings={(None, "emulated_device_flags"): bit_names(WaetFlags)},
)
