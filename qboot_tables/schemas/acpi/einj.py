"""EINJ: the Error Injection Table, the actions OSPM runs to inject a hardware error for testing."""
from enum import IntEnum, IntFlag

from construct import GreedyRange, Int8ul, Int24ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import generic_address, table

# ACPI 6.5 §18.6.2 Injection Instruction Entries (32 bytes). ERST's serialization instruction entries
# (§18.5.2) have the same layout, with their own action and instruction codes.
instruction_entry = Struct(
    "action" / Int8ul,  # EinjAction (ErstAction in the ERST)
    "instruction" / Int8ul,  # EinjInstruction (ErstInstruction in the ERST)
    "flags" / Int8ul,  # ApeiEntryFlags
    "reserved" / Int8ul,
    "register_region" / generic_address,
    "value" / Int64ul,
    "mask" / Int64ul,
)
INSTRUCTION_ENTRY_SIZE = 32

# ACPI 6.5 §18.6.1 Error Injection Table (EINJ). Entries are fixed-size: a GreedyRange stops before a partial
# one and leaves its bytes in `extra`.
einj = table(
    "injection_header_length" / Int32ul,  # of the fields up to the entry count: 12
    "injection_flags" / Int8ul,
    "reserved" / Int24ul,
    "injection_entry_count" / Int32ul,
    "entries" / GreedyRange(instruction_entry),
)
EINJ_MIN_LENGTH = 48


# ACPI 6.5 §18.6.2 flags of an instruction entry (ERST's too).
class ApeiEntryFlags(IntFlag):
    PRESERVE_REGISTER = 1 << 0


# ACPI 6.5 §18.6.1 Error Injection Actions; the others are reserved.
class EinjAction(IntEnum):
    BEGIN_INJECTION_OPERATION = 0x0
    GET_TRIGGER_ERROR_ACTION_TABLE = 0x1
    SET_ERROR_TYPE = 0x2
    GET_ERROR_TYPE = 0x3
    END_OPERATION = 0x4
    EXECUTE_OPERATION = 0x5
    CHECK_BUSY_STATUS = 0x6
    GET_COMMAND_STATUS = 0x7
    SET_ERROR_TYPE_WITH_ADDRESS = 0x8
    GET_EXECUTE_OPERATION_TIMINGS = 0x9
    TRIGGER_ERROR = 0xFF


# ACPI 6.5 §18.6.2 Injection Instructions; the others are reserved.
class EinjInstruction(IntEnum):
    READ_REGISTER = 0x0
    READ_REGISTER_VALUE = 0x1
    WRITE_REGISTER = 0x2
    WRITE_REGISTER_VALUE = 0x3
    NOOP = 0x4
    FLUSH_CACHELINE = 0x5
