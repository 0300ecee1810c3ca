"""WPBT: Microsoft's Windows Platform Binary Table, a program the firmware hands to Windows to run."""
from construct import Bytes, Int8ul, Int16ul, Int32ul, Int64ul, this

from qboot_tables.schemas.common import table

WPBT_MIN_SIZE = 52

# Microsoft "Windows Platform Binary Table (WPBT)" 2015, table format: the binary's size and address, its layout
# and type, then the command line, UTF-16LE, arguments_length bytes.
wpbt = table(
    "handoff_size" / Int32ul,
    "handoff_address" / Int64ul,
    "layout" / Int8ul,  # WPBT_LAYOUTS
    "type" / Int8ul,  # WPBT_CONTENT_TYPES
    "arguments_length" / Int16ul,
    "arguments" / Bytes(this.arguments_length),
)

# The same document, Content Layout and Content Type; other values are reserved.
WPBT_LAYOUTS = {1: "Image (PE)"}
WPBT_CONTENT_TYPES = {1: "Native user-mode application"}
