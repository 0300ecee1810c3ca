"""XENV: the Xen Environment Table, the grant table and event channel interrupt of a Xen guest."""
from construct import Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table

XENV_SIZE = 57

# "Xen Environment Table (XENV)" (Xen project, linked from the ACPI 6.5 §5.2.6 signature table), 57 bytes.
xenv = table(
    "grant_table_address" / Int64ul,
    "grant_table_size" / Int64ul,
    "event_interrupt" / Int32ul,  # GSI of the event channel upcall
    "event_flags" / Int8ul,  # XENV_EVENT_FLAGS
)

# Event Interrupt Flags, bit -> name (the same meaning as in the MADT's interrupt flags).
XENV_EVENT_FLAGS = {0: "EDGE_TRIGGERED", 1: "ACTIVE_LOW"}
