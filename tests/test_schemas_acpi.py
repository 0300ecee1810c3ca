"""ACPI schemas: known vectors from the spec layouts, byte-exact round trips, and QEMU 7.2's own tables."""
import glob
import os
import shutil
import struct

import construct
import pytest
from construct import (
    Array, Bytes, BytesInteger, FixedSized, FormatField, GreedyBytes, GreedyRange, Int8ul, Int16ul, Optional, Renamed,
    Struct)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qboot_tables.errors import ParseError, build, parse
from qboot_tables.schemas.acpi.generic import generic_table
from qboot_tables.schemas.acpi.rsdp import rsdp
from qboot_tables.tables import DESCRIPTORS
from qboot_tables.schemas.acpi.aml import aml_table
from qboot_tables.schemas.acpi.facs import facs
from qboot_tables.schemas.acpi.fadt import fadt
from qboot_tables.schemas.acpi.hpet import (
    HPET_EVENT_TIMER_BLOCK_ID_FIELDS, HPET_PAGE_PROTECTION_FIELDS, HPET_SIZE, hpet)
from qboot_tables.schemas.acpi.madt import (
    MADT_FLAGS, MADT_LAPIC_FLAGS, MADT_SUBTABLE_SIZES, MADT_SUBTABLES, MADT_TYPES, MPS_INTI_FLAG_FIELDS, madt)
from qboot_tables.schemas.acpi.mcfg import MCFG_ALLOCATION_SIZE, mcfg, mcfg_allocation
from qboot_tables.schemas.acpi.sdt import rsdt, xsdt
from qboot_tables.schemas.acpi.slit import slit
from qboot_tables.schemas.acpi.srat import SRAT_MEMORY_FLAGS, SRAT_SUBTABLE_SIZES, SRAT_SUBTABLES, SRAT_TYPES, srat
from qboot_tables.schemas.acpi.waet import WAET_FLAGS, waet

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE_BLOBS = sorted(glob.glob(os.path.join(REPO, "fixtures", "qemu-7.2", "*", "etc", "acpi", "tables")))
HEADER = 36

# Shortest input each schema accepts: the header plus its fixed fields (FACS has no header, only 64 bytes).
SCHEMAS = {signature: d.schema for signature, d in DESCRIPTORS.items()}
MINIMUM_SIZES = {"APIC": 44, "FACP": 116, "RSDT": 36, "XSDT": 36, "HPET": 56, "MCFG": 44, "SRAT": 48,
                 "SLIT": 44, "WAET": 40, "DSDT": 36, "SSDT": 36, "FACS": 64}


def header_bytes(signature: bytes, total_length: int, revision: int = 1, checksum: int = 0) -> bytes:
    # ACPI 6.5 §5.2.6, laid out by hand rather than with the schema under test; QEMU's OEM fields.
    return (signature + struct.pack("<IBB", total_length, revision, checksum) + b"BOCHS " + b"BXPC    "
            + struct.pack("<I", 1) + b"BXPC" + struct.pack("<I", 1))


def table_bytes(signature: bytes, body: bytes, **header) -> bytes:
    return header_bytes(signature, HEADER + len(body), **header) + body


def round_trip(schema, data: bytes):
    """Parse `data`, check that building the result gives `data` back byte for byte, and return the parse."""
    parsed = parse(schema, data, "test table")
    assert build(schema, parsed, "test table") == data
    return parsed


def bit_field(value: int, first: int, count: int) -> int:
    return (value >> first) & ((1 << count) - 1)


# ---- construct 2.10 behaviours the schemas rely on


def test_greedy_range_stops_at_a_failing_element_and_rewinds():
    # A partial element is not consumed: the rest goes to the next field.
    schema = Struct("entries" / GreedyRange(Int16ul), "rest" / GreedyBytes)
    parsed = schema.parse(b"\x01\x00\x02\x00\x03")
    assert parsed.entries == [1, 2] and parsed.rest == b"\x03"


