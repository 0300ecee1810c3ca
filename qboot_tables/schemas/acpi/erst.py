"""ERST: the Error Record Serialization Table, the actions OSPM runs to save error records in persistent
storage."""
from enum import IntEnum

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


# ACPI 6.5 §18.5.1 Error Record Serialization Actions; the others are reserved.
class ErstAction(IntEnum):
    BEGIN_WRITE_OPERATION = 0x0
    BEGIN_READ_OPERATION = 0x1
    BEGIN_CLEAR_OPERATION = 0x2
    END_OPERATION = 0x3
    SET_RECORD_OFFSET = 0x4
    EXECUTE_OPERATION = 0x5
    CHECK_BUSY_STATUS = 0x6
    GET_COMMAND_STATUS = 0x7
    GET_RECORD_IDENTIFIER = 0x8
    SET_RECORD_IDENTIFIER = 0x9
    GET_RECORD_COUNT = 0xA
    BEGIN_DUMMY_WRITE_OPERATION = 0xB
    GET_ERROR_LOG_ADDRESS_RANGE = 0xD
    GET_ERROR_LOG_ADDRESS_RANGE_LENGTH = 0xE
    GET_ERROR_LOG_ADDRESS_RANGE_ATTRIBUTES = 0xF
    GET_EXECUTE_OPERATION_TIMINGS = 0x10


# ACPI 6.5 §18.5.2 Serialization Instructions; the others are reserved.
class ErstInstruction(IntEnum):
    READ_REGISTER = 0x00
    READ_REGISTER_VALUE = 0x01
    WRITE_REGISTER = 0x02
    WRITE_REGISTER_VALUE = 0x03
    NOOP = 0x04
    LOAD_VAR1 = 0x05
    LOAD_VAR2 = 0x06
    STORE_VAR1 = 0x07
    ADD = 0x08
    SUBTRACT = 0x09
    ADD_VALUE = 0x0A
    SUBTRACT_VALUE = 0x0B
    STALL = 0x0C
    STALL_WHILE_TRUE = 0x0D
    SKIP_NEXT_INSTRUCTION_IF_TRUE = 0x0E
    GOTO = 0x0F
    SET_SRC_ADDRESS_BASE = 0x10
    SET_DST_ADDRESS_BASE = 0x11
    MOVE_DATA = 0x12
