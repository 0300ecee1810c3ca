"""The real-machine corpus (fixtures/real-hw: acpidump text of real computers, with each one's public source in
index.tsv) and iasl as the oracle for its tables: our field rows against `iasl -d`'s, offset for offset.

iasl prints every field of a data table it knows as `[004h 0004   4]  Table Length : 000000F4`. A table we
decode agrees with iasl when every such field of iasl's is one of our rows, at the same offset and length and
with the same value.
"""
from __future__ import annotations

import lzma
import os
import re
import subprocess
import tempfile
import uuid
from typing import NamedTuple

from qboot_tables.tools.acpidump import parse_acpidump
from qboot_tables.errors import QbootTablesError, parse
from qboot_tables.show.fields import schema_rows
from qboot_tables.tools.iasl import IASL_KNOWN  # noqa: F401 - the tables iasl knows, which the tests compare
from qboot_tables.tables import DESCRIPTORS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fixtures", "real-hw")
IASL_LINE = re.compile(r"^\[([0-9A-F]+)h (\d+) +(\d+)\] +(.*?) : (.*)$")
GUID_TEXT = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
# iasl shows these structures as one raw buffer (ACPICA dmtbinfo3.c AcpiDmTableInfoSlic, which the MSDM uses too:
# "a proprietary format"), where we decode the fields Microsoft documents. Such a field agrees when our rows
# cover exactly its bytes, in order, with the same values.
# iasl also prints each row of the SLIT's matrix as one line of bytes ("Locality   0"; dmtbdump3.c AcpiDmDumpSlit),
# where we show one distance per row. iasl 20200925 predates ACPI 6.4, which made the first byte of the HMAT
# locality structure's reserved word (its "Reserved1", actbl1.h struct acpi_hmat_locality) the Minimum Transfer
# Size (ACPI 6.5 §5.2.28.4). (signature, iasl's field name or the start of it)
WHOLE_BUFFERS = frozenset({("MSDM", "Software Licensing Structure"), ("SLIC", "Software Licensing Structure"),
                           ("SLIT", "Locality"), ("HMAT", "Reserved1")})
# iasl 20200925 reads the SPCR's reserved byte at 63 (Reserved1 in that version's actbl3.h) at the offset of
# Reserved2, the dword at 76 (dmtbinfo3.c AcpiDmTableInfoSpcr uses ACPI_SPCR_OFFSET (Reserved2) for both): its
# "[04Ch 0076   1] Reserved" is the low byte of that dword, and the byte at 63 is never shown. Such a field
# agrees with the low bytes of our row at its offset. (signature, iasl's offset, size)
IASL_PARTIAL = frozenset({("SPCR", 76, 1)})


def machines() -> list[str]:
    return sorted(name[:-len(".txt.xz")] for name in os.listdir(CORPUS) if name.endswith(".txt.xz"))


def machine_text(machine: str) -> str:
    with open(os.path.join(CORPUS, f"{machine}.txt.xz"), "rb") as f:
        return lzma.decompress(f.read()).decode("latin-1")


def machine_tables(machine: str) -> list:
    """The tables of one machine's acpidump text, as qboot_tables.tools.acpidump reads them."""
    return parse_acpidump(machine_text(machine))


