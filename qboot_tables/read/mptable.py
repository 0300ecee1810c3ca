"""Reading the Intel MP table (MPS 1.4): from a file that starts with either structure, or from a linked image.

What is wrong with the bytes (checksums, counts, lengths, the pointer) becomes findings on the MpTable, and
whatever still parses is kept. parse_mptable() and parse_config_table() raise ParseError only for damage that
leaves nothing to read (a wrong signature, a table outside the data); find_mptable() turns even that into a
finding, as the walk does for ACPI pointers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from construct import Container

from qboot_tables.errors import ParseError, parse
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.read.loader import AddressError
from qboot_tables.schemas.mptable import (MP_BASE_MEMORY_LAST_KIB, MP_BIOS_ROM, MP_CONFIG_HEADER_SIZE,
                                          MP_EBDA_SEGMENT_POINTER, MP_ENTRY_SIZES, MP_EXTENDED_HEADER_SIZE,
                                          MP_EXTENDED_TYPES, MP_FLOATING_POINTER_SIZE, MP_SCAN_SIZE,
                                          mp_config_header, mp_entry, mp_extended_entry, mp_floating_pointer)

FLOATING_SIGNATURE, CONFIG_SIGNATURE = b"_MP_", b"PCMP"
MPTABLE = "MPTABLE"  # the table name findings carry
MPTABLE_FILE = "mptable.bin"  # the floating pointer and the table, beside the ACPI tables in a tables folder
FOUR_GIB = 1 << 32


@dataclass
class MpEntry:
    """One base or extended entry: where it lies in the configuration table, its bytes and its parse."""
    type: int
    offset: int  # from the start of the configuration table
    raw: bytes
    parsed: Container | None  # {type, body} (base) or {type, length, body} (extended); None when cut off


@dataclass
class MpTable:
    """A parsed MP table, what is wrong with its bytes, and where each structure lies (None when not known)."""
    floating: Container | None  # None for a configuration table read on its own
    config: Container | None  # .header, .entries (parsed base entries), .extended; None without a table
    problems: list = field(default_factory=list)  # Findings (table "MPTABLE")
    floating_address: int | None = None
    config_address: int | None = None
    floating_raw: bytes = b""
    config_raw: bytes = b""  # the base table and the extended entries after it, as far as they could be read
    base: list[MpEntry] = field(default_factory=list)
    extended: list[MpEntry] = field(default_factory=list)

    def entries(self, entry_type: int) -> list[Container]:
        """The bodies of every decoded entry of a type, base or extended, in table order."""
        return [e.parsed.body for e in self.base + self.extended
                if e.type == entry_type and e.parsed is not None and isinstance(e.parsed.body, dict)]


def _problem(problems: list, field_: str, message: str, severity: str = ERROR) -> None:
    problems.append(Finding(severity, MPTABLE, field_, message))


def looks_like_mptable(data: bytes) -> bool:
    """A file that starts with the floating pointer or the configuration table header."""
    return data[:4] in (FLOATING_SIGNATURE, CONFIG_SIGNATURE) and len(data) >= MP_FLOATING_POINTER_SIZE


def parse_floating(data: bytes, problems: list) -> Container:
    """The floating pointer at the start of `data`; its own checks (§4.1) become findings."""
    floating = parse(mp_floating_pointer, data[:MP_FLOATING_POINTER_SIZE], "MP floating pointer")
    if floating.signature != FLOATING_SIGNATURE:
        raise ParseError("MP floating pointer", f"signature {floating.signature!r}, expected {FLOATING_SIGNATURE!r}")
    span = floating.length * 16
    if floating.length != 1:
        _problem(problems, "floating.length", f"length {floating.length} paragraphs, MPS 1.4 §4.1 says 1")
    if not 16 <= span <= len(data):
        span = MP_FLOATING_POINTER_SIZE
    if sum(data[:span]) & 0xFF:
        _problem(problems, "floating.checksum", "floating pointer checksum is wrong")
    return floating


def parse_mptable(data: bytes, address: int | None = None) -> MpTable:
    """Read an MP table laid out as a firmware copies it: the floating pointer at offset 0 of `data`, which
    lies at `address`; without `address`, the configuration table is taken to follow the floating pointer.

    Structural damage (a wrong signature, a table outside `data`, an unknown base entry type, a base table
    longer than the data) raises ParseError; bad checksums and inconsistent counts are findings.
    """
    data = bytes(data)
    table = _read_with_floating(data, address)
    _raise_fatal(table)
    return table


def _read_with_floating(data: bytes, address: int | None) -> MpTable:
    problems: list = []
    floating = parse_floating(data, problems)
    if floating.physical_address_pointer == 0:
        raise ParseError("MP floating pointer", f"default configuration {floating.feature1}: no table to read")
    base = floating.physical_address_pointer - MP_FLOATING_POINTER_SIZE if address is None else address
    offset = floating.physical_address_pointer - base
    if not 0 <= offset <= len(data) - MP_CONFIG_HEADER_SIZE:
        raise ParseError("MP config table", f"pointer {floating.physical_address_pointer:#x} is outside the "
                                            f"{len(data)} bytes at {base:#x}")
    table = read_config(data[offset:], floating.physical_address_pointer, problems)
    table.floating, table.floating_address = floating, base
    table.floating_raw = data[:MP_FLOATING_POINTER_SIZE]
    return table


def parse_config_table(data: bytes, address: int | None = None) -> MpTable:
    """Read a configuration table ("PCMP") on its own, at offset 0 of `data`, which lies at `address`."""
    table = read_config(bytes(data), address, [])
    _raise_fatal(table)
    return table


# Problems after which nothing more can be read: parse_mptable() raises them, read_mptable_file() keeps them.
_FATAL = re.compile(r"config\.base_table_length|entries\[\d+\](\.type)?")


def _raise_fatal(table: MpTable) -> None:
    for p in table.problems:
        if _FATAL.fullmatch(p.field):
            raise ParseError("MP config table", p.message, p.field)


def read_mptable_file(data: bytes, address: int | None = None) -> MpTable:
    """A file holding either structure first: like parse_*, but a table cut short keeps what can be read."""
    data = bytes(data)
    if data[:4] == CONFIG_SIGNATURE:
        return read_config(data, address, [])
    return _read_with_floating(data, address)


def read_config(data: bytes, address: int | None, problems: list) -> MpTable:
    """The configuration table at the start of `data`: header, base entries, extended entries (§4.2-§4.4).

    `data` may run past the table (a file, the rest of a region); only the lengths the header gives are read."""
    header = parse(mp_config_header, data, "MP config table")
    if header.signature != CONFIG_SIGNATURE:
        raise ParseError("MP config table", f"signature {header.signature!r}, expected {CONFIG_SIGNATURE!r}")
    table = MpTable(None, None, problems, config_address=address)
    length = header.base_table_length
    if length < MP_CONFIG_HEADER_SIZE or length > len(data):
        _problem(problems, "config.base_table_length",
                 f"base table length {length} does not fit the data ({len(data)} bytes from the header on)")
        length = max(MP_CONFIG_HEADER_SIZE, min(length, len(data)))
    elif sum(data[:length]) & 0xFF:
        _problem(problems, "config.checksum", "configuration table checksum is wrong")
    base = _read_base_entries(data[:length], header, problems)
    end = length
    extended: list[MpEntry] = []
    if header.extended_table_length:
        end = length + header.extended_table_length
        if end > len(data):
            _problem(problems, "config.extended_table_length",
                     f"{header.extended_table_length} bytes of extended entries, {len(data) - length} present")
            end = len(data)
        ext = data[length:end]
        if (sum(ext) + header.extended_table_checksum) & 0xFF:
            _problem(problems, "config.extended_table_checksum", "extended table checksum is wrong")
        extended = _read_extended_entries(ext, length, problems)
    elif header.extended_table_checksum:
        _problem(problems, "config.extended_table_checksum",
                 f"{header.extended_table_checksum:#04x} with no extended entries, where 0 sums to zero")
    table.config_raw = data[:end]
    table.base, table.extended = base, extended
    table.config = Container(header=header, entries=[e.parsed for e in base if e.parsed is not None],
                             extended=[e.parsed for e in extended if e.parsed is not None])
    return table


def _read_base_entries(data: bytes, header, problems: list) -> list[MpEntry]:
    """Base entries from the header's end to the base table length; their number is compared with entry_count."""
    entries: list[MpEntry] = []
    offset = MP_CONFIG_HEADER_SIZE
    while offset < len(data):
        kind = data[offset]
        size = MP_ENTRY_SIZES.get(kind)
        index = len(entries)
        if size is None:
            # Base entries carry no length (§4.3), so a type outside Table 4-3 cannot be stepped over.
            _problem(problems, f"entries[{index}].type", f"unknown base entry type {kind} at offset {offset:#x}: "
                                                         "entries carry no length, so nothing after it can be read")
            break
        raw = data[offset:offset + size]
        if len(raw) < size:
            _problem(problems, f"entries[{index}]", f"type {kind} entry of {size} bytes cut off after {len(raw)} "
                                                    "by the base table length")
            break
        entries.append(MpEntry(kind, offset, raw, parse(mp_entry, raw, "MP table entry")))
        offset += size
    if len(entries) != header.entry_count:
        _problem(problems, "config.entry_count", f"{header.entry_count} entries counted, the base table length "
                                                 f"holds {len(entries)}")
    return entries


