"""RSDP: the Root System Description Pointer, revision 0 (20 bytes) and revision 2 (36 bytes)."""
from construct import Bytes, If, Int8ul, Int32ul, Int64ul, Struct, this

RSDP_SIGNATURE = b"RSD PTR "
RSDP_V1_SIZE = 20
RSDP_V2_SIZE = 36

# ACPI 6.5 §5.2.5.3 Root System Description Pointer (RSDP) Structure. `checksum` covers the first 20 bytes,
# `extended_checksum` all of `length`; revision 2 is ACPI 2.0 and later.
rsdp = Struct(
    "signature" / Bytes(8),
    "checksum" / Int8ul,
    "oem_id" / Bytes(6),
    "revision" / Int8ul,
    "rsdt_address" / Int32ul,
    "v2" / If(this.revision >= 2, Struct(
        "length" / Int32ul,
        "xsdt_address" / Int64ul,
        "extended_checksum" / Int8ul,
        "reserved" / Bytes(3),
    )),
)
