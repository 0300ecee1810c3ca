"""The MP floating pointer (MPS 1.4 §4.1), the configuration table header (§4.2) and the entry headers."""
from construct import Int8ul, Struct

from qboot_tables.schemas import mptable as M
from qboot_tables.show.descriptions import enum_name
from qboot_tables.mptable_types.descriptor import MpDescriptor


def _pointer(value, _context) -> str:
    return "a default configuration, no table" if value == 0 else ""


def _feature2(value, _context) -> str:
    # §3.6.2: with the IMCR present the system starts in PIC mode, else in virtual wire mode.
    mode = "IMCRP: PIC mode" if value & M.MP_IMCR_PRESENT else "virtual wire mode"
    unknown = value & ~M.MP_IMCR_PRESENT
    return mode + (f", unknown bits {unknown:#x}" if unknown else "")


def entry_type_name(value, _context) -> str:
    return M.MP_ENTRY_TYPES.get(value) or M.MP_EXTENDED_TYPES.get(value) or "unknown type"


FLOATING_POINTER = MpDescriptor(
    type=None, title="MP Floating Pointer Structure", schema=M.mp_floating_pointer, spec="MPS 1.4 §4.1",
    size=M.MP_FLOATING_POINTER_SIZE,
    meanings={
        "physical_address_pointer": _pointer,
        "length": lambda value, _context: f"{value * 16} bytes",
        "spec_rev": enum_name(M.MP_SPEC_REVISIONS),
        "feature1": enum_name(M.MP_DEFAULT_CONFIGURATIONS, "reserved"),
        "feature2": _feature2,
    },
)

CONFIG_HEADER = MpDescriptor(
    type=None, title="MP Configuration Table Header", schema=M.mp_config_header, spec="MPS 1.4 §4.2",
    size=M.MP_CONFIG_HEADER_SIZE,
    meanings={
        "spec_rev": enum_name(M.MP_SPEC_REVISIONS),
        "oem_table_pointer": lambda value, _context: "none" if value == 0 else "",
    },
)

# The type byte every base entry starts with (§4.3), and the type and length of an extended one (§4.4).
BASE_HEADER = MpDescriptor(type=None, title="Base entry header", schema=Struct("type" / Int8ul),
                           spec="MPS 1.4 §4.3", meanings={"type": entry_type_name})
EXTENDED_HEADER = MpDescriptor(type=None, title="Extended entry header",
                               schema=Struct("type" / Int8ul, "length" / Int8ul), spec="MPS 1.4 §4.4",
                               meanings={"type": entry_type_name})
