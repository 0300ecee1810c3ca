"""SMBIOS type 15, System Event Log."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32


def offset(value, _context) -> str:
    return f"0x{value:04X}"


def status(value, _context) -> str:
    # §7.16.4: bit 0 the log area is valid, bit 1 it is full.
    return f"{'Valid' if value & 1 else 'Invalid'}, {'Full' if value & 2 else 'Not Full'}"


def access_address(value, context) -> str:
    # §7.16.3: index and data I/O ports for methods 0-2, a physical address for 3, a GPNV handle for 4.
    method = context.access_method
    if method in (0, 1, 2):
        return f"Index 0x{value & 0xFFFF:04X}, Data 0x{value >> 16:04X}"
    if method == 3:
        return f"0x{value:08X}"
    if method == 4:
        return f"0x{value & 0xFFFF:04X}"
    return "Unknown"


def log_type(value, _context) -> str:
    # §7.16.6.1: 80h-FEh are OEM-assigned, FFh the end of the log.
    if value == 0xFF:
        return "End of log"
    return X.EVENT_LOG_TYPES.get(value, "OEM-specific" if value >= 0x80 else f"out of spec ({value})")


def data_format(value, _context) -> str:
    return X.EVENT_LOG_DATA_FORMATS.get(value, "OEM-specific" if value >= 0x80 else f"out of spec ({value})")


DESCRIPTOR = SmbiosDescriptor(
    type=15, title=S.TYPE_NAMES[15], schema=X.system_event_log, spec="DSP0134 3.6.0 §7.16", min_length=0x14,
    meanings={
        "log_area_length": lambda value, _context: f"{value} bytes",
        "log_header_start_offset": offset, "log_data_start_offset": offset,
        "log_status": status, "log_change_token": hex32, "access_method_address": access_address,
        "log_header_format": lambda value, _context: X.EVENT_LOG_HEADER_FORMATS.get(
            value, "OEM-specific" if value >= 0x80 else f"out of spec ({value})"),
        "log_type": log_type, "variable_data_format_type": data_format,
    },
    enums={"access_method": {**X.EVENT_LOG_ACCESS_METHODS, **{v: "OEM-specific" for v in range(0x80, 0x100)}}},
)
