"""The core tables (MADT, SRAT, FADT, FACS): every subtable type and FADT revision of ACPI 6.5, findings that
only call an error what Linux or ACPICA also rejects, iasl run only on the tables it knows, and the hex dump of
a table nobody documents."""
import struct

import construct
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import real_hw
from qboot_tables.cli import iasl_findings
from qboot_tables.errors import build, parse
from qboot_tables.findings import ERROR, INFO, WARNING
from qboot_tables.tools.iasl import IASL_KNOWN, disassemble, iasl_available
from qboot_tables.show.render import document, to_json, to_text
from qboot_tables.schemas.acpi.fadt import fadt
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLE_SIZES, MADT_SUBTABLES, madt
from qboot_tables.schemas.acpi.srat import SRAT_SUBTABLE_SIZES, SRAT_SUBTABLES, srat
from qboot_tables.check.validate import validate_table
from qboot_tables.read.walk import TableSet, parse_table
from vectors import acpi_table

HEADER = 36



def subtable(kind: int, body: bytes) -> bytes:
    return bytes([kind, 2 + len(body)]) + body


def madt_table(*subtables: bytes, revision: int = 5) -> bytes:
    return acpi_table(b"APIC", struct.pack("<II", 0xFEE00000, 1) + b"".join(subtables), revision)


def lapic(uid: int, apic_id: int, flags: int) -> bytes:
    return subtable(0, struct.pack("<BBI", uid, apic_id, flags))


def findings(signature: str, data: bytes):
    return validate_table(parse_table(signature, data))


def kinds(found):
    return sorted((f.severity, f.message) for f in found)


# ---- MADT: every ACPI 6.5 subtable type


def gicc(length: int, uid: int = 1, flags: int = 1, mpidr: int = 0x100) -> bytes:
    # ACPI 6.5 §5.2.12.14, field by field; the tail after MPIDR depends on the spec version.
    body = struct.pack("<HIIIIIQQQQIQQ", 0, 2, uid, flags, 1, 23, 0x80000000, 0x2C000000, 0x2C020000, 0x2C010000,
                       25, 0x2D000000, mpidr)
    body += bytes([3, 0]) + struct.pack("<HH", 21, 22)
    return bytes([0xB, length]) + body[:length - 2]


def test_gicc_of_every_spec_version_decodes_and_is_accepted():
    data = madt_table(gicc(76), gicc(80, uid=2, mpidr=0x200), gicc(82, uid=3, mpidr=0x300))
    table = parse_table("APIC", data)
    v51, v60, v65 = (sub.body for sub in table.parsed.subtables)
    assert (v51.acpi_processor_uid, v51.mpidr, v51.gicr_base_address) == (1, 0x100, 0x2D000000)
    assert v51.processor_power_efficiency_class is None and v51.trbe_interrupt is None and v51.extra == b""
    assert (v60.processor_power_efficiency_class, v60.spe_overflow_interrupt, v60.trbe_interrupt) == (3, 21, None)
    assert (v65.spe_overflow_interrupt, v65.trbe_interrupt) == (21, 22)
    assert validate_table(table) == []
    assert build(madt, table.parsed, "APIC") == data


def test_gicc_length_between_versions_warns_and_duplicate_mpidr_is_an_error():
    found = findings("APIC", madt_table(gicc(78), gicc(82, uid=2)))
    # 78 bytes: longer than ACPI 5.1's 76, so Linux reads it (arch/arm64 BAD_MADT_GICC_ENTRY wants >= 76).
    assert kinds(found) == [(ERROR, "MPIDR 0x100 repeats subtables[0]"),
                            (WARNING, "78 for type 11, expected 76 or 80 or 82")]


def test_every_madt_type_of_acpi_6_5_has_a_schema_and_a_size():
    assert set(MADT_SUBTABLES) == set(range(0x18))
    assert set(MADT_SUBTABLE_SIZES) == set(range(0x18)) - {0x7}  # the Local SAPIC ends in a string


