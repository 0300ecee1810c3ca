"""MachineConfig: what a QEMU 7.2 x86 command line describes, as the table generators need it.

`MachineConfig.from_qemu_args([...])` follows QEMU 7.2's rules and defaults and refuses anything else with
a MachineConfigError naming the option. The generators (ACPI, SMBIOS, e820, MP table, fw_cfg) read only
this object, never the command line.

Facts below are from QEMU 7.2's sources (tag v7.2.0): hw/core/machine-smp.c (-smp), hw/core/machine.c and
softmmu/vl.c (-m, -machine), hw/core/numa.c (-numa), hw/i386/x86.c and include/hw/i386/topology.h (APIC IDs),
hw/i386/pc.c, pc_piix.c, pc_q35.c, microvm.c (machine types, memory split), target/i386/cpu.c (CPU models),
util/cutils.c, util/qemu-option.c, util/keyval.c and qapi/*-visitor.c (how each option's numbers are read),
and were checked against Debian's qemu-system-x86 7.2 (tests/test_machine.py).

Numbers are read the way QEMU reads them (ASCII C syntax, counted before they are converted), so a value
QEMU accepts gives QEMU's result and one it refuses gets QEMU's reason. Where QEMU 7.2 only "accepts" by
undefined behaviour (a topology whose 32-bit product wraps, RAM rounded up to 0 bytes) we refuse instead.
Messages repeat at most about 80 characters of any argument (`quote`).

Model choice: QEMU under TCG refuses APIC IDs of 255 and above ("requires kernel irqchip and X2APIC API
support"); with KVM's x2APIC it accepts them. We follow the KVM rule so large x2APIC topologies can be
described; everything else follows TCG (the SMM default, the CPU models' CPUID as TCG filters it).

Options that cannot change the tables or the fw_cfg selectors we model are accepted and ignored
(`IGNORED_OPTIONS`, `IGNORED_FLAGS`); anything else is refused.
"""
from __future__ import annotations

import math
import re
import uuid as uuid_module
from dataclasses import dataclass, field

from qboot_tables.errors import QbootTablesError, quote

KiB, MiB, GiB, TiB = 1 << 10, 1 << 20, 1 << 30, 1 << 40


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


# ---- machine types

@dataclass(frozen=True)
class MachineType:
    """The properties of one QEMU 7.2 machine type that change what we generate."""
    name: str  # "pc-i440fx-7.2"
    family: str  # "pc", "q35" or "microvm"
    description: str  # MachineClass desc: SMBIOS type 1 product name
    max_cpus: int
    prefer_sockets: bool  # -smp: sockets before cores when both are omitted (machine types before 6.2)
    enforce_amd_1tb_hole: bool  # pc.c: the e820 HyperTransport hole for AMD CPUs (machine types 7.1 and up)


PC_DESCRIPTION = "Standard PC (i440FX + PIIX, 1996)"
Q35_DESCRIPTION = "Standard PC (Q35 + ICH9, 2009)"
MICROVM_DESCRIPTION = "microvm (i386)"


def _machine_types() -> dict[str, MachineType]:
    # pc_piix.c / pc_q35.c: 7.1 and 7.2 differ only in things that do not reach the tables (rng seed, virtio
    # queue reset); 7.0 and 6.2 lack the AMD hole; 6.1 prefers sockets. 6.0 changes qemu64's CPUID (the
    # SMBIOS processor ID) and q35's PCI hotplug, so it and older types are refused rather than half-modelled.
    types = {}
    for version, amd_hole, prefer_sockets in (("7.2", True, False), ("7.1", True, False),
                                              ("7.0", False, False), ("6.2", False, False),
                                              ("6.1", False, True)):
        for family, prefix, description, max_cpus in (("pc", "pc-i440fx-", PC_DESCRIPTION, 255),
                                                      ("q35", "pc-q35-", Q35_DESCRIPTION, 288)):
            name = prefix + version
            types[name] = MachineType(name, family, description, max_cpus, prefer_sockets, amd_hole)
    types["microvm"] = MachineType("microvm", "microvm", MICROVM_DESCRIPTION, 288, False, False)
    return types


MACHINE_TYPES = _machine_types()
MACHINE_ALIASES = {"pc": "pc-i440fx-7.2", "q35": "pc-q35-7.2"}  # m->alias of the 7.2 types


# ---- CPU models

@dataclass(frozen=True)
class CpuModel:
    vendor: str  # CPUID vendor string (target/i386/cpu.c builtin_x86_defs)
    processor_id: int  # SMBIOS type 4 processor ID under TCG: CPUID.1 EAX | EDX << 32 as QEMU 7.2 reports it
    long_mode: bool  # TCG gives 64-bit models 40 physical address bits, 32-bit ones 36 (cpu.c realize)


# Measured: SMBIOS type 4 processor IDs from Debian's QEMU 7.2 under TCG (`-machine pc -cpu MODEL`), since
# TCG filters the models' CPUID features; vendors from target/i386/cpu.c. `max` under TCG is AuthenticAMD
# (max_x86_cpu_initfn). `host` needs KVM and is refused.
CPU_MODELS = {
    "qemu64": CpuModel("AuthenticAMD", 0x078BFBFD_00060FB1, True),
    "qemu32": CpuModel("GenuineIntel", 0x0781ABFD_00000663, False),
    "kvm64": CpuModel("GenuineIntel", 0x078BFBFD_00000F61, True),
    "kvm32": CpuModel("GenuineIntel", 0x078BFBFD_00000F61, False),
    "max": CpuModel("AuthenticAMD", 0x0FCBFBFD_00060FB1, True),
    "base": CpuModel("", 0, True),
    "phenom": CpuModel("AuthenticAMD", 0x078BFBFD_00100F23, True),
    "athlon": CpuModel("AuthenticAMD", 0x0783FBFD_00000623, False),
    "core2duo": CpuModel("GenuineIntel", 0x0FCBFBFD_000006FB, True),
    "coreduo": CpuModel("GenuineIntel", 0x0FC9FBFD_000006E8, False),
    "n270": CpuModel("GenuineIntel", 0x0FC9FBFD_000106C2, False),
    "pentium": CpuModel("GenuineIntel", 0x008003BD_00000543, False),
    "pentium2": CpuModel("GenuineIntel", 0x0183FBFD_00000652, False),
    "pentium3": CpuModel("GenuineIntel", 0x0383FBFD_00000673, False),
    "486": CpuModel("GenuineIntel", 0x00000009_00000480, False),
    "Conroe": CpuModel("GenuineIntel", 0x078BFBFD_000006F3, True),
    "Penryn": CpuModel("GenuineIntel", 0x078BFBFD_00010673, True),
    "Nehalem": CpuModel("GenuineIntel", 0x078BFBFD_000106A3, True),
    "Westmere": CpuModel("GenuineIntel", 0x078BFBFD_000206C1, True),
    "SandyBridge": CpuModel("GenuineIntel", 0x078BFBFD_000206A1, True),
    "IvyBridge": CpuModel("GenuineIntel", 0x078BFBFD_000306A9, True),
    "Haswell": CpuModel("GenuineIntel", 0x078BFBFD_000306C4, True),
    "Broadwell": CpuModel("GenuineIntel", 0x078BFBFD_000306D2, True),
    "Skylake-Client": CpuModel("GenuineIntel", 0x078BFBFD_000506E3, True),
    "Skylake-Server": CpuModel("GenuineIntel", 0x078BFBFD_00050654, True),
    "Cascadelake-Server": CpuModel("GenuineIntel", 0x078BFBFD_00050656, True),
    "Cooperlake": CpuModel("GenuineIntel", 0x078BFBFD_0005065A, True),
    "Icelake-Server": CpuModel("GenuineIntel", 0x078BFBFD_00080660, True),
    "Snowridge": CpuModel("GenuineIntel", 0x078BFBFD_00080661, True),
    "Denverton": CpuModel("GenuineIntel", 0x078BFBFD_000506F1, True),
    "Opteron_G1": CpuModel("AuthenticAMD", 0x078BFBFD_00000F61, True),
    "Opteron_G2": CpuModel("AuthenticAMD", 0x078BFBFD_00000F61, True),
    "Opteron_G3": CpuModel("AuthenticAMD", 0x078BFBFD_00100F23, True),
    "Opteron_G4": CpuModel("AuthenticAMD", 0x078BFBFD_00600F12, True),
    "Opteron_G5": CpuModel("AuthenticAMD", 0x078BFBFD_00600F20, True),
    "EPYC": CpuModel("AuthenticAMD", 0x078BFBFD_00800F12, True),
    "EPYC-Rome": CpuModel("AuthenticAMD", 0x078BFBFD_00830F10, True),
    "EPYC-Milan": CpuModel("AuthenticAMD", 0x078BFBFD_00A00F11, True),
    "Dhyana": CpuModel("HygonGenuine", 0x078BFBFD_00900F01, True),
}
TCG_PHYS_BITS_64, TCG_PHYS_BITS_32 = 40, 36

