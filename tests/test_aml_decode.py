"""The AML decoder: exact round trips over every AML table we hold, calls by declared argument count, findings
instead of exceptions on broken or hostile AML, and the namespace it reads."""
from __future__ import annotations

import glob
import os
import struct
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aml_oracle
import real_hw
from qboot_tables.aml import encode as aml
from qboot_tables.aml.decode import MAX_DEPTH, decode_table, decode_tables
from qboot_tables.aml.namespace import aml_findings, eisa_id_text, table_namespace
from qboot_tables.aml.tree import Call, NameRef, Raw, encode_terms
from qboot_tables.findings import ERROR, WARNING
from qboot_tables.read.inputs import load
from qboot_tables.tools.iasl import iasl_available

FIXTURE_SETS = sorted(glob.glob(os.path.join(real_hw.ROOT, "fixtures", "qemu-7.2", "*", "golden", "tables"))
                      + glob.glob(os.path.join(real_hw.ROOT, "fixtures", "generated", "*", "tables")))


def table(body: bytes, signature: bytes = b"DSDT", revision: int = 2) -> bytes:
    """A definition block around an AML body; the checksum does not matter to the decoder."""
    return struct.pack("<4sIBB6s8sI4sI", signature, 36 + len(body), revision, 0, b"QBOOT ", b"TEST    ", 1,
                       b"QBTT", 1) + body


def encoded(decoded) -> bytes:
    return decoded.header + encode_terms(decoded.terms)


def aml_sets():
    """(label, [table bytes]) of every real machine, QEMU capture and generated machine, DSDT first."""
    for machine in real_hw.machines():
        tables = real_hw.machine_tables(machine)
        yield machine, ([t.data for t in tables if t.signature == "DSDT"]
                        + [t.data for t in tables if t.signature == "SSDT"])
    for folder in FIXTURE_SETS:
        tables = load(folder).acpi
        yield folder, [t.data for t in tables if t.signature == "DSDT"] + [t.data for t in tables
                                                                           if t.signature == "SSDT"]


def test_every_aml_table_round_trips_byte_for_byte_and_decodes_cleanly():
    count = 0
    for label, datas in aml_sets():
        for data, decoded in zip(datas, decode_tables(datas)):
            count += 1
            length = struct.unpack_from("<I", data, 4)[0]
            assert encoded(decoded) == data[:length], label
            # One corpus machine calls a method with fewer arguments than another table declares it with.
            assert [f for f in decoded.findings if f.severity == ERROR] == [], (label, decoded.findings[:3])
    assert count > 640


def test_calls_take_the_argument_count_declared_later_or_in_another_table():
    later = aml.method("CALR", 0, aml.return_(b"FOO_" + aml.data(3) + aml.data(4))) + aml.method("FOO", 2)
    decoded = decode_table(table(later))
    call = decoded.terms[0].args[-1][0].args[0]
    assert isinstance(call, Call) and [a.args[0] for a in call.args] == [3, 4]
    assert encoded(decoded) == table(later)
    # The caller in the DSDT, the method in an SSDT: decoded together, the call takes its two arguments;
    # alone, the name is a reference and the two integers are terms of their own.
    caller = table(aml.method("CALR", 0, aml.name_path("\\BAR") + aml.data(5) + aml.data(6)))
    callee = table(aml.method("\\BAR", 2), b"SSDT")
    together = decode_tables([caller, callee])[0].terms[0].args[-1]
    alone = decode_table(caller).terms[0].args[-1]
    assert [type(t) for t in together] == [Call] and len(alone) == 3 and isinstance(alone[0], NameRef)


def test_osi_is_the_predefined_method_of_one_argument():
    # ACPI 6.5 §5.7.2: no table declares \_OSI, yet every real DSDT calls it.
    body = aml.method("TEST", 0, aml.if_(b"_OSI" + aml.string("Windows 2015"), aml.return_(1)))
    decoded = decode_table(table(body))
    predicate = decoded.terms[0].args[-1][0].args[0]
    assert isinstance(predicate, Call) and predicate.args[0].args[0] == b"Windows 2015"
    assert aml_findings([decoded]) == []


