"""CPU topology arithmetic: APIC IDs from socket, die, core and thread, as QEMU's topology.h computes them."""
from __future__ import annotations

from qboot_tables.generate.machine.model import Cpu, Topology

def apic_id_bit_width(count: int) -> int:
    """topology.h apicid_bitwidth_for_count: bits for `count` IDs, ceil(log2(count)), 0 for one."""
    return (count - 1).bit_length()


def topology_apic_id(topology: Topology, socket: int, die: int, core: int, thread: int) -> int:
    """topology.h x86_apicid_from_topo_ids: each level gets a bit field, threads lowest."""
    smt_width = apic_id_bit_width(topology.threads)
    core_offset = smt_width
    die_offset = core_offset + apic_id_bit_width(topology.cores)
    pkg_offset = die_offset + apic_id_bit_width(topology.dies)
    return (socket << pkg_offset) | (die << die_offset) | (core << core_offset) | thread


def topology_ids(topology: Topology, index: int) -> tuple[int, int, int, int]:
    """topology.h x86_topo_ids_from_idx: (socket, die, core, thread) of CPU `index`."""
    t = topology
    return (index // (t.dies * t.cores * t.threads), index // (t.cores * t.threads) % t.dies,
            index // t.threads % t.cores, index % t.threads)


def possible_cpus(topology: Topology, nodes: dict[int, int] | None = None) -> tuple[Cpu, ...]:
    """Every possible CPU with its APIC ID; `nodes` maps a CPU index to its NUMA node."""
    cpus = []
    for index in range(topology.maxcpus):
        socket, die, core, thread = topology_ids(topology, index)
        cpus.append(Cpu(index=index, apic_id=topology_apic_id(topology, socket, die, core, thread),
                        socket=socket, die=die, core=core, thread=thread, present=index < topology.cpus,
                        node=None if nodes is None else nodes[index]))
    return tuple(cpus)
