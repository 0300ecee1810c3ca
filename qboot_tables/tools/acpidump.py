"""Read and write the hex text `acpidump` prints and `acpixtract -a` turns back into table files."""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, NamedTuple

from qboot_tables.errors import InputError, quote
from qboot_tables.files import safe_signature

# ACPICA's acpidump (tools/acpidump/apdump.c with utilities/utbuffer.c) prints, for each table,
#   "FACP @ 0x00000000BFFE1C6E"
#   "    0000: 46 41 43 50 F4 00 00 00 03 A4 42 4F 43 48 53 20  FACP......BOCHS "
# and a blank line. acpixtract (tools/acpixtract/axutils.c) takes a line that starts in column 0 and has the
# form "<sig> @ <addr>" as a table header, and a line that starts with a space and holds ": " as data.
# Older acpidump builds (and pmtools' acpidump before ACPICA's) printed the RSDP as "RSD  @ 0x..." or
# "RSD PTR @ 0x...", from its 8-byte signature, and indented the rows by two spaces instead of four.
_HEADER = re.compile(r"^(RSD PTR|RSD |\S{4})\s*@\s*0[xX]([0-9A-Fa-f]{1,16})\s*$")
_OLD_RSDP_NAMES = ("RSD PTR", "RSD ")
_ROW = re.compile(r"^\s+([0-9A-Fa-f]{1,8}):(.*)$")
_HEX_BYTE = re.compile(r"^[0-9A-Fa-f]{2}$")
_HEX_BYTES = re.compile(r"[0-9A-Fa-f]{2}(?: [0-9A-Fa-f]{2})*")
BYTES_PER_ROW = 16
ACPI_HEADER_SIZE = 36  # ACPI 6.5 §5.2.6
RSDP_SIGNATURE = b"RSD PTR "
RSDP_NAME = "RSDP"  # acpidump's name for the RSDP, whose own signature is 8 bytes
RSDP_V1_LENGTH = 20  # ACPI 6.5 §5.2.5.3: revision 0 has no length field and is 20 bytes
# How far into a file looks_like_acpidump searches for its first table.
_SNIFF_LIMIT = 64 * 1024


class DumpedTable(NamedTuple):
    """One table of an acpidump text. `address` is None where acpidump printed 0 (it did not know it)."""

    signature: str
    address: int | None
    data: bytes


@dataclass
class _TableText:
    """The table whose rows are being read: its header line's name and address, and its bytes so far."""

    signature: str
    address: int | None
    header_line: int
    data: bytearray = field(default_factory=bytearray)
    last_row_full: bool = True  # only a table's last row may be short


def parse_acpidump(text: str, problems: list[str] | None = None) -> list[DumpedTable]:
    """Every table in an acpidump text, in order. A table that cannot be read raises InputError, or, when a
    `problems` list is given, is left out with the reason appended there, and the rest still decode."""
    tables: list[DumpedTable] = []
    current: _TableText | None = None  # or _BROKEN

    def refuse(message: str):
        nonlocal current
        if problems is None:
            raise InputError(message)
        problems.append(message)
        current = _BROKEN  # the rest of this table's rows are skipped, up to the next header or blank line

    def finish():
        if current is not None and current is not _BROKEN:
            try:
                tables.append(_checked_table(current.signature, current.address, current.data, current.header_line))
            except InputError as e:
                refuse(str(e))

    lines = text.splitlines()
    numbered = enumerate(lines, 1)
    for number, line in numbered:
        if not line.strip():
            finish()
            current = None
            continue
        if header := _HEADER.match(line):
            finish()
            name = RSDP_NAME if header.group(1) in _OLD_RSDP_NAMES else header.group(1)
            current = _TableText(name, int(header.group(2), 16) or None, number)
            # The common case: the rows as acpidump prints them, read at once (a big dump has 200k rows).
            current.data += _printed_rows(lines, number)
            rows = len(current.data) // BYTES_PER_ROW
            if rows:
                next(islice(numbered, rows - 1, rows), None)  # past them
            continue
        row = _ROW.match(line)
        if current is _BROKEN:
            continue
        if row is None:
            if current is not None:
                refuse(f"acpidump line {number}: expected a hex row \"OFFSET: XX XX ...\", got {quote(line)}")
            continue  # text around the tables (banners, messages) is not ours to judge
        if current is None:
            refuse(f"acpidump line {number}: hex row outside a table (no \"SIG @ 0x...\" line before it)")
            continue
        signature, data = current.signature, current.data
        offset = int(row.group(1), 16)
        try:
            if not current.last_row_full:
                raise InputError(f"acpidump line {number}: {signature}: a row follows a short row")
            if offset != len(data):
                raise InputError(f"acpidump line {number}: {signature}: row offset {offset:#x} out of sequence, "
                                 f"expected {len(data):#x}")
            row_bytes = _row_bytes(row.group(2), number, signature)
        except InputError as e:
            refuse(str(e))
            continue
        data += row_bytes
        current.last_row_full = len(row_bytes) == BYTES_PER_ROW
    finish()
    if not tables:
        raise InputError("no acpidump tables found (expected lines like \"FACP @ 0x...\" followed by hex rows)"
                         + (f"; {problems[0]}" if problems else ""))
    return tables


