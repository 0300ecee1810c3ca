"""Legacy SMBIOS (FW_CFG_SMBIOS_ENTRIES, old machine types): the entry format, and our tables against SeaBIOS's."""
from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from hypothesis import given, settings, strategies as st

from qboot_tables.errors import ParseError
from qboot_tables.findings import ERROR, INFO
from qboot_tables.read.loader import link
from qboot_tables.read.snapshot import FwCfgSnapshot, read_capture
from qboot_tables.schemas import fw_cfg as fw, smbios as S
from qboot_tables.smbios import make_smbios, parse_entry_point, split_structures, validate_smbios
from qboot_tables.smbios_legacy import (BUILD_BUFFER, LegacyEntry, LegacySmbiosError, build_legacy_tables,
                                        entries_size, parse_entries)
from qboot_tables.smbios_types.entry_point import checksum_errors
from qboot_tables.tools import dmidecode, qemu

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "fixtures", "qemu-7.2")
LEGACY = ["pc-i440fx-2.0", "pc-i440fx-2.0-smbios-fields"]
needs_qemu = pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="QEMU is not installed")
needs_dmidecode = pytest.mark.skipif(shutil.which("dmidecode") is None, reason="dmidecode is not installed")


def field_entry(type_: int, offset: int, data: bytes) -> bytes:
    # QEMU hw/smbios/smbios.c smbios_add_field: u16 length of the whole entry, u8 0, u8 type, u16 offset, data.
    return (6 + len(data)).to_bytes(2, "little") + bytes([0, type_]) + offset.to_bytes(2, "little") + data


def table_entry(structure: bytes) -> bytes:
    # smbios_entry_add for -smbios file=: u16 length, u8 1, then the file's bytes.
    return (3 + len(structure)).to_bytes(2, "little") + b"\x01" + structure


def item(*entries: bytes) -> bytes:
    return len(entries).to_bytes(2, "little") + b"".join(entries)


def test_entries_parse_and_size():
    oem = bytes([11, 5, 0x34, 0x12, 1]) + b"hi\0"
    raw = item(field_entry(1, 4, b"ACME\0"), table_entry(oem))
    assert parse_entries(raw) == [LegacyEntry(fw.SMBIOS_FIELD_ENTRY, 1, 4, b"ACME\0"),
                                  LegacyEntry(fw.SMBIOS_TABLE_ENTRY, 11, 0, oem)]
    # A reader learns the size from the count and each length: every short prefix asks for more.
    assert entries_size(raw) == len(raw)
    assert all(entries_size(raw[:n]) > n for n in range(len(raw)))
    with pytest.raises(ParseError, match="need"):
        parse_entries(raw[:-1])
    with pytest.raises(ParseError, match="kind 2"):
        parse_entries(item(b"\x04\x00\x02\x00"))
    with pytest.raises(ParseError, match="shorter than its header"):
        parse_entries(item(b"\x02\x00\x00"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just(0), st.integers(0, 255), st.integers(0, 0xFFFF), st.binary(max_size=40)),
    st.tuples(st.just(1), st.integers(0, 255), st.just(0), st.binary(min_size=3, max_size=40))), max_size=6))
def test_entries_round_trip(entries):
    # Entries assembled by hand in QEMU's layout parse back to themselves, and each field entry rebuilds with the
    # schema to the same bytes.
    raw = item(*(field_entry(t, o, d) if kind == 0 else table_entry(bytes([t]) + d) for kind, t, o, d in entries))
    parsed = parse_entries(raw)
    assert parsed == [LegacyEntry(kind, t, o, d if kind == 0 else bytes([t]) + d) for kind, t, o, d in entries]
    for e in parsed:
        if e.kind == fw.SMBIOS_FIELD_ENTRY:
            built = fw.smbios_legacy_field.build(dict(header=dict(length=6 + len(e.data), kind=0), type=e.type,
                                                      offset=e.offset, data=e.data))
            assert built == field_entry(e.type, e.offset, e.data)


def test_the_build_follows_the_entries():
    # Our own known values from SeaBIOS's src/fw/smbios.c: an empty string field gives no string, a table
    # entry replaces the built structure of its type, and a type with no builder goes before type 127.
    chassis = bytes([3, 0x14, 0x00, 0x30]) + bytes(16)  # formatted area only: the firmware adds both NULs
    oem = bytes([11, 5, 0x00, 0x0B, 1]) + b"x\0"
    table = build_legacy_tables(parse_entries(item(field_entry(1, 4, b"\0"), field_entry(1, 7, b"SN\0"),
                                                   table_entry(chassis), table_entry(oem))),
                                cpus=1, ram_below_4g=128 << 20, ram_above_4g=0)
    structures = split_structures(table.tables)
    assert [s.type for s in structures] == [0, 1, 3, 4, 16, 17, 19, 20, 32, 11, 127]
    t1 = structures[1]
    body = t1.parsed.body  # the empty manufacturer has no string; the product name gets SeaBIOS's default
    assert (body.manufacturer, body.product_name, body.serial_number, t1.strings) == (0, 1, 2, [b"Bochs", b"SN"])
    assert structures[2].raw == chassis + b"\0\0" and structures[9].raw == oem + b"\0"
    assert (table.structures, table.max_structure_size) == (len(structures), max(len(s.raw) for s in structures))


