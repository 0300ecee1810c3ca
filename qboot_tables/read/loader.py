"""The table-loader: runs QEMU's etc/table-loader over a snapshot as firmware does, into a LinkedImage.

Every command is checked before it touches memory, with SeaBIOS's checks (src/fw/romfile_loader.c) and more.
A command that fails them is skipped whole and becomes an error finding naming its index and field, and the
rest of the script still runs, so one broken command does not hide the next. `link(..., strict=True)` stops at
the first one with LoaderError instead, as firmware does, for tests that compare the two.
"""
from __future__ import annotations

from typing import Literal, NamedTuple

from qboot_tables.errors import InputError, LoaderError, QbootTablesError, parse, quote
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.schemas import loader as L
from qboot_tables.schemas.e820 import E820_RAM, E820_TYPES, e820_table

TABLE_LOADER = "etc/table-loader"
E820_FILE = "etc/e820"
SMBIOS_ANCHOR = "etc/smbios/smbios-anchor"
SMBIOS_TABLES = "etc/smbios/smbios-tables"
# What the tables SeaBIOS builds from FW_CFG_SMBIOS_ENTRIES are called here: no fw_cfg file holds them.
LEGACY_SMBIOS_TABLES = "smbios/legacy-tables"
LEGACY_SMBIOS_ANCHOR = "smbios/legacy-anchor"

FOUR_GIB = 1 << 32
# The F-segment zone. Linux finds the SMBIOS entry point only in 0xF0000-0xFFFFF (drivers/firmware/dmi_scan.c)
# and the RSDP anywhere in 0xE0000-0xFFFFF (ACPI 6.5 §5.2.5.1), so allocate from 0xF0000 first.
FSEG_RANGES = ((0xF0000, 0x100000), (0xE0000, 0xF0000))
# The BIOS area, where the FSEG zone lives: the RSDP (ACPI 6.5 §5.2.5.1) and the SMBIOS entry point (SMBIOS
# 3.x §5.2.1) are looked for there. It lies in the legacy VGA and option-ROM hole, which is no place for any
# other table: QEMU's etc/e820 calls it RAM, but Linux takes it out of RAM whatever the map says
# (arch/x86/kernel/setup.c trim_bios_range).
BIOS_AREA = (0xE0000, 0x100000)
LEGACY_HOLE = (0xA0000, 0x100000)
POINTER_SIZES = (1, 2, 4, 8)


class AddressError(QbootTablesError):
    """A guest address that no allocation of the image covers."""


class _Skipped(Exception):
    """A command naming a file whose ALLOCATE was refused: noted once per file, not refused again."""

    def __init__(self, name: str):
        self.name = name


class Allocation(NamedTuple):
    name: str
    address: int
    size: int
    zone: int  # L.ZONE_HIGH or L.ZONE_FSEG
    align: int
    fixed: bool  # placed by the caller rather than by the allocator


class FwCfgWrite(NamedTuple):
    """The fw_cfg DMA write a firmware makes for WRITE_POINTER: `data` into `file` at `offset`."""
    file: str
    offset: int
    data: bytes


class LinkedImage:
    """Guest memory after linking: one region per allocated fw_cfg file, plus what else linking did."""

    def __init__(self, allocations: dict[str, Allocation], memory: dict[str, bytes], writes: list[FwCfgWrite],
                 commands: list, findings: list[Finding] | None = None, smbios=None):
        self.allocations = allocations
        self.memory = memory  # file name -> its bytes as linked
        self.writes = writes
        self.fw_cfg_written: dict[str, bytes] = {}  # each file the writes changed, as QEMU then holds it
        self.commands = commands  # parsed loader entries, for rendering
        self.findings = findings if findings is not None else []
        self.smbios = smbios  # qboot_tables.smbios.Smbios once placed

    def region_at(self, address: int, size: int = 1) -> tuple[Allocation, int]:
        """The allocation holding [address, address+size), and the offset of `address` inside it."""
        for alloc in self.allocations.values():
            if alloc.address <= address and address + size <= alloc.address + alloc.size:
                return alloc, address - alloc.address
        raise AddressError(f"{size} bytes at {address:#x} are outside every allocation")

    def read(self, address: int, size: int) -> bytes:
        alloc, offset = self.region_at(address, size)
        return self.memory[alloc.name][offset:offset + size]

    def regions_in(self, start: int, end: int):
        """(address, bytes) of every allocation that overlaps [start, end), in address order."""
        for alloc in sorted(self.allocations.values(), key=lambda a: a.address):
            if alloc.address < end and alloc.address + alloc.size > start:
                yield alloc.address, self.memory[alloc.name]