def test_greedy_range_stops_at_a_negative_fixed_size():
    # FixedSized raises PaddingError for a negative size; GreedyRange treats it as the end of the list.
    with pytest.raises(construct.PaddingError):
        FixedSized(-2, GreedyBytes).parse(b"abc")
    schema = Struct("entries" / GreedyRange(Struct("n" / Int8ul, "b" / FixedSized(construct.this.n - 1, GreedyBytes))),
                    "rest" / GreedyBytes)
    parsed = schema.parse(b"\x02A\x00\x05")
    assert [i.b for i in parsed.entries] == [b"A"] and parsed.rest == b"\x00\x05"


def test_fixed_sized_pads_on_build_and_refuses_overflow():
    assert FixedSized(4, GreedyBytes).build(b"ab") == b"ab\x00\x00"
    with pytest.raises(construct.PaddingError):
        FixedSized(1, GreedyBytes).build(b"ab")
    # Parsing gives the inner construct only its own bytes.
    assert FixedSized(2, GreedyBytes).parse(b"abcd") == b"ab"


def test_optional_gives_none_rewinds_and_builds_nothing():
    schema = Struct("a" / Optional(Int16ul), "rest" / GreedyBytes)
    assert schema.parse(b"\x07") == {"a": None, "rest": b"\x07"}
    assert schema.build({"a": None, "rest": b"\x07"}) == b"\x07"
    # The trap slit.py documents: a value the inner construct cannot build is dropped, not refused.
    assert Optional(Array(3, Int8ul)).build([1, 2]) == b""


# ---- MADT


def test_madt_known_vector_as_qemu_builds_it():
    body = struct.pack("<II", 0xFEE00000, 1)
    body += bytes([0, 8, 0, 0]) + struct.pack("<I", 1)  # CPU 0, APIC ID 0, enabled
    body += bytes([0, 8, 1, 5]) + struct.pack("<I", 1)  # CPU 1, APIC ID 5, enabled
    body += bytes([0, 8, 2, 6]) + struct.pack("<I", 0)  # CPU 2, APIC ID 6, hot-pluggable
    body += bytes([1, 12, 0, 0]) + struct.pack("<II", 0xFEC00000, 0)
    body += bytes([2, 10, 0, 0]) + struct.pack("<IH", 2, 0)  # IRQ0 -> GSI 2
    body += bytes([2, 10, 0, 9]) + struct.pack("<IH", 9, 0xD)  # IRQ9, active high, level
    body += bytes([4, 6, 0xFF]) + struct.pack("<H", 0) + bytes([1])  # NMI on LINT1 of every CPU
    parsed = round_trip(madt, table_bytes(b"APIC", body))

    assert parsed.local_apic_address == 0xFEE00000
    assert MADT_FLAGS[0] == "PCAT_COMPAT" and parsed.flags == 1
    assert [MADT_TYPES[s.type] for s in parsed.subtables] == [
        "Processor Local APIC"] * 3 + ["I/O APIC"] + ["Interrupt Source Override"] * 2 + ["Local APIC NMI"]
    cpu1 = parsed.subtables[1].body
    assert (cpu1.acpi_processor_uid, cpu1.apic_id, cpu1.flags) == (1, 5, 1)
    assert MADT_LAPIC_FLAGS[0] == "ENABLED"
    assert parsed.subtables[2].body.flags == 0
    assert parsed.subtables[3].body.io_apic_address == 0xFEC00000
    irq9 = parsed.subtables[5].body
    assert (irq9.bus, irq9.source, irq9.global_system_interrupt) == (0, 9, 9)
    polarity, trigger = (bit_field(irq9.flags, first, count) for first, count, _ in MPS_INTI_FLAG_FIELDS.values())
    assert MPS_INTI_FLAG_FIELDS["polarity"][2][polarity] == "Active high"
    assert MPS_INTI_FLAG_FIELDS["trigger_mode"][2][trigger] == "Level-triggered"
    nmi = parsed.subtables[6].body
    assert (nmi.acpi_processor_uid, nmi.local_apic_lint) == (0xFF, 1)
    assert parsed.extra == b""


