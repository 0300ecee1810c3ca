"""SMBIOS: schema vectors and round trips, broken tables, SeaBIOS-style placement, and dmidecode as the oracle."""
from __future__ import annotations

import glob
import json
import os
import shutil

import pytest
from construct import Container
from hypothesis import HealthCheck, given, settings, strategies as st

from qboot_tables.tools import dmidecode
from qboot_tables.errors import InputError, ParseError, QbootTablesError
from qboot_tables.findings import ERROR, INFO, WARNING
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios import (SEABIOS_MAX_FSEG_TABLE, describe_entry_point, describe_structure,
                                 fix_entry_point_checksums, make_smbios, mapped_ranges, parse_entry_point,
                                 place_smbios, processor_count, read_smbios_dump, seabios_type0, split_structures,
                                 validate_smbios)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = sorted(os.path.dirname(os.path.dirname(os.path.dirname(p))) for p in
                  glob.glob(os.path.join(REPO, "fixtures", "qemu-7.2", "*", "etc", "smbios", "smbios-anchor")))
# Where SeaBIOS puts them for a 512 MiB pc guest; any addresses below 4 GiB do for these tests.
TABLE_ADDRESS = 0x1FFFE000
ENTRY_ADDRESS = 0xF5A90
needs_dmidecode = pytest.mark.skipif(shutil.which("dmidecode") is None, reason="dmidecode not installed")


def fixture_files(path: str) -> tuple[bytes, bytes]:
    with open(os.path.join(path, "etc", "smbios", "smbios-anchor"), "rb") as f:
        anchor = f.read()
    with open(os.path.join(path, "etc", "smbios", "smbios-tables"), "rb") as f:
        tables = f.read()
    return anchor, tables


def fixture_id(path: str) -> str:
    return os.path.basename(path)


def oem_values(path: str) -> tuple[int, int]:
    """(values, empty values) over the capture's `-smbios type=11` options, read from its recorded command line.

    QEMU 7.2 merges them into one type 11 whose count includes the empty ones, though only the others become
    strings (hw/smbios/smbios.c smbios_build_type_11_table; smbios_build.h SMBIOS_TABLE_SET_STR_LIST).
    """
    with open(os.path.join(path, "fw_cfg.json")) as f:
        args = json.load(f)["origin"].get("qemu", {}).get("args", [])
    values = [part[len("value="):] for option, arg in zip(args, args[1:]) if option == "-smbios"
              and arg.split(",")[0] == "type=11" for part in arg.split(",")[1:] if part.startswith("value=")]
    return len(values), values.count("")


def qemu_oem_findings(path: str, smbios) -> list[tuple[str, str, str, str]]:
    """The one finding QEMU's own empty `value=` earns: a warning, since Linux reads the missing string as ""."""
    total, empty = oem_values(path)
    if not empty:
        return []
    [oem] = smbios.of_type(11)
    return [(WARNING, oem.name, "count", f"{total}, but the string set has {total - empty} strings")]


def qemu_oem_bad_index(path: str) -> list[str]:
    """dmidecode's lines for the same count: the strings past the set are `<BAD INDEX>`."""
    total, empty = oem_values(path)
    return [f"String {k}: <BAD INDEX>" for k in range(total - empty + 1, total + 1)]


def structure_bytes(type_: int, handle: int, body: bytes, strings=()) -> bytes:
    """A structure assembled by hand (not by our schema), so the schema is checked against the spec layout."""
    string_set = b"".join(s + b"\0" for s in strings) + b"\0" if strings else b"\0\0"
    return bytes([type_, 4 + len(body)]) + handle.to_bytes(2, "little") + body + string_set


END = structure_bytes(127, 0x7F00, b"")


def anchor_21(tables: bytes, count: int, max_size: int) -> bytes:
    """A QEMU-style 2.1 anchor (address and checksums zero), written out field by field from §5.2.1."""
    return (b"_SM_" + bytes([0, 0x1F, 2, 8]) + max_size.to_bytes(2, "little") + bytes(6) + b"_DMI_" + b"\0"
            + len(tables).to_bytes(2, "little") + bytes(4) + count.to_bytes(2, "little") + b"\x28")


def anchor_30(tables: bytes, version=(3, 0)) -> bytes:
    """A QEMU-style 3.0 anchor, field by field from §5.2.2."""
    return (b"_SM3_" + bytes([0, 0x18, version[0], version[1], 0, 1, 0]) + len(tables).to_bytes(4, "little")
            + bytes(8))


def smbios_21(tables: bytes, count: int | None = None, max_size: int | None = None):
    structures = split_structures(tables)
    count = len(structures) if count is None else count
    max_size = max(len(s.raw) for s in structures) if max_size is None else max_size
    return place_smbios(anchor_21(tables, count, max_size), tables, TABLE_ADDRESS, ENTRY_ADDRESS)


def smbios_30(tables: bytes):
    return place_smbios(anchor_30(tables), tables, TABLE_ADDRESS, ENTRY_ADDRESS)


def errors_of(findings, severity=ERROR) -> list[str]:
    return [f"{f.field}: {f.message}" for f in findings if f.severity == severity]


# QEMU 7.2's type 1 for `-M pc` (hw/smbios/smbios.c, smbios_build_type_1_table), copied from a capture.
QEMU_TYPE1 = bytes.fromhex(
    "011b0001010203000000000000000000000000000000000006000051454d5500"
    "5374616e646172642050432028693434304658202b20504949582c2031393936"
    "290070632d6934343066782d372e320000")


# ---- known vectors


def test_type1_known_vector():
    [s] = split_structures(QEMU_TYPE1)
    assert (s.type, s.handle, s.length, s.offset) == (1, 0x100, 0x1B, 0)
    body = s.parsed.body
    assert (body.manufacturer, body.product_name, body.version, body.serial_number) == (1, 2, 3, 0)
    assert body.uuid == bytes(16) and body.wake_up_type == 6 and body.sku_number == 0 and body.family == 0
    assert body.extra == b""
    assert s.strings == [b"QEMU", b"Standard PC (i440FX + PIIX, 1996)", b"pc-i440fx-7.2"]
    rows = {r["name"]: r for r in describe_structure(s)}
    assert rows["manufacturer"]["meaning"] == "QEMU" and rows["manufacturer"]["offset"] == 4
    assert rows["wake_up_type"]["meaning"] == "Power Switch"
    assert rows["uuid"]["offset"] == 8 and rows["uuid"]["size"] == 16
    assert rows["string 2"]["offset"] == 0x1B + 5 and rows["string 2"]["size"] == 34


