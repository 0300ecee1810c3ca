"""SMBIOS type 16, Physical Memory Array."""
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.memory_device import error_handle


def maximum_capacity(value, _context) -> str:
    # §7.17: KiB; 8000_0000h says the capacity is in extended_maximum_capacity (2.7+).
    return "see extended_maximum_capacity" if value == S.MAXIMUM_CAPACITY_SEE_EXTENDED else f"{value} KiB"


DESCRIPTOR = SmbiosDescriptor(
    type=16, title=S.TYPE_NAMES[16], schema=S.physical_memory_array, spec="DSP0134 3.6.0 §7.17",
    min_length=0x0F,
    meanings={
        "maximum_capacity": maximum_capacity,
        "memory_error_information_handle": error_handle,
    },
    enums={"location": S.MEMORY_ARRAY_LOCATIONS, "use": S.MEMORY_ARRAY_USES,
           "memory_error_correction": S.MEMORY_ERROR_CORRECTION},
)
