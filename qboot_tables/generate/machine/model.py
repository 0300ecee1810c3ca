"""MachineConfig: the machine a QEMU 7.2 command line describes, and the facts derived from it."""
from __future__ import annotations

from dataclasses import dataclass, field

from qboot_tables.errors import QbootTablesError, quote
from qboot_tables.generate.machine.catalogue import (
    ACPI_OEM_ID, ACPI_OEM_TABLE_ID, AMD_ABOVE_1TB_START, AMD_HT_START, CPU_MODELS, FOUR_GIB, MACHINE_TYPES,
    MICROVM_SPLIT, NUMA_DISTANCE_MIN, PC_DEFAULT_MAX_RAM_BELOW_4G, PC_GIGABYTE_SPLIT, PCI_HOLE64_SIZE, Q35_HIGH_SPLIT,
    Q35_LOW_SPLIT, SMBIOS_MAX_TYPE, TCG_PHYS_BITS_32, TCG_PHYS_BITS_64, CpuModel, GiB, MachineType)

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
    # With hmat=on (hw/core/numa.c, machine.c machine_set_cpu_numa_node): a node holding CPUs is its own
    # initiator; another names one with -numa node,initiator=, or has none (None: QEMU's MAX_NODES).
    initiator: int | None = None
    has_cpu: bool = False


@dataclass(frozen=True)
class HmatLocality:
    """One -numa hmat-lb table: a (hierarchy, data type) pair, the base unit QEMU derived while parsing
    (hw/core/numa.c parse_numa_hmat_lb: ns for latency, bytes/s for bandwidth) and (initiator, target, value)."""
    hierarchy: int  # HmatLBMemoryHierarchy: memory, first-level, second-level, third-level
    data_type: int  # HmatLBDataType: access/read/write latency, then access/read/write bandwidth
    base: int
    entries: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class HmatCache:
    """One -numa hmat-cache (qapi NumaHmatCacheOptions)."""
    node_id: int
    size: int
    level: int
    associativity: int  # none, direct, complex
    policy: int  # none, write-back, write-through
    line: int


@dataclass(frozen=True)
class Topology:
    sockets: int
    dies: int
    cores: int  # per die
    threads: int  # per core
    cpus: int  # present at boot
    maxcpus: int  # possible


@dataclass(frozen=True)
class Iommu:
    """The one vIOMMU of an x86 machine (hw/i386/pc.c allows one): its kind and the properties the tables show."""
    kind: str  # "intel-iommu", "amd-iommu" or "virtio-iommu-pci"
    intremap: bool = False  # x86-iommu.c: intremap=auto is on unless the whole irqchip is in KVM (never, on TCG)
    device_iotlb: bool = False  # device-iotlb=: the DMAR gets an ATSR structure
    caching_mode: bool = False  # caching-mode=: a register bit only, no table changes
    aw_bits: int = 39  # intel-iommu aw-bits= (39 or 48)
    devfn: int | None = None  # the PCI function of amd-iommu (its AMDVI-PCI) and of virtio-iommu-pci


@dataclass(frozen=True)
class OnboardDevice:
    """One -smbios type=41 entry (hw/smbios/smbios.c type41_instance), its PCI function resolved."""
    designation: str | None
    kind: int  # the device type with bit 7 (enabled) set
    instance: int
    devfn: int | None  # the function pcidev= names on bus 0, None without pcidev=


