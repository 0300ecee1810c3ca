"""BGRT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, enum_name
from qboot_tables.schemas.acpi.bgrt import BGRT_IMAGE_TYPES, BGRT_SIZE, BGRT_STATUS_FIELDS, bgrt
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="BGRT",
    title="Boot Graphics Resource Table (BGRT)",
    schema=bgrt,
    spec="ACPI 6.5 §5.2.23",
    min_length=BGRT_SIZE,
    meanings={
        (None, "status"): bit_fields(BGRT_STATUS_FIELDS),
        (None, "image_type"): enum_name(BGRT_IMAGE_TYPES, "Reserved"),
    },
)