class _Zone:
    """First-fit allocation over free ranges, from the bottom or from the top."""

    def __init__(self, name: str, ranges, top_down: bool):
        self.name, self.free, self.top_down = name, [list(r) for r in ranges], top_down

    def allocate(self, size: int, align: int) -> int | None:
        for r in self.free:
            start, end = r
            if self.top_down:
                address = (end - size) & ~(align - 1)
                if address >= start:
                    r[1] = address
                    return address
            else:
                address = (start + align - 1) & ~(align - 1)
                if address + size <= end:
                    r[0] = address + size
                    return address
        return None

    def reserve(self, address: int, size: int) -> None:
        """Take a caller-placed block out of the free ranges so the allocator does not reuse it."""
        new = []
        for start, end in self.free:
            if address + size <= start or address >= end:
                new.append([start, end])
                continue
            if start < address:
                new.append([start, address])
            if address + size < end:
                new.append([address + size, end])
        self.free = new


def parse_commands(data: bytes) -> list:
    """Decode etc/table-loader into entries; a length that is not a whole number of entries is an error."""
    if len(data) % L.LOADER_ENTRY_SIZE:
        raise LoaderError(None, "length",
                          f"{len(data)} bytes is not a multiple of the {L.LOADER_ENTRY_SIZE}-byte entry size")
    return list(parse(L.loader_script, data, TABLE_LOADER))


def loader_name(raw: bytes, index: int, field_name: str) -> str:
    """A NUL-terminated file name from a loader entry; refuses names that fill all 56 bytes."""
    end = raw.find(b"\0")
    if end < 0:
        raise LoaderError(index, field_name, "file name is not NUL-terminated")
    if end == 0:
        raise LoaderError(index, field_name, "file name is empty")
    try:
        return raw[:end].decode("ascii")
    except UnicodeDecodeError:
        raise LoaderError(index, field_name, f"file name {raw[:end]!r} is not ASCII") from None


def ram_size(snapshot) -> int | None:
    """The RAM size selector, None when unknown; a value that is not a byte count is an InputError."""
    value = snapshot.selectors.get("ram_size")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"selector ram_size is {quote(value)}, not a byte count")
    return value


def _e820_entries(snapshot) -> list:
    data = snapshot.file(E820_FILE)
    return list(parse(e820_table, data, E820_FILE).entries) if data else []


def ram_top_below_4g(snapshot) -> int | None:
    """The end of the highest RAM range below 4 GiB, from etc/e820, else from the RAM size selector."""
    tops = [min(e.address + e.length, FOUR_GIB) for e in _e820_entries(snapshot)
            if e.type == E820_RAM and e.address < FOUR_GIB]
    if tops:
        return max(tops)
    ram = ram_size(snapshot)
    return min(ram, FOUR_GIB) if ram else None


class MemoryMap(NamedTuple):
    """Where a caller may place tables: RAM as merged [start, end) ranges, and the ranges that are not RAM."""
    ram: list  # [(start, end)], sorted and merged
    reserved: list  # [(start, end, type name)] from etc/e820
    source: str  # what the RAM ranges come from, for messages


