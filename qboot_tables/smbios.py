"""SMBIOS: split a structure table, place QEMU's anchor and tables as firmware does, read dumps, validate, describe."""
from __future__ import annotations

import os
from typing import NamedTuple

from construct import Container

from qboot_tables.errors import InputError, ParseError, build, parse, quote
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types import GENERIC, descriptor, entry_point_rows, structure_rows
from qboot_tables.smbios_types.processor import processor_count  # noqa: F401  (re-exported)
from qboot_tables.smbios_types.entry_point import checksum_errors, checksum_ranges  # the entry point's checksums

# Linux's /sys/firmware/dmi/tables (drivers/firmware/dmi_scan.c, dmi_init): the entry point as found in memory,
# and the structure table it points to.
SYSFS_ENTRY_POINT = "smbios_entry_point"
SYSFS_TABLE = "DMI"

# SeaBIOS 1.16.2 copies a table of at most this many bytes into the F-segment and a larger one into high memory
# (src/config.h BUILD_MAX_SMBIOS_FSEG, used by smbios_build_tables in src/fw/biostables.c).
SEABIOS_MAX_FSEG_TABLE = 600

# What SeaBIOS 1.16.2 puts in the type 0 it adds when QEMU gives none (src/fw/biostables.c, smbios_new_type_0):
# its name, Debian's build version string, and a fixed date.
SEABIOS_TYPE0_STRINGS = (b"SeaBIOS", b"1.16.2-debian-1.16.2-1", b"04/01/2014")


class Structure(NamedTuple):
    """One SMBIOS structure: formatted area and string set, at `offset` in its table."""

    type: int
    handle: int
    offset: int
    formatted: bytes
    strings: list[bytes]
    raw: bytes
    parsed: Container | None  # the formatted area (type, length, handle, body) for decoded types, else None

    @property
    def length(self) -> int:
        return self.formatted[1]

    @property
    def name(self) -> str:
        return f"SMBIOS type {self.type} @{self.offset:#06x}"

    def string(self, index: int) -> bytes | None:
        """The string a string field points at (1-based); None for 0 or an index past the set."""
        return self.strings[index - 1] if 1 <= index <= len(self.strings) else None

    def to_json(self) -> str:
        """The structure's rows as dump-tables --json prints them."""
        from qboot_tables.api import to_json

        return to_json(self)


class Smbios:
    """An entry point and the structure table it points to, each with its guest address when known."""

    def __init__(self, entry_point: Container, entry_point_raw: bytes, entry_point_address: int | None,
                 table_raw: bytes, table_address: int | None, structures: list[Structure] | None = None):
        self.entry_point, self.entry_point_raw, self.entry_point_address = (entry_point, entry_point_raw,
                                                                           entry_point_address)
        self.table_raw, self.table_address = table_raw, table_address
        self.structures = structures if structures is not None else []

    @property
    def is_64bit(self) -> bool:
        return self.entry_point_raw.startswith(S.ANCHOR_30)

    @property
    def is_legacy(self) -> bool:
        """A bare DMI entry point (`_DMI_`, no `_SM_` in front): firmware before SMBIOS 2.1."""
        return self.entry_point_raw.startswith(S.INTERMEDIATE_ANCHOR)

    @property
    def version(self) -> tuple[int, int]:
        if self.is_legacy:  # only the BCD revision says which version: 21h is 2.1
            bcd = self.entry_point.bcd_revision
            return bcd >> 4, bcd & 0xF
        return self.entry_point.major_version, self.entry_point.minor_version

    @property
    def declared_table_length(self) -> int:
        # §5.2.1: the exact length for 2.1; §5.2.2: only a maximum for 3.0.
        ep = self.entry_point
        return ep.structure_table_max_size if self.is_64bit else ep.structure_table_length

    def of_type(self, type_: int) -> list[Structure]:
        return [s for s in self.structures if s.type == type_]