_BROKEN = _TableText("", None, 0)  # the table being read cannot be, and its rows are skipped


def _printed_rows(lines: list[str], first: int) -> bytes:
    """The bytes of the rows from lines[first] on, when every one of them up to the one before the blank line
    that ends the table is exactly as acpidump prints it (its offset "%8.4X: ", 16 "XX" joined by spaces, two
    spaces and the ASCII column); else b"", and the general reader judges each row with its messages. The
    last row, often short, is always left to it."""
    try:
        end = lines.index("", first)
    except ValueError:
        end = len(lines)
    rows = lines[first:end - 1]
    count = len(rows)
    if not count or "".join([row[:_HEX_START] for row in rows]) != _offset_column(count) \
            or "".join([row[_HEX_END:_HEX_END + 2] for row in rows]) != "  " * count:
        return b""
    hex_text = " ".join([row[_HEX_START:_HEX_END] for row in rows])
    if hex_text[2::3] != " " * (BYTES_PER_ROW * count - 1):
        return b""
    try:
        data = bytes.fromhex(hex_text)
    except ValueError:
        return b""
    # every separator in place and 16 bytes a row: the other characters were all hex digits
    return data if len(data) == BYTES_PER_ROW * count else b""


_HEX_START = 10  # after "%8.4X: "
_HEX_END = _HEX_START + 3 * BYTES_PER_ROW - 1
_OFFSETS = [""]  # the offset columns of rows 0, 1, 2... as acpidump prints them, joined; made as long as needed


def _offset_column(count: int) -> str:
    if len(_OFFSETS[0]) < count * _HEX_START:
        _OFFSETS[0] = "".join(["%8.4X: " % (BYTES_PER_ROW * row) for row in range(count)])
    return _OFFSETS[0][:count * _HEX_START]


def _row_bytes(rest: str, number: int, signature: str) -> bytes:
    """The bytes of one row. The hex column ends at two spaces (the ASCII column follows) or at the end."""
    hex_column = rest[1:] if rest.startswith(" ") else rest
    hex_column = hex_column.split("  ", 1)[0].strip()
    tokens = hex_column.split(" ") if hex_column else []
    if not tokens:
        raise InputError(f"acpidump line {number}: {signature}: row holds no bytes")
    if len(tokens) > BYTES_PER_ROW and not _HEX_BYTE.match(tokens[BYTES_PER_ROW]):
        tokens = tokens[:BYTES_PER_ROW]  # a full row whose ASCII column follows after a single space
    if len(tokens) > BYTES_PER_ROW:
        raise InputError(f"acpidump line {number}: {signature}: {len(tokens)} bytes in a row, at most "
                         f"{BYTES_PER_ROW} allowed")
    joined = " ".join(tokens)
    if _HEX_BYTES.fullmatch(joined):  # the common case, checked and converted whole: a big dump has 200k rows
        return bytes.fromhex(joined)
    bad = next(token for token in tokens if not _HEX_BYTE.match(token))
    raise InputError(f"acpidump line {number}: {signature}: malformed hex byte {quote(bad)}")


