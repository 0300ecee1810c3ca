"""SPMI: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.spmi import SPMI_SIZE, SpmiInterfaceType, SpmiInterruptType, spmi
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SPMI",
    title="Service Processor Management Interface Table (SPMI)",
    schema=spmi,
    spec="IPMI Specification 2.0 Appendix C1",
    min_length=SPMI_SIZE,
    meanings={
        (None, "interface_type"): enum_name(SpmiInterfaceType, "Reserved"),
        (None, "interrupt_type"): bit_names(SpmiInterruptType),
        (None, "spec_revision"): lambda value, _context: f"IPMI {value >> 8:x}.{value & 0xFF:x}",
    },
)
