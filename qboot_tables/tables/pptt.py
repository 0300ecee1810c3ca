"""PPTT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.pptt import (PPTT_CACHE_ATTRIBUTE_FIELDS, PPTT_SUBTABLE_SIZES, PPTT_TYPES,
                                            PpttCacheFlags, PpttProcessorFlags, PpttType, pptt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="PPTT",
    title="Processor Properties Topology Table (PPTT)",
    schema=pptt,
    spec="ACPI 6.5 §5.2.30",
    min_length=36,
    meanings={
        (None, "type"): enum_name(PPTT_TYPES, "Reserved"),
        (PpttType.PROCESSOR, "flags"): bit_names(PpttProcessorFlags),
        (PpttType.CACHE, "flags"): bit_names(PpttCacheFlags),
        (PpttType.CACHE, "attributes"): bit_fields(PPTT_CACHE_ATTRIBUTE_FIELDS),
        (PpttType.CACHE, "size"): byte_size,
    },
    subtables=Subtables(names=PPTT_TYPES, sizes=PPTT_SUBTABLE_SIZES, keys={
        PpttType.PROCESSOR: ("body.acpi_processor_id", "id"),
    }),
    items="subtable",
)
