"""MSDM: Microsoft's Data Management table, which carries the Windows product key the firmware holds."""
from enum import IntEnum

from construct import Bytes, Int32ul, this

from qboot_tables.schemas.common import table

MSDM_MIN_SIZE = 56

# Microsoft "Microsoft Software Licensing Tables (SLIC and MSDM)" 2011, §2 "MSDM", Software Licensing
# Structure: the header, then version, reserved, data type, data reserved, data length and the data itself
# (a 29-character product key when the data type is 1). iasl 20200925 shows the structure as one buffer.
msdm = table(
    "version" / Int32ul,  # 1
    "reserved" / Int32ul,
    "data_type" / Int32ul,  # MsdmDataType
    "data_reserved" / Int32ul,
    "data_length" / Int32ul,
    "data" / Bytes(this.data_length),
)

# The same document, Data Type; other values are reserved.
class MsdmDataType(IntEnum):
    PRODUCT_KEY = 1


# The spec's name of each data type, for display.
MSDM_DATA_TYPES = {MsdmDataType.PRODUCT_KEY: "Product key"}
