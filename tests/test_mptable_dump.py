"""The MP table and fw_cfg in dump-tables: generated tables read back as a file, as a PCMP-only file and from a
linked image; every entry type decoded; each check firing on a broken copy; the fw_cfg section of a capture."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from qboot_tables.check.validate import validate
from qboot_tables.errors import QbootTablesError
from qboot_tables.generate.fwcfg import generate, generate_tables
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.generate.mptable import build_mptable
from qboot_tables.read.loader import Allocation, link
from qboot_tables.read.mptable import find_mptable, parse_config_table, parse_mptable, read_mptable_file
from qboot_tables.read.walk import TableSet, walk_image
from qboot_tables.schemas import mptable as M
from qboot_tables.schemas.loader import ZONE_FSEG
from qboot_tables.show.render import document, to_json, to_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
Q35 = os.path.join(ROOT, "fixtures", "qemu-7.2", "q35-smp4")
ADDRESS = 0xF5A40
CONFIG = M.MP_FLOATING_POINTER_SIZE  # where the configuration table starts in build_mptable's bytes
FIRST_ENTRY = CONFIG + M.MP_CONFIG_HEADER_SIZE

# One of each extended entry type (MPS 1.4 §4.4), for a q35 machine whose PCI bus is 0 and ISA bus 1.
EXTENDED = [
    dict(type=M.MP_ADDRESS_SPACE, body=dict(bus_id=0, address_type=1, address_base=0x80000000,
                                            address_length=0x40000000)),
    dict(type=M.MP_BUS_HIERARCHY, body=dict(bus_id=1, bus_information=1, parent_bus=0, reserved=bytes(3))),
    dict(type=M.MP_COMPATIBILITY_MODIFIER, body=dict(bus_id=0, address_modifier=1, predefined_range_list=1)),
]


def machine(*args: str) -> MachineConfig:
    return MachineConfig.from_qemu_args(list(args))


def run(*args, entry="dump"):
    cmd = [sys.executable, "-m", "qboot_tables"] + ([entry] if entry else []) + [str(a) for a in args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def dump_json(*args, status=0):
    proc = run(*args, "--json")
    assert proc.returncode == status, proc.stderr
    return json.loads(proc.stdout)


def fields(doc_entry) -> dict:
    return {f["name"]: (f["value"], f["meaning"]) for f in doc_entry["fields"]}


def fix_checksums(data: bytearray) -> bytearray:
    """Make both base checksums right again after a test changed a byte on purpose."""
    length = int.from_bytes(data[CONFIG + 4:CONFIG + 6], "little")
    data[CONFIG + 7] = 0
    data[CONFIG + 7] = -sum(data[CONFIG:CONFIG + length]) & 0xFF
    data[10] = 0
    data[10] = -sum(data[:16]) & 0xFF
    return data


def mp_findings(tableset) -> list:
    return [f for f in validate(tableset) if f.table == "MPTABLE"]


def file_set(data: bytes) -> TableSet:
    return TableSet(source="test", mptable=read_mptable_file(data))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "q35"
    proc = run("--out", out, "--", "-M", "q35", "-smp", "4", entry="generate")
    assert proc.returncode == 0, proc.stderr
    return out


# --- reading it back ---------------------------------------------------------------------------------------

def test_generated_file_reads_back(generated):
    data = (generated / "mptable.bin").read_bytes()
    doc = dump_json(generated / "mptable.bin")
    mp = doc["mptable"]
    assert fields(mp["floating_pointer"])["signature"] == ("_MP_", "")
    header = fields(mp["config"])
    assert header["entry_count"][0] == len(mp["entries"]) == len(parse_mptable(data).base)
    assert mp["config"]["address"] == fields(mp["floating_pointer"])["physical_address_pointer"][0]
    assert {e["title"] for e in mp["entries"]} == set(M.MP_ENTRY_TYPES.values())
    assert mp["extended_entries"] == [] and doc["findings"] == []
    text = run(generated / "mptable.bin").stdout
    assert "MP floating pointer @ 0x000f" in text and "MP entry 0: Processor" in text


def test_config_table_alone_reads_back(generated, tmp_path):
    data = (generated / "mptable.bin").read_bytes()
    (tmp_path / "pcmp.bin").write_bytes(data[CONFIG:])
    doc = dump_json(tmp_path / "pcmp.bin")
    assert doc["mptable"]["floating_pointer"] is None
    assert doc["mptable"]["entries"] == dump_json(generated / "mptable.bin")["mptable"]["entries"]
    table = parse_config_table(data[CONFIG:])
    assert table.floating is None and table.problems == [] and len(table.base) == table.config.header.entry_count


def test_tables_folder_is_checked_against_its_madt(generated, tmp_path):
    doc = dump_json(generated)
    assert doc["findings"] == [] and len(doc["mptable"]["entries"]) > 0
    assert {t["signature"] for t in dump_json(generated, "--only", "MPTABLE")["acpi"]} == set()
    assert "mptable" not in dump_json(generated, "--only", "APIC")
    # dump --out writes the MP table beside the tables, byte for byte.
    proc = run(generated, "--out", tmp_path / "again")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "again" / "mptable.bin").read_bytes() == (generated / "mptable.bin").read_bytes()


def test_apic_id_disagreeing_with_the_madt(generated, tmp_path):
    broken = tmp_path / "tables"
    broken.mkdir()
    for name in os.listdir(generated):
        (broken / name).write_bytes((generated / name).read_bytes())
    data = bytearray((generated / "mptable.bin").read_bytes())
    data[FIRST_ENTRY + 20 + 1] = 9  # the second processor's local APIC ID
    (broken / "mptable.bin").write_bytes(fix_checksums(data))
    proc = run(broken)
    assert proc.returncode == 1
    assert "MPTABLE.processors: APIC IDs [0, 2, 3, 9], the MADT enables [0, 1, 2, 3]" in proc.stderr


def test_local_apic_address_disagreeing_with_the_madt(generated, tmp_path):
    from qboot_tables.read.inputs import load

    broken = tmp_path / "tables"
    broken.mkdir()
    for name in os.listdir(generated):
        (broken / name).write_bytes((generated / name).read_bytes())
    data = bytearray((generated / "mptable.bin").read_bytes())
    data[CONFIG + 36:CONFIG + 40] = (0xFEE10000).to_bytes(4, "little")
    (broken / "mptable.bin").write_bytes(fix_checksums(data))
    assert [f.field for f in mp_findings(load(str(broken)))] == ["config.local_apic_address"]


@pytest.mark.parametrize("where", ["fseg", "base_memory", "ebda"])
def test_found_in_a_linked_image(where):
    config = machine("-M", "q35", "-smp", "4")
    tableset, data, address = generate_tables(config)
    snapshot = generate(config)
    image = link(snapshot)
    if where == "base_memory":
        address = M.MP_BASE_MEMORY_LAST_KIB[0] + 0x100
        data = build_mptable(config, address)
    elif where == "ebda":
        # A BIOS data area naming an EBDA at 0x9F000, and the table in the EBDA's first KiB.
        address = 0x9F000 + 0x40
        data = build_mptable(config, address)
        bda = bytearray(0x100)
        bda[M.MP_EBDA_SEGMENT_POINTER - 0x400:M.MP_EBDA_SEGMENT_POINTER - 0x400 + 2] = (0x9F00).to_bytes(2, "little")
        image.allocations["bda"] = Allocation("bda", 0x400, len(bda), ZONE_FSEG, 16, True)
        image.memory["bda"] = bytes(bda)
    image.allocations["mptable"] = Allocation("mptable", address, len(data), ZONE_FSEG, 16, True)
    image.memory["mptable"] = data
    walked = walk_image(image, snapshot, source="test")
    mp = walked.mptable
    assert (mp.floating_address, mp.config_address) == (address, address + CONFIG)
    assert mp.config_raw == data[CONFIG:]
    assert mp_findings(walked) == []
    assert [e["title"] for e in document(walked, [])["mptable"]["entries"]][:1] == ["Processor"]


def test_image_without_an_mptable_has_none():
    tableset = walk_image(link(generate(machine("-M", "pc"))))
    assert tableset.mptable is None and "mptable" not in document(tableset, [])


def test_pointer_outside_the_image_is_a_finding():
    config = machine("-M", "pc")
    snapshot = generate(config)
    image = link(snapshot)
    floating = bytearray(build_mptable(config, ADDRESS)[:CONFIG])
    floating[4:8] = (0x12345670).to_bytes(4, "little")
    floating[10] = 0
    floating[10] = -sum(floating) & 0xFF
    image.allocations["mptable"] = Allocation("mptable", ADDRESS, CONFIG, ZONE_FSEG, 16, True)
    image.memory["mptable"] = bytes(floating)
    found = [f.field for f in mp_findings(walk_image(image, snapshot))]
    assert found == ["floating.physical_address_pointer"]


# --- every entry type --------------------------------------------------------------------------------------

def test_every_entry_type_is_decoded(tmp_path):
    data = build_mptable(machine("-M", "q35", "-smp", "2"), ADDRESS, EXTENDED)
    (tmp_path / "mp.bin").write_bytes(data)
    doc = dump_json(tmp_path / "mp.bin")
    assert doc["findings"] == []
    mp = doc["mptable"]
    by_type = {}
    for e in mp["entries"] + mp["extended_entries"]:
        by_type.setdefault(e["type"], fields(e))
    assert sorted(by_type) == sorted(M.MP_ENTRY_TYPES) + sorted(M.MP_EXTENDED_TYPES)
    assert by_type[0]["cpu_flags"] == (3, "EN, BP")
    assert by_type[0]["cpu_signature"][1] == "family 6, model 0, stepping 0"
    assert by_type[0]["feature_flags"] == (0x201, "FPU, APIC")
    assert by_type[1]["bus_type"] == ("PCI   ", "PCI")
    assert by_type[2]["io_apic_flags"] == (1, "EN") and by_type[2]["io_apic_address"][0] == 0xFEC00000
    pci = by_type[3]
    assert pci["flags"] == (0xD, "polarity: active high, trigger: level")
    assert pci["source_bus_id"] == (0, "PCI") and pci["source_bus_irq"][1].startswith("device ")
    assert pci["destination_intin"][1].startswith("INTIN")
    assert by_type[4]["interrupt_type"] == (3, "ExtINT") and by_type[4]["destination_intin"] == (0, "LINTIN0")
    assert by_type[128]["address_type"] == (1, "memory") and by_type[128]["address_length"][1] == "1 GiB"
    assert by_type[128]["length"] == (20, "")
    assert by_type[129]["bus_information"] == (1, "SD") and by_type[129]["parent_bus"] == (0, "PCI")
    assert by_type[130]["address_modifier"][1].startswith("PR") and "VGA" in by_type[130]["predefined_range_list"][1]
    extended = mp["extended_entries"]
    assert [e["offset"] for e in extended] == [mp["config"]["length"], mp["config"]["length"] + 20,
                                               mp["config"]["length"] + 28]
    text = run(tmp_path / "mp.bin").stdout
    assert "MP extended entry 1: Bus Hierarchy Descriptor, 8 bytes" in text


def test_unknown_extended_type_is_kept_as_bytes():
    data = bytearray(build_mptable(machine("-M", "pc"), ADDRESS, EXTENDED))
    length = int.from_bytes(data[CONFIG + 4:CONFIG + 6], "little")
    data[CONFIG + length + 20] = 0x99  # the bus hierarchy entry becomes an unknown type of the same length
    data[CONFIG + 42] = (data[CONFIG + 42] - (0x99 - M.MP_BUS_HIERARCHY)) & 0xFF
    fix_checksums(data)
    tableset = file_set(bytes(data))
    assert [(f.severity, f.field) for f in mp_findings(tableset)] == [("info", "extended[1].type")]
    rows = document(tableset, [])["mptable"]["extended_entries"][1]["fields"]
    assert [r["name"] for r in rows] == ["type", "length", "body"]


# --- each check on a broken copy ---------------------------------------------------------------------------

def _damaged(how: str) -> bytes:
    data = bytearray(build_mptable(machine("-M", "q35", "-smp", "2"), ADDRESS, EXTENDED))
    length = int.from_bytes(data[CONFIG + 4:CONFIG + 6], "little")
    if how == "floating checksum":
        data[10] ^= 1
    elif how == "config checksum":
        data[CONFIG + 7] ^= 1
    elif how == "extended checksum":
        data[CONFIG + 42] ^= 1
        fix_checksums(data)
    elif how == "entry count":
        data[CONFIG + 34] += 1
        fix_checksums(data)
    elif how == "extended length":
        data[CONFIG + length + 28 + 1] = 12  # the last entry claims 4 more bytes than the extended table has
        data[CONFIG + 42] = (data[CONFIG + 42] - 4) & 0xFF
        fix_checksums(data)
    elif how == "floating length":
        data[8] = 2
        fix_checksums(data)
    elif how == "two bootstrap processors":
        data[FIRST_ENTRY + 20 + 3] = 3
        fix_checksums(data)
    elif how == "interrupt to no bus":
        second_bus = FIRST_ENTRY + 2 * 20 + 8
        data[second_bus + 1] = 7  # the ISA bus becomes bus 7: its interrupts and the hierarchy name bus 1
        fix_checksums(data)
    elif how == "reserved polarity":
        first_interrupt = FIRST_ENTRY + 2 * 20 + 2 * 8 + 8
        data[first_interrupt + 2] = 0x2
        fix_checksums(data)
    return bytes(data)


@pytest.mark.parametrize("how, field", [
    ("floating checksum", "floating.checksum"),
    ("config checksum", "config.checksum"),
    ("extended checksum", "config.extended_table_checksum"),
    ("entry count", "config.entry_count"),
    ("extended length", "extended[2].length"),
    ("floating length", "floating.length"),
    ("two bootstrap processors", "processors"),
    ("interrupt to no bus", "source_bus_id"),
    ("reserved polarity", "flags"),
])
def test_each_check_fires(how, field, tmp_path):
    found = [f for f in mp_findings(file_set(_damaged(how))) if f.severity == "error"]
    assert any(f.field.endswith(field) for f in found), found
    (tmp_path / "mp.bin").write_bytes(_damaged(how))
    proc = run(tmp_path / "mp.bin")
    assert proc.returncode == 1 and "MPTABLE" in proc.stderr


def test_broken_beyond_reading_is_one_finding(tmp_path):
    data = bytearray(build_mptable(machine("-M", "pc"), ADDRESS))
    data[FIRST_ENTRY + 20] = 7  # an entry type MPS 1.4 does not define: nothing after it can be read
    (tmp_path / "mp.bin").write_bytes(data)
    doc = dump_json(tmp_path / "mp.bin", status=1)
    assert len(doc["mptable"]["entries"]) == 1
    assert any(f["field"] == "entries[1].type" for f in doc["findings"])
    (tmp_path / "short.bin").write_bytes(bytes(data[:20]))
    proc = run(tmp_path / "short.bin")
    assert proc.returncode == 1 and "outside" in proc.stderr


# --- fw_cfg ------------------------------------------------------------------------------------------------

def test_fw_cfg_section_of_a_capture():
    doc = dump_json(Q35, "--only", "FWCFG")
    assert doc["acpi"] == [] and "smbios" not in doc
    fw_cfg = doc["fw_cfg"]
    selectors = {s["name"]: (s["selector"], s["value"]) for s in fw_cfg["selectors"]}
    assert selectors["nb_cpus"] == (0x05, 4) and selectors["max_cpus"] == (0x0F, 4)
    assert selectors["ram_size"] == (0x03, 512 << 20)
    assert selectors["numa"][0] == 0x0D and selectors["boot_menu"][0] == 0x0E
    assert selectors["kernel_size"] == (0x08, 0) and selectors["initrd_size"] == (0x0B, 0)
    files = {f["name"]: (f["select"], f["size"]) for f in fw_cfg["files"]}
    assert files["etc/acpi/rsdp"] == (0x22, 20) and files["etc/table-loader"] == (0x2C, 4096)
    text = run(Q35, "--only", "FWCFG").stdout
    assert "fw_cfg files" in text and "0x0003 ram_size       : 0x20000000  (512 MiB)" in text
    assert "fw_cfg" not in dump_json(Q35, "--only", "APIC")


def test_fw_cfg_section_of_a_generated_capture(tmp_path):
    proc = run("--out", tmp_path / "cap", "--format", "capture", "--", "-M", "pc", "-smp", "3", "-m", "1G",
               entry="generate")
    assert proc.returncode == 0, proc.stderr
    selectors = {s["name"]: s["value"] for s in dump_json(tmp_path / "cap")["fw_cfg"]["selectors"]}
    assert (selectors["nb_cpus"], selectors["ram_size"]) == (3, 1 << 30)


# --- hostile bytes -----------------------------------------------------------------------------------------

SEED = build_mptable(machine("-M", "q35", "-smp", "2"), ADDRESS, EXTENDED)


@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 300)), deadline=None,
          derandomize=not os.environ.get("HOSTILE_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_tables_raise_only_project_errors(data):
    """A generated MP table with bytes overwritten, inserted or cut, through every reader, the checks and both
    renderings, from a file and from a linked image."""
    raw = bytearray(SEED)
    if data.draw(st.booleans()):
        raw = raw[CONFIG:]
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        patch = data.draw(st.sampled_from([b"\0", b"\xff", b"\x80", b"\x05", b"\xff\xff"]) | st.binary(max_size=6))
        how = data.draw(st.sampled_from(["overwrite", "insert", "cut"]))
        if how == "overwrite":
            raw[at:at + len(patch)] = patch
        elif how == "insert":
            raw[at:at] = patch
        else:
            del raw[at:]
    raw = bytes(raw)
    for reader in (read_mptable_file, parse_mptable, parse_config_table):
        try:
            tableset = TableSet(source="mutated", mptable=reader(raw))
            to_text(document(tableset, validate(tableset)))
            to_json(document(tableset, validate(tableset)))
        except QbootTablesError:
            pass
    if raw:
        image = link(generate(machine("-M", "pc")))
        image.allocations["mptable"] = Allocation("mptable", ADDRESS, len(raw), ZONE_FSEG, 16, True)
        image.memory["mptable"] = raw
        findings: list = []
        table = find_mptable(image, findings)
        tableset = TableSet(source="mutated", mptable=table)
        to_text(document(tableset, validate(tableset)))
