"""DBGP: Microsoft's Debug Port Table, the serial port a kernel debugger may use."""
from enum import IntEnum

from construct import Int8ul, Int24ul

from qboot_tables.schemas.common import generic_address, table

DBGP_SIZE = 52

# Microsoft "Debug Port Specification" 1.00, table 1 "Debug Port Table" (52 bytes).
dbgp = table(
    "interface_type" / Int8ul,  # DbgpInterfaceType
    "reserved" / Int24ul,
    "debug_port" / generic_address,  # the port's base address
)


# The same table, Interface Type; other values are reserved.
class DbgpInterfaceType(IntEnum):
    FULL_16550 = 0
    SUBSET_16550 = 1


# The spec's name of each interface type, for display.
DBGP_INTERFACE_TYPES = {DbgpInterfaceType.FULL_16550: "Full 16550 interface",
                        DbgpInterfaceType.SUBSET_16550: "16550 subset (DBGP revision 1)"}
