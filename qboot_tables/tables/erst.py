"""ERST: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.einj import ApeiEntryFlags
from qboot_tables.schemas.acpi.erst import ERST_MIN_LENGTH, ErstAction, ErstInstruction, erst
from qboot_tables.tables.descriptor import Subtables, TableDescriptor
from qboot_tables.tables.einj import HEADER_LENGTHS, instruction_table_checks

DESCRIPTOR = TableDescriptor(
    signature="ERST",
    title="Error Record Serialization Table (ERST)",
    schema=erst,
    spec="ACPI 6.5 §18.5",
    min_length=ERST_MIN_LENGTH,
    meanings={
        (None, "action"): enum_name(ErstAction, "Reserved"),
        (None, "instruction"): enum_name(ErstInstruction, "Reserved"),
        (None, "flags"): bit_names(ApeiEntryFlags),
    },
    subtables=Subtables(field="entries", keys={None: ("action", "action")}),
    items="entry",  # a partial one: iasl (dmtable.c AcpiDmDumpTable) says "table terminates in the middle"
    # Linux (drivers/acpi/apei/erst.c, erst_check_table) refuses an ERST whose serialization header length is
    # neither 12 nor 48 (some firmware counts the ACPI header) or whose entry count disagrees with its length.
    checks=(instruction_table_checks("serialization_header_length", "instruction_entry_count", HEADER_LENGTHS),),
)
