"""The semantic diff: differences named by field and entry, placement ignored, and the diff exit status."""
import os
import subprocess
import sys

from qboot_tables.show.diff import diff
from qboot_tables.read.inputs import load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")


def fixture(name):
    return load(os.path.join(FIXTURES, name))


def test_same_tables_elsewhere_in_memory_are_equal():
    a = fixture("q35-smp4")
    b = load(os.path.join(FIXTURES, "q35-smp4"), {"etc/acpi/tables": 0x100000, "etc/acpi/rsdp": 0xE0000})
    assert b.rsdp.address == 0xE0000 and a.rsdp.address != b.rsdp.address
    assert diff(a, b) == []


def test_hotpluggable_cpus():
    lines = diff(fixture("pc-smp4"), fixture("pc-smp2-max8"))
    assert "APIC: +4 Processor Local APIC entries (uid 4, 5, 6, 7)" in lines
    assert "APIC: Processor Local APIC uid 2: body.flags: 1 -> 0: bit 0 cleared (-ENABLED)" in lines
    assert "SMBIOS type 4 handle 0x0400.core_count: 4 -> 8" in lines
    assert not [line for line in lines if "checksum" in line]


def test_sparse_apic_ids():
    lines = diff(fixture("pc-smp4"), fixture("pc-smp6-s2c3"))
    assert "APIC: Processor Local APIC uid 3: body.apic_id: 3 -> 4" in lines
    assert "SMBIOS: +type 4 handle 0x0401" in lines


def test_numa_adds_tables_and_root_entries():
    lines = diff(fixture("q35-smp4"), fixture("q35-numa2"))
    assert "SRAT: +table (272 bytes)" in lines and "SLIT: +table (48 bytes)" in lines
    assert "RSDT.entries: [FACP, APIC, HPET, MCFG, WAET] -> [FACP, APIC, HPET, SRAT, SLIT, MCFG, WAET]" in lines


def test_fadt_flag_bits_are_named():
    lines = diff(fixture("pc-smp64"), fixture("q35-smp64"))
    assert "FACP.flags: 0x480a5 -> 0x484a5: bit 10 set (+RESET_REG_SUP)" in lines
    assert "MCFG: +table (60 bytes)" in lines


def test_smbios_strings():
    lines = diff(fixture("pc-default"), fixture("pc-smbios-type1"))
    assert "SMBIOS type 1 handle 0x0100.string 1: QEMU -> Acme Labs" in lines


def test_cli_exit_status(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "qboot_tables", "diff", *map(str, args)], capture_output=True,
                              text=True, cwd=ROOT)
    q35 = os.path.join(FIXTURES, "q35-smp4")
    same = run(q35, q35)
    assert same.returncode == 0 and same.stdout == ""
    # A capture and the raw tables it links to hold the same tables.
    subprocess.run([sys.executable, "-m", "qboot_tables", "dump", q35, "--out", tmp_path], check=True,
                   capture_output=True, cwd=ROOT)
    # dump --out writes the e820 map beside them (e820.bin), so nothing is left out, even with --strict.
    linked = run(q35, tmp_path, "--strict")
    assert linked.returncode == 0 and linked.stdout == "" and linked.stderr == ""
    # Without it the map is compared only when asked for with --strict.
    os.unlink(tmp_path / "e820.bin")
    linked = run(q35, tmp_path)
    assert linked.returncode == 0 and linked.stdout == "" and "not compared" in linked.stderr
    linked = run(q35, tmp_path, "--strict")
    assert linked.returncode == 1 and "e820: removed" in linked.stdout and "APIC" not in linked.stdout
    differ = run(q35, os.path.join(FIXTURES, "q35-numa2"))
    assert differ.returncode == 1 and "SRAT: +table" in differ.stdout
    missing = run(q35, tmp_path / "nope")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