def test_short_structures_leave_newer_fields_absent():
    # A 2.0 type 1 (8 bytes): no UUID, wake-up type, SKU or family. A type 4 cut inside processor_family_2
    # keeps the dangling byte in `extra` instead of handing it to a later field.
    [t1] = split_structures(structure_bytes(1, 1, bytes([1, 2, 3, 0]), [b"a", b"b", b"c"]))
    assert t1.parsed.body.uuid is None and t1.parsed.body.family is None and t1.parsed.body.version == 3
    t4_body = bytearray(0x28 - 4)  # up to processor_characteristics; one more byte makes length 29h
    t4_body[0x23 - 4:0x26 - 4] = bytes([8, 8, 16])
    [t4] = split_structures(structure_bytes(4, 2, bytes(t4_body) + b"\x77"))
    body = t4.parsed.body
    assert body.thread_count == 16 and body.processor_characteristics == 0
    assert body.processor_family_2 is None and body.core_count_2 is None and body.extra == b"\x77"
    assert structure_bytes(4, 2, bytes(t4_body) + b"\x77") == S.structure.build(
        Container(formatted=t4.parsed, strings=t4.strings))


def test_chassis_contained_elements_and_sku():
    # Two 3-byte contained element records, then the SKU number string (§7.4).
    body = bytes([1, 0x83, 0, 0, 0, 3, 3, 3, 2]) + bytes(4) + bytes([2, 1, 2, 3]) + b"\x01\x02\x03\x81\x00\x01"
    body += b"\x02"
    [s] = split_structures(structure_bytes(3, 0x300, body, [b"Acme", b"SKU-9"]))
    b = s.parsed.body
    assert b.contained_elements == [b"\x01\x02\x03", b"\x81\x00\x01"] and b.sku_number == 2 and b.extra == b""
    rows = {r["name"]: r for r in describe_structure(s)}
    assert rows["chassis_type"]["meaning"] == "Desktop, lock present"
    assert rows["sku_number"]["offset"] == 0x15 + 6 and rows["sku_number"]["meaning"] == "SKU-9"


def test_string_set_vectors():
    assert S.string_set.parse(b"\0\0") == [] and S.string_set.build([]) == b"\0\0"
    assert S.string_set.parse(b"ab\0c\0\0") == [b"ab", b"c"] and S.string_set.build([b"ab", b"c"]) == b"ab\0c\0\0"
    # An empty first string is how a set like this reads; validation reports it.
    assert S.string_set.parse(b"\0abc\0\0") == [b"", b"abc"]
    assert S.string_set.build([b"", b"abc"]) == b"\0abc\0\0"


def test_place_21_known_vector():
    tables = QEMU_TYPE1 + END
    smbios = place_smbios(anchor_21(tables, 2, len(QEMU_TYPE1)), tables, 0x000F1000, 0xF0FF0)
    raw = smbios.entry_point_raw
    assert len(raw) == 31 and raw[:4] == b"_SM_" and raw[0x10:0x15] == b"_DMI_"
    assert raw[0x18:0x1C] == bytes.fromhex("0010 0f00")  # the address, little-endian
    assert raw[0x16:0x18] == len(tables).to_bytes(2, "little") and raw[0x1C:0x1E] == b"\x02\x00"
    # §5.2.1: the entry point sums to zero over its length, and so does the intermediate part 10h-1Eh.
    assert sum(raw) & 0xFF == 0 and sum(raw[0x10:0x1F]) & 0xFF == 0
    assert raw[0x15] == (-sum(raw[0x10:0x15]) - sum(raw[0x16:0x1F])) & 0xFF
    assert smbios.table_raw == tables and smbios.table_address == 0xF1000 and smbios.entry_point_address == 0xF0FF0
    assert validate_smbios(smbios) == []
    rows = {r["name"]: r for r in describe_entry_point(smbios)}
    assert rows["checksum"]["meaning"] == "valid" and rows["bcd_revision"]["meaning"] == "2.8"
    assert rows["structure_table_address"]["offset"] == 0x18 and rows["structure_table_address"]["value"] == 0xF1000


def test_place_30_known_vector():
    tables = QEMU_TYPE1 + END
    smbios = place_smbios(anchor_30(tables), tables, 0x1_2345_6000, 0xF0000)
    raw = smbios.entry_point_raw
    assert len(raw) == 24 and raw[:5] == b"_SM3_" and raw[0x10:0x18] == (0x1_2345_6000).to_bytes(8, "little")
    assert sum(raw) & 0xFF == 0 and smbios.is_64bit and smbios.version == (3, 0)
    assert validate_smbios(smbios) == []


def test_seabios_type0_layout():
    # SeaBIOS's smbios_new_type_0 (src/fw/biostables.c): 18h bytes, handle 0, segment E800h, characteristics
    # "not supported" (bit 3), extension byte 2 bit 2, EC release FFh.FFh, three strings.
    raw = seabios_type0((b"V", b"1.0", b"d"))
    assert raw == bytes.fromhex("00 18 0000 01 02 00e8 03 00 0800000000000000 00 04 00 00 ff ff") + b"V\0001.0\0d\0\0"
    rows = {r["name"]: r for r in describe_structure(split_structures(raw)[0])}
    assert rows["bios_characteristics"]["meaning"] == "BIOS Characteristics are not supported"
    assert rows["bios_characteristics_extension_2"]["meaning"] == "Targeted content distribution"


def test_add_type0_updates_count_length_and_max_size():
    tables = QEMU_TYPE1 + END
    plain = smbios_21(tables)
    added = place_smbios(anchor_21(tables, 2, len(QEMU_TYPE1)), tables, TABLE_ADDRESS, ENTRY_ADDRESS,
                         add_type0=True, type0_strings=(b"SeaBIOS", b"x" * 100, b"04/01/2014"))
    type0 = added.structures[0]
    assert [s.type for s in added.structures] == [0, 1, 127] and type0.handle == 0 and type0.offset == 0
    ep = added.entry_point
    assert ep.structure_table_length == len(tables) + len(type0.raw) == len(added.table_raw)
    assert ep.number_of_structures == 3 and ep.max_structure_size == len(type0.raw) > len(QEMU_TYPE1)
    assert validate_smbios(added) == [] and plain.entry_point.number_of_structures == 2
    # A table that already has a type 0 gets none added; a 3.0 table grows its maximum size.
    again = place_smbios(added.entry_point_raw, added.table_raw, TABLE_ADDRESS, ENTRY_ADDRESS, add_type0=True)
    assert again.table_raw == added.table_raw
    wide = place_smbios(anchor_30(tables), tables, TABLE_ADDRESS, ENTRY_ADDRESS, add_type0=True)
    assert wide.entry_point.structure_table_max_size == len(wide.table_raw) and wide.structures[0].type == 0


# ---- Hypothesis round trips

strings_strategy = st.lists(st.binary(min_size=1, max_size=12).filter(lambda s: b"\0" not in s), max_size=5)


@given(st.binary(min_size=31, max_size=31))
def test_entry_point_21_round_trip(raw):
    assert S.entry_point_21.build(S.entry_point_21.parse(raw)) == raw


@given(st.binary(min_size=24, max_size=24))
def test_entry_point_30_round_trip(raw):
    assert S.entry_point_30.build(S.entry_point_30.parse(raw)) == raw


