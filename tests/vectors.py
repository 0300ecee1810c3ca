"""Test vectors laid out by hand, apart from the schemas under test: an ACPI table around a body, a field set by
its row name in a parsed value, and a round trip of a vector with its fields drawn anew."""
import re
import struct

from hypothesis import strategies as st

from qboot_tables.errors import build, parse
from qboot_tables.show.fields import schema_rows

HEADER = 36  # ACPI 6.5 §5.2.6


def acpi_table(signature: bytes, body: bytes, revision: int = 1) -> bytes:
    """The standard header around `body` (ACPI 6.5 §5.2.6), with a true length and a checksum that makes the
    table sum to zero."""
    data = bytearray(signature + struct.pack("<IBB", HEADER + len(body), revision, 0) + b"OEMID " + b"OEMTABLE"
                     + struct.pack("<I", 1) + b"TEST" + struct.pack("<I", 0x20200925) + body)
    data[9] = -sum(data) & 0xFF
    return bytes(data)


def set_field(container, path: str, value) -> None:
    """Set the field a row names ("subtables[2].body.flags") in a parsed construct value."""
    steps = [int(step) if step.isdigit() else step for step in re.findall(r"[^.\[\]]+", path)]
    for step in steps[:-1]:
        container = container[step]
    container[steps[-1]] = value


def assert_drawn_round_trip(descriptor, vector: bytes, name: str, data, structural) -> None:
    """`vector` with every field that `structural(row name)` does not claim (types, lengths, counts, offsets)
    drawn anew: build, parse and build give the same bytes, and the parse gives back every drawn value."""
    value = parse(descriptor.schema, vector, name)
    drawn = {}
    for row in schema_rows(descriptor, value):
        if structural(row.name):
            continue
        if isinstance(row.value, int):
            drawn[row.name] = data.draw(st.integers(0, 2 ** (8 * row.size) - 1), label=row.name)
        elif isinstance(row.value, bytes) and row.size:
            drawn[row.name] = data.draw(st.binary(min_size=row.size, max_size=row.size), label=row.name)
    for path, new in drawn.items():
        set_field(value, path, new)
    first = build(descriptor.schema, value, name)
    parsed = parse(descriptor.schema, first, name)
    assert build(descriptor.schema, parsed, name) == first
    assert {row.name: row.value for row in schema_rows(descriptor, parsed) if row.name in drawn} == drawn
