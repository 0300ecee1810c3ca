"""dsl_namespace reads back what `iasl -d` declares: on ASL written by hand, and on every corpus DSDT/SSDT.

The hand-written ASL goes through compile_asl and disassemble and must give the namespace listed here; the corpus
(tests/aml_oracle.py) must read without error."""
import re

import pytest

from qboot_tables.tools.iasl import AslSyntaxError, compile_asl, disassemble, dsl_namespace, iasl_available
from vectors import acpi_table

import aml_oracle

needs_iasl = pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")

# Every kind of declaration, in the places where ACPI lets it be: at the root, in a Scope, a Device, the
# Processor/PowerResource/ThermalZone blocks, module-level If/ElseIf/Else/While; names written with ^ and \,
# Scope() of an External and of a name found by the search rules, and objects inside a method, which do not count.
# (iasl refuses a name declared twice, even in two branches of an If; test_comments_strings_and_paths has one.)
NAMESPACE_ASL = r"""
DefinitionBlock ("", "SSDT", 2, "QBOOT", "NAMESPC", 1)
{
    External (\_SB.EXT0, DeviceObj)

    Name (_S5, Package () { 5, 5, 0, 0 })
    Name (STR1, "a { brace ( and \" quote")
    OperationRegion (GNVS, SystemMemory, 0x1000, 0x100)
    Field (GNVS, AnyAcc, Lock, Preserve)
    {
        OSYS, 16,
        , 4,
        Offset (0x10),
        AccessAs (ByteAcc, 0),
        FLG1, 1,
        FLG2, 3,
    }
    IndexField (OSYS, FLG1, ByteAcc, NoLock, Preserve) { IDX0, 8, IDX1, 8 }
    BankField (GNVS, FLG2, 0x01, ByteAcc, NoLock, Preserve) { BNK0, 8 }
    OperationRegion (GPRG, GeneralPurposeIo, Zero, One)
    Field (GPRG, ByteAcc, NoLock, Preserve)
    {
        Connection (GpioIo (Exclusive, PullUp, 0, 0, IoRestrictionNone, "\\_SB.GPO0", 0, ResourceConsumer, , ) {2}),
        GPI0, 1,
    }
    DataTableRegion (DTRG, "FACP", "", "")
    Mutex (MTX0, 0)
    Event (EVT0)
    Name (BUF0, Buffer (16) {})
    CreateBitField (BUF0, 1, CBIT)
    CreateByteField (BUF0, 1, CBYT)
    CreateWordField (BUF0, 2, CWRD)
    CreateDWordField (BUF0, 4, CDWD)
    CreateQWordField (BUF0, 8, CQWD)
    CreateField (BUF0, 3, 5, CFLD)
    Alias (STR1, ALS1)
    Method (MAIN, 2, Serialized)
    {
        Name (LOCL, 1)
        Device (LDEV) {}
        If (Arg0) { Return ("}") }
        LOCL = Arg1 + 1
        Return (LOCL)
    }

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100,,, _Y00)
            })
            Device (LPCB)
            {
                Name (_ADR, 0x001F0000)
                OperationRegion (LPCR, PCI_Config, 0x40, 0x10)
                Field (LPCR, ByteAcc, NoLock, Preserve) { PIRA, 8 }
                Name (^PSTA, 1)
                Name (\ROOT, 2)
            }
        }
        Processor (CPU0, 0, 0x410, 6) { Name (PCTX, 1) }
        PowerResource (PWR0, 0, 0)
        {
            Method (_STA) { Return (1) }
            Method (_ON) {}
            Method (_OFF) {}
        }
        ThermalZone (TZ0) { Method (_TMP) { Return (3000) } }
        Scope (EXT0) { Name (INEX, 1) }
    }

    Scope (\_SB.PCI0.LPCB)
    {
        Device (EC0)
        {
            Name (_HID, EisaId ("PNP0C09"))
            Scope (^^LPCB) { Name (UPNM, 1) }
        }
        Scope (PWR0) { Name (SRCH, 1) }
    }

    If (CondRefOf (\_OSI))
    {
        Name (OSI1, 1)
        Scope (\_SB.PCI0) { Name (INIF, 1) }
    }
    Else
    {
        Name (OSI2, 1)
    }
    While (Zero) { Name (WHL0, 1) }
    If (Zero) { Name (CND0, 1) } ElseIf (One) { Name (CND1, 2) } Else { Name (CND2, 3) }
}
"""

