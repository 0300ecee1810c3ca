"""ASF!: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.asf import (ASF_CONTROL_FUNCTIONS, ASF_RECORD_NAMES, ASF_RECORD_SIZES, ASF_TYPES,
                                           LAST_RECORD, AsfInfoFlags, AsfType, asf)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def record_type(value, _context) -> str:
    name = ASF_TYPES.get(value & ~LAST_RECORD, f"Reserved ({value & ~LAST_RECORD})")
    return f"{name}, last record" if value & LAST_RECORD else name


DESCRIPTOR = TableDescriptor(
    signature="ASF!",
    title="Alert Standard Format Table (ASF!)",
    schema=asf,
    spec="DMTF DSP0136 Alert Standard Format 2.0 §4.1.2",
    min_length=36,
    meanings={
        (None, "type"): record_type,
        (AsfType.ASF_INFO, "flags"): bit_names(AsfInfoFlags),
        (AsfType.ASF_INFO | LAST_RECORD, "flags"): bit_names(AsfInfoFlags),
        (AsfType.ASF_RCTL, "function"): enum_name(ASF_CONTROL_FUNCTIONS, "Reserved"),
        (AsfType.ASF_RCTL | LAST_RECORD, "function"): enum_name(ASF_CONTROL_FUNCTIONS, "Reserved"),
    },
    subtables=Subtables(names=ASF_RECORD_NAMES, sizes=ASF_RECORD_SIZES),
    # No `items`: bytes after the last whole record are a warning. iasl decodes past them without a word
    # (dmtbdump1.c AcpiDmDumpAsf) and Linux does not read the ASF!; four corpus machines end theirs with 22 bytes
    # that claim to be a 160-byte record.
)
