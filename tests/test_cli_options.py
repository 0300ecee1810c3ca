"""The options people bring from dmidecode, acpidump and iasl: --only by the names they use, -t by dmidecode's
keywords, --summary, --version, --help with examples and exit codes, no INPUT meaning this machine, and diff's
--json, --only and --strict. Run in-process, so the file stays fast."""
import json
import os
import re
import shutil
import subprocess

import pytest

import qboot_tables
from qboot_tables import cli
from qboot_tables.read import inputs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")
Q35 = os.path.join(FIXTURES, "q35-smp4")
NUMA = os.path.join(FIXTURES, "q35-numa2")
TABLES = os.path.join(Q35, "golden", "tables")

# dmidecode 3.4, dmiopt.c opt_type_keyword: the oracle for -t's keywords.
DMIDECODE_KEYWORDS = {
    "bios": [0, 13], "system": [1, 12, 15, 23, 32], "baseboard": [2, 10, 41], "chassis": [3], "processor": [4],
    "memory": [5, 6, 16, 17], "cache": [7], "connector": [8], "slot": [9],
}


def dump(capsys, *args, entry=cli.dump_main):
    status = entry([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return status, out, err


def dump_json(capsys, *args):
    status, out, err = dump(capsys, *args, "--json")
    assert status == 0, err
    return json.loads(out)


@pytest.mark.parametrize("names, signatures", [
    ("madt", ["APIC"]), ("MADT,fadt", ["FACP", "APIC"]), ("Dsdt,facs", ["FACS", "DSDT"]), ("apic", ["APIC"]),
    ("smbios", []), ("e820", []),
])
def test_only_takes_the_names_people_use_in_any_case(capsys, names, signatures):
    doc = dump_json(capsys, Q35, "--only", names)
    assert [t["signature"] for t in doc["acpi"]] == signatures
    assert ("smbios" in doc) == (names == "smbios") and ("e820" in doc) == (names == "e820")
    assert "loader" not in doc and "fw_cfg" not in doc and "rsdp" not in doc


@pytest.mark.parametrize("name, key", [("RSDP", "rsdp"), ("loader", "loader"), ("FwCfg", "fw_cfg")])
def test_only_sections(capsys, name, key):
    doc = dump_json(capsys, Q35, "--only", name)
    assert key in doc and doc["acpi"] == []


def test_an_unknown_only_name_exits_2_and_lists_the_known_ones(capsys):
    status, out, err = dump(capsys, Q35, "--only", "MADT,BOGUS")
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "BOGUS" in err and all(name in err for name in ("MADT", "FADT", "SMBIOS", "E820", "MPTABLE", "FWCFG",
                                                            "LOADER", "RSDP", "DSDT", "SSDT", "SRAT"))
    # A four-letter name is a signature the registry may not know (an OEM table): refused only when absent.
    assert dump(capsys, Q35, "--only", "OEMX")[0] == 2
    assert dump(capsys, Q35, "--only", "bogus", entry=lambda a: cli.main(["dump"] + a))[0] == 2


def test_keywords_are_dmidecode_34s():
    assert {k: sorted(v) for k, v in cli.SMBIOS_KEYWORDS.items()} == DMIDECODE_KEYWORDS


@pytest.mark.parametrize("types, expected", [
    (["processor"], {4}), (["memory"], {16, 17}), (["4,0x11"], {4, 17}), (["bios", "system"], {1, 32}),  # QEMU gives no type 0: SeaBIOS adds it
    (["chassis", "127"], {3, 127}),
])
def test_type_selects_smbios_structures(capsys, types, expected):
    args = [a for t in types for a in ("-t", t)]
    doc = dump_json(capsys, Q35, *args)
    assert {s["type"] for s in doc["smbios"]["structures"]} == expected
    assert doc["acpi"] == [] and "e820" not in doc  # as dmidecode -t: SMBIOS only, unless --only asks for more
    both = dump_json(capsys, Q35, *args, "--only", "madt")
    assert [t["name"] for t in both["acpi"]] == ["APIC"] and both["smbios"]["structures"] == doc["smbios"]["structures"]


@pytest.mark.parametrize("bad", ["bogus", "256", "-1", "0x100", "1.5"])
def test_a_bad_type_exits_2(capsys, bad):
    status, out, err = dump(capsys, Q35, "-t", bad)
    assert status == 2 and out == "" and "processor" in err


@pytest.mark.skipif(shutil.which("dmidecode") is None, reason="dmidecode not installed")
@pytest.mark.parametrize("keyword", sorted(DMIDECODE_KEYWORDS))
def test_type_selects_what_dmidecode_t_selects(capsys, tmp_path, keyword):
    assert dump(capsys, Q35, "--out", tmp_path / "out")[0] == 0
    proc = subprocess.run(["dmidecode", "--from-dump", str(tmp_path / "out" / "smbios.bin"), "-t", keyword],
                          capture_output=True, text=True, timeout=60)
    theirs = [int(h, 16) for h in re.findall(r"^Handle (0x[0-9A-F]{4}), DMI type", proc.stdout, re.M)]
    ours = [s["handle"] for s in dump_json(capsys, Q35, "-t", keyword)["smbios"]["structures"]]
    assert ours == theirs


def test_summary_only(capsys):
    status, out, _ = dump(capsys, Q35, "--summary")
    assert status == 0 and out == ("Summary: CPUs: 4 enabled of 4 possible; APIC IDs 0-3; NUMA nodes: 1; "
                                   "RAM: 536870912 bytes (512 MiB)\n")
    doc = dump_json(capsys, Q35, "--summary")
    assert doc == {"source": f"capture {Q35}", "summary": dump_json(capsys, Q35)["summary"]}
    status, out, _ = dump(capsys, Q35, NUMA, "--summary")
    assert [line.split(": Summary")[0] for line in out.splitlines()] == [Q35, NUMA]


@pytest.mark.parametrize("entry, prog", [(cli.dump_main, "dump-tables"), (cli.main, "qboot-tables")])
def test_version(capsys, entry, prog):
    status, out, _ = dump(capsys, "--version", entry=entry)
    assert status == 0 and out == f"{prog} {qboot_tables.__version__}\n"


@pytest.mark.parametrize("argv", [["dump-tables"], ["qboot-tables"], ["qboot-tables", "dump"],
                                  ["qboot-tables", "capture"], ["qboot-tables", "generate"], ["qboot-tables", "asl"],
                                  ["qboot-tables", "diff"]])
def test_every_help_gives_examples_and_exit_codes(capsys, argv):
    entry = cli.dump_main if argv[0] == "dump-tables" else lambda a: cli.main(argv[1:] + a)
    status, out, _ = dump(capsys, "--help", entry=entry)
    assert status == 0
    assert re.search(r"^exit status:\n  0  all well\n  1  problems found .*\n  2  usage error or unreadable input$",
                     out, re.M), out
    if argv != ["qboot-tables"]:
        examples = out.split("examples:\n", 1)[1]
        assert examples.startswith(f"  {' '.join(argv)}" if argv[0] == "dump-tables" or len(argv) == 2 else "  ")


# /sys/firmware/memmap of a q35 guest with 512 MiB under SeaBIOS, as Linux 6.1 shows it (drivers/firmware/memmap.c:
# hex start and inclusive end, arch/x86/kernel/e820.c's type names).
MEMMAP = [(0x0, 0x9FBFF, "System RAM"), (0x9FC00, 0x9FFFF, "Reserved"), (0xF0000, 0xFFFFF, "Reserved"),
          (0x100000, 0x1FFDFFFF, "System RAM"), (0x1FFE0000, 0x1FFFFFFF, "Reserved"),
          (0xB0000000, 0xBFFFFFFF, "Reserved"), (0xFED1C000, 0xFED1FFFF, "Reserved"),
          (0xFEFFC000, 0xFEFFFFFF, "Reserved"), (0xFFFC0000, 0xFFFFFFFF, "Reserved")]
MEMMAP_RAM = 0x9FC00 + 0x1FEE0000


def write_memmap(directory, ranges=MEMMAP):
    for index, (start, end, kind) in enumerate(ranges):
        (directory / str(index)).mkdir(parents=True)
        for name, value in (("start", f"{start:#x}"), ("end", f"{end:#x}"), ("type", kind)):
            (directory / str(index) / name).write_text(value + "\n")
    return directory


def machine(tmp_path, acpi=True, dmi=True, memmap=True):
    """A /sys/firmware as Linux lays it out, from the q35 fixture."""
    root = tmp_path / "firmware"
    if acpi:
        shutil.copytree(TABLES, root / "acpi" / "tables")
        (root / "acpi" / "tables" / "RSDP").unlink()  # Linux does not show the RSDP there
        (root / "acpi" / "tables" / "data").mkdir()
    if dmi:
        smbios = qboot_tables.load(Q35).smbios
        (root / "dmi" / "tables").mkdir(parents=True)
        (root / "dmi" / "tables" / "smbios_entry_point").write_bytes(smbios.entry_point_raw)
        (root / "dmi" / "tables" / "DMI").write_bytes(smbios.table_raw)
    if memmap:
        write_memmap(root / "memmap")
    root.mkdir(exist_ok=True)
    return root


def test_no_input_reads_this_machine(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "SYSFS_FIRMWARE", str(machine(tmp_path)))
    doc = dump_json(capsys)
    assert doc["source"].startswith("this machine") and "acpi/tables" in doc["source"] and "dmi" in doc["source"]
    assert "APIC" in [t["name"] for t in doc["acpi"]] and len(doc["smbios"]["structures"]) > 3
    assert doc["summary"]["cpus_possible"] == 4
    # The e820 map from Linux's memmap, and with it the RAM, in the same set.
    assert [(e["address"], e["address"] + e["length"] - 1) for e in doc["e820"]] == [r[:2] for r in MEMMAP]
    assert doc["summary"]["ram_bytes"] == MEMMAP_RAM and doc["findings"] == []
    monkeypatch.setattr(inputs, "SYSFS_FIRMWARE", str(machine(tmp_path / "acpi-only", dmi=False, memmap=False)))
    doc = dump_json(capsys)
    assert "smbios" not in doc and "e820" not in doc and doc["summary"]["ram_bytes"] is None


def test_memmap_folder_names_every_type_linux_writes(capsys, tmp_path):
    names = ["System RAM", "Reserved", "ACPI Tables", "ACPI Non-volatile Storage", "Unusable memory",
             "Persistent Memory (legacy)", "Persistent Memory", "Soft Reserved", "reserved", "Unknown E820 type",
             "System RAM"]
    ranges = [(n << 20, (n << 20) + 0xFFFFF, name) for n, name in enumerate(names)]
    doc = dump_json(capsys, write_memmap(tmp_path / "memmap", ranges))
    # Folder 10 comes after 9: Linux numbers them, so they are read in number order, not name order.
    assert [e["type"] for e in doc["e820"]] == [1, 2, 3, 4, 5, 12, 7, 0xEFFFFFFF, 2, 0, 1]
    assert doc["summary"]["ram_bytes"] == 2 << 20
    # The one type Linux shows without its number reads as 0, which the check calls unknown.
    assert [(f["severity"], f["table"], f["field"]) for f in doc["findings"]] == [("warning", "e820", "[9].type")]


@pytest.mark.parametrize("damage, words", [
    (lambda d: (d / "0" / "start").write_text("zz\n"), "not a 64-bit hex address"),
    (lambda d: (d / "1" / "end").write_text("0x1\n"), "is no range Linux shows"),
    (lambda d: (d / "0" / "type").write_bytes(b"\xff\n"), "not text"),
    (lambda d: (d / "extra").mkdir(), "not a memmap range"),
    (lambda d: ((d / "0" / "type").unlink(), os.mkfifo(d / "0" / "type")), "FIFO"),
])
def test_damaged_memmap_is_one_line(capsys, tmp_path, damage, words):
    folder = write_memmap(tmp_path / "memmap")
    damage(folder)
    status, out, err = dump(capsys, folder)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and words in err, err


def test_without_root_the_memmap_is_read_and_the_tables_are_named(capsys, tmp_path, monkeypatch):
    # Linux's acpi/tables and dmi/tables are root's alone (0400), its memmap everyone's: a user's run shows the
    # e820 map and says what it could not read and why.
    root = machine(tmp_path)
    real_load = inputs.load

    def load(path, placement=None):
        if os.path.basename(path) != "memmap":
            raise inputs.InputError(f"{path!r}: Permission denied")
        return real_load(path, placement)

    monkeypatch.setattr(inputs, "SYSFS_FIRMWARE", str(root))
    monkeypatch.setattr(inputs, "load", load)
    doc = dump_json(capsys)
    assert doc["summary"]["ram_bytes"] == MEMMAP_RAM and doc["acpi"] == []
    warnings = [f["message"] for f in doc["findings"]]
    assert len(warnings) == 2 and all(w.endswith("Permission denied (reading it takes root)") for w in warnings)


def test_damaged_memmap_beside_the_tables_is_a_warning(capsys, tmp_path, monkeypatch):
    root = machine(tmp_path)
    (root / "memmap" / "0" / "start").write_text("nowhere\n")
    monkeypatch.setattr(inputs, "SYSFS_FIRMWARE", str(root))
    doc = dump_json(capsys)
    assert "e820" not in doc and "APIC" in [t["name"] for t in doc["acpi"]]
    assert [f["message"] for f in doc["findings"] if "memmap" in f["message"]][0].startswith("not read:")


def test_no_input_and_nothing_readable_is_one_error(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "SYSFS_FIRMWARE", str(machine(tmp_path, acpi=False, dmi=False, memmap=False)))
    status, out, err = dump(capsys)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "cannot be read" in err and all(part in err for part in ("acpi/tables", "dmi/tables", "memmap",
                                                                      "qemu_fw_cfg"))
    assert dump(capsys, "--alloc", "etc/acpi/rsdp=0xf5a10")[0] == 2


@pytest.fixture(scope="module")
def acpidump(tmp_path_factory):
    path = tmp_path_factory.mktemp("acpidump") / "q35.txt"
    assert cli.dump_main([Q35, "--acpidump", str(path), "--summary"]) == 0
    return path


def test_diff_compares_only_what_both_carry(capsys, acpidump):
    status, out, err = dump(capsys, "diff", Q35, acpidump, entry=cli.main)
    assert status == 0 and out == "" and "E820, SMBIOS" in err
    status, out, _ = dump(capsys, "diff", Q35, acpidump, "--strict", entry=cli.main)
    assert status == 1 and out == "SMBIOS: removed\ne820: removed\n"


def test_diff_json_and_only(capsys, acpidump):
    status, out, _ = dump(capsys, "diff", Q35, NUMA, "--json", entry=cli.main)
    doc = json.loads(out)
    assert status == 1 and doc["strict"] is False and doc["not_compared"] == []
    assert {"section": "SRAT", "line": "SRAT: +table (272 bytes)"} in doc["differences"]
    assert {d["section"] for d in doc["differences"]} >= {"SRAT", "SLIT", "RSDT", "DSDT"}
    status, out, _ = dump(capsys, "diff", Q35, NUMA, "--json", "--only", "madt,Srat", entry=cli.main)
    assert status == 1 and [d["line"] for d in json.loads(out)["differences"]] == ["SRAT: +table (272 bytes)"]
    status, out, _ = dump(capsys, "diff", Q35, NUMA, "--only", "MADT", entry=cli.main)
    assert status == 0 and out == ""
    status, out, _ = dump(capsys, "diff", Q35, acpidump, "--json", "--strict", entry=cli.main)
    assert [d["section"] for d in json.loads(out)["differences"]] == ["SMBIOS", "E820"]
    assert dump(capsys, "diff", Q35, NUMA, "--only", "nope!", entry=cli.main)[0] == 2
