"""VIOT: the Virtual I/O Translation table, which ties endpoints to paravirtualized IOMMUs (virtio-iommu)."""
from enum import IntEnum

from construct import Bytes, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 Table 5.6 reserves the VIOT signature for the Virtual I/O Translation Table specification
# (J.-P. Brucker, the ACPI description of virtio-iommu topologies); ACPICA's actbl3.h and Linux
# drivers/acpi/viot.c follow its layout. QEMU 7.2 writes it in hw/acpi/viot.c: a virtio-pci IOMMU node first,
# then one PCI range node per PCI host bridge whose output node is that IOMMU. Section names below are the
# VIOT specification's.

# VIOT §"PCI range node" (type 1, 24 bytes): a range of PCI endpoints, their endpoint IDs starting at
# endpoint_start, translated by the IOMMU node at offset output_node.
pci_range = with_extra(
    "endpoint_start" / Int32ul,
    "segment_start" / Int16ul,
    "segment_end" / Int16ul,
    "bdf_start" / Int16ul,
    "bdf_end" / Int16ul,
    "output_node" / Int16ul,  # offset of the IOMMU node from the start of the table
    "reserved" / Bytes(6),
)

# VIOT §"Single endpoint node" (type 2, 24 bytes): one memory-mapped endpoint.
mmio_endpoint = with_extra(
    "endpoint" / Int32ul,
    "base_address" / Int64ul,
    "output_node" / Int16ul,
    "reserved" / Bytes(6),
)

# VIOT §"virtio-pci IOMMU node" (type 3, 16 bytes): the IOMMU is a virtio-pci device.
virtio_pci_iommu = with_extra(
    "segment" / Int16ul,
    "bdf" / Int16ul,
    "reserved" / Int64ul,
)

# VIOT §"virtio-mmio IOMMU node" (type 4, 16 bytes): the IOMMU is a virtio-mmio device.
virtio_mmio_iommu = with_extra(
    "reserved" / Int32ul,
    "base_address" / Int64ul,
)


# VIOT node types; 0 and 5 on are reserved.
class ViotType(IntEnum):
    PCI_RANGE = 1
    MMIO_ENDPOINT = 2
    VIRTIO_PCI_IOMMU = 3
    VIRTIO_MMIO_IOMMU = 4


VIOT_SUBTABLES: dict[int, Construct] = {
    ViotType.PCI_RANGE: pci_range, ViotType.MMIO_ENDPOINT: mmio_endpoint,
    ViotType.VIRTIO_PCI_IOMMU: virtio_pci_iommu, ViotType.VIRTIO_MMIO_IOMMU: virtio_mmio_iommu,
}

# VIOT table: the header, a node count and the offset of the first node (48: right after these fields), then
# nodes, each with a 1-byte type, a reserved byte and a 2-byte length.
viot = table(
    "node_count" / Int16ul,
    "node_offset" / Int16ul,
    "reserved" / Int64ul,
    "nodes" / GreedyRange(type_length_subtable(VIOT_SUBTABLES, Int8ul, Int16ul, between=("reserved" / Int8ul,))),
)

# The specification's name of each node type, for display.
VIOT_TYPES = {ViotType.PCI_RANGE: "PCI range", ViotType.MMIO_ENDPOINT: "Single endpoint (MMIO)",
              ViotType.VIRTIO_PCI_IOMMU: "virtio-pci IOMMU", ViotType.VIRTIO_MMIO_IOMMU: "virtio-mmio IOMMU"}
VIOT_SUBTABLE_SIZES = {ViotType.PCI_RANGE: 24, ViotType.MMIO_ENDPOINT: 24, ViotType.VIRTIO_PCI_IOMMU: 16,
                       ViotType.VIRTIO_MMIO_IOMMU: 16}
VIOT_NODE_OFFSET = 48
