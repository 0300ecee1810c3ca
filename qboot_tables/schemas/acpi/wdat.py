"""WDAT: the Watchdog Action Table, a hardware watchdog described as a list of register actions."""
from enum import IntEnum, IntFlag

from construct import GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table

# Microsoft "Hardware Watchdog Timers Design Specification" 1.00, Table 2: Watchdog Instruction Entries
# (32 bytes each).
wdat_entry = Struct(
    "watchdog_action" / Int8ul,  # WdatAction
    "instruction" / Int8ul,  # WdatInstruction in bits 6:0, WdatInstructionFlags in bit 7
    "reserved" / Int16ul,
    "register_region" / generic_address,
    "value" / Int32ul,
    "register_mask" / Int32ul,
)
WDAT_ENTRY_SIZE = 32

# Microsoft "Hardware Watchdog Timers Design Specification" 1.00, Table 1: Watchdog Action Table (WDAT). The
# entries are fixed-size, so a GreedyRange stops before a partial one and leaves its bytes in `extra`.
wdat = table(
    "header_length" / Int32ul,  # of the watchdog header that follows the ACPI header: 32
    "pci_segment" / Int16ul,  # 0xFF in segment, bus, device and function: not a PCI device
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
    "reserved" / Int24ul,
    "timer_period" / Int32ul,  # milliseconds per count
    "max_count" / Int32ul,
    "min_count" / Int32ul,
    "flags" / Int8ul,  # WdatFlags
    "reserved2" / Int24ul,
    "watchdog_entry_count" / Int32ul,
    "entries" / GreedyRange(wdat_entry),
)
WDAT_MIN_LENGTH = 68



# Hardware Watchdog Timers Design Specification 1.00, Table 1: Watchdog Flags.
class WdatFlags(IntFlag):
    ENABLED = 1 << 0
    STOPPED_IN_SLEEP_STATE = 1 << 7


# Table 3: Watchdog Actions; the others are reserved.
class WdatAction(IntEnum):
    RESET = 0x1
    QUERY_CURRENT_COUNTDOWN_PERIOD = 0x4
    QUERY_COUNTDOWN_PERIOD = 0x5
    SET_COUNTDOWN_PERIOD = 0x6
    QUERY_RUNNING_STATE = 0x8
    SET_RUNNING_STATE = 0x9
    QUERY_STOPPED_STATE = 0xA
    SET_STOPPED_STATE = 0xB
    QUERY_REBOOT = 0x10
    SET_REBOOT = 0x11
    QUERY_SHUTDOWN = 0x12
    SET_SHUTDOWN = 0x13
    QUERY_WATCHDOG_STATUS = 0x20
    SET_WATCHDOG_STATUS = 0x21


# Table 4: Watchdog Instructions, in bits 6:0; the others are reserved.
class WdatInstruction(IntEnum):
    READ_VALUE = 0x0
    READ_COUNTDOWN = 0x1
    WRITE_VALUE = 0x2
    WRITE_COUNTDOWN = 0x3


# Table 4: bit 7 of the instruction, which may be ORed into the write ones.
class WdatInstructionFlags(IntFlag):
    PRESERVE_REGISTER = 1 << 7
