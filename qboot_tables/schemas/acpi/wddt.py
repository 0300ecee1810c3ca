"""WDDT: Intel's Watchdog Timer Description Table, a hardware watchdog and its state."""
from enum import IntFlag

from construct import Int16ul

from qboot_tables.schemas.common import generic_address, table

WDDT_SIZE = 64

# Intel "IA-PC Watchdog Timer Description Table (WDDT)" 1.0, table 1 (64 bytes).
wddt = table(
    "spec_version" / Int16ul,  # BCD
    "table_version" / Int16ul,
    "pci_vendor_id" / Int16ul,
    "timer_register" / generic_address,  # the watchdog's base address
    "max_count" / Int16ul,
    "min_count" / Int16ul,
    "period" / Int16ul,  # how long one count is
    "status" / Int16ul,  # WddtStatus
    "capability" / Int16ul,  # WddtCapabilities
)



# The same table, Status.
class WddtStatus(IntFlag):
    AVAILABLE = 1 << 0
    ACTIVE = 1 << 1
    OS_OWNS = 1 << 2
    USER_RESET = 1 << 11
    WDT_TIMEOUT_RESET = 1 << 12
    POWER_FAIL_RESET = 1 << 13
    UNKNOWN_RESET = 1 << 14


# The same table, Capability.
class WddtCapabilities(IntFlag):
    AUTO_RESET = 1 << 0
    ALERT_SUPPORT = 1 << 1
