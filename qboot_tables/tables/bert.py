"""BERT: its descriptor."""
from qboot_tables.show.descriptions import byte_size
from qboot_tables.schemas.acpi.bert import BERT_LENGTH, bert
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="BERT",
    title="Boot Error Record Table (BERT)",
    schema=bert,
    spec="ACPI 6.5 §18.3.1",
    min_length=BERT_LENGTH,
    meanings={(None, "boot_error_region_length"): byte_size},
)