def test_sapic_platform_interrupt_and_loongarch_known_vectors():
    data = madt_table(
        subtable(6, struct.pack("<BBIQ", 4, 0, 24, 0xFEC00000)),
        subtable(7, struct.pack("<BBB3sII", 1, 2, 3, b"\0\0\0", 1, 7) + b"CPU7\0"),
        subtable(8, struct.pack("<HBBBBII", 0xD, 3, 1, 0, 0x20, 30, 1)),
        subtable(0x11, struct.pack("<BIII", 1, 5, 0x15, 1)),
        subtable(0x12, struct.pack("<BQHBBII", 1, 0x1FE01400, 0x80, 2, 3, 0xFFFF, 0xFF0000)),
        subtable(0x15, struct.pack("<BQII", 1, 0x2FF00000, 64, 192)),
        subtable(0x17, struct.pack("<BQHB", 1, 0x10002000, 0x1000, 19)),
        subtable(0x10, struct.pack("<HIQ", 0, 0, 0x7F000000)),
    )
    table = parse_table("APIC", data)
    io, sapic, pis, core, lio, msi, lpc, wake = (sub.body for sub in table.parsed.subtables)
    assert (io.io_apic_id, io.global_system_interrupt_base, io.io_sapic_address) == (4, 24, 0xFEC00000)
    assert (sapic.local_sapic_id, sapic.acpi_processor_uid_value, sapic.acpi_processor_uid_string) == (
        2, 7, b"CPU7\0")
    assert (pis.interrupt_type, pis.global_system_interrupt, pis.platform_interrupt_source_flags) == (3, 30, 1)
    assert (core.acpi_processor_id, core.physical_processor_id) == (5, 0x15)
    assert (lio.base_address, lio.cascade_vector, lio.cascade_vector_mapping) == (
        0x1FE01400, 0x302, 0x00FF0000_0000FFFF)
    assert (msi.message_address, msi.start, msi.count) == (0x2FF00000, 64, 192)
    assert (lpc.size, lpc.cascade_vector) == (0x1000, 19)
    assert (wake.mailbox_address, wake.reset_vector) == (0x7F000000, None)
    assert validate_table(table) == []
    rows = {row["name"]: row for row in document(TableSet("test", acpi=[table]), [])["acpi"][0]["fields"]}
    assert rows["subtables[2].body.interrupt_type"]["meaning"] == "Corrected Platform Error Interrupt"
    assert rows["subtables[2].body.platform_interrupt_source_flags"]["meaning"] == "CPEI_PROCESSOR_OVERRIDE"
    assert rows["subtables[3].type"]["meaning"] == "Core Programmable Interrupt Controller (CORE PIC)"


# ---- MADT: truthful processor findings


def test_placeholder_entries_of_a_real_madt_are_no_finding():
    # d001: 8 enabled CPUs and 8 disabled entries with APIC ID 0 (MADT revision 3), which Linux never uses.
    table = next(t for t in real_hw.machine_tables("d001") if t.signature == "APIC")
    table = parse_table("APIC", table.data)
    disabled = [sub.body for sub in table.parsed.subtables if sub.type == 0 and not sub.body.flags & 1]
    assert len(disabled) == 8 and {body.apic_id for body in disabled} == {0}
    assert validate_table(table) == []


@pytest.mark.parametrize("revision", [3, 5])
def test_placeholders_with_ids_0_and_ff_repeat_freely(revision):
    data = madt_table(lapic(0, 0, 1), lapic(1, 1, 1), lapic(2, 0, 0), lapic(3, 0, 0), lapic(4, 0xFF, 0),
                      lapic(5, 0xFF, 0), lapic(6, 0xFF, 1), revision=revision)
    assert findings("APIC", data) == []


def test_duplicate_enabled_apic_id_is_an_error_and_online_capable_one_a_warning():
    data = madt_table(lapic(0, 0, 1), lapic(1, 0, 1), lapic(2, 2, 1), lapic(3, 2, 2), lapic(2, 4, 1))
    assert kinds(findings("APIC", data)) == [
        (ERROR, "APIC ID 0 repeats subtables[0]"),
        (WARNING, "APIC ID 2 repeats subtables[2]"),
        (WARNING, "processor UID 2 repeats subtables[2]")]


def test_unknown_subtable_types_make_one_info_finding():
    data = madt_table(lapic(0, 0, 1), subtable(0x18, b"\1\2"), subtable(0x80, b"\3"), subtable(0x80, b""))
    table = parse_table("APIC", data)
    assert table.parsed.subtables[1].body == b"\1\2"
    assert kinds(validate_table(table)) == [
        (INFO, "3 subtable(s) of type 0x18 (reserved or OEM), 0x80 (reserved or OEM) not decoded: kept as bytes")]


