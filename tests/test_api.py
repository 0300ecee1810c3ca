"""The library as a REPL user meets it: qboot_tables.load, the TableSet's lookups, to_json, __version__, and mypy
passing on the package that ships py.typed."""
import json
import os
import subprocess
import sys
import tomllib
from importlib.metadata import version

import pytest

import qboot_tables
from qboot_tables.errors import InputError, UsageError
from qboot_tables.read.walk import AcpiTables, Table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")
Q35 = os.path.join(FIXTURES, "q35-smp4")
APIC = os.path.join(Q35, "golden", "tables", "APIC")


@pytest.fixture(scope="module")
def q35():
    return qboot_tables.load(Q35)


def test_acpi_is_still_a_list_with_lookup_by_name_signature_and_alias(q35):
    acpi = q35.acpi
    assert isinstance(acpi, list) and isinstance(acpi, AcpiTables)
    assert all(isinstance(t, Table) for t in acpi) and acpi[0] is list(acpi)[0] and acpi[-2:] == list(acpi)[-2:]
    assert acpi["APIC"] is acpi["MADT"] is acpi["madt"] is q35.table("APIC")
    assert acpi["FADT"].signature == "FACP" and "MADT" in acpi and "SRAT" not in acpi and acpi[0] in acpi
    assert acpi.get("SRAT") is None
    with pytest.raises(KeyError, match="SRAT"):
        acpi["SRAT"]
    # What the package did with the list before still works: append, sort, assign a plain list.
    copy = qboot_tables.load(Q35)
    copy.acpi = [t for t in copy.acpi if t.signature != "HPET"]
    assert isinstance(copy.acpi, AcpiTables) and "HPET" not in copy.acpi and "APIC" in copy.acpi


def test_decoded_values_have_attributes_and_json(q35):
    madt = q35.acpi["MADT"]
    assert madt.parsed.header.oem_id == b"BOCHS "
    assert sum(1 for s in madt.parsed.subtables if s.type == 0) == 4  # Processor Local APIC, one per CPU
    doc = json.loads(madt.to_json())
    assert doc["signature"] == "APIC" and any(f["name"] == "header.oem_id" for f in doc["fields"])
    cpus = q35.smbios.of_type(4)
    assert cpus and all(s.type == 4 for s in cpus) and cpus[0].parsed.body.core_count == 4
    assert json.loads(qboot_tables.to_json(cpus[0]))["type"] == 4
    assert json.loads(cpus[0].to_json()) == json.loads(qboot_tables.to_json(cpus[0]))
    assert [e.type for e in q35.e820.entries] and json.loads(qboot_tables.to_json(q35.e820))["entries"]
    assert q35.mptable is None  # QEMU gives no MP table; firmware writes it
    whole = json.loads(q35.to_json())
    assert whole["summary"] == q35.summary and [t["name"] for t in whole["acpi"]] == q35.acpi.names()


def test_summary_and_findings(q35, tmp_path):
    assert q35.summary["cpus_possible"] == 4 and q35.summary["apic_ids"] == [0, 1, 2, 3]
    assert q35.findings == []
    broken = bytearray(open(APIC, "rb").read())
    broken[9] ^= 0xFF  # the checksum
    tables = qboot_tables.load(bytes(broken))
    assert [(f.severity, f.table) for f in tables.findings if "checksum" in f.field] == [("error", "APIC")]
    # Validation's findings, kept: validating again does not add them twice.
    from qboot_tables.check.validate import validate
    assert validate(tables) == tables.findings


def test_load_takes_paths_bytes_and_placement(tmp_path):
    assert qboot_tables.load(open(APIC, "rb").read()).acpi.names() == ["APIC"]
    from pathlib import Path
    assert qboot_tables.load(Path(APIC)).acpi["MADT"].data == open(APIC, "rb").read()
    placed = qboot_tables.load(Q35, alloc={"etc/acpi/rsdp": 0xF5A10})
    assert placed.rsdp.address == 0xF5A10
    with pytest.raises(UsageError):
        qboot_tables.load(b"RSD PTR " + bytes(12), alloc={"etc/acpi/rsdp": 0xF5A10})
    with pytest.raises(InputError):
        qboot_tables.load(tmp_path / "missing")


def test_version_comes_from_the_metadata():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        declared = tomllib.load(f)["project"]["version"]
    assert qboot_tables.__version__ == version("qboot-tables") == declared
    assert qboot_tables._version() == declared


def test_mypy_passes_on_the_package():
    assert os.path.isfile(os.path.join(ROOT, "qboot_tables", "py.typed"))
    # The configuration is pyproject.toml's [tool.mypy]; its cache goes outside the source tree.
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", os.devnull], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