def test_search_rules_find_the_nearest_declaration():
    # §5.3: a single segment is looked up from the current scope upward; here the device's own X is a Name, so
    # `X` inside the device's method is a reference, while at the root X is a one-argument method.
    body = aml.method("X", 1) + aml.device("DEV", aml.name("X", 0), aml.method("M", 0, b"X___" + aml.data(7)))
    method_body = decode_table(table(body)).terms[1].args[-1][1].args[-1]
    assert isinstance(method_body[0], NameRef) and len(method_body) == 2


def test_unknown_and_truncated_bytes_become_findings_and_the_rest_still_decodes():
    good = aml.name("GOOD", 1)
    body = aml.scope("\\_SB", b"\x02\x03") + good  # 0x02 is no opcode
    decoded = decode_table(table(body))
    assert [f.field for f in decoded.findings] == ["AML offset 0x2b"]  # header 0x24, Scope, PkgLength, \\_SB_
    assert "unknown AML opcode 0x02" in decoded.findings[0].message
    assert isinstance(decoded.terms[0].args[-1][0], Raw)
    assert table_namespace(decoded) == [{"path": "\\GOOD", "type": "Name", "value": 1}]
    assert encoded(decoded) == table(body)
    cut = table(aml.name("ABCD", "text"))[:-1]  # the string loses its NUL
    decoded = decode_table(cut)
    assert any("NUL" in f.message for f in decoded.findings) and encoded(decoded) == cut


def test_nesting_is_bounded():
    deep = b"\x92" * (MAX_DEPTH * 4) + b"\x00"  # LNot (LNot (... Zero))
    started = time.process_time()
    decoded = decode_table(table(aml.method("DEEP", 0, bytes([0xA4]) + deep)))
    assert time.process_time() - started < 5
    assert any("nested more than" in f.message for f in decoded.findings)


def test_namespace_values_and_positions():
    body = aml.scope("\\_SB", aml.device("PCI0", aml.name("_HID", aml.eisa_id("PNP0A03")),
                                         aml.name("_UID", "PCI"),
                                         aml.name("_PRT", aml.package(aml.package(0x1FFFF, 0,
                                                                                  aml.name_path("LNKA"), 0),
                                                                      aml.package(0x2FFFF, 1, 0, 17))),
                                         aml.name("_CRS", aml.resource_template(aml.io(0x70, 0x70, 1, 8))),
                                         aml.method("_STA", 0, aml.name("INNR", 1), aml.return_(0x0F)),
                                         aml.operation_region("REGN", 0, 0x1000, 4),
                                         aml.field("REGN", [("FLD1", 8), ("FLD2", 8)])))
    body += aml.name("\\_S5", aml.package(5, 0, aml.ones()))
    names = table_namespace(decode_table(table(body)))
    by_path = {n["path"]: n for n in names}
    assert [n["path"] for n in names] == ["\\_SB_.PCI0", "\\_SB_.PCI0._HID", "\\_SB_.PCI0._UID",
                                          "\\_SB_.PCI0._PRT", "\\_SB_.PCI0._CRS", "\\_SB_.PCI0._STA",
                                          "\\_SB_.PCI0.REGN", "\\_SB_.PCI0.FLD1", "\\_SB_.PCI0.FLD2", "\\_S5_"]
    assert by_path["\\_SB_.PCI0._HID"]["value"] == {"eisa_id": "PNP0A03"}
    assert by_path["\\_SB_.PCI0._UID"]["value"] == "PCI"
    assert by_path["\\_SB_.PCI0._PRT"]["routing"] == [{"device": 1, "pin": "A", "link": "LNKA", "link_index": 0},
                                                      {"device": 2, "pin": "B", "gsi": 17}]
    assert by_path["\\_SB_.PCI0._CRS"]["value"]["resource_template"][0]["descriptor"] == "IO"
    assert by_path["\\_SB_.PCI0._STA"] == {"path": "\\_SB_.PCI0._STA", "type": "Method", "arguments": 0}
    assert by_path["\\_SB_.PCI0.FLD2"]["type"] == "Field"
    assert by_path["\\_S5_"]["value"] == [5, 0, (1 << 64) - 1]
    # A revision 1 table has 32-bit integers, so its Ones is 32 bits wide (§5.2.11.1).
    assert table_namespace(decode_table(table(body, revision=1)))[-1]["value"] == [5, 0, (1 << 32) - 1]