@pytest.mark.parametrize("type_", sorted(S.DECODED_TYPES))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_structure_round_trip(type_, data):
    # Any body length from the bare header to past the newest field, so every "present if the length covers
    # it" boundary (and every half-covered field) is crossed.
    body = data.draw(st.binary(max_size=0x70 if type_ != 127 else 8), label="body")
    handle = data.draw(st.integers(0, 0xFFFF), label="handle")
    strings = data.draw(strings_strategy, label="strings")
    raw = structure_bytes(type_, handle, body, strings)
    parsed = S.structure.parse(raw)
    assert S.structure.build(parsed) == raw
    [s] = split_structures(raw)
    assert s.raw == raw and s.strings == strings and s.handle == handle and s.formatted == raw[:4 + len(body)]
    # Description rows tile the formatted area: each field starts where the previous one ended.
    rows = describe_structure(s)
    field_rows = [r for r in rows if not r["name"].startswith("string ")]
    for before, after in zip(field_rows, field_rows[1:]):
        assert after["offset"] == before["offset"] + before["size"]
    assert field_rows[-1]["offset"] + field_rows[-1]["size"] == 4 + len(body)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from([0, 1, 2, 3, 4, 9, 16, 17, 19, 32, 200]), st.binary(max_size=40),
                          strings_strategy), max_size=8))
def test_table_round_trip(parts):
    structures = [structure_bytes(t, 0x100 + i, body, strings) for i, (t, body, strings) in enumerate(parts)]
    table = b"".join(structures) + END
    split = split_structures(table)
    assert [s.raw for s in split] == structures + [END]
    assert b"".join(s.raw for s in split) == table
    smbios = smbios_21(table)
    assert smbios.table_raw == table and smbios.entry_point.number_of_structures == len(split)
    assert not {"number_of_structures", "max_structure_size", "structure_table_length", "checksum"} & {
        f.field for f in validate_smbios(smbios)}


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_split_never_crashes(data):
    # Garbage either splits or raises ParseError; it never loops, and never raises anything else.
    try:
        structures = split_structures(data)
    except ParseError as e:
        assert "SMBIOS" in str(e)
    else:
        assert sum(len(s.raw) for s in structures) <= len(data)


# ---- broken tables


def test_missing_double_nul_names_offset():
    table = QEMU_TYPE1 + bytes([3, 5, 0, 3, 1]) + b"abc"
    with pytest.raises(ParseError, match=r"type 3.*double NUL.*offset 0x51"):
        split_structures(table)


def test_truncated_formatted_area():
    with pytest.raises(ParseError, match=r"type 4.*past the end.*offset 0x51"):
        split_structures(QEMU_TYPE1 + bytes([4, 0x30, 0, 4]) + bytes(10))
    with pytest.raises(ParseError, match=r"below the 4-byte header.*offset 0x0"):
        split_structures(bytes([1, 2, 0, 0, 0, 0]))
    with pytest.raises(ParseError, match=r"only 3 bytes left.*offset 0x51"):
        split_structures(QEMU_TYPE1 + b"\x7f\x04\x00")


def test_bad_checksums_are_findings():
    smbios = smbios_21(QEMU_TYPE1 + END)
    raw = bytearray(smbios.entry_point_raw)
    raw[0x1A] ^= 0x10  # inside the intermediate area: both checksums break
    broken = make_smbios(bytes(raw), smbios.table_raw)
    assert {f.field for f in validate_smbios(broken) if f.severity == ERROR} == {"checksum", "intermediate_checksum"}
    raw = bytearray(smbios.entry_point_raw)
    raw[0x08] ^= 1  # max structure size: only the first checksum
    broken = make_smbios(bytes(raw), smbios.table_raw)
    assert "checksum" in {f.field for f in validate_smbios(broken)}
    assert "intermediate_checksum" not in {f.field for f in validate_smbios(broken)}
    wide = smbios_30(QEMU_TYPE1 + END)
    raw = bytearray(wide.entry_point_raw)
    raw[0x10] ^= 0x40
    assert errors_of(validate_smbios(make_smbios(bytes(raw), wide.table_raw))) == ["checksum: bytes sum to 0x40, not 0"]
    assert validate_smbios(make_smbios(fix_entry_point_checksums(bytes(raw)), wide.table_raw)) == []


def test_anchor_and_length_findings():
    smbios = smbios_21(QEMU_TYPE1 + END)
    raw = bytearray(smbios.entry_point_raw)
    raw[0x10:0x15] = b"_XMI_"
    fields = {f.field for f in validate_smbios(make_smbios(fix_entry_point_checksums(bytes(raw)),
                                                           smbios.table_raw))}
    assert "intermediate_anchor" in fields
    with pytest.raises(ParseError, match="anchor"):
        parse_entry_point(b"_XM_" + bytes(27))


def test_table_level_findings():
    tables = QEMU_TYPE1 + END
    assert errors_of(validate_smbios(smbios_21(tables, count=3))) == [
        "number_of_structures: 3, but the table holds 2 structures"]
    assert errors_of(validate_smbios(smbios_21(tables, max_size=10))) == [
        f"max_structure_size: 10, but a structure is {len(QEMU_TYPE1)} bytes"]
    assert "max_structure_size" in {f.field for f in validate_smbios(smbios_21(tables, max_size=200))
                                    if f.severity == WARNING}
    # The anchor promises more bytes than the table file holds (SeaBIOS would ignore QEMU's tables).
    short = place_smbios(anchor_21(tables + bytes(8), 2, len(QEMU_TYPE1)), tables, TABLE_ADDRESS, ENTRY_ADDRESS)
    assert errors_of(validate_smbios(short)) == [f"structure_table_length: {len(tables) + 8} bytes, but the table "
                                                 f"holds {len(tables)}"]
    # Padding after the End-of-Table inside the declared length.
    padded = smbios_21(tables + bytes(6))
    assert [f.field for f in validate_smbios(padded)] == ["structure_table_length"]
    no_end = smbios_21(QEMU_TYPE1)
    assert any("End-of-Table" in f.message and f.severity == WARNING for f in validate_smbios(no_end))
    no_end_30 = smbios_30(QEMU_TYPE1)
    assert any("End-of-Table" in f.message and f.severity == ERROR for f in validate_smbios(no_end_30))
    wide = place_smbios(anchor_30(tables)[:0x0C] + (10).to_bytes(4, "little") + bytes(8), tables, 0x1000, 0xF0000)
    assert "structure_table_max_size" in {f.field for f in validate_smbios(wide) if f.severity == ERROR}


def test_duplicate_handle_is_a_finding():
    tables = QEMU_TYPE1 + structure_bytes(32, 0x100, bytes(7)) + END
    findings = validate_smbios(smbios_21(tables))
    assert errors_of(findings) == ["handle: 0x0100 is also the handle of SMBIOS type 1 @0x0000"]
    assert [f.table for f in findings] == ["SMBIOS type 32 @0x0051"]