def test_madt_x2apic_entries_long_subtable_unknown_type_and_trailing_bytes():
    body = struct.pack("<II", 0xFEE00000, 0)
    body += bytes([9, 16]) + struct.pack("<HIII", 0, 0x100, 1, 7)  # x2APIC ID 256, CPU 7
    body += bytes([0xA, 12]) + struct.pack("<HIB", 0, 0xFFFFFFFF, 1) + b"\0\0\0"
    body += bytes([5, 12]) + struct.pack("<HQ", 0, 0xFEE00000)
    body += bytes([3, 8]) + struct.pack("<HI", 0x5, 16)
    body += bytes([0, 10, 3, 4]) + struct.pack("<I", 1) + b"\xAA\xBB"  # 2 bytes past the spec's 8
    body += bytes([0x80, 4, 1, 2])  # OEM type: kept raw
    body += b"\x09"  # too short for a subtable
    parsed = round_trip(madt, table_bytes(b"APIC", body))

    x2apic, x2nmi, override, nmi_source, long_lapic, oem = parsed.subtables
    assert (x2apic.body.x2apic_id, x2apic.body.acpi_processor_uid, x2apic.body.flags) == (0x100, 7, 1)
    assert (x2nmi.body.acpi_processor_uid, x2nmi.body.local_x2apic_lint, x2nmi.body.reserved) == (
        0xFFFFFFFF, 1, b"\0\0\0")
    assert override.body.local_apic_address == 0xFEE00000
    assert (nmi_source.body.flags, nmi_source.body.global_system_interrupt) == (5, 16)
    assert long_lapic.body.apic_id == 4 and long_lapic.body.extra == b"\xAA\xBB"
    assert oem.type == 0x80 and oem.body == b"\x01\x02"
    assert parsed.extra == b"\x09"


@pytest.mark.parametrize("broken", [
    bytes([0, 0, 0, 0, 0, 0, 0, 0]),  # zero length: must not loop forever
    bytes([9, 1, 0, 0]),  # length shorter than the type and length bytes
    bytes([0, 4, 1, 2]),  # a known type shorter than its spec size
    bytes([1, 200, 0, 0, 0, 0]),  # a length past the end of the table
])
def test_madt_broken_subtable_ends_the_list_and_keeps_the_rest(broken):
    good = bytes([0, 8, 0, 0]) + struct.pack("<I", 1)
    after = bytes([0, 8, 1, 1]) + struct.pack("<I", 1)
    parsed = round_trip(madt, table_bytes(b"APIC", struct.pack("<II", 0xFEE00000, 1) + good + broken + after))
    assert len(parsed.subtables) == 1
    assert parsed.extra == broken + after


def test_madt_too_short_is_a_parse_error():
    with pytest.raises(ParseError):
        parse(madt, table_bytes(b"APIC", b"\0\0\0\0"), "APIC")


def test_madt_subtable_sizes_match_the_schemas():
    # A tuple lists the lengths of successive spec versions; the schema with every field present is the last.
    for subtable_type, size in MADT_SUBTABLE_SIZES.items():
        longest = max(size) if isinstance(size, tuple) else size
        assert 2 + len(MADT_SUBTABLES[subtable_type].build(_zeroes(MADT_SUBTABLES[subtable_type]))) == longest


# ---- HPET, MCFG, WAET


def test_hpet_known_vector():
    body = struct.pack("<I", 0x8086A201) + bytes([0, 64, 0, 0]) + struct.pack("<Q", 0xFED00000)
    body += struct.pack("<BHB", 0, 0x80, 0x11)
    parsed = round_trip(hpet, table_bytes(b"HPET", body))
    assert len(table_bytes(b"HPET", body)) == HPET_SIZE
    assert parsed.base_address.address == 0xFED00000 and parsed.base_address.bit_width == 64
    assert (parsed.hpet_number, parsed.minimum_tick) == (0, 0x80)
    block_id = {name: bit_field(parsed.event_timer_block_id, first, count)
                for name, (first, count, _) in HPET_EVENT_TIMER_BLOCK_ID_FIELDS.items()}
    assert block_id["pci_vendor_id"] == 0x8086
    assert block_id["last_comparator"] == 2  # QEMU has 3 timers, numbered 0-2
    assert block_id["legacy_replacement_irq_routing_capable"] == 1
    assert block_id["hardware_rev_id"] == 1
    first, count, meanings = HPET_PAGE_PROTECTION_FIELDS["page_protection"]
    assert meanings[bit_field(parsed.page_protection, first, count)] == "4 KB page protected"
    assert parsed.extra == b""


