"""DBGP: Microsoft's Debug Port Table, the serial port a kernel debugger may use."""
from construct import Int8ul, Int24ul

from qboot_tables.schemas.common import generic_address, table

DBGP_SIZE = 52

# Microsoft "Debug Port Specification" 1.00, table 1 "Debug Port Table" (52 bytes).
dbgp = table(
    "interface_type" / Int8ul,  # DBGP_INTERFACE_TYPES
    "reserved" / Int24ul,
    "debug_port" / generic_address,  # the port's base address
)

# The same table, Interface Type; other values are reserved.
DBGP_INTERFACE_TYPES = {0: "Full 16550 interface", 1: "16550 subset (DBGP revision 1)"}