def _read_extended_entries(data: bytes, base: int, problems: list) -> list[MpEntry]:
    """Extended entries (§4.4), each with its own length, over exactly extended_table_length bytes."""
    entries: list[MpEntry] = []
    offset = 0
    while offset < len(data):
        index = len(entries)
        if len(data) - offset < MP_EXTENDED_HEADER_SIZE or data[offset + 1] < MP_EXTENDED_HEADER_SIZE:
            _problem(problems, f"extended[{index}].length", f"{len(data) - offset} bytes left at offset "
                                                            f"{base + offset:#x} hold no whole entry")
            break
        kind, size = data[offset], data[offset + 1]
        raw = data[offset:offset + size]
        if len(raw) < size:
            _problem(problems, f"extended[{index}].length", f"type {kind} entry of {size} bytes, "
                                                            f"{len(raw)} left in the extended table")
            break
        try:
            parsed = parse(mp_extended_entry, raw, "MP extended entry")
        except ParseError as e:  # a known type whose length is shorter than its fields
            _problem(problems, f"extended[{index}].length", str(e))
            parsed = None
        entries.append(MpEntry(kind, base + offset, raw, parsed))
        if kind not in MP_EXTENDED_TYPES:
            _problem(problems, f"extended[{index}].type", f"type {kind} is not one MPS 1.4 defines: kept as bytes",
                     INFO)
        offset += size
    return entries


