"""FACS: the Firmware ACPI Control Structure, which has no standard header and no checksum."""
from construct import Bytes, GreedyBytes, Int8ul, Int32ul, Int64ul, Struct

FACS_SIZE = 64

# ACPI 6.5 §5.2.10 Firmware ACPI Control Structure (FACS), Table 5.14.
facs = Struct(
    "signature" / Bytes(4),
    "length" / Int32ul,
    "hardware_signature" / Int32ul,
    "firmware_waking_vector" / Int32ul,
    "global_lock" / Int32ul,
    "flags" / Int32ul,
    "x_firmware_waking_vector" / Int64ul,
    "version" / Int8ul,
    "reserved1" / Bytes(3),
    "ospm_flags" / Int32ul,
    "reserved2" / Bytes(24),
    "extra" / GreedyBytes,
)
