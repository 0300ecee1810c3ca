"""SMBIOS type 4, Processor Information."""
from __future__ import annotations

from construct import Container

from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas import smbios as S
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

_status = enum_name(S.PROCESSOR_STATUS)


def status(value, context) -> str:
    # §7.5: bit 6 says whether the socket is populated, bits 2:0 the CPU's state.
    populated = "socket populated" if value & S.PROCESSOR_SOCKET_POPULATED else "socket unpopulated"
    return f"{populated}, {_status(value & 7, context)}"


def voltage(value, _context) -> str:
    # §7.5.4: bit 7 set: bits 6:0 are volts times 10; clear: bits 2:0 flag the legacy 5, 3.3 and 2.9 V.
    if value & 0x80:
        return f"{(value & 0x7F) / 10:.1f} V"
    names = [name for bit, name in ((0, "5.0 V"), (1, "3.3 V"), (2, "2.9 V")) if value >> bit & 1]
    return " ".join(names) if names else "Unknown"


def megahertz(value, _context) -> str:
    return f"{value} MHz" if value else "Unknown"  # §7.5: 0 unknown


def cache_handle(value, _context) -> str:
    # §7.5: FFFFh no cache structure (since 2.3; before it meant the processor has no such cache).
    return "Not Provided" if value == 0xFFFF else f"0x{value:04X}"


def see_field_2(name: str):
    """§7.5.6-§7.5.8: a count of FFh says the count is in the 16-bit `name`."""
    return lambda value, _context: f"see {name}" if value == S.COUNT_SEE_FIELD_2 else ""


def processor_count(body: Container, name: str) -> int | None:
    """A type 4 count with the FFh escape resolved (§7.5.6-§7.5.8); None when not present."""
    value, wide = body.get(name), body.get(name + "_2")
    if value is None:
        return None
    if value == S.COUNT_SEE_FIELD_2 and wide is not None:
        return wide
    return value


def check_counts(s) -> list[Finding]:
    body, out = s.parsed.body, []
    for name in ("core_count", "core_enabled", "thread_count"):
        value, wide = body.get(name), body.get(name + "_2")
        if value is None or wide is None:
            continue
        # §7.5.6-§7.5.8: up to 255 both fields hold the count; above it the byte is FFh and the word holds it.
        if value != S.COUNT_SEE_FIELD_2 and wide != value:
            out.append(Finding(ERROR, s.name, name + "_2", f"{wide}, but {name} is {value} (they must match "
                                                            f"below 255)"))
        elif value == S.COUNT_SEE_FIELD_2 and wide < 0xFF:
            out.append(Finding(ERROR, s.name, name + "_2", f"{wide}, but {name} is FFh, which is only for "
                                                            f"counts of 255 and more"))
    cores, enabled, threads = (processor_count(body, n) for n in ("core_count", "core_enabled", "thread_count"))
    if cores and enabled is not None and enabled > cores:
        out.append(Finding(ERROR, s.name, "core_enabled", f"{enabled} enabled cores out of {cores}"))
    if cores and threads and threads < cores:
        # §7.5.8: the thread count is per processor (socket), so it is at least the core count.
        out.append(Finding(WARNING, s.name, "thread_count", f"{threads} threads but {cores} cores per socket"))
    if body.get("core_count_2") is None and body.get("core_count") == S.COUNT_SEE_FIELD_2:
        out.append(Finding(INFO, s.name, "core_count", "FFh without core_count_2: 255 or more cores"))
    return out


def check_family(s) -> list[Finding]:
    body = s.parsed.body
    if body.processor_family == S.PROCESSOR_FAMILY_SEE_FAMILY_2 and body.processor_family_2 is None:
        return [Finding(WARNING, s.name, "processor_family", "FEh points at processor_family_2, which this "
                                                             "structure is too short for")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=4, title=S.TYPE_NAMES[4], schema=S.processor, spec="DSP0134 3.6.0 §7.5", min_length=0x1A,
    strings=frozenset({"socket_designation", "processor_manufacturer", "processor_version", "serial_number",
                       "asset_tag", "part_number"}),
    meanings={
        "status": status, "voltage": voltage,
        "external_clock": megahertz, "max_speed": megahertz, "current_speed": megahertz,
        "l1_cache_handle": cache_handle, "l2_cache_handle": cache_handle, "l3_cache_handle": cache_handle,
        "core_count": see_field_2("core_count_2"),
        "core_enabled": see_field_2("core_enabled_2"),
        "thread_count": see_field_2("thread_count_2"),
        "processor_characteristics": bit_names(S.PROCESSOR_CHARACTERISTICS),
    },
    enums={"processor_type": S.PROCESSOR_TYPES, "processor_family": S.PROCESSOR_FAMILIES,
           "processor_family_2": S.PROCESSOR_FAMILIES, "processor_upgrade": S.PROCESSOR_UPGRADES},
    checks=(check_counts, check_family),
)