def test_the_build_stays_in_seabioss_buffer():
    # SeaBIOS builds the table in 32 KiB (TEMPSMBIOSSIZE). Its own structures are written unchecked, so a machine
    # needing more (here 1 PiB of RAM: 65536 type 17 devices) is refused, a typed error, not built half-way.
    with pytest.raises(LegacySmbiosError, match="overrun its 32 KiB buffer"):
        build_legacy_tables([], cpus=1, ram_below_4g=3 << 30, ram_above_4g=1 << 50)
    with pytest.raises(LegacySmbiosError):
        build_legacy_tables([], cpus=0xFFFF, ram_below_4g=128 << 20, ram_above_4g=0)
    # get_external copies QEMU's structures only while they fit before the end structure, then stops for the type.
    oem = bytes([11, 5, 0x00, 0x0B, 1]) + b"x" * 20_000 + b"\0"
    table = build_legacy_tables(parse_entries(item(table_entry(oem), table_entry(oem))), cpus=1,
                                ram_below_4g=128 << 20, ram_above_4g=0)
    assert [s.type for s in split_structures(table.tables)].count(11) == 1 and len(table.tables) < BUILD_BUFFER


def test_a_capture_beyond_seabioss_buffer_is_one_finding():
    snap = FwCfgSnapshot(files={}, selectors={"smbios_entries": item().hex(), "nb_cpus": 1, "max_cpus": 4000,
                                              "ram_size": 128 << 20})
    image = link(snap, smbios=True)
    assert image.smbios is None
    assert [f.severity for f in image.findings if "overrun" in f.message] == [ERROR]


def legacy_args(name: str) -> list[str]:
    with open(os.path.join(FIXTURES, name, "fw_cfg.json")) as f:
        return json.load(f)["origin"]["qemu"]["args"]


def test_fixtures_carry_entries_and_dump_clean():
    for name in LEGACY:
        snap = read_capture(os.path.join(FIXTURES, name))
        assert not any(n.startswith("etc/smbios/") for n in snap.files)
        image = link(snap)
        assert image.smbios is not None and validate_smbios(image.smbios) == []
        [info] = [f for f in image.findings if f.table == "SMBIOS"]
        assert info.severity == INFO and "FW_CFG_SMBIOS_ENTRIES" in info.message
    # QEMU's defaults for type 1 on pc-i440fx-2.0 (hw/i386/pc_piix.c smbios_set_defaults: "QEMU", the machine's
    # description and name), the only entries it gives.
    snap = read_capture(os.path.join(FIXTURES, "pc-i440fx-2.0"))
    assert parse_entries(bytes.fromhex(snap.selectors["smbios_entries"])) == [
        LegacyEntry(0, 1, 4, b"QEMU\0"), LegacyEntry(0, 1, 5, b"Standard PC (i440FX + PIIX, 1996)\0"),
        LegacyEntry(0, 1, 6, b"pc-i440fx-2.0\0")]


def test_a_machine_without_smbios_says_so():
    # pc-i440fx-1.7 has no default SMBIOS fields, so QEMU gives no entries at all; microvm has no SMBIOS either.
    for name in ("pc-i440fx-1.7", "microvm-acpi"):
        image = link(read_capture(os.path.join(FIXTURES, name)))
        assert image.smbios is None
        [finding] = [f for f in image.findings if f.table == "SMBIOS"]
        assert finding.severity == INFO and finding.message.startswith("no SMBIOS")
    assert not [f for f in link(read_capture(os.path.join(FIXTURES, "pc-smp4"))).findings if f.table == "SMBIOS"]


def seabios_smbios(args: list[str], timeout: float = 30):
    """Boot SeaBIOS (QEMU's default firmware) with no guest and read the SMBIOS it built from guest memory:
    the first 2.1 entry point in the F-segment whose checksums hold, and the table it points to."""
    with qemu.controlled(args, timeout=timeout, stopped=False) as vm:
        while True:
            fseg = vm.read_memory(0xF0000, 0x10000)
            for at in range(0, len(fseg), 16):
                raw = fseg[at:at + S.ENTRY_POINT_21_SIZE]
                if raw.startswith(S.ANCHOR_21) and raw[0x10:0x15] == S.INTERMEDIATE_ANCHOR \
                        and not checksum_errors(raw):
                    ep = parse_entry_point(raw)
                    table = vm.read_memory(ep.structure_table_address, ep.structure_table_length)
                    return make_smbios(raw, table, 0xF0000 + at)
            vm.check_deadline("waiting for SeaBIOS's SMBIOS entry point")
            time.sleep(0.05)


