"""Input detection: turn whatever the user points at into a TableSet, judging by content, not by name.

fw_cfg sources (a capture directory, Linux's qemu_fw_cfg by_name) are linked and walked; already-linked
sources (raw tables, Linux's acpi/tables, acpidump text, SMBIOS dumps, MP tables) become a TableSet directly.
"""
from __future__ import annotations

import os
import re

from qboot_tables.errors import InputError, ParseError, QbootTablesError, quote
from qboot_tables.files import InputTree
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE
from qboot_tables.schemas.common import ACPI_HEADER_SIZE
from qboot_tables.schemas.e820 import E820_DUMP_FILE
from qboot_tables.read.snapshot import is_capture_dir, is_sysfs_by_name, read_capture, read_sysfs_by_name
from qboot_tables.tables import descriptor
from qboot_tables.read.walk import (SIGNATURE_AND_LENGTH, TableSet, parse_rsdp, parse_table, read_e820, unique_names,
                                    walk_snapshot)

# Linux's drivers/acpi/sysfs.c names tables by signature, with an instance number when one repeats (SSDT1);
# `dump-tables --out` names them by files.safe_signature, with SSDT2, SSDT3... for repeats.
# `acpidump -b` and acpixtract write lower-case "apic.dat", "ssdt1.dat".
TABLE_FILE_NAME = re.compile(r"^[A-Za-z0-9_\-!#$+=@^~]{4}\d*(\.dat)?$")
SMBIOS_ANCHORS = (b"_SM_", b"_SM3_")
# Linux's /sys/firmware/dmi/tables (drivers/firmware/dmi-sysfs.c) holds these two files.
DMI_SYSFS_FILES = ("smbios_entry_point", "DMI")
# Where Linux shows the running machine's firmware (drivers/acpi/sysfs.c, drivers/firmware/dmi_scan.c,
# drivers/firmware/memmap.c and drivers/firmware/qemu_fw_cfg.c): what `dump-tables` with no INPUT reads, as
# acpidump and dmidecode do.
SYSFS_FIRMWARE = "/sys/firmware"
MACHINE_ACPI, MACHINE_DMI, MACHINE_MEMMAP = "acpi/tables", "dmi/tables", "memmap"
MACHINE_FW_CFG = "qemu_fw_cfg/by_name"
# The order an OS meets the tables in, for sources that are only a bag of files.
ROOT_ORDER = {"RSDT": 0, "XSDT": 1, "FACP": 2, "FACS": 3, "DSDT": 4}


def load(path: str, placement: dict[str, int] | None = None) -> TableSet:
    """Read one input of any supported kind, through files.InputTree (regular files, bounded, links kept in)."""
    try:
        os.lstat(path)
    except OSError as e:  # missing, or a folder on the way that may not be searched
        raise InputError(f"{quote(path)}: {e.strerror}") from None
    if os.path.isdir(path):
        return _load_dir(path, placement)
    if placement:
        raise InputError(f"{quote(path)}: --alloc applies only to fw_cfg inputs (a capture or qemu_fw_cfg "
                         f"directory)")
    return _load_file(path, InputTree(path).read(path))


