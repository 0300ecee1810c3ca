"""The iasl wrapper against the real iasl: QEMU 7.2's tables disassemble clean, and broken tables are reported."""
import glob
import os
import struct
import time

import pytest

from qboot_tables.errors import ToolError
from qboot_tables.findings import ERROR, INFO, WARNING, has_errors
from qboot_tables.tools.iasl import disassemble, iasl_available

pytestmark = pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "qemu-7.2")
FIXTURE_NAMES = sorted(os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(p))))
                       for p in glob.glob(os.path.join(FIXTURES, "*", "etc", "acpi", "tables")))
AML = ("DSDT", "SSDT")


def with_checksum(data: bytes) -> bytes:
    """The table with its checksum byte (offset 9) set so the whole table sums to zero, as the loader would."""
    data = bytearray(data)
    data[9] = 0
    data[9] = -sum(data) & 0xFF
    return bytes(data)


def unlinked_tables(name: str) -> list[bytes]:
    """The tables of a fixture's etc/acpi/tables blob, which QEMU lays back to back, checksummed.

    The blob is unlinked: pointer fields are still 0 (or offsets) and checksums are not set yet.
    """
    with open(os.path.join(FIXTURES, name, "etc", "acpi", "tables"), "rb") as f:
        blob = f.read()
    tables, offset = [], 0
    while offset + 8 <= len(blob) and blob[offset:offset + 4] != bytes(4):
        length = struct.unpack_from("<I", blob, offset + 4)[0]
        table = blob[offset:offset + length]
        # The FACS has no checksum field (ACPI 6.5 §5.2.10).
        tables.append(table if table[:4] == b"FACS" else with_checksum(table))
        offset += length
    return tables


def fixture_table(name: str, signature: str) -> bytes:
    return next(t for t in unlinked_tables(name) if t[:4] == signature.encode())


def acpi_table(signature: bytes, body: bytes, revision: int = 2) -> bytes:
    header = signature + struct.pack("<IBB", 36 + len(body), revision, 0) + b"QBOOTT" + b"TESTTBL " + \
        struct.pack("<I", 1) + b"INTL" + struct.pack("<I", 0x20200925)
    return with_checksum(header + body)


def severities(result, severity):
    return [f for f in result.problems if f.severity == severity]


def test_fixtures_are_present():
    assert len(FIXTURE_NAMES) >= 20, "fixtures/qemu-7.2 is missing: the clean-table tests below would not run"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_qemu_table_disassembles_without_problems(name):
    tables = unlinked_tables(name)
    assert len(tables) >= 4
    aml = [t for t in tables if t[:4].decode() in AML]
    for table in tables:
        signature = table[:4].decode()
        result = disassemble(table, extra_tables=aml)
        assert result.returncode == 0, (signature, result.log)
        assert [str(f) for f in result.problems if f.severity != INFO] == [], signature
        assert all(f.table == signature for f in result.problems)
        if signature in AML:
            assert f'DefinitionBlock ("", "{signature}"' in result.text
        else:
            assert f'Signature : "{signature}"' in result.text


def test_rsdp_is_not_given_to_iasl():
    with open(os.path.join(FIXTURES, "q35-default", "etc", "acpi", "rsdp"), "rb") as f:
        rsdp = f.read()
    result = disassemble(rsdp)
    assert result.returncode is None and result.text == ""
    assert [f.severity for f in result.problems] == [INFO]
    assert result.problems[0].table == "RSDP"


def test_bad_checksum_is_an_error_with_the_right_value():
    apic = bytearray(fixture_table("q35-smp4", "APIC"))
    good = apic[9]
    apic[9] = (good + 0x11) & 0xFF
    result = disassemble(bytes(apic), "APIC")
    errors = severities(result, ERROR)
    assert [(f.table, f.field) for f in errors] == [("APIC", "checksum")]
    assert f"should be 0x{good:02X}" in errors[0].message
    assert f"0x{apic[9]:02X}" in errors[0].message


