"""CPEP: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.cpep import CPEP_MIN_LENGTH, CPEP_SUBTABLE_SIZES, CPEP_TYPES, CpepType, cpep
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="CPEP",
    title="Corrected Platform Error Polling Table (CPEP)",
    schema=cpep,
    spec="ACPI 6.5 §5.2.18",
    min_length=CPEP_MIN_LENGTH,
    meanings={(None, "type"): enum_name(CPEP_TYPES, "Reserved")},
    subtables=Subtables(names=CPEP_TYPES, sizes=CPEP_SUBTABLE_SIZES,
                        keys={CpepType.PROCESSOR: ("body.processor_id", "processor ID")}),
    items="subtable",
)