def test_string_findings():
    bad_index = structure_bytes(1, 1, bytes([1, 4, 0, 0]), [b"only", b"two"])
    assert errors_of(validate_smbios(smbios_21(bad_index + END))) == ["product_name: string 4, but the set has 2"]
    empty_inside = bytes([1, 8, 1, 0, 1, 2, 0, 0]) + b"\0abc\0\0"
    findings = validate_smbios(smbios_21(empty_inside + END))
    assert errors_of(findings) == ["string 1: empty string inside the string set (§6.1.3)"]
    rows = {r["name"]: r["meaning"] for r in describe_structure(split_structures(bad_index)[0])}
    assert rows["product_name"] == "missing: the set has 2 strings"


def test_short_structure_is_a_finding():
    findings = validate_smbios(smbios_21(structure_bytes(4, 0x400, bytes(10)) + END))
    assert errors_of(findings) == ["length: 0xe, below the 0x1a bytes that Processor Information needs"]


def processor_body(cores: int, enabled: int, threads: int, wide=None) -> bytes:
    """A type 4 body (§7.5) up to processor_family_2 (2.6), or up to thread_count_2 (3.0) with `wide` counts."""
    body = bytearray(0x28 - 4)
    body[0x05 - 4] = 3  # Central Processor
    body[0x06 - 4] = body[0x19 - 4] = 1  # family and upgrade: Other
    body[0x23 - 4:0x26 - 4] = bytes([cores, enabled, threads])
    body += (1).to_bytes(2, "little")  # processor_family_2: Other
    if wide is not None:
        body += b"".join(v.to_bytes(2, "little") for v in wide)
    return bytes(body)


@pytest.mark.parametrize("counts, wide, expected", [
    ((4, 4, 8), (4, 4, 8), []),
    ((0xFF, 0xFF, 0xFF), (300, 300, 600), []),
    ((4, 4, 8), (4, 4, 9), ["thread_count_2"]),
    ((0xFF, 4, 8), (20, 4, 8), ["core_count_2"]),
    ((4, 6, 8), None, ["core_enabled"]),
])
def test_processor_count_findings(counts, wide, expected):
    findings = validate_smbios(smbios_30(structure_bytes(4, 0x400, processor_body(*counts, wide=wide)) + END))
    assert [f.field for f in findings if f.severity == ERROR] == expected


def test_processor_count_escape_and_thread_warning():
    [s] = split_structures(structure_bytes(4, 0x400, processor_body(0xFF, 0xFF, 0xFF, wide=(300, 299, 600))))
    assert [processor_count(s.parsed.body, n) for n in ("core_count", "core_enabled", "thread_count")] == [300, 299,
                                                                                                            600]
    fewer_threads = validate_smbios(smbios_30(structure_bytes(4, 0x400, processor_body(4, 4, 2)) + END))
    assert [(f.severity, f.field) for f in fewer_threads] == [(WARNING, "thread_count")]
    no_wide = validate_smbios(smbios_21(structure_bytes(4, 0x400, processor_body(0xFF, 0xFF, 0xFF)) + END))
    assert [(f.severity, f.field) for f in no_wide] == [(INFO, "core_count")]


# ---- dumps


def test_read_dump_bin_and_sysfs(tmp_path):
    smbios = smbios_21(QEMU_TYPE1 + END)
    path = tmp_path / "dump.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    data = path.read_bytes()
    assert data[0x20:] == smbios.table_raw and data[0x18:0x1C] == b"\x20\0\0\0" and sum(data[:31]) & 0xFF == 0
    back = read_smbios_dump(str(path))
    assert back.table_raw == smbios.table_raw and back.table_address == 0x20 and validate_smbios(back) == []
    sysfs = tmp_path / "tables"
    sysfs.mkdir()
    (sysfs / "smbios_entry_point").write_bytes(smbios.entry_point_raw)
    (sysfs / "DMI").write_bytes(smbios.table_raw)
    from_sysfs = read_smbios_dump(str(sysfs))
    assert from_sysfs.table_address == TABLE_ADDRESS and from_sysfs.entry_point_raw == smbios.entry_point_raw


def test_dump_bin_keeps_a_bad_checksum_bad(tmp_path):
    # dmidecode adjusts the checksum by the address change only, so a broken entry point stays broken.
    smbios = smbios_21(QEMU_TYPE1 + END)
    raw = bytearray(smbios.entry_point_raw)
    raw[0x15] ^= 1
    broken = make_smbios(bytes(raw), smbios.table_raw)
    path = tmp_path / "dump.bin"
    dmidecode.write_dump_bin(broken, str(path))
    assert {f.field for f in validate_smbios(read_smbios_dump(str(path)))} == {"checksum", "intermediate_checksum"}


@pytest.mark.parametrize("content", [b"", b"garbage", b"_SM_" + bytes(10), b"_SM3_\0\x18"])
def test_garbage_dump_is_input_error(tmp_path, content):
    path = tmp_path / "dump.bin"
    path.write_bytes(content)
    with pytest.raises(InputError):
        read_smbios_dump(str(path))


def test_dump_errors(tmp_path):
    with pytest.raises(InputError):
        read_smbios_dump(str(tmp_path / "missing.bin"))
    with pytest.raises(InputError):
        read_smbios_dump(str(tmp_path))  # a directory without smbios_entry_point and DMI
    smbios = smbios_21(QEMU_TYPE1 + END)
    path = tmp_path / "short.bin"
    path.write_bytes(dmidecode.dump_bin(smbios)[:-10])
    with pytest.raises(InputError, match="declares"):
        read_smbios_dump(str(path))
    path.write_bytes(dmidecode.dump_bin(smbios)[:0x20] + QEMU_TYPE1[:-1] + END)
    with pytest.raises(QbootTablesError):
        read_smbios_dump(str(path))


# ---- QEMU 7.2 fixtures, and dmidecode as the oracle


def test_fixtures_present():
    # The cross-checks below run over every captured machine; both entry point types must be among them.
    kinds = {fixture_files(path)[0].startswith(S.ANCHOR_30) for path in FIXTURES}
    assert kinds == {False, True}


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_fixture_places_cleanly(path):
    anchor, tables = fixture_files(path)
    # QEMU leaves the address and checksums for the firmware (hw/smbios/smbios.c, smbios_entry_point_setup).
    ep = parse_entry_point(anchor)
    assert ep.structure_table_address == 0 and ep.checksum == 0
    for add_type0 in (False, True):
        smbios = place_smbios(anchor, tables, TABLE_ADDRESS, ENTRY_ADDRESS, add_type0=add_type0)
        findings = [(f.severity, f.table, f.field, f.message) for f in validate_smbios(smbios)]
        assert findings == qemu_oem_findings(path, smbios)
        assert b"".join(s.raw for s in smbios.structures) == smbios.table_raw
        for s in smbios.structures:
            if s.parsed is not None:
                assert S.structure.build(Container(formatted=s.parsed, strings=s.strings)) == s.raw
    types = [s.type for s in place_smbios(anchor, tables, TABLE_ADDRESS, ENTRY_ADDRESS).structures]
    assert types[0] == 1 and types[-1] == 127 and 0 not in types  # QEMU 7.2 adds no type 0 of its own


