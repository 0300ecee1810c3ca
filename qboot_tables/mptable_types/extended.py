"""The three extended entry types of the MP configuration table (MPS 1.4 §4.4), one descriptor each."""
from __future__ import annotations

from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas import mptable as M
from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.mptable_types.base import TABLE, known_bus
from qboot_tables.mptable_types.descriptor import MpDescriptor, bus_name


def _address_modifier(value, _context) -> str:
    how = "PR: the range is subtracted" if value & M.MP_RANGE_SUBTRACTED else "the range is added"
    unknown = value & ~M.MP_RANGE_SUBTRACTED
    return how + (f", unknown bits {unknown:#x}" if unknown else "")


def _known(field: str, names: dict):
    """check: `field` holds a value the spec defines."""
    def check(_mptable, name: str, body) -> list[Finding]:
        if body[field] not in names:
            return [Finding(WARNING, TABLE, f"{name}.{field}", f"{body[field]} is not a value MPS 1.4 defines")]
        return []
    return check


ADDRESS_SPACE = MpDescriptor(
    type=M.MP_ADDRESS_SPACE, title=M.MP_EXTENDED_TYPES[M.MP_ADDRESS_SPACE], schema=M.mp_address_space,
    spec="MPS 1.4 §4.4.1", size=M.MP_EXTENDED_SIZES[M.MP_ADDRESS_SPACE],
    meanings={"bus_id": bus_name, "address_type": enum_name(M.MP_ADDRESS_TYPES, "reserved"),
              "address_length": byte_size},
    checks=(known_bus("bus_id"), _known("address_type", M.MP_ADDRESS_TYPES)),
)
BUS_HIERARCHY = MpDescriptor(
    type=M.MP_BUS_HIERARCHY, title=M.MP_EXTENDED_TYPES[M.MP_BUS_HIERARCHY], schema=M.mp_bus_hierarchy,
    spec="MPS 1.4 §4.4.2", size=M.MP_EXTENDED_SIZES[M.MP_BUS_HIERARCHY],
    meanings={"bus_id": bus_name, "bus_information": bit_names(M.MP_SUBTRACTIVE_DECODE), "parent_bus": bus_name},
    checks=(known_bus("bus_id"), known_bus("parent_bus")),
)
COMPATIBILITY_MODIFIER = MpDescriptor(
    type=M.MP_COMPATIBILITY_MODIFIER, title=M.MP_EXTENDED_TYPES[M.MP_COMPATIBILITY_MODIFIER],
    schema=M.mp_compatibility_modifier, spec="MPS 1.4 §4.4.3", size=M.MP_EXTENDED_SIZES[M.MP_COMPATIBILITY_MODIFIER],
    meanings={"bus_id": bus_name, "address_modifier": _address_modifier,
              "predefined_range_list": enum_name(M.MP_PREDEFINED_RANGES, "reserved")},
    checks=(known_bus("bus_id"), _known("predefined_range_list", M.MP_PREDEFINED_RANGES)),
)
