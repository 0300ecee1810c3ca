"""HPET: its descriptor."""
from qboot_tables.show.descriptions import bit_fields
from qboot_tables.schemas.acpi.hpet import (HPET_EVENT_TIMER_BLOCK_ID_FIELDS, HPET_PAGE_PROTECTION_FIELDS,
                                            HPET_SIZE, hpet)
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="HPET",
    title="IA-PC High Precision Event Timer Table (HPET)",
    schema=hpet,
    spec="IA-PC HPET Specification 1.0a §3.2.4",
    min_length=HPET_SIZE,
    meanings={
        (None, "event_timer_block_id"): bit_fields(HPET_EVENT_TIMER_BLOCK_ID_FIELDS),
        (None, "page_protection"): bit_fields(HPET_PAGE_PROTECTION_FIELDS),
    },
)
