"""MSCT: the Maximum System Characteristics Table, the largest topology the platform can grow to."""
from construct import GreedyRange, Int8ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import table

MSCT_MIN_SIZE = 56
MSCT_ENTRY_SIZE = 22

# ACPI 6.5 §5.2.19.1 Maximum Proximity Domain Information Structure (22 bytes): the capacity of a range of
# proximity domains.
proximity_domain_information = Struct(
    "revision" / Int8ul,  # 1
    "length" / Int8ul,  # 22
    "range_start" / Int32ul,
    "range_end" / Int32ul,
    "processor_capacity" / Int32ul,  # how many processors each domain in the range can hold
    "memory_capacity" / Int64ul,  # bytes of memory each domain in the range can hold
)

# ACPI 6.5 §5.2.19 Maximum System Characteristics Table (MSCT). The structures start at proximity_offset,
# which the spec sets to 56 (0x38), right after these fields; iasl reads them from there too.
msct = table(
    "proximity_offset" / Int32ul,
    "max_proximity_domains" / Int32ul,  # the largest proximity domain number the platform can have
    "max_clock_domains" / Int32ul,
    "max_address" / Int64ul,  # the largest physical address
    "domains" / GreedyRange(proximity_domain_information),
)
