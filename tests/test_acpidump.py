"""acpidump text: our writer matches acpidump and feeds acpixtract, and the reader is lenient but exact."""
import os
import shutil
import struct
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qboot_tables.tools.acpidump import DumpedTable, format_acpidump, looks_like_acpidump, parse_acpidump
from qboot_tables.errors import InputError

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "qemu-7.2")

# Printed by ACPICA's acpidump 20200925 (Debian 12) on a Firecracker guest: a known vector of the real format.
REAL_MCFG = (
    "MCFG @ 0x0000000000000000\n"
    "    0000: 4D 43 46 47 3C 00 00 00 01 7F 46 49 52 45 43 4B  MCFG<.....FIRECK\n"
    "    0010: 46 43 4D 56 4D 43 46 47 00 00 00 00 46 43 41 54  FCMVMCFG....FCAT\n"
    "    0020: 19 01 24 20 00 00 00 00 00 00 00 00 00 00 C0 EE  ..$ ............\n"
    "    0030: 00 00 00 00 00 00 00 00 00 00 00 00              ............\n"
    "\n"
)


def with_checksum(data: bytes, at: int = 9) -> bytes:
    data = bytearray(data)
    data[at] = 0
    data[at] = -sum(data) & 0xFF
    return bytes(data)


def fixture_tables(name: str) -> list[tuple[str, int, bytes]]:
    """(signature, made-up address, bytes) for a fixture's RSDP and each table of its etc/acpi/tables blob."""
    acpi = os.path.join(FIXTURES, name, "etc", "acpi")
    with open(os.path.join(acpi, "rsdp"), "rb") as f:
        tables = [("RSDP", 0xF5A10, with_checksum(f.read()[:20], 8))]
    with open(os.path.join(acpi, "tables"), "rb") as f:
        blob = f.read()
    offset = 0
    while offset + 8 <= len(blob) and blob[offset:offset + 4] != bytes(4):
        length = struct.unpack_from("<I", blob, offset + 4)[0]
        tables.append((blob[offset:offset + 4].decode(), 0x7FFE0000 + offset, blob[offset:offset + length]))
        offset += length
    return tables


def second_ssdt(ssdt: bytes) -> bytes:
    """Another SSDT: the same AML under a different OEM table ID, as firmware with two SSDTs would have."""
    return with_checksum(ssdt[:16] + b"SECOND  " + ssdt[24:])


@pytest.fixture(scope="module")
def q35_tables():
    tables = fixture_tables("q35-vmgenid")
    ssdt = next(t for t in tables if t[0] == "SSDT")
    return tables + [("SSDT", 0x7FFF0000, second_ssdt(ssdt[2])), ("SSDT", None, second_ssdt(second_ssdt(ssdt[2])))]


def test_real_acpidump_output_reads_and_writes_back_identically():
    tables = parse_acpidump(REAL_MCFG)
    assert tables == [DumpedTable("MCFG", None, bytes.fromhex(
        "4D 43 46 47 3C 00 00 00 01 7F 46 49 52 45 43 4B  46 43 4D 56 4D 43 46 47 00 00 00 00 46 43 41 54"
        "19 01 24 20 00 00 00 00 00 00 00 00 00 00 C0 EE  00 00 00 00 00 00 00 00 00 00 00 00"))]
    assert format_acpidump(tables) == REAL_MCFG


def test_round_trip(q35_tables):
    signatures = [t[0] for t in q35_tables]
    assert signatures.count("SSDT") == 3 and "RSDP" in signatures and "FACS" in signatures
    text = format_acpidump(q35_tables)
    assert parse_acpidump(text) == [DumpedTable(*t) for t in q35_tables]
    assert format_acpidump(parse_acpidump(text)) == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["APIC", "SSDT", "DSDT", "OEM1"]),
                          st.one_of(st.none(), st.integers(1, 2**64 - 1)),
                          st.binary(min_size=0, max_size=300)), min_size=1, max_size=5))
def test_round_trip_of_any_tables(raw):
    tables = []
    for signature, address, body in raw:
        data = signature.encode() + struct.pack("<I", 36 + len(body)) + bytes(28) + body
        tables.append((signature, address, data))
    assert parse_acpidump(format_acpidump(tables)) == [DumpedTable(*t) for t in tables]


