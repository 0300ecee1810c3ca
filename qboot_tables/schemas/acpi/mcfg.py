"""MCFG: the PCI Express memory-mapped configuration space table, one allocation per segment and bus range."""
from construct import Bytes, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import table

# PCI Firmware Specification 3.0 §4.1.2, Table 4-3: Configuration Space Base Address Allocation Structure.
mcfg_allocation = Struct(
    "base_address" / Int64ul,  # ECAM base; Linux (arch/x86/pci/mmconfig-shared.c) takes it as bus 0's address
    "pci_segment" / Int16ul,
    "start_bus" / Int8ul,
    "end_bus" / Int8ul,
    "reserved" / Int32ul,
)
MCFG_ALLOCATION_SIZE = 16

# PCI Firmware Specification 3.0 §4.1.2, Table 4-2: MCFG Table. Allocations are fixed-size, so a GreedyRange
# stops before a partial one and leaves those bytes in `extra`.
mcfg = table(
    "reserved" / Bytes(8),
    "allocations" / GreedyRange(mcfg_allocation),
)
