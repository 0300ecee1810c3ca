"""SMBIOS type 17, Memory Device."""
from qboot_tables.schemas import smbios as S
from qboot_tables.findings import ERROR, Finding
from qboot_tables.show.descriptions import bit_names
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def size(value, _context) -> str:
    # §7.18: FFFFh unknown, 7FFFh see extended_size, 0 no device; bit 15 set: KiB, else MiB.
    if value == S.MEMORY_SIZE_UNKNOWN:
        return "unknown"
    if value == S.MEMORY_SIZE_SEE_EXTENDED:
        return "see extended_size"
    if value == 0:
        return "no device installed"
    return f"{value & 0x7FFF} KiB" if value & S.MEMORY_SIZE_KIB else f"{value} MiB"


def check_size(s) -> list[Finding]:
    body = s.parsed.body
    if body.size == S.MEMORY_SIZE_SEE_EXTENDED and body.extended_size is None:
        return [Finding(ERROR, s.name, "size", "7FFFh points at extended_size, which this structure is too short "
                                               "for")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=17, title=S.TYPE_NAMES[17], schema=S.memory_device, spec="DSP0134 3.6.0 §7.18",
    min_length=0x15, strings=frozenset({"device_locator", "bank_locator", "manufacturer", "serial_number", "asset_tag",
                              "part_number", "firmware_version"}),
    meanings={
        "size": size,
        "type_detail": bit_names(S.MEMORY_TYPE_DETAIL),
        "extended_size": lambda value, _context: f"{value} MiB",
    },
    enums={"form_factor": S.MEMORY_FORM_FACTORS, "memory_type": S.MEMORY_TYPES},
    checks=(check_size,),
)