def iasl_fields(tables: dict[str, bytes]) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """{name: {(offset, size): (iasl's field name, value text)}} from one `iasl -d` run over every table given.

    iasl writes beside its inputs, so it runs in a directory of its own. Values keep iasl's text up to any
    bracketed or commented meaning."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="qboot-iasl-") as work:
        for name, data in tables.items():
            with open(os.path.join(work, f"{name}.dat"), "wb") as f:
                f.write(data)
        subprocess.run(["iasl", "-d"] + [f"{name}.dat" for name in tables], cwd=work, capture_output=True,
                       timeout=300, check=False)
        for name in tables:
            fields = out[name] = {}
            path = os.path.join(work, f"{name}.dsl")
            if not os.path.exists(path):
                continue
            with open(path, encoding="latin-1") as f:
                lines = f.read().splitlines()
                for i, line in enumerate(lines):
                    match = IASL_LINE.match(line)
                    if match and not match.group(5).startswith("["):  # "[Generic Address Structure]" heads
                        text = match.group(5).split(" [")[0].split("/*")[0].strip()  # the fields that follow
                        if text == "\\":  # a buffer printed on the lines below, each but the last ending in \
                            text = _continued(lines, i + 1)
                        fields.setdefault((int(match.group(2)), int(match.group(3))), (match.group(4).strip(), text))
    return out


def _continued(lines: list[str], start: int) -> str:
    """The hex bytes of a buffer that iasl prints over several lines, joined by spaces."""
    parts = []
    for line in lines[start:]:
        parts.append(line.strip().rstrip("\\").strip())
        if not line.rstrip().endswith("\\"):
            break
    return " ".join(parts)


class Disagreement(NamedTuple):
    offset: int
    size: int
    iasl_name: str
    iasl_value: str
    ours: str  # our row's name and value, or "nothing"


def _same(value, text: str) -> bool:
    """Whether our row's value is what iasl printed: a hex number, a quoted string, or hex bytes."""
    if isinstance(value, int):
        token = text.split()[0] if text.split() else ""
        try:
            return int(token, 16) == value
        except ValueError:
            return False
    raw = bytes(value)
    if text.startswith('"'):
        # iasl shows a name's unprintable bytes as spaces (seen in this corpus: a tab in an OEM table ID), and
        # stops at its first NUL (ACPICA utstring.c AcpiUtCheckAndRepairAscii; seen: a TCPA whose creator ID is
        # "\0LOH" is shown as "").
        shown = "".join(chr(b) if 0x20 <= b < 0x7F else " " for b in raw.split(b"\0")[0])
        return text.strip('"').rstrip() == shown.rstrip()
    if GUID_TEXT.fullmatch(text):  # iasl prints a GUID's 16 bytes as text (UEFI's "UUID Identifier")
        return uuid.UUID(text).bytes_le == raw
    try:
        # Bytes are space-separated hex, or comma-separated where iasl prints a pair (DMAR's "PCI Path : 1F,00").
        return bytes.fromhex(text.replace(" ", "").replace(",", "")) == raw
    except ValueError:
        return False


def _tiled(rows: list, offset: int, size: int, text: str) -> bool:
    """Whether our rows cover [offset, offset + size) end to end and hold the bytes iasl printed there."""
    covered, at = b"", offset
    for row in rows:
        if offset <= row.offset < offset + size:
            if row.offset != at:
                return False
            value = row.value
            covered += value.to_bytes(row.size, "little") if isinstance(value, int) else bytes(value)
            at += row.size
    try:
        return at == offset + size and covered == bytes.fromhex(text)
    except ValueError:
        return False


def _low_bytes(rows: list, offset: int, size: int, text: str) -> bool:
    """Whether the first `size` bytes of our wider integer row at `offset` are the number iasl printed."""
    row = next((row for row in rows if row.offset == offset and row.size > size and isinstance(row.value, int)),
               None)
    return row is not None and _same(row.value & ((1 << 8 * size) - 1), text)


def _inside_overrun(rows: list, offset: int, fields: dict, data_length: int) -> bool:
    """Whether an iasl field lies in our trailing `extra` where iasl decoded a subtable whose Length runs past
    the end of the table. iasl prints what fits of such a subtable (seen: the last 22 bytes of the ASF! of four
    machines of one vendor claim to be a 160-byte ASF_INFO); we keep those bytes whole in `extra`, with a
    warning, so there is nothing of ours to compare, there and only there."""
    extra = next((row for row in rows if row.name == "extra" and row.offset <= offset < row.offset + row.size),
                 None)
    if extra is None:
        return False
    for (at, _size), (name, text) in fields.items():
        if name == "Length" and extra.offset <= at < extra.offset + 4:
            try:
                return extra.offset + int(text.split()[0], 16) > data_length
            except (ValueError, IndexError):
                return False
    return False


def compare(signature: str, data: bytes, fields: dict) -> tuple[int, list[Disagreement]]:
    """(fields that agree, every iasl field we show differently or not at all) for one table."""
    descriptor = DESCRIPTORS[signature]
    try:
        parsed = parse(descriptor.schema, data, signature)
    except QbootTablesError as e:
        return 0, [Disagreement(0, len(data), "(whole table)", "", f"does not parse: {e}")]
    ordered = schema_rows(descriptor, parsed)
    rows = {(row.offset, row.size): row for row in ordered}
    agree, differ = 0, []
    for (offset, size), (iasl_name, text) in sorted(fields.items()):
        row = rows.get((offset, size))
        if row is not None and _same(row.value, text):
            agree += 1
        elif row is None and any(signature == sig and iasl_name.startswith(name) for sig, name in WHOLE_BUFFERS) \
                and _tiled(ordered, offset, size, text):
            agree += 1
        elif row is None and (signature, offset, size) in IASL_PARTIAL and _low_bytes(ordered, offset, size, text):
            agree += 1
        elif row is None and _inside_overrun(ordered, offset, fields, len(data)):
            continue
        else:
            ours = f"{row.name} = {row.value!r}" if row is not None else "nothing"
            differ.append(Disagreement(offset, size, iasl_name, text, ours))
    return agree, differ