def split_structures(data: bytes) -> list[Structure]:
    """The structures in a table, up to and including the End-of-Table (type 127) or the end of `data`."""
    data = bytes(data)
    structures = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < S.HEADER_SIZE:
            raise ParseError("SMBIOS structure", f"only {len(data) - offset} bytes left, a header needs "
                                                 f"{S.HEADER_SIZE}", offset=offset)
        type_, length = data[offset], data[offset + 1]
        what = f"SMBIOS type {type_}"
        if length < S.HEADER_SIZE:
            # A length below the header would make the next structure start inside this one, or never advance.
            raise ParseError(what, f"length {length} is below the {S.HEADER_SIZE}-byte header", offset=offset)
        formatted_end = offset + length
        if formatted_end > len(data):
            raise ParseError(what, f"formatted area of {length} bytes runs past the end of the table "
                                   f"({len(data) - offset} bytes left)", offset=offset)
        # §6.1.3: the string set ends at the first double NUL after the formatted area.
        double_nul = data.find(b"\0\0", formatted_end)
        if double_nul < 0:
            raise ParseError(what, "string set has no terminating double NUL before the end of the table",
                             offset=offset)
        raw = data[offset:double_nul + 2]
        whole = parse(S.structure, raw, f"{what} at offset {offset:#x}")
        formatted = whole.formatted
        structures.append(Structure(
            type=type_, handle=formatted.handle, offset=offset, formatted=raw[:length],
            strings=list(whole.strings), raw=raw,
            parsed=formatted if type_ in S.DECODED_TYPES else None))
        offset += len(raw)
        if type_ == S.TYPE_END_OF_TABLE:
            break
    return structures


def parse_entry_point(data: bytes) -> Container:
    """The 2.1 (`_SM_`), 3.0 (`_SM3_`) or legacy DMI (`_DMI_`) entry point at the start of `data`."""
    data = bytes(data)
    if data.startswith(S.ANCHOR_30):
        return parse(S.entry_point_30, data[:S.ENTRY_POINT_30_SIZE], "SMBIOS 3.0 entry point")
    if data.startswith(S.ANCHOR_21):
        return parse(S.entry_point_21, data[:S.ENTRY_POINT_21_SIZE], "SMBIOS 2.1 entry point")
    if data.startswith(S.INTERMEDIATE_ANCHOR):
        return parse(S.entry_point_legacy, data[:S.ENTRY_POINT_LEGACY_SIZE], "legacy DMI entry point")
    raise ParseError("SMBIOS entry point", f"no _SM_, _SM3_ or _DMI_ anchor (starts with {data[:5]!r})")


def entry_point_size(entry_raw: bytes) -> int:
    if entry_raw.startswith(S.ANCHOR_30):
        return S.ENTRY_POINT_30_SIZE
    return S.ENTRY_POINT_LEGACY_SIZE if entry_raw.startswith(S.INTERMEDIATE_ANCHOR) else S.ENTRY_POINT_21_SIZE


def make_smbios(entry_raw: bytes, table_raw: bytes, entry_address: int | None = None,
                table_address: int | None = None) -> Smbios:
    """An Smbios from an entry point's bytes and the table's bytes; the table address defaults to the entry
    point's."""
    entry_raw = bytes(entry_raw)
    entry_point = parse_entry_point(entry_raw)
    entry_raw = entry_raw[:entry_point_size(entry_raw)]
    if table_address is None:
        table_address = entry_point.structure_table_address
    return Smbios(entry_point, entry_raw, entry_address, bytes(table_raw), table_address,
                  split_structures(table_raw))


def fix_entry_point_checksums(entry_raw: bytes) -> bytes:
    """The entry point with each checksum byte set so its range sums to zero (the one derived-field step)."""
    fixed = bytearray(entry_raw)
    for _name, at, start, end in checksum_ranges(entry_raw):
        fixed[at] = (fixed[at] - sum(fixed[start:end])) & 0xFF
    return bytes(fixed)


def seabios_type0(strings=SEABIOS_TYPE0_STRINGS) -> bytes:
    """The BIOS Information structure SeaBIOS adds when QEMU gives none (src/fw/biostables.c)."""
    fields = Container(
        vendor=1, bios_version=2, bios_starting_address_segment=0xE800, bios_release_date=3, bios_rom_size=0,
        bios_characteristics=1 << 3,  # "BIOS Characteristics are not supported"
        bios_characteristics_extension_1=0,
        bios_characteristics_extension_2=1 << 2,  # targeted content distribution, which SVVP needs
        system_bios_major_release=0, system_bios_minor_release=0,
        embedded_controller_major_release=0xFF, embedded_controller_minor_release=0xFF,
        extended_bios_rom_size=None, extra=b"")
    # SeaBIOS's struct smbios_type_0 ends at the embedded controller release: 18h bytes.
    formatted = Container(type=0, length=0x18, handle=0, body=fields)
    return build(S.structure, Container(formatted=formatted, strings=list(strings)), "SeaBIOS type 0")


