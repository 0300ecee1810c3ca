"""MachineConfig: what a QEMU 7.2 x86 command line describes, as the table generators need it.

`MachineConfig.from_qemu_args([...])` follows QEMU 7.2's rules and defaults and refuses anything else with
a MachineConfigError naming the option. The generators (ACPI, SMBIOS, e820, MP table, fw_cfg) read only
this object, never the command line.

Facts below are from QEMU 7.2's sources (tag v7.2.0): hw/core/machine-smp.c (-smp), hw/core/machine.c and
softmmu/vl.c (-m, -machine), hw/core/numa.c (-numa), hw/i386/x86.c and include/hw/i386/topology.h (APIC IDs),
hw/i386/pc.c, pc_piix.c, pc_q35.c, microvm.c (machine types, memory split), target/i386/cpu.c (CPU models),
and were checked against Debian's qemu-system-x86 7.2 (tests/test_machine.py).

Model choice: QEMU under TCG refuses APIC IDs of 255 and above ("requires kernel irqchip and X2APIC API
support"); with KVM's x2APIC it accepts them. We follow the KVM rule so large x2APIC topologies can be
described; everything else follows TCG (the SMM default, the CPU models' CPUID as TCG filters it).

Options that cannot change the tables or the fw_cfg selectors we model are accepted and ignored
(`IGNORED_OPTIONS`, `IGNORED_FLAGS`); anything else is refused.
"""
from __future__ import annotations

import re
import uuid as uuid_module
from dataclasses import dataclass, field

