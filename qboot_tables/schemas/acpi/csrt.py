"""CSRT: Microsoft's Core System Resource Table, resource groups of DMA controllers, timers and interrupt
controllers that have no standard ACPI description."""
from construct import Bytes, FixedSized, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int32ul, Struct, Switch, this

from qboot_tables.schemas.common import table

GROUP_HEADER_SIZE = 28
DESCRIPTOR_HEADER_SIZE = 12
INTEL_SHARED_INFO_SIZE = 28

# Microsoft Core System Resources Table (CSRT) specification, Table 4 Resource descriptor: a length, a type
# and subtype, a UID, then resource information that the vendor defines.
resource_descriptor = Struct(
    "length" / Int32ul,
    "type" / Int16ul,  # CSRT_RESOURCE_TYPES
    "subtype" / Int16ul,  # CSRT_RESOURCE_SUBTYPES
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
CSRT_RESOURCE_TYPES = {1: "Interrupt", 2: "Timer", 3: "DMA"}
CSRT_RESOURCE_SUBTYPES = {
    1: {0: "Interrupt line", 1: "Interrupt controller"},
    2: {0: "Timer"},
    3: {0: "DMA channel", 1: "DMA controller"},
}