def load_machine(root: str | None = None) -> list[TableSet]:
    """The running machine's tables: its ACPI tables, SMBIOS and e820 map as one set, and QEMU's fw_cfg as another
    when the guest has the qemu_fw_cfg driver. Each is read through load(); what is present but unreadable is a
    warning when something else was read, and one InputError naming each place when nothing was."""
    root = SYSFS_FIRMWARE if root is None else root  # read when called, so a test can point it elsewhere
    machine: TableSet | None = None
    sets: list[TableSet] = []
    problems: list[str] = []
    for part in (MACHINE_ACPI, MACHINE_DMI, MACHINE_MEMMAP, MACHINE_FW_CFG):
        path = os.path.join(root, part)
        if not os.path.isdir(path):
            problems.append(f"{path}: not present")
            continue
        try:
            found = load(path)
        except QbootTablesError as e:
            problems.append(str(e))
            continue
        if part == MACHINE_FW_CFG:
            sets.append(found)
        elif machine is None:
            machine = found
            machine.source = f"this machine ({path}"
        else:  # SMBIOS and e820 beside the ACPI tables: one machine, one summary
            machine.smbios = found.smbios or machine.smbios
            machine.e820 = found.e820 if found.e820 is not None else machine.e820
            machine.findings += found.findings
            machine.source += f", {path}"
    if machine is not None:
        machine.source += ")"
        sets.insert(0, machine)
    if not sets:
        hint = " (reading them takes root)" if any(_needs_root(p) for p in problems) else ""
        raise InputError(f"no INPUT given, and this machine's firmware tables cannot be read{hint}: "
                         + "; ".join(problems))
    # Linux shows the e820 map to everyone and the tables to root only (0400): say so beside what was read.
    sets[0].findings += [Finding(WARNING, "input", "", f"not read: {p}" + (" (reading it takes root)"
                                                                          if _needs_root(p) else ""))
                         for p in problems if not p.endswith(": not present")]
    return sets


def _needs_root(problem: str) -> bool:
    return "ermission denied" in problem


def load_bytes(data: bytes, name: str = "<bytes>") -> TableSet:
    """One file's bytes, already read (an ACPI table, RSDP, acpidump text, SMBIOS dump or MP table)."""
    return _load_file(name, bytes(data))


def _load_dir(path: str, placement) -> TableSet:
    if is_capture_dir(path):
        return walk_snapshot(read_capture(path), placement, source=f"capture {path}")
    if is_sysfs_by_name(path):
        return walk_snapshot(read_sysfs_by_name(path), placement, source=f"qemu_fw_cfg by_name {path}")
    if placement:
        raise InputError(f"{quote(path)}: --alloc applies only to fw_cfg inputs (a capture or qemu_fw_cfg "
                         f"directory)")
    tree = InputTree(path)
    names = tree.listdir(path)
    if not names:
        raise InputError(f"{quote(path)}: empty directory")
    from qboot_tables.read.memmap import is_memmap_dir, read_memmap  # here: a capture, the usual input, needs none

    if is_memmap_dir(path):
        return TableSet(source=f"Linux memmap {path}", e820=read_memmap(path, tree))
    if all(os.path.isfile(os.path.join(path, n)) for n in DMI_SYSFS_FILES):
        from qboot_tables.smbios import read_smbios_dump

        return TableSet(source=f"SMBIOS dump {path}", smbios=read_smbios_dump(path, tree))
    # Subdirectories (sysfs has data/ and dynamic/) are not tables; anything else with a table's name is read,
    # so a FIFO or device named like a table is refused rather than skipped.
    table_files = [n for n in names if TABLE_FILE_NAME.match(n) and not os.path.isdir(os.path.join(path, n))]
    # mptable.bin is read.mptable.MPTABLE_FILE, named here so that its reader loads only when there is one.
    smbios, mptable = os.path.join(path, "smbios.bin"), os.path.join(path, "mptable.bin")
    e820 = os.path.join(path, E820_DUMP_FILE)
    # With acpi=off, `qboot-tables generate` writes the SMBIOS and the MP table and no ACPI table at all.
    if not table_files and not any(os.path.lexists(p) for p in (smbios, mptable, e820)):
        raise InputError(f"{quote(path)}: neither a capture, a qemu_fw_cfg by_name directory, a directory of ACPI "
                         f"tables, an SMBIOS dump nor Linux's memmap")
    result = TableSet(source=f"ACPI tables {path}")
    for name in table_files:
        data = tree.read(os.path.join(path, name))
        if data.startswith(RSDP_SIGNATURE):  # "RSDP", or acpidump -b's "rsdp.dat"
            result.rsdp = parse_rsdp(data)
        elif _looks_like_table(data):
            result.acpi.append(parse_table(data[:4].decode("latin-1"), data))
        else:
            # One file that is not a table is one error; the other tables still decode.
            result.findings.append(Finding(ERROR, name, "", "not an ACPI table (no signature and length)"))
    if os.path.lexists(smbios):  # what `dump-tables --out` writes beside the tables
        from qboot_tables.smbios import read_smbios_dump

        result.smbios = read_smbios_dump(smbios, tree)
    if os.path.lexists(mptable):  # what `qboot-tables generate` and `dump-tables --out` write beside them
        _read_mptable(result, tree.read(mptable))
    if os.path.lexists(e820):  # what `dump-tables --out` writes beside them
        result.e820 = read_e820(tree.read(e820), E820_DUMP_FILE)
    result.acpi.sort(key=lambda t: (ROOT_ORDER.get(t.signature, 9), t.signature))
    unique_names(result.acpi)
    return result


