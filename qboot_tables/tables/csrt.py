"""CSRT: its descriptor."""
from qboot_tables.show.descriptions import enum_name
from qboot_tables.schemas.acpi.csrt import CSRT_RESOURCE_SUBTYPES, CSRT_RESOURCE_TYPES, csrt
from qboot_tables.tables.descriptor import TableDescriptor


def subtype(value, context) -> str:
    names = CSRT_RESOURCE_SUBTYPES.get(context.get("type"), {})
    return names.get(value, f"Reserved ({value})")


def four_characters(value, _context) -> str:
    text = value.to_bytes(4, "little")
    return text.decode("ascii") if all(0x20 <= b < 0x7F for b in text) else ""


DESCRIPTOR = TableDescriptor(
    signature="CSRT",
    title="Core System Resource Table (CSRT)",
    schema=csrt,
    spec="Microsoft Core System Resources Table (CSRT) specification",
    min_length=36,
    meanings={
        (None, "type"): enum_name(CSRT_RESOURCE_TYPES, "Reserved"),
        (None, "subtype"): subtype,
        (None, "vendor_id"): four_characters,
        (None, "uid"): four_characters,
    },
    items="resource group",
)
