"""XENV: its descriptor."""
from qboot_tables.show.descriptions import bit_names, byte_size
from qboot_tables.schemas.acpi.xenv import XENV_SIZE, XenvEventFlags, xenv
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="XENV",
    title="Xen Environment Table (XENV)",
    schema=xenv,
    spec="ACPI Specification for Xen Environment Table (Xen project, 2015)",
    min_length=XENV_SIZE,
    meanings={(None, "event_flags"): bit_names(XenvEventFlags), (None, "grant_table_size"): byte_size},
)
