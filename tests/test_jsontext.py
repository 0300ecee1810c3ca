"""show.jsontext.dumps is json.dumps(value, indent=1), byte for byte, on any value and on every fixture's dump."""
import glob
import json
import lzma
import math
import os
from enum import IntEnum

import pytest
from construct import Container
from hypothesis import given, strategies as st

from qboot_tables.check.validate import validate
from qboot_tables.read.inputs import load
from qboot_tables.show.jsontext import dumps
from qboot_tables.show.render import document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Colour(IntEnum):
    RED = 1


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.just(Colour.RED),
                    st.sampled_from([math.nan, math.inf, -math.inf, -0.0]))
KEYS = st.one_of(st.text(), st.text(), st.text(), st.integers(), st.none(), st.booleans())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(inner, max_size=5).map(tuple),
    st.dictionaries(KEYS, inner, max_size=5), st.dictionaries(st.text(), inner, max_size=5).map(Container)),
    max_leaves=40)


@given(VALUES)
def test_any_value_prints_as_json_dumps_prints_it(value):
    assert dumps(value) == json.dumps(value, indent=1)


def test_what_json_refuses_it_refuses():
    loop: list = []
    loop.append(loop)
    for value in (loop, {"a": object()}, [b"bytes"]):
        with pytest.raises((TypeError, ValueError)) as theirs:
            json.dumps(value, indent=1)
        with pytest.raises(type(theirs.value), match=str(theirs.value)[:20]):
            dumps(value)


@pytest.mark.parametrize("source", sorted(glob.glob(os.path.join(ROOT, "fixtures", "qemu-7.2", "*")))[::7]
                         + [os.path.join(ROOT, "fixtures", "real-hw", "d023.txt.xz")])
def test_every_dump_document_prints_as_json_dumps_prints_it(source, tmp_path):
    if source.endswith(".xz"):  # the largest real machine, as acpidump text
        with lzma.open(source) as f:
            (tmp_path / "acpidump.txt").write_bytes(f.read())
        source = str(tmp_path / "acpidump.txt")
    tableset = load(source)
    doc = document(tableset, validate(tableset), None, asl=False)
    assert dumps(doc) == json.dumps(doc, indent=1)
