"""VRTC: Intel's Virtual Real Time Clock table (Moorestown/Medfield SFI platforms), the RTCs the OS may use."""
from construct import GreedyRange, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table

VRTC_ENTRY_SIZE = 16

# Intel "Simple Firmware Interface Specification" draft 0.8.2 (2010), its MRTC table, which the ACPI VRTC copies
# (ACPICA actbl3.h): 16-byte entries of a register address and an IRQ.
vrtc_entry = Struct(
    "physical_address" / generic_address,
    "irq" / Int32ul,
)
vrtc = table(
    "entries" / GreedyRange(vrtc_entry),
)