def _read_mptable(result: TableSet, data: bytes) -> None:
    """An MP table file into the set; one so broken that nothing can be read is one error finding."""
    from qboot_tables.read.mptable import looks_like_mptable, read_mptable_file

    if not looks_like_mptable(data):
        result.findings.append(Finding(ERROR, "MPTABLE", "", "neither an MP floating pointer nor a configuration "
                                                             "table"))
        return
    try:
        result.mptable = read_mptable_file(data)
    except ParseError as e:
        result.findings.append(Finding(ERROR, "MPTABLE", e.path, str(e)))


def _looks_like_table(data: bytes) -> bool:
    if len(data) < 8 or not all(0x20 < b < 0x7F for b in data[:4]):
        return False
    length = int.from_bytes(data[4:8], "little")
    minimum = ACPI_HEADER_SIZE if descriptor(data[:4].decode("latin-1")).header else SIGNATURE_AND_LENGTH
    # A length past the end still counts: the table is cut off, which validation reports.
    return length >= minimum


def _load_file(path: str, data: bytes) -> TableSet:
    if not data:
        raise InputError(f"{quote(path)}: empty file")
    if data.startswith(RSDP_SIGNATURE):
        return TableSet(source=f"RSDP {path}", rsdp=parse_rsdp(data))
    if data.startswith(SMBIOS_ANCHORS):
        from qboot_tables.smbios import smbios_from_dump_bin

        return TableSet(source=f"SMBIOS dump {path}", smbios=smbios_from_dump_bin(data, path))
    from qboot_tables.read.mptable import looks_like_mptable

    if looks_like_mptable(data):
        result = TableSet(source=f"MP table {path}")
        _read_mptable(result, data)
        return result
    from qboot_tables.tools.acpidump import looks_like_acpidump, parse_acpidump

    if looks_like_acpidump(data):
        result = TableSet(source=f"acpidump {path}")
        problems: list[str] = []
        for dumped in parse_acpidump(data.decode("latin-1"), problems):
            if dumped.data.startswith(RSDP_SIGNATURE):  # a table may claim "RSDP" as its signature
                result.rsdp = parse_rsdp(dumped.data, dumped.address)
            else:
                result.acpi.append(parse_table(dumped.signature, dumped.data, dumped.address))
        # A table that cannot be read is one error; the others still decode.
        result.findings += [Finding(ERROR, "acpidump", "", problem) for problem in problems]
        unique_names(result.acpi)
        return result
    if _looks_like_table(data):
        length = int.from_bytes(data[4:8], "little")
        result = TableSet(source=f"ACPI table {path}")
        result.acpi.append(parse_table(data[:4].decode("latin-1"), data[:length]))
        unique_names(result.acpi)
        if len(data) > length:
            result.findings.append(Finding(WARNING, result.acpi[0].name, "", f"{len(data) - length} bytes after "
                                                                             f"the table's length ignored"))
        return result
    raise InputError(f"{quote(path)}: not a recognised input (ACPI table, RSDP, acpidump text, SMBIOS dump, MP "
                     f"table)")
