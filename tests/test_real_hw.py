"""Real machines (fixtures/real-hw): every table we decode agrees with iasl, field for field, builds back to its
bytes, and gets an error finding only where an independent check also finds one; the CPU count agrees with an
independent count of the MADT's bytes."""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections import Counter

import pytest

from qboot_tables.errors import build, parse

import aml_oracle
import real_hw

MACHINES = real_hw.machines()


def decodable(machine):
    """The iasl-known tables of a machine that we have a descriptor for, by unique name."""
    try:
        tables = real_hw.machine_tables(machine)
    except Exception as e:  # noqa: BLE001 - an input layout we do not read yet is skipped, and said so
        pytest.skip(f"{machine}: not read yet: {e}")
    picked, seen = {}, {}
    for table in tables:
        if table.signature in real_hw.IASL_KNOWN and table.signature in real_hw.DESCRIPTORS:
            seen[table.signature] = seen.get(table.signature, 0) + 1
            picked[f"{table.signature}{seen[table.signature]}"] = (table.signature, table.data)
    return picked


def test_the_corpus_is_there():
    assert len(MACHINES) >= 40


@pytest.mark.parametrize("machine", MACHINES)
def test_fields_agree_with_iasl(machine):
    picked = decodable(machine)
    fields = real_hw.iasl_fields({name: data for name, (_, data) in picked.items()})
    problems = []
    for name, (signature, data) in picked.items():
        agree, differ = real_hw.compare(signature, data, fields[name])
        problems += [f"{name}: {d}" for d in differ]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("machine", MACHINES)
def test_every_table_builds_back_to_its_bytes(machine):
    for table in real_hw.machine_tables(machine):
        descriptor = real_hw.DESCRIPTORS.get(table.signature)
        if descriptor is not None:
            assert build(descriptor.schema, parse(descriptor.schema, table.data, table.signature),
                         table.signature) == table.data, f"{machine} {table.signature}"


def independent_problems(tables) -> list[str]:
    """What a checksum and length check alone finds, written apart from the library: ACPI 6.5 §5.2.6."""
    out = []
    for table in tables:
        data = table.data
        if table.signature == "FACS":  # no checksum (§5.2.10)
            continue
        if len(data) < 36 or struct.unpack_from("<I", data, 4)[0] != len(data):
            out.append(f"{table.signature}: length")
        elif sum(data) & 0xFF:
            out.append(f"{table.signature}: checksum")
    return out


NOT_FOUND = re.compile(r"^(\S+) resolves to no object from (\S+) ")


def iasl_confirms(machine: str, finding: dict) -> bool:
    """An AML name finding checked against iasl's namespaces of the machine's tables (tests/aml_oracle.py):
    a duplicate is a path iasl sees declared twice; a missing name is one that no scope on its search path
    holds in iasl's namespace (ACPI 6.5 §5.3: a single segment is looked for upward, a longer path only there)."""
    declared = Counter(entry["path"] for table in aml_oracle.oracle(f"real-hw/{machine}")
                       for entry in table.namespace)
    if "AE_ALREADY_EXISTS" in finding["message"]:
        return declared[finding["field"]] >= 2
    name, scope = NOT_FOUND.match(finding["message"]).groups()
    scope = [segment for segment in scope.lstrip("\\").split(".") if segment]
    searched = name[0] not in "\\^" and "." not in name  # only a lone relative segment is searched for
    if name.startswith("\\"):
        scope, name = [], name[1:]
    while name.startswith("^"):
        scope, name = scope[:-1], name[1:]
    segments = [segment.ljust(4, "_") for segment in name.split(".")]
    depths = range(len(scope), -1, -1) if searched else [len(scope)]
    return not any("\\" + ".".join(scope[:depth] + segments) in declared for depth in depths)


def madt_cpu_count(tables) -> tuple[int, int]:
    """(enabled, possible) processors by walking the MADT's bytes directly, by Linux's rule: a valid APIC ID,
    and enabled, or online-capable, or in a MADT older than revision 5 (arch/x86/kernel/acpi/boot.c)."""
    madt = next(t.data for t in tables if t.signature == "APIC")
    revision, offset, enabled, possible = madt[8], 44, 0, 0
    while offset + 2 <= len(madt) and madt[offset + 1] >= 2:
        kind, length = madt[offset], madt[offset + 1]
        if kind in (0, 9):
            apic_id, flags = ((madt[offset + 3], struct.unpack_from("<I", madt, offset + 4)[0]) if kind == 0 else
                              struct.unpack_from("<II", madt, offset + 4))
            if apic_id != (0xFF if kind == 0 else 0xFFFFFFFF) and (flags & 1 or revision < 5 or flags & 2):
                possible += 1
                enabled += flags & 1
        offset += length
    return enabled, possible


def test_findings_and_cpu_counts_over_the_corpus():
    """One dump of every machine, as a user runs it: errors only where the independent check finds some too,
    and the summary's CPU counts equal the independent ones."""
    with tempfile.TemporaryDirectory(prefix="qboot-corpus-") as work:
        for machine in MACHINES:
            path = os.path.join(work, f"{machine}.txt")
            with open(path, "w", encoding="latin-1") as f:
                f.write(real_hw.machine_text(machine))
            proc = subprocess.run([sys.executable, "-m", "qboot_tables", "dump", "--json", path],
                                  capture_output=True, text=True, cwd=real_hw.ROOT, timeout=120)
            assert proc.returncode in (0, 1), f"{machine}: {proc.stderr}"
            doc = json.loads(proc.stdout)
            tables = real_hw.machine_tables(machine)
            errors = [f for f in doc["findings"] if f["severity"] == "error"]
            aml_errors = [f for f in errors if "AE_ALREADY_EXISTS" in f["message"] or "AE_NOT_FOUND" in f["message"]]
            for finding in aml_errors:
                assert iasl_confirms(machine, finding), f"{machine}: {finding}"
            if not independent_problems(tables):
                others = [f["message"] for f in errors if f not in aml_errors]
                assert others == [], f"{machine}: {others[:3]}"
            enabled, possible = madt_cpu_count(tables)
            assert (doc["summary"]["cpus_enabled"], doc["summary"]["cpus_possible"]) == (enabled, possible), machine
