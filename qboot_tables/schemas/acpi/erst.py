"""ERST: the Error Record Serialization Table, the actions OSPM runs to save error records in persistent
storage."""
from construct import GreedyRange, Int32ul

from qboot_tables.schemas.acpi.einj import instruction_entry
from qboot_tables.schemas.common import table

# ACPI 6.5 §18.5 Error Record Serialization Table (ERST). The entries (§18.5.2 Serialization Instruction
# Entries) have the same 32-byte layout as EINJ's.
erst = table(
    "serialization_header_length" / Int32ul,  # of the fields up to the entry count: 12
    "reserved" / Int32ul,
    "instruction_entry_count" / Int32ul,
    "entries" / GreedyRange(instruction_entry),
)
ERST_MIN_LENGTH = 48

# ACPI 6.5 §18.5.1 Error Record Serialization Actions, value -> name.
ERST_ACTIONS = {
    0x0: "BEGIN_WRITE_OPERATION", 0x1: "BEGIN_READ_OPERATION", 0x2: "BEGIN_CLEAR_OPERATION",
    0x3: "END_OPERATION", 0x4: "SET_RECORD_OFFSET", 0x5: "EXECUTE_OPERATION", 0x6: "CHECK_BUSY_STATUS",
    0x7: "GET_COMMAND_STATUS", 0x8: "GET_RECORD_IDENTIFIER", 0x9: "SET_RECORD_IDENTIFIER",
    0xA: "GET_RECORD_COUNT", 0xB: "BEGIN_DUMMY_WRITE_OPERATION", 0xD: "GET_ERROR_LOG_ADDRESS_RANGE",
    0xE: "GET_ERROR_LOG_ADDRESS_RANGE_LENGTH", 0xF: "GET_ERROR_LOG_ADDRESS_RANGE_ATTRIBUTES",
    0x10: "GET_EXECUTE_OPERATION_TIMINGS",
}
# ACPI 6.5 §18.5.2 Serialization Instructions, value -> name.
ERST_INSTRUCTIONS = {
    0x00: "READ_REGISTER", 0x01: "READ_REGISTER_VALUE", 0x02: "WRITE_REGISTER", 0x03: "WRITE_REGISTER_VALUE",
    0x04: "NOOP", 0x05: "LOAD_VAR1", 0x06: "LOAD_VAR2", 0x07: "STORE_VAR1", 0x08: "ADD", 0x09: "SUBTRACT",
    0x0A: "ADD_VALUE", 0x0B: "SUBTRACT_VALUE", 0x0C: "STALL", 0x0D: "STALL_WHILE_TRUE",
    0x0E: "SKIP_NEXT_INSTRUCTION_IF_TRUE", 0x0F: "GOTO", 0x10: "SET_SRC_ADDRESS_BASE",
    0x11: "SET_DST_ADDRESS_BASE", 0x12: "MOVE_DATA",
}