def test_mcfg_known_vector_with_a_partial_allocation():
    allocation = struct.pack("<QHBBI", 0xB0000000, 0, 0, 255, 0)
    parsed = round_trip(mcfg, table_bytes(b"MCFG", bytes(8) + allocation + b"\x01\x02\x03\x04\x05"))
    assert len(parsed.allocations) == 1
    assert (parsed.allocations[0].base_address, parsed.allocations[0].end_bus) == (0xB0000000, 255)
    assert parsed.extra == b"\x01\x02\x03\x04\x05"
    assert len(mcfg_allocation.build(parsed.allocations[0])) == MCFG_ALLOCATION_SIZE


def test_waet_known_vector():
    parsed = round_trip(waet, table_bytes(b"WAET", struct.pack("<I", 2)))
    assert parsed.emulated_device_flags == 2
    assert [WAET_FLAGS[bit] for bit in range(32) if parsed.emulated_device_flags >> bit & 1] == ["ACPI_PM_TIMER_GOOD"]


# ---- SRAT, SLIT


def test_srat_known_vector():
    body = struct.pack("<IQ", 1, 0)
    body += bytes([0, 16, 0x01, 3]) + struct.pack("<IB", 1, 0) + b"\x02\x00\x00" + struct.pack("<I", 0)
    body += bytes([1, 40]) + struct.pack("<IHQQIIQ", 1, 0, 0x100000000, 0x40000000, 0, 0b011, 0)
    body += bytes([2, 24]) + struct.pack("<HIIIII", 0, 2, 0x1000, 1, 0, 0)
    body += bytes([5, 32]) + bytes(range(30))  # Generic Initiator Affinity
    parsed = round_trip(srat, table_bytes(b"SRAT", body, revision=1))
    assert parsed.reserved1 == 1
    cpu, memory, x2apic, generic = parsed.subtables
    assert (cpu.body.apic_id, cpu.body.flags) == (3, 1)
    assert cpu.body.proximity_domain_hi << 8 | cpu.body.proximity_domain_lo == 0x201
    assert (memory.body.proximity_domain, memory.body.base_address, memory.body.length) == (
        1, 0x100000000, 0x40000000)
    assert [SRAT_MEMORY_FLAGS[bit] for bit in range(3) if memory.body.flags >> bit & 1] == ["ENABLED", "HOT_PLUGGABLE"]
    assert (x2apic.body.proximity_domain, x2apic.body.x2apic_id) == (2, 0x1000)
    assert SRAT_TYPES[generic.type] == "Generic Initiator Affinity"
    assert (generic.body.device_handle_type, generic.body.proximity_domain) == (1, 0x05040302)
    assert generic.body.device_handle == bytes(range(6, 22))
    for subtable_type, size in SRAT_SUBTABLE_SIZES.items():
        assert 2 + len(SRAT_SUBTABLES[subtable_type].build(_zeroes(SRAT_SUBTABLES[subtable_type]))) == size


def test_srat_zero_length_subtable_stops_the_list():
    body = struct.pack("<IQ", 1, 0) + bytes([1, 0]) + bytes(38)
    parsed = round_trip(srat, table_bytes(b"SRAT", body))
    assert parsed.subtables == [] and parsed.extra == bytes([1, 0]) + bytes(38)


def test_slit_known_vector():
    parsed = round_trip(slit, table_bytes(b"SLIT", struct.pack("<Q", 2) + bytes([10, 20, 21, 10])))
    assert parsed.locality_count == 2
    assert parsed.matrix == [[10, 20], [21, 10]]  # row = from, column = to
    assert parsed.extra == b""


@pytest.mark.parametrize("count, matrix_bytes", [(3, bytes(4)), (2**64 - 1, bytes(16)), (0, b"\x05")])
def test_slit_count_that_does_not_fit_keeps_the_bytes(count, matrix_bytes):
    parsed = round_trip(slit, table_bytes(b"SLIT", struct.pack("<Q", count) + matrix_bytes))
    if count == 0:
        assert parsed.matrix == [] and parsed.extra == matrix_bytes
    else:
        assert parsed.matrix is None and parsed.extra == matrix_bytes


# ---- DSDT/SSDT, other signatures, the registry