def test_bad_checksum_of_an_aml_table_is_an_error():
    dsdt = bytearray(fixture_table("pc-default", "DSDT"))
    dsdt[9] ^= 0x40
    result = disassemble(bytes(dsdt))
    assert [f.field for f in severities(result, ERROR)] == ["checksum"]


def test_fadt_without_a_pm1a_event_block_is_an_error():
    facp = bytearray(fixture_table("q35-default", "FACP"))
    # ACPI 6.5 §5.2.9: PM1a_EVT_BLK (offset 56) and X_PM1a_EVT_BLK's address (GAS at 148, address at +4), the
    # block every FADT must have; this is what QEMU builds before firmware has programmed the PM base.
    facp[56:60] = bytes(4)
    facp[152:160] = bytes(8)
    facp = with_checksum(bytes(facp))
    result = disassemble(facp)
    assert any("Pm1aEventBlock" in f.message for f in severities(result, ERROR)), result.problems


def test_zero_length_madt_subtable_is_an_error():
    apic = bytearray(fixture_table("q35-smp4", "APIC"))
    apic[44 + 8 + 1] = 0  # the second subtable's length (ACPI 6.5 §5.2.12: subtables start at 44)
    result = disassemble(with_checksum(bytes(apic)))
    assert any("zero-length subtable" in f.message for f in severities(result, ERROR)), result.problems


def test_truncated_table_is_an_error():
    apic = fixture_table("q35-smp4", "APIC")
    result = disassemble(apic[:100], "APIC")
    errors = severities(result, ERROR)
    assert any(f.field == "length" and "truncated" in f.message and "144" in f.message for f in errors), errors
    assert any("no disassembly" in f.message for f in errors)
    assert result.returncode != 0 and result.text == ""


def test_table_cut_inside_a_subtable_is_an_error():
    apic = bytearray(fixture_table("q35-smp4", "APIC")[:100])
    apic[4:8] = struct.pack("<I", 100)  # consistent length, but the cut lands inside a subtable
    result = disassemble(with_checksum(bytes(apic)))
    assert any("middle of a subtable" in f.message for f in severities(result, ERROR)), result.problems


@pytest.mark.parametrize("length", [0, 20, 35])
def test_length_below_the_header_is_refused_before_iasl_loops(length):
    facs = bytearray(fixture_table("pc-default", "FACS"))
    facs[4:8] = struct.pack("<I", length)
    started = time.monotonic()
    result = disassemble(bytes(facs), timeout=20)
    assert time.monotonic() - started < 5
    assert result.returncode is None
    assert [(f.severity, f.field) for f in result.problems] == [(ERROR, "length")]


def test_bytes_after_the_length_field_are_left_out():
    waet = fixture_table("q35-default", "WAET")
    result = disassemble(waet + bytes(64))
    assert [(f.severity, f.field) for f in result.problems] == [(WARNING, "length")]
    assert "64 bytes" in result.problems[0].message
    assert result.text == disassemble(waet).text


def test_unknown_table_is_info_and_unknown_subtable_type_a_warning():
    # iasl 20200925 knows no [ZZZZ]: whatever it says of such a table is info (issue 9).
    unknown = acpi_table(b"ZZZZ", bytes(8))
    result = disassemble(unknown)
    assert [(f.severity, f.field) for f in result.problems] == [(INFO, "signature")]
    broken = bytearray(unknown)
    broken[9] ^= 1
    assert {f.severity for f in disassemble(bytes(broken)).problems} == {INFO}

    apic = bytearray(fixture_table("q35-smp4", "APIC"))
    apic[44] = 0x7E  # a reserved MADT subtable type
    result = disassemble(with_checksum(bytes(apic)))
    assert [f.severity for f in result.problems] == [WARNING]
    assert "0x7E" in result.problems[0].message


def test_corrupt_aml_is_an_error():
    dsdt = bytearray(fixture_table("q35-default", "DSDT"))
    dsdt[200:210] = b"\xff" * 10
    result = disassemble(with_checksum(bytes(dsdt)))
    assert has_errors(result.problems)
    assert any("****" in f.message or "Invalid character" in f.message for f in severities(result, ERROR))