# ---- SRAT


def test_srat_arm_and_generic_affinity_known_vectors():
    body = struct.pack("<IQ", 1, 0)
    body += subtable(3, struct.pack("<IIII", 1, 7, 1, 0))
    body += subtable(4, struct.pack("<IHI", 1, 0, 3))
    body += subtable(5, struct.pack("<BBI", 0, 1, 2) + struct.pack("<HH", 0, 0x0310) + bytes(12)
                     + struct.pack("<II", 3, 0))
    body += subtable(6, struct.pack("<BBI", 0, 0, 4) + b"ACPI0016" + struct.pack("<I", 1) + bytes(4)
                     + struct.pack("<II", 1, 0))
    table = parse_table("SRAT", acpi_table(b"SRAT", body, revision=3))
    gicc_affinity, its, initiator, port = (sub.body for sub in table.parsed.subtables)
    assert (gicc_affinity.proximity_domain, gicc_affinity.acpi_processor_uid) == (1, 7)
    assert (its.proximity_domain, its.its_id) == (1, 3)
    assert (initiator.device_handle_type, initiator.proximity_domain, initiator.flags) == (1, 2, 3)
    assert port.device_handle[:8] == b"ACPI0016"
    assert validate_table(table) == []
    rows = {row["name"]: row["meaning"] for row in document(TableSet("t", acpi=[table]), [])["acpi"][0]["fields"]}
    assert rows["subtables[2].body.flags"] == "ENABLED, ARCHITECTURAL_TRANSACTIONS"
    assert rows["subtables[2].body.device_handle_type"] == "PCI Device Handle"


def test_srat_processor_affinity_of_another_length_is_one_error():
    body = struct.pack("<IQ", 1, 0) + subtable(0, struct.pack("<BBIB3sI", 0, 1, 1, 0, b"\0\0\0", 0) + b"\0")
    body += subtable(1, struct.pack("<IHQQIIQ", 0, 0, 0, 1 << 30, 0, 1, 0) + b"\0\0")
    found = findings("SRAT", acpi_table(b"SRAT", body, revision=3))
    assert kinds(found) == [(ERROR, "17 for type 0, expected 16: Linux then ignores the whole SRAT"),
                            (WARNING, "42 for type 1, expected 40")]


def test_srat_sizes_match_the_schemas():
    for kind, size in SRAT_SUBTABLE_SIZES.items():
        schema = SRAT_SUBTABLES[kind]
        assert 2 + len(build(schema, zeroes(schema), "SRAT")) == size


# ---- FADT: every revision, the short ones too


def fadt_bytes(length: int, revision: int) -> bytes:
    """An FADT of `length` bytes with the FACS, the DSDT and the registers ACPICA requires (PM1a event and
    control, PM timer: tbfadt.c AcpiTbConvertFadt)."""
    body = bytearray(struct.pack("<II", 0x7FFE0000, 0x7FFE1000) + bytes(length - HEADER - 8))
    struct.pack_into("<I", body, 56 - HEADER, 0x600)  # PM1a event block
    struct.pack_into("<I", body, 64 - HEADER, 0x604)  # PM1a control block
    struct.pack_into("<I", body, 76 - HEADER, 0x608)  # PM timer block
    body[88 - HEADER:92 - HEADER] = bytes([4, 2, 0, 4])  # their lengths
    return acpi_table(b"FACP", bytes(body), revision)


def test_132_byte_revision_2_fadt_decodes_without_a_finding():
    table = parse_table("FACP", fadt_bytes(132, 2))
    p = table.parsed
    assert (p.reset_value, p.arm_boot_arch, p.fadt_minor_version, p.x_dsdt) == (0, 0, 0, None)
    assert p.reset_reg.address == 0 and p.extra == b""
    assert validate_table(table) == []


def test_real_revision_1_fadt_has_no_finding():
    table = next(t for t in real_hw.machine_tables("d017") if t.signature == "FACP")
    table = parse_table("FACP", table.data)
    assert (table.parsed.header.revision, len(table.data), table.parsed.reset_reg) == (1, 116, None)
    assert validate_table(table) == []


