"""CPEP: the Corrected Platform Error Polling Table, the processors OSPM polls for corrected platform errors."""
from construct import GreedyRange, Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.18.1 Corrected Platform Error Polling Processor Structure (type 0, 8 bytes)
cpep_processor = with_extra(
    "processor_id" / Int8ul,
    "processor_eid" / Int8ul,
    "polling_interval" / Int32ul,  # milliseconds
)
CPEP_SUBTABLES = {0: cpep_processor}

# ACPI 6.5 §5.2.18 Corrected Platform Error Polling Table (CPEP)
cpep = table(
    "reserved" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(CPEP_SUBTABLES)),
)
CPEP_MIN_LENGTH = 44
CPEP_TYPES = {0: "Processor"}
CPEP_SUBTABLE_SIZES = {0: 8}