def place_smbios(anchor: bytes, tables: bytes, table_address: int, entry_address: int, *,
                 add_type0: bool = False, type0_strings=SEABIOS_TYPE0_STRINGS) -> Smbios:
    """What firmware does with QEMU's etc/smbios/smbios-anchor and etc/smbios/smbios-tables.

    As SeaBIOS 1.16.2 does (src/fw/biostables.c, smbios_romfile_setup): write the table address into the entry
    point and fix its checksums; the structure table length, count and maximum structure size stay as QEMU
    declared them. With `add_type0`, a table without a type 0 gets SeaBIOS's own BIOS Information structure in
    front (handle 0), and the table length (the 3.0 maximum size), structure count and maximum structure size
    grow to match, unless the 2.1 length would pass FFFFh. Off by default: qboot and other firmware add nothing,
    and the result then holds exactly QEMU's bytes.
    """
    anchor, tables = bytes(anchor), bytes(tables)
    entry_point = parse_entry_point(anchor)
    is_64bit = anchor.startswith(S.ANCHOR_30)
    schema = S.entry_point_30 if is_64bit else S.entry_point_21
    if anchor.startswith(S.INTERMEDIATE_ANCHOR):
        schema, add_type0 = S.entry_point_legacy, False  # QEMU never builds one; keep its structures as given
    if add_type0 and not any(s.type == 0 for s in split_structures(tables)):
        type0 = seabios_type0(type0_strings)
        if is_64bit:
            entry_point.structure_table_max_size += len(type0)
            tables = type0 + tables
        elif len(type0) <= 0xFFFF - entry_point.structure_table_length:
            entry_point.structure_table_length += len(type0)
            entry_point.number_of_structures += 1
            entry_point.max_structure_size = max(entry_point.max_structure_size, len(type0))
            tables = type0 + tables
    entry_point.structure_table_address = table_address
    raw = fix_entry_point_checksums(build(schema, entry_point, "SMBIOS entry point"))
    return Smbios(parse_entry_point(raw), raw, entry_address, tables, table_address, split_structures(tables))


def read_smbios_dump(path: str, tree=None) -> Smbios:
    """Read `dmidecode --dump-bin` output, or Linux's /sys/firmware/dmi/tables directory (or a copy of it).

    `tree` is the files.InputTree the path belongs to, when it is part of a larger input."""
    from qboot_tables.files import InputTree

    tree = tree or InputTree(path)
    if os.path.isdir(path):
        entry_raw = tree.read(os.path.join(path, SYSFS_ENTRY_POINT))
        table_raw = tree.read(os.path.join(path, SYSFS_TABLE))
        _require_anchor(entry_raw, os.path.join(path, SYSFS_ENTRY_POINT))
        # The entry point holds the table's guest address; where the entry point itself was is not exported.
        return make_smbios(entry_raw, table_raw)
    return smbios_from_dump_bin(tree.read(path), path)


def smbios_from_dump_bin(data: bytes, path: str) -> Smbios:
    """The SMBIOS in the bytes of a `dmidecode --dump-bin` file."""
    _require_anchor(data, path)
    entry_point = parse_entry_point(data)
    # dmidecode writes the entry point at 0 and the table at the address it rewrote into the entry point (20h).
    start = entry_point.structure_table_address
    if start < entry_point_size(data) or start > len(data):
        raise InputError(f"{quote(path)}: entry point puts the table at {start:#x}, outside the "
                         f"{len(data)}-byte dump")
    if data.startswith(S.ANCHOR_30):
        # §5.2.2: a maximum, not the length; the table ends at its End-of-Table, and a dump holds no more
        # than the bytes up to there.
        table = data[start:start + entry_point.structure_table_max_size]
    else:
        table = data[start:start + entry_point.structure_table_length]
        if len(table) < entry_point.structure_table_length:
            raise InputError(f"{quote(path)}: entry point declares a {entry_point.structure_table_length}-byte "
                             f"table but the dump holds {len(table)} bytes after {start:#x}")
    return make_smbios(data, table)


def _require_anchor(data: bytes, path: str) -> None:
    if data.startswith(S.ANCHOR_30):
        needed = S.ENTRY_POINT_30_SIZE
    elif data.startswith(S.ANCHOR_21):
        needed = S.ENTRY_POINT_21_SIZE
    elif data.startswith(S.INTERMEDIATE_ANCHOR):
        needed = S.ENTRY_POINT_LEGACY_SIZE
    else:
        raise InputError(f"{path}: no SMBIOS entry point (_SM_, _SM3_ or _DMI_) at the start")
    if len(data) < needed:
        raise InputError(f"{path}: SMBIOS entry point cut off at {len(data)} of {needed} bytes")


