"""BGRT: the Boot Graphics Resource Table, which says where the firmware's boot logo is and where it was drawn."""
from enum import IntEnum, IntFlag

from construct import Int8ul, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table

BGRT_SIZE = 56

# ACPI 6.5 §5.2.23 Boot Graphics Resource Table (BGRT), 56 bytes.
bgrt = table(
    "version" / Int16ul,  # 1
    "status" / Int8ul,  # BGRT_STATUS_FIELDS
    "image_type" / Int8ul,  # BgrtImageType
    "image_address" / Int64ul,  # physical address of the image in memory
    "image_offset_x" / Int32ul,  # where its upper left corner was drawn on the screen
    "image_offset_y" / Int32ul,
)


# ACPI 6.5 §5.2.23, Status: bit 0 "Displayed"; bits 2:1 the orientation offset.
class BgrtStatus(IntFlag):
    DISPLAYED = 1 << 0


# ACPI 6.5 §5.2.23, Status bits 2:1: the orientation offset, clockwise, the OS should turn the image back by.
class BgrtOrientation(IntEnum):
    DEGREES_0 = 0
    DEGREES_90 = 1
    DEGREES_180 = 2
    DEGREES_270 = 3


# Multi-bit fields of the Status: name -> (first bit, bit count, value -> meaning or None).
BGRT_STATUS_FIELDS = {
    "displayed": (0, 1, {0: "no", 1: "yes"}),
    "orientation_offset": (1, 2, {BgrtOrientation.DEGREES_0: "0 degrees", BgrtOrientation.DEGREES_90: "90 degrees",
                                  BgrtOrientation.DEGREES_180: "180 degrees",
                                  BgrtOrientation.DEGREES_270: "270 degrees"}),
    "reserved": (3, 5, None),
}


# ACPI 6.5 §5.2.23, Image Type; 1-255 are reserved.
class BgrtImageType(IntEnum):
    BITMAP = 0


# The spec's name of each image type, for display.
BGRT_IMAGE_TYPES = {BgrtImageType.BITMAP: "Bitmap"}
