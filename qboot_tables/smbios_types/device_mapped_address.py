"""SMBIOS type 20, Memory Device Mapped Address."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle
from qboot_tables.smbios_types.mapped_address import check_addresses, ending_address, starting_address


def position(unknown_text: str, zero: str | None = None):
    # §7.21: FFh unknown; for interleave fields 0 means not interleaved.
    def describe(value, _context) -> str:
        if value == 0xFF:
            return "Unknown"
        if value == 0 and zero:
            return zero
        return str(value)
    return describe


DESCRIPTOR = SmbiosDescriptor(
    type=20, title=S.TYPE_NAMES[20], schema=X.memory_device_mapped_address, spec="DSP0134 3.6.0 §7.21",
    min_length=0x13,
    meanings={
        "starting_address": starting_address, "ending_address": ending_address,
        "memory_device_handle": handle, "memory_array_mapped_address_handle": handle,
        "partition_row_position": position("Unknown"),
        "interleave_position": position("Unknown", "not interleaved"),
        "interleaved_data_depth": position("Unknown", "not interleaved"),
    },
    checks=(check_addresses,),
    references={"memory_device_handle": 17, "memory_array_mapped_address_handle": 19},
)
