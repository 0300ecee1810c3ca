"""SMBIOS type 22, Portable Battery."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32


def capacity(value, context) -> str:
    # §7.23: mWh, times the multiplier (2.2+, 1 before); 0 unknown.
    multiplier = context.design_capacity_multiplier or 1
    return f"{value * multiplier} mWh" if value else "Unknown"


def sbds_date(value, _context) -> str:
    # §7.23: bits 15:9 the year since 1980, 8:5 the month, 4:0 the day.
    return f"{1980 + (value >> 9)}-{value >> 5 & 0xF:02d}-{value & 0x1F:02d}"


DESCRIPTOR = SmbiosDescriptor(
    type=22, title=S.TYPE_NAMES[22], schema=X.portable_battery, spec="DSP0134 3.6.0 §7.23", min_length=0x10,
    strings=frozenset({"location", "manufacturer", "manufacture_date", "serial_number", "device_name",
                       "sbds_version_number", "sbds_device_chemistry"}),
    meanings={
        "design_capacity": capacity,
        "design_voltage": lambda value, _context: f"{value} mV" if value else "Unknown",
        "maximum_error_in_battery_data": lambda value, _context: "Unknown" if value == 0xFF else f"{value}%",
        "sbds_serial_number": lambda value, _context: f"{value:04X}",
        "sbds_manufacture_date": sbds_date, "oem_specific": hex32,
    },
    enums={"device_chemistry": X.BATTERY_CHEMISTRIES},
)
