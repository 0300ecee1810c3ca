"""TCPA: its descriptor."""
from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.tcpa import (TCPA_CLIENT_SIZE, TCPA_PLATFORM_CLASSES, TcpaDeviceFlags,
                                            TcpaInterruptFlags, tcpa)
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="TCPA",
    title="Trusted Computing Platform Alliance Capabilities Table (TCPA)",
    schema=tcpa,
    spec="TCG ACPI Specification, Family 1.2 and 2.0, Revision 00.37 §7.1",
    min_length=TCPA_CLIENT_SIZE,
    meanings={
        (None, "platform_class"): enum_name(TCPA_PLATFORM_CLASSES, "Reserved"),
        (None, "minimum_log_length"): byte_size,
        (None, "device_flags"): bit_names(TcpaDeviceFlags),
        (None, "interrupt_flags"): bit_names(TcpaInterruptFlags),
    },
)
