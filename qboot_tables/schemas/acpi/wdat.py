"""WDAT: the Watchdog Action Table, a hardware watchdog described as a list of register actions."""
from construct import GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table

# Microsoft "Hardware Watchdog Timers Design Specification" 1.00, Table 2: Watchdog Instruction Entries
# (32 bytes each).
wdat_entry = Struct(
    "watchdog_action" / Int8ul,  # WDAT_ACTIONS
    "instruction" / Int8ul,  # WDAT_INSTRUCTIONS in bits 6:0, WDAT_PRESERVE_REGISTER in bit 7
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
    "flags" / Int8ul,  # WDAT_FLAGS
    "reserved2" / Int24ul,
    "watchdog_entry_count" / Int32ul,
    "entries" / GreedyRange(wdat_entry),
)
WDAT_MIN_LENGTH = 68

# Hardware Watchdog Timers Design Specification 1.00, Table 1: Watchdog Flags, bit -> name.
WDAT_FLAGS = {0: "ENABLED", 7: "STOPPED_IN_SLEEP_STATE"}
# Table 3: Watchdog Actions, value -> name.
WDAT_ACTIONS = {
    0x1: "RESET", 0x4: "QUERY_CURRENT_COUNTDOWN_PERIOD", 0x5: "QUERY_COUNTDOWN_PERIOD",
    0x6: "SET_COUNTDOWN_PERIOD", 0x8: "QUERY_RUNNING_STATE", 0x9: "SET_RUNNING_STATE",
    0xA: "QUERY_STOPPED_STATE", 0xB: "SET_STOPPED_STATE", 0x10: "QUERY_REBOOT", 0x11: "SET_REBOOT",
    0x12: "QUERY_SHUTDOWN", 0x13: "SET_SHUTDOWN", 0x20: "QUERY_WATCHDOG_STATUS", 0x21: "SET_WATCHDOG_STATUS",
}
# Table 4: Watchdog Instructions, value -> name; bit 7 (PRESERVE_REGISTER) may be ORed into the write ones.
WDAT_INSTRUCTIONS = {0x0: "READ_VALUE", 0x1: "READ_COUNTDOWN", 0x2: "WRITE_VALUE", 0x3: "WRITE_COUNTDOWN"}
WDAT_PRESERVE_REGISTER = 0x80
