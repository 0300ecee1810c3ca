"""FPDT and S3PT: the Firmware Performance Data Table, and the S3 Performance Table its pointer record names.

Both hold performance records with the same 4-byte header: a 2-byte type, a 1-byte length that counts the
header, and a 1-byte revision (ACPI 6.5 §5.2.24.1, Performance Record Format). The revision is the first field
of each record's body here.
"""
from enum import IntEnum

from construct import Bytes, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.24.4 Firmware Basic Boot Performance Pointer Record (type 0, 16 bytes): where the Firmware
# Basic Boot Performance Table (FBPT) is in memory.
boot_performance_pointer = with_extra(
    "revision" / Int8ul,
    "reserved" / Int32ul,
    "address" / Int64ul,  # FBPT address
)

# ACPI 6.5 §5.2.24.5 S3 Performance Table Pointer Record (type 1, 16 bytes): where the S3PT is in memory.
s3_performance_pointer = with_extra(
    "revision" / Int8ul,
    "reserved" / Int32ul,
    "address" / Int64ul,  # S3PT address
)


# ACPI 6.5 §5.2.24.2 FPDT Performance Record Types; the others are reserved.
class FpdtType(IntEnum):
    FIRMWARE_BASIC_BOOT_PERFORMANCE_POINTER = 0
    S3_PERFORMANCE_TABLE_POINTER = 1


FPDT_RECORDS = {FpdtType.FIRMWARE_BASIC_BOOT_PERFORMANCE_POINTER: boot_performance_pointer,
                FpdtType.S3_PERFORMANCE_TABLE_POINTER: s3_performance_pointer}

# ACPI 6.5 §5.2.24 Firmware Performance Data Table (FPDT): the header and pointer records.
fpdt = table(
    "records" / GreedyRange(type_length_subtable(FPDT_RECORDS, type_field=Int16ul)),
)

# The spec's name of each record type, for display.
FPDT_TYPES = {FpdtType.FIRMWARE_BASIC_BOOT_PERFORMANCE_POINTER: "Firmware Basic Boot Performance Pointer Record",
              FpdtType.S3_PERFORMANCE_TABLE_POINTER: "S3 Performance Table Pointer Record"}
FPDT_RECORD_SIZES = {FpdtType.FIRMWARE_BASIC_BOOT_PERFORMANCE_POINTER: 16, FpdtType.S3_PERFORMANCE_TABLE_POINTER: 16}

# ACPI 6.5 §5.2.24.6, table "Basic S3 Resume Performance Record" (type 0, 24 bytes).
s3_resume = with_extra(
    "revision" / Int8ul,
    "resume_count" / Int32ul,  # resumes since the last full boot
    "full_resume" / Int64ul,  # ns from the S3 resume's reset vector to the OS waking vector, last resume
    "average_resume" / Int64ul,  # ns, the average over all resumes
)

# ACPI 6.5 §5.2.24.6, table "Basic S3 Suspend Performance Record" (type 1, 20 bytes).
s3_suspend = with_extra(
    "revision" / Int8ul,
    "suspend_start" / Int64ul,  # ns timer value when the OS wrote SLP_TYP and SLP_EN
    "suspend_end" / Int64ul,  # ns timer value when the firmware finished suspending
)


# ACPI 6.5 §5.2.24.3 Runtime Performance Record Types found in an S3PT (type 2, the boot record, is in the FBPT).
class S3ptType(IntEnum):
    BASIC_S3_RESUME = 0
    BASIC_S3_SUSPEND = 1


S3PT_RECORDS = {S3ptType.BASIC_S3_RESUME: s3_resume, S3ptType.BASIC_S3_SUSPEND: s3_suspend}

# ACPI 6.5 §5.2.24.6 S3 Performance Table (S3PT): not a standard table; a 4-byte signature and a 4-byte length
# that counts the whole table, then runtime performance records.
s3pt = Struct(
    "signature" / Bytes(4),
    "length" / Int32ul,
    "records" / GreedyRange(type_length_subtable(S3PT_RECORDS, type_field=Int16ul)),
    "extra" / GreedyBytes,
)
S3PT_HEADER_SIZE = 8

# The spec's name of each S3PT record type, for display.
S3PT_TYPES = {S3ptType.BASIC_S3_RESUME: "Basic S3 Resume Performance Record",
              S3ptType.BASIC_S3_SUSPEND: "Basic S3 Suspend Performance Record"}
S3PT_RECORD_SIZES = {S3ptType.BASIC_S3_RESUME: 24, S3ptType.BASIC_S3_SUSPEND: 20}