from qboot_tables.errors import QbootTablesError

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
        given = int(str(self.smbios_fields.get(4, {}).get("processor-id", "0")), 0)
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
        return _Parser(list(args)).config()


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
_SIZE = re.compile(r"^\s*(0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?)\s*([bBkKmMgGtTpPeE]?)$")
_SUFFIX_SHIFT = {"b": 0, "k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60}


def parse_size(text: str, option: str, default_suffix: str = "b") -> int:
    """QEMU's qemu_strtosz: a number (decimal, fraction allowed, or hex) with an optional B/K/M/G/T/P/E suffix."""
    match = _SIZE.match(text)
    if not match:
        raise MachineConfigError(f"{option}: invalid size {text!r}")
    number, suffix = match.groups()
    shift = _SUFFIX_SHIFT[(suffix or default_suffix).lower()]
    if number.lower().startswith("0x"):
        if "." in number:
            raise MachineConfigError(f"{option}: invalid size {text!r}")
        return int(number, 16) << shift
    whole, _, fraction = number.partition(".")
    value = int(whole) << shift
    if fraction:
        value += int(int(fraction) * (1 << shift) // 10 ** len(fraction))
    return value


def parse_opts(text: str, option: str, implied: str | None) -> list[tuple[str, str]]:
    """QemuOpts/keyval "a,k=v,k2=v2" with ",," for a literal comma; the first bare value is `implied`."""
    parts, current, i = [], "", 0
    while i < len(text):
        if text[i] == ",":
            if text[i + 1:i + 2] == ",":
                current += ","
                i += 2
                continue
            parts.append(current)
            current = ""
        else:
            current += text[i]
        i += 1
    parts.append(current)
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
            raise MachineConfigError(f"{option}: expected key=value, got {part!r}")
    return pairs


def parse_bool(value: str, option: str, auto: bool | None = None) -> bool:
    """on/off (QEMU also takes yes/no, true/false); "auto" only where the property is OnOffAuto."""
    lowered = value.lower()
    if lowered in ("on", "yes", "true", "y"):
        return True
    if lowered in ("off", "no", "false", "n"):
        return False
    if lowered == "auto" and auto is not None:
        return auto
    raise MachineConfigError(f"{option}: expected on or off, not {value!r}")


def parse_uint(value: str, option: str) -> int:
    try:
        number = int(value, 0)
    except ValueError:
        raise MachineConfigError(f"{option}: expected a number, not {value!r}") from None
    if number < 0:
        raise MachineConfigError(f"{option}: expected a non-negative number, not {value!r}")
    return number


def parse_uuid(text: str, option: str) -> bytes:
    # util/uuid.c qemu_uuid_parse: exactly 8-4-4-4-12 hex digits.
    if not re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text):
        raise MachineConfigError(f"{option}: failed to parse UUID string {text!r}: wrong format")
    return uuid_module.UUID(text).bytes


def parse_cpu_list(value: str, option: str) -> list[int]:
    """-numa node,cpus=: "N" or "A-B" (QAPI uint16 list range)."""
    first, sep, last = value.partition("-")
    start = parse_uint(first, option)
    end = parse_uint(last, option) if sep else start
    if end < start:
        raise MachineConfigError(f"{option}: invalid CPU range {value!r}")
    return list(range(start, end + 1))


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
            raise MachineConfigError(f"{opt('accel')}: only the TCG accelerator is modelled, not {props['accel']!r}")
        smm = parse_bool(props.get("smm", "auto"), "-machine smm", auto=True)  # auto: on under TCG
        acpi = parse_bool(props.get("acpi", "auto"), "-machine acpi", auto=True)
        hpet = family != "microvm" and parse_bool(props.get("hpet", "on"), "-machine hpet")
        nographic = self.nographic or not parse_bool(props.get("graphics", "on"), "-machine graphics")
        ep_type = props.get("smbios-entry-point-type", "32")
        if ep_type not in ("32", "64"):
            raise MachineConfigError(f"-machine smbios-entry-point-type: expected 32 or 64, not {ep_type!r}")
        oem_id = self._oem("x-oem-id", props, 6, ACPI_OEM_ID)
        oem_table_id = self._oem("x-oem-table-id", props, 8, ACPI_OEM_TABLE_ID)
        max_ram_below_4g = 0
        if "max-ram-below-4g" in props:
            if family == "microvm":
                raise MachineConfigError("-machine max-ram-below-4g: property not found on machine microvm")
            max_ram_below_4g = parse_size(props["max-ram-below-4g"], "-machine max-ram-below-4g")
            if max_ram_below_4g > FOUR_GIB:
                raise MachineConfigError(f"-machine max-ram-below-4g={props['max-ram-below-4g']}: expects size "
                                         f"less than or equal to 4G")

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
                raise MachineConfigError(f"{arg!r}: not an option (a disk image as a bare argument is not modelled)")
            name = arg.lstrip("-")
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
            if i + 1 >= len(args):
                raise MachineConfigError(f"{arg}: requires an argument")
            value = args[i + 1]
            i += 2
            handler = getattr(self, "_opt_" + name.replace("-", "_"), None)
            if handler is not None:
                handler(value, arg)
            elif name in IGNORED_OPTIONS:
                if name == "accel":
                    accel = parse_opts(value, arg, "accel")[0][1]
                    if accel != "tcg":
                        raise MachineConfigError(f"{arg} {value}: only the TCG accelerator is modelled")
            else:
                raise MachineConfigError(f"{arg}: option not modelled by qboot-tables (it may change the tables)")

    def _opt_machine(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "type"):
            if key not in MACHINE_PROPERTIES:
                raise MachineConfigError(f"{option} {key}=: machine property not modelled by qboot-tables")
            self.machine_props[key] = (val, option)

    _opt_M = _opt_machine

    def _opt_smp(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "cpus"):
            if key not in SMP_KEYS:
                raise MachineConfigError(f"{option}: Parameter '{key}' is unexpected")
            self.smp[key] = parse_uint(val, f"{option} {key}=")

    def _opt_m(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "size"):
            if key not in ("size", "slots", "maxmem"):
                raise MachineConfigError(f"{option}: Invalid parameter '{key}'")
            self.memory[key] = val

    def _opt_object(self, value: str, option: str) -> None:
        pairs = dict(parse_opts(value, option, "qom-type"))
        qom_type = pairs.get("qom-type")
        if qom_type != "memory-backend-ram":
            raise MachineConfigError(f"{option} {qom_type}: object type not modelled (only memory-backend-ram)")
        if "id" not in pairs:
            raise MachineConfigError(f"{option} memory-backend-ram: Parameter 'id' is missing")
        unknown = set(pairs) - {"qom-type", "id", "size", "share", "prealloc", "merge", "dump", "policy",
                                "host-nodes", "reserve", "x-use-canonical-path-for-ramblock-id"}
        if unknown:
            raise MachineConfigError(f"{option} memory-backend-ram: property {sorted(unknown)[0]!r} not modelled")
        if "size" not in pairs:
            raise MachineConfigError(f"{option} memory-backend-ram,id={pairs['id']}: property 'size' is required")
        if pairs["id"] in self.backends:
            raise MachineConfigError(f"{option}: attempt to add duplicate property '{pairs['id']}'")
        size = parse_size(pairs["size"], f"{option} size=")
        if size == 0:
            raise MachineConfigError(f"{option} memory-backend-ram,id={pairs['id']}: can't create backend with "
                                     f"size 0")
        self.backends[pairs["id"]] = size

    def _opt_numa(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, "type")
        kind = pairs[0][1] if pairs and pairs[0][0] == "type" else None
        allowed = {"node": {"nodeid", "mem", "memdev", "cpus", "initiator"}, "dist": {"src", "dst", "val"},
                   "cpu": {"node-id", "socket-id", "die-id", "core-id", "thread-id", "cluster-id"}}
        if kind not in allowed:
            raise MachineConfigError(f"{option} {value}: -numa type {kind!r} not modelled (node, dist or cpu)")
        for key, _ in pairs[1:]:
            if key not in allowed[kind]:
                raise MachineConfigError(f"{option} {kind}: Parameter '{key}' is unexpected")
        self.numa.append((kind, pairs[1:]))

    def _opt_uuid(self, value: str, option: str) -> None:
        self.uuid = parse_uuid(value, option)

    def _opt_cpu(self, value: str, option: str) -> None:
        model, _, features = value.partition(",")
        if model == "host":
            raise MachineConfigError(f"{option} host: CPU model 'host' requires KVM or HVF")
        if features:
            raise MachineConfigError(f"{option} {value}: CPU feature flags are not modelled (they can change the "
                                     f"SMBIOS processor ID)")
        self.cpu = model

    def _cpu_refusal(self) -> str:
        return f"-cpu {self.cpu}: CPU model not modelled; known: {', '.join(sorted(CPU_MODELS))}"

    def _opt_smbios(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, None)
        keys = dict(pairs)
        if "file" in keys:
            raise MachineConfigError(f"{option} file=: SMBIOS binary files are not modelled")
        if "type" not in keys:
            raise MachineConfigError(f"{option}: Must specify type= or file=")
        smbios_type = parse_uint(keys["type"], f"{option} type=")
        if smbios_type not in SMBIOS_KEYS:
            raise MachineConfigError(f"{option} type={smbios_type}: SMBIOS type not modelled "
                                     f"(0, 1, 2, 3, 4 and 17 are)")
        fields = self.smbios.setdefault(smbios_type, {})
        for key, val in pairs:
            if key == "type":
                continue
            if key not in SMBIOS_KEYS[smbios_type]:
                raise MachineConfigError(f"{option} type={smbios_type}: Invalid parameter '{key}'")
            fields[key] = val
        if smbios_type == 0 and "release" in keys:
            if not re.fullmatch(r"\d{1,3}\.\d{1,3}", keys["release"]) or any(
                    int(p) > 255 for p in keys["release"].split(".")):
                raise MachineConfigError(f"{option} type=0 release={keys['release']}: Invalid release")
        if smbios_type == 0 and "uefi" in keys:
            parse_bool(keys["uefi"], f"{option} type=0 uefi=")
        if smbios_type == 1 and "uuid" in keys:
            self.uuid = parse_uuid(keys["uuid"], f"{option} type=1 uuid=")
        if smbios_type == 4:
            for key in ("max-speed", "current-speed"):
                if key in keys and parse_uint(keys[key], f"{option} {key}=") > 0xFFFF:
                    raise MachineConfigError(f"{option} {key}: SMBIOS CPU speed is too large (> 65535)")
            if "processor-id" in keys:
                parse_uint(keys["processor-id"], f"{option} processor-id=")
        if smbios_type == 17 and "speed" in keys:
            parse_uint(keys["speed"], f"{option} speed=")

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
            raise MachineConfigError(f"{option} {driver}: device not modelled by qboot-tables (it may change "
                                     f"the tables)")

    def _opt_boot(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "order"):
            if key == "menu":
                self.boot_menu = parse_bool(val, f"{option} menu=")

    # ---- QEMU's derivations

    def _machine_type(self) -> MachineType:
        name = self.machine_props.get("type", ("pc", ""))[0]
        name = MACHINE_ALIASES.get(name, name)
        if name in MACHINE_TYPES:
            return MACHINE_TYPES[name]
        option = self.machine_props.get("type", ("", "-machine"))[1]
        if re.fullmatch(r"pc(-i440fx)?-\d+\.\d+|pc-q35-\d+\.\d+(\.\d+)?|pc-1\.\d|isapc|xenfv.*|none", name):
            raise MachineConfigError(f"{option} {name}: machine type not modelled (pc-i440fx and pc-q35 6.1 to "
                                     f"7.2, pc, q35 and microvm are)")
        raise MachineConfigError(f"{option} {name}: unsupported machine type")

    def _oem(self, key: str, props: dict, size: int, default: bytes) -> bytes:
        if key not in props:
            return default
        raw = props[key].encode()
        if len(raw) > size:
            raise MachineConfigError(f"-machine {key}: User specified {key} value is bigger than {size} bytes "
                                     f"in size")
        return raw.ljust(size, b"\0")  # x86.c strncpy() into the default's buffer

    def _topology(self, mtype: MachineType) -> Topology:
        # hw/core/machine-smp.c machine_parse_smp_config.
        smp = self.smp
        cpus, sockets, dies, clusters, cores, threads, maxcpus = (smp.get(k, 0) for k in (
            "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus"))
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
                    sockets = maxcpus // (dies * cores * threads)
                elif cores == 0:
                    threads = threads or 1
                    cores = maxcpus // (sockets * dies * threads)
            else:
                if cores == 0:
                    sockets, threads = sockets or 1, threads or 1
                    cores = maxcpus // (sockets * dies * threads)
                elif sockets == 0:
                    threads = threads or 1
                    sockets = maxcpus // (dies * cores * threads)
            if threads == 0:
                threads = maxcpus // (sockets * dies * cores)
        maxcpus = maxcpus or sockets * dies * cores * threads
        cpus = cpus or maxcpus
        hierarchy = f"sockets ({sockets})" + (f" * dies ({dies})" if mtype.family != "microvm" else "") + \
            f" * cores ({cores}) * threads ({threads})"
        if sockets * dies * cores * threads != maxcpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: product of the hierarchy must match maxcpus: "
                                     f"{hierarchy} != maxcpus ({maxcpus})")
        if maxcpus < cpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                                     f"{hierarchy} == maxcpus ({maxcpus}) < smp_cpus ({cpus})")
        if maxcpus > mtype.max_cpus:
            raise MachineConfigError(f"-smp: Invalid SMP CPUs {maxcpus}. The max CPUs supported by machine "
                                     f"'{mtype.name}' is {mtype.max_cpus}")
        return Topology(sockets=sockets, dies=dies, cores=cores, threads=threads, cpus=cpus, maxcpus=maxcpus)

    def _memory(self, family: str) -> tuple[int, int, int]:
        # softmmu/vl.c parse_memory_options and hw/core/machine.c machine_set_mem.
        mem = self.memory
        size = DEFAULT_RAM_SIZE
        if "size" in mem and parse_size(mem["size"], "-m", "m") != 0:
            size = parse_size(mem["size"], "-m", "m")  # a bare number is MiB
        size = _round_up(size, RAM_ALIGN)
        slots = parse_uint(mem["slots"], "-m slots=") if "slots" in mem else 0
        maxmem = 0
        if "maxmem" in mem:
            maxmem = parse_size(mem["maxmem"], "-m maxmem=")  # bytes unless suffixed, unlike size
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
        # hw/core/machine.c machine_set_cpu_numa_node, machine_numa_finish_cpu_init.
        if family == "microvm" and self.numa:
            raise MachineConfigError("-numa: NUMA is not modelled on microvm (QEMU builds no SRAT there)")
        nodes: dict[int, NumaNode] = {}
        explicit: dict[int, int] = {}  # cpu index -> node, as -numa node,cpus= / -numa cpu set it
        distances: dict[tuple[int, int], int] = {}
        used_memdevs: set[str] = set()
        have_mem = have_memdev = False
        cpus = possible_cpus(topology)

        def assign(index_filter, node_id, option):
            for cpu in cpus:
                if not index_filter(cpu):
                    continue
                if cpu.index in explicit and explicit[cpu.index] != node_id:
                    raise MachineConfigError(f"{option}: CPU is already assigned to node-id: "
                                             f"{explicit[cpu.index]}")
                explicit[cpu.index] = node_id

        for kind, pairs in self.numa:
            keys = dict(pairs)
            if kind == "node":
                option = "-numa node"
                node_id = parse_uint(keys["nodeid"], "-numa node,nodeid=") if "nodeid" in keys else len(nodes)
                if node_id >= MAX_NODES:
                    raise MachineConfigError(f"{option}: Max number of NUMA nodes reached: {node_id}")
                if node_id in nodes:
                    raise MachineConfigError(f"{option}: Duplicate NUMA nodeid: {node_id}")
                if "initiator" in keys:
                    raise MachineConfigError(f"{option},initiator=: HMAT is not modelled")
                for key, value in pairs:
                    if key == "cpus":
                        for index in parse_cpu_list(value, f"{option},cpus="):
                            if index >= topology.maxcpus:
                                raise MachineConfigError(f"{option},cpus={value}: CPU index ({index}) should be "
                                                         f"smaller than maxcpus ({topology.maxcpus})")
                            assign(lambda c, i=index: c.index == i, node_id, f"{option},cpus={value}")
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
                    if memdev not in self.backends:
                        raise MachineConfigError(f"{option},memdev={memdev}: memdev={memdev} is ambiguous "
                                                 f"(no such memory backend)")
                    if memdev in used_memdevs:
                        raise MachineConfigError(f"{option},memdev={memdev}: memory backend {memdev} can't be "
                                                 f"used multiple times.")
                    used_memdevs.add(memdev)
                    memory = self.backends[memdev]
                nodes[node_id] = NumaNode(node_id=node_id, memory=memory, memdev=memdev)
            elif kind == "dist":
                option = "-numa dist"
                for key in ("src", "dst", "val"):
                    if key not in keys:
                        raise MachineConfigError(f"{option}: Parameter '{key}' is missing")
                src, dst = parse_uint(keys["src"], "-numa dist,src="), parse_uint(keys["dst"], "-numa dist,dst=")
                val = parse_uint(keys["val"], "-numa dist,val=")
                if src >= MAX_NODES or dst >= MAX_NODES:
                    which = "src" if src >= MAX_NODES else "dst"
                    raise MachineConfigError(f"{option}: Parameter '{which}' expects an integer between 0 and "
                                             f"{MAX_NODES - 1}")
                if src not in nodes or dst not in nodes:
                    raise MachineConfigError(f"{option}: Source/Destination NUMA node is missing. Please use "
                                             f"'-numa node' option to declare it first.")
                if val > NUMA_DISTANCE_MAX:
                    raise MachineConfigError(f"{option},val={val}: Parameter 'val' expects uint8_t")
                if val < NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: NUMA distance ({val}) is invalid, it shouldn't be less "
                                             f"than {NUMA_DISTANCE_MIN}.")
                if src == dst and val != NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: Local distance of node {src} should be "
                                             f"{NUMA_DISTANCE_MIN}.")
                distances[(src, dst)] = val
            else:
                option = "-numa cpu"
                if "node-id" not in keys:
                    raise MachineConfigError(f"{option}: Missing mandatory node-id property")
                node_id = parse_uint(keys["node-id"], "-numa cpu,node-id=")
                if node_id not in nodes:
                    raise MachineConfigError(f"{option}: Invalid node-id={node_id}, NUMA node must be defined "
                                             f"with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID")
                if "cluster-id" in keys:
                    raise MachineConfigError(f"{option}: cluster-id is not supported")
                if "die-id" in keys and topology.dies <= 1:
                    raise MachineConfigError(f"{option}: die-id is not supported")
                want = {attr: parse_uint(keys[key], f"{option},{key}=") for key, attr in (
                    ("socket-id", "socket"), ("die-id", "die"), ("core-id", "core"), ("thread-id", "thread"))
                    if key in keys}
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
