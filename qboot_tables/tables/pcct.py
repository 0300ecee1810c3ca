"""PCCT: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.schemas.acpi.pcct import (PCCT_INTERRUPT_FLAG_FIELDS, PCCT_MIN_LENGTH, PCCT_SUBTABLE_SIZES,
                                            PCCT_TYPES, PcctFlags, pcct)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="PCCT",
    title="Platform Communications Channel Table (PCCT)",
    schema=pcct,
    spec="ACPI 6.5 §14.1",
    min_length=PCCT_MIN_LENGTH,
    meanings={
        (None, "flags"): bit_names(PcctFlags),
        (None, "type"): enum_name(PCCT_TYPES, "Reserved"),
        (None, "platform_interrupt_flags"): bit_fields(PCCT_INTERRUPT_FLAG_FIELDS),
    },
    # Subspaces are numbered by their position in the table (ACPI 6.5 §14.1.1), so they pair up in order.
    subtables=Subtables(names=PCCT_TYPES, sizes=PCCT_SUBTABLE_SIZES),
    items="subspace",
)
