"""SMBIOS type 19, Memory Array Mapped Address."""
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def starting_address(value, _context) -> str:
    # §7.20: KiB; FFFF_FFFFh says the byte addresses are in the extended fields (2.7+).
    return "see the extended address" if value == S.MAPPED_ADDRESS_SEE_EXTENDED else f"{value * 1024:#x}"


def ending_address(value, context) -> str:
    # The ending address is inclusive: its last KiB.
    if value == S.MAPPED_ADDRESS_SEE_EXTENDED:
        return starting_address(value, context)
    return f"{value * 1024 + 1023:#x}"


def check_addresses(s) -> list[Finding]:
    body = s.parsed.body
    if body.starting_address is None or body.ending_address is None:
        return []
    if body.starting_address == S.MAPPED_ADDRESS_SEE_EXTENDED:
        start, end, unit = body.extended_starting_address, body.extended_ending_address, "extended_"
        if start is None:
            return [Finding(ERROR, s.name, "starting_address", "FFFF_FFFFh points at the extended addresses, which "
                                                               "this structure is too short for")]
    else:
        start, end, unit = body.starting_address, body.ending_address, ""
    if end < start:
        return [Finding(ERROR, s.name, unit + "ending_address", f"{end:#x} is below {unit}starting_address "
                                                                f"{start:#x}")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=19, title=S.TYPE_NAMES[19], schema=S.memory_array_mapped_address, spec="DSP0134 3.6.0 §7.20",
    min_length=0x0F,
    meanings={"starting_address": starting_address, "ending_address": ending_address,
              "memory_array_handle": lambda value, _context: f"0x{value:04X}"},
    checks=(check_addresses,),
    references={"memory_array_handle": 16},
)