@dataclass(frozen=True)
class Nvdimm:
    """One -device nvdimm (hw/mem/nvdimm.c, a pc-dimm): where it sits and what the NFIT says about it."""
    slot: int
    node: int
    size: int  # the persistent part: the backend less its label area, rounded down to the backend's alignment
    unarmed: bool = False


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
    pci_devices: tuple = ()  # PciDevice on bus 0 in devfn order (machine.pci), as the parser placed them
    iommu: Iommu | None = None  # -device intel-iommu / amd-iommu / virtio-iommu-pci
    smbios_oem_strings: tuple[str, ...] = ()  # -smbios type=11,value=... in order
    smbios_files: tuple[bytes, ...] = ()  # -smbios file=: each file's bytes, in order
    smbios_onboard_devices: tuple[OnboardDevice, ...] = ()  # -smbios type=41,...
    hmat: bool = False  # -machine hmat=on: an HMAT whenever there are NUMA nodes
    hmat_localities: tuple[HmatLocality, ...] = ()
    hmat_caches: tuple[HmatCache, ...] = ()
    nvdimm: bool = False  # -machine nvdimm=on: the NVDIMM root device (SSDT) whenever there are slots
    nvdimm_persistence: int = 0  # -machine nvdimm-persistence=: NFIT platform capabilities (cpu 3, mem-ctrl 2)
    nvdimms: tuple[Nvdimm, ...] = ()
    accel: str = "tcg"  # "tcg" or "kvm" (-accel, -enable-kvm, -machine accel=): which of QEMU's rules apply
    virtio_mmio_devices: int = 0  # microvm: the -device virtio-*-device count, each on a virtio-mmio transport
    # microvm's properties as hw/i386/microvm.c resolves them (unused on pc and q35).
    microvm_ioapic2: bool = True  # a second I/O APIC for the virtio-mmio GSIs: ACPI on and ioapic2 not off
    microvm_pcie: bool = False  # the GPEX PCIe host: ACPI on and pcie=on
    microvm_rtc: bool = True  # the mc146818 RTC: rtc=on, or auto without KVM
    microvm_isa_serial: bool = True  # isa-serial: COM1
    microvm_usb: bool = False  # usb=on with ACPI: a sysbus XHCI

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
        from qboot_tables.generate.machine.numbers import parse_number  # numbers raises MachineConfigError, from here

        given = parse_number(str(self.smbios_fields.get(4, {}).get("processor-id", "0")),
                             "-smbios type=4,processor-id=", "processor-id")
        if given:
            return given
        if self.cpu_model == "qemu64" and self.machine_class.qemu64_family6:
            # pc.c pc_compat_6_0 makes qemu64 family 6, model 6, stepping 3: CPUID.1 EAX 0x663, EDX unchanged.
            return self.cpu.processor_id & ~0xFFFF_FFFF | 0x663
        return self.cpu.processor_id

    @property
    def smbios_sockets(self) -> int:
        """How many type 4 structures QEMU writes: one per socket, present or not.

        Debian's 7.2.22 carries the upstream fix "hw/smbios: Fix smbios_smp_sockets caculation" (smp.sockets);
        v7.2.0 computed DIV_ROUND_UP(cpus, cores * threads). Measured: `-smp 2,sockets=2,cores=2,maxcpus=4`
        gives two."""
        return self.topology.sockets

    @property
    def smbios_file_types(self) -> frozenset[int]:
        return smbios_file_types(self.smbios_files)

    @property
    def cores_per_socket(self) -> int:
        return self.topology.dies * self.topology.cores

    @property
    def threads_per_socket(self) -> int:
        return self.cores_per_socket * self.topology.threads

    @property
    def has_smbios(self) -> bool:
        # microvm sets no SMBIOS defaults and adds no SMBIOS files; legacy machine types hand over fields only.
        return self.machine != "microvm" and not self.machine_class.smbios_legacy_mode

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
            # RAM reaches it (gigabyte_align, off for 1.7).
            lowmem = self.max_ram_below_4g or PC_DEFAULT_MAX_RAM_BELOW_4G
            if ram >= lowmem and self.machine_class.gigabyte_align:
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

    def nvdimm_address(self, dimm: Nvdimm) -> int:
        """Where QEMU maps an NVDIMM: the first free address of the device memory region (hw/mem/memory-device.c
        memory_device_get_free_addr); with the one NVDIMM modelled, the region's base."""
        region = self.device_memory
        if region is None:  # the parser refuses an NVDIMM without maxmem
            raise MachineConfigError("-device nvdimm: the machine has no device memory region")
        return region[0]

    @property
    def maxram_size(self) -> int:
        return self.maxmem or self.ram_size

    def _device_memory(self, above_start: int) -> tuple[int, int]:
        base = round_up(above_start + self.above_4g_mem, GiB)
        # enforce_aligned_dimm (off for 2.1 and older): room for 1 GiB alignment per slot.
        return base, self.maxram_size - self.ram_size + GiB * self.ram_slots * self.machine_class.enforce_aligned_dimm

    def _max_used_gpa(self, above_start: int) -> int:
        """pc.c pc_max_used_gpa: the end of the 64-bit PCI hole (or the CPU's limit on 32-bit CPUs)."""
        if self.cpu_phys_bits <= 32:
            return (1 << self.cpu_phys_bits) - 1
        if self.maxram_size > self.ram_size:
            base, size = self._device_memory(above_start)
            hole64_start = base + size
        else:
            hole64_start = above_start + self.above_4g_mem
        return round_up(hole64_start, GiB) + PCI_HOLE64_SIZE[self.machine] - 1

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
    def from_qemu_args(cls, args: list[str], host_cpu_vendor: str | None = None) -> MachineConfig:
        """Describe the machine a QEMU 7.2 command line (without the binary) would build. Under KVM the CPU
        takes the host's CPUID vendor: host_cpu_vendor names another host's ("AuthenticAMD"), else this one's."""
        from qboot_tables.generate.machine.cmdline import _Parser  # the parser builds this class

        if isinstance(args, (str, bytes)) or not hasattr(args, "__iter__"):
            raise MachineConfigError(f"the QEMU command line must be a list of strings, not "
                                     f"{type(args).__name__}")
        args = list(args)
        for number, arg in enumerate(args, 1):
            if not isinstance(arg, str):
                raise MachineConfigError(f"argument {number}: expected a string, not {type(arg).__name__}")
            if "\0" in arg:  # no argv string can hold one, so it cannot be what the user meant
                raise MachineConfigError(f"argument {number} {quote(arg)}: contains a NUL character")
        return _Parser(args, host_cpu_vendor).config()


def smbios_file_types(files) -> frozenset[int]:
    """The types QEMU builds no structure of because -smbios file= gave one (hw/smbios/smbios.c
    have_binfile_bitmap, smbios_skip_table): that of each file's first structure, up to SMBIOS_MAX_TYPE."""
    return frozenset(data[0] for data in files if data[0] <= SMBIOS_MAX_TYPE)


def round_up(value: int, alignment: int) -> int:
    return -(-value // alignment) * alignment
