"""WPBT: Microsoft's Windows Platform Binary Table, a program the firmware hands to Windows to run."""
from enum import IntEnum

from construct import Bytes, Int8ul, Int16ul, Int32ul, Int64ul, this

from qboot_tables.schemas.common import table

WPBT_MIN_SIZE = 52

# Microsoft "Windows Platform Binary Table (WPBT)" 2015, table format: the binary's size and address, its layout
# and type, then the command line, UTF-16LE, arguments_length bytes.
wpbt = table(
    "handoff_size" / Int32ul,
    "handoff_address" / Int64ul,
    "layout" / Int8ul,  # WpbtLayout
    "type" / Int8ul,  # WpbtContentType
    "arguments_length" / Int16ul,
    "arguments" / Bytes(this.arguments_length),
)



# The same document, Content Layout; other values are reserved.
class WpbtLayout(IntEnum):
    IMAGE = 1  # a PE image


# The same document, Content Type; other values are reserved.
class WpbtContentType(IntEnum):
    NATIVE_APPLICATION = 1  # a native user-mode application


# The document's name of each layout and content type, for display.
WPBT_LAYOUTS = {WpbtLayout.IMAGE: "Image (PE)"}
WPBT_CONTENT_TYPES = {WpbtContentType.NATIVE_APPLICATION: "Native user-mode application"}