def test_aml_tables_keep_their_byte_code():
    aml = b"\x10\x0b\\_SB_\x5b\x82\x05PCI0"
    for signature in (b"DSDT", b"SSDT"):
        parsed = round_trip(SCHEMAS[signature.decode()], table_bytes(signature, aml, revision=2))
        assert parsed.header.signature == signature and parsed.aml == aml


def test_generic_table_keeps_any_body():
    parsed = round_trip(generic_table, table_bytes(b"BGRT", b"\x01\x00\x00\x00odd body"))
    assert parsed.header.signature == b"BGRT" and parsed.body == b"\x01\x00\x00\x00odd body"


def test_registry_maps_every_signature_the_brief_names():
    assert {signature: d.schema for signature, d in DESCRIPTORS.items() if signature in MINIMUM_SIZES} == {
        "APIC": madt, "FACP": fadt, "RSDT": rsdt, "XSDT": xsdt, "HPET": hpet, "MCFG": mcfg, "SRAT": srat,
        "SLIT": slit, "WAET": waet, "DSDT": aml_table, "SSDT": aml_table, "FACS": facs}
    # The descriptors' minimum lengths agree with the sizes laid out by hand above.
    assert {signature: DESCRIPTORS[signature].min_length for signature in MINIMUM_SIZES} == MINIMUM_SIZES
    assert isinstance(rsdp, construct.Construct)


@pytest.mark.parametrize("signature", sorted(MINIMUM_SIZES))
def test_one_byte_short_of_the_fixed_fields_is_a_parse_error(signature):
    size = MINIMUM_SIZES[signature] - 1
    data = (header_bytes(signature.encode(), size) + bytes(size))[:size]
    with pytest.raises(ParseError):
        parse(SCHEMAS[signature], data, signature)


# ---- Hypothesis round trips

ROUND_TRIP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def values_of(schema):
    """A Hypothesis strategy for values that a plain schema (Struct of integers, Bytes, GreedyBytes) builds."""
    while isinstance(schema, Renamed):
        schema = schema.subcon
    if isinstance(schema, Struct):
        return st.fixed_dictionaries({sc.name: values_of(sc) for sc in schema.subcons if sc.name})
    if isinstance(schema, (FormatField, BytesInteger)):
        return st.integers(0, 2 ** (8 * schema.sizeof()) - 1)
    if isinstance(schema, Bytes):
        return st.binary(min_size=schema.length, max_size=schema.length)
    if isinstance(schema, construct.GreedyBytes.__class__):
        return st.binary(max_size=24)
    if isinstance(schema, GreedyRange):
        return st.lists(values_of(schema.subcon), max_size=5)
    if isinstance(schema, construct.IfThenElse):  # optional_tail: present only after a present field
        return values_of(schema.thensubcon)
    if isinstance(schema, construct.Select):  # Optional(x): a later revision's field, there or not
        return st.one_of(st.none(), values_of(schema.subcons[0]))
    raise TypeError(f"no strategy for {schema!r}")


def _zeroes(schema):
    while isinstance(schema, Renamed):
        schema = schema.subcon
    if isinstance(schema, Struct):
        return {sc.name: _zeroes(sc) for sc in schema.subcons if sc.name}
    if isinstance(schema, Bytes):
        return bytes(schema.length)
    if isinstance(schema, construct.IfThenElse):
        return _zeroes(schema.thensubcon)
    if isinstance(schema, construct.Select):  # an optional tail field: present, as in the longest revision
        return _zeroes(schema.subcons[0])
    return b"" if isinstance(schema, construct.GreedyBytes.__class__) else 0


headers = st.fixed_dictionaries({
    "signature": st.binary(min_size=4, max_size=4), "length": st.integers(0, 2**32 - 1),
    "revision": st.integers(0, 255), "checksum": st.integers(0, 255), "oem_id": st.binary(min_size=6, max_size=6),
    "oem_table_id": st.binary(min_size=8, max_size=8), "oem_revision": st.integers(0, 2**32 - 1),
    "creator_id": st.binary(min_size=4, max_size=4), "creator_revision": st.integers(0, 2**32 - 1)})


