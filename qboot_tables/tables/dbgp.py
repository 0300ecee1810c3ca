"""DBGP: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.dbgp import DBGP_INTERFACE_TYPES, DBGP_SIZE, dbgp
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="DBGP",
    title="Debug Port Table (DBGP)",
    schema=dbgp,
    spec="Microsoft Debug Port Specification 1.00",
    min_length=DBGP_SIZE,
    meanings={(None, "interface_type"): enum_name(DBGP_INTERFACE_TYPES, "Reserved")},
)