# ---- validation

ENTRY = "SMBIOS entry point"


def validate_smbios(smbios: Smbios) -> list[Finding]:
    """Findings for the entry point, the table as a whole, and each structure."""
    return _validate_entry_point(smbios) + _validate_table(smbios) + [
        finding for s in smbios.structures for finding in validate_structure(s)]


def _validate_entry_point(smbios: Smbios) -> list[Finding]:
    ep, raw = smbios.entry_point, smbios.entry_point_raw
    out = []
    for name, total in checksum_errors(raw):
        out.append(Finding(ERROR, ENTRY, name, f"bytes sum to {total:#04x}, not 0"))
    if smbios.is_legacy:
        pass  # the legacy entry point has no length, revision or version fields: its checksum says it all
    elif smbios.is_64bit:
        if ep.length != S.ENTRY_POINT_30_SIZE:
            out.append(Finding(ERROR, ENTRY, "length", f"{ep.length:#x}, but a 3.0 entry point is "
                                                       f"{S.ENTRY_POINT_30_SIZE:#x} bytes (§5.2.2)"))
        if ep.entry_point_revision != 1:
            out.append(Finding(WARNING, ENTRY, "entry_point_revision",
                               f"{ep.entry_point_revision}, the 3.0 entry point is revision 1 (§5.2.2)"))
        if ep.major_version < 3:
            out.append(Finding(WARNING, ENTRY, "major_version",
                               f"version {ep.major_version}.{ep.minor_version} in a 3.0 (_SM3_) entry point"))
    else:
        if ep.intermediate_anchor != S.INTERMEDIATE_ANCHOR:
            out.append(Finding(ERROR, ENTRY, "intermediate_anchor",
                               f"{ep.intermediate_anchor!r}, not {S.INTERMEDIATE_ANCHOR!r} (§5.2.1)"))
        if ep.length != S.ENTRY_POINT_21_SIZE:
            out.append(Finding(ERROR, ENTRY, "length", f"{ep.length:#x}, but a 2.1 entry point is "
                                                       f"{S.ENTRY_POINT_21_SIZE:#x} bytes (§5.2.1)"))
        # §5.2.1: the BCD revision repeats the version (2.8 is 28h); 0 is common and harmless.
        bcd = ep.major_version << 4 | ep.minor_version
        if ep.bcd_revision not in (0, bcd) and ep.major_version < 10 and ep.minor_version < 10:
            out.append(Finding(WARNING, ENTRY, "bcd_revision", f"{ep.bcd_revision:#04x} for version "
                                                               f"{ep.major_version}.{ep.minor_version}"))
    if ep.structure_table_address == 0:
        out.append(Finding(WARNING, ENTRY, "structure_table_address", "0: the firmware did not fill it in"))
    return out


def _validate_table(smbios: Smbios) -> list[Finding]:
    ep, structures = smbios.entry_point, smbios.structures
    out = []
    used = sum(len(s.raw) for s in structures)
    declared = smbios.declared_table_length
    if smbios.is_64bit:
        if used > declared:
            out.append(Finding(ERROR, ENTRY, "structure_table_max_size",
                               f"{declared} bytes, but the structures occupy {used}"))
    else:
        if declared != len(smbios.table_raw):
            out.append(Finding(ERROR, ENTRY, "structure_table_length",
                               f"{declared} bytes, but the table holds {len(smbios.table_raw)}"))
        elif used < declared:
            out.append(Finding(WARNING, ENTRY, "structure_table_length",
                               f"{declared} bytes, but the structures end after {used}"))
        if ep.number_of_structures != len(structures):
            out.append(Finding(ERROR, ENTRY, "number_of_structures",
                               f"{ep.number_of_structures}, but the table holds {len(structures)} structures"))
        largest = max((len(s.raw) for s in structures), default=0)
        if smbios.is_legacy:
            pass  # §5.2.1's maximum structure size lives only in the _SM_ part
        elif ep.max_structure_size < largest:
            out.append(Finding(ERROR, ENTRY, "max_structure_size",
                               f"{ep.max_structure_size}, but a structure is {largest} bytes"))
        elif ep.max_structure_size > largest:
            out.append(Finding(WARNING, ENTRY, "max_structure_size",
                               f"{ep.max_structure_size}, but the largest structure is {largest} bytes"))
    if not structures or structures[-1].type != S.TYPE_END_OF_TABLE:
        # §7.44; a 3.0 table has only a maximum length, so without it nothing marks the end.
        out.append(Finding(ERROR if smbios.is_64bit else WARNING, "SMBIOS", "",
                           "no End-of-Table (type 127) structure"))
    out += _check_references(structures)
    seen: dict[int, Structure] = {}
    for s in structures:
        if s.handle in seen:
            out.append(Finding(ERROR, s.name, "handle", f"{s.handle:#06x} is also the handle of "
                                                         f"{seen[s.handle].name}"))
        else:
            seen[s.handle] = s
    return out


