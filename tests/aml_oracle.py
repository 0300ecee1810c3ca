"""iasl's namespace of every corpus DSDT/SSDT, cached under .cache/aml-oracle, for an AML decoder to match.

Each machine (fixtures/real-hw, fixtures/qemu-7.2) gives its definition blocks with the objects that `iasl -d`'s
text of each declares, as tools.iasl.dsl_namespace reads them. A decoder's test compares its own namespace of
`table.data` with `table.namespace`, for every table of `oracle(machine)` over `machines()`. Disassembling the
whole corpus takes one to two minutes, so each machine's result is kept on disk, keyed by its tables (or the
file they are read from), iasl's version and the source of tools/iasl.py: a change to any of them makes a fresh
run.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import subprocess
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import NamedTuple

from qboot_tables.read.inputs import load
from qboot_tables.tools import acpidump, iasl

import real_hw

ROOT = real_hw.ROOT
QEMU = os.path.join(ROOT, "fixtures", "qemu-7.2")
CACHE = os.path.join(ROOT, ".cache", "aml-oracle")
# Bumped when what a cache file holds changes shape.
FORMAT = 2
# iasl runs are separate processes, so a few at a time use the cores that pytest leaves idle.
WORKERS = min(4, os.cpu_count() or 1)


class OracleTable(NamedTuple):
    name: str  # signature and its number among the machine's tables of that signature: DSDT1, SSDT3
    data: bytes
    namespace: list  # dsl_namespace of iasl's disassembly: [{"path": "\\_SB_.PCI0", "type": "Device"}, ...]
    problems: list  # iasl's findings on the table, as text, for telling a decoder's fault from a broken table


def machines() -> list[str]:
    """Every corpus machine: "real-hw/d000"... and "qemu-7.2/q35-default"..."""
    qemu = sorted(name for name in os.listdir(QEMU) if os.path.isfile(os.path.join(QEMU, name, "etc", "acpi",
                                                                                    "tables")))
    return [f"real-hw/{m}" for m in real_hw.machines()] + [f"qemu-7.2/{m}" for m in qemu]


def machine_aml(machine: str) -> list[tuple[str, bytes]]:
    """(DSDT1/SSDT1..., bytes) of one machine's definition blocks, in the order its tables come."""
    source, name = machine.split("/", 1)
    if source == "real-hw":
        tables = [(t.signature, t.data) for t in real_hw.machine_tables(name)]
    else:
        tables = [(t.signature, t.data) for t in load(os.path.join(QEMU, name)).acpi]
    seen: dict[str, int] = {}
    out = []
    for signature, data in tables:
        if signature in iasl.AML_SIGNATURES:
            seen[signature] = seen.get(signature, 0) + 1
            out.append((f"{signature}{seen[signature]}", bytes(data)))
    return out


def oracle(machine: str) -> list[OracleTable]:
    """iasl's namespace of each of the machine's DSDT/SSDTs, from the cache when it is there."""
    prefix = machine.replace("/", "-") + "-"
    path = os.path.join(CACHE, f"{prefix}{_key(machine)}.json")
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError):
        entries = _disassemble_all(machine_aml(machine))
        _write_atomically(path, entries)
        # The machine's entries under older keys will never be read again.
        for name in os.listdir(CACHE):
            if name.startswith(prefix) and name.endswith(".json") and name != os.path.basename(path):
                with contextlib.suppress(FileNotFoundError):  # another test process got there first
                    os.remove(os.path.join(CACHE, name))
    return [OracleTable(e["name"], zlib.decompress(base64.b64decode(e["data"])), e["namespace"], e["problems"])
            for e in entries]


def _disassemble_all(aml: list[tuple[str, bytes]]) -> list[dict]:
    # Every other definition block goes along with -e, so that calls into them decode with their argument counts
    # and the statements after such a call are not misread.
    everything = [data for _, data in aml]

    def one(item):
        name, data = item
        result = iasl.disassemble(data, extra_tables=everything)
        return {"name": name, "data": base64.b64encode(zlib.compress(data, 9)).decode("ascii"),
                "namespace": iasl.dsl_namespace(result.text), "problems": [str(p) for p in result.problems]}

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(one, aml))


def _key(machine: str) -> str:
    """A hash of the machine's tables and of what turns them into namespaces. The tables themselves are kept in
    the cache, as reading a real machine's acpidump text takes longer than the cache saves; its key is the
    text's file and the reader's source instead."""
    digest = hashlib.sha256(f"{FORMAT}\0{_iasl_version()}\0".encode())
    source, name = machine.split("/", 1)
    files = [iasl.__file__]
    if source == "real-hw":
        files += [acpidump.__file__, os.path.join(real_hw.CORPUS, f"{name}.txt.xz")]
    else:
        for table_name, data in machine_aml(machine):
            digest.update(f"{table_name}\0{len(data)}\0".encode())
            digest.update(data)
    for path in files:
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def _iasl_version() -> str:
    done = subprocess.run([iasl.IASL, "-v"], capture_output=True, text=True, errors="replace", check=False)
    return " ".join(line for line in done.stdout.splitlines() if "version" in line)


def _write_atomically(path: str, entries: list[dict]) -> None:
    # Two test processes may fill the same entry; each writes a file of its own and renames it into place.
    os.makedirs(CACHE, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=CACHE, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        json.dump(entries, f, separators=(",", ":"))
    os.replace(temporary, path)
