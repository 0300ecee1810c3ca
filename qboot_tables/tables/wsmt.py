"""WSMT: its descriptor."""
from qboot_tables.show.descriptions import bit_names
from qboot_tables.schemas.acpi.wsmt import WSMT_SIZE, WsmtProtectionFlags, wsmt
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="WSMT",
    title="Windows SMM Security Mitigations Table (WSMT)",
    schema=wsmt,
    spec="Microsoft Windows SMM Security Mitigations Table (WSMT) specification 1.0",
    min_length=WSMT_SIZE,
    meanings={(None, "protection_flags"): bit_names(WsmtProtectionFlags)},
)
