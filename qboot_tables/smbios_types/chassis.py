"""SMBIOS type 3, System Enclosure or Chassis."""
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import enum_name
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

_chassis_types = enum_name(S.CHASSIS_TYPES)


def chassis_type(value, context) -> str:
    # §7.4.1: bits 6:0 the type, bit 7 a chassis lock.
    text = _chassis_types(value & ~S.CHASSIS_LOCK_PRESENT, context)
    return text + (", lock present" if value & S.CHASSIS_LOCK_PRESENT else "")


def check_chassis(s) -> list[Finding]:
    body, out = s.parsed.body, []
    if body.chassis_type is not None and body.chassis_type & ~S.CHASSIS_LOCK_PRESENT == 0:
        out.append(Finding(WARNING, s.name, "chassis_type", "0 is not a defined chassis type"))
    if body.contained_element_count and body.contained_elements is None:
        out.append(Finding(ERROR, s.name, "contained_elements",
                           f"{body.contained_element_count} records of {body.contained_element_record_length}"
                           f" bytes do not fit in length {s.length:#x}"))
    return out

def contained_element(value, _context) -> str:
    # §7.4.4: the first byte is a baseboard type (§7.3.2), or with bit 7 set a structure type; then the
    # minimum and maximum count of that element.
    if len(value) < 3:
        return ""
    from qboot_tables.schemas import smbios_ext as X  # its 37 schemas only when a chassis lists elements

    kind = value[0] & 0x7F
    names = X.STRUCTURE_SHORT_NAMES if value[0] & 0x80 else X.BOARD_TYPES
    counts = f"{value[1]}" if value[1] == value[2] else f"{value[1]}-{value[2]}"
    return f"{names.get(kind, f'out of spec ({kind})')} ({counts})"


DESCRIPTOR = SmbiosDescriptor(
    type=3, title=S.TYPE_NAMES[3], schema=S.chassis, spec="DSP0134 3.6.0 §7.4",
    min_length=0x09, strings=frozenset({"manufacturer", "version", "serial_number", "asset_tag", "sku_number"}),
    meanings={
        "chassis_type": chassis_type, "contained_elements": contained_element,
        "oem_defined": lambda value, _context: f"0x{value:08X}",
        "height": lambda value, _context: f"{value} U" if value else "Unspecified",  # §7.4: 1 U is 1.75 in
        "number_of_power_cords": lambda value, _context: str(value) if value else "Unspecified",
    },
    enums={"bootup_state": S.CHASSIS_STATES, "power_supply_state": S.CHASSIS_STATES,
           "thermal_state": S.CHASSIS_STATES, "security_status": S.CHASSIS_SECURITY_STATUS},
    checks=(check_chassis,),
)