@pytest.mark.parametrize("value, text", [(0x030AD041, "PNP0A03"), (0x0F0CD041, "PNP0C0F"), (0x0, None),
                                         (0xFFFFFFFF, None)])
def test_eisa_ids(value, text):
    assert eisa_id_text(value) == text


def test_duplicates_and_unresolved_names_are_findings():
    dsdt = table(aml.scope("\\_SB", aml.device("DEV"), aml.scope("MISS", aml.name("X", 1)))
                 + aml.method("M", 0, aml.return_(aml.name_path("\\NOPE"))))
    ssdt = table(aml.scope("\\_SB", aml.device("DEV")), b"SSDT")
    findings = aml_findings(decode_tables([dsdt, ssdt], ["DSDT", "SSDT1"]))
    assert [(f.severity, f.table) for f in findings] == [(ERROR, "SSDT1"), (ERROR, "DSDT"), (WARNING, "DSDT")]
    assert "AE_ALREADY_EXISTS" in findings[0].message and findings[0].field == "\\_SB_.DEV_"
    assert findings[1].message.startswith("MISS resolves to no object")
    assert "\\NOPE" in findings[2].message
    # The same declaration in both branches of an If is not a duplicate, and a CondRefOf guard is not a use.
    guarded = table(aml.if_(b"\x5B\x12NOPE\x00", aml.name("A", 1)) + aml.else_(aml.name("A", 2))
                    + aml.method("M", 0, aml.if_(b"\x5B\x12NOPE\x00", aml.return_(b"NOPE"))))
    assert aml_findings(decode_tables([guarded])) == []


AML_SAMPLE = table(aml.scope("\\_SB", aml.device("PCI0", aml.name("_HID", aml.eisa_id("PNP0A03")),
                                                 aml.method("_STA", 1, aml.if_(aml.lequal(aml.arg(0), 1),
                                                                               aml.return_(0x0F)),
                                                           aml.return_(0)))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200),
                 st.tuples(st.integers(36, len(AML_SAMPLE) - 1), st.integers(0, 255),
                           st.integers(36, len(AML_SAMPLE))).map(
                     lambda m: (AML_SAMPLE[:m[0]] + bytes([m[1]]) + AML_SAMPLE[m[0] + 1:])[:m[2]])))
def test_any_bytes_decode_to_findings_and_encode_back_exactly(body):
    data = body if body[:4] in (b"DSDT", b"SSDT") else table(body)
    decoded = decode_table(data)
    length = struct.unpack_from("<I", data, 4)[0] if len(data) >= 36 else 0
    if len(data) >= 36:
        assert encoded(decoded) == data[:length if 36 <= length < len(data) else len(data)]
    table_namespace(decoded)
    aml_findings([decoded])


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_namespace_equals_iasls_on_every_table():
    """The oracle is iasl: for every DSDT and SSDT of the corpus and the QEMU captures, the objects declared
    outside method bodies equal those that `iasl -d -e <the others>` declares, path and type, duplicates kept."""
    tables = 0
    for machine in aml_oracle.machines():
        oracle = aml_oracle.oracle(machine)
        ordered = ([t for t in oracle if t.name.startswith("DSDT")]
                   + [t for t in oracle if not t.name.startswith("DSDT")])
        for expected, decoded in zip(ordered, decode_tables([t.data for t in ordered], [t.name for t in ordered])):
            tables += 1
            ours = Counter((entry["path"], entry["type"]) for entry in table_namespace(decoded))
            theirs = Counter((entry["path"], entry["type"]) for entry in expected.namespace)
            assert ours == theirs, (machine, expected.name, list((ours - theirs).items())[:3],
                                    list((theirs - ours).items())[:3])
    assert tables > 600
