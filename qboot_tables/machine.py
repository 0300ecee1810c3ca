"""MachineConfig: what a QEMU 7.2 x86 command line describes, as the table generators need it.

`MachineConfig.from_qemu_args([...])` follows QEMU 7.2's rules and defaults and refuses anything else with
a MachineConfigError naming the option. The generators (ACPI, SMBIOS, e820, MP table, fw_cfg) read only
this object, never the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from qboot_tables.errors import QbootTablesError


class MachineConfigError(QbootTablesError):
    """A command line QEMU 7.2 would refuse, or one this project does not model; the message names the option."""


@dataclass(frozen=True)
class Cpu:
    """One possible CPU (QEMU's possible_cpus slot), present at boot or hot-pluggable later."""
    index: int  # QEMU's cpu_index: 0..maxcpus-1; the ACPI processor UID and the MADT order
    apic_id: int  # from the topology bit fields (QEMU include/hw/i386/topology.h), not the index
    socket: int
    die: int
    core: int
    thread: int
    present: bool  # index < cpus: enabled at boot; the rest are hot-pluggable
    node: int | None = None  # NUMA node, None without -numa


@dataclass(frozen=True)
class NumaNode:
    node_id: int
    memory: int  # bytes of RAM in this node (its memdev's size, or mem=)
    memdev: str | None = None


@dataclass(frozen=True)
class Topology:
    sockets: int
    dies: int
    cores: int  # per die
    threads: int  # per core
    cpus: int  # present at boot
    maxcpus: int  # possible


@dataclass(frozen=True)
class MachineConfig:
    machine: str  # "pc", "q35" or "microvm"
    machine_type: str  # the versioned name QEMU resolves to: "pc-i440fx-7.2", "pc-q35-7.2", "microvm"
    topology: Topology
    cpus: tuple[Cpu, ...]  # every possible CPU, in index order
    ram_size: int  # bytes (-m size)
    ram_slots: int = 0  # -m slots=
    maxmem: int = 0  # -m maxmem=, 0 when not given
    numa_nodes: tuple[NumaNode, ...] = ()
    numa_distances: dict = field(default_factory=dict)  # {(src, dst): distance} as given with -numa dist
    smm: bool = True  # -machine smm= (auto counts as on under TCG)
    acpi: bool = True  # -machine acpi=
    hpet: bool = True  # -no-hpet / -machine hpet=off turn it off
    smbios_entry_point_type: str = "32"  # "32" (SMBIOS 2.x, _SM_) or "64" (SMBIOS 3.0, _SM3_)
    oem_id: bytes = b"BOCHS "  # -machine x-oem-id=, 6 bytes padded with spaces
    oem_table_id: bytes = b"BXPC    "  # -machine x-oem-table-id=, 8 bytes padded with spaces
    uuid: bytes | None = None  # -uuid, 16 bytes in the order QEMU stores them
    cpu_model: str = "qemu64"  # -cpu model (only the vendor matters to the tables)
    cpu_vendor: str = "AuthenticAMD"  # decides the e820 hole at 0xFD00000000 (AMD only)
    smbios_fields: dict = field(default_factory=dict)  # {type: {field: value}} from -smbios type=N,...
    args: tuple[str, ...] = ()  # the command line this came from

    @property
    def apic_id_limit(self) -> int:
        """Highest possible APIC ID + 1: what fw_cfg's MAX_CPUS carries on x86."""
        return max(c.apic_id for c in self.cpus) + 1

    @property
    def present_cpus(self) -> tuple[Cpu, ...]:
        return tuple(c for c in self.cpus if c.present)
