"""WDDT: Intel's Watchdog Timer Description Table, a hardware watchdog and its state."""
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
    "status" / Int16ul,  # WDDT_STATUS
    "capability" / Int16ul,  # WDDT_CAPABILITIES
)

# The same table, Status and Capability, bit -> name.
WDDT_STATUS = {0: "AVAILABLE", 1: "ACTIVE", 2: "OS_OWNS", 11: "USER_RESET", 12: "WDT_TIMEOUT_RESET",
               13: "POWER_FAIL_RESET", 14: "UNKNOWN_RESET"}
WDDT_CAPABILITIES = {0: "AUTO_RESET", 1: "ALERT_SUPPORT"}
