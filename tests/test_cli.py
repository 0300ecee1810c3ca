"""dump-tables as a user runs it: every input kind, every option, and the exit status contract (0, 1, 2)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")
Q35 = os.path.join(FIXTURES, "q35-smp4")


def run(*args, entry="dump"):
    cmd = [sys.executable, "-m", "qboot_tables"] + ([entry] if entry else []) + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def summary(path, *extra):
    proc = run(path, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["summary"]


def tree_digest(path):
    h = hashlib.sha256()
    for base, dirs, names in sorted(os.walk(path)):
        dirs.sort()
        for n in sorted(names):
            with open(os.path.join(base, n), "rb") as f:
                h.update(n.encode() + f.read())
    return h.hexdigest()


def test_dump_capture_text():
    proc = run(Q35)
    assert proc.returncode == 0, proc.stderr
    assert "Summary: CPUs: 4 enabled of 4 possible; APIC IDs 0-3" in proc.stdout
    assert "subtables[0].body.flags              : 1  (ENABLED)" in proc.stdout
    assert "(Processor Local APIC)" in proc.stdout and "e820 map" in proc.stdout
    assert "table-loader commands" in proc.stdout and "SMBIOS type 4" in proc.stdout


@pytest.mark.parametrize("fixture, enabled, possible, apic_ids", [
    ("q35-smp4", 4, 4, [0, 1, 2, 3]),
    ("pc-smp2-max8", 2, 8, list(range(8))),
    ("pc-smp6-s2c3", 6, 6, [0, 1, 2, 4, 5, 6]),
    ("q35-smp8-s2c2t2", 8, 8, list(range(8))),
])
def test_json_summary(fixture, enabled, possible, apic_ids):
    s = summary(os.path.join(FIXTURES, fixture))
    assert (s["cpus_enabled"], s["cpus_possible"], s["apic_ids"]) == (enabled, possible, apic_ids)
    assert s["ram_bytes"] > 0


def test_summary_says_unknown_and_runs(tmp_path):
    # An SMBIOS dump alone says nothing of CPUs, NUMA or RAM beyond what it holds: unknown, not 0.
    out = tmp_path / "out"
    assert run(Q35, "--out", out).returncode == 0
    s = summary(out / "smbios.bin")
    assert (s["cpus_enabled"], s["cpus_possible"], s["apic_ids"], s["numa_nodes"], s["ram_bytes"]) == \
        (None, None, None, None, None)
    assert "Summary: CPUs: unknown; NUMA nodes: unknown; RAM: unknown" in run(out / "smbios.bin").stdout
    # Sparse APIC IDs print as runs: 0-2,4-6, not 0-6.
    assert "APIC IDs 0-2,4-6;" in run(os.path.join(FIXTURES, "pc-smp6-s2c3")).stdout


def test_summary_without_a_madt_counts_the_mp_tables_or_fw_cfgs_cpus(tmp_path):
    # acpi=off: generate writes the SMBIOS and the MP table, no ACPI table; the MP table's CPUs are the summary's.
    tables, capture = tmp_path / "tables", tmp_path / "capture"
    args = ["--", "-M", "pc,acpi=off", "-smp", "2,maxcpus=4"]
    assert run("--out", tables, *args, entry="generate").returncode == 0
    s = summary(tables)
    assert (s["cpus_enabled"], s["cpus_possible"], s["apic_ids"]) == (2, 2, [0, 1])
    # Linux counts an MP processor entry without the enabled flag as a disabled CPU that is still possible.
    data = bytearray((tables / "mptable.bin").read_bytes())
    config = 16  # the configuration table follows the 16-byte floating pointer
    second_cpu_flags = config + 44 + 20 + 3  # header (44 bytes), the first processor entry (20), its flags
    data[second_cpu_flags] &= ~1
    data[config + 7] = (data[config + 7] + 1) & 0xFF  # the header's checksum makes up for the cleared bit
    (tables / "mptable.bin").write_bytes(bytes(data))
    s = summary(tables)
    assert (s["cpus_enabled"], s["cpus_possible"], s["apic_ids"]) == (1, 2, [0, 1])
    # A capture with no table-loader has only fw_cfg's boot CPU count: the others are unknown, not 0.
    assert run("--out", capture, "--format", "capture", *args, entry="generate").returncode == 0
    s = summary(capture)
    assert (s["cpus_enabled"], s["cpus_possible"], s["apic_ids"]) == (2, None, None)
    assert "Summary: CPUs: 2 enabled of unknown possible; APIC IDs unknown;" in run(capture).stdout


def test_json_numa_nodes():
    assert summary(os.path.join(FIXTURES, "q35-numa2"))["numa_nodes"] == 2
    assert summary(Q35)["numa_nodes"] == 1  # no SRAT: one node, as Linux makes


def test_dump_tables_entry_point_matches_subcommand():
    proc = subprocess.run([sys.executable, "-c", "import sys; from qboot_tables.cli import dump_main; "
                           "sys.exit(dump_main())", Q35, "--only", "APIC"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == run(Q35, "--only", "APIC").stdout


def test_only_filters():
    proc = run(Q35, "--only", "apic,RSDP")
    assert proc.returncode == 0
    assert "APIC @" in proc.stdout and "RSDP @" in proc.stdout and "FACP @" not in proc.stdout


def test_alloc_places_files():
    proc = run(Q35, "--alloc", "etc/acpi/rsdp=0xf5a10", "--alloc", "etc/acpi/tables=0x7fe0000", "--only", "RSDP")
    assert proc.returncode == 0, proc.stderr
    assert "RSDP @ 0x000f5a10" in proc.stdout and "rsdt_address" in proc.stdout


def test_out_and_reload_every_kind(tmp_path):
    before = tree_digest(Q35)
    out = tmp_path / "tables"
    proc = run(Q35, "--out", out, "--acpidump", tmp_path / "dump.txt")
    assert proc.returncode == 0, proc.stderr
    assert tree_digest(Q35) == before, "an input was modified"
    names = set(os.listdir(out))
    assert {"RSDP", "RSDT", "FACP", "APIC", "DSDT", "FACS", "HPET", "MCFG", "WAET", "smbios.bin"} <= names
    tables = json.loads(run(Q35, "--json").stdout)["acpi"]
    # The directory of raw tables, each raw file, and the acpidump text decode to the same fields.
    for source in (out, tmp_path / "dump.txt"):
        again = json.loads(run(source, "--json").stdout)
        assert sorted(t["name"] for t in again["acpi"]) == sorted(t["name"] for t in tables)
        by_name = {t["name"]: t["fields"] for t in again["acpi"]}
        for t in tables:
            assert by_name[t["name"]] == t["fields"], t["name"]
    for name in ("APIC", "RSDP", "FACS", "smbios.bin"):
        assert run(out / name).returncode == 0


def test_sysfs_by_name_layout(tmp_path):
    by_name = tmp_path / "by_name"
    for base, _dirs, names in os.walk(Q35):
        for n in names:
            rel = os.path.relpath(os.path.join(base, n), Q35)
            if rel in ("fw_cfg.json", "command.txt") or rel.startswith("golden"):
                continue
            (by_name / rel).mkdir(parents=True)
            shutil.copy(os.path.join(base, n), by_name / rel / "raw")
    ours = json.loads(run(Q35, "--json").stdout)
    theirs = json.loads(run(by_name, "--json").stdout)
    assert theirs["acpi"] == ours["acpi"] and theirs["summary"] == ours["summary"]


def test_bad_checksum_exits_1(tmp_path):
    run(Q35, "--out", tmp_path)
    apic = bytearray((tmp_path / "APIC").read_bytes())
    apic[40] ^= 0x55
    (tmp_path / "APIC").write_bytes(apic)
    proc = run(tmp_path / "APIC")
    assert proc.returncode == 1
    assert "Incorrect checksum" in proc.stderr


def test_cut_off_table_exits_1(tmp_path):
    run(Q35, "--out", tmp_path)
    (tmp_path / "cut").write_bytes((tmp_path / "FACP").read_bytes()[:100])
    proc = run(tmp_path / "cut")
    assert proc.returncode == 1 and "FACP" in proc.stderr


def test_broken_loader_exits_1(tmp_path):
    capture = tmp_path / "capture"
    shutil.copytree(Q35, capture)
    loader = bytearray((capture / "etc" / "table-loader").read_bytes())
    loader[128 + 60:128 + 64] = (3).to_bytes(4, "little")  # align 3 in the second ALLOCATE
    (capture / "etc" / "table-loader").write_bytes(loader)
    proc = run(capture)
    assert proc.returncode == 1
    # Linted, not just refused: the finding names the command and field, and the dump is still printed.
    assert "table-loader.command[1].align" in proc.stderr
    assert "table-loader commands" in proc.stdout


@pytest.mark.parametrize("make_input, words", [
    (lambda d: d / "missing", "No such file"),
    (lambda d: d, "empty directory"),
    (lambda d: (d / "junk").write_bytes(b"\x00\x01junk" * 10) and d / "junk", "not a recognised input"),
    (lambda d: (d / "empty").write_bytes(b"") or d / "empty", "empty file"),
])
def test_unreadable_input_exits_2(tmp_path, make_input, words):
    path = make_input(tmp_path)
    proc = run(path)
    assert proc.returncode == 2 and words in proc.stderr


@pytest.mark.parametrize("args", [["--alloc", "a=0x1000"], ["--bogus", Q35], [Q35, "--alloc", "nonsense"],
                                  [Q35, "--alloc", "a=zz"]])
def test_usage_errors_exit_2(args):
    assert run(*args).returncode == 2


def test_usage_line_lists_every_command_whichever_ran():
    # A run builds only its own command's parser; the usage printed for a stray argument still names them all.
    every = "{dump,capture,generate,asl,diff}"
    assert every in run("--bogus", Q35).stderr
    assert every in run(entry=None).stderr
    assert every in run("-h", entry=None).stdout
    assert "usage: qboot-tables dump [-h] [--json]" in run("-h").stdout


def test_refuses_to_write_over_its_input(tmp_path):
    table = tmp_path / "APIC"
    run(Q35, "--out", tmp_path)
    before = table.read_bytes()
    proc = run(table, "--acpidump", table)
    assert proc.returncode == 2 and table.read_bytes() == before


@pytest.mark.parametrize("fixture", sorted(os.listdir(FIXTURES)))
def test_every_qemu_capture_passes_iasl(fixture):
    proc = run(os.path.join(FIXTURES, fixture), "--iasl", "--only", "FACP,APIC,HPET,MCFG,SRAT,SLIT,WAET,DSDT,SSDT,"
                                                                     "FACS,RSDT,XSDT")
    assert proc.returncode == 0, proc.stderr
    # The one warning a QEMU capture earns: the type 11 count QEMU 7.2 writes for an empty `value=`
    # (tests/test_smbios.py checks it against the command line and dmidecode).
    qemu_own = "-smbios-oem-onboard: warning: SMBIOS type 11 @"
    assert [line for line in proc.stderr.splitlines() if qemu_own not in line] == [], proc.stderr
