"""SMBIOS type 39, System Power Supply."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import optional_handle


def characteristics(value, _context) -> str:
    # §7.40.1: bit 1 present, bits 9:7 status, 13:10 type, 6:3 input range switching, bit 2 unplugged,
    # bit 0 hot replaceable.
    status = (f"Present, {X.POWER_SUPPLY_STATUS.get(value >> 7 & 7, 'out of spec')}" if value & 2
              else "Not Present")
    return "; ".join([
        f"Status: {status}",
        f"Type: {X.POWER_SUPPLY_TYPES.get(value >> 10 & 0xF, 'out of spec')}",
        f"Input Voltage Range Switching: {X.POWER_SUPPLY_RANGE_SWITCHING.get(value >> 3 & 0xF, 'out of spec')}",
        f"Plugged: {'No' if value & 4 else 'Yes'}",
        f"Hot Replaceable: {'Yes' if value & 1 else 'No'}",
    ])


DESCRIPTOR = SmbiosDescriptor(
    type=39, title=S.TYPE_NAMES[39], schema=X.system_power_supply, spec="DSP0134 3.6.0 §7.40", min_length=0x10,
    strings=frozenset({"location", "device_name", "manufacturer", "serial_number", "asset_tag_number",
                       "model_part_number", "revision_level"}),
    meanings={
        "power_unit_group": lambda value, _context: str(value) if value else "none",
        "max_power_capacity": lambda value, _context: "Unknown" if value == 0x8000 else f"{value} W",
        "power_supply_characteristics": characteristics,
        "input_voltage_probe_handle": optional_handle, "cooling_device_handle": optional_handle,
        "input_current_probe_handle": optional_handle,
    },
)
