"""dmidecode as an outside oracle: write its --dump-bin format, run --from-dump, and read back what it decoded."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from qboot_tables.errors import ToolError

# dmidecode's dmidump.c: the table goes at offset 20h of the dump file and the entry point's table address is
# rewritten to 20h, its checksum adjusted by the difference so a good checksum stays good (and a bad one bad).
DUMP_TABLE_OFFSET = 0x20
# (address offset, address size, checksum offset) in each entry point (§5.2.1, §5.2.2).
ADDRESS_21 = (0x18, 4, 0x15)
ADDRESS_30 = (0x10, 8, 0x05)
ADDRESS_LEGACY = (0x08, 4, 0x05)  # the bare `_DMI_` entry point

HANDLE_LINE = re.compile(r"^Handle 0x([0-9A-Fa-f]{4}), DMI type (\d+), (\d+) bytes$")
# What dmidecode 3.4 prints when a table or a structure is wrong (dmidecode.c): whole lines on stdout or stderr,
# and value placeholders inside a field.
PROBLEM_MARKERS = ("Wrong DMI structures", "Invalid entry length", "No SMBIOS nor DMI entry point found",
                   "Failed to read table", "<TRUNCATED>", "<OUT OF SPEC>", "<BAD INDEX>")
# Header lines that say where dmidecode read the data (dmidecode.c, main and dmi_table): the source line, and the
# table address, which --from-dump leaves out. Only these may differ between a guest's run over
# /sys/firmware/dmi/tables and --from-dump of the same SMBIOS.
SOURCE_LINE = re.compile(r"^(Getting SMBIOS data from sysfs|Reading SMBIOS/DMI data from file .*"
                         r"|Scanning .* for entry point)\.$")
TABLE_AT_LINE = re.compile(r"^Table at 0x([0-9A-Fa-f]+)\.$")
# Debian installs dmidecode in /usr/sbin, which a user's PATH often lacks: it is searched after PATH, and /sbin too.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def dump_bin(smbios) -> bytes:
    """The bytes `dmidecode --dump-bin` would write for this entry point and table."""
    entry = bytearray(smbios.entry_point_raw)
    at, size, checksum_at = (ADDRESS_30 if smbios.is_64bit else
                             ADDRESS_LEGACY if getattr(smbios, "is_legacy", False) else ADDRESS_21)
    old = sum(entry[at:at + size])
    entry[at:at + size] = DUMP_TABLE_OFFSET.to_bytes(size, "little")
    entry[checksum_at] = (entry[checksum_at] + old - sum(entry[at:at + size])) & 0xFF
    return bytes(entry).ljust(DUMP_TABLE_OFFSET, b"\0") + smbios.table_raw


def write_dump_bin(smbios, path: str) -> None:
    with open(path, "wb") as f:
        f.write(dump_bin(smbios))


@dataclass
class DmiHandle:
    """One structure as dmidecode printed it."""

    handle: int
    type: int
    size: int  # the formatted area length dmidecode reports
    title: str = ""
    fields: dict = field(default_factory=dict)  # "Key": "value" for single-line fields
    lines: list = field(default_factory=list)


@dataclass
class DmidecodeResult:
    text: str
    stderr: str
    returncode: int
    version: str | None = None  # "2.8", "3.0.0"
    declared_count: int | None = None  # from "N structures occupying M bytes."
    handles: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # problem lines from stdout
    errors: list = field(default_factory=list)  # stderr lines and a non-zero exit
    source: str | None = None  # "Getting SMBIOS data from sysfs." or "Reading SMBIOS/DMI data from file ..."
    table_address: int | None = None  # from "Table at 0x...", printed unless reading a dump
    header: list = field(default_factory=list)  # the other lines before the first structure
    body: list = field(default_factory=list)  # every line from the first "Handle" line on

    def of_type(self, type_: int) -> list:
        return [h for h in self.handles if h.type == type_]

    @property
    def ok(self) -> bool:
        return not self.warnings and not self.errors


def locate(dmidecode: str = "dmidecode") -> str | None:
    """The dmidecode to run: `dmidecode` itself when it names a path, else the first on SEARCH_PATH; None if none."""
    return shutil.which(dmidecode, path=SEARCH_PATH)


def run_from_dump(path: str, dmidecode: str = "dmidecode", timeout: float = 30) -> DmidecodeResult:
    """Run `dmidecode --from-dump PATH` and parse what it printed."""
    binary = locate(dmidecode)
    if binary is None:
        raise ToolError(f"{dmidecode} not found; install the dmidecode package")
    try:
        proc = subprocess.run([binary, "--from-dump", path], capture_output=True, text=True, timeout=timeout,
                              errors="replace")
    except subprocess.TimeoutExpired:
        raise ToolError(f"{dmidecode} --from-dump {path} did not finish in {timeout} s") from None
    except OSError as e:
        raise ToolError(f"cannot run {dmidecode}: {e.strerror}") from None
    return parse_output(proc.stdout, proc.stderr, proc.returncode)


def parse_output(text: str, stderr: str = "", returncode: int = 0) -> DmidecodeResult:
    result = DmidecodeResult(text=text, stderr=stderr, returncode=returncode)
    current = None
    for line in text.splitlines():
        match = HANDLE_LINE.match(line)
        if match or result.body:
            result.body.append(line)
        elif SOURCE_LINE.match(line):
            result.source = line
        elif table_at := TABLE_AT_LINE.match(line):
            result.table_address = int(table_at[1], 16)
        else:
            result.header.append(line)
        if match:
            current = DmiHandle(int(match[1], 16), int(match[2]), int(match[3]))
            result.handles.append(current)
            continue
        if any(marker in line for marker in PROBLEM_MARKERS):
            result.warnings.append(line.strip())
        version = re.match(r"^SMBIOS ([\d.]+) present\.", line)
        if version:
            result.version = version[1]
        count = re.match(r"^(\d+) structures occupying (\d+) bytes\.", line)
        if count:
            result.declared_count = int(count[1])
        if current is None or not line.strip():
            continue
        if not line.startswith("\t"):
            current.title = current.title or line.strip()
            continue
        current.lines.append(line.strip())
        if line.startswith("\t") and not line.startswith("\t\t") and ":" in line:
            key, _, value = line.strip().partition(":")
            current.fields[key.strip()] = value.strip()
    result.errors += [line.strip() for line in stderr.splitlines() if line.strip()]
    if returncode != 0:
        result.errors.append(f"exit status {returncode}")
    return result


def differences(actual: DmidecodeResult, expected: DmidecodeResult) -> list[str]:
    """Where two dmidecode decodings of what should be one SMBIOS differ: the header apart from its source and
    table address lines, then structure by structure (handle, type, size, title, fields, every line), then any
    other text. Empty when both printed the same."""
    out = []
    if actual.header != expected.header:
        out.append(f"header: {actual.header} != {expected.header}")
    if len(actual.handles) != len(expected.handles):
        out.append(f"{len(actual.handles)} structures, expected {len(expected.handles)}")
    for mine, theirs in zip(actual.handles, expected.handles):
        where = f"handle {mine.handle:#06x} (type {mine.type})"
        for name in ("handle", "type", "size", "title", "fields", "lines"):
            if getattr(mine, name) != getattr(theirs, name):
                out.append(f"{where}: {name} {getattr(mine, name)!r} != {getattr(theirs, name)!r}")
                break
    if not out and actual.body != expected.body:
        line = next(i for i, (a, b) in enumerate(zip(actual.body + [None], expected.body + [None])) if a != b)
        out.append(f"text differs at line {line} after the header")
    return out
