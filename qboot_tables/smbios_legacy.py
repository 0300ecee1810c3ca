"""Legacy SMBIOS: QEMU's FW_CFG_SMBIOS_ENTRIES (old machine types) turned into the tables SeaBIOS builds from them.

QEMU 7.2 hands SMBIOS to firmware this way when the machine has smbios_legacy_mode (hw/i386/pc_piix.c:
pc-i440fx-2.0 down to 1.4, and isapc): no etc/smbios/* files, only type 0 and 1 fields and -smbios file=
structures (hw/smbios/smbios.c smbios_get_table_legacy, smbios_add_field, smbios_entry_add). The firmware builds
the table itself. This module does what SeaBIOS 1.16 does (src/fw/smbios.c smbios_legacy_setup and the
smbios_init_type_* builders, src/fw/paravirt.c qemu_cfg_legacy): its defaults, string numbering, handles, the
order of structures and where a -smbios file= structure replaces a built one.
"""
from __future__ import annotations

import struct
from typing import NamedTuple

from construct import Container

from qboot_tables.errors import ParseError, QbootTablesError, build, parse
from qboot_tables.schemas import fw_cfg as fw, smbios as S

# SeaBIOS src/config.h BUILD_APPNAME: the default manufacturer strings of its legacy tables.
APPNAME = b"Bochs"
# src/fw/smbios.c RELEASE_DATE_STR, the legacy type 0's default date.
RELEASE_DATE = b"01/01/2011"
# src/fw/smbios.c TEMPSMBIOSSIZE: the buffer the table is built in. get_external stops copying QEMU's structures
# where they would reach into the end structure's 4 bytes; SeaBIOS's own structures are written unchecked.
BUILD_BUFFER = 32 * 1024
END_STRUCTURE_SIZE = 4
# The entry point SeaBIOS writes for it (smbios_21_entry_point_setup): SMBIOS 2.4.
LEGACY_VERSION = (2, 4)
# Largest item accepted from fw_cfg: entry lengths are u16, and QEMU's list is rarely more than a few KiB.
MAX_ENTRIES_SIZE = 16 << 20
WHAT = "FW_CFG_SMBIOS_ENTRIES"


class LegacyEntry(NamedTuple):
    kind: int  # fw.SMBIOS_FIELD_ENTRY or fw.SMBIOS_TABLE_ENTRY
    type: int  # the SMBIOS structure type it is for (a table's first byte)
    offset: int  # a field's offset in its structure; 0 for a table
    data: bytes  # the field's bytes, or the whole structure as given


def entries_size(raw: bytes) -> int:
    """How many bytes the item needs, judged from its first len(raw) bytes: more than len(raw) means read more.

    The selector publishes no size (fw_cfg reads past an item's end give zeros), so a reader learns it from
    the count and each entry's length, as SeaBIOS's qemu_cfg_legacy walks it."""
    if len(raw) < 2:
        return 2
    count, at = int.from_bytes(raw[:2], "little"), 2
    for _ in range(count):
        if at + 2 > len(raw):
            return at + 2
        length = int.from_bytes(raw[at:at + 2], "little")
        if length < fw.smbios_legacy_header.sizeof():
            raise ParseError(WHAT, f"an entry's length {length} is shorter than its header", offset=at)
        at += length
    return at


def parse_entries(raw: bytes) -> list[LegacyEntry]:
    """The entries of a FW_CFG_SMBIOS_ENTRIES item (fw.smbios_legacy_header and what follows it)."""
    need = entries_size(raw)
    if need > len(raw):
        raise ParseError(WHAT, f"{len(raw)} bytes, but its entries need {need}")
    count, at, out = int.from_bytes(raw[:2], "little"), 2, []
    for i in range(count):
        header = parse(fw.smbios_legacy_header, raw[at:at + 3], WHAT)
        length, kind = header.length, header.kind
        body = raw[at + 3:at + length]
        if kind == fw.SMBIOS_FIELD_ENTRY:
            if len(body) < 3:
                raise ParseError(WHAT, f"entry {i}: a field entry of {length} bytes has no offset", offset=at)
            field = parse(fw.smbios_legacy_field, raw[at:at + length], WHAT)
            out.append(LegacyEntry(kind, field.type, field.offset, field.data))
        elif kind == fw.SMBIOS_TABLE_ENTRY:
            if len(body) < 4:
                raise ParseError(WHAT, f"entry {i}: a table of {len(body)} bytes has no header", offset=at)
            out.append(LegacyEntry(kind, body[0], 0, body))
        else:
            raise ParseError(WHAT, f"entry {i}: kind {kind} is neither field (0) nor table (1)", offset=at)
        at += length
    return out


