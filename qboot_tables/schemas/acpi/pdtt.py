"""PDTT: the Platform Debug Trigger Table, the PCC subchannels OSPM uses to trigger platform debug captures."""
from enum import IntFlag

from construct import Bytes, GreedyRange, Int8ul, Int24ul, Int32ul, Optional, Struct

from qboot_tables.schemas.common import table

PDTT_FIXED_END = 44  # where the fixed fields end, and where the identifier array normally starts

# ACPI 6.5 §5.2.29.1 Platform Debug Trigger Identifier (2 bytes): the PCC subchannel, then flags in bits 8-10
# of the 16-bit identifier, here kept as the second byte.
pdtt_trigger = Struct(
    "subchannel_id" / Int8ul,
    "flags" / Int8ul,  # PdttTriggerFlags
)

# ACPI 6.5 §5.2.29 Platform Debug Trigger Table (PDTT). The identifiers start at `trigger_identifier_array_offset`
# from the start of the table; any bytes between the fixed fields and there stay in `padding` (left out, with the
# rest in `extra`, when the offset is past the table's end).
pdtt = table(
    "trigger_count" / Int8ul,
    "reserved" / Int24ul,
    "trigger_identifier_array_offset" / Int32ul,
    "padding" / Optional(Bytes(lambda this: max(0, this.trigger_identifier_array_offset - PDTT_FIXED_END))),
    "triggers" / GreedyRange(pdtt_trigger),
)



# ACPI 6.5 §5.2.29.1 flags of a trigger identifier (bits 8-10 of it, bits 0-2 here).
class PdttTriggerFlags(IntFlag):
    RUNTIME_TRIGGER = 1 << 0
    WAIT_FOR_COMPLETION = 1 << 1
    TRIGGER_ORDER = 1 << 2