def test_extra_tables_resolve_external_methods():
    # DSDT: Method (MAIN) { FOO_ (One, 2) }, with FOO_ defined only in the SSDT as Method (FOO_, 2).
    dsdt = acpi_table(b"DSDT", b"\x14\x0dMAIN\x00FOO_\x01\x0a\x02")
    ssdt = acpi_table(b"SSDT", b"\x14\x08FOO_\x02\xa4\x68")
    alone = disassemble(dsdt)
    assert [f.severity for f in alone.problems] == [WARNING]
    assert "1 external control method" in alone.problems[0].message
    helped = disassemble(dsdt, extra_tables=[ssdt, dsdt])  # the table itself among the extras is skipped
    assert helped.problems == []
    assert "External (FOO_, MethodObj)    // 2 Arguments" in helped.text
    # Extras that are not AML (or not whole tables) are never given to iasl.
    assert disassemble(ssdt, extra_tables=[dsdt, fixture_table("q35-default", "APIC"), b"SSDT"]).problems == []


def test_a_table_that_clashes_with_another_is_disassembled_alone():
    # Both define Name (FOO_, One): with the SSDT loaded, iasl refuses the DSDT and writes no .dsl at all.
    dsdt = acpi_table(b"DSDT", b"\x08FOO_\x01")
    ssdt = acpi_table(b"SSDT", b"\x08FOO_\x01\x08BAR_\x00")
    result = disassemble(dsdt, extra_tables=[ssdt])
    assert [(f.severity, f.message) for f in result.problems] == [
        (WARNING, "defines [FOO], which another DSDT/SSDT defines too; disassembled alone")]
    assert "Name (FOO, One)" in result.text and result.returncode == 0


def test_legacy_asl_has_no_c_style_operators():
    # Method (MAIN) { Local0 = One }
    dsdt = acpi_table(b"DSDT", b"\x14\x09MAIN\x00\x70\x01\x60")
    assert "Local0 = One" in disassemble(dsdt).text
    assert "Store (One, Local0)" in disassemble(dsdt, legacy=True).text


def test_text_is_the_same_on_every_run_and_names_no_file():
    dsdt = fixture_table("q35-default", "DSDT")
    first, second = disassemble(dsdt), disassemble(dsdt)
    assert first.text == second.text
    assert "Disassembly of" not in first.text and "table.dat" not in first.text and "/tmp" not in first.text
    assert first.text.startswith("/*\n * Intel ACPI Component Architecture")


def test_missing_iasl_is_a_tool_error():
    assert not iasl_available("/nonexistent/iasl")
    with pytest.raises(ToolError):
        disassemble(fixture_table("q35-default", "WAET"), binary="/nonexistent/iasl")


def fake_iasl(tmp_path, script: str) -> str:
    """A stand-in for iasl, to drive the wrapper's guards that the real one only reaches on rare tables."""
    path = tmp_path / "iasl"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return str(path)


def test_a_hanging_iasl_is_stopped(tmp_path):
    started = time.monotonic()
    result = disassemble(fixture_table("q35-default", "WAET"), binary=fake_iasl(tmp_path, "sleep 30"), timeout=1)
    assert time.monotonic() - started < 10
    assert result.returncode is None
    assert any("did not finish within 1 s" in f.message for f in severities(result, ERROR))


def test_a_runaway_iasl_is_stopped_by_the_output_limit(tmp_path):
    # The real iasl printed 5.7 GB in ten minutes on a FACS with length 20; the file-size limit ends that.
    result = disassemble(fixture_table("q35-default", "WAET"), binary=fake_iasl(tmp_path, "exec yes ACPI"),
                         timeout=60)
    assert result.returncode is not None and result.returncode < 0
    assert any("SIGXFSZ" in f.message for f in severities(result, ERROR))


def test_a_failing_iasl_is_reported(tmp_path):
    result = disassemble(fixture_table("q35-default", "WAET"), binary=fake_iasl(tmp_path, "exit 3"))
    assert [f.message for f in result.problems] == ["iasl exited with status 3", "iasl wrote no disassembly"]
