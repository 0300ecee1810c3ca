"""HMAT as QEMU 7.2 builds it for -machine hmat=on (hw/acpi/hmat.c), from the -numa hmat-lb/hmat-cache model."""
from __future__ import annotations

from construct import Container

from qboot_tables.errors import build
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.generate.machine.catalogue import MAX_NODES, MiB
from qboot_tables.schemas.acpi.hmat import HMAT_SUBTABLES, HmatProximityFlags, HmatType

HMAT_STRUCTURE_HEADER = 8  # type, reserved, 4-byte length
LATENCY_TYPES = 3  # access, read and write latency come before the bandwidths
PICOSECONDS_PER_NS = 1000
U16, U32 = 0xFFFF, 0xFFFF_FFFF


def _structure(type_: int, body: Container) -> Container:
    length = HMAT_STRUCTURE_HEADER + len(build(HMAT_SUBTABLES[type_], body, f"HMAT structure type {type_}"))
    return Container(type=type_, reserved=0, length=length, body=body)


def hmat(machine: MachineConfig, header: Container) -> Container:
    """hmat_build_table_structs(): a proximity-domain structure per node, then one locality structure per
    (hierarchy, data type) given, then each node's memory-side caches by level."""
    nodes = sorted(machine.numa_nodes, key=lambda n: n.node_id)
    subtables = []
    for node in nodes:
        # A node with no initiator keeps QEMU's MAX_NODES in the field, with the valid flag clear.
        initiator = MAX_NODES if node.initiator is None else node.initiator
        subtables.append(_structure(HmatType.MEMORY_PROXIMITY_DOMAIN, Container(
            flags=0 if node.initiator is None else HmatProximityFlags.INITIATOR_PROXIMITY_DOMAIN_VALID,
            reserved1=0, initiator_proximity_domain=initiator, memory_proximity_domain=node.node_id, reserved2=0,
            reserved3=0, reserved4=0, extra=b"")))
    initiators = [node.node_id for node in nodes if node.has_cpu]
    targets = [node.node_id for node in nodes]
    for locality in machine.hmat_localities:
        # build_hmat_lb(): the base goes out in picoseconds or MB/s through a uint32_t, and each entry is the
        # value over the base, cast to 16 bits; pairs nobody gave stay 0 (no path).
        if locality.data_type < LATENCY_TYPES:
            unit = locality.base * PICOSECONDS_PER_NS & U32
        else:
            unit = locality.base // MiB & U32
        entries = [0] * (len(initiators) * len(targets))
        for initiator, target, value in locality.entries:
            entries[initiator * len(targets) + target] = value // locality.base & U16
        subtables.append(_structure(HmatType.SYSTEM_LOCALITY, Container(
            flags=locality.hierarchy, data_type=locality.data_type, min_transfer_size=0, reserved1=0,
            initiator_count=len(initiators), target_count=len(targets), reserved2=0, entry_base_unit=unit,
            initiators=initiators, targets=targets, entries=entries, extra=b"")))
    for node in nodes:
        caches = sorted((c for c in machine.hmat_caches if c.node_id == node.node_id), key=lambda c: c.level)
        for cache in caches:
            # build_hmat_cache(): total levels in bits 3:0, this level, associativity, policy, then the line size.
            attributes = (len(caches) | cache.level << 4 | cache.associativity << 8 | cache.policy << 12
                          | cache.line << 16)
            subtables.append(_structure(HmatType.MEMORY_SIDE_CACHE, Container(
                memory_proximity_domain=node.node_id, reserved1=0, cache_size=cache.size,
                cache_attributes=attributes, reserved2=0, smbios_handle_count=0, smbios_handles=[], extra=b"")))
    return Container(header=header, reserved=bytes(4), subtables=subtables, extra=b"")
