"""STAO: its descriptor."""
from qboot_tables.schemas.acpi.stao import STAO_MIN_SIZE, stao
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="STAO",
    title="_STA Override Table (STAO)",
    schema=stao,
    spec="ACPI Specification for Status Override Table (Xen project)",
    min_length=STAO_MIN_SIZE,
)
