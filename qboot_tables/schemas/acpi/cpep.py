"""CPEP: the Corrected Platform Error Polling Table, the processors OSPM polls for corrected platform errors."""
from enum import IntEnum

from construct import Construct, GreedyRange, Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.18.1 Corrected Platform Error Polling Processor Structure (type 0, 8 bytes)
cpep_processor = with_extra(
    "processor_id" / Int8ul,
    "processor_eid" / Int8ul,
    "polling_interval" / Int32ul,  # milliseconds
)


# ACPI 6.5 §5.2.18 Table 5.106 CPEP structure types; 1 and above are reserved.
class CpepType(IntEnum):
    PROCESSOR = 0


CPEP_SUBTABLES: dict[int, Construct] = {CpepType.PROCESSOR: cpep_processor}

# ACPI 6.5 §5.2.18 Corrected Platform Error Polling Table (CPEP)
cpep = table(
    "reserved" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(CPEP_SUBTABLES)),
)
CPEP_MIN_LENGTH = 44
# The spec's name of each structure type, for display.
CPEP_TYPES = {CpepType.PROCESSOR: "Processor"}
CPEP_SUBTABLE_SIZES = {CpepType.PROCESSOR: 8}