def memory_map(snapshot) -> MemoryMap | None:
    """RAM from etc/e820, else every address the RAM size selector could make RAM; None when neither is known."""
    entries = [e for e in _e820_entries(snapshot) if e.length]
    reserved = [(e.address, e.address + e.length, E820_TYPES.get(e.type, f"type {e.type}"))
                for e in entries if e.type != E820_RAM]
    ram = [(e.address, e.address + e.length) for e in entries if e.type == E820_RAM]
    source = "etc/e820"
    if not ram:
        size = ram_size(snapshot)
        if not size:
            return None
        # The selector gives the size but not the split below and above 4 GiB, which the machine type and
        # max-ram-below-4g choose (QEMU hw/i386/pc_piix.c, pc_q35.c), so allow both sides in full.
        ram = [(0, min(size, FOUR_GIB)), (FOUR_GIB, FOUR_GIB + size)]
        source = f"the {size:#x} bytes of RAM in the ram_size selector"
    merged: list = []
    for start, end in sorted(ram):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return MemoryMap(merged, sorted(reserved), source)


def _span(start: int, end: int) -> str:
    return f"{start:#x}-{end - 1:#x}"  # inclusive, as Linux prints e820 ranges


def placement_problem(memory: MemoryMap | None, name: str, address: int, size: int, zone: int) -> str | None:
    """Why `name`, placed by the caller at [address, address+size) for `zone`, is somewhere firmware could not
    have put it; None when it is fine. Only the first problem is named, so one bad address is one finding."""
    end = address + size
    where = f"{name!r} at {_span(address, end)}"
    if size == 0:
        return None
    if zone == L.ZONE_FSEG:
        # QEMU hw/acpi/bios-linker-loader.h: an FSEG-zone file is one the guest looks for in the BIOS area.
        if BIOS_AREA[0] <= address and end <= BIOS_AREA[1]:
            return None
        return f"{where} is in zone FSEG but outside the BIOS area {_span(*BIOS_AREA)}"
    if address < LEGACY_HOLE[1] and LEGACY_HOLE[0] < end:
        return f"{where} overlaps the legacy VGA and ROM hole {_span(*LEGACY_HOLE)}"
    if memory is None:
        return None
    for start, stop, kind in memory.reserved:
        if start < end and address < stop:
            return f"{where} overlaps the e820 {kind} range {_span(start, stop)}"
    at = address  # the first byte not yet known to be RAM
    for start, stop in memory.ram:
        if start <= at < stop:
            at = stop
    if at < end:
        gap_end = min([end] + [start for start, _ in memory.ram if start > at])
        return f"{where} is outside RAM: {_span(at, gap_end)} is not RAM in {memory.source}"
    return None


