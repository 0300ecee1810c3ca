"""WDRT: Microsoft's Watchdog Resource Table, a hardware watchdog timer's registers and limits."""
from enum import IntEnum

from construct import Int8ul, Int16ul

from qboot_tables.schemas.common import generic_address, table

WDRT_SIZE = 71

# Microsoft "Watchdog Resource Table (WDRT)" specification 1.0, table 1 (71 bytes). The PCI fields are all 0xFF
# when the watchdog is not a PCI device.
wdrt = table(
    "control_register" / generic_address,
    "count_register" / generic_address,
    "pci_device_id" / Int16ul,
    "pci_vendor_id" / Int16ul,
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
    "pci_segment" / Int8ul,
    "max_count" / Int16ul,  # the largest value the count register takes
    "units" / Int8ul,  # WdrtUnits
)



# The same table, Units: how long one count is; other values are reserved.
class WdrtUnits(IntEnum):
    SECOND_1 = 0
    MILLISECONDS_100 = 1
    MILLISECONDS_10 = 2


# The meaning of each unit, for display.
WDRT_UNITS = {WdrtUnits.SECOND_1: "1 second per count", WdrtUnits.MILLISECONDS_100: "100 ms per count",
              WdrtUnits.MILLISECONDS_10: "10 ms per count"}