# ---- memory layout constants (hw/i386/pc.c, pc_piix.c, pc_q35.c, microvm.c; hw/pci-host/*.c)
FOUR_GIB = 4 * GiB
PC_DEFAULT_MAX_RAM_BELOW_4G = 0xE000_0000  # pc_piix.c: the traditional 3.5G split
PC_GIGABYTE_SPLIT = 0xC000_0000  # pc_piix.c gigabyte_align: split at 3G when RAM must be split
Q35_LOW_SPLIT, Q35_HIGH_SPLIT = 0x8000_0000, 0xB000_0000  # pc_q35.c: 2G when RAM >= 0xB0000000, else 2.75G
MICROVM_SPLIT = 0xC000_0000  # microvm.c: 3G
AMD_HT_START = 0xFD_0000_0000  # pc.c: the AMD IOMMU HyperTransport range, reserved in e820
AMD_HT_END = 0xFF_FFFF_FFFF
AMD_ABOVE_1TB_START = AMD_HT_END + 1
PCI_HOLE64_SIZE = {"pc": 1 << 31, "q35": 1 << 35}  # i440fx.c / q35.c PCI_HOST_PROP_PCI_HOLE64_SIZE defaults
DEFAULT_RAM_SIZE = 128 * MiB  # machine.c default_ram_size
RAM_ALIGN = 8192  # machine.c machine_set_mem rounds -m up to this
ACPI_MAX_RAM_SLOTS = 256  # include/hw/acpi/pc-hotplug.h
TARGET_PAGE_SIZE = 4096
NUMA_DISTANCE_MIN, NUMA_DISTANCE_MAX = 10, 255  # include/sysemu/numa.h
MAX_NODES = 128

ACPI_OEM_ID = b"BOCHS "  # ACPI_BUILD_APPNAME6
ACPI_OEM_TABLE_ID = b"BXPC    "  # ACPI_BUILD_APPNAME8


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
    hpet: bool = True  # -no-hpet / -machine hpet=off turn it off; microvm has none
    smbios_entry_point_type: str = "32"  # "32" (SMBIOS 2.x, _SM_) or "64" (SMBIOS 3.0, _SM3_)
    # -machine x-oem-id= / x-oem-table-id=: QEMU strncpy()s the value, so a short one is NUL-padded.
    oem_id: bytes = ACPI_OEM_ID
    oem_table_id: bytes = ACPI_OEM_TABLE_ID
    uuid: bytes | None = None  # -uuid (or -smbios type=1,uuid=), 16 bytes in RFC 4122 (fw_cfg) order
    cpu_model: str = "qemu64"  # -cpu model (only the vendor matters to the tables)
    cpu_vendor: str = "AuthenticAMD"  # decides the e820 hole at 0xFD00000000 (AMD only)
    smbios_fields: dict = field(default_factory=dict)  # {type: {field: value}} from -smbios type=N,...
    args: tuple[str, ...] = ()  # the command line this came from
    max_ram_below_4g: int = 0  # -machine max-ram-below-4g=, 0 for the machine's default
    vmgenid_guid: str | None = None  # -device vmgenid,guid=: QEMU then adds a VMGENID SSDT
    nographic: bool = False  # -nographic / -machine graphics=off: fw_cfg NOGRAPHIC
    boot_menu: bool = False  # -boot menu=on: fw_cfg BOOT_MENU
    has_numa_distance: bool = False  # some -numa dist was given: QEMU then builds a SLIT

    # ---- derived facts the generators share

    @property
    def machine_class(self) -> MachineType:
        try:
            return MACHINE_TYPES[self.machine_type]
        except KeyError:
            raise MachineConfigError(f"-machine: machine type {self.machine_type!r} is not modelled") from None

    @property
    def machine_description(self) -> str:
        """MachineClass desc: "Standard PC (i440FX + PIIX, 1996)", "Standard PC (Q35 + ICH9, 2009)", ..."""
        return self.machine_class.description

    @property
    def apic_id_limit(self) -> int:
        """Highest possible APIC ID + 1: what fw_cfg's MAX_CPUS carries on x86."""
        return max(c.apic_id for c in self.cpus) + 1

    @property
    def present_cpus(self) -> tuple[Cpu, ...]:
        return tuple(c for c in self.cpus if c.present)

    @property
    def cpu(self) -> CpuModel:
        return CPU_MODELS.get(self.cpu_model, CpuModel(self.cpu_vendor, 0, True))

    @property
    def cpu_phys_bits(self) -> int:
        return TCG_PHYS_BITS_64 if self.cpu.long_mode else TCG_PHYS_BITS_32

    @property
    def smbios_processor_id(self) -> int:
        """SMBIOS type 4 processor ID: -smbios type=4,processor-id= if non-zero, else the CPU model's."""
        given = parse_number(str(self.smbios_fields.get(4, {}).get("processor-id", "0")),
                             "-smbios type=4,processor-id=", "processor-id")
        return given or self.cpu.processor_id

    @property
    def smbios_sockets(self) -> int:
        """How many type 4 structures QEMU writes: one per socket, present or not.

        Debian's 7.2.22 carries the upstream fix "hw/smbios: Fix smbios_smp_sockets caculation" (smp.sockets);
        v7.2.0 computed DIV_ROUND_UP(cpus, cores * threads). Measured: `-smp 2,sockets=2,cores=2,maxcpus=4`
        gives two."""
        return self.topology.sockets

    @property
    def cores_per_socket(self) -> int:
        return self.topology.dies * self.topology.cores

    @property
    def threads_per_socket(self) -> int:
        return self.cores_per_socket * self.topology.threads

    @property
    def has_smbios(self) -> bool:
        return self.machine != "microvm"  # microvm sets no SMBIOS defaults and adds no SMBIOS files

    @property
    def below_4g_mem(self) -> int:
        return self._ram_split()[0]

    @property
    def above_4g_mem(self) -> int:
        return self._ram_split()[1]

    def _ram_split(self) -> tuple[int, int]:
        ram = self.ram_size
        if self.machine == "pc":
            # pc_piix.c: the split is max-ram-below-4g (3.5G by default), lowered to 3G for a machine whose
            # RAM reaches it (gigabyte_align, set for every type we model).
            lowmem = self.max_ram_below_4g or PC_DEFAULT_MAX_RAM_BELOW_4G
            if ram >= lowmem:
                lowmem = min(lowmem, PC_GIGABYTE_SPLIT)
            return (lowmem, ram - lowmem) if ram >= lowmem else (ram, 0)
        if self.machine == "q35":
            # pc_q35.c: 2G when RAM reaches 0xB0000000, else 0xB0000000, capped by max-ram-below-4g.
            lowmem = Q35_LOW_SPLIT if ram >= Q35_HIGH_SPLIT else Q35_HIGH_SPLIT
            lowmem = min(lowmem, self.max_ram_below_4g or FOUR_GIB)
            return (lowmem, ram - lowmem) if ram >= lowmem else (ram, 0)
        # microvm.c: split at 3G, strictly above it.
        return (MICROVM_SPLIT, ram - MICROVM_SPLIT) if ram > MICROVM_SPLIT else (ram, 0)

    @property
    def is_amd(self) -> bool:
        return self.cpu_vendor == "AuthenticAMD"  # IS_AMD_CPU: Hygon does not count

    @property
    def amd_ht_hole(self) -> bool:
        """pc.c: AMD CPUs on 7.1+ pc/q35 get the HyperTransport range reserved in e820 (phys-bits >= 40)."""
        return (self.machine != "microvm" and self.machine_class.enforce_amd_1tb_hole and self.is_amd
                and self.cpu_phys_bits >= 40)

    @property
    def above_4g_mem_start(self) -> int:
        """Where RAM above 4G starts: 4G, or 1T when an AMD machine's PCI hole would reach the HT range."""
        if (self.machine != "microvm" and self.machine_class.enforce_amd_1tb_hole and self.is_amd
                and self._max_used_gpa(FOUR_GIB) >= AMD_HT_START):
            return AMD_ABOVE_1TB_START
        return FOUR_GIB

    @property
    def device_memory(self) -> tuple[int, int] | None:
        """(base, size) of the memory hotplug region (pc.c pc_get_device_memory_range), None without maxmem."""
        if self.machine == "microvm" or self.maxram_size <= self.ram_size:
            return None
        return self._device_memory(self.above_4g_mem_start)

    @property
    def maxram_size(self) -> int:
        return self.maxmem or self.ram_size

    def _device_memory(self, above_start: int) -> tuple[int, int]:
        base = _round_up(above_start + self.above_4g_mem, GiB)
        # enforce_aligned_dimm: room for 1 GiB alignment per slot.
        return base, self.maxram_size - self.ram_size + GiB * self.ram_slots

    def _max_used_gpa(self, above_start: int) -> int:
        """pc.c pc_max_used_gpa: the end of the 64-bit PCI hole (or the CPU's limit on 32-bit CPUs)."""
        if self.cpu_phys_bits <= 32:
            return (1 << self.cpu_phys_bits) - 1
        if self.maxram_size > self.ram_size:
            base, size = self._device_memory(above_start)
            hole64_start = base + size
        else:
            hole64_start = above_start + self.above_4g_mem
        return _round_up(hole64_start, GiB) + PCI_HOLE64_SIZE[self.machine] - 1

    @property
    def numa_distance_matrix(self) -> list[list[int]] | None:
        """The complete distance table QEMU builds from -numa dist (numa.c), or None when none was given."""
        if not self.has_numa_distance:
            return None
        n = len(self.numa_nodes)
        given = self.numa_distances
        return [[given.get((s, d)) or (NUMA_DISTANCE_MIN if s == d else given.get((d, s), 0)) for d in range(n)]
                for s in range(n)]

    @property
    def cpu_nodes(self) -> tuple[int | None, ...]:
        """The NUMA node of each possible CPU, in index order (None without NUMA)."""
        return tuple(c.node for c in self.cpus)

    # ---- parsing

    @classmethod
    def from_qemu_args(cls, args: list[str]) -> MachineConfig:
        """Describe the machine a QEMU 7.2 command line (without the binary) would build."""
        if isinstance(args, (str, bytes)) or not hasattr(args, "__iter__"):
            raise MachineConfigError(f"the QEMU command line must be a list of strings, not "
                                     f"{type(args).__name__}")
        args = list(args)
        for number, arg in enumerate(args, 1):
            if not isinstance(arg, str):
                raise MachineConfigError(f"argument {number}: expected a string, not {type(arg).__name__}")
            if "\0" in arg:  # no argv string can hold one, so it cannot be what the user meant
                raise MachineConfigError(f"argument {number} {quote(arg)}: contains a NUL character")
        return _Parser(args).config()


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


