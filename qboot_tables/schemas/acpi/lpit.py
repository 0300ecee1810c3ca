"""LPIT: the Low Power Idle Table, the platform's low-power idle states beyond the processor's C-states."""
from enum import IntEnum, IntFlag

from construct import Construct, GreedyRange, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, table, type_length_subtable, with_extra

# Intel Low Power S0 Idle (LPIT) specification 1.0 §2.2 Table 2 Native C-state based LPI structure (type 0,
# 56 bytes). The unique ID, reserved and flags fields belong to every LPI structure's header; they come
# after the 4-byte type and length and so are the first fields of the body here.
native_cstate = with_extra(
    "unique_id" / Int16ul,
    "reserved" / Int16ul,
    "flags" / Int32ul,  # LpitFlags
    "entry_trigger" / generic_address,  # the register (usually FFH, an MWAIT hint) that enters the state
    "residency" / Int32ul,  # minimum residency worth entering the state for, in microseconds
    "latency" / Int32ul,  # worst-case exit latency, in microseconds
    "residency_counter" / generic_address,
    "counter_frequency" / Int64ul,  # Hz; 0: the TSC frequency
)


# LPIT specification 1.0 §2.2 LPI structure types; 1 and above are reserved.
class LpitType(IntEnum):
    NATIVE_CSTATE = 0


LPIT_SUBTABLES: dict[int, Construct] = {LpitType.NATIVE_CSTATE: native_cstate}

# LPIT specification 1.0 §2.1 Table 1: the header and LPI structures, each with a 4-byte type and length.
lpit = table(
    "subtables" / GreedyRange(type_length_subtable(LPIT_SUBTABLES, Int32ul, Int32ul)),
)

# The spec's name of each LPI structure type, for display.
LPIT_TYPES = {LpitType.NATIVE_CSTATE: "Native C-state"}
LPIT_SUBTABLE_SIZES = {LpitType.NATIVE_CSTATE: 56}


# LPIT specification 1.0 §2.2 Table 2 flags.
class LpitFlags(IntFlag):
    STATE_DISABLED = 1 << 0
    COUNTER_UNAVAILABLE = 1 << 1
