"""MSDM: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.msdm import MSDM_DATA_TYPES, MSDM_MIN_SIZE, msdm
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="MSDM",
    title="Microsoft Data Management Table (MSDM)",
    schema=msdm,
    spec="Microsoft Software Licensing Tables (SLIC and MSDM) §2",
    min_length=MSDM_MIN_SIZE,
    meanings={(None, "data_type"): enum_name(MSDM_DATA_TYPES, "Reserved")},
)
