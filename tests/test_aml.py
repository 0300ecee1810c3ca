"""The AML encoder against known encodings from the spec, against iasl's compiler, and through iasl -d."""
from __future__ import annotations

import os
import subprocess
import tempfile

import pytest

from qboot_tables.aml import encode as aml
from qboot_tables.tools.iasl import disassemble, iasl_available

needs_iasl = pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
HEADER = 36


# --- known encodings (ACPI 6.5 §20.2) ----------------------------------------------------------------------

@pytest.mark.parametrize("body_length, encoded", [
    (0, b"\x01"),
    (0x3E, b"\x3F"),  # the largest one-byte PkgLength: 63 including itself
    (0x3F, b"\x41\x04"),  # 65 = 0x41: low nibble in the lead byte, 0x4 in the next
    (0xFFD, b"\x4F\xFF"),  # 0xFFF: the largest two-byte PkgLength
    (0xFFE, b"\x81\x00\x01"),  # 0x1001 needs a third byte
    (0xFFFFC, b"\x8F\xFF\xFF"),
    (0xFFFFD, b"\xC1\x00\x00\x01"),
])
def test_pkg_length_counts_its_own_bytes(body_length, encoded):
    assert aml.pkg_length(body_length) == encoded


def test_pkg_length_limit():
    with pytest.raises(aml.AmlError):
        aml.pkg_length(aml.MAX_PKG_LENGTH)


@pytest.mark.parametrize("value, encoded", [
    (0, b"\x00"), (1, b"\x01"), (2, b"\x0A\x02"), (0xFF, b"\x0A\xFF"), (0x100, b"\x0B\x00\x01"),
    (0xFFFF, b"\x0B\xFF\xFF"), (0x10000, b"\x0C\x00\x00\x01\x00"), (0xFFFFFFFF, b"\x0C\xFF\xFF\xFF\xFF"),
    (1 << 32, b"\x0E\x00\x00\x00\x00\x01\x00\x00\x00"), (aml.QWORD_MAX, b"\x0E" + b"\xFF" * 8),
])
def test_integer_uses_the_smallest_encoding(value, encoded):
    assert aml.integer(value) == encoded


@pytest.mark.parametrize("bad", [-1, 1 << 64, True, 1.5, "1"])
def test_integer_refuses_what_aml_cannot_hold(bad):
    with pytest.raises(aml.AmlError):
        aml.integer(bad)


@pytest.mark.parametrize("path, encoded", [
    ("_S5", b"_S5_"),
    ("PCI0", b"PCI0"),
    ("\\_SB", b"\\_SB_"),
    ("\\_SB.PCI0", b"\\\x2E_SB_PCI0"),
    ("\\_SB.PCI0.ISA", b"\\\x2F\x03_SB_PCI0ISA_"),
    ("^LNKA", b"^LNKA"),
    ("^^A", b"^^A___"),
    ("\\", b"\\\x00"),
])
def test_name_paths(path, encoded):
    assert aml.name_path(path) == encoded


@pytest.mark.parametrize("bad", ["", "TOOLONG", "1ABC", "a", "\\_SB..X", "AB-C"])
def test_bad_names_are_refused(bad):
    with pytest.raises(aml.AmlError):
        aml.name_path(bad)


@pytest.mark.parametrize("text, value", [
    ("PNP0A03", 0x030AD041), ("PNP0A08", 0x080AD041), ("PNP0501", 0x0105D041), ("PNP0C0F", 0x0F0CD041),
])
def test_eisa_id_compression(text, value):
    # The DWords firmware tables are known to carry for these IDs ("PNP" compresses to 0x41D0).
    assert aml.eisa_id(text) == b"\x0C" + value.to_bytes(4, "little")


def test_strings_buffers_packages():
    assert aml.string("ACPI0007") == b"\x0DACPI0007\x00"
    assert aml.buffer(b"\x01\x02") == b"\x11\x05\x0A\x02\x01\x02"
    assert aml.package(5, 0, "A") == b"\x12\x08\x03\x0A\x05\x00\x0DA\x00"
    with pytest.raises(aml.AmlError):
        aml.string("caf\u00e9")
    with pytest.raises(aml.AmlError):
        aml.package(*range(256))