class LegacySmbiosError(QbootTablesError):
    """A machine whose legacy table SeaBIOS could not build: its own structures would overrun its buffer."""


class LegacyTable(NamedTuple):
    tables: bytes  # the structure table
    structures: int  # how many structures it holds
    max_structure_size: int


class _Builder:
    """src/fw/smbios.c's add_struct / get_external / get_field, over the entries instead of SeaBIOS romfiles."""

    def __init__(self, entries: list[LegacyEntry]):
        # SeaBIOS adds each entry as a romfile at the head of its list (src/romfile.c romfile_add), so a
        # lookup finds the last entry of a name first.
        self.fields = {(e.type, e.offset): e.data for e in entries if e.kind == fw.SMBIOS_FIELD_ENTRY}
        self.tables = [e for e in reversed(entries) if e.kind == fw.SMBIOS_TABLE_ENTRY]
        self.used: set[int] = set()
        self.out = bytearray()
        self.count = 0
        self.max_size = 0

    def add(self, type_: int, build) -> None:
        """add_struct: QEMU's structures of this type if any (once per type), else SeaBIOS's own."""
        if not self.external(type_):
            self._append(build())

    def external(self, type_: int) -> bool:
        """get_external: copy every -smbios file= structure of `type_`, adding the string set's final NUL."""
        if type_ in self.used:
            return True
        if type_ == 127:
            return False  # QEMU's own end structure would end the table early
        found = False
        for entry in self.tables:
            if entry.type != type_:
                continue
            if BUILD_BUFFER - END_STRUCTURE_SIZE - len(self.out) < len(entry.data):
                break  # warn_noalloc: this one and the rest of its type are left out
            data = entry.data + b"\0"
            if entry.data[1] >= len(entry.data):
                data += b"\0"  # no strings at all: the formatted area needs both NULs
            self._append(data)
            found = True
        if found:
            self.used.add(type_)
        return found

    def _append(self, data: bytes) -> None:
        # Past the buffer SeaBIOS writes over whatever follows it (hundreds of CPUs or terabytes of RAM in
        # a machine type that hands SMBIOS over this way): nothing a guest could rely on, so not modelled.
        if len(self.out) + len(data) > BUILD_BUFFER:
            raise LegacySmbiosError(f"SeaBIOS's legacy SMBIOS would overrun its {BUILD_BUFFER // 1024} KiB buffer "
                                    f"at structure {self.count + 1} (src/fw/smbios.c TEMPSMBIOSSIZE)")
        self.out += data
        self.count += 1
        self.max_size = max(self.max_size, len(data))


class _Structure:
    """One smbios_init_type_N: a zeroed formatted area, fields from QEMU or defaults, strings numbered from 1."""

    def __init__(self, fields: dict, type_: int, length: int, handle: int):
        self.fields, self.type = fields, type_
        self.formatted = bytearray(length)
        struct.pack_into("<BBH", self.formatted, 0, type_, length, handle)
        self.strings = bytearray()
        self.index = 0

    def field(self, offset: int) -> bytes | None:
        return self.fields.get((self.type, offset))

    def string(self, offset: int, default: bytes | None) -> None:
        """load_str_field_with_default (a default given) or load_str_field_or_skip (None)."""
        data = self.field(offset) or b""  # get_field's size 0 counts as absent
        if len(data) > 1:
            self.add_string(offset, data)
        elif default is not None and not data:
            self.add_string(offset, default + b"\0")
        else:
            self.formatted[offset] = 0  # an empty string: no index, so no early end of the set

    def add_string(self, offset: int, data: bytes) -> None:
        self.strings += data
        self.index += 1
        self.formatted[offset] = self.index

    def set(self, offset: int, fmt: str, default) -> None:
        """set_field_with_default: QEMU's bytes as given, else the default."""
        data = self.field(offset)
        if data:  # get_field's size 0 counts as absent
            end = min(offset + len(data), len(self.formatted))  # SeaBIOS would run on into the next fields
            self.formatted[offset:end] = data[:end - offset]
        else:
            struct.pack_into("<" + fmt, self.formatted, offset, *(default if isinstance(default, tuple) else
                                                                   (default,)))

    def done(self) -> bytes:
        # The set ends with one more NUL; with no strings the formatted area is followed by two.
        return bytes(self.formatted) + bytes(self.strings) + (b"\0" if self.index else b"\0\0")


