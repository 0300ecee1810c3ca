"""GTDT: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.gtdt import (GTDT_MIN_LENGTH, GTDT_SUBTABLE_SIZES, GTDT_TYPES, GtdtCommonFlags,
                                            GtdtTimerFlags, GtdtType, GtdtWatchdogFlags, gtdt)
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
        **{(None, name): bit_names(GtdtTimerFlags) for name in TIMER_FLAG_FIELDS},
        (None, "common_flags"): bit_names(GtdtCommonFlags),
        (None, "watchdog_timer_flags"): bit_names(GtdtWatchdogFlags),
    },
    subtables=Subtables(field="platform_timers", names=GTDT_TYPES, sizes=GTDT_SUBTABLE_SIZES, keys={
        GtdtType.GT_BLOCK: ("body.gt_block_physical_address", "address"),
        GtdtType.ARM_GENERIC_WATCHDOG: ("body.watchdog_control_frame_physical_address", "address"),
    }),
    items="platform timer",
)