def compare_with_seabios(snap, args, tmp_path):
    theirs = seabios_smbios(args)
    ours = link(snap).smbios
    # The one input fw_cfg lacks: type 4's processor ID is CPUID leaf 1 on the CPU SeaBIOS runs on, which we
    # leave zero. With SeaBIOS's put in its place, every byte of every structure must be the same.
    [cpuid] = {s.raw[8:16] for s in theirs.structures if s.type == 4}
    assert {s.raw[8:16] for s in ours.structures if s.type == 4} == {bytes(8)}
    patched = b"".join(s.raw[:8] + cpuid + s.raw[16:] if s.type == 4 else s.raw for s in ours.structures)
    assert patched == theirs.table_raw
    for name in ("major_version", "minor_version", "bcd_revision", "max_structure_size", "structure_table_length",
                 "number_of_structures"):
        assert ours.entry_point[name] == theirs.entry_point[name], name
    # dmidecode reads both the same way, and finds nothing wrong with ours.
    outputs = []
    for smbios in (make_smbios(ours.entry_point_raw, patched), theirs):
        path = str(tmp_path / f"{len(outputs)}.bin")
        dmidecode.write_dump_bin(smbios, path)
        result = dmidecode.run_from_dump(path)
        assert (result.warnings, result.errors) == ([], [])
        outputs.append(result.body)
    assert outputs[0] == outputs[1]


@pytest.mark.qemu
@needs_qemu
@needs_dmidecode
@pytest.mark.parametrize("name", LEGACY)
def test_seabios_builds_the_same_tables_from_the_fixture(name, tmp_path):
    compare_with_seabios(read_capture(os.path.join(FIXTURES, name)), legacy_args(name), tmp_path)


@pytest.mark.qemu
@needs_qemu
@needs_dmidecode
def test_seabios_builds_the_same_tables_with_smbios_files(tmp_path):
    # Table entries (-smbios file=), live: QEMU 7.2's legacy blobs end with one NUL and SeaBIOS adds the other.
    # Two type 11s (SeaBIOS takes a type's files newest first) and a type 3 that replaces SeaBIOS's own.
    files = {"oem1": bytes([11, 5, 0x00, 0x0B, 1]) + b"first\0", "oem2": bytes([11, 5, 0x01, 0x0B, 2]) + b"a\0b\0",
             "chassis": bytes([3, 0x14, 0x00, 0x03, 0, 0x17, 0, 0, 0, 3, 3, 3, 2]) + bytes(7)}
    args = ["-machine", "pc-i440fx-2.0", "-m", "256M", "-smp", "2", "-smbios", "type=1,serial=S1"]
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        args += ["-smbios", f"file={tmp_path / name}"]
    snap = qemu.capture(args)
    kinds = [(e.kind, e.type) for e in parse_entries(bytes.fromhex(snap.selectors["smbios_entries"]))]
    assert sorted(kinds) == sorted([(1, 11), (1, 11), (1, 3), (0, 1), (0, 1), (0, 1), (0, 1)])
    compare_with_seabios(snap, args, tmp_path)


# The other machine types of QEMU 7.2 with smbios_legacy_mode (hw/i386/pc_piix.c: 2.0 sets it and the older
# versions inherit it; isapc sets its own; every q35 type of 7.2 is 2.4 or newer). From 1.7 down there are no
# default fields, so give one.
OLDER_LEGACY = ["pc-i440fx-1.7", "pc-i440fx-1.6", "pc-i440fx-1.5", "pc-i440fx-1.4", "isapc"]


@pytest.mark.qemu
@needs_qemu
@needs_dmidecode
@pytest.mark.parametrize("machine", OLDER_LEGACY)
def test_seabios_builds_the_same_tables_on_older_machine_types(machine, tmp_path):
    args = ["-machine", machine, "-m", "256M", "-smbios",
            "type=1,manufacturer=Old Iron,uuid=6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b"]
    snap = qemu.capture(args)
    assert not any(n.startswith("etc/smbios/") for n in snap.files)
    compare_with_seabios(snap, args, tmp_path)


@pytest.mark.qemu
@needs_qemu
def test_pc_i440fx_2_1_is_the_first_with_smbios_files():
    snap = qemu.capture(["-machine", "pc-i440fx-2.1", "-m", "256M"])
    assert "smbios_entries" not in snap.selectors
    assert {"etc/smbios/smbios-anchor", "etc/smbios/smbios-tables"} <= set(snap.files)


def test_broken_entries_are_an_error_finding_not_a_crash():
    snap = read_capture(os.path.join(FIXTURES, "pc-i440fx-2.0"))
    good = snap.selectors["smbios_entries"]
    for bad, words in (("zz", "non-hexadecimal"), (good[:-2], "need"), ("0100" + "0200", "shorter")):
        broken = FwCfgSnapshot(snap.files, {**snap.selectors, "smbios_entries": bad}, snap.origin)
        image = link(broken)
        assert image.smbios is None
        [finding] = [f for f in image.findings if f.table == "SMBIOS"]
        assert finding.severity == ERROR and words in finding.message, finding
