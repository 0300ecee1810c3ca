"""MPST: its descriptor."""
from qboot_tables.show.descriptions import bit_names, byte_size
from qboot_tables.schemas.acpi.mpst import MPST_MIN_LENGTH, MpstCharacteristicsFlags, MpstNodeFlags, mpst
from qboot_tables.tables.descriptor import TableDescriptor


def _flags(value, context) -> str:
    # The power nodes and the characteristics both call their flags "flags"; a characteristics structure is the
    # one with a power_state_structure_id beside them.
    flags = MpstCharacteristicsFlags if "power_state_structure_id" in context else MpstNodeFlags
    return bit_names(flags)(value, context)


DESCRIPTOR = TableDescriptor(
    signature="MPST",
    title="Memory Power State Table (MPST)",
    schema=mpst,
    spec="ACPI 6.5 §5.2.21",
    min_length=MPST_MIN_LENGTH,
    meanings={
        (None, "flags"): _flags,
        (None, "base_address"): byte_size,
        (None, "range_length"): byte_size,
    },
)