def test_fixture_known_values():
    by_name = {fixture_id(p): p for p in FIXTURES}
    if not {"pc-smp8-s2c2t2", "pc-smbios-type1", "q35-smbios64"} <= set(by_name):
        pytest.skip("fixture matrix lacks the machines this test knows")
    smbios = place_smbios(*fixture_files(by_name["pc-smp8-s2c2t2"]), TABLE_ADDRESS, ENTRY_ADDRESS)
    cpus = smbios.of_type(4)
    # -smp 8,sockets=2,cores=2,threads=2: one type 4 per socket, counts per socket.
    assert [(s.parsed.body.core_count, s.parsed.body.thread_count) for s in cpus] == [(2, 4), (2, 4)]
    assert [s.string(s.parsed.body.socket_designation) for s in cpus] == [b"CPU 0", b"CPU 1"]
    acme = place_smbios(*fixture_files(by_name["pc-smbios-type1"]), TABLE_ADDRESS, ENTRY_ADDRESS)
    [t1] = acme.of_type(1)
    assert [t1.string(t1.parsed.body[n]) for n in ("manufacturer", "product_name", "serial_number")] == [
        b"Acme Labs", b"Widget 3000", b"SN-0001"]
    wide = place_smbios(*fixture_files(by_name["q35-smbios64"]), TABLE_ADDRESS, ENTRY_ADDRESS)
    assert wide.is_64bit and wide.version == (3, 0) and wide.of_type(4)[0].parsed.body.core_count_2 == 1


# (our field, dmidecode's label) for enumerated fields, by type.
DMIDECODE_KEYS = {
    1: [("wake_up_type", "Wake-up Type")],
    3: [("chassis_type", "Type"), ("bootup_state", "Boot-up State"), ("power_supply_state", "Power Supply State"),
        ("thermal_state", "Thermal State"), ("security_status", "Security Status")],
    4: [("processor_type", "Type"), ("processor_family", "Family"), ("processor_upgrade", "Upgrade")],
    16: [("location", "Location"), ("use", "Use"), ("memory_error_correction", "Error Correction Type")],
    17: [("form_factor", "Form Factor"), ("memory_type", "Type"), ("type_detail", "Type Detail")],
}


def dmidecode_check(smbios, tmp_path, expected_warnings=()) -> dmidecode.DmidecodeResult:
    path = tmp_path / "smbios.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    result = dmidecode.run_from_dump(str(path))
    assert (result.warnings, result.errors) == (list(expected_warnings), [])
    # dmidecode decodes exactly our structures, in order, with the same handle, type and formatted length.
    assert [(h.handle, h.type, h.size) for h in result.handles] == [
        (s.handle, s.type, s.length) for s in smbios.structures]
    expected_version = "3.0.0" if smbios.is_64bit else "%d.%d" % smbios.version
    assert result.version == expected_version
    if not smbios.is_64bit:
        assert result.declared_count == len(smbios.structures)
    return result


@needs_dmidecode
@pytest.mark.parametrize("add_type0", [False, True], ids=["as-qemu", "seabios-type0"])
@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_dmidecode_agrees_on_fixture(path, add_type0, tmp_path):
    smbios = place_smbios(*fixture_files(path), TABLE_ADDRESS, ENTRY_ADDRESS, add_type0=add_type0)
    # Only QEMU's own over-count of type 11 strings may make dmidecode complain.
    result = dmidecode_check(smbios, tmp_path, qemu_oem_bad_index(path))
    assert len(result.of_type(4)) == len(smbios.of_type(4)) >= 1
    [ours] = smbios.of_type(1)
    [theirs] = result.of_type(1)
    assert theirs.fields["Manufacturer"] == ours.string(ours.parsed.body.manufacturer).decode()
    assert theirs.fields["Product Name"] == ours.string(ours.parsed.body.product_name).decode()
    for mine, decoded in zip(smbios.of_type(4), result.of_type(4)):
        body = mine.parsed.body
        assert int(decoded.fields["Core Count"]) == processor_count(body, "core_count")
        assert int(decoded.fields["Thread Count"]) == processor_count(body, "thread_count")
        assert decoded.fields["Socket Designation"] == mine.string(body.socket_designation).decode()
    if add_type0:
        assert result.of_type(0)[0].fields["Vendor"] == "SeaBIOS"
    # Our name tables against dmidecode's wording for every enumerated field QEMU fills in.
    for mine, decoded in zip(smbios.structures, result.handles):
        rows = {r["name"]: r["meaning"] for r in describe_structure(mine)}
        for field_name, key in DMIDECODE_KEYS.get(mine.type, ()):
            assert rows[field_name].lower() == decoded.fields[key].lower(), (mine.name, field_name)


@needs_dmidecode
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manufacturer=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20).map(
           str.encode),
       cores=st.integers(1, 600), threads_per_core=st.integers(1, 2), wide=st.booleans())
def test_dmidecode_agrees_on_generated(tmp_path, manufacturer, cores, threads_per_core, wide):
    threads = cores * threads_per_core
    escape = [min(v, 0xFF) for v in (cores, cores, threads)]
    if not wide and max(cores, threads) >= 0xFF:
        wide = True  # counts of 255 and more need the 3.0 fields
    t1 = structure_bytes(1, 0x100, bytes([1, 0, 0, 0]) + bytes(16) + bytes([6, 0, 0]), [manufacturer])
    t4 = structure_bytes(4, 0x400, processor_body(*escape, wide=(cores, cores, threads) if wide else None))
    tables = t1 + t4 + END
    smbios = smbios_30(tables) if wide else smbios_21(tables)
    assert validate_smbios(smbios) == []
    result = dmidecode_check(smbios, tmp_path)
    assert result.of_type(1)[0].fields["Manufacturer"] == manufacturer.decode()
    [decoded] = result.of_type(4)
    assert (int(decoded.fields["Core Count"]), int(decoded.fields["Thread Count"])) == (cores, threads)


@needs_dmidecode
def test_dmidecode_sees_what_validation_sees(tmp_path):
    # A wrong structure count: dmidecode complains, and so do we.
    smbios = smbios_21(QEMU_TYPE1 + END, count=5)
    path = tmp_path / "bad.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    result = dmidecode.run_from_dump(str(path))
    assert any("structures count" in line for line in result.errors + result.warnings)
    assert "number_of_structures" in {f.field for f in validate_smbios(smbios)}


def test_missing_dmidecode_is_tool_error(tmp_path):
    from qboot_tables.errors import ToolError

    with pytest.raises(ToolError):
        dmidecode.run_from_dump(str(tmp_path / "x.bin"), dmidecode="dmidecode-not-installed")


