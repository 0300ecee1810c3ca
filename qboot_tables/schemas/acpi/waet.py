"""WAET: Microsoft's Windows ACPI Emulated Devices Table, which says which emulated devices need no workarounds."""
from enum import IntFlag

from construct import Int32ul

from qboot_tables.schemas.acpi import flag_bits
from qboot_tables.schemas.common import table

# Microsoft "Windows ACPI Emulated Devices Table" (WAET) specification 1.0, table format: header plus one
# flags word.
waet = table(
    "emulated_device_flags" / Int32ul,  # WaetFlags
)

# Emulated Device Flags. RTC_GOOD: the RTC needs no read of status register C to re-arm its
# interrupt. ACPI_PM_TIMER_GOOD: one read of the PM timer is enough (no repeated reads to get a stable value).
class WaetFlags(IntFlag):
    RTC_GOOD = 1 << 0
    ACPI_PM_TIMER_GOOD = 1 << 1


WAET_FLAGS = flag_bits(WaetFlags)  # {bit: name}