def subtables(cases: dict):
    """Type-length subtables: known types with field values (and extra bytes), other types with raw bodies."""
    def known(subtable_type):
        return values_of(cases[subtable_type]).map(
            lambda body: {"type": subtable_type, "length": 2 + len(cases[subtable_type].build(body)), "body": body})
    unknown = st.builds(lambda t, body: {"type": t, "length": 2 + len(body), "body": body},
                        st.integers(0, 255).filter(lambda t: t not in cases), st.binary(max_size=40))
    return st.one_of(unknown, *[known(t) for t in cases]).filter(lambda s: s["length"] <= 255)


def assert_build_parse_build(schema, value):
    first = build(schema, value, "generated")
    parsed = parse(schema, first, "generated")
    assert build(schema, parsed, "generated") == first
    return parsed


@ROUND_TRIP
@given(headers, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.lists(subtables(MADT_SUBTABLES), max_size=8),
       st.binary(max_size=8))
def test_madt_round_trip(header, address, flags, entries, extra):
    parsed = assert_build_parse_build(madt, {"header": header, "local_apic_address": address, "flags": flags,
                                             "subtables": entries, "extra": extra})
    assert [(s.type, s.length) for s in parsed.subtables[:len(entries)]] == [(s["type"], s["length"]) for s in entries]


@ROUND_TRIP
@given(headers, st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1), st.lists(subtables(SRAT_SUBTABLES), max_size=8),
       st.binary(max_size=8))
def test_srat_round_trip(header, reserved1, reserved2, entries, extra):
    parsed = assert_build_parse_build(srat, {"header": header, "reserved1": reserved1, "reserved2": reserved2,
                                             "subtables": entries, "extra": extra})
    assert [(s.type, s.length) for s in parsed.subtables[:len(entries)]] == [(s["type"], s["length"]) for s in entries]


@ROUND_TRIP
@given(headers, st.integers(0, 6).flatmap(
    lambda n: st.lists(st.lists(st.integers(0, 255), min_size=n, max_size=n), min_size=n, max_size=n)))
def test_slit_round_trip(header, matrix):
    parsed = assert_build_parse_build(slit, {"header": header, "locality_count": len(matrix), "matrix": matrix,
                                             "extra": b""})
    assert parsed.matrix == matrix


PLAIN_TABLES = {"HPET": hpet, "MCFG": mcfg, "WAET": waet, "DSDT": aml_table, "generic": generic_table}


@pytest.mark.parametrize("name", sorted(PLAIN_TABLES))
@ROUND_TRIP
@given(data=st.data())
def test_plain_tables_round_trip(name, data):
    value = data.draw(values_of(PLAIN_TABLES[name]))
    parsed = assert_build_parse_build(PLAIN_TABLES[name], value)
    assert parsed.header == value["header"]


@pytest.mark.parametrize("signature", sorted(MINIMUM_SIZES))
@ROUND_TRIP
@given(data=st.data())
def test_arbitrary_bytes_of_a_valid_length_round_trip(signature, data):
    body = data.draw(st.binary(min_size=MINIMUM_SIZES[signature] - 8, max_size=300))
    # Keep the signature and a true length, as a table found by walking headers would have.
    table = signature.encode() + struct.pack("<I", 8 + len(body)) + body
    round_trip(SCHEMAS[signature], table)


@ROUND_TRIP
@given(st.binary(min_size=36, max_size=300))
def test_arbitrary_bytes_round_trip_as_a_generic_table(data):
    round_trip(generic_table, data)


# ---- QEMU 7.2's own tables


def tables_in_blob(blob: bytes):
    """Yield (offset, signature, bytes) for each table in an unlinked etc/acpi/tables blob.

    QEMU (hw/i386/acpi-build.c) appends each table right where the previous one ended, FACS first; FACS has
    no standard header but keeps its length at +4 like every other table. The blob ends in zero padding.
    """
    offset = 0
    while offset < len(blob):
        offset = len(blob) - len(blob[offset:].lstrip(b"\0"))
        if offset >= len(blob):
            return
        assert offset + 8 <= len(blob), f"a table header is cut off at {offset:#x}"
        signature = blob[offset:offset + 4].decode("ascii")
        (length,) = struct.unpack_from("<I", blob, offset + 4)
        assert 8 <= length <= len(blob) - offset, f"{signature} at {offset:#x} has impossible length {length}"
        yield offset, signature, blob[offset:offset + length]
        offset += length