@pytest.mark.parametrize("descriptor, encoded", [
    # §6.4.2.5 I/O Port Descriptor: tag 0x47, decode, min, max, alignment, length
    (aml.io(0x3F8, 0x3F8, 0, 8), bytes.fromhex("4701f803f8030008")),
    # §6.4.2.1 IRQ Descriptor without flags: tag 0x22, mask
    (aml.irq_no_flags(4), bytes.fromhex("221000")),
    (aml.irq_no_flags(1, 12), bytes.fromhex("220210")),
    # §6.4.3.6 Extended Interrupt: consumer, level, active high, shared, one interrupt
    (aml.interrupt(0x10), bytes.fromhex("890600" "0901" "10000000")),
    (aml.interrupt(9, level=False, shared=False), bytes.fromhex("890600" "0301" "09000000")),
    # §6.4.3.5.3 Word Address Space: bus numbers 0-255, producer, min and max fixed
    (aml.word_bus_number(0, 0xFF), bytes.fromhex("880d00" "020c00" "0000" "0000" "ff00" "0000" "0001")),
    # §6.4.3.4 32-bit Fixed Memory Range: read-only, base, length
    (aml.memory32_fixed(0xFED00000, 0x400, writable=False), bytes.fromhex("860900" "00" "0000d0fe" "00040000")),
])
def test_resource_descriptors(descriptor, encoded):
    assert descriptor == encoded


def test_resource_template_end_tag_checksum():
    template = aml.resource_template(aml.io(0x70, 0x70, 1, 8), aml.irq_no_flags(8))
    assert template[:2] == b"\x11\x10" and template[2:4] == b"\x0A\x0D"  # Buffer(13)
    content = template[4:]
    assert content[-2] == 0x79  # End Tag
    assert sum(content) & 0xFF == 0


@pytest.mark.parametrize("call", [
    lambda: aml.word_io(0x100, 0xFF),  # empty range
    lambda: aml.dword_memory(0, 1 << 32),  # does not fit 32 bits
    lambda: aml.irq_no_flags(16),
    lambda: aml.interrupt(),
    lambda: aml.io(0x10000, 0x10000, 1, 1),
    lambda: aml.processor("C100", 256),
    lambda: aml.method("M", 8),
    lambda: aml.local(8),
    lambda: aml.arg(7),
])
def test_values_out_of_range_are_refused(call):
    with pytest.raises(aml.AmlError):
        call()


# --- against iasl's own compiler ---------------------------------------------------------------------------

