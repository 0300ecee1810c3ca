"""LPIT: the Low Power Idle Table, the platform's low-power idle states beyond the processor's C-states."""
from construct import GreedyRange, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, table, type_length_subtable, with_extra

# Intel Low Power S0 Idle (LPIT) specification 1.0 §2.2 Table 2 Native C-state based LPI structure (type 0,
# 56 bytes). The unique ID, reserved and flags fields belong to every LPI structure's header; they come
# after the 4-byte type and length and so are the first fields of the body here.
native_cstate = with_extra(
    "unique_id" / Int16ul,
    "reserved" / Int16ul,
    "flags" / Int32ul,  # LPIT_FLAGS
    "entry_trigger" / generic_address,  # the register (usually FFH, an MWAIT hint) that enters the state
    "residency" / Int32ul,  # minimum residency worth entering the state for, in microseconds
    "latency" / Int32ul,  # worst-case exit latency, in microseconds
    "residency_counter" / generic_address,
    "counter_frequency" / Int64ul,  # Hz; 0: the TSC frequency
)

LPIT_SUBTABLES = {0: native_cstate}

# LPIT specification 1.0 §2.1 Table 1: the header and LPI structures, each with a 4-byte type and length.
lpit = table(
    "subtables" / GreedyRange(type_length_subtable(LPIT_SUBTABLES, Int32ul, Int32ul)),
)

# LPIT specification 1.0 §2.2 LPI structure types; 1 and above are reserved.
LPIT_TYPES = {0: "Native C-state"}
LPIT_SUBTABLE_SIZES = {0: 56}
# LPIT specification 1.0 §2.2 Table 2 flags, bit -> name.
LPIT_FLAGS = {0: "STATE_DISABLED", 1: "COUNTER_UNAVAILABLE"}
