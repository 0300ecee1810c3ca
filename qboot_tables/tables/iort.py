"""IORT: its descriptor and its checks of the node count and of where ID mappings point."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas.acpi.iort import (ALLOCATION_HINTS, ATS_ATTRIBUTES, CACHE_COHERENCY, ID_MAPPING_FLAGS,
                                            INTERRUPT_FLAGS, IORT_TYPES, MEMORY_ACCESS_FLAGS,
                                            NAMED_COMPONENT_FLAG_FIELDS, RMR_FLAG_FIELDS, ROOT_COMPLEX_FLAGS,
                                            SMMU_FLAGS, SMMU_MODELS, SMMU_V3_FLAG_FIELDS, SMMU_V3_MODELS, IortType,
                                            iort)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def node_offsets(parsed) -> list[int]:
    """The offset from the start of the table of each node parsed."""
    offsets, at = [], parsed.node_offset
    for node in parsed.nodes:
        offsets.append(at)
        at += node.length
    return offsets


def check_node_count(table) -> list[Finding]:
    p = table.parsed
    found = len(p.nodes)
    if p.node_count > found:
        # Linux drivers/acpi/arm64/iort.c iort_scan_node() walks node_count nodes and stops with a firmware-bug
        # warning ("IORT node pointer overflows, bad table!") at one past the end of the table.
        return [Finding(ERROR, table.name, "node_count", f"{p.node_count}, but the table holds {found} nodes")]
    if p.node_count < found:
        return [Finding(WARNING, table.name, "node_count", f"{p.node_count}, but the table holds {found} nodes: an OS "
                                                           f"reads only the first {p.node_count}")]
    return []


def check_output_references(table) -> list[Finding]:
    # Linux drivers/acpi/arm64/iort.c iort_node_map_id() and iort_node_get_id() follow output_reference as the
    # offset of a node from the start of the table, and report a zero one as a firmware bug ("ID map has NULL
    # parent reference"); one that is not a node's offset sends them into the middle of another structure.
    p = table.parsed
    offsets = set(node_offsets(p))
    findings = []
    for i, node in enumerate(p.nodes):
        if not isinstance(node.body, dict):
            continue
        for j, mapping in enumerate(node.body.get("id_mappings") or ()):
            if mapping.output_reference not in offsets:
                findings.append(Finding(ERROR, table.name, f"nodes[{i}].body.id_mappings[{j}].output_reference",
                                        f"{mapping.output_reference:#x} is not the offset of a node"))
    return findings


def id_count(value, _context) -> str:
    count = value + 1  # DEN0049: the number of IDs in the range minus one
    return f"{count} ID{'s' if count > 1 else ''}"


def node_at(value, _context) -> str:
    return f"node at offset {value:#x}"


def smmu_interrupt(value, _context) -> str:
    gsiv, flags = value & 0xFFFFFFFF, value >> 32
    return f"GSIV {gsiv}, {'edge' if flags & 1 else 'level'}-triggered"


def memory_address_limit(value, _context) -> str:
    return f"{value}-bit addresses"


DESCRIPTOR = TableDescriptor(
    signature="IORT",
    title="IO Remapping Table (IORT)",
    schema=iort,
    spec="Arm IO Remapping Table, Platform Design Document (ARM DEN 0049), issues D to E.f",
    min_length=48,
    meanings={
        (None, "type"): enum_name(IORT_TYPES, "Reserved"),
        (None, "cache_coherency"): enum_name(CACHE_COHERENCY, "Reserved"),
        (None, "hints"): bit_names(ALLOCATION_HINTS),
        (None, "memory_flags"): bit_names(MEMORY_ACCESS_FLAGS),
        (None, "memory_address_limit"): memory_address_limit,
        (None, "id_count"): id_count,
        (None, "output_reference"): node_at,
        (None, "node_reference"): node_at,
        (None, "flags"): bit_names(ID_MAPPING_FLAGS),
        (None, "node_flags"): bit_fields(NAMED_COMPONENT_FLAG_FIELDS),
        (None, "ats_attribute"): bit_names(ATS_ATTRIBUTES),
        (None, "root_complex_flags"): bit_names(ROOT_COMPLEX_FLAGS),
        (None, "pasid_capabilities"): lambda value, _context: f"PASID width {value & 0x1F} bits",
        (IortType.SMMU_V1_V2, "model"): enum_name(SMMU_MODELS, "Reserved"),
        (IortType.SMMU_V1_V2, "smmu_flags"): bit_names(SMMU_FLAGS),
        (None, "nsg_irpt_flags"): bit_names(INTERRUPT_FLAGS),
        (None, "nsg_cfg_irpt_flags"): bit_names(INTERRUPT_FLAGS),
        (None, "context_interrupts"): smmu_interrupt,
        (None, "pmu_interrupts"): smmu_interrupt,
        (IortType.SMMU_V3, "model"): enum_name(SMMU_V3_MODELS, "Reserved"),
        (IortType.SMMU_V3, "smmu_flags"): bit_fields(SMMU_V3_FLAG_FIELDS),
        (None, "rmr_flags"): bit_fields(RMR_FLAG_FIELDS),
    },
    subtables=Subtables(field="nodes", names=IORT_TYPES, keys={
        IortType.ITS_GROUP: ("body.identifier", "identifier"),
        IortType.NAMED_COMPONENT: ("body.device_name", "name"),
        IortType.ROOT_COMPLEX: ("body.pci_segment_number", "segment"),
        IortType.SMMU_V1_V2: ("body.base_address", "base"),
        IortType.SMMU_V3: ("body.base_address", "base"),
        IortType.PMCG: ("body.page0_base_address", "base"),
        IortType.RMR: ("body.identifier", "identifier"),
        IortType.IWB: ("body.iwb_index", "index"),
    }),
    items="node",
    checks=(check_node_count, check_output_references),
)