NAMESPACE = [(path, kind) for kind, paths in [
    ("Name", r"\_S5_ \STR1"),
    ("OperationRegion", r"\GNVS"),
    ("Field", r"\OSYS \FLG1 \FLG2 \IDX0 \IDX1 \BNK0"),
    ("OperationRegion", r"\GPRG"),
    ("Field", r"\GPI0"),
    ("DataTableRegion", r"\DTRG"),
    ("Mutex", r"\MTX0"),
    ("Event", r"\EVT0"),
    ("Name", r"\BUF0"),
    ("BufferField", r"\CBIT \CBYT \CWRD \CDWD \CQWD \CFLD"),
    ("Alias", r"\ALS1"),
    ("Method", r"\MAIN"),
    ("Device", r"\_SB_.PCI0"),
    ("Name", r"\_SB_.PCI0._HID \_SB_.PCI0._CRS"),
    ("Device", r"\_SB_.PCI0.LPCB"),
    ("Name", r"\_SB_.PCI0.LPCB._ADR"),
    ("OperationRegion", r"\_SB_.PCI0.LPCB.LPCR"),
    ("Field", r"\_SB_.PCI0.LPCB.PIRA"),
    ("Name", r"\_SB_.PCI0.PSTA \ROOT"),
    ("Processor", r"\_SB_.CPU0"),
    ("Name", r"\_SB_.CPU0.PCTX"),
    ("PowerResource", r"\_SB_.PWR0"),
    ("Method", r"\_SB_.PWR0._STA \_SB_.PWR0._ON_ \_SB_.PWR0._OFF"),
    ("ThermalZone", r"\_SB_.TZ0_"),
    ("Method", r"\_SB_.TZ0_._TMP"),
    ("Name", r"\_SB_.EXT0.INEX"),
    ("Device", r"\_SB_.PCI0.LPCB.EC0_"),
    ("Name", r"\_SB_.PCI0.LPCB.EC0_._HID \_SB_.PCI0.LPCB.UPNM \_SB_.PWR0.SRCH"),
    ("Name", r"\OSI1 \_SB_.PCI0.INIF \OSI2 \WHL0 \CND0 \CND1 \CND2"),
] for path in paths.split()]
TYPES = {"Device", "Method", "Name", "Processor", "PowerResource", "ThermalZone", "OperationRegion", "Field",
         "Mutex", "Event", "Alias", "BufferField", "DataTableRegion"}
# An absolute path of four-character segments; iasl prints a byte that is no name character as "*".
PATH = re.compile(r"\\(?:[A-Z0-9_*]{4}(?:\.[A-Z0-9_*]{4})*)?")


def pairs(namespace):
    return [(o["path"], o["type"]) for o in namespace]


@pytest.fixture(scope="module")
def compiled():
    result = compile_asl(NAMESPACE_ASL)
    assert result.errors == [] and result.returncode == 0, result.log
    return result


@needs_iasl
def test_compile_asl_gives_the_table(compiled):
    assert compiled.aml[:4] == b"SSDT" and int.from_bytes(compiled.aml[4:8], "little") == len(compiled.aml)
    # The warnings come back too: the Processor keyword is deprecated.
    assert any("Legacy Processor() keyword" in w for w in compiled.warnings)


@needs_iasl
@pytest.mark.parametrize("legacy", [False, True], ids=["asl+", "legacy"])
def test_every_declaration_kind_is_read_back(compiled, legacy):
    text = disassemble(compiled.aml, legacy=legacy).text
    assert ("Add (Arg1, One, LOCL)" in text) == legacy
    assert pairs(dsl_namespace(text)) == NAMESPACE


@needs_iasl
def test_compile_errors_are_lines_with_numbers():
    result = compile_asl('DefinitionBlock ("", "SSDT", 2, "QBOOT", "BROKEN", 1)\n{\n    Name (FOO)\n}\n')
    assert result.aml == b"" and result.returncode != 0
    assert result.errors == ["line 3: syntax error (6126)"]


@needs_iasl
def test_a_table_with_no_aml_declares_nothing():
    # iasl writes the DefinitionBlock's opening brace and stops: the text ends inside the block.
    text = disassemble(acpi_table(b"SSDT", b"")).text
    assert text.rstrip().endswith("{")
    assert dsl_namespace(text) == []


