"""MTMR: Intel's MID Timer table (Moorestown/Medfield SFI platforms), the platform's timers."""
from construct import GreedyRange, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table

MTMR_ENTRY_SIZE = 20

# Intel "Simple Firmware Interface Specification" draft 0.8.2 (2010), its MTMR table, which the ACPI MTMR copies
# (ACPICA actbl2.h): 20-byte entries of a register address, a frequency and an IRQ.
mtmr_entry = Struct(
    "physical_address" / generic_address,
    "frequency" / Int32ul,  # Hz
    "irq" / Int32ul,
)
mtmr = table(
    "entries" / GreedyRange(mtmr_entry),
)
