"""SLIC: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.slic import SLIC_STRUCTURE_SIZES, SLIC_TYPES, slic
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SLIC",
    title="Software Licensing Description Table (SLIC)",
    schema=slic,
    spec="Microsoft Software Licensing Tables (SLIC and MSDM) §1",
    min_length=36,
    meanings={(None, "type"): enum_name(SLIC_TYPES, "Reserved")},
    subtables=Subtables(field="structures", names=SLIC_TYPES, sizes=SLIC_STRUCTURE_SIZES),
    items="structure",
)
