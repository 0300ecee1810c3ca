"""WPBT: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.wpbt import WPBT_CONTENT_TYPES, WPBT_LAYOUTS, WPBT_MIN_SIZE, wpbt
from qboot_tables.tables.descriptor import TableDescriptor


def utf16(value, _context) -> str:
    """The command line, UTF-16LE, shown as text."""
    return bytes(value).decode("utf-16-le", "replace").rstrip("\0")


DESCRIPTOR = TableDescriptor(
    signature="WPBT",
    title="Windows Platform Binary Table (WPBT)",
    schema=wpbt,
    spec="Microsoft Windows Platform Binary Table (WPBT) 2015",
    min_length=WPBT_MIN_SIZE,
    meanings={
        (None, "layout"): enum_name(WPBT_LAYOUTS, "Reserved"),
        (None, "type"): enum_name(WPBT_CONTENT_TYPES, "Reserved"),
        (None, "arguments"): utf16,
    },
)
