"""GTDT: the Generic Timer Description Table, the Arm generic timers' interrupts and the memory-mapped
platform timers (GT blocks and SBSA watchdogs)."""
from enum import IntEnum, IntFlag

from construct import Bytes, Construct, GreedyRange, If, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Optional, Struct

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.25.1.1 GT Block Timer Structure (40 bytes)
gt_block_timer = Struct(
    "gt_frame_number" / Int8ul,
    "reserved" / Int24ul,
    "cntbasex" / Int64ul,  # physical address of the CNTBaseN frame
    "cntel0basex" / Int64ul,  # 0xFFFFFFFFFFFFFFFF: not implemented
    "physical_timer_gsiv" / Int32ul,
    "physical_timer_flags" / Int32ul,  # GtdtTimerFlags
    "virtual_timer_gsiv" / Int32ul,
    "virtual_timer_flags" / Int32ul,  # GtdtTimerFlags
    "common_flags" / Int32ul,  # GtdtCommonFlags
)

# ACPI 6.5 §5.2.25.1 GT Block Structure (type 0, 20 bytes and the timers). The timers are taken to follow the
# block's fixed fields (a gt_block_timer_offset of 20, as every known table has it).
gt_block = with_extra(
    "reserved" / Int8ul,
    "gt_block_physical_address" / Int64ul,
    "gt_block_timer_count" / Int32ul,
    "gt_block_timer_offset" / Int32ul,
    "timers" / GreedyRange(gt_block_timer),
)

# ACPI 6.5 §5.2.25.2 Arm Generic Watchdog Structure (type 1, 28 bytes)
arm_generic_watchdog = with_extra(
    "reserved" / Int8ul,
    "refreshframe_physical_address" / Int64ul,
    "watchdog_control_frame_physical_address" / Int64ul,
    "watchdog_timer_gsiv" / Int32ul,
    "watchdog_timer_flags" / Int32ul,  # GtdtWatchdogFlags
)


# ACPI 6.5 §5.2.25 platform timer structure types; the others are reserved.
class GtdtType(IntEnum):
    GT_BLOCK = 0
    ARM_GENERIC_WATCHDOG = 1


GTDT_SUBTABLES: dict[int, Construct] = {
    GtdtType.GT_BLOCK: gt_block, GtdtType.ARM_GENERIC_WATCHDOG: arm_generic_watchdog,
}
GTDT_FIXED_END = {2: 96, 3: 104}  # where the fixed fields end: revision 3 (ACPI 6.3) adds the EL2 virtual timer
EL2_REVISION = 3


def _fixed_end(this) -> int:
    return GTDT_FIXED_END[3] if this.header.revision >= EL2_REVISION else GTDT_FIXED_END[2]


# ACPI 6.5 §5.2.25 Generic Timer Description Table (GTDT). The platform timers start at platform_timer_offset
# from the start of the table; bytes between the fixed fields and there stay in `padding`. iasl 20200925 ignores the
# offset and starts them right after the fixed fields, which is the same place in every table seen so far. An
# offset past the table's end, or a revision 3 table cut short, leaves the part out (Optional), and the bytes
# left go to `extra`.
gtdt = table(
    "cntcontrolbase_physical_address" / Int64ul,
    "reserved" / Int32ul,
    "secure_el1_timer_gsiv" / Int32ul,
    "secure_el1_timer_flags" / Int32ul,  # GtdtTimerFlags, with bit 2 ALWAYS_ON
    "non_secure_el1_timer_gsiv" / Int32ul,
    "non_secure_el1_timer_flags" / Int32ul,
    "virtual_el1_timer_gsiv" / Int32ul,
    "virtual_el1_timer_flags" / Int32ul,
    "el2_timer_gsiv" / Int32ul,
    "el2_timer_flags" / Int32ul,
    "cntreadbase_physical_address" / Int64ul,
    "platform_timer_count" / Int32ul,
    "platform_timer_offset" / Int32ul,
    "virtual_el2_timer_gsiv" / If(lambda this: this.header.revision >= EL2_REVISION, Optional(Int32ul)),
    "virtual_el2_timer_flags" / If(lambda this: this.header.revision >= EL2_REVISION, Optional(Int32ul)),
    "padding" / Optional(Bytes(lambda this: max(0, this.platform_timer_offset - _fixed_end(this))
                           if this.platform_timer_offset else 0)),
    "platform_timers" / GreedyRange(type_length_subtable(GTDT_SUBTABLES, length_field=Int16ul)),
)
GTDT_MIN_LENGTH = 96

# The spec's name of each platform timer type, for display.
GTDT_TYPES = {GtdtType.GT_BLOCK: "GT Block", GtdtType.ARM_GENERIC_WATCHDOG: "Arm Generic Watchdog"}
GTDT_SUBTABLE_SIZES = {GtdtType.ARM_GENERIC_WATCHDOG: 28}


# ACPI 6.5 §5.2.25 flags of the per-processor timers (bit 0 set: edge, bit 1 set: active low).
class GtdtTimerFlags(IntFlag):
    EDGE_TRIGGERED = 1 << 0
    ACTIVE_LOW = 1 << 1
    ALWAYS_ON = 1 << 2


# ACPI 6.5 §5.2.25.1.1 GT Block Timer common flags.
class GtdtCommonFlags(IntFlag):
    SECURE = 1 << 0
    ALWAYS_ON = 1 << 1


# ACPI 6.5 §5.2.25.2 watchdog timer flags.
class GtdtWatchdogFlags(IntFlag):
    EDGE_TRIGGERED = 1 << 0
    ACTIVE_LOW = 1 << 1
    SECURE = 1 << 2
