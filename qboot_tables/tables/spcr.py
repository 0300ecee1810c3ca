"""SPCR: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.spcr import (SPCR_BAUD_RATES, SPCR_FLOW_CONTROL, SPCR_INTERFACE_TYPES,
                                            SPCR_INTERRUPT_TYPES, SPCR_SIZE, SPCR_TERMINAL_TYPES, spcr)
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SPCR",
    title="Serial Port Console Redirection Table (SPCR)",
    schema=spcr,
    spec="Microsoft Serial Port Console Redirection Table specification, revision 4",
    min_length=SPCR_SIZE,
    meanings={
        (None, "interface_type"): enum_name(SPCR_INTERFACE_TYPES, "Reserved"),
        (None, "interrupt_type"): bit_names(SPCR_INTERRUPT_TYPES),
        (None, "baud_rate"): enum_name(SPCR_BAUD_RATES, "Reserved"),
        (None, "flow_control"): bit_names(SPCR_FLOW_CONTROL),
        (None, "terminal_type"): enum_name(SPCR_TERMINAL_TYPES, "Reserved"),
    },
)
