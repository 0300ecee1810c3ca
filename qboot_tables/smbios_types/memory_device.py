"""SMBIOS type 17, Memory Device."""
from qboot_tables.schemas import smbios as S
from qboot_tables.findings import ERROR, Finding
from qboot_tables.show.descriptions import bit_names
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle, memory_size, names_of_bits


def size(value, _context) -> str:
    # §7.18: FFFFh unknown, 7FFFh see extended_size, 0 no device; bit 15 set: KiB, else MiB.
    if value == S.MEMORY_SIZE_UNKNOWN:
        return "unknown"
    if value == S.MEMORY_SIZE_SEE_EXTENDED:
        return "see extended_size"
    if value == 0:
        return "no device installed"
    return f"{value & 0x7FFF} KiB" if value & S.MEMORY_SIZE_KIB else f"{value} MiB"


def error_handle(value, _context) -> str:
    # §7.18: FFFEh no error information structure is provided, FFFFh no error was detected.
    return {0xFFFE: "Not Provided", 0xFFFF: "No Error"}.get(value, f"0x{value:04X}")


def width(value, _context) -> str:
    # §7.18: FFFFh unknown; 0 is what firmware puts for an empty slot.
    return "Unknown" if value in (0, 0xFFFF) else f"{value} bits"


def speed(extended: str):
    """§7.18: MT/s; 0 unknown, FFFFh says the speed is in the 32-bit `extended` field (3.3+)."""
    def describe(value, context) -> str:
        if value == 0xFFFF:
            wide = context.get(extended)
            return f"{wide} MT/s" if wide else "Unknown"
        return f"{value} MT/s" if value else "Unknown"
    return describe


def voltage(value, _context) -> str:
    # §7.18: mV; 0 unknown. Shown in volts with as many decimals as the millivolts need (at least one).
    if value == 0:
        return "Unknown"
    text = f"{value / 1000:.3f}".rstrip("0")
    return f"{text}0 V" if text.endswith(".") else f"{text} V"


def jedec_id(value, _context) -> str:
    # §7.18.8: JEP106 bank (its continuation count in the low byte, parity bit dropped) and manufacturer.
    return "Unknown" if value == 0 else f"Bank {(value & 0x7F) + 1}, Hex 0x{value >> 8:02X}"


def product_id(value, _context) -> str:
    return "Unknown" if value == 0 else f"0x{value:04X}"


def device_size(value, _context) -> str:
    # §7.18.12-§7.18.15: bytes; all ones unknown, 0 none.
    if value == (1 << 64) - 1:
        return "Unknown"
    return "None" if value == 0 else memory_size(value)


# §7.18.6 Memory Device: Memory Technology.
MEMORY_TECHNOLOGIES = {1: "Other", 2: "Unknown", 3: "DRAM", 4: "NVDIMM-N", 5: "NVDIMM-F", 6: "NVDIMM-P",
                       7: "Intel Optane DC persistent memory"}
# §7.18.7 Memory Device: Memory Operating Mode Capability (bits).
OPERATING_MODES = {1: "Other", 2: "Unknown", 3: "Volatile memory", 4: "Byte-accessible persistent memory",
                   5: "Block-accessible persistent memory"}


def check_size(s) -> list[Finding]:
    body = s.parsed.body
    if body.size == S.MEMORY_SIZE_SEE_EXTENDED and body.extended_size is None:
        return [Finding(ERROR, s.name, "size", "7FFFh points at extended_size, which this structure is too short "
                                               "for")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=17, title=S.TYPE_NAMES[17], schema=S.memory_device, spec="DSP0134 3.6.0 §7.18",
    min_length=0x15, strings=frozenset({"device_locator", "bank_locator", "manufacturer", "serial_number",
                                        "asset_tag", "part_number", "firmware_version"}),
    meanings={
        "size": size,
        "type_detail": bit_names(S.MEMORY_TYPE_DETAIL),
        "extended_size": lambda value, _context: f"{value} MiB",
        "physical_memory_array_handle": handle,
        "memory_error_information_handle": error_handle,
        "total_width": width, "data_width": width,
        "device_set": lambda value, _context: {0: "None", 0xFF: "Unknown"}.get(value, str(value)),
        "speed": speed("extended_speed"), "configured_memory_speed": speed("extended_configured_memory_speed"),
        "attributes": lambda value, _context: f"Rank {value & 0xF}" if value & 0xF else "Rank Unknown",
        "minimum_voltage": voltage, "maximum_voltage": voltage, "configured_voltage": voltage,
        "memory_operating_mode_capability": names_of_bits(OPERATING_MODES, first=1),
        "module_manufacturer_id": jedec_id, "memory_subsystem_controller_manufacturer_id": jedec_id,
        "module_product_id": product_id, "memory_subsystem_controller_product_id": product_id,
        "non_volatile_size": device_size, "volatile_size": device_size, "cache_size": device_size,
        "logical_size": device_size,
    },
    enums={"form_factor": S.MEMORY_FORM_FACTORS, "memory_type": S.MEMORY_TYPES,
           "memory_technology": MEMORY_TECHNOLOGIES},
    checks=(check_size,),
    references={"physical_memory_array_handle": 16},
)