def _round_up(value: int, alignment: int) -> int:
    return -(-value // alignment) * alignment


def _signed32(value: int) -> int:
    """An unsigned 32-bit count as QEMU's %d prints it: 4294967295 is -1."""
    return value - (1 << 32) if value >> 31 else value


# ---- command line parsing

# Options that change neither the tables nor the fw_cfg selectors we model, with their argument.
IGNORED_OPTIONS = {
    "display", "serial", "parallel", "monitor", "qmp", "qmp-pretty", "chardev", "name", "pidfile", "D", "d",
    "drive", "hda", "hdb", "hdc", "hdd", "cdrom", "fda", "fdb", "netdev", "rtc", "vnc", "L", "bios",
    "kernel", "initrd", "append", "dtb", "fw_cfg", "trace", "msg", "k", "accel", "icount", "loadvm",
    "incoming", "runas", "chroot", "sandbox", "audiodev", "mon", "qtest", "qtest-log", "action",
}
IGNORED_FLAGS = {"S", "snapshot", "no-reboot", "no-shutdown", "daemonize", "enable-fips", "no-user-config",
                 "nodefconfig", "full-screen", "no-quit", "no-acpi-tables-placeholder"}
# -device types that only add a PCI (or virtio-mmio) function: they change the DSDT's PCI bus at most, which
# QEMU builds and we do not copy. vmgenid adds an SSDT and is recorded.
IGNORED_DEVICES = {
    "virtio-blk-pci", "virtio-net-pci", "virtio-scsi-pci", "virtio-rng-pci", "virtio-balloon-pci",
    "virtio-serial-pci", "virtio-gpu-pci", "virtio-keyboard-pci", "virtio-mouse-pci", "virtio-tablet-pci",
    "virtio-9p-pci", "virtio-blk-device", "virtio-net-device", "virtio-rng-device", "virtio-serial-device",
    "virtio-blk", "virtio-net", "virtio-rng", "e1000", "e1000e", "rtl8139", "ide-hd", "ide-cd", "scsi-hd",
    "scsi-cd", "usb-ehci", "qemu-xhci", "usb-tablet", "usb-kbd", "usb-mouse", "VGA", "isa-debugcon",
    "isa-debug-exit", "pvpanic",
}
MACHINE_PROPERTIES = {"type", "smm", "acpi", "hpet", "smbios-entry-point-type", "x-oem-id", "x-oem-table-id",
                      "max-ram-below-4g", "accel", "graphics"}
SMP_KEYS = ("cpus", "maxcpus", "sockets", "dies", "clusters", "cores", "threads")
MIN_CPUS = 1  # mc->min_cpus of every machine type we model ("The min CPUs supported by machine ... is 1")
BOOT_KEYS = ("order", "once", "menu", "splash", "splash-time", "reboot-timeout", "strict")  # BootConfiguration
# hw/smbios/smbios.c qemu_smbios_typeN_opts: the fields each -smbios type accepts.
SMBIOS_KEYS = {
    0: {"vendor", "version", "date", "release", "uefi"},
    1: {"manufacturer", "product", "version", "serial", "uuid", "sku", "family"},
    2: {"manufacturer", "product", "version", "serial", "asset", "location"},
    3: {"manufacturer", "version", "serial", "asset", "sku"},
    4: {"sock_pfx", "manufacturer", "version", "max-speed", "current-speed", "serial", "asset", "part",
        "processor-id"},
    17: {"loc_pfx", "bank", "manufacturer", "serial", "asset", "part", "speed"},
}


# ---- user text in messages

def _at(label: str, text: str) -> str:
    """Where a bad value sits: "-m maxmem='1.5'", "-m '1.5'" (label "-m maxmem=" or "-m")."""
    return label + ("" if label.endswith("=") else " ") + quote(text)


# ---- numbers: QEMU's own parsers of command-line text
#
# QEMU 7.2 reads every number on its command line with C's strtoull/strtoll in the C locale (util/cutils.c
# qemu_strtou64, qemu_strtoi64, parse_uint and qemu_strtosz), behind three front ends that word their errors
# differently: QemuOpts (util/qemu-option.c: -m, -smbios), keyval with the QObject input visitor
# (util/keyval.c, qapi/qobject-input-visitor.c: -smp, -machine, -boot) and the OptsVisitor
# (qapi/opts-visitor.c: -numa, -object). So the syntax is ASCII only: leading C white space, one sign, a 0x
# prefix or a leading 0 (octal) where the base is 0, and nothing after the digits. Python's int() would also
# take Unicode digits, "1_000" and trailing blanks, and refuses more than 4,300 digits with a ValueError;
# here digits are counted first and at most a few dozen ever reach int().

U64_LIMIT = 1 << 64
U32_MASK = 0xFFFF_FFFF
_C_SPACE = frozenset(" \t\n\v\f\r")  # isspace() in the C locale
_DIGITS = {8: frozenset("01234567"), 10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}
_MAX_DIGITS = {8: 22, 10: 20, 16: 16}  # more significant digits than this is >= 2**64 in that base
_SIZE_SHIFT = {c: shift for letters, shift in (("bB", 0), ("kK", 10), ("mM", 20), ("gG", 30), ("tT", 40),
                                               ("pP", 50), ("eE", 60)) for c in letters}
DBL_MIN = 2.2250738585072014e-308  # below it (but not 0) glibc's strtod reports ERANGE (underflow)
OPTS_VISITOR_RANGE_MAX = 65536  # qapi/opts-visitor.c: the most values one "a-b" range may give


class _NotANumber(Exception):
    """Internal: the text is no number for this parser; too_big when C would report ERANGE. Always turned into
    a MachineConfigError by the parse_* function that called the scanner."""

    def __init__(self, too_big: bool = False):
        super().__init__()
        self.too_big = too_big


def _strto(text: str, start: int, base: int) -> tuple[int, int, bool]:
    """glibc strtoull/strtoll's scan from `start`: (magnitude, end, negative); end is `start` when there is no
    number. The magnitude is capped at 2**64, which is out of range for every caller."""
    i, n = start, len(text)
    while i < n and text[i] in _C_SPACE:
        i += 1
    negative = False
    if i < n and text[i] in "+-":
        negative = text[i] == "-"
        i += 1
    # "0x" counts as a prefix only before a hex digit; otherwise the "0" is the number and "x" follows it.
    if base in (0, 16) and text[i:i + 2] in ("0x", "0X") and text[i + 2:i + 3] in _DIGITS[16]:
        i, base = i + 2, 16
    elif base == 0:
        base = 8 if text[i:i + 1] == "0" else 10
    digits, first = _DIGITS[base], i
    while i < n and text[i] in digits:
        i += 1
    if i == first:
        return 0, start, False
    significant = text[first:i].lstrip("0")
    if len(significant) > _MAX_DIGITS[base]:
        return U64_LIMIT, i, negative
    return min(int(significant or "0", base), U64_LIMIT), i, negative


def _strtou64(text: str) -> int:
    """qemu_strtou64(text, NULL, 0): strtoull over the whole text. A minus sign wraps ("-1" is 2**64 - 1)."""
    magnitude, end, negative = _strto(text, 0, 0)
    if end == 0 or end != len(text):
        raise _NotANumber()
    if magnitude >= U64_LIMIT:
        raise _NotANumber(too_big=True)
    return -magnitude % U64_LIMIT if negative else magnitude


def _strtoi64(text: str) -> int:
    """qemu_strtoi64(text, NULL, 0): strtoll over the whole text, -2**63 to 2**63 - 1."""
    magnitude, end, negative = _strto(text, 0, 0)
    if end == 0 or end != len(text):
        raise _NotANumber()
    if magnitude > (1 << 63) - (0 if negative else 1):
        raise _NotANumber(too_big=True)
    return -magnitude if negative else magnitude


def _parse_uint_prefix(text: str, start: int) -> tuple[int, int]:
    """util/cutils.c parse_uint: strtoull from `start`, but a minus sign or overflow is an error."""
    magnitude, end, negative = _strto(text, start, 0)
    if end == start or negative or magnitude >= U64_LIMIT:
        raise _NotANumber()
    return magnitude, end


def _strtosz(text: str, default_suffix: str = "b") -> int:
    """qemu_strtosz as QEMU 7.2 has it (util/cutils.c do_strtosz): a decimal integer, or 0x and hex digits,
    optionally a fraction, then one of B K M G T P E (any case, powers of 1024)."""
    magnitude, end, _ = _strto(text, 0, 10)
    fraction = 0  # 64.64 fixed point, as QEMU keeps it
    if end == 0:
        raise _NotANumber()
    if magnitude >= U64_LIMIT:
        raise _NotANumber(too_big=end == len(text))  # trailing text makes any error "invalid"
    if "-" in text[:end]:
        raise _NotANumber()
    if magnitude == 0 and text[end:end + 1] in ("x", "X"):
        magnitude, end, _ = _strto(text, 0, 16)
        if magnitude >= U64_LIMIT:
            raise _NotANumber(too_big=end == len(text))
        if text[end:end + 1] == ".":
            raise _NotANumber()
        # A suffix after hex digits is only deprecated in 7.2 (a warning); 8.0 refuses it.
    elif text[end:end + 1] == ".":
        end, fraction = _strtosz_fraction(text, end)
    suffix = text[end:end + 1]
    if suffix and suffix in _SIZE_SHIFT:
        shift, end = _SIZE_SHIFT[suffix], end + 1
    else:
        shift = _SIZE_SHIFT[default_suffix]
    if end < len(text):
        raise _NotANumber()
    if shift == 0:
        if fraction:
            raise _NotANumber()  # a fraction needs a scale
        return magnitude
    # The exact product rounded half up (do_strtosz's mulu64 pair), refused past 64 bits.
    whole, rest = divmod(fraction << shift, U64_LIMIT)
    value = (magnitude << shift) + whole + (rest >> 63)
    if value >= U64_LIMIT:
        raise _NotANumber(too_big=True)
    return value


def _strtosz_fraction(text: str, point: int) -> tuple[int, int]:
    """The fraction after the integer part of a size: (where parsing goes on, fraction as 64.64 fixed point).

    QEMU hands ".digits" to strtod. Without digits ("1.k") it steps over the point. An exponent makes the size
    invalid, unless strtod reports ERANGE first (the value underflows or overflows a double): then QEMU steps
    one character past what strtod read, whatever that character is, and keeps a fraction of 0. So
    "1.<400 zeros>1KG" is 1 GiB (the K is skipped); measured against QEMU 7.2 (tests/test_machine.py)."""
    i, n = point + 1, len(text)
    while i < n and text[i] in _DIGITS[10]:
        i += 1
    if i == point + 1:
        return point + 1, 0
    digits_end = i
    if i < n and text[i] in "eE":  # strtod takes an exponent only with digits after it
        j = i + 1 + (text[i + 1:i + 2] in ("+", "-"))
        k = j
        while k < n and text[k] in _DIGITS[10]:
            k += 1
        if k > j:
            i = k
    # Python's float() rounds like glibc's strtod and has no limit on digits; exponents past its range give
    # inf or 0.0, as strtod's ERANGE cases do.
    value = float("0" + text[point:i])
    nonzero = text[point + 1:digits_end].strip("0") != ""
    if value == float("inf") or (nonzero and value < DBL_MIN):
        # Past the end, QEMU reads beyond the string's NUL (undefined); QEMU 7.2 here treats it as the end.
        return min(i + 1, n), 0
    if i != digits_end:
        raise _NotANumber()  # an exponent
    # (uint64_t)(fraction * 2**64): a fraction that rounds to 1.0 converts to 0 on x86-64 (measured).
    scaled = int(value * float(U64_LIMIT))
    return i, scaled if scaled < U64_LIMIT else 0


def parse_size(text: str, label: str, default_suffix: str = "b", *, param: str = "size",
               expects: str | None = None) -> int:
    """A size QEMU reads with qemu_strtosz. The messages are QemuOpts' (-m) unless `expects` gives the
    visitor's wording: keyval's "size" (-machine, -m's second pass) or the OptsVisitor's "a size value"."""
    try:
        return _strtosz(text, default_suffix)
    except _NotANumber as error:
        too_big = error.too_big
    if expects is not None:
        message = f"{_at(label, text)}: Parameter '{param}' expects {expects}"
    elif too_big:
        message = f"{label.rstrip('= ')}: Value {quote(text)} is out of range for parameter '{param}'"
    else:
        message = f"{_at(label, text)}: Parameter '{param}' expects a non-negative number below 2^64"
    raise MachineConfigError(message)


def parse_number(text: str, label: str, param: str) -> int:
    """A QemuOpts number (QEMU_OPT_NUMBER: -m slots=, -smbios speeds, type and processor-id): qemu_strtou64
    base 0, so "-1" is 2**64 - 1."""
    try:
        return _strtou64(text)
    except _NotANumber as error:
        too_big = error.too_big
    if too_big:
        raise MachineConfigError(f"{label.rstrip('= ')}: Value {quote(text)} is too large for parameter '{param}'")
    raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects a number")


def parse_int(text: str, label: str, param: str, expects: str = "integer") -> int:
    """A signed 64-bit integer: keyval's (-smp, -boot: "expects integer") or the OptsVisitor's (-numa cpu ids:
    "expects an int64 value"); both are qemu_strtoi64 base 0."""
    try:
        return _strtoi64(text)
    except _NotANumber:
        raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects {expects}") from None


def parse_uint(text: str, label: str, param: str, bits: int = 64) -> int:
    """An OptsVisitor unsigned integer (-numa nodeid, src, dst, val): parse_uint base 0, no minus sign, then
    the field's width (visit_type_uint16 / uint8)."""
    try:
        magnitude, end = _parse_uint_prefix(text, 0)
        if end != len(text):
            raise _NotANumber()
    except _NotANumber:
        raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects a uint64 value") from None
    if magnitude >> bits:
        raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects uint{bits}_t")
    return magnitude


def parse_cpu_list(text: str, label: str, param: str = "cpus") -> list[int]:
    """One -numa node,cpus= value: "N" or "A-B" (OptsVisitor uint16 list), a range at most 65536 long."""
    try:
        first, end = _parse_uint_prefix(text, 0)
        last = first
        if end != len(text):
            if text[end] != "-":
                raise _NotANumber()
            last, end = _parse_uint_prefix(text, end + 1)
            if end != len(text) or last < first or last - first >= OPTS_VISITOR_RANGE_MAX:
                raise _NotANumber()
    except _NotANumber:
        raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects a uint64 value or range") \
            from None
    if last > 0xFFFF:
        # QEMU names the list element 'null' here; the reason is the same.
        raise MachineConfigError(f"{_at(label, text)}: Parameter '{param}' expects uint16_t")
    return list(range(first, last + 1))


def parse_release(text: str, label: str) -> tuple[int, int]:
    """-smbios type=0,release=: hw/smbios/smbios.c reads it with sscanf("%hhu.%hhu"). Each %hhu skips white
    space, takes a sign and decimal digits as strtoul does and keeps the low 8 bits; text after the minor
    number is ignored. So "300.1" is 44.1, "-1.2" is 255.2 and "1.2.3" is 1.2 (measured against QEMU 7.2)."""
    def hhu(start: int) -> tuple[int, int]:
        magnitude, end, negative = _strto(text, start, 10)
        if end == start:
            raise MachineConfigError(f"{_at(label, text)}: Invalid release")
        value = U64_LIMIT - 1 if magnitude >= U64_LIMIT else (-magnitude % U64_LIMIT if negative else magnitude)
        return value & 0xFF, end

    major, end = hhu(0)
    if text[end:end + 1] != ".":
        raise MachineConfigError(f"{_at(label, text)}: Invalid release")
    minor, _ = hhu(end + 1)
    return major, minor


def parse_opts(text: str, option: str, implied: str | None) -> list[tuple[str, str]]:
    """QemuOpts/keyval "a,k=v,k2=v2" with ",," for a literal comma; the first bare value is `implied`."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == ",":
            if text[i + 1:i + 2] == ",":
                current.append(",")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    parts.append("".join(current))
    pairs = []
    for position, part in enumerate(parts):
        if "=" in part:
            key, _, value = part.partition("=")
            pairs.append((key, value))
        elif position == 0 and implied is not None:
            pairs.append((implied, part))
        elif part == "" and position == len(parts) - 1 and position > 0:
            continue  # a trailing comma
        else:
            raise MachineConfigError(f"{option}: expected key=value, got {quote(part)}")
    return pairs


# qapi/qapi-util.c qapi_bool_parse: exactly these spellings, case included.
BOOL_WORDS = {"on": True, "yes": True, "true": True, "y": True, "off": False, "no": False, "false": False,
              "n": False}


def parse_bool(value: str, label: str, param: str) -> bool:
    """A bool property (-machine hpet=, graphics=, -boot menu=, -smbios uefi=)."""
    if value in BOOL_WORDS:
        return BOOL_WORDS[value]
    raise MachineConfigError(f"{_at(label, value)}: Parameter '{param}' expects 'on' or 'off'")


def parse_on_off_auto(value: str, label: str, param: str, auto: bool) -> bool:
    """An OnOffAuto property (-machine smm=, acpi=): the enum takes only on, off and auto."""
    if value in ("on", "off", "auto"):
        return auto if value == "auto" else value == "on"
    raise MachineConfigError(f"{label.rstrip('= ')}: Parameter '{param}' does not accept value {quote(value)}")


def parse_uuid(text: str, option: str) -> bytes:
    # util/uuid.c qemu_uuid_parse: exactly 8-4-4-4-12 hex digits.
    if not re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text):
        raise MachineConfigError(f"{option}: failed to parse UUID string {quote(text)}: wrong format")
    return uuid_module.UUID(text).bytes


class _Parser:
    """One pass over the arguments, then QEMU's derivations in the order QEMU applies them."""

    def __init__(self, args: list[str]):
        self.args = args
        self.machine_props: dict[str, tuple[str, str]] = {}  # key -> (value, option that set it)
        self.smp: dict[str, int] = {}
        self.memory: dict[str, str] = {}
        self.backends: dict[str, int] = {}
        self.numa: list[tuple[str, list[tuple[str, str]]]] = []
        self.uuid: bytes | None = None
        self.cpu = "qemu64"
        self.smbios: dict[int, dict[str, str]] = {}
        self.vmgenid: str | None = None
        self.nographic = False
        self.boot_menu = False

    def config(self) -> MachineConfig:
        self._scan()
        mtype = self._machine_type()
        family = mtype.family
        props = {k: v for k, (v, _) in self.machine_props.items()}

        def opt(key):
            return self.machine_props[key][1] + f" {key}="

        if family == "microvm" and "hpet" in props:
            raise MachineConfigError(f"{opt('hpet')}: property 'hpet' not found on machine microvm")
        if "accel" in props and props["accel"] != "tcg":
            raise MachineConfigError(f"{_at(opt('accel'), props['accel'])}: only the TCG accelerator is modelled")
        # -machine goes through keyval: smm and acpi are OnOffAuto (auto is on under TCG), hpet and graphics bool.
        smm = "smm" not in props or parse_on_off_auto(props["smm"], opt("smm"), "smm", auto=True)
        acpi = "acpi" not in props or parse_on_off_auto(props["acpi"], opt("acpi"), "acpi", auto=True)
        hpet = family != "microvm" and ("hpet" not in props or parse_bool(props["hpet"], opt("hpet"), "hpet"))
        nographic = self.nographic or ("graphics" in props
                                       and not parse_bool(props["graphics"], opt("graphics"), "graphics"))
        ep_type = props.get("smbios-entry-point-type", "32")
        if ep_type not in ("32", "64"):  # the SmbiosEntryPointType enum of 7.2
            raise MachineConfigError(f"{opt('smbios-entry-point-type').rstrip('=')}: Parameter "
                                     f"'smbios-entry-point-type' does not accept value {quote(ep_type)}")
        oem_id = self._oem("x-oem-id", props, 6, ACPI_OEM_ID)
        oem_table_id = self._oem("x-oem-table-id", props, 8, ACPI_OEM_TABLE_ID)
        max_ram_below_4g = 0
        if "max-ram-below-4g" in props:
            if family == "microvm":
                raise MachineConfigError("-machine max-ram-below-4g: property not found on machine microvm")
            max_ram_below_4g = parse_size(props["max-ram-below-4g"], opt("max-ram-below-4g"),
                                          param="max-ram-below-4g", expects="size")
            if max_ram_below_4g > FOUR_GIB:  # pc.c pc_machine_set_max_ram_below_4g
                raise MachineConfigError(f"{opt('max-ram-below-4g').rstrip('=')}: Machine option "
                                         f"'max-ram-below-4g={max_ram_below_4g}' expects size less than or equal "
                                         f"to 4G")

        topology = self._topology(mtype)
        ram_size, maxmem, slots = self._memory(family)
        model = CPU_MODELS.get(self.cpu)
        if model is None:
            raise MachineConfigError(self._cpu_refusal())
        nodes, cpu_nodes, distances = self._numa(family, topology, ram_size, maxmem, slots)
        if family == "microvm" and self.smbios:
            pass  # QEMU accepts -smbios on microvm and builds no SMBIOS from it
        config = MachineConfig(
            machine=family, machine_type=mtype.name, topology=topology,
            cpus=possible_cpus(topology, cpu_nodes), ram_size=ram_size, ram_slots=slots, maxmem=maxmem,
            numa_nodes=nodes, numa_distances=distances, smm=smm, acpi=acpi, hpet=hpet,
            smbios_entry_point_type=ep_type, oem_id=oem_id, oem_table_id=oem_table_id, uuid=self.uuid,
            cpu_model=self.cpu, cpu_vendor=model.vendor,
            smbios_fields={t: dict(f) for t, f in self.smbios.items()}, args=tuple(self.args),
            max_ram_below_4g=max_ram_below_4g, vmgenid_guid=self.vmgenid, nographic=nographic,
            boot_menu=self.boot_menu, has_numa_distance=bool(distances))
        self._check_address_space(config)
        return config

    # ---- the argument scan

    def _scan(self) -> None:
        args = self.args
        i = 0
        while i < len(args):
            arg = args[i]
            if not arg.startswith("-") or arg == "-":
                raise MachineConfigError(f"{quote(arg)}: not an option (a disk image as a bare argument is not "
                                         f"modelled)")
            # vl.c lookup_opt: "--name" is "-name"; a third dash makes no option.
            name = arg[2:] if arg.startswith("--") else arg[1:]
            if name in IGNORED_FLAGS or name in ("nographic", "no-hpet", "no-acpi", "enable-kvm"):
                if name == "nographic":
                    self.nographic = True
                elif name == "no-acpi":
                    self.machine_props["acpi"] = ("off", "-no-acpi")  # vl.c: the same as -machine acpi=off
                elif name == "no-hpet":
                    self.machine_props["hpet"] = ("off", "-no-hpet")
                elif name == "enable-kvm":
                    raise MachineConfigError("-enable-kvm: only TCG is modelled (there is no KVM here)")
                i += 1
                continue
            handler = getattr(self, "_opt_" + name.replace("-", "_"), None)
            if handler is None and name not in IGNORED_OPTIONS:
                raise MachineConfigError(f"{quote(arg)}: option not modelled by qboot-tables (it may change the "
                                         f"tables)")
            # From here `arg` is an option we know, so short enough to repeat as it is.
            if i + 1 >= len(args):
                raise MachineConfigError(f"{arg}: requires an argument")
            value = args[i + 1]
            i += 2
            if handler is not None:
                handler(value, arg)
            elif name == "accel":
                accel = parse_opts(value, arg, "accel")[0][1]
                if accel != "tcg":
                    raise MachineConfigError(f"{_at(arg, value)}: only the TCG accelerator is modelled")

    def _opt_machine(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "type"):
            if key not in MACHINE_PROPERTIES:
                raise MachineConfigError(f"{option} {quote(key)}: machine property not modelled by qboot-tables")
            self.machine_props[key] = (val, option)

    _opt_M = _opt_machine

    def _opt_smp(self, value: str, option: str) -> None:
        # vl.c hands -smp to keyval for the machine's "smp" property: each value an int64 read by
        # qobject-input-visitor.c (machine_parse_smp_config narrows them later). An empty -smp sets nothing.
        if value == "":
            return
        for key, val in parse_opts(value, option, "cpus"):
            if key not in SMP_KEYS:
                raise MachineConfigError(f"{option}: Parameter {quote(key)} is unexpected")
            self.smp[key] = parse_int(val, f"{option} {key}=", f"smp.{key}")

    def _opt_m(self, value: str, option: str) -> None:
        # QemuOpts checks the values as it parses -m (vl.c qemu_mem_opts): size and maxmem are sizes in bytes,
        # slots a number. _memory() then derives what QEMU derives from them. An empty -m sets nothing.
        if value == "":
            return
        for key, val in parse_opts(value, option, "size"):
            if key not in ("size", "slots", "maxmem"):
                raise MachineConfigError(f"{option}: Invalid parameter {quote(key)}")
            if key == "slots":
                parse_number(val, f"{option} slots=", "slots")
            else:
                parse_size(val, option if key == "size" else f"{option} maxmem=", param=key)
            self.memory[key] = val

    def _opt_object(self, value: str, option: str) -> None:
        pairs = dict(parse_opts(value, option, "qom-type"))
        qom_type = pairs.get("qom-type", "")
        if qom_type != "memory-backend-ram":
            raise MachineConfigError(f"{option} {quote(qom_type)}: object type not modelled (only "
                                     f"memory-backend-ram)")
        if "id" not in pairs:
            raise MachineConfigError(f"{option} memory-backend-ram: Parameter 'id' is missing")
        backend = f"{option} memory-backend-ram,id={quote(pairs['id'])}"
        unknown = set(pairs) - {"qom-type", "id", "size", "share", "prealloc", "merge", "dump", "policy",
                                "host-nodes", "reserve", "x-use-canonical-path-for-ramblock-id"}
        if unknown:
            raise MachineConfigError(f"{backend}: property {quote(sorted(unknown)[0])} not modelled")
        if "size" not in pairs:
            raise MachineConfigError(f"{backend}: property 'size' is required")
        if pairs["id"] in self.backends:
            raise MachineConfigError(f"{option}: attempt to add duplicate property {quote(pairs['id'])}")
        size = parse_size(pairs["size"], f"{option} size=", param="size", expects="a size value")
        if size == 0:
            raise MachineConfigError(f"{backend}: property 'size' of memory-backend-ram doesn't take value '0'")
        self.backends[pairs["id"]] = size

    def _opt_numa(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, "type")
        kind = pairs[0][1] if pairs and pairs[0][0] == "type" else None
        allowed = {"node": {"nodeid", "mem", "memdev", "cpus", "initiator"}, "dist": {"src", "dst", "val"},
                   "cpu": {"node-id", "socket-id", "die-id", "core-id", "thread-id", "cluster-id"}}
        if kind not in allowed:
            raise MachineConfigError(f"{_at(option, value)}: -numa type {quote(kind or '')} not modelled (node, "
                                     f"dist or cpu)")
        for key, _ in pairs[1:]:
            if key not in allowed[kind]:
                raise MachineConfigError(f"{option} {kind}: Parameter {quote(key)} is unexpected")
        self.numa.append((kind, pairs[1:]))

    def _opt_uuid(self, value: str, option: str) -> None:
        self.uuid = parse_uuid(value, option)

    def _opt_cpu(self, value: str, option: str) -> None:
        model, _, features = value.partition(",")
        if model == "host":
            raise MachineConfigError(f"{option} host: CPU model 'host' requires KVM or HVF")
        if features:
            raise MachineConfigError(f"{_at(option, value)}: CPU feature flags are not modelled (they can change "
                                     f"the SMBIOS processor ID)")
        self.cpu = model

    def _cpu_refusal(self) -> str:
        return f"{_at('-cpu', self.cpu)}: CPU model not modelled; known: {', '.join(sorted(CPU_MODELS))}"

    def _opt_smbios(self, value: str, option: str) -> None:
        # hw/smbios/smbios.c: QemuOpts, whose numbers are QEMU_OPT_NUMBER (parse_number). The numbers are kept
        # in smbios_fields as QEMU read them, in decimal, so the generators never parse user text.
        pairs = parse_opts(value, option, None)
        keys = dict(pairs)
        if "file" in keys:
            raise MachineConfigError(f"{option} file=: SMBIOS binary files are not modelled")
        if "type" not in keys:
            raise MachineConfigError(f"{option}: Must specify type= or file=")
        smbios_type = parse_number(keys["type"], f"{option} type=", "type")
        if smbios_type not in SMBIOS_KEYS:
            raise MachineConfigError(f"{option} type={smbios_type}: SMBIOS type not modelled "
                                     f"(0, 1, 2, 3, 4 and 17 are)")
        label = f"{option} type={smbios_type},"
        fields = self.smbios.setdefault(smbios_type, {})
        for key, val in pairs:
            if key == "type":
                continue
            if key not in SMBIOS_KEYS[smbios_type]:
                raise MachineConfigError(f"{option} type={smbios_type}: Invalid parameter {quote(key)}")
            fields[key] = val
        if smbios_type == 0 and "release" in keys:
            major, minor = parse_release(keys["release"], f"{label}release=")
            fields["release"] = f"{major}.{minor}"
        if smbios_type == 0 and "uefi" in keys:
            parse_bool(keys["uefi"], f"{label}uefi=", "uefi")
        if smbios_type == 1 and "uuid" in keys:
            self.uuid = parse_uuid(keys["uuid"], f"{label}uuid=")
        if smbios_type == 4:
            for key in ("max-speed", "current-speed"):
                if key in keys:
                    speed = parse_number(keys[key], f"{label}{key}=", key)
                    if speed > 0xFFFF:  # so "-1", which is 2**64 - 1, is too large too
                        raise MachineConfigError(f"{_at(label + key + '=', keys[key])}: SMBIOS CPU speed is too "
                                                 f"large (> 65535)")
                    fields[key] = str(speed)
            if "processor-id" in keys:
                fields["processor-id"] = str(parse_number(keys["processor-id"], f"{label}processor-id=",
                                                          "processor-id"))
        if smbios_type == 17 and "speed" in keys:
            # Unchecked, and stored in a 16-bit field: 70000 gives 4464, -1 gives 65535 (measured).
            fields["speed"] = str(parse_number(keys["speed"], f"{label}speed=", "speed") & 0xFFFF)

    def _opt_device(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, "driver")
        driver = pairs[0][1]
        if driver == "vmgenid":
            guid = dict(pairs).get("guid", "auto")
            if guid == "auto":
                raise MachineConfigError(f"{option} vmgenid: guid=auto makes a random GUID; give guid=")
            parse_uuid(guid, f"{option} vmgenid guid=")
            self.vmgenid = guid
        elif driver not in IGNORED_DEVICES:
            raise MachineConfigError(f"{option} {quote(driver)}: device not modelled by qboot-tables (it may "
                                     f"change the tables)")

    def _opt_boot(self, value: str, option: str) -> None:
        # vl.c hands -boot to keyval for the machine's "boot" property (qapi BootConfiguration); the ranges are
        # hw/nvram/fw_cfg.c's (fw_cfg_bootsplash, fw_cfg_reboot).
        for key, val in parse_opts(value, option, "order"):
            if key not in BOOT_KEYS:
                raise MachineConfigError(f"{option}: Parameter {quote('boot.' + key)} is unexpected")
            label = f"{option} {key}="
            if key in ("menu", "strict"):
                flag = parse_bool(val, label, f"boot.{key}")
                if key == "menu":
                    self.boot_menu = flag
            elif key == "splash-time" and not 0 <= parse_int(val, label, f"boot.{key}") <= 0xFFFF:
                raise MachineConfigError(f"{_at(label, val)}: splash-time is invalid,it should be a value between "
                                         f"0 and 65535")
            elif key == "reboot-timeout" and not -1 <= parse_int(val, label, f"boot.{key}") <= 0xFFFF:
                raise MachineConfigError(f"{_at(label, val)}: reboot timeout is invalid,it should be a value "
                                         f"between -1 and 65535")

    # ---- QEMU's derivations

    def _machine_type(self) -> MachineType:
        name = self.machine_props.get("type", ("pc", ""))[0]
        name = MACHINE_ALIASES.get(name, name)
        if name in MACHINE_TYPES:
            return MACHINE_TYPES[name]
        option = self.machine_props.get("type", ("", "-machine"))[1]
        if re.fullmatch(r"pc(-i440fx)?-[0-9]+\.[0-9]+|pc-q35-[0-9]+\.[0-9]+(\.[0-9]+)?|pc-1\.[0-9]|isapc|xenfv.*|none",
                        name):
            raise MachineConfigError(f"{_at(option, name)}: machine type not modelled (pc-i440fx and pc-q35 6.1 "
                                     f"to 7.2, pc, q35 and microvm are)")
        raise MachineConfigError(f"{_at(option, name)}: unsupported machine type")

    def _oem(self, key: str, props: dict, size: int, default: bytes) -> bytes:
        if key not in props:
            return default
        # The bytes QEMU saw: surrogateescape gives back what a non-UTF-8 argv held.
        raw = props[key].encode("utf-8", "surrogateescape")
        if len(raw) > size:
            raise MachineConfigError(f"-machine {key}: User specified {key} value is bigger than {size} bytes "
                                     f"in size")
        return raw.ljust(size, b"\0")  # x86.c strncpy() into the default's buffer

    def _topology(self, mtype: MachineType) -> Topology:
        # hw/core/machine-smp.c machine_parse_smp_config keeps the counts in `unsigned`: an int64 from the
        # command line keeps its low 32 bits (-smp 4294967297 is 1 CPU, -1 is 4294967295), and products wrap.
        smp = self.smp
        cpus, sockets, dies, clusters, cores, threads, maxcpus = (smp.get(k, 0) & U32_MASK for k in (
            "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus"))
        wrapped = False

        def product(*factors: int) -> int:
            nonlocal wrapped
            exact = math.prod(factors)
            wrapped = wrapped or exact > U32_MASK
            return exact & U32_MASK

        def share(total: int, *factors: int) -> int:
            divisor = product(*factors)
            if divisor == 0:
                raise MachineConfigError("-smp: the counts multiply to a multiple of 2^32, which is 0 in QEMU "
                                         "7.2's 32-bit arithmetic; QEMU divides by it and dies (SIGFPE)")
            return total // divisor

        # An explicit 0 is deprecated and then counts as omitted (only a warning in 7.2).
        if mtype.family == "microvm" and dies > 1:
            raise MachineConfigError("-smp dies: dies not supported by this machine's CPU topology")
        if clusters > 1:
            raise MachineConfigError("-smp clusters: clusters not supported by this machine's CPU topology")
        dies = dies or 1
        if cpus == 0 and maxcpus == 0:
            sockets, cores, threads = sockets or 1, cores or 1, threads or 1
        else:
            maxcpus = maxcpus or cpus
            if mtype.prefer_sockets:
                if sockets == 0:
                    cores, threads = cores or 1, threads or 1
                    sockets = share(maxcpus, dies, cores, threads)
                elif cores == 0:
                    threads = threads or 1
                    cores = share(maxcpus, sockets, dies, threads)
            else:
                if cores == 0:
                    sockets, threads = sockets or 1, threads or 1
                    cores = share(maxcpus, sockets, dies, threads)
                elif sockets == 0:
                    threads = threads or 1
                    sockets = share(maxcpus, dies, cores, threads)
            if threads == 0:
                threads = share(maxcpus, sockets, dies, cores)
        total = product(sockets, dies, cores, threads)
        maxcpus = maxcpus or total
        cpus = cpus or maxcpus
        hierarchy = f"sockets ({sockets})" + (f" * dies ({dies})" if mtype.family != "microvm" else "") + \
            f" * cores ({cores}) * threads ({threads})"
        if total != maxcpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: product of the hierarchy must match maxcpus: "
                                     f"{hierarchy} != maxcpus ({maxcpus})")
        if maxcpus < cpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                                     f"{hierarchy} == maxcpus ({maxcpus}) < smp_cpus ({cpus})")
        if cpus < MIN_CPUS:
            raise MachineConfigError(f"-smp: Invalid SMP CPUs {_signed32(cpus)}. The min CPUs supported by machine "
                                     f"'{mtype.name}' is {MIN_CPUS}")
        if maxcpus > mtype.max_cpus:
            raise MachineConfigError(f"-smp: Invalid SMP CPUs {_signed32(maxcpus)}. The max CPUs supported by "
                                     f"machine '{mtype.name}' is {mtype.max_cpus}")
        if wrapped:
            # QEMU 7.2 accepts it, but its APIC IDs then come from the same wrapped counts and shifts of 32 bits
            # or more (undefined in C).
            raise MachineConfigError(f"-smp: {hierarchy} matches maxcpus ({maxcpus}) only because QEMU 7.2's "
                                     f"32-bit product wraps around; not modelled")
        return Topology(sockets=sockets, dies=dies, cores=cores, threads=threads, cpus=cpus, maxcpus=maxcpus)

    def _memory(self, family: str) -> tuple[int, int, int]:
        # softmmu/vl.c parse_memory_options and hw/core/machine.c machine_set_mem; _opt_m has made QemuOpts'
        # checks already.
        mem = self.memory
        size = DEFAULT_RAM_SIZE
        text = mem.get("size")
        if text is not None and parse_size(text, "-m") != 0:
            # A size that ends in a digit gets an "M" and is parsed again (keyval, 'memory.size'): so "-m 512"
            # and "-m 0x10" are MiB, "-m 1." is one byte, and 2^44 or more MiB is refused there.
            size = parse_size(text + "M" if text[-1] in _DIGITS[10] else text, "-m", param="memory.size",
                              expects="size")
        size = _round_up(size, RAM_ALIGN) % U64_LIMIT  # QEMU_ALIGN_UP in 64 bits
        if size == 0:
            raise MachineConfigError(f"{_at('-m', mem['size'])}: QEMU 7.2 rounds this up to 8 KiB past 2^64 and "
                                     f"gets 0 bytes of RAM; not modelled")
        slots = parse_number(mem["slots"], "-m slots=", "slots") if "slots" in mem else 0
        maxmem = 0
        if "maxmem" in mem:
            maxmem = parse_size(mem["maxmem"], "-m maxmem=", param="maxmem")  # bytes unless suffixed
            if maxmem < size:
                raise MachineConfigError(f"-m maxmem: invalid value of maxmem: maximum memory size ({maxmem:#x}) "
                                         f"must be at least the initial memory size ({size:#x})")
            if slots and maxmem == size:
                raise MachineConfigError(f"-m maxmem: invalid value of maxmem: memory slots were specified but "
                                         f"maximum memory size ({maxmem:#x}) is equal to the initial memory size "
                                         f"({size:#x})")
        elif "slots" in mem:
            raise MachineConfigError("-m slots: slots specified but no max-size")
        if family == "microvm" and (slots or maxmem > size):
            raise MachineConfigError("-m slots/maxmem: memory hotplug is not modelled on microvm")
        if maxmem > size:
            if slots > ACPI_MAX_RAM_SLOTS:
                raise MachineConfigError(f"-m slots: unsupported amount of memory slots: {slots}")
            if maxmem % TARGET_PAGE_SIZE:
                raise MachineConfigError(f"-m maxmem: maximum memory size must by aligned to multiple of "
                                         f"{TARGET_PAGE_SIZE} bytes")
        return size, (maxmem if "maxmem" in mem else 0), slots

    def _numa(self, family: str, topology: Topology, ram_size: int, maxmem: int, slots: int):
        # hw/core/numa.c parse_numa_node / parse_numa_distance / numa_complete_configuration and
        # hw/core/machine.c machine_set_cpu_numa_node, machine_numa_finish_cpu_init. The OptsVisitor reads an
        # option's fields (qapi/machine.json) before numa.c checks them.
        if family == "microvm" and self.numa:
            raise MachineConfigError("-numa: NUMA is not modelled on microvm (QEMU builds no SRAT there)")
        nodes: dict[int, NumaNode] = {}
        explicit: dict[int, int] = {}  # cpu index -> node, as -numa node,cpus= / -numa cpu set it
        distances: dict[tuple[int, int], int] = {}
        used_memdevs: set[str] = set()
        have_mem = have_memdev = False
        cpus = possible_cpus(topology)

        def assign(index_filter, node_id, option):
            matched = False
            for cpu in cpus:
                if not index_filter(cpu):
                    continue
                if cpu.index in explicit and explicit[cpu.index] != node_id:
                    raise MachineConfigError(f"{option}: CPU is already assigned to node-id: "
                                             f"{explicit[cpu.index]}")
                explicit[cpu.index] = node_id
                matched = True
            if not matched:
                raise MachineConfigError(f"{option}: no match found")

        for kind, pairs in self.numa:
            keys = dict(pairs)
            if kind == "node":
                option = "-numa node"
                node_id = (parse_uint(keys["nodeid"], f"{option},nodeid=", "nodeid", 16) if "nodeid" in keys
                           else len(nodes))
                cpu_lists = [(value, parse_cpu_list(value, f"{option},cpus=")) for key, value in pairs
                             if key == "cpus"]
                if "mem" in keys:
                    parse_size(keys["mem"], f"{option},mem=", param="mem", expects="a size value")
                if "initiator" in keys:
                    parse_uint(keys["initiator"], f"{option},initiator=", "initiator", 16)
                if node_id >= MAX_NODES:
                    raise MachineConfigError(f"{option}: Max number of NUMA nodes reached: {node_id}")
                if node_id in nodes:
                    raise MachineConfigError(f"{option}: Duplicate NUMA nodeid: {node_id}")
                if "initiator" in keys:
                    raise MachineConfigError(f"{option},initiator=: HMAT is not modelled")
                for value, indexes in cpu_lists:
                    for index in indexes:
                        if index >= topology.maxcpus:
                            raise MachineConfigError(f"{_at(option + ',cpus=', value)}: CPU index ({index}) should "
                                                     f"be smaller than maxcpus ({topology.maxcpus})")
                        assign(lambda c, i=index: c.index == i, node_id, _at(option + ",cpus=", value))
                have_mem = have_mem or "mem" in keys
                have_memdev = have_memdev or "memdev" in keys
                if ("mem" in keys and have_memdev) or ("memdev" in keys and have_mem):
                    raise MachineConfigError(f"{option}: numa configuration should use either mem= or memdev=, "
                                             f"mixing both is not allowed")
                memory, memdev = 0, None
                if "mem" in keys:
                    # numa_mem_supported is off for the 5.1+ machine types, which are all we model.
                    raise MachineConfigError(f"{option},mem=: Parameter -numa node,mem is not supported by this "
                                             f"machine type (use -numa node,memdev instead)")
                if "memdev" in keys:
                    memdev = keys["memdev"]
                    where = _at(option + ",memdev=", memdev)
                    if memdev not in self.backends:
                        raise MachineConfigError(f"{where}: memdev={quote(memdev)} is ambiguous (no such memory "
                                                 f"backend)")
                    if memdev in used_memdevs:
                        raise MachineConfigError(f"{where}: memory backend {quote(memdev)} can't be used multiple "
                                                 f"times.")
                    used_memdevs.add(memdev)
                    memory = self.backends[memdev]
                nodes[node_id] = NumaNode(node_id=node_id, memory=memory, memdev=memdev)
            elif kind == "dist":
                option = "-numa dist"
                for key in ("src", "dst", "val"):
                    if key not in keys:
                        raise MachineConfigError(f"{option}: Parameter '{key}' is missing")
                src = parse_uint(keys["src"], f"{option},src=", "src", 16)
                dst = parse_uint(keys["dst"], f"{option},dst=", "dst", 16)
                val = parse_uint(keys["val"], f"{option},val=", "val", 8)
                if src >= MAX_NODES or dst >= MAX_NODES:
                    which = "src" if src >= MAX_NODES else "dst"
                    raise MachineConfigError(f"{option}: Parameter '{which}' expects an integer between 0 and "
                                             f"{MAX_NODES - 1}")
                if src not in nodes or dst not in nodes:
                    raise MachineConfigError(f"{option}: Source/Destination NUMA node is missing. Please use "
                                             f"'-numa node' option to declare it first.")
                if val < NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: NUMA distance ({val}) is invalid, it shouldn't be less "
                                             f"than {NUMA_DISTANCE_MIN}.")
                if src == dst and val != NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: Local distance of node {src} should be "
                                             f"{NUMA_DISTANCE_MIN}.")
                distances[(src, dst)] = val
            else:
                option = "-numa cpu"
                # CpuInstanceProperties: every id is an int64, so a negative one is read and then matches nothing.
                ids = {key: parse_int(keys[key], f"{option},{key}=", key, "an int64 value") for key in (
                    "node-id", "socket-id", "die-id", "cluster-id", "core-id", "thread-id") if key in keys}
                if "node-id" not in ids:
                    raise MachineConfigError(f"{option}: Missing mandatory node-id property")
                node_id = ids["node-id"]
                if node_id not in nodes:
                    raise MachineConfigError(f"{option}: Invalid node-id={node_id}, NUMA node must be defined "
                                             f"with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID")
                if "cluster-id" in ids:
                    raise MachineConfigError(f"{option}: cluster-id is not supported")
                if "die-id" in ids and topology.dies <= 1:
                    raise MachineConfigError(f"{option}: die-id is not supported")
                want = {attr: ids[key] for key, attr in (
                    ("socket-id", "socket"), ("die-id", "die"), ("core-id", "core"), ("thread-id", "thread"))
                    if key in ids}
                assign(lambda c: all(getattr(c, a) == v for a, v in want.items()), node_id, option)

        # numa_complete_configuration: memory hotplug on pc/q35 without -numa implies one node with all RAM.
        if not nodes and (slots or (maxmem and maxmem > ram_size)):
            nodes[0] = NumaNode(node_id=0, memory=ram_size)
        if not nodes:
            return (), None, {}
        for node_id in range(max(nodes), -1, -1):
            if node_id not in nodes:
                raise MachineConfigError(f"-numa: numa: Node ID missing: {node_id}")
        total = sum(n.memory for n in nodes.values())
        if total != ram_size:
            raise MachineConfigError(f"-numa: total memory for NUMA nodes ({total:#x}) should equal RAM size "
                                     f"({ram_size:#x})")
        count = len(nodes)
        if distances:
            self._validate_distances(distances, count)
        # machine_numa_finish_cpu_init: with no explicit mapping at all, socket_id % nodes; otherwise an
        # unmapped CPU falls back to node 0.
        if explicit:
            cpu_nodes = {c.index: explicit.get(c.index, 0) for c in cpus}
        else:
            cpu_nodes = {c.index: c.socket % count for c in cpus}
        return tuple(nodes[i] for i in range(count)), cpu_nodes, distances

    @staticmethod
    def _validate_distances(distances: dict, count: int) -> None:
        # numa.c validate_numa_distance.
        asymmetric = False
        for src in range(count):
            for dst in range(src, count):
                there, back = distances.get((src, dst), 0), distances.get((dst, src), 0)
                if there == 0 and back == 0 and src != dst:
                    raise MachineConfigError(f"-numa dist: The distance between node {src} and {dst} is missing, "
                                             f"at least one distance value between each nodes should be provided.")
                if there and back and there != back:
                    asymmetric = True
        if asymmetric:
            for src in range(count):
                for dst in range(count):
                    if src != dst and not distances.get((src, dst)):
                        raise MachineConfigError("-numa dist: At least one asymmetrical pair of distances is "
                                                 "given, please provide distances for both directions of all "
                                                 "node pairs.")

    @staticmethod
    def _check_address_space(config: MachineConfig) -> None:
        # pc.c pc_memory_init: the highest address the machine uses must fit the CPU's physical address bits.
        if config.machine == "microvm":
            return
        used = config._max_used_gpa(config.above_4g_mem_start)
        limit = (1 << config.cpu_phys_bits) - 1
        if limit < used:
            raise MachineConfigError(f"-m/-cpu: Address space limit {limit:#x} < {used:#x} phys-bits too low "
                                     f"({config.cpu_phys_bits}): {config.ram_size:#x} bytes of RAM and the 64-bit "
                                     f"PCI hole do not fit {config.cpu_model}'s address space")