def link(snapshot, placement: dict[str, int] | None = None, *, smbios: bool = True,
         strict: bool = False) -> LinkedImage:
    """Run etc/table-loader over `snapshot`, placing files by `placement` (name -> address) or the allocator.

    A broken command is an error finding and is skipped, and the rest of the script runs. With `strict`,
    the first one raises LoaderError instead, as firmware stops at it (SeaBIOS src/fw/romfile_loader.c;
    firmware/loader.c also rolls back). Either way, placements firmware could not have made are error findings.
    With `smbios`, also place QEMU's SMBIOS anchor and tables as firmware does after the loader.
    The snapshot is never changed; the image holds copies.
    """
    placement = dict(placement or {})
    script = snapshot.file(TABLE_LOADER) or b""
    whole = len(script) - len(script) % L.LOADER_ENTRY_SIZE
    linker = _Linker(snapshot, placement, strict)
    if whole != len(script):
        if strict:
            parse_commands(script)  # raises the firmware's refusal
        # Firmware refuses such a script whole (SeaBIOS romfile_loader_execute); the lint still runs the whole
        # entries, so that their own problems show too.
        linker.findings.append(Finding(ERROR, "table-loader", "length",
                                       f"{len(script)} bytes is not a multiple of the {L.LOADER_ENTRY_SIZE}-byte "
                                       f"entry size; the last {len(script) - whole} bytes are ignored"))
    commands = parse_commands(script[:whole])
    for index, entry in enumerate(commands):
        linker.run(index, entry)
    linker.note_skipped()
    image = LinkedImage(allocations=linker.allocations, memory={}, writes=linker.writes, commands=commands,
                        findings=linker.findings)
    has_files = [snapshot.file(name) is not None for name in (SMBIOS_ANCHOR, SMBIOS_TABLES)]
    if smbios and all(has_files):
        linker.place_smbios(image)
    elif smbios and snapshot.selectors.get("smbios_entries"):
        linker.place_legacy_smbios(image)
    elif smbios and not any(has_files) and "signature" in snapshot.selectors:
        # Said only of a whole fw_cfg device read (its signature known), not of a few files given alone. SeaBIOS
        # would still build its own defaults (src/fw/smbios.c smbios_legacy_setup); qboot adds none.
        image.findings.append(Finding(INFO, "SMBIOS", "fw_cfg", "no SMBIOS: neither etc/smbios/smbios-anchor "
                                      "and -tables nor FW_CFG_SMBIOS_ENTRIES (0x8001) entries"))
    image.memory = {name: bytes(blob) for name, blob in linker.blobs.items()}
    image.fw_cfg_written = {name: bytes(data) for name, data in linker.written.items()}
    unused = set(placement) - set(image.allocations) - set(linker.refused)
    if unused:
        image.findings.append(Finding(WARNING, "table-loader", "placement",
                                      f"placement names files that were never allocated: {sorted(unused)}"))
    return image


