"""SPMI: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.spmi import SPMI_INTERFACE_TYPES, SPMI_INTERRUPT_TYPES, SPMI_SIZE, spmi
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SPMI",
    title="Service Processor Management Interface Table (SPMI)",
    schema=spmi,
    spec="IPMI Specification 2.0 Appendix C1",
    min_length=SPMI_SIZE,
    meanings={
        (None, "interface_type"): enum_name(SPMI_INTERFACE_TYPES, "Reserved"),
        (None, "interrupt_type"): bit_names(SPMI_INTERRUPT_TYPES),
        (None, "spec_revision"): lambda value, _context: f"IPMI {value >> 8:x}.{value & 0xFF:x}",
    },
)
