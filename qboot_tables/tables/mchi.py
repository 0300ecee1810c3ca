"""MCHI: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.mchi import MCHI_INTERFACE_TYPES, MCHI_SIZE, MchiInterruptType, mchi
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="MCHI",
    title="Management Controller Host Interface Table (MCHI)",
    schema=mchi,
    spec="DMTF DSP0256 MCTP Host Interface Specification 1.0.0a",
    min_length=MCHI_SIZE,
    meanings={
        (None, "interface_type"): enum_name(MCHI_INTERFACE_TYPES, "Reserved"),
        (None, "interrupt_type"): bit_names(MchiInterruptType),
    },
)
