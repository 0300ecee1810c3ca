"""DRTM: the Dynamic Root of Trust for Measurement table, what a D-RTM launch measures and protects."""
from enum import IntFlag

from construct import Array, Bytes, BytesInteger, Int8ul, Int32ul, Int64ul, Optional, Struct, this

from qboot_tables.schemas.common import table

# TCG D-RTM Architecture Specification 1.0.0 §7.1, D-RTM Resource (16 bytes): a 7-byte size, a type byte
# (DRTM_RESOURCE_TYPE_FIELDS) and the address.
drtm_resource = Struct(
    "size" / BytesInteger(7, swapped=True),
    "type" / Int8ul,
    "address" / Int64ul,
)

# TCG D-RTM Architecture Specification 1.0.0 §7.1 (Table 2, DRTM ACPI table): the fixed fields, then three
# variable parts, each a count followed by its items. A part whose count runs past the table is left out
# (Optional), and its bytes stay in `extra`.
drtm = table(
    "dl_entry_base" / Int64ul,
    "dl_entry_length" / Int64ul,
    "dl_entry32" / Int32ul,
    "dl_entry64" / Int64ul,
    "dlme_exit" / Int64ul,
    "log_area_start" / Int64ul,
    "log_area_length" / Int32ul,
    "architecture_dependent" / Int64ul,
    "drt_flags" / Int32ul,  # DrtmFlags
    "validated_tables" / Optional(Struct(
        "validated_table_count" / Int32ul,
        "table_addresses" / Array(this.validated_table_count, Int64ul),
    )),
    "resources" / Optional(Struct(
        "resource_count" / Int32ul,
        "resources" / Array(this.resource_count, drtm_resource),
    )),
    "dlme_platform_id" / Optional(Struct(
        "dps_id_length" / Int32ul,
        "dps_id" / Bytes(16),
    )),
)
DRTM_MIN_LENGTH = 96


# D-RTM Architecture Specification §7.1 DRT_Flags.
class DrtmFlags(IntFlag):
    NAMESPACE_IN_TCB = 1 << 0
    GAP_CODE_ON_S3_RESUME = 1 << 1
    GAP_CODE_ON_DLME_EXIT = 1 << 2
    PCR_AUTHORITIES_CHANGED = 1 << 3


# D-RTM Architecture Specification §7.1 resource type byte: bits 6:0 the kind of resource, bit 7 whether the
# D-RTM protects it.
DRTM_RESOURCE_TYPE_FIELDS = {
    "kind": (0, 7, None),
    "protections": (7, 1, {0: "not protected", 1: "protected"}),
}
