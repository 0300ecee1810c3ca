"""SMBIOS type 3, System Enclosure or Chassis."""
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import enum_name
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

_chassis_types = enum_name(S.CHASSIS_TYPES)


def chassis_type(value, context) -> str:
    # §7.4.1: bits 6:0 the type, bit 7 a chassis lock.
    text = _chassis_types(value & ~S.CHASSIS_LOCK_PRESENT, context)
    return text + (", lock present" if value & S.CHASSIS_LOCK_PRESENT else "")


_states = enum_name(S.CHASSIS_STATES)

DESCRIPTOR = SmbiosDescriptor(
    type=3, title=S.TYPE_NAMES[3], schema=S.chassis, spec="DSP0134 3.6.0 §7.4",
    min_length=S.MIN_LENGTHS[3], strings=frozenset(S.STRING_FIELDS[3]),
    meanings={
        "chassis_type": chassis_type,
        "bootup_state": _states,
        "power_supply_state": _states,
        "thermal_state": _states,
        "security_status": enum_name(S.CHASSIS_SECURITY_STATUS),
    },
)
