"""Test vectors laid out by hand, apart from the schemas under test: an ACPI table around a body, and a field
set by its row name in a parsed value."""
import re
import struct

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