def test_qemu_fixtures_exist():
    if not FIXTURE_BLOBS:
        pytest.skip("no fixtures/qemu-7.2/*/etc/acpi/tables captured yet")
    assert all(os.path.getsize(path) > 0 for path in FIXTURE_BLOBS)


@pytest.mark.parametrize("blob_path", FIXTURE_BLOBS, ids=lambda p: os.path.relpath(p, REPO).split(os.sep)[2])
def test_every_qemu_table_round_trips(blob_path):
    with open(blob_path, "rb") as f:
        blob = f.read()
    found = {}
    for offset, signature, data in tables_in_blob(blob):
        schema = (DESCRIPTORS[signature].schema if signature in DESCRIPTORS else generic_table)
        parsed = parse(schema, data, f"{signature} at {offset:#x}")
        assert build(schema, parsed, signature) == data, f"{signature} at {offset:#x} does not round-trip"
        # Every byte of QEMU's tables belongs to a known field or subtable.
        assert parsed.get("extra", b"") == b"", f"{signature} at {offset:#x} has unparsed bytes"
        found[signature] = parsed
    # microvm is hardware-reduced: no FACS, and an XSDT instead of the RSDT.
    assert {"DSDT", "FACP", "APIC"} <= set(found) and {"RSDT", "XSDT"} & set(found)
    if "FACS" in found:
        assert found["FACS"].length == 64
    apic = found["APIC"]
    assert apic.local_apic_address == 0xFEE00000 and apic.flags == 1
    assert any(s.type == 1 and s.body.io_apic_address == 0xFEC00000 for s in apic.subtables)
    if "HPET" in found:
        assert found["HPET"].header.length == HPET_SIZE
        assert found["HPET"].base_address.address == 0xFED00000
    if "WAET" in found:
        assert found["WAET"].emulated_device_flags == 2
    if "MCFG" in found:
        assert found["MCFG"].allocations[0].base_address == 0xB0000000
    if "SLIT" in found:
        assert found["SLIT"].matrix is not None


# ---- iasl as an outside oracle: every field sits at the offset, and holds the value, that iasl -d reports

def qemu_tables_by_content() -> dict:
    """Every distinct non-AML table in the fixtures, as {bytes: signature}."""
    tables = {}
    for path in FIXTURE_BLOBS:
        with open(path, "rb") as f:
            for _, signature, data in tables_in_blob(f.read()):
                if signature in DESCRIPTORS and signature not in ("DSDT", "SSDT"):
                    tables.setdefault(data, signature)
    return tables


@pytest.mark.skipif(shutil.which("iasl") is None, reason="iasl is not installed")
def test_fields_agree_with_iasl_on_every_qemu_table():
    """Every field iasl prints of every distinct QEMU table is one of our rows: offset, size and value
    (tests/real_hw.py's comparison, the same as for the real machines)."""
    import real_hw

    tables = {f"{signature}{i}": (signature, data)
              for i, (data, signature) in enumerate(qemu_tables_by_content().items())}
    if not tables:
        pytest.skip("no fixtures/qemu-7.2/*/etc/acpi/tables captured yet")
    fields = real_hw.iasl_fields({name: data for name, (_, data) in tables.items()})
    checked = 0
    for name, (signature, data) in tables.items():
        agree, differ = real_hw.compare(signature, data, fields[name])
        assert differ == [], f"{name}: {differ[:5]}"
        checked += agree
    assert checked > 100


def test_readme_lists_every_table_decoded():
    with open(os.path.join(REPO, "README.md")) as f:
        listed = f.read().split("**Tables decoded**", 1)[1].split("\n\n", 1)[0]
    assert [s for s in DESCRIPTORS if s not in listed.replace("\n", " ")] == []


def test_registry_holds_every_table_module_under_its_signatures():
    from qboot_tables.tables import TABLE_MODULES

    assert all(DESCRIPTORS[signature].signature == signature for signature in TABLE_MODULES)
    folder = os.path.join(REPO, "qboot_tables", "tables")
    modules = {name[:-3] for name in os.listdir(folder) if name.endswith(".py")}
    assert modules - set(TABLE_MODULES.values()) == {"__init__", "descriptor", "generic", "rsdp"}
