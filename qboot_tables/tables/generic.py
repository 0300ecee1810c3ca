"""The descriptor of a table nobody documents (OEMx, vendor tables): its header, then its bytes."""
from qboot_tables.schemas.acpi.generic import generic_table
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(signature="", title="Undocumented table", schema=generic_table)