# §7.17, §7.18 (error information handle): FFFEh "not provided" and FFFFh "no error" are not references.
NOT_A_HANDLE = (0xFFFE, 0xFFFF)


def _check_references(structures: list[Structure]) -> list[Finding]:
    """Each handle a descriptor marks as a reference names a structure of the type it says."""
    types_by_handle = {s.handle: s.type for s in structures}
    out = []
    for s in structures:
        if s.parsed is None:
            continue
        for name, wanted in descriptor(s.type).references.items():
            handle = s.parsed.body.get(name)
            if handle is None or handle in NOT_A_HANDLE:
                continue
            if types_by_handle.get(handle) != wanted:
                found = types_by_handle.get(handle)
                what = "no structure" if found is None else f"a type {found}"
                out.append(Finding(ERROR, s.name, name, f"{handle:#06x} is {what}, not a type {wanted} "
                                                        f"({S.TYPE_NAMES[wanted]})"))
    return out


def mapped_ranges(smbios: Smbios) -> list[tuple[int, int]]:
    """Byte ranges [start, end) that the type 19 structures map, with the extended addresses resolved."""
    ranges = []
    for s in smbios.of_type(19):
        if s.parsed is None:  # type 19 is always decoded (S.DECODED_TYPES)
            continue
        body = s.parsed.body
        if body.starting_address is None or body.ending_address is None:
            continue
        if body.starting_address == S.MAPPED_ADDRESS_SEE_EXTENDED and body.extended_starting_address is not None:
            ranges.append((body.extended_starting_address, body.extended_ending_address + 1))
        else:
            # §7.20: KiB addresses, the ending one inclusive (its last KiB).
            ranges.append((body.starting_address * 1024, (body.ending_address + 1) * 1024))
    return ranges


def validate_structure(s: Structure) -> list[Finding]:
    """The generic checks (length, handle, strings, enumerations) from the type's descriptor, then its own."""
    d = descriptor(s.type)
    out = []
    if d is not GENERIC and s.length < d.min_length:
        out.append(Finding(ERROR, s.name, "length", f"{s.length:#x}, below the {d.min_length:#x} bytes that "
                                                    f"{d.title} needs"))
    if s.handle > S.MAX_HANDLE:
        out.append(Finding(WARNING, s.name, "handle", f"{s.handle:#06x} is above FF00h, the highest handle "
                                                      f"since 2.1 (§6.1.2)"))
    for index, string in enumerate(s.strings, 1):
        if not string:
            out.append(Finding(ERROR, s.name, f"string {index}", "empty string inside the string set (§6.1.3)"))
    if s.parsed is None:
        return out
    body = s.parsed.body
    for name in sorted(d.strings):
        index = body.get(name)
        if index and index > len(s.strings):
            out.append(Finding(ERROR, s.name, name, f"string {index}, but the set has {len(s.strings)}"))
    for name, names in d.enums.items():
        if body.get(name) == 0 and 0 not in names:
            # Every one of these enumerations starts at 01h "Other"; dmidecode prints <OUT OF SPEC>.
            out.append(Finding(WARNING, s.name, name, "0 is not a defined value"))
    for check in d.checks:
        out += check(s)
    return out


# ---- description rows: the registry's descriptors, through the same row walk as the ACPI tables


def describe_entry_point(smbios: Smbios) -> list[dict]:
    """Rows {name, offset, size, value, meaning} for the entry point's fields."""
    return [row._asdict() for row in entry_point_rows(smbios)]


def describe_structure(structure: Structure) -> list[dict]:
    """Rows {name, offset, size, value, meaning} for the header, each field present, and each string."""
    return [row._asdict() for row in structure_rows(structure)]
