"""SMBIOS type 4, Processor Information."""
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

_status = enum_name(S.PROCESSOR_STATUS)


def status(value, context) -> str:
    # §7.5: bit 6 says whether the socket is populated, bits 2:0 the CPU's state.
    populated = "socket populated" if value & S.PROCESSOR_SOCKET_POPULATED else "socket unpopulated"
    return f"{populated}, {_status(value & 7, context)}"


def see_field_2(name: str):
    """§7.5.6-§7.5.8: a count of FFh says the count is in the 16-bit `name`."""
    return lambda value, _context: f"see {name}" if value == S.COUNT_SEE_FIELD_2 else ""


_families = enum_name(S.PROCESSOR_FAMILIES)

DESCRIPTOR = SmbiosDescriptor(
    type=4, title=S.TYPE_NAMES[4], schema=S.processor, spec="DSP0134 3.6.0 §7.5",
    min_length=S.MIN_LENGTHS[4], strings=frozenset(S.STRING_FIELDS[4]),
    meanings={
        "processor_type": enum_name(S.PROCESSOR_TYPES),
        "processor_family": _families,
        "processor_family_2": _families,
        "status": status,
        "processor_upgrade": enum_name(S.PROCESSOR_UPGRADES),
        "core_count": see_field_2("core_count_2"),
        "core_enabled": see_field_2("core_enabled_2"),
        "thread_count": see_field_2("thread_count_2"),
        "processor_characteristics": bit_names(S.PROCESSOR_CHARACTERISTICS),
    },
)
