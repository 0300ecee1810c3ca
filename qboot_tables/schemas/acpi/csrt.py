"""CSRT: Microsoft's Core System Resource Table, resource groups of DMA controllers, timers and interrupt
controllers that have no standard ACPI description."""
from enum import IntEnum

from construct import Bytes, FixedSized, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int32ul, Struct, Switch, this

from qboot_tables.schemas.common import table

GROUP_HEADER_SIZE = 28
DESCRIPTOR_HEADER_SIZE = 12
INTEL_SHARED_INFO_SIZE = 28

# Microsoft Core System Resources Table (CSRT) specification, Table 4 Resource descriptor: a length, a type
# and subtype, a UID, then resource information that the vendor defines.
resource_descriptor = Struct(
    "length" / Int32ul,
    "type" / Int16ul,  # CsrtResourceType
    "subtype" / Int16ul,  # CSRT_RESOURCE_SUBTYPES, by type
    "uid" / Int32ul,  # matches the _UID of the device that uses it
    "resource_info" / Bytes(this.length - DESCRIPTOR_HEADER_SIZE),
)

# The shared information is the vendor's too. Intel's DMA controller groups, the ones found on PCs, give it
# this 28-byte layout (ACPICA actbl1.h struct acpi_csrt_shared_info, which iasl applies to every group); any
# other length stays bytes.
intel_shared_info = Struct(
    "major_version" / Int16ul,
    "minor_version" / Int16ul,
    "mmio_base_address_low" / Int32ul,
    "mmio_base_address_high" / Int32ul,
    "gsi_interrupt" / Int32ul,
    "interrupt_polarity" / Int8ul,
    "interrupt_mode" / Int8ul,
    "num_channels" / Int8ul,
    "dma_address_width" / Int8ul,
    "base_request_line" / Int16ul,
    "num_handshake_signals" / Int16ul,
    "max_block_size" / Int32ul,
)

# CSRT specification, Table 3 Resource group header (28 bytes), then the shared information and the resource
# descriptors. The length counts the whole group.
resource_group_body = Struct(
    "vendor_id" / Int32ul,  # four ASCII characters ("INTL")
    "subvendor_id" / Int32ul,
    "device_id" / Int16ul,
    "subdevice_id" / Int16ul,
    "revision" / Int16ul,
    "reserved" / Int16ul,
    "shared_info_length" / Int32ul,
    "shared_info" / FixedSized(this.shared_info_length, Switch(
        this.shared_info_length, {INTEL_SHARED_INFO_SIZE: intel_shared_info}, default=GreedyBytes)),
    "descriptors" / GreedyRange(resource_descriptor),
    "extra" / GreedyBytes,
)
resource_group = Struct(
    "length" / Int32ul,
    "body" / FixedSized(this.length - 4, resource_group_body),
)

# CSRT specification, Table 2: the header, then resource groups.
csrt = table(
    "groups" / GreedyRange(resource_group),
)


# CSRT specification, Table 5 Resource types and subtypes.
class CsrtResourceType(IntEnum):
    INTERRUPT = 1
    TIMER = 2
    DMA = 3


class CsrtInterruptSubtype(IntEnum):
    INTERRUPT_LINE = 0
    INTERRUPT_CONTROLLER = 1


class CsrtTimerSubtype(IntEnum):
    TIMER = 0


class CsrtDmaSubtype(IntEnum):
    DMA_CHANNEL = 0
    DMA_CONTROLLER = 1


# The spec's name of each resource type and, by type, of each subtype, for display.
CSRT_RESOURCE_TYPES = {CsrtResourceType.INTERRUPT: "Interrupt", CsrtResourceType.TIMER: "Timer",
                       CsrtResourceType.DMA: "DMA"}
CSRT_RESOURCE_SUBTYPES: dict[int, dict[int, str]] = {
    CsrtResourceType.INTERRUPT: {CsrtInterruptSubtype.INTERRUPT_LINE: "Interrupt line",
                                 CsrtInterruptSubtype.INTERRUPT_CONTROLLER: "Interrupt controller"},
    CsrtResourceType.TIMER: {CsrtTimerSubtype.TIMER: "Timer"},
    CsrtResourceType.DMA: {CsrtDmaSubtype.DMA_CHANNEL: "DMA channel", CsrtDmaSubtype.DMA_CONTROLLER: "DMA controller"},
}
