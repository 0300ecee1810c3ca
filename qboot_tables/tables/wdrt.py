"""WDRT: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.wdrt import WDRT_SIZE, WDRT_UNITS, wdrt
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="WDRT",
    title="Watchdog Resource Table (WDRT)",
    schema=wdrt,
    spec="Microsoft Watchdog Resource Table (WDRT) specification 1.0",
    min_length=WDRT_SIZE,
    meanings={(None, "units"): enum_name(WDRT_UNITS, "Reserved")},
)
