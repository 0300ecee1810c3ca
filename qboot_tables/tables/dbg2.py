"""DBG2: its descriptor."""
from qboot_tables.show.descriptions import enum_name, printable
from qboot_tables.schemas.acpi.dbg2 import DBG2_PORT_SUBTYPES, DBG2_PORT_TYPES, dbg2
from qboot_tables.tables.descriptor import TableDescriptor


def port_subtype(value, context) -> str:
    names = DBG2_PORT_SUBTYPES.get(context.get("port_type"))
    if names is None:
        return ""  # Net: the PCI vendor ID; other types: not defined
    return names.get(value, f"Reserved ({value:#06x})")


DESCRIPTOR = TableDescriptor(
    signature="DBG2",
    title="Debug Port Table 2 (DBG2)",
    schema=dbg2,
    spec="Microsoft Debug Port Table 2 (DBG2) specification",
    min_length=44,
    meanings={
        (None, "port_type"): enum_name(DBG2_PORT_TYPES, "Reserved"),
        (None, "port_subtype"): port_subtype,
        (None, "namepath"): lambda value, _context: printable(value) or "",
    },
    # Bytes after the last whole device information structure are only a warning: a structure laid out in
    # another order than the spec's stays bytes here, though an OS that follows its offsets reads it.
)
