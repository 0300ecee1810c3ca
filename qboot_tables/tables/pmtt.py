"""PMTT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, enum_name
from qboot_tables.schemas.acpi.pmtt import PMTT_FLAG_FIELDS, PMTT_MIN_LENGTH, PMTT_TYPES, PmttType, pmtt
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="PMTT",
    title="Platform Memory Topology Table (PMTT)",
    schema=pmtt,
    spec="ACPI 6.5 §5.2.22 (revision 2); ACPI 6.3 §5.2.22 (revision 1)",
    min_length=PMTT_MIN_LENGTH,
    meanings={
        (None, "type"): enum_name(PMTT_TYPES, "Reserved"),
        (None, "flags"): bit_fields(PMTT_FLAG_FIELDS),
    },
    subtables=Subtables(field="devices", names=PMTT_TYPES,
                        keys={PmttType.SOCKET: ("body.socket_identifier", "socket")}),
)
