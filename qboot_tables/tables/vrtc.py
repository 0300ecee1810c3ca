"""VRTC: its descriptor."""
from qboot_tables.schemas.acpi.vrtc import vrtc
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="VRTC",
    title="Virtual Real Time Clock Table (VRTC)",
    schema=vrtc,
    spec="Intel Simple Firmware Interface Specification 0.8.2, MRTC",
    items="16-byte entry",
)