@needs_dmidecode
def test_undefined_enum_values_are_found_by_both(tmp_path):
    # Processor family and upgrade 00h: dmidecode prints <OUT OF SPEC>, validation warns on both fields.
    body = bytearray(processor_body(1, 1, 1))
    body[0x06 - 4] = body[0x19 - 4] = 0
    smbios = smbios_21(structure_bytes(4, 0x400, bytes(body)) + END)
    assert {f.field for f in validate_smbios(smbios) if f.severity == WARNING} == {"processor_family",
                                                                                   "processor_upgrade"}
    path = tmp_path / "bad.bin"
    dmidecode.write_dump_bin(smbios, str(path))
    assert [w for w in dmidecode.run_from_dump(str(path)).warnings] == ["Family: <OUT OF SPEC>",
                                                                        "Upgrade: <OUT OF SPEC>"]


# ---- a real guest under SeaBIOS: what Linux finds must be place_smbios(add_type0=True), byte for byte

GUEST_MACHINES = {
    "pc-smbios21": ["-M", "pc", "-smp", "2"],
    "q35-smbios64": ["-M", "q35,smbios-entry-point-type=64", "-smp", "4,sockets=2,cores=2"],
}


@pytest.mark.guest
@pytest.mark.parametrize("machine", sorted(GUEST_MACHINES))
def test_seabios_guest_matches_placement(machine):
    from harness import guest

    if not guest.assets_present():
        pytest.skip("no kernel/busybox in .cache/guest (tools/fetch-guest-assets fetches them)")
    report = guest.boot_guest(GUEST_MACHINES[machine], timeout=180)
    # The guest's own view of fw_cfg (qemu_fw_cfg) holds QEMU's anchor and tables; sysfs dmi/tables holds what
    # SeaBIOS made of them.
    real = make_smbios(report.dmi["smbios_entry_point"], report.dmi["DMI"])
    ours = place_smbios(report.fw_cfg["etc/smbios/smbios-anchor"], report.fw_cfg["etc/smbios/smbios-tables"],
                        real.table_address, ENTRY_ADDRESS, add_type0=True)
    assert ours.entry_point_raw == real.entry_point_raw
    assert ours.table_raw == report.dmi["DMI"][:len(ours.table_raw)]
    assert real.structures[0].type == 0 and real.structures[0].strings[0] == b"SeaBIOS"
    assert real.is_64bit == machine.endswith("64") and validate_smbios(real) == []
    # SeaBIOS keeps a small table in the F-segment, beside the entry point (BUILD_MAX_SMBIOS_FSEG).
    in_fseg = 0xE0000 <= real.table_address < 0x100000
    assert in_fseg == (len(ours.table_raw) <= SEABIOS_MAX_FSEG_TABLE)


# Where our names (the spec's wording) and dmidecode 3.4's differ on purpose: (table, value) -> dmidecode's.
DMIDECODE_WORDING = {
    ("chassis_type", 0x19): "Multi-system", ("chassis_type", 0x1A): "CompactPCI",
    ("chassis_type", 0x1B): "AdvancedTCA", ("chassis_type", 0x1D): "Blade Enclosing",
    # SMBIOS 2.7 Table 24 names 24h "Socket LGA1155"; dmidecode prints BGA.
    ("processor_upgrade", 0x24): "Socket BGA1155",
}


def enum_structures():
    """(type, field, value, dmidecode label, body) for every value of the name tables dmidecode also names."""
    def chassis(v):
        return bytes([0, v, 0, 0, 0, 3, 3, 3, 3])

    def processor(offset, v):
        body = bytearray(processor_body(1, 1, 1))
        body[offset - 4] = v
        return bytes(body)

    def memory_device(offset, v, size=1):
        body = bytearray(0x15 - 4)
        body[0x0E - 4], body[0x12 - 4], body[0x13 - 4] = 9, 2, 2  # DIMM, Unknown, Other
        body[offset - 4:offset - 4 + size] = v.to_bytes(size, "little")
        return bytes(body)

    def memory_array(offset, v):
        body = bytearray([3, 3, 3]) + bytes(8)
        body[offset - 4] = v
        return bytes(body)

    yield from ((3, "chassis_type", v, "Type", chassis(v)) for v in S.CHASSIS_TYPES)
    yield from ((4, "processor_type", v, "Type", processor(0x05, v)) for v in S.PROCESSOR_TYPES)
    yield from ((4, "processor_upgrade", v, "Upgrade", processor(0x19, v)) for v in S.PROCESSOR_UPGRADES)
    yield from ((17, "memory_type", v, "Type", memory_device(0x12, v)) for v in S.MEMORY_TYPES)
    yield from ((17, "form_factor", v, "Form Factor", memory_device(0x0E, v)) for v in S.MEMORY_FORM_FACTORS)
    yield from ((17, "type_detail", 1 << bit, "Type Detail", memory_device(0x13, 1 << bit, 2))
                for bit in S.MEMORY_TYPE_DETAIL)
    yield from ((16, "location", v, "Location", memory_array(0x04, v)) for v in S.MEMORY_ARRAY_LOCATIONS)
    yield from ((16, "use", v, "Use", memory_array(0x05, v)) for v in S.MEMORY_ARRAY_USES)
    yield from ((16, "memory_error_correction", v, "Error Correction Type", memory_array(0x06, v))
                for v in S.MEMORY_ERROR_CORRECTION)
    yield from ((1, "wake_up_type", v, "Wake-up Type", bytes(4 + 16) + bytes([v])) for v in S.WAKE_UP_TYPES)


@needs_dmidecode
def test_name_tables_agree_with_dmidecode(tmp_path):
    cases = list(enum_structures())
    tables = b"".join(structure_bytes(t, 0x10 + i, body) for i, (t, _f, _v, _k, body) in enumerate(cases)) + END
    smbios = smbios_30(tables)
    result = dmidecode_check(smbios, tmp_path)
    for (type_, field_name, value, label, _body), ours, theirs in zip(cases, smbios.structures, result.handles):
        meaning = {r["name"]: r["meaning"] for r in describe_structure(ours)}[field_name]
        expected = DMIDECODE_WORDING.get((field_name, value), meaning)
        assert theirs.fields[label].lower() == expected.lower(), (type_, field_name, value)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_type19_maps_the_e820_ram(path):
    # QEMU builds one type 19 per e820 RAM entry, in e820 order (hw/i386/fw_cfg.c, fw_cfg_build_smbios).
    from qboot_tables.schemas.e820 import E820_RAM, e820_table

    with open(os.path.join(path, "etc", "e820"), "rb") as f:
        e820 = e820_table.parse(f.read())
    ram = [(e.address, e.address + e.length) for e in e820.entries if e.type == E820_RAM]
    assert mapped_ranges(place_smbios(*fixture_files(path), TABLE_ADDRESS, ENTRY_ADDRESS)) == ram


