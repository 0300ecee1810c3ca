"""SMBIOS type 9, System Slots."""
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import bus_address, names_of_bits


def characteristics_1(value, _context) -> str:
    # §7.10.6: bit 0 alone says the characteristics are unknown.
    return "Unknown" if value & 1 else names_of_bits(X.SLOT_CHARACTERISTICS_1, first=1)(value, _context)


def segment_bus_function(_value, context) -> str:
    # §7.10.8: all ones when the slot has no PCI address.
    c = context
    if (c.segment_group_number, c.bus_number, c.device_function_number) == (0xFFFF, 0xFF, 0xFF):
        return "none"
    return bus_address(c.segment_group_number, c.bus_number, c.device_function_number)


def peer_width(value, _context) -> str:
    return f"Width {value}"


def check_peers(s) -> list[Finding]:
    body = s.parsed.body
    if body.peer_grouping_count and body.peer_groups is None:
        return [Finding(ERROR, s.name, "peer_groups", f"{body.peer_grouping_count} peer groups of 5 bytes do not "
                                                      f"fit in length {s.length:#x}")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=9, title=S.TYPE_NAMES[9], schema=X.system_slots, spec="DSP0134 3.6.0 §7.10", min_length=0x0C,
    strings=frozenset({"slot_designation"}),
    meanings={
        "slot_characteristics_1": characteristics_1,
        "slot_characteristics_2": names_of_bits(X.SLOT_CHARACTERISTICS_2),
        "device_function_number": segment_bus_function,
        "slot_pitch": lambda value, _context: f"{value // 100}.{value % 100:02d} mm" if value else "Unknown",
        "slot_information": lambda value, _context: f"PCI Express Generation {value}" if value else "",
    },
    enums={"slot_type": X.SLOT_TYPES, "slot_data_bus_width": X.SLOT_WIDTHS, "current_usage": X.SLOT_USAGES,
           "slot_length": X.SLOT_LENGTHS, "slot_physical_width": X.SLOT_WIDTHS, "slot_height": X.SLOT_HEIGHTS},
    checks=(check_peers,),
)
