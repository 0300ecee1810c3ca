"""SMBIOS types 18 and 33, 32-Bit and 64-Bit Memory Error Information: one layout, two address widths."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def address(unknown: int):
    # §7.19, §7.34: the top bit alone means the address is unknown.
    return lambda value, _context: "Unknown" if value == unknown else f"0x{value:0{len(hex(unknown)) - 2}X}"


def syndrome(value, _context) -> str:
    return "Unknown" if value == 0 else f"0x{value:08X}"


def memory_error_descriptor(type_: int, schema, spec: str, min_length: int, address_unknown: int) -> SmbiosDescriptor:
    return SmbiosDescriptor(
        type=type_, title=S.TYPE_NAMES[type_], schema=schema, spec=spec, min_length=min_length,
        meanings={"vendor_syndrome": syndrome, "memory_array_error_address": address(address_unknown),
                  "device_error_address": address(address_unknown), "error_resolution": address(0x80000000)},
        enums={"error_type": X.MEMORY_ERROR_TYPES, "error_granularity": X.MEMORY_ERROR_GRANULARITIES,
               "error_operation": X.MEMORY_ERROR_OPERATIONS},
    )


DESCRIPTOR = memory_error_descriptor(18, X.memory_error_32, "DSP0134 3.6.0 §7.19", 0x17, 0x80000000)