def test_reference_and_address_findings():
    array = structure_bytes(16, 0x1000, bytes([3, 3, 3]) + (1 << 20).to_bytes(4, "little") + b"\xfe\xff\x01\x00")
    device = bytearray(0x15 - 4)
    device[0:2] = (0x1001).to_bytes(2, "little")  # not the array's handle
    device[0x0E - 4], device[0x12 - 4], device[0x13 - 4] = 9, 7, 2
    device[0x0C - 4:0x0E - 4] = (0x7FFF).to_bytes(2, "little")  # "see extended_size", which a 2.1 length lacks
    mapped = (0x100).to_bytes(4, "little") + (0xFF).to_bytes(4, "little") + (0x1000).to_bytes(2, "little") + b"\1"
    tables = array + structure_bytes(17, 0x1100, bytes(device)) + structure_bytes(19, 0x1300, mapped) + END
    findings = validate_smbios(smbios_21(tables))
    assert errors_of(findings) == [
        "physical_memory_array_handle: 0x1001 is no structure, not a type 16 (Physical Memory Array)",
        "size: 7FFFh points at extended_size, which this structure is too short for",
        "ending_address: 0xff is below starting_address 0x100"]
    wide = (0xFFFFFFFF).to_bytes(4, "little") * 2 + (0x1000).to_bytes(2, "little") + b"\1"
    wide += (1 << 40).to_bytes(8, "little") + ((1 << 41) - 1).to_bytes(8, "little")
    smbios = smbios_21(array + structure_bytes(19, 0x1300, wide) + END)
    assert validate_smbios(smbios) == [] and mapped_ranges(smbios) == [(1 << 40, 1 << 41)]


@pytest.mark.qemu
@needs_dmidecode
def test_qemu_smbios_options_end_to_end(tmp_path):
    # QEMU's own type 0 (so SeaBIOS adds none), an OEM-strings type 11 we keep raw, and user text in 3, 4, 17.
    from qboot_tables.tools import qemu

    snapshot = qemu.capture(["-M", "pc", "-m", "256M",
                             "-smbios", "type=0,vendor=Acme BIOS,version=9.9,date=01/02/2023,release=3.4",
                             "-smbios", "type=11,value=hello,value=world",
                             "-smbios", "type=3,manufacturer=Box Co,asset=A-1,sku=S-1",
                             "-smbios", "type=17,loc_pfx=Bank,manufacturer=RamCo,speed=3200"])
    anchor, tables = snapshot.file("etc/smbios/smbios-anchor"), snapshot.file("etc/smbios/smbios-tables")
    smbios = place_smbios(anchor, tables, TABLE_ADDRESS, ENTRY_ADDRESS, add_type0=True)
    assert smbios.table_raw == tables and validate_smbios(smbios) == []
    [t0], [t3], [t11], [t17] = (smbios.of_type(t) for t in (0, 3, 11, 17))
    assert t11.parsed.body.count == 2 and t11.strings == [b"hello", b"world"]
    assert (t0.parsed.body.system_bios_major_release, t0.parsed.body.system_bios_minor_release) == (3, 4)
    assert t3.string(t3.parsed.body.sku_number) == b"S-1" and t17.parsed.body.speed == 3200
    result = dmidecode_check(smbios, tmp_path)
    fields = {h.type: h.fields for h in result.handles}
    assert fields[0]["Vendor"] == "Acme BIOS" and fields[0]["BIOS Revision"] == "3.4"
    assert fields[3]["Asset Tag"] == "A-1" and fields[3]["SKU Number"] == "S-1"
    assert fields[17]["Speed"] == "3200 MT/s" and fields[17]["Locator"] == "Bank 0"
    assert "hello" in result.of_type(11)[0].lines[0]


def test_handle_above_ff00_is_a_warning():
    findings = validate_smbios(smbios_21(structure_bytes(32, 0xFF01, bytes(7)) + END))
    assert [(f.severity, f.field) for f in findings] == [(WARNING, "handle")]
    assert validate_smbios(smbios_21(structure_bytes(32, 0xFF00, bytes(7)) + END)) == []


# ---- descriptors: one per decoded type, read by the same row walk as the ACPI tables


def test_registry_covers_every_decoded_type():
    from construct import Select, Struct

    from qboot_tables.smbios_types import DESCRIPTORS, GENERIC, descriptor

    def names(subcon):  # every field name in a schema, nested records included
        while hasattr(subcon, "subcon") or hasattr(subcon, "thensubcon") or isinstance(subcon, Select):
            subcon = subcon.subcons[0] if isinstance(subcon, Select) else getattr(subcon, "thensubcon", None) \
                or subcon.subcon
        out = set()
        for sub in getattr(subcon, "subcons", ()):
            out |= {sub.name} | names(sub)
        return out

    assert sorted(DESCRIPTORS) == sorted(S.DECODED_TYPES) == sorted(set(range(47)) | {126, 127})
    from qboot_tables.schemas.smbios_ext import EXT_TYPES  # built on first use, under the numbers declared
    assert set(EXT_TYPES) == S.EXT_TYPE_NUMBERS
    for type_, d in DESCRIPTORS.items():
        assert d.type == type_ and d.title == S.TYPE_NAMES[type_] and d.spec.startswith("DSP0134")
        assert d.schema is S.DECODED_TYPES[type_] and d.min_length >= S.HEADER_SIZE
        assert isinstance(d.schema, Struct)
        fields = names(d.schema)
        assert set(d.meanings) <= fields and d.strings <= fields and set(d.enums) <= fields, type_
    assert descriptor(47) is GENERIC and descriptor(200) is GENERIC


def _rows(raw: bytes) -> dict:
    from qboot_tables.smbios_types import structure_rows

    [s] = split_structures(raw)
    return {r.name: r for r in structure_rows(s)}


def _chassis_raw() -> bytes:
    body = bytes([1, 0x83, 0, 0, 0, 3, 4, 5, 9]) + bytes(4) + bytes([2, 1, 2, 3]) + b"\x01\x02\x03\x81\x00\x01\x02"
    return structure_bytes(3, 0x300, body, [b"Acme", b"SKU-9"])


def _memory_device_raw(size: int) -> bytes:
    body = bytearray(0x1C + 4 - 4)  # up to extended_size (2.7)
    body[0:2] = (0x1000).to_bytes(2, "little")
    body[0x0C - 4:0x0E - 4] = size.to_bytes(2, "little")
    body[0x0E - 4], body[0x10 - 4], body[0x12 - 4], body[0x13 - 4] = 9, 1, 0x1A, 1 << 7  # DIMM, DDR4, Synchronous
    body[0x1C - 4:0x20 - 4] = (65536).to_bytes(4, "little")
    return structure_bytes(17, 0x1100, bytes(body), [b"DIMM 0"])


