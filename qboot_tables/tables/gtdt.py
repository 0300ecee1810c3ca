"""GTDT: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.gtdt import (GTDT_COMMON_FLAGS, GTDT_MIN_LENGTH, GTDT_SUBTABLE_SIZES, GTDT_TIMER_FLAGS,
                                            GTDT_TYPES, GTDT_WATCHDOG_FLAGS, gtdt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

TIMER_FLAG_FIELDS = ("secure_el1_timer_flags", "non_secure_el1_timer_flags", "virtual_el1_timer_flags",
                     "el2_timer_flags", "virtual_el2_timer_flags", "physical_timer_flags", "virtual_timer_flags")

DESCRIPTOR = TableDescriptor(
    signature="GTDT",
    title="Generic Timer Description Table (GTDT)",
    schema=gtdt,
    spec="ACPI 6.5 §5.2.25",
    min_length=GTDT_MIN_LENGTH,
    meanings={
        (None, "type"): enum_name(GTDT_TYPES, "Reserved"),
        **{(None, name): bit_names(GTDT_TIMER_FLAGS) for name in TIMER_FLAG_FIELDS},
        (None, "common_flags"): bit_names(GTDT_COMMON_FLAGS),
        (None, "watchdog_timer_flags"): bit_names(GTDT_WATCHDOG_FLAGS),
    },
    subtables=Subtables(field="platform_timers", names=GTDT_TYPES, sizes=GTDT_SUBTABLE_SIZES, keys={
        0: ("body.gt_block_physical_address", "address"),
        1: ("body.watchdog_control_frame_physical_address", "address"),
    }),
    items="platform timer",
)