@pytest.mark.skipif(shutil.which("acpixtract") is None, reason="acpixtract (acpica-tools) is not installed")
def test_acpixtract_recovers_every_table(q35_tables, tmp_path):
    (tmp_path / "dump.txt").write_text(format_acpidump(q35_tables))
    proc = subprocess.run(["acpixtract", "-a", "dump.txt"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # acpixtract names files by lower-case signature, numbering the instances of a signature seen more than once.
    expected = {}
    ssdts = 0
    for signature, _, data in q35_tables:
        if signature == "SSDT":
            ssdts += 1
            expected[f"ssdt{ssdts}.dat"] = data
        else:
            expected[f"{signature.lower()}.dat"] = data
    written = {p.name: p.read_bytes() for p in tmp_path.glob("*.dat")}
    assert written == expected


@pytest.mark.parametrize("text", [
    REAL_MCFG.replace("  MCFG<.....FIRECK", "").replace("  FCMVMCFG....FCAT", "")
             .replace("  ..$ ............", "").replace("              ............", ""),  # no ASCII column
    REAL_MCFG.lower().replace("mcfg @", "MCFG @"),  # lower-case hex
    REAL_MCFG.replace("\n", "\r\n"),  # DOS line ends
    "Intel ACPI Component Architecture\nsome banner\n\n" + REAL_MCFG,  # text before the first table
    REAL_MCFG.replace("    00", "  00").replace("MCFG @ 0x0000000000000000", "MCFG @ 0x0"),  # other widths
    REAL_MCFG.replace("4B  MCFG", "4B MCFG"),  # full row with one space before the ASCII column
    REAL_MCFG.rstrip("\n"),  # no blank line at the end
])
def test_lenient_reading(text):
    assert parse_acpidump(text) == parse_acpidump(REAL_MCFG)


def test_rsdp_and_addresses(q35_tables):
    rsdp_v2 = with_checksum(b"RSD PTR " + bytes(7) + b"\x02" + bytes(4) + struct.pack("<I", 36) + bytes(12), 8)
    text = format_acpidump([("RSDP", 0xF0490, rsdp_v2)]) + REAL_MCFG.replace("0x0000000000000000",
                                                                              "0x00000000BFFE1C6E")
    tables = parse_acpidump(text)
    assert tables[0] == DumpedTable("RSDP", 0xF0490, rsdp_v2)
    assert tables[1].address == 0xBFFE1C6E


def error_for(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_acpidump(text)
    return str(info.value)


def test_malformed_hex_names_its_line():
    message = error_for(REAL_MCFG.replace("3C 00 00 00 01 7F", "3C 00 0G 00 01 7F"))
    assert "line 2" in message and "0G" in message


def test_offset_out_of_sequence_names_its_line():
    assert "line 3" in error_for(REAL_MCFG.replace("    0010:", "    0020:"))
    lines = REAL_MCFG.splitlines(True)
    assert "line 3" in error_for("".join([lines[0], lines[1], lines[3], lines[2], *lines[4:]]))


def test_length_disagreeing_with_the_table_names_its_header_line():
    lines = REAL_MCFG.splitlines(True)
    short = "".join(lines[:4]) + "\n"  # the last row is missing: 48 bytes for a table of 60
    message = error_for("\n" + short)
    assert "line 2" in message and "48" in message and "60" in message
    long = REAL_MCFG.replace("    0030: 00 00 00 00 00 00 00 00 00 00 00 00              ",
                             "    0030: 00 00 00 00 00 00 00 00 00 00 00 00 00           ")
    assert "61" in error_for(long)


@pytest.mark.parametrize("text, line", [
    ("    0000: 41 50 49 43\n", 1),  # a row with no table header
    (REAL_MCFG.replace("MCFG @", "APIC @"), 1),  # header and bytes disagree on the signature
    (REAL_MCFG.replace("0020: 19 01 24 20 00 00 00 00 00 00 00 00 00 00 C0 EE",
                       "0020: 19 01 24 20 00 00 00 00 00 00 00 00 00 00 C0"), 5),  # a row after a short row
    (REAL_MCFG.replace("    0010:", "garbage here\n    0010:"), 3),  # not a row inside a table
    (REAL_MCFG.replace("00 00 46 43 41 54", "00 00 46 43 41 54 00"), 3),  # 17 bytes in a row
    ("RSDP @ 0x00000000000F0490\n    0000: 52 53 44 20 50 54 52 20 00 00 00 00 00 00 00 00\n", 1),
])
def test_inconsistent_text_names_its_line(text, line):
    assert f"line {line}:" in error_for(text)


def test_no_tables_at_all():
    assert "no acpidump tables" in error_for("")
    assert "no acpidump tables" in error_for("hello\nworld\n")


def test_writer_refuses_what_acpidump_cannot_say():
    with pytest.raises(InputError):
        format_acpidump([("TOOLONG", None, b"1234")])
    with pytest.raises(InputError):
        format_acpidump([("APIC", 2**64, b"APIC")])
    with pytest.raises(InputError):
        format_acpidump([("APIC", None, b"")])


def test_looks_like_acpidump(q35_tables):
    text = format_acpidump(q35_tables)
    assert looks_like_acpidump(text) and looks_like_acpidump(text.encode())
    assert looks_like_acpidump("banner line\n\n" + REAL_MCFG)
    assert not looks_like_acpidump(q35_tables[1][2])  # a binary table
    assert not looks_like_acpidump(b"")
    assert not looks_like_acpidump("MCFG @ 0x0\nnot a row\n")
    assert not looks_like_acpidump("MCFG @ 0x0\n    0010: 00 00\n")  # the first row must be at offset 0


def old_layout(text: str) -> str:
    """The layout older acpidump builds printed: "RSD  @ 0x..." for the RSDP and rows indented by two spaces."""
    return text.replace("RSDP @ ", "RSD  @ ").replace("\n    ", "\n  ")


def test_the_older_layout_reads_as_the_new_one(q35_tables, tmp_path):
    text = format_acpidump(q35_tables)
    assert "RSD  @ 0x" in old_layout(text) and "\n  0000: " in old_layout(text)
    assert looks_like_acpidump(old_layout(text))
    assert parse_acpidump(old_layout(text)) == parse_acpidump(text)
    (tmp_path / "old.txt").write_text(old_layout(text))
    (tmp_path / "new.txt").write_text(text)
    if shutil.which("acpixtract"):  # the oracle reads both too
        for name in ("old.txt", "new.txt"):
            subprocess.run(["acpixtract", "-a", name], cwd=tmp_path, capture_output=True, check=True)
        assert (tmp_path / "apic.dat").read_bytes() == dict((s, d) for s, _, d in q35_tables)["APIC"]
    from qboot_tables.read.inputs import load

    old, new = load(str(tmp_path / "old.txt")), load(str(tmp_path / "new.txt"))
    assert [t.data for t in old.acpi] == [t.data for t in new.acpi] and old.rsdp.data == new.rsdp.data


def test_one_broken_table_is_a_finding_and_the_rest_decode(q35_tables, tmp_path):
    from qboot_tables.read.inputs import load

    text = format_acpidump(q35_tables)
    apic_at = text.index("APIC @")
    broken = text[:apic_at] + text[apic_at:].replace(" 0010: ", " 0010: ZZ ", 1)  # a bad row inside the MADT
    problems = []
    tables = parse_acpidump(broken, problems)
    assert [t.signature for t in tables] == [s for s, _, _ in q35_tables if s != "APIC"]
    assert len(problems) == 1 and "APIC: 17 bytes in a row" in problems[0]
    with pytest.raises(InputError):
        parse_acpidump(broken)  # without a problems list, the first one still raises
    (tmp_path / "broken.txt").write_text(broken)
    tableset = load(str(tmp_path / "broken.txt"))
    assert "APIC" not in [t.signature for t in tableset.acpi] and "FACP" in [t.signature for t in tableset.acpi]
    assert [f.severity for f in tableset.findings] == ["error"]


def test_a_folder_of_acpidump_binaries(q35_tables, tmp_path):
    from qboot_tables.read.inputs import load

    counts = {}
    for signature, _, data in q35_tables:  # acpidump -b: lower case, .dat, and a number for a repeat
        counts[signature] = counts.get(signature, 0) + 1
        number = str(counts[signature]) if signature == "SSDT" else ""
        (tmp_path / f"{signature.lower()}{number}.dat").write_bytes(data)
    tableset = load(str(tmp_path))
    assert sorted(t.signature for t in tableset.acpi) == sorted(s for s, _, _ in q35_tables if s != "RSDP")
    assert tableset.rsdp is not None
