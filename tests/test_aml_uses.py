"""What the AML decoder is for: an object-by-object diff, ASL in dump's text and from `qboot-tables asl`, the
namespace in JSON, and the processor check on QEMU's own DSDT."""
import json
import os
import subprocess
import sys

import pytest

from qboot_tables.check.consistency import check
from qboot_tables.read.inputs import load
from qboot_tables.show.diff import diff
from qboot_tables.tools.iasl import compile_asl, disassemble, iasl_available

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")


def fixture(name):
    return load(os.path.join(FIXTURES, name))


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "qboot_tables", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_diff_names_aml_objects_and_shows_changed_asl():
    lines = diff(fixture("q35-smp4"), fixture("q35-smp2-max8"))
    assert "DSDT: +Processor \\_SB_.CPUS.C004" in lines and "DSDT: +Method \\_SB_.CPUS.C007._STA" in lines
    assert not [line for line in lines if "DSDT.aml" in line]
    at = lines.index("DSDT: Method \\_SB_.CPUS.CSCN changed:")
    changed = [line for line in lines[at + 1:] if line.startswith("    ")]
    assert "    -        While (LAnd (LEqual (Local0, One), LLess (Local3, 0x04)))" in changed
    assert "    +        While (LAnd (LEqual (Local0, One), LLess (Local3, 0x08)))" in changed
    # Placement is no difference, and neither is AML that only moved: the same set gives nothing.
    assert diff(fixture("q35-smp4"), fixture("q35-smp4")) == []


def test_diff_of_a_changed_value():
    a, b = fixture("pc-default"), fixture("pc-vmgenid")
    lines = diff(a, b)
    assert "SSDT: +table (202 bytes)" in lines
    assert "SSDT: +Device \\_SB_.VGEN" in lines and "SSDT: +Method \\_GPE._E05" in lines


def test_dump_text_shows_asl_and_json_carries_the_namespace():
    text = run("dump", os.path.join(FIXTURES, "q35-smp4")).stdout
    assert "  DefinitionBlock (\"\", \"DSDT\", 1, \"BOCHS \", \"BXPC    \", 0x00000001)" in text
    assert "Device (PCI0)" in text and "aml" not in [line.split()[2] for line in text.splitlines()
                                                      if line.startswith("  [")]
    doc = json.loads(run("dump", "--json", os.path.join(FIXTURES, "q35-smp4")).stdout)
    dsdt = next(t for t in doc["acpi"] if t["signature"] == "DSDT")
    paths = {entry["path"]: entry for entry in dsdt["namespace"]}
    assert paths["\\_SB_.PCI0._HID"]["value"] == {"eisa_id": "PNP0A08"}
    assert paths["\\_SB_.CPUS.C003"]["type"] == "Processor"
    assert "asl" not in dsdt


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_asl_command_writes_one_dsl_per_table_that_iasl_compiles(tmp_path):
    out = tmp_path / "asl"
    proc = run("asl", os.path.join(FIXTURES, "pc-vmgenid"), "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["DSDT.dsl", "SSDT.dsl"]
    tables = {t.name: t.data for t in fixture("pc-vmgenid").acpi}
    for name in ("DSDT", "SSDT"):
        ours = compile_asl((out / f"{name}.dsl").read_text(encoding="latin-1"))
        # iasl refuses its own disassembly of QEMU's VM generation ID device (_HID "QEMUVGID" is no PNP ID),
        # so the bar is iasl's own output: no error beyond the ones it has.
        theirs = compile_asl(disassemble(tables[name], name, legacy=True).text)
        def messages(result):
            return [error.split(": ", 1)[1] for error in result.errors]  # without line numbers
        assert messages(ours) == messages(theirs) and (ours.aml or theirs.errors), (name, ours.errors[:3])
    printed = run("asl", os.path.join(FIXTURES, "pc-vmgenid"))
    assert printed.stdout == "".join((out / n).read_text(encoding="latin-1") for n in ("DSDT.dsl", "SSDT.dsl"))
    # An input without AML is a usage problem, said in one line.
    only_rsdp = tmp_path / "rsdp-only"
    only_rsdp.mkdir()
    (only_rsdp / "FACS").write_bytes((out / "DSDT.dsl").read_bytes()[:0] + b"FACS" + (64).to_bytes(4, "little")
                                     + bytes(56))
    refused = run("asl", only_rsdp)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "no DSDT or SSDT" in refused.stderr


@pytest.mark.parametrize("name", ["pc-smp4", "q35-smp8-s2c2t2", "q35-numa2"])
def test_processor_check_reads_qemus_own_dsdt(name):
    tableset = fixture(name)
    assert check(tableset) == []
    # Hide one CPU from the MADT: the DSDT's processor object for it is now reported.
    madt = tableset.table("APIC")
    madt.parsed.subtables = [s for s in madt.parsed.subtables if not (s.type == 0 and s.body.acpi_processor_uid == 1)]
    findings = check(tableset)
    assert any(f.table == "DSDT" and "UID 1 has no MADT entry" in f.message for f in findings), findings
