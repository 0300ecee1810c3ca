"""SLIC: Microsoft's Software Licensing Description Table (OEM Activation 2.x): the OEM's public key and its
signed Windows marker."""
from enum import IntEnum

from construct import Bytes, GreedyRange, Int8ul, Int16ul, Int32ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# Microsoft "Microsoft Software Licensing Tables (SLIC and MSDM)" 2011, §1 "SLIC": after the header come two
# structures, each with a 4-byte type and a 4-byte length that counts the type and length too.

# The same, "OEM Public Key Structure" (type 0, 156 bytes): a CryptoAPI PUBLICKEYBLOB header and an RSA key.
oem_public_key = with_extra(
    "key_type" / Int8ul,  # 6: a public key blob
    "version" / Int8ul,  # 2
    "reserved" / Int16ul,
    "algorithm" / Int32ul,  # 0x2400: RSA signature
    "magic" / Bytes(4),  # "RSA1"
    "bit_length" / Int32ul,  # 1024
    "exponent" / Int32ul,
    "modulus" / Bytes(128),
)

# The same, "SLIC Marker Structure" (type 1, 182 bytes): the OEM and table IDs, which must match those of the
# RSDT/XSDT, the "WINDOWS " flag, and the OEM's signature over them.
slic_marker = with_extra(
    "version" / Int32ul,
    "oem_id" / Bytes(6),
    "oem_table_id" / Bytes(8),
    "windows_flag" / Bytes(8),  # "WINDOWS "
    "slic_version" / Int32ul,
    "reserved" / Bytes(16),
    "signature" / Bytes(128),
)


# The same document: the two structure types.
class SlicType(IntEnum):
    OEM_PUBLIC_KEY = 0
    SLIC_MARKER = 1


SLIC_STRUCTURES = {SlicType.OEM_PUBLIC_KEY: oem_public_key, SlicType.SLIC_MARKER: slic_marker}

slic = table(
    "structures" / GreedyRange(type_length_subtable(SLIC_STRUCTURES, type_field=Int32ul, length_field=Int32ul)),
)

# The document's name of each structure type, for display.
SLIC_TYPES = {SlicType.OEM_PUBLIC_KEY: "OEM Public Key", SlicType.SLIC_MARKER: "SLIC Marker"}
SLIC_STRUCTURE_SIZES = {SlicType.OEM_PUBLIC_KEY: 156, SlicType.SLIC_MARKER: 182}
