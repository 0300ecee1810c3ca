"""A model of QEMU's BIOS linker-loader: grows fw_cfg blobs and records the commands that place and patch them."""
from __future__ import annotations

from construct import Container

from qboot_tables.errors import QbootTablesError, build
from qboot_tables.schemas.loader import (CMD_ADD_CHECKSUM, CMD_ADD_POINTER, CMD_ALLOCATE, CMD_WRITE_POINTER,
                                         LOADER_NAME_SIZE, ZONE_FSEG, ZONE_HIGH, loader_entry)

POINTER_SIZES = (1, 2, 4, 8)


class LinkerError(QbootTablesError):
    """A linker command QEMU's bios-linker-loader.c would assert on: unknown file, range outside the blob."""


class Linker:
    """The fw_cfg blobs of one table set and the table-loader script that links them.

    It keeps QEMU's rules (hw/acpi/bios-linker-loader.c): ALLOCATE commands go to the front of the script, in
    reverse order of allocation, so the firmware has every file before it patches any; ADD_POINTER writes the
    source offset into the destination blob, which the firmware then adds the source's address to; ADD_CHECKSUM
    only records where the firmware must compute a checksum, so the blob keeps whatever the builder left there.
    """

    def __init__(self):
        self.blobs: dict[str, bytearray] = {}
        self._allocations: list[Container] = []
        self._commands: list[Container] = []

    def allocate(self, file: str, align: int, fseg: bool = False) -> bytearray:
        """Start a new, empty blob `file` and record its ALLOCATE; returns the blob to append to."""
        if file in self.blobs:
            raise LinkerError(f"{file}: allocated twice")
        if align <= 0 or align & (align - 1):
            raise LinkerError(f"{file}: alignment {align} is not a power of two")
        self.blobs[file] = bytearray()
        self._allocations.insert(0, Container(command=CMD_ALLOCATE, body=Container(
            file=_name(file), align=align, zone=ZONE_FSEG if fseg else ZONE_HIGH, padding=b"")))
        return self.blobs[file]

    def add_pointer(self, dest_file: str, dest_offset: int, size: int, src_file: str, src_offset: int) -> None:
        """Record that `size` bytes at `dest_offset` in `dest_file` point at `src_offset` in `src_file`."""
        dest, src = self._blob(dest_file), self._blob(src_file)
        if size not in POINTER_SIZES:
            raise LinkerError(f"{dest_file}: pointer size {size} is not 1, 2, 4 or 8")
        if dest_offset < 0 or dest_offset + size > len(dest):
            raise LinkerError(f"{dest_file}: pointer at {dest_offset:#x}+{size} is outside the blob")
        if not 0 <= src_offset < len(src):
            raise LinkerError(f"{src_file}: pointer target {src_offset:#x} is outside the blob")
        if src_offset >= 1 << (8 * size):
            raise LinkerError(f"{dest_file}: target {src_offset:#x} does not fit a {size}-byte pointer")
        dest[dest_offset:dest_offset + size] = src_offset.to_bytes(size, "little")
        self._commands.append(Container(command=CMD_ADD_POINTER, body=Container(
            dest_file=_name(dest_file), src_file=_name(src_file), offset=dest_offset, size=size, padding=b"")))

    def add_checksum(self, file: str, start: int, length: int, checksum_offset: int) -> None:
        """Record that the byte at `checksum_offset` makes bytes [start, start+length) of `file` sum to zero."""
        blob = self._blob(file)
        if start < 0 or length <= 0 or start + length > len(blob):
            raise LinkerError(f"{file}: checksum range {start:#x}+{length:#x} is outside the blob")
        if not start <= checksum_offset < start + length:
            raise LinkerError(f"{file}: checksum byte {checksum_offset:#x} is outside its range")
        self._commands.append(Container(command=CMD_ADD_CHECKSUM, body=Container(
            file=_name(file), offset=checksum_offset, start=start, length=length, padding=b"")))

    def write_pointer(self, dest_file: str, dest_offset: int, size: int, src_file: str, src_offset: int) -> None:
        """Record that the firmware writes the address of `src_offset` in `src_file` back to QEMU's fw_cfg file
        `dest_file` at `dest_offset`; that file is written through fw_cfg, never allocated."""
        src = self._blob(src_file)
        if size not in POINTER_SIZES:
            raise LinkerError(f"{dest_file}: pointer size {size} is not 1, 2, 4 or 8")
        if not 0 <= src_offset < len(src):
            raise LinkerError(f"{src_file}: pointer target {src_offset:#x} is outside the blob")
        self._commands.append(Container(command=CMD_WRITE_POINTER, body=Container(
            dest_file=_name(dest_file), src_file=_name(src_file), dst_offset=dest_offset, src_offset=src_offset,
            size=size, padding=b"")))

    def script(self, align: int = 1) -> bytes:
        """The etc/table-loader bytes, zero-padded to a multiple of `align` as QEMU pads its command blob."""
        data = b"".join(build(loader_entry, entry, "table-loader entry")
                        for entry in self._allocations + self._commands)
        return data + bytes(-len(data) % align)

    def _blob(self, file: str) -> bytearray:
        try:
            return self.blobs[file]
        except KeyError:
            raise LinkerError(f"{file}: not allocated") from None


def _name(file: str) -> bytes:
    # QEMU strncpy()s the name into the 56-byte field and keeps the last byte NUL.
    raw = file.encode()
    if len(raw) >= LOADER_NAME_SIZE:
        raise LinkerError(f"{file}: name longer than {LOADER_NAME_SIZE - 1} bytes")
    return raw.ljust(LOADER_NAME_SIZE, b"\0")
