"""SMBIOS type 0, BIOS Information."""
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import bit_names
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def rom_size(value, _context) -> str:
    # §7.1: 64 KiB units, less one; FFh means the size is in extended_bios_rom_size (3.1+).
    return "see extended_bios_rom_size" if value == 0xFF else f"{(value + 1) * 64} KiB"


DESCRIPTOR = SmbiosDescriptor(
    type=0, title=S.TYPE_NAMES[0], schema=S.bios_information, spec="DSP0134 3.6.0 §7.1",
    min_length=0x12, strings=frozenset({"vendor", "bios_version", "bios_release_date"}),
    meanings={
        "bios_starting_address_segment": lambda value, _context: f"{value << 4:#x}",
        "bios_rom_size": rom_size,
        "bios_characteristics": bit_names(S.BIOS_CHARACTERISTICS),
        "bios_characteristics_extension_1": bit_names(S.BIOS_CHARACTERISTICS_EXTENSION_1),
        "bios_characteristics_extension_2": bit_names(S.BIOS_CHARACTERISTICS_EXTENSION_2),
    },
)