def compile_asl(asl_body: str) -> bytes:
    """The AML iasl compiles from `asl_body` inside a definition block, header removed."""
    source = f'DefinitionBlock ("", "SSDT", 2, "BOCHS ", "BXPC    ", 1)\n{{\n{asl_body}\n}}\n'
    with tempfile.TemporaryDirectory(prefix="qboot-asl-") as work:
        with open(os.path.join(work, "t.asl"), "w") as f:
            f.write(source)
        done = subprocess.run(["iasl", "-p", "t", "t.asl"], cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(os.path.join(work, "t.aml"), "rb") as f:
            return f.read()[HEADER:]


@needs_iasl
@pytest.mark.parametrize("asl, ours", [
    ('Name (_S5, Package () {0x05, Zero, Zero, Zero})', lambda: aml.name("_S5", aml.package(5, 0, 0, 0))),
    ('Name (\\_S5, Package () {Zero, Zero, Zero, Zero})', lambda: aml.name("\\_S5", aml.package(0, 0, 0, 0))),
    ('Scope (\\_SB) { Device (FWCF) { Name (_HID, "QEMU0002") Name (_STA, 0x0B) } }',
     lambda: aml.scope("\\_SB", aml.device("FWCF", aml.name("_HID", "QEMU0002"), aml.name("_STA", 0x0B)))),
    ('Scope (\\_SB) { Processor (C000, 0x00, 0x00000000, 0x00) { Name (_UID, Zero) } }',
     lambda: aml.scope("\\_SB", aml.processor("C000", 0, aml.name("_UID", 0)))),
    ('Name (BIGV, 0x0000000100000000) Name (MIDV, 0x12345678) Name (WRDV, 0x1234) Name (ONEV, One)',
     lambda: aml.name("BIGV", 1 << 32) + aml.name("MIDV", 0x12345678) + aml.name("WRDV", 0x1234) + aml.name("ONEV", 1)),
    ('Name (ALLV, Ones)', lambda: aml.name("ALLV", aml.ones())),
    ('Name (_HID, EisaId ("PNP0A08"))', lambda: aml.name("_HID", aml.eisa_id("PNP0A08"))),
    ('Name (_MAT, Buffer () {0x00, 0x08, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00})',
     lambda: aml.name("_MAT", aml.buffer(bytes([0, 8, 1, 1, 1, 0, 0, 0])))),
    ('Method (_SRS, 1, NotSerialized) { }', lambda: aml.method("_SRS", 1)),
    ('Device (GED) { OperationRegion (EREG, SystemMemory, 0xFEA00000, 0x04)\n'
     'Field (EREG, DWordAcc, NoLock, WriteAsZeros) { ESEL, 32 }\n'
     'Method (_EVT, 1, Serialized) { Store (ESEL, Local0)\n'
     'If (LEqual (And (Local0, 0x02), 0x02)) { Notify (PWRB, 0x80) } Else { Return (One) } } }\n'
     'Device (PWRB) { }',
     lambda: aml.device("GED", aml.operation_region("EREG", aml.SYSTEM_MEMORY, 0xFEA00000, 4),
                        aml.field("EREG", [("ESEL", 32)], access=aml.DWORD_ACC, update=aml.WRITE_AS_ZEROS),
                        aml.method("_EVT", 1, aml.store(aml.name_path("ESEL"), aml.local(0)),
                                   aml.if_(aml.lequal(aml.and_(aml.local(0), 2), 2), aml.notify("PWRB", 0x80)),
                                   aml.else_(aml.return_(1)), serialized=True))
     + aml.device("PWRB")),
    ('Method (TEST, 2, NotSerialized) { Store (Arg1, Local7) Or (Arg0, 0x80, Local1) Return (Local1) }',
     lambda: aml.method("TEST", 2, aml.store(aml.arg(1), aml.local(7)), aml.or_(aml.arg(0), 0x80, aml.local(1)),
                        aml.return_(aml.local(1)))),
    ('Name (_PRT, Package () { Package () {0x0003FFFF, 0x02, \\_SB.LNKA, Zero} })\n'
     'Scope (\\_SB) { Device (LNKA) { } }',
     lambda: aml.name("_PRT", aml.package(aml.package(0x3FFFF, 2, aml.name_path("\\_SB.LNKA"), 0)))
     + aml.scope("\\_SB", aml.device("LNKA"))),
])
def test_same_aml_as_iasl_compiles(asl, ours):
    assert ours() == compile_asl(asl)


@needs_iasl
def test_large_package_length_as_iasl_compiles():
    # 700 names make a Scope longer than 0xFFF bytes, whose PkgLength needs two extra bytes.
    asl = "Scope (\\_SB) {" + " ".join(f"Name (N{i:03X}, 0x{i + 0x1000:X})" for i in range(700)) + "}"
    ours = aml.scope("\\_SB", *(aml.name(f"N{i:03X}", i + 0x1000) for i in range(700)))
    assert len(ours) > 0xFFF
    assert ours == compile_asl(asl)


@needs_iasl
@pytest.mark.parametrize("asl, ours", [
    ('WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0x0000, 0x0000, 0x00FF, 0x0000, 0x0100,,,)',
     lambda: aml.word_bus_number(0, 0xFF)),
    ('WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0D00, 0xFFFF, 0x0000, '
     '0xF300,,, , TypeStatic, DenseTranslation)', lambda: aml.word_io(0xD00, 0xFFFF)),
    ('DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0x00000000, 0x000A0000,'
     ' 0x000BFFFF, 0x00000000, 0x00020000,,, , AddressRangeMemory, TypeStatic)',
     lambda: aml.dword_memory(0xA0000, 0xBFFFF, cacheable=True)),
    ('DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, 0x00000000, '
     '0x20000000, 0xFEBFFFFF, 0x00000000, 0xDEC00000,,, , AddressRangeMemory, TypeStatic)',
     lambda: aml.dword_memory(0x20000000, 0xFEBFFFFF)),
    ('QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0x0, '
     '0x100000000, 0x8FFFFFFFF, 0x0, 0x800000000,,, , AddressRangeMemory, TypeStatic)',
     lambda: aml.qword_memory(1 << 32, 0x8FFFFFFFF, cacheable=True)),
    ('IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08, )', lambda: aml.io(0xCF8, 0xCF8, 1, 8)),
    ('IRQNoFlags () {4}', lambda: aml.irq_no_flags(4)),
    ('Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, ) {0x10}', lambda: aml.interrupt(0x10)),
    ('Interrupt (ResourceConsumer, Edge, ActiveLow, Exclusive, ,, ) {0x09, 0x0A}',
     lambda: aml.interrupt(9, 10, level=False, active_low=True, shared=False)),
    ('Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400, )', lambda: aml.memory32_fixed(0xFED00000, 0x400, False)),
])
def test_resource_templates_as_iasl_compiles(asl, ours):
    compiled = compile_asl(f"Name (_CRS, ResourceTemplate () {{ {asl} }})")
    built = aml.name("_CRS", aml.resource_template(ours()))
    # iasl leaves the End Tag checksum 0 ("treated as correct", §6.4.2.9); ours makes the template sum to 0.
    assert built[:-1] == compiled[:-1]
    assert compiled[-1] == 0


# --- through iasl -d ---------------------------------------------------------------------------------------

def wrap_dsdt(body: bytes) -> bytes:
    table = bytearray(b"DSDT" + (HEADER + len(body)).to_bytes(4, "little") + b"\x02\x00BOCHS BXPC    "
                      + (1).to_bytes(4, "little") + b"QBTL" + (1).to_bytes(4, "little") + body)
    table[9] = -sum(table) & 0xFF
    return bytes(table)


@needs_iasl
def test_disassembly_says_what_was_built():
    body = aml.scope("\\_SB",
                     aml.device("LNKE",
                                aml.name("_HID", aml.eisa_id("PNP0C0F")),
                                aml.name("_UID", 4),
                                aml.name("_CRS", aml.resource_template(aml.interrupt(0x14)))),
                     aml.device("C100", aml.name("_HID", "ACPI0007"), aml.name("_UID", 0x100),
                                aml.name("_PXM", 3)),
                     aml.device("PCI0",
                                aml.name("_CRS", aml.resource_template(
                                    aml.word_bus_number(0, 0xFF), aml.word_io(0, 0xCF7),
                                    aml.qword_memory(0x180000000, 0x97FFFFFFF, cacheable=True))),
                                aml.method("_DIS", 0)))
    result = disassemble(wrap_dsdt(body))
    assert result.problems == []
    text = result.text
    for expected in ['Device (LNKE)', 'EisaId ("PNP0C0F")', 'Name (_UID, 0x04)', 'Interrupt (ResourceConsumer, '
                     'Level, ActiveHigh, Shared, ,, )', '0x00000014,', 'Device (C100)', '"ACPI0007"',
                     'Name (_UID, 0x0100)', 'Name (_PXM, 0x03)', 'WordBusNumber (ResourceProducer', '0x00FF,',
                     '0x0CF7,', '0x0000000180000000, // Range Minimum', '0x000000097FFFFFFF, // Range Maximum',
                     '0x0000000800000000, // Length', 'Method (_DIS, 0, NotSerialized)']:
        assert expected in text, expected
