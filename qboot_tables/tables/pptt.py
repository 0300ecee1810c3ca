"""PPTT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.pptt import (PPTT_CACHE_ATTRIBUTE_FIELDS, PPTT_CACHE_FLAGS, PPTT_PROCESSOR_FLAGS,
                                            PPTT_SUBTABLE_SIZES, PPTT_TYPES, pptt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

PROCESSOR, CACHE, ID = 0, 1, 2

DESCRIPTOR = TableDescriptor(
    signature="PPTT",
    title="Processor Properties Topology Table (PPTT)",
    schema=pptt,
    spec="ACPI 6.5 §5.2.30",
    min_length=36,
    meanings={
        (None, "type"): enum_name(PPTT_TYPES, "Reserved"),
        (PROCESSOR, "flags"): bit_names(PPTT_PROCESSOR_FLAGS),
        (CACHE, "flags"): bit_names(PPTT_CACHE_FLAGS),
        (CACHE, "attributes"): bit_fields(PPTT_CACHE_ATTRIBUTE_FIELDS),
        (CACHE, "size"): byte_size,
    },
    subtables=Subtables(names=PPTT_TYPES, sizes=PPTT_SUBTABLE_SIZES, keys={
        PROCESSOR: ("body.acpi_processor_id", "id"),
    }),
    items="subtable",
)
