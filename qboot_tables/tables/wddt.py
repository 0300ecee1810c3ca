"""WDDT: its descriptor."""
from qboot_tables.show.descriptions import bit_names
from qboot_tables.schemas.acpi.wddt import WDDT_SIZE, WddtCapabilities, WddtStatus, wddt
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="WDDT",
    title="Watchdog Timer Description Table (WDDT)",
    schema=wddt,
    spec="Intel IA-PC Watchdog Timer Description Table 1.0",
    min_length=WDDT_SIZE,
    meanings={
        (None, "status"): bit_names(WddtStatus),
        (None, "capability"): bit_names(WddtCapabilities),
    },
)