def _checked_table(signature: str, address: int | None, dumped: bytearray, header_line: int) -> DumpedTable:
    """The table, once its bytes agree with its own signature and length field."""
    data = bytes(dumped)
    where = f"acpidump line {header_line}: {signature}"
    if signature == RSDP_NAME and data.startswith(RSDP_SIGNATURE):
        declared = _rsdp_length(data, where)
    else:
        if len(data) < 8:
            raise InputError(f"{where}: only {len(data)} bytes, too short for an ACPI table header")
        # We write an unprintable signature as files.safe_signature makes it, so that form names it too.
        if signature not in (data[:4].decode("latin-1"), safe_signature(data[:4].decode("latin-1"))):
            raise InputError(f"{where}: the bytes hold signature {data[:4]!r}, not {signature!r}")
        signature = data[:4].decode("latin-1")
        declared = struct.unpack_from("<I", data, 4)[0]
    if declared != len(data):
        raise InputError(f"{where}: {len(data)} bytes dumped but the table's length field says {declared}")
    return DumpedTable(signature, address, data)


def _rsdp_length(data: bytes, where: str) -> int:
    # ACPI 6.5 §5.2.5.3: revision (offset 15) 0 means the 20-byte ACPI 1.0 RSDP; from 2 on, length is at 20.
    if len(data) < RSDP_V1_LENGTH:
        raise InputError(f"{where}: only {len(data)} bytes, an RSDP has at least {RSDP_V1_LENGTH}")
    if data[15] == 0:
        return RSDP_V1_LENGTH
    if len(data) < 24:
        raise InputError(f"{where}: revision {data[15]} RSDP without its length field")
    return struct.unpack_from("<I", data, 20)[0]


def format_acpidump(tables: Iterable[tuple[str, int | None, bytes]]) -> str:
    """acpidump text for (signature, address or None, data) triples, as acpixtract -a reads it.

    An address of None is written as 0, as acpidump itself does for a table whose address it does not know.
    """
    out = []
    for signature, address, data in tables:
        data = bytes(data)
        if not re.fullmatch(r"[\x21-\x7e]{4}", signature or ""):
            raise InputError(f"cannot write table signature {signature!r}: acpidump names are 4 printable characters")
        if address is not None and not 0 <= address < 1 << 64:
            raise InputError(f"{signature}: address {address:#x} does not fit in 64 bits")
        if not data:
            raise InputError(f"{signature}: an empty table cannot be written")
        out.append(f"{signature} @ 0x{address or 0:016X}\n")
        for offset in range(0, len(data), BYTES_PER_ROW):
            chunk = data[offset:offset + BYTES_PER_ROW]
            hex_column = " ".join(f"{b:02X}" for b in chunk).ljust(BYTES_PER_ROW * 3 - 1)
            ascii_column = "".join(chr(b) if 0x20 <= b < 0x7f else "." for b in chunk)
            # utbuffer.c's "%8.4X": at least four digits, right-aligned in eight columns.
            out.append(f"{offset:04X}".rjust(8) + f": {hex_column}  {ascii_column}\n")
        out.append("\n")
    return "".join(out)


def looks_like_acpidump(text_or_bytes: object) -> bool:
    """True when the input starts (after any banner) with a "SIG @ 0x..." line and a hex row at offset 0."""
    if isinstance(text_or_bytes, (bytes, bytearray, memoryview)):
        raw = bytes(text_or_bytes[:_SNIFF_LIMIT])
        if b"\0" in raw:
            return False  # binary tables, not text
        head = raw.decode("latin-1")
    else:
        head = str(text_or_bytes)[:_SNIFF_LIMIT]
    lines = head.splitlines()
    for line, following in zip(lines, lines[1:]):
        if _HEADER.match(line.rstrip("\r")):
            row = _ROW.match(following.rstrip("\r"))
            return row is not None and int(row.group(1), 16) == 0
    return False
