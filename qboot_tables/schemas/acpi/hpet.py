"""HPET: the IA-PC High Precision Event Timer description table and the meaning of its packed fields."""
from enum import IntEnum

from construct import Int8ul, Int16ul, Int32ul

from qboot_tables.schemas.common import generic_address, table

HPET_SIZE = 56

# IA-PC HPET Specification 1.0a §3.2.4, Table 3 "HPET Description Table" (56 bytes).
hpet = table(
    "event_timer_block_id" / Int32ul,  # HPET_EVENT_TIMER_BLOCK_ID_FIELDS
    "base_address" / generic_address,  # the timer block's registers, system memory space
    "hpet_number" / Int8ul,  # sequence number of this timer block, from 0
    "minimum_tick" / Int16ul,  # main counter minimum clock tick in periodic mode
    "page_protection" / Int8ul,  # HPET_PAGE_PROTECTION_FIELDS
)

# Event Timer Block ID: a copy of the low half of the block's General Capabilities and ID register.
# Multi-bit fields: name -> (first bit, bit count, value -> meaning or None).
HPET_EVENT_TIMER_BLOCK_ID_FIELDS = {
    "hardware_rev_id": (0, 8, None),
    "last_comparator": (8, 5, None),  # as NUM_TIM_CAP: the number of the last comparator, i.e. count - 1
    "count_size_cap": (13, 1, {0: "32-bit main counter", 1: "64-bit main counter"}),
    "reserved": (14, 1, None),
    "legacy_replacement_irq_routing_capable": (15, 1, {0: "Not capable", 1: "Capable"}),
    "pci_vendor_id": (16, 16, None),
}


# Page Protection and OEM Attribute: bits 0-3 say how much of the block's page is guaranteed to hold nothing
# else (so an OS may map it to user space); bits 4-7 are OEM attributes.
class HpetPageProtection(IntEnum):  # 3-15 reserved
    NONE = 0
    PROTECTED_4K = 1
    PROTECTED_64K = 2


# The spec's meaning of each page protection, for display.
HPET_PAGE_PROTECTION = {HpetPageProtection.NONE: "No guarantee for page protection",
                        HpetPageProtection.PROTECTED_4K: "4 KB page protected",
                        HpetPageProtection.PROTECTED_64K: "64 KB page protected"}
HPET_PAGE_PROTECTION_FIELDS = {
    "page_protection": (0, 4, HPET_PAGE_PROTECTION),
    "oem_attribute": (4, 4, None),
}