def build_legacy_tables(entries: list[LegacyEntry], *, cpus: int, ram_below_4g: int, ram_above_4g: int,
                        processor_id: bytes = bytes(8)) -> LegacyTable:
    """The structure table SeaBIOS's smbios_legacy_setup builds (src/fw/smbios.c).

    cpus is SeaBIOS's MaxCountCPUs: the larger of the max_cpus and nb_cpus selectors (src/fw/smp.c smp_setup).
    ram_below_4g and ram_above_4g are its RamSize and RamSizeOver4G: the end of the highest etc/e820 RAM range
    below 4 GiB, and above it less 4 GiB (src/fw/paravirt.c qemu_early_e820). processor_id is CPUID leaf 1's
    EAX then EDX on the CPU SeaBIOS runs on, which fw_cfg does not carry.
    """
    b = _Builder(entries)
    fields = b.fields
    b.add(0, lambda: _type0(fields))
    b.add(1, lambda: _type1(fields))
    b.add(3, lambda: _type3(fields))
    for cpu in range(1, cpus + 1):
        b.add(4, lambda: _type4(fields, cpu, processor_id))
    ram_mb = (ram_below_4g + ram_above_4g) >> 20
    devices = (ram_mb + 0x3FFF) >> 14
    b.add(16, lambda: _type16(fields, ram_mb, devices))

    def device_mb(i: int) -> int:
        return ((ram_mb - 1) & 0x3FFF) + 1 if i == devices - 1 else 16384

    for i in range(devices):
        b.add(17, lambda: _type17(fields, device_mb(i), i))
    b.add(19, lambda: _type19(0, ram_below_4g >> 20, 0))
    if ram_above_4g:
        b.add(19, lambda: _type19(4096, ram_above_4g >> 20, 1))
    b.add(20, lambda: _type20(0, ram_below_4g >> 20, 0, 0, 0))
    if ram_above_4g:
        start_mb = 4096
        for i in range(devices):
            size_mb = device_mb(i) - (ram_below_4g >> 20 if i == 0 else 0)
            b.add(20, lambda: _type20(start_mb, size_mb, i + 1, i, 1))
            start_mb += size_mb
    b.add(32, lambda: _type32(fields))
    for type_ in range(256):  # QEMU's remaining structures, by type, before the end
        b.external(type_)
    b.add(127, lambda: _Structure(fields, 127, 4, 0x7F00).done())
    return LegacyTable(bytes(b.out), b.count, b.max_size)


# Offsets below are those of SeaBIOS's src/std/smbios.h structs (the SMBIOS 2.4 layouts of each type).

def _type0(fields) -> bytes:
    s = _Structure(fields, 0, 0x18, 0)
    s.string(0x04, APPNAME)  # vendor
    s.string(0x05, APPNAME)  # BIOS version
    struct.pack_into("<H", s.formatted, 0x06, 0xE800)  # starting address segment
    s.string(0x08, RELEASE_DATE)
    s.set(0x0A, "8B", (0x08, 0, 0, 0, 0, 0, 0, 0))  # characteristics: "not supported"
    s.set(0x12, "2B", (0, 0x04))  # extension bytes: targeted content distribution (SVVP)
    s.set(0x14, "B", 1)  # system BIOS major release
    s.set(0x15, "B", 0)
    s.set(0x16, "B", 0xFF)  # embedded controller: none
    s.set(0x17, "B", 0xFF)
    return s.done()


def _type1(fields) -> bytes:
    s = _Structure(fields, 1, 0x1B, 0x100)
    s.string(0x04, APPNAME)  # manufacturer
    s.string(0x05, APPNAME)  # product name
    s.string(0x06, None)  # version
    s.string(0x07, None)  # serial number
    s.set(0x08, "16s", bytes(16))  # UUID: QEMU's bytes as they are (no wire-format swap in legacy mode)
    s.set(0x18, "B", 0x06)  # wake-up type: power switch
    s.string(0x19, None)  # SKU
    s.string(0x1A, None)  # family
    return s.done()


def _type3(fields) -> bytes:
    s = _Structure(fields, 3, 0x14, 0x300)
    s.string(0x04, APPNAME)
    s.set(0x05, "B", 0x01)  # chassis type "other"
    for offset in (0x06, 0x07, 0x08):  # version, serial number, asset tag
        s.string(offset, None)
    for offset, default in ((0x09, 0x03), (0x0A, 0x03), (0x0B, 0x03), (0x0C, 0x02)):  # states: safe; unknown
        s.set(offset, "B", default)
    s.set(0x0D, "I", 0)  # OEM defined
    for offset in (0x11, 0x12, 0x13):  # height, power cords, contained elements
        s.set(offset, "B", 0)
    return s.done()