class _Linker:
    def __init__(self, snapshot, placement, strict: bool):
        self.snapshot, self.placement, self.strict = snapshot, placement, strict
        self.allocations: dict[str, Allocation] = {}
        self.blobs: dict[str, bytearray] = {}
        self.writes: list[FwCfgWrite] = []
        # fw_cfg files as QEMU holds them after our WRITE_POINTERs: QEMU keeps what a DMA write puts into a
        # writable file (hw/nvram/fw_cfg.c fw_cfg_dma_transfer), so a later ALLOCATE of it reads those bytes.
        self.written: dict[str, bytearray] = {}
        self.findings: list[Finding] = []
        # Files whose ALLOCATE was refused, by name -> command index. A later command naming one is skipped,
        # and note_skipped() says so once per file instead of one more error per command for the same cause.
        self.refused: dict[str, int | None] = {}
        self.skipped: dict[str, list[int]] = {}
        self._zones: dict[int, _Zone] | None = None  # built by zones()
        self._memory_map: MemoryMap | None | Literal[False] = False  # False: not read yet

    def file(self, name: str) -> bytes | None:
        written = self.written.get(name)
        return bytes(written) if written is not None else self.snapshot.file(name)

    def zones(self) -> dict[int, _Zone]:
        # Built on first use: a script that allocates nothing HIGH needs no RAM size.
        if self._zones is None:
            top = ram_top_below_4g(self.snapshot)
            high = [(0x100000, top)] if top and top > 0x100000 else []
            self._zones = {L.ZONE_FSEG: _Zone("FSEG", FSEG_RANGES, top_down=False),
                           L.ZONE_HIGH: _Zone("HIGH", high, top_down=True)}
            for alloc in self.allocations.values():
                self._zones[alloc.zone].reserve(alloc.address, alloc.size)
        return self._zones

    def run(self, index: int, entry) -> None:
        handler = {L.CMD_ALLOCATE: self.allocate, L.CMD_ADD_POINTER: self.add_pointer,
                   L.CMD_ADD_CHECKSUM: self.add_checksum, L.CMD_WRITE_POINTER: self.write_pointer}.get(entry.command)
        if handler is not None:
            # Every handler makes all its checks before it changes anything, so a refused command is skipped whole.
            try:
                handler(index, entry.body)
            except LoaderError as e:
                if self.strict:
                    raise
                self.findings.append(e.finding())
            except _Skipped as e:
                self.skipped.setdefault(e.name, []).append(index)
        elif entry.command != L.CMD_PADDING:
            # Firmware skips commands it does not know (SeaBIOS romfile_loader_execute), so we do too.
            self.findings.append(Finding(WARNING, "table-loader", f"command[{index}]",
                                         f"unknown command {entry.command:#x} skipped"))

    def allocated(self, index: int, body, field_name: str) -> str:
        name = loader_name(getattr(body, field_name), index, field_name)
        if name in self.allocations:
            return name
        if name in self.refused:
            raise _Skipped(name)
        raise LoaderError(index, field_name, f"file {name!r} was never allocated")

    def allocate(self, index: int, body) -> None:
        name = loader_name(body.file, index, "file")
        try:
            self._allocate(index, name, body)
        except LoaderError:
            if name not in self.allocations:
                self.refused.setdefault(name, index)
            raise

    def _allocate(self, index: int, name: str, body) -> None:
        data = self.file(name)
        if data is None:
            raise LoaderError(index, "file", f"no fw_cfg file named {name!r}")
        if name in self.allocations:
            raise LoaderError(index, "file", f"{name!r} is allocated twice")
        align = body.align
        if align == 0 or align & (align - 1):
            raise LoaderError(index, "align", f"{align:#x} is not a power of two")
        if body.zone not in L.ZONE_NAMES:
            raise LoaderError(index, "zone", f"unknown zone {body.zone}")
        self.place(index, name, data, align, body.zone)

    def place(self, index, name: str, data: bytes, align: int, zone: int) -> None:
        size = len(data)
        if name in self.placement:
            address = self.placement[name]
            for other in self.allocations.values():
                if address < other.address + other.size and other.address < address + size:
                    raise LoaderError(index, "file", f"{name!r} placed at {address:#x} overlaps {other.name!r}")
            if address % align:
                self.findings.append(LoaderError(index, "align", f"{name!r} placed at {address:#x}, not "
                                                                 f"{align:#x}-aligned", WARNING).finding())
            problem = placement_problem(self.memory_map(), name, address, size, zone)
            if problem:
                self.findings.append(Finding(ERROR, "table-loader", "placement", problem))
            if self._zones is not None:
                self._zones[zone].reserve(address, size)
            fixed = True
        else:
            zone_obj = self.zones()[zone]
            address = zone_obj.allocate(size, align)
            if address is None:
                raise LoaderError(index, "zone", f"no room for {size} bytes of {name!r} in zone {zone_obj.name}")
            fixed = False
        self.allocations[name] = Allocation(name, address, size, zone, align, fixed)
        self.blobs[name] = bytearray(data)

    def note_skipped(self) -> None:
        """One warning per refused file that later commands named, right after the refusal's own finding."""
        for name, indexes in self.skipped.items():
            refused_at = self.refused[name]
            runs: list[list[int]] = []
            for i in indexes:
                if runs and runs[-1][1] == i - 1:
                    runs[-1][1] = i
                else:
                    runs.append([i, i])
            listed = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
            skipped = (f"command {listed}, which names it, was skipped" if len(indexes) == 1 else
                       f"the {len(indexes)} later commands that name it were skipped: {listed}")
            note = Finding(WARNING, "table-loader", f"command[{refused_at}]",
                           f"{name!r} was not allocated, so {skipped}")
            after = [i for i, f in enumerate(self.findings) if f.field.startswith(f"command[{refused_at}].")]
            self.findings.insert(after[-1] + 1 if after else len(self.findings), note)

    def memory_map(self) -> MemoryMap | None:
        if self._memory_map is False:
            self._memory_map = memory_map(self.snapshot)
        return self._memory_map

    @staticmethod
    def check_field(index: int, what: str, offset: int, size: int, limit: int, name: str) -> None:
        if size not in POINTER_SIZES:
            raise LoaderError(index, "size", f"pointer size {size} is not 1, 2, 4 or 8")
        if offset > limit - size:  # Python ints cannot overflow, so this is the exact bound
            raise LoaderError(index, what, f"{size} bytes at offset {offset:#x} run past the end of "
                                           f"{name!r} ({limit:#x} bytes)")

    def add_pointer(self, index: int, body) -> None:
        dest = self.allocated(index, body, "dest_file")
        src = self.allocated(index, body, "src_file")
        blob = self.blobs[dest]
        self.check_field(index, "offset", body.offset, body.size, len(blob), dest)
        field_bytes = blob[body.offset:body.offset + body.size]
        # QEMU pre-fills the field with the offset inside src; the loader adds src's address to it.
        value = int.from_bytes(field_bytes, "little") + self.allocations[src].address
        if value >> (8 * body.size):
            raise LoaderError(index, "size", f"pointer {value:#x} to {src!r} does not fit in {body.size} bytes")
        blob[body.offset:body.offset + body.size] = value.to_bytes(body.size, "little")

    def add_checksum(self, index: int, body) -> None:
        name = self.allocated(index, body, "file")
        blob = self.blobs[name]
        if body.start > len(blob) or body.length > len(blob) - body.start:
            raise LoaderError(index, "length", f"range {body.start:#x}+{body.length:#x} runs past the end of "
                                               f"{name!r} ({len(blob):#x} bytes)")
        if not body.start <= body.offset < body.start + body.length:
            raise LoaderError(index, "offset", f"checksum byte {body.offset:#x} is outside its range "
                                               f"{body.start:#x}+{body.length:#x}")
        # ACPI 6.5 §5.2.6: the bytes of the range, checksum included, must sum to zero modulo 256.
        total = sum(blob[body.start:body.start + body.length])
        blob[body.offset] = (blob[body.offset] - total) & 0xFF

    def write_pointer(self, index: int, body) -> None:
        dest = loader_name(body.dest_file, index, "dest_file")
        dest_data = self.file(dest)
        if dest_data is None:
            raise LoaderError(index, "dest_file", f"no fw_cfg file named {dest!r}")
        src = self.allocated(index, body, "src_file")
        self.check_field(index, "dst_offset", body.dst_offset, body.size, len(dest_data), dest)
        if body.src_offset >= self.allocations[src].size:
            raise LoaderError(index, "src_offset", f"{body.src_offset:#x} is outside {src!r} "
                                                   f"({self.allocations[src].size:#x} bytes)")
        value = self.allocations[src].address + body.src_offset
        if value >> (8 * body.size):
            raise LoaderError(index, "size", f"address {value:#x} does not fit in {body.size} bytes")
        data = value.to_bytes(body.size, "little")
        self.writes.append(FwCfgWrite(dest, body.dst_offset, data))
        self.written.setdefault(dest, bytearray(dest_data))[body.dst_offset:body.dst_offset + body.size] = data

    def place_smbios(self, image: LinkedImage) -> None:
        # What SeaBIOS does after the loader (src/fw/biostables.c): tables in high memory, the entry point
        # in the F-segment with the tables' address and checksums filled in.
        from qboot_tables.smbios import place_smbios

        anchor, tables = self.snapshot.file(SMBIOS_ANCHOR), self.snapshot.file(SMBIOS_TABLES)
        try:
            self.place(None, SMBIOS_TABLES, tables, 16, L.ZONE_HIGH)
            self.place(None, SMBIOS_ANCHOR, anchor, 16, L.ZONE_FSEG)
            placed = place_smbios(anchor, tables, self.allocations[SMBIOS_TABLES].address,
                                  self.allocations[SMBIOS_ANCHOR].address)
        except QbootTablesError as e:
            if self.strict:
                raise
            # Neither half: without its entry point, a guest finds no SMBIOS at all.
            for name in (SMBIOS_TABLES, SMBIOS_ANCHOR):
                self.refused[name] = None
                self.allocations.pop(name, None)
                self.blobs.pop(name, None)
            self.findings.append(e.finding() if isinstance(e, LoaderError) else
                                 Finding(ERROR, "SMBIOS", "placement", f"cannot place QEMU's SMBIOS: {e}"))
            return
        self.blobs[SMBIOS_ANCHOR] = bytearray(placed.entry_point_raw)
        self.blobs[SMBIOS_TABLES] = bytearray(placed.table_raw)
        image.smbios = placed

    def place_legacy_smbios(self, image: LinkedImage) -> None:
        # Old machine types give only FW_CFG_SMBIOS_ENTRIES; SeaBIOS builds the table from them
        # (qboot_tables.smbios_legacy) and puts it in the F-segment when it is small, else in high memory
        # (src/fw/smbios.c smbios_21_entry_point_setup), and the entry point in the F-segment.
        from qboot_tables import smbios_legacy
        from qboot_tables.smbios import SEABIOS_MAX_FSEG_TABLE, place_smbios

        try:
            entries = smbios_legacy.parse_entries(bytes.fromhex(str(self.snapshot.selectors["smbios_entries"])))
            ram = [e for e in _e820_entries(self.snapshot) if e.type == E820_RAM and e.length]
            below = max([e.address + e.length for e in ram if e.address < FOUR_GIB], default=0)
            above = max([e.address + e.length - FOUR_GIB for e in ram if e.address >= FOUR_GIB], default=0)
            if not ram:  # no etc/e820: SeaBIOS reads CMOS, which splits the RAM size at QEMU's own boundary
                below = min(ram_size(self.snapshot) or 0, FOUR_GIB)
            cpus = max(int(self.snapshot.selectors.get(key) or 0) for key in ("max_cpus", "nb_cpus"))
            table = smbios_legacy.build_legacy_tables(entries, cpus=max(cpus, 1), ram_below_4g=below,
                                                      ram_above_4g=above)
            anchor = smbios_legacy.legacy_anchor(table)
            zone = L.ZONE_FSEG if len(table.tables) <= SEABIOS_MAX_FSEG_TABLE else L.ZONE_HIGH
            self.place(None, LEGACY_SMBIOS_TABLES, table.tables, 16, zone)
            self.place(None, LEGACY_SMBIOS_ANCHOR, anchor, 16, L.ZONE_FSEG)
            placed = place_smbios(anchor, table.tables, self.allocations[LEGACY_SMBIOS_TABLES].address,
                                  self.allocations[LEGACY_SMBIOS_ANCHOR].address)
        except (QbootTablesError, ValueError) as e:  # ValueError: the selector is not hex
            if self.strict:
                raise
            for name in (LEGACY_SMBIOS_TABLES, LEGACY_SMBIOS_ANCHOR):
                self.allocations.pop(name, None)
                self.blobs.pop(name, None)
            self.findings.append(e.finding() if isinstance(e, LoaderError) else
                                 Finding(ERROR, "SMBIOS", "smbios_entries", f"cannot build legacy SMBIOS: {e}"))
            return
        self.findings.append(Finding(INFO, "SMBIOS", "smbios_entries",
                                     f"built as SeaBIOS does from {len(entries)} FW_CFG_SMBIOS_ENTRIES entries; "
                                     "type 4's processor ID (the CPU's CPUID, not in fw_cfg) is left zero"))
        self.blobs[LEGACY_SMBIOS_ANCHOR] = bytearray(placed.entry_point_raw)
        self.blobs[LEGACY_SMBIOS_TABLES] = bytearray(placed.table_raw)
        image.smbios = placed
