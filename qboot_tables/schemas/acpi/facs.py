"""FACS: the Firmware ACPI Control Structure, which has no standard header and no checksum."""
from enum import IntFlag

from construct import Bytes, GreedyBytes, Int8ul, Int32ul, Int64ul, Struct

FACS_SIZE = 64

# ACPI 6.5 §5.2.10 Firmware ACPI Control Structure (FACS), Table 5.14.
facs = Struct(
    "signature" / Bytes(4),
    "length" / Int32ul,
    "hardware_signature" / Int32ul,
    "firmware_waking_vector" / Int32ul,
    "global_lock" / Int32ul,
    "flags" / Int32ul,  # FacsFlags
    "x_firmware_waking_vector" / Int64ul,
    "version" / Int8ul,
    "reserved1" / Bytes(3),
    "ospm_flags" / Int32ul,
    "reserved2" / Bytes(24),
    "extra" / GreedyBytes,
)


# ACPI 6.5 §5.2.10 Table 5.15, Firmware Control Structure Feature Flags. The spec's name of bit 1,
# 64BIT_WAKE_SUPPORTED_F, is no identifier, so the names shown stay in FACS_FLAGS.
class FacsFlags(IntFlag):
    S4BIOS_F = 1 << 0
    WAKE_64BIT_SUPPORTED_F = 1 << 1


FACS_FLAGS = {0: "S4BIOS_F", 1: "64BIT_WAKE_SUPPORTED_F"}
