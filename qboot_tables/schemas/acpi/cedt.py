"""CEDT: the CXL Early Discovery Table, the CXL host bridges and the fixed memory windows behind them."""
from enum import IntEnum, IntFlag

from construct import Array, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# Compute Express Link (CXL) Specification 3.0 §9.17.1.2 CXL Host Bridge Structure (CHBS, type 0, 32 bytes)
chbs = with_extra(
    "uid" / Int32ul,  # the _UID of the host bridge's ACPI device
    "cxl_version" / Int32ul,  # CxlVersion
    "reserved" / Int32ul,
    "base" / Int64ul,  # component registers (CXL 2.0) or RCRB (CXL 1.1)
    "length" / Int64ul,
)

# CXL 3.0 §9.17.1.3 CXL Fixed Memory Window Structure (CFMWS, type 1, 36 bytes and 4 per target). The
# interleave ways are encoded (CEDT_INTERLEAVE_WAYS); one target host bridge UID per way follows.
cfmws = with_extra(
    "reserved1" / Int32ul,
    "base_hpa" / Int64ul,
    "window_size" / Int64ul,
    "interleave_ways" / Int8ul,  # encoded: CEDT_INTERLEAVE_WAYS
    "interleave_arithmetic" / Int8ul,  # InterleaveArithmetic
    "reserved2" / Int16ul,
    "granularity" / Int32ul,  # host bridge interleave granularity: 256 << value bytes
    "restrictions" / Int16ul,  # WindowRestrictions
    "qtg_id" / Int16ul,
    "interleave_targets" / GreedyRange(Int32ul),
)

# CXL 3.0 §9.17.1.4 CXL XOR Interleave Math Structure (CXIMS, type 2, 8 bytes and 8 per XORMAP)
cxims = with_extra(
    "reserved" / Int16ul,
    "granularity" / Int8ul,  # host bridge interleave granularity, encoded as in the CFMWS
    "xormap_count" / Int8ul,
    "xormaps" / Array(this.xormap_count, Int64ul),
)


# CXL 3.0 §9.17.1 Table 9-19 CEDT structure types; 5 and above are reserved.
class CedtType(IntEnum):
    CHBS = 0
    CFMWS = 1
    CXIMS = 2
    RDPAS = 3
    CSDS = 4


CEDT_SUBTABLES: dict[int, Construct] = {CedtType.CHBS: chbs, CedtType.CFMWS: cfmws, CedtType.CXIMS: cxims}

# CXL 3.0 §9.17.1 CEDT: the header, then structures with a 1-byte type, a reserved byte and a 2-byte length.
cedt = table(
    "subtables" / GreedyRange(type_length_subtable(CEDT_SUBTABLES, Int8ul, Int16ul, between=("reserved" / Int8ul,))),
)

# The spec's name of each structure type, for display.
CEDT_TYPES = {CedtType.CHBS: "CXL Host Bridge (CHBS)", CedtType.CFMWS: "CXL Fixed Memory Window (CFMWS)",
              CedtType.CXIMS: "CXL XOR Interleave Math (CXIMS)",
              CedtType.RDPAS: "RCEC Downstream Port Association (RDPAS)",
              CedtType.CSDS: "CXL System Description (CSDS)"}
CEDT_SUBTABLE_SIZES = {CedtType.CHBS: 32}


# CXL 3.0 §9.17.1.2 CXL version.
class CxlVersion(IntEnum):
    CXL_1_1 = 0
    CXL_2_0 = 1


# The spec's meaning of each version, for display.
CEDT_CXL_VERSIONS = {CxlVersion.CXL_1_1: "CXL 1.1 (RCRB)", CxlVersion.CXL_2_0: "CXL 2.0 or later (component registers)"}
# CXL 3.0 §9.17.1.3 Encoded interleave ways -> ways.
CEDT_INTERLEAVE_WAYS = {0: 1, 1: 2, 2: 4, 3: 8, 4: 16, 8: 3, 9: 6, 10: 12}


# CXL 3.0 §9.17.1.3 Interleave Arithmetic.
class InterleaveArithmetic(IntEnum):
    MODULO = 0
    XOR = 1


# The spec's name of each interleave arithmetic, for display.
CEDT_INTERLEAVE_ARITHMETIC = {InterleaveArithmetic.MODULO: "Standard modulo",
                              InterleaveArithmetic.XOR: "Modulo with XOR"}


# CXL 3.0 §9.17.1.3 Window Restrictions.
class WindowRestrictions(IntFlag):
    DEVICE_COHERENT = 1 << 0
    HOST_ONLY_COHERENT = 1 << 1
    VOLATILE = 1 << 2
    PERSISTENT = 1 << 3
    FIXED_DEVICE_CONFIGURATION = 1 << 4
    BACK_INVALIDATE = 1 << 5  # CXL 3.1