@needs_iasl
def test_names_with_bytes_that_are_no_name_characters():
    # Name ("F\x01O_", One), Name ("b-r_", Zero), Device (DEV\x00): iasl prints each bad byte as "*".
    text = disassemble(acpi_table(b"DSDT", b"\x08F\x01O_\x01\x08b-r_\x00\x5b\x82\x06DEV\x00", revision=2)).text
    assert pairs(dsl_namespace(text)) == [("\\F*O_", "Name"), ("\\***_", "Name"), ("\\DEV*", "Device")]


def test_comments_strings_and_paths():
    text = r"""
    /* a header { that is not a block ( */
    DefinitionBlock ("", "DSDT", 2, "X", "Y", 1)  // {
    {
        Scope (_SB) { Device (PCI0) { Device (LPCB) { } } }
        Scope (_SB.PCI0.LPCB)
        {
            Name (S1, "}\")/*")
            Scope (PCI0) { Name (UP, 1) }      // the search rules find \_SB.PCI0
            Scope (NEW) { Name (HERE, 1) }     // no NEW anywhere: taken as LPCB's
            Name (^^^TOP, 1)
        }
        Name (_SB.PCI0.DUP, 1)
        Name (\_SB.PCI0.DUP, 2)
        Scope (\) { Method (M, 0) { Device (IN) { } } }
    }
    """
    assert pairs(dsl_namespace(text)) == [
        ("\\_SB_.PCI0", "Device"), ("\\_SB_.PCI0.LPCB", "Device"), ("\\_SB_.PCI0.LPCB.S1__", "Name"),
        ("\\_SB_.PCI0.UP__", "Name"), ("\\_SB_.PCI0.LPCB.NEW_.HERE", "Name"), ("\\TOP_", "Name"),
        ("\\_SB_.PCI0.DUP_", "Name"), ("\\_SB_.PCI0.DUP_", "Name"), ("\\M___", "Method")]


def test_module_level_code_is_stepped_over():
    # Statements outside methods have no terminator in ASL+; the next declaration ends them.
    text = """DefinitionBlock ("", "SSDT", 2, "X", "Y", 1)
    {
        Name (PTOS, Zero)
        PTOS = (PTOS + 0x70) * 2
        Package (0x02) { "Name (NOPE, 1)", One }
        Notify (\\_SB.PCI0, 0x02)
        Field (\\GNVS, AnyAcc, NoLock, Preserve) { , 8, AccessAs (BufferAcc, AttribBytes (0x10)), F1, 8 }
    }"""
    assert pairs(dsl_namespace(text)) == [("\\PTOS", "Name"), ("\\F1__", "Field")]


@pytest.mark.parametrize("text, where", [
    ('DefinitionBlock ("", "DSDT", 2, "X", "Y", 1) { Device (A) { }', "line 1: a block that is never closed"),
    ('DefinitionBlock ("", "DSDT", 2, "X", "Y", 1) { }\n}', "line 2: '}' with no block open"),
    ('DefinitionBlock ("", "DSDT", 2, "X", "Y", 1) {\n Name (, 1) }', "line 2: a declaration without a plain"),
    ('DefinitionBlock ("", "DSDT", 2, "X", "Y", 1) {\n Method (A, 0) { Return ("}") /* } */', "line 2: a bracket"),
])
def test_text_it_cannot_follow_is_an_error(text, where):
    with pytest.raises(AslSyntaxError, match=re.escape(where)):
        dsl_namespace(text)


MACHINES = aml_oracle.machines()


def test_the_corpus_has_real_and_qemu_machines():
    assert sum(m.startswith("real-hw/") for m in MACHINES) >= 40
    assert sum(m.startswith("qemu-7.2/") for m in MACHINES) >= 20


@needs_iasl
@pytest.mark.parametrize("machine", MACHINES)
def test_every_corpus_definition_block_has_a_namespace(machine):
    """iasl's text of every DSDT/SSDT, disassembled beside the machine's others, reads without error; every
    DSDT declares something. The first run takes about a minute and is cached (tests/aml_oracle.py)."""
    tables = aml_oracle.oracle(machine)
    assert [t.name for t in tables if t.name.startswith("DSDT")], "no DSDT"
    for table in tables:
        if table.name.startswith("DSDT"):
            assert table.namespace, f"{table.name}: {table.problems}"
        for entry in table.namespace:
            assert PATH.fullmatch(entry["path"]) and entry["type"] in TYPES, (table.name, entry)
