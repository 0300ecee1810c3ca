"""VIOT: its descriptor and its check of the node count."""
from __future__ import annotations

from qboot_tables.show.descriptions import enum_name
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas.acpi.viot import VIOT_SUBTABLE_SIZES, VIOT_TYPES, ViotType, viot
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def bdf(value, _context) -> str:
    return f"{value >> 8:02x}:{value >> 3 & 0x1F:02x}.{value & 7}"


def check_node_count(table) -> list[Finding]:
    p = table.parsed
    found = len(p.nodes)
    if p.node_count == found:
        return []
    if p.node_count > found:
        # Linux drivers/acpi/viot.c acpi_viot_init() walks node_count nodes and viot_check_bounds() refuses a
        # node past the end of the table, dropping the whole VIOT.
        return [Finding(ERROR, table.name, "node_count", f"{p.node_count}, but the table holds {found} nodes")]
    return [Finding(WARNING, table.name, "node_count", f"{p.node_count}, but the table holds {found} nodes: an OS "
                                                       f"reads only the first {p.node_count}")]


DESCRIPTOR = TableDescriptor(
    signature="VIOT",
    title="Virtual I/O Translation Table (VIOT)",
    schema=viot,
    spec="Virtual I/O Translation Table (VIOT) specification, ACPI 6.5 Table 5.6",
    min_length=48,
    meanings={
        (None, "type"): enum_name(VIOT_TYPES, "Reserved"),
        (None, "bdf"): bdf,
        (None, "bdf_start"): bdf,
        (None, "bdf_end"): bdf,
        (None, "output_node"): lambda value, _context: f"node at offset {value}",
    },
    subtables=Subtables(field="nodes", names=VIOT_TYPES, sizes=VIOT_SUBTABLE_SIZES, keys={
        ViotType.PCI_RANGE: ("body.bdf_start", "BDF"),
        ViotType.MMIO_ENDPOINT: ("body.base_address", "base"),
        ViotType.VIRTIO_PCI_IOMMU: ("body.bdf", "BDF"),
        ViotType.VIRTIO_MMIO_IOMMU: ("body.base_address", "base"),
    }),
    items="node",
    checks=(check_node_count,),
)