@pytest.mark.parametrize("length, revision, warning", [
    (116, 1, None), (132, 2, None), (244, 3, None), (244, 4, None), (268, 5, None), (276, 6, None),
    (129, 2, "129 bytes for revision 2, expected 132"), (276, 5, "276 bytes for revision 5, expected 268"),
    (268, 6, None),  # iasl checks no length from revision 6 on, and ACPICA takes any length
])
def test_fadt_length_warnings_are_iasls(length, revision, warning):
    assert kinds(findings("FACP", fadt_bytes(length, revision))) == ([(WARNING, warning)] if warning else [])


def test_fadt_cut_inside_a_field_keeps_the_bytes_in_extra():
    # 130 bytes: the reset register and value, then one byte of the 2-byte ARM boot flags.
    p = parse_table("FACP", fadt_bytes(130, 2)).parsed
    assert (p.reset_value, p.arm_boot_arch, p.fadt_minor_version, p.extra) == (0, None, None, b"\0")
    assert build(fadt, p, "FACP") == fadt_bytes(130, 2)


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_iasl_agrees_on_the_short_fadt(tmp_path):
    result = disassemble(fadt_bytes(132, 2), "FACP")
    assert "FADT revision" not in result.text and not [p for p in result.problems if p.severity != INFO]
    # iasl's dump stops inside the 2-byte field at 129; ACPICA reads the table, and our check warns of its length.
    assert {p.severity for p in disassemble(fadt_bytes(129, 2), "FACP").problems} == {INFO}


# ---- iasl only on the tables it knows


def test_iasl_known_list_lives_in_the_library():
    assert real_hw.IASL_KNOWN is IASL_KNOWN and {"APIC", "FACP", "FACS", "SRAT"} <= IASL_KNOWN
    assert "FIDT" not in IASL_KNOWN and "DSDT" not in IASL_KNOWN


def test_iasl_is_not_run_on_an_oem_table():
    oem = parse_table("OEMB", acpi_table(b"OEMB", b"\xff" * 10))
    assert [(f.severity, f.table) for f in iasl_findings(TableSet("t", acpi=[oem]), None)] == [(INFO, "OEMB")]


# ---- an undocumented table in text: a hex dump


def test_undocumented_table_is_a_hex_dump_in_text_and_hex_in_json():
    table = parse_table("FIDT", acpi_table(b"FIDT", b"$FID\x04\x78\x00" + bytes(range(0x30, 0x3A)) + b"\xff"))
    doc = document(TableSet("t", acpi=[table]), [])
    text = to_text(doc)
    assert "  [0024  18] body                                 :\n" in text
    assert "      0024  24 46 49 44 04 78 00 30 31 32 33 34 35 36 37 38  $FID.x.012345678\n" in text
    assert "      0034  39 FF" + " " * 44 + "9.\n" in text
    assert '"value": "2446494404780030313233343536373839ff"' in to_json(doc)


def test_text_body_keeps_its_trailing_nuls():
    table = parse_table("OEM1", acpi_table(b"OEM1", b"ABC\0\0"))
    assert "      0024  41 42 43 00 00" in to_text(document(TableSet("t", acpi=[table]), []))


# ---- Hypothesis: build, parse, build gives the same bytes for every new schema


def zeroes(schema):
    """The value of a schema with every field zero and every optional tail field present."""
    while isinstance(schema, construct.Renamed):
        schema = schema.subcon
    if isinstance(schema, construct.Struct):
        return {sc.name: zeroes(sc) for sc in schema.subcons if sc.name}
    if isinstance(schema, construct.IfThenElse):
        return zeroes(schema.thensubcon)
    if isinstance(schema, construct.Select):
        return zeroes(schema.subcons[0])
    if isinstance(schema, construct.Bytes):
        return bytes(schema.length)
    return b"" if isinstance(schema, construct.GreedyBytes.__class__) else 0