def find_mptable(image, findings: list) -> MpTable | None:
    """The floating pointer where an OS looks for it (§4: the EBDA's first KiB, the last KiB of base memory,
    the BIOS ROM), then the configuration table it points at. None, silently, when there is no "_MP_"."""
    for address in _scan(image):
        try:
            raw = image.read(address, MP_FLOATING_POINTER_SIZE)
        except AddressError:  # the candidate ends past its region: not a floating pointer
            continue
        problems: list = []
        try:
            floating = parse_floating(raw, problems)
        except ParseError:
            continue
        table = MpTable(floating, None, problems, floating_address=address, floating_raw=raw)
        pointer = floating.physical_address_pointer
        if pointer == 0:
            _problem(problems, "floating.feature1", f"default configuration {floating.feature1}: no table, "
                                                    "nothing to check", WARNING)
            return table
        try:
            region, offset = image.region_at(pointer, MP_CONFIG_HEADER_SIZE)
            data = image.memory[region.name][offset:]
            read = read_config(data, pointer, problems)
        except ParseError as e:
            _problem(problems, "floating.physical_address_pointer", f"{pointer:#x}: {e}")
            return table
        except AddressError as e:
            _problem(problems, "floating.physical_address_pointer", f"points at {pointer:#x}, but {e}")
            return table
        read.floating, read.floating_address, read.floating_raw = floating, address, raw
        return read
    return None


def _scan(image):
    """Candidate floating pointer addresses, 16-byte aligned, in the order §4 gives."""
    ranges = []
    try:
        segment = int.from_bytes(image.read(MP_EBDA_SEGMENT_POINTER, 2), "little")
        if segment:
            ranges.append((segment << 4, (segment << 4) + MP_SCAN_SIZE))
    except AddressError:  # no BIOS data area in the image: no EBDA to look in
        pass
    ranges += [MP_BASE_MEMORY_LAST_KIB, MP_BIOS_ROM]
    for start, end in ranges:
        for base, data in image.regions_in(start, end):
            first = max(start, base)
            first += -first % 16
            for address in range(first, min(end, base + len(data)) - MP_FLOATING_POINTER_SIZE + 1, 16):
                if data[address - base:address - base + 4] == FLOATING_SIGNATURE:
                    yield address
