"""The header every SMBIOS structure starts with (§6.1.2), and the descriptor of types we do not decode."""
from construct import GreedyBytes, Struct

from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def type_name(value, _context) -> str:
    # §7: types 128-255 are for OEMs; the others below 128 that the spec does not name are reserved.
    return S.TYPE_NAMES.get(value, "OEM-specific" if value >= 128 else "unknown type")


HEADER = SmbiosDescriptor(type=None, title="Structure header", schema=S.header, spec="DSP0134 3.6.0 §6.1.2",
                          min_length=S.HEADER_SIZE, meanings={"type": type_name})

# A type we do not decode: its formatted area after the header, as bytes.
GENERIC = SmbiosDescriptor(type=None, title="Undecoded structure", schema=Struct("body" / GreedyBytes),
                           spec="DSP0134 3.6.0 §6.1.2", min_length=S.HEADER_SIZE)
