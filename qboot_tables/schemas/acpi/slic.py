"""SLIC: Microsoft's Software Licensing Description Table (OEM Activation 2.x): the OEM's public key and its
signed Windows marker."""
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

SLIC_STRUCTURES = {0: oem_public_key, 1: slic_marker}

slic = table(
    "structures" / GreedyRange(type_length_subtable(SLIC_STRUCTURES, type_field=Int32ul, length_field=Int32ul)),
)

SLIC_TYPES = {0: "OEM Public Key", 1: "SLIC Marker"}
SLIC_STRUCTURE_SIZES = {0: 156, 1: 182}
