"""SMBIOS type 7, Cache Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import memory_size, names_of_bits


def cache_size(value: int, wide: bool) -> str:
    # §7.8: the top bit picks 64K granularity over 1K; the 2.0 word has 15 bits of count, the 3.1 dword 31.
    flag = 1 << (31 if wide else 15)
    count = value & (flag - 1)
    return memory_size(count * 64 if value & flag else count, 1)


def size_meaning(wide: bool):
    return lambda value, _context: cache_size(value, wide)


def configuration(value, _context) -> str:
    # §7.8: bits 2:0 the level less one, bit 3 socketed, bits 6:5 location, bit 7 enabled, bits 9:8 the mode.
    state = "Enabled" if value & 0x80 else "Disabled"
    socketed = "Socketed" if value & 8 else "Not Socketed"
    return "; ".join([f"Configuration: {state}, {socketed}, Level {(value & 7) + 1}",
                      f"Operational Mode: {X.CACHE_MODES[value >> 8 & 3]}",
                      f"Location: {X.CACHE_LOCATIONS.get(value >> 5 & 3, 'out of spec')}"])

DESCRIPTOR = SmbiosDescriptor(
    type=7, title=S.TYPE_NAMES[7], schema=X.cache, spec="DSP0134 3.6.0 §7.8", min_length=0x0F,
    strings=frozenset({"socket_designation"}),
    meanings={
        "cache_configuration": configuration,
        "maximum_cache_size": size_meaning(False), "installed_size": size_meaning(False),
        "maximum_cache_size_2": size_meaning(True), "installed_cache_size_2": size_meaning(True),
        "supported_sram_type": names_of_bits(X.SRAM_TYPES), "current_sram_type": names_of_bits(X.SRAM_TYPES),
        "cache_speed": lambda value, _context: f"{value} ns" if value else "Unknown",
    },
    enums={"error_correction_type": X.CACHE_ERROR_CORRECTION, "system_cache_type": X.SYSTEM_CACHE_TYPES,
           "associativity": X.CACHE_ASSOCIATIVITY},
)
