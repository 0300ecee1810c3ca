"""XENV: the Xen Environment Table, the grant table and event channel interrupt of a Xen guest."""
from enum import IntFlag

from construct import Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table

XENV_SIZE = 57

# "Xen Environment Table (XENV)" (Xen project, linked from the ACPI 6.5 §5.2.6 signature table), 57 bytes.
xenv = table(
    "grant_table_address" / Int64ul,
    "grant_table_size" / Int64ul,
    "event_interrupt" / Int32ul,  # GSI of the event channel upcall
    "event_flags" / Int8ul,  # XenvEventFlags
)



# Event Interrupt Flags (the same meaning as in the MADT's interrupt flags).
class XenvEventFlags(IntFlag):
    EDGE_TRIGGERED = 1 << 0
    ACTIVE_LOW = 1 << 1
