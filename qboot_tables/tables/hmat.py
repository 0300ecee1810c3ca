"""HMAT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.hmat import (HMAT_CACHE_ATTRIBUTE_FIELDS, HMAT_DATA_TYPES, HMAT_MEMORY_HIERARCHIES,
                                            HMAT_SUBTABLE_SIZES, HMAT_TYPES, HmatProximityFlags, HmatType, hmat)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def locality_flags(value, _context) -> str:
    hierarchy = HMAT_MEMORY_HIERARCHIES.get(value & 0xF, f"Reserved ({value & 0xF})")
    access = value >> 4 & 0x3
    return f"{hierarchy}, access attributes {access}" if access else hierarchy


DESCRIPTOR = TableDescriptor(
    signature="HMAT",
    title="Heterogeneous Memory Attribute Table (HMAT)",
    schema=hmat,
    spec="ACPI 6.5 §5.2.28",
    min_length=40,
    meanings={
        (None, "type"): enum_name(HMAT_TYPES, "Reserved"),
        (HmatType.MEMORY_PROXIMITY_DOMAIN, "flags"): bit_names(HmatProximityFlags),
        (HmatType.SYSTEM_LOCALITY, "flags"): locality_flags,
        (HmatType.SYSTEM_LOCALITY, "data_type"): enum_name(HMAT_DATA_TYPES, "Reserved"),
        (HmatType.MEMORY_SIDE_CACHE, "cache_size"): byte_size,
        (HmatType.MEMORY_SIDE_CACHE, "cache_attributes"): bit_fields(HMAT_CACHE_ATTRIBUTE_FIELDS),
    },
    subtables=Subtables(names=HMAT_TYPES, sizes=HMAT_SUBTABLE_SIZES, keys={
        HmatType.MEMORY_PROXIMITY_DOMAIN: ("body.memory_proximity_domain", "domain"),
        HmatType.SYSTEM_LOCALITY: ("body.data_type", "data type"),
        HmatType.MEMORY_SIDE_CACHE: ("body.memory_proximity_domain", "domain"),
    }),
    items="subtable",
)
