"""SMBIOS type 17, Memory Device."""
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import bit_names, enum_name
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


DESCRIPTOR = SmbiosDescriptor(
    type=17, title=S.TYPE_NAMES[17], schema=S.memory_device, spec="DSP0134 3.6.0 §7.18",
    min_length=S.MIN_LENGTHS[17], strings=frozenset(S.STRING_FIELDS[17]),
    meanings={
        "size": size,
        "form_factor": enum_name(S.MEMORY_FORM_FACTORS),
        "memory_type": enum_name(S.MEMORY_TYPES),
        "type_detail": bit_names(S.MEMORY_TYPE_DETAIL),
        "extended_size": lambda value, _context: f"{value} MiB",
    },
)