def build_values(schema):
    """Values a plain schema builds: integers, Bytes, GreedyBytes, and optional tails that may stop anywhere."""
    while isinstance(schema, construct.Renamed):
        schema = schema.subcon
    if isinstance(schema, construct.Struct):
        return st.fixed_dictionaries({sc.name: build_values(sc) for sc in schema.subcons if sc.name})
    if isinstance(schema, (construct.FormatField, construct.BytesInteger)):
        return st.integers(0, 2 ** (8 * schema.sizeof()) - 1)
    if isinstance(schema, construct.Bytes):
        return st.binary(min_size=schema.length, max_size=schema.length)
    if isinstance(schema, construct.IfThenElse):
        return build_values(schema.thensubcon)
    if isinstance(schema, construct.Select):
        return st.one_of(st.none(), build_values(schema.subcons[0]))
    if isinstance(schema, construct.GreedyBytes.__class__):
        return st.binary(max_size=12)
    raise TypeError(f"no strategy for {schema!r}")


NEW_MADT_TYPES = sorted(set(range(0x18)) - {0, 1, 2, 3, 4, 5, 9, 0xA})
NEW_SRAT_TYPES = [3, 4, 5, 6]
ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def new_subtables(cases, types):
    def one(kind):
        return build_values(cases[kind]).map(lambda body: {"type": kind, "length": 2 + len(cases[kind].build(body)),
                                                           "body": body})
    return st.lists(st.one_of(*[one(kind) for kind in types]), max_size=6)


def assert_round_trip(schema, value, signature):
    first = build(schema, value, signature)
    parsed = parse(schema, first, signature)
    assert build(schema, parsed, signature) == first
    return parsed


@ROUND_TRIP
@given(new_subtables(MADT_SUBTABLES, NEW_MADT_TYPES))
def test_new_madt_subtables_round_trip(entries):
    value = {"header": parse(madt, madt_table(), "APIC").header, "local_apic_address": 0xFEE00000, "flags": 1,
             "subtables": entries, "extra": b""}
    parsed = assert_round_trip(madt, value, "APIC")
    assert [(s.type, s.length) for s in parsed.subtables] == [(e["type"], e["length"]) for e in entries]
    assert parsed.extra == b""


@ROUND_TRIP
@given(new_subtables(SRAT_SUBTABLES, NEW_SRAT_TYPES))
def test_new_srat_subtables_round_trip(entries):
    value = {"header": parse(srat, acpi_table(b"SRAT", bytes(12)), "SRAT").header, "reserved1": 1, "reserved2": 0,
             "subtables": entries, "extra": b""}
    parsed = assert_round_trip(srat, value, "SRAT")
    assert [(s.type, s.length) for s in parsed.subtables] == [(e["type"], e["length"]) for e in entries]


@ROUND_TRIP
@given(st.integers(116, 300), st.integers(0, 255), st.binary(min_size=300, max_size=300))
def test_fadt_of_any_length_round_trips(length, revision, filler):
    data = acpi_table(b"FACP", filler[:length - HEADER], revision)
    parsed = parse(fadt, data, "FACP")
    assert build(fadt, parsed, "FACP") == data
    present = [name for name in ("reset_reg", "x_dsdt", "sleep_status_reg", "hypervisor_vendor_identity")
               if parsed[name] is not None]
    assert present == ["reset_reg", "x_dsdt", "sleep_status_reg", "hypervisor_vendor_identity"][:len(present)]


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_iasl_on_an_acpi_5_1_gicc_and_on_clashing_ssdts_is_info():
    # iasl 20200925 lays the GICC out as ACPI 6.3's 80 bytes and notes that a 76-byte one "terminates early".
    assert {p.severity for p in disassemble(madt_table(gicc(76)), "APIC").problems} <= {INFO}
    # Two other SSDTs define the same name (firmware ships alternatives): iasl refuses them together as -e
    # helpers, so the table is disassembled alone.
    name = b"\x08ABCD\x00"  # Name (ABCD, Zero)
    ssdts = [acpi_table(b"SSDT", b"\x08EFGH\x00", revision=2), acpi_table(b"SSDT", name, revision=2),
             acpi_table(b"SSDT", name + b"\x08IJKL\x00", revision=2)]
    result = disassemble(ssdts[0], "SSDT", extra_tables=ssdts)
    assert result.text and {p.severity for p in result.problems} == {INFO}


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_iasl_on_a_real_facs_is_clean():
    # iasl checks a standard header's OEM fields even in the FACS, which has none (d000's FACS).
    facs = next(t for t in real_hw.machine_tables("d000") if t.signature == "FACS")
    assert {p.severity for p in disassemble(facs.data, "FACS").problems} <= {INFO}
