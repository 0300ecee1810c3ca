"""Linux's /sys/firmware/memmap: the e820 map the firmware handed the kernel, read back as e820 entries.

Linux keeps the firmware's map untouched beside the one it edits (arch/x86/kernel/e820.c, e820_table_firmware)
and shows it one range a folder, N/start, N/end and N/type (drivers/firmware/memmap.c). start and end are hex,
end inclusive, and the type is a name, so the entries are rebuilt as the 20-byte e820 entries fw_cfg's etc/e820
carries: one schema, one check and one summary serve both.
"""
from __future__ import annotations

import os
import re
import struct

from qboot_tables.errors import InputError, quote
from qboot_tables.files import InputTree
from qboot_tables.read.walk import read_e820
from qboot_tables.schemas.e820 import (E820_ACPI, E820_NVS, E820_PMEM, E820_PRAM, E820_RAM, E820_RESERVED,
                                       E820_SOFT_RESERVED, E820_UNUSABLE)

MEMMAP_FILES = ("start", "end", "type")
# arch/x86/kernel/e820.c, e820_type_to_string: the name Linux gives each type. Kernels before 4.x wrote
# "reserved" in lower case; E820_TYPE_RESERVED_KERN is also "System RAM". Another type is "Unknown E820 type",
# its number lost: it reads as 0, which no e820 type is, so the check calls it unknown as it is.
TYPE_NUMBERS = {"system ram": E820_RAM, "reserved": E820_RESERVED, "acpi tables": E820_ACPI,
                "acpi non-volatile storage": E820_NVS, "unusable memory": E820_UNUSABLE,
                "persistent memory (legacy)": E820_PRAM, "persistent memory": E820_PMEM,
                "soft reserved": E820_SOFT_RESERVED}
UNNAMED_TYPE = 0
_HEX = re.compile(r"0x[0-9a-fA-F]{1,16}")


def is_memmap_dir(path: str) -> bool:
    """Whether `path` looks like Linux's memmap folder: numbered folders, the first with start, end and type
    (read_memmap then names anything else in it)."""
    try:
        numbered = [name for name in os.listdir(path) if name.isdigit()]
    except OSError:
        return False
    return bool(numbered) and all(os.path.lexists(os.path.join(path, min(numbered, key=int), f))
                                  for f in MEMMAP_FILES)


def read_memmap(path: str, tree: InputTree | None = None):
    """The memmap folder's ranges as a parsed e820 table, in Linux's order; an unreadable range is an InputError
    naming its file."""
    tree = tree or InputTree(path)
    names = tree.listdir(path)
    stray = next((name for name in names if not name.isdigit()), None)
    if stray is not None:
        raise InputError(f"{quote(os.path.join(path, stray))}: not a memmap range (Linux numbers them)")
    entries = []
    for name in sorted(names, key=int):
        folder = os.path.join(path, name)
        start, end = (_address(tree, os.path.join(folder, f)) for f in ("start", "end"))
        # Linux stores an exclusive end less one, so no range it shows is empty or spans all 2^64 bytes.
        if end < start or end - start + 1 >= 1 << 64:
            raise InputError(f"{quote(folder)}: {start:#x}-{end:#x} is no range Linux shows")
        kind = _text(tree, os.path.join(folder, "type"))
        entries.append(struct.pack("<QQI", start, end - start + 1, TYPE_NUMBERS.get(kind.lower(), UNNAMED_TYPE)))
    return read_e820(b"".join(entries), "memmap")


def _text(tree: InputTree, path: str) -> str:
    data = tree.read(path)
    try:
        return data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise InputError(f"{quote(path)}: not text") from None


def _address(tree: InputTree, path: str) -> int:
    text = _text(tree, path)
    if not _HEX.fullmatch(text):
        raise InputError(f"{quote(path)}: {quote(text)} is not a 64-bit hex address")
    return int(text, 16)