def _type4(fields, cpu: int, processor_id: bytes) -> bytes:
    s = _Structure(fields, 4, 0x20, 0x400 + cpu)
    prefix = s.field(0x04)
    # The socket name is QEMU's prefix (or "CPU") and the CPU number as "%2x": "CPU 1" ... "CPU a", "CPU10".
    name = (prefix[:-1] if prefix else b"CPU") + b"%2x" % cpu
    s.add_string(0x04, name.split(b"\0")[0] + b"\0")
    s.set(0x05, "B", 0x03)  # processor type: central processor
    s.set(0x06, "B", 0x01)  # family: other
    s.string(0x07, APPNAME)
    s.set(0x08, "8s", bytes(processor_id))
    s.string(0x10, None)  # version
    s.set(0x11, "B", 0)  # voltage
    s.set(0x12, "H", 0)  # external clock
    s.set(0x14, "H", 2000)  # max speed, MHz
    s.set(0x16, "H", 2000)  # current speed
    s.set(0x18, "B", 0x41)  # socket populated, CPU enabled
    s.set(0x19, "B", 0x01)  # upgrade: other
    struct.pack_into("<3H", s.formatted, 0x1A, 0xFFFF, 0xFFFF, 0xFFFF)  # no cache structures
    return s.done()


def _type16(fields, ram_mb: int, devices: int) -> bytes:
    s = _Structure(fields, 16, 0x0F, 0x1000)
    s.set(0x04, "B", 0x01)  # location: other
    s.set(0x05, "B", 0x03)  # use: system memory
    s.set(0x06, "B", 0x06)  # error correction: multi-bit ECC
    capacity = (ram_mb << 10) & 0xFFFFFFFF if ram_mb < 2 << 20 else 0x80000000  # KiB, or "unknown" from 2 TiB
    struct.pack_into("<IHH", s.formatted, 0x07, capacity, 0xFFFE, devices & 0xFFFF)
    return s.done()


def _type17(fields, size_mb: int, instance: int) -> bytes:
    s = _Structure(fields, 17, 0x15, 0x1100 + instance)
    struct.pack_into("<H", s.formatted, 0x04, 0x1000)  # its physical memory array; error handle stays 0
    s.set(0x08, "H", 64)  # total width
    s.set(0x0A, "H", 64)  # data width
    struct.pack_into("<H", s.formatted, 0x0C, size_mb & 0xFFFF)
    s.set(0x0E, "B", 0x09)  # form factor: DIMM
    prefix = s.field(0x10)
    s.add_string(0x10, (prefix[:-1] if prefix else b"DIMM ") + b"%d\0" % instance)
    s.string(0x11, None)  # bank locator
    s.set(0x12, "B", 0x07)  # memory type "RAM"
    s.set(0x13, "H", 0)  # type detail
    return s.done()


def _type19(start_mb: int, size_mb: int, instance: int) -> bytes:
    s = _Structure({}, 19, 0x0F, 0x1300 + instance)
    start = (start_mb << 10) & 0xFFFFFFFF  # KiB, in SeaBIOS's u32
    struct.pack_into("<IIHB", s.formatted, 0x04, start, (start + (size_mb << 10) - 1) & 0xFFFFFFFF, 0x1000, 1)
    return s.done()


def _type20(start_mb: int, size_mb: int, instance: int, device: int, array: int) -> bytes:
    s = _Structure({}, 20, 0x13, 0x1400 + instance)
    start = (start_mb << 10) & 0xFFFFFFFF
    struct.pack_into("<IIHHBBB", s.formatted, 0x04, start, (start + (size_mb << 10) - 1) & 0xFFFFFFFF,
                     0x1100 + device, 0x1300 + array, 1, 0, 0)
    return s.done()


def _type32(fields) -> bytes:
    s = _Structure(fields, 32, 0x0B, 0x2000)
    s.set(0x0A, "B", 0)  # boot status: no errors
    return s.done()


def legacy_anchor(table: LegacyTable) -> bytes:
    """The 2.1 entry point smbios_21_entry_point_setup writes (version 2.4), address 0 and checksums unset,
    the shape QEMU's etc/smbios/smbios-anchor has, so smbios.place_smbios fills both in."""
    return build(S.entry_point_21, Container(
        anchor=S.ANCHOR_21, checksum=0, length=S.ENTRY_POINT_21_SIZE, major_version=LEGACY_VERSION[0],
        minor_version=LEGACY_VERSION[1], max_structure_size=table.max_structure_size, entry_point_revision=0,
        formatted_area=bytes(5), intermediate_anchor=S.INTERMEDIATE_ANCHOR, intermediate_checksum=0,
        structure_table_length=len(table.tables), structure_table_address=0,
        number_of_structures=table.structures, bcd_revision=LEGACY_VERSION[0] << 4 | LEGACY_VERSION[1]),
        "legacy SMBIOS entry point")