# (structure bytes, {row name: (offset, size, meaning)}) for each decoded type.
TYPE_ROW_VECTORS = {
    0: (seabios_type0((b"SeaBIOS", b"1.16", b"04/01/2014")), {
        "type": (0, 1, "BIOS Information"), "vendor": (4, 1, "SeaBIOS"), "bios_release_date": (8, 1, "04/01/2014"),
        "bios_starting_address_segment": (6, 2, "0xe8000"), "bios_rom_size": (9, 1, "64 KiB"),
        "bios_characteristics": (0x0A, 8, "BIOS Characteristics are not supported"),
        "bios_characteristics_extension_1": (0x12, 1, "none"),
        "embedded_controller_minor_release": (0x17, 1, ""), "string 2": (0x18 + 8, 5, "")}),
    1: (QEMU_TYPE1, {
        "handle": (2, 2, ""), "product_name": (5, 1, "Standard PC (i440FX + PIIX, 1996)"),
        "serial_number": (7, 1, "no string"), "uuid": (8, 16, "not present"), "wake_up_type": (0x18, 1, "Power Switch"),
        "family": (0x1A, 1, "no string")}),
    3: (_chassis_raw(), {
        "chassis_type": (5, 1, "Desktop, lock present"), "bootup_state": (9, 1, "Safe"),
        "power_supply_state": (0x0A, 1, "Warning"), "thermal_state": (0x0B, 1, "Critical"),
        "security_status": (0x0C, 1, "Unknown (9)"), "contained_elements[0]": (0x15, 3, "Unknown (2-3)"),
        "contained_elements[1]": (0x18, 3, "System (0-1)"), "sku_number": (0x1B, 1, "SKU-9")}),
    4: (structure_bytes(4, 0x400, processor_body(0xFF, 0xFF, 0xFF, wide=(300, 300, 600))), {
        "processor_type": (5, 1, "Central Processor"), "processor_family": (6, 1, "Other"),
        "processor_manufacturer": (7, 1, "no string"), "status": (0x18, 1, "socket unpopulated, Unknown"),
        "core_count": (0x23, 1, "see core_count_2"), "thread_count": (0x25, 1, "see thread_count_2"),
        "processor_characteristics": (0x26, 2, "none"), "processor_family_2": (0x28, 2, "Other"),
        "core_count_2": (0x2A, 2, "")}),
    16: (structure_bytes(16, 0x1000, bytes([3, 3, 6]) + (0x80000000).to_bytes(4, "little") + b"\xfe\xff\x02\x00"
                         + (1 << 40).to_bytes(8, "little")), {
        "type": (0, 1, "Physical Memory Array"), "location": (4, 1, "System board or motherboard"),
        "use": (5, 1, "System memory"), "memory_error_correction": (6, 1, "Multi-bit ECC"),
        "maximum_capacity": (7, 4, "see extended_maximum_capacity"), "extended_maximum_capacity": (0x0F, 8, "")}),
    17: (_memory_device_raw(0x7FFF), {
        "size": (0x0C, 2, "see extended_size"), "form_factor": (0x0E, 1, "DIMM"), "device_locator": (0x10, 1, "DIMM 0"),
        "memory_type": (0x12, 1, "DDR4"), "type_detail": (0x13, 2, "Synchronous"),
        "extended_size": (0x1C, 4, "65536 MiB"), "string 1": (0x20, 7, "")}),
    19: (structure_bytes(19, 0x1300, (0x100).to_bytes(4, "little") + (0x1FF).to_bytes(4, "little")
                         + (0x1000).to_bytes(2, "little") + b"\1"), {
        "starting_address": (4, 4, "0x40000"), "ending_address": (8, 4, "0x7ffff"),
        "memory_array_handle": (0x0C, 2, "0x1000"), "partition_width": (0x0E, 1, "")}),
    32: (structure_bytes(32, 0x2000, bytes(6) + b"\x05\x99"), {
        "reserved": (4, 6, ""), "boot_status": (0x0A, 2, "User-requested boot")}),
    127: (END, {"type": (0, 1, "End-of-Table"), "length": (1, 1, ""), "handle": (2, 2, "")}),
}


@pytest.mark.parametrize("type_", sorted(TYPE_ROW_VECTORS))
def test_descriptor_rows(type_):
    raw, expected = TYPE_ROW_VECTORS[type_]
    rows = _rows(raw)
    assert list(rows)[:3] == ["type", "length", "handle"] and rows["type"].value == type_
    assert {name: (rows[name].offset, rows[name].size, rows[name].meaning) for name in expected} == expected


def test_rows_of_a_type_we_do_not_decode():
    rows = _rows(structure_bytes(200, 0x200, b"\1\2\3", [b"Board"]))
    assert [(r.name, r.offset, r.size, r.meaning) for r in rows.values()] == [
        ("type", 0, 1, "OEM-specific"), ("length", 1, 1, ""), ("handle", 2, 2, ""), ("body", 4, 3, ""),
        ("string 1", 7, 6, "")]
    assert rows["body"].value == b"\1\2\3" and rows["string 1"].value == b"Board"
    assert list(_rows(structure_bytes(200, 1, b""))) == ["type", "length", "handle"]
    assert _rows(structure_bytes(200, 1, b""))["type"].meaning == "OEM-specific"


def test_missing_string_and_bad_checksum_meanings():
    rows = _rows(structure_bytes(1, 1, bytes([1, 5, 0, 0]), [b"only"]))
    assert rows["manufacturer"].meaning == "only" and rows["product_name"].meaning == "missing: the set has 1 strings"
    from qboot_tables.smbios_types import entry_point_rows

    smbios = smbios_21(QEMU_TYPE1 + END)
    raw = bytearray(smbios.entry_point_raw)
    raw[0x1E] ^= 1  # the BCD revision: both checksums break
    broken = make_smbios(bytes(raw), smbios.table_raw)
    meanings = {r.name: r.meaning for r in entry_point_rows(broken)}
    assert meanings["checksum"] == "wrong: bytes sum to 0x01" == meanings["intermediate_checksum"]
    wide = {r.name: r.meaning for r in entry_point_rows(smbios_30(QEMU_TYPE1 + END))}
    assert wide["checksum"] == "valid" and "bcd_revision" not in wide


@pytest.mark.parametrize("type_", sorted(S.DECODED_TYPES))
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_descriptor_round_trip(type_, data):
    # Build from bytes, parse, build again: the same bytes; and the descriptor's rows (header, fields, strings)
    # cover the structure byte for byte, up to the string set's final NUL.
    from qboot_tables.smbios_types import structure_rows

    body = data.draw(st.binary(max_size=0x70 if type_ != 127 else 8), label="body")
    strings = data.draw(strings_strategy, label="strings")
    raw = structure_bytes(type_, data.draw(st.integers(0, 0xFFFF), label="handle"), body, strings)
    built = S.structure.build(S.structure.parse(raw))
    assert built == raw and S.structure.build(S.structure.parse(built)) == raw
    [s] = split_structures(raw)
    rows = structure_rows(s)
    end = 0
    for row in rows:
        assert row.offset == end and isinstance(row.meaning, str), row
        end += row.size
    assert end == len(raw) - (1 if strings else 2)
    assert [r.value for r in rows if r.name.startswith("string ")] == strings
    assert describe_structure(s) == [r._asdict() for r in rows]
