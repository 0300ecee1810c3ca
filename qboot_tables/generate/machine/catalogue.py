"""What QEMU 7.2 offers to model: machine types, CPU models, memory layout constants and ACPI OEM IDs."""
from __future__ import annotations

from dataclasses import dataclass

KiB, MiB, GiB, TiB = 1 << 10, 1 << 20, 1 << 30, 1 << 40


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
    version: tuple[int, ...] = (7, 2)  # microvm is unversioned: it counts as the newest
    # The knobs below are pc.c's pc_compat_* arrays and pc_piix.c / pc_q35.c's *_machine_options of 7.2.
    qemu64_family6: bool = False  # pc_compat_6_0: qemu64 is family 6 model 6 stepping 3 (the SMBIOS processor ID)
    fw_cfg_dma: bool = True  # hw/core/machine.c hw_compat_2_4: fw_cfg_io dma_enabled=off, the ID lacks the DMA bit
    rsdp_in_ram: bool = True  # off <= 2.2: etc/acpi/rsdp is a plain fw_cfg file, not a ROM blob
    smbios_uuid_encoded: bool = True  # off <= 2.1: SMBIOS type 1's UUID keeps the RFC 4122 (wire) byte order
    enforce_aligned_dimm: bool = True  # off <= 2.1: no 1 GiB of alignment room per slot in device memory
    broken_reserved_end: bool = False  # <= 2.4: etc/reserved-memory-end is device memory's base, not its end
    # <= 2.0: SMBIOS only as type 0/1 fields in FW_CFG_SMBIOS_ENTRIES, no memory hotplug (has_reserved_memory
    # off), and etc/acpi/tables sized as QEMU 2.0's (legacy_acpi_table_size: 6652 for 2.0, 6414 for 1.7).
    smbios_legacy_mode: bool = False
    legacy_acpi_table_size: int = 0
    smbios_defaults: bool = True  # off <= 1.7: no type 1 manufacturer, product and version
    gigabyte_align: bool = True  # off <= 1.7: RAM over 3.5 GiB is not split at 3 GiB
    smm_compat: bool = False  # <= 5.2: the FADT has the SMI command port even with smm=off
    kernel_irqchip_split: bool = False  # pc_q35.c: pc-q35-4.0 alone defaults to KVM's split irqchip


PC_DESCRIPTION = "Standard PC (i440FX + PIIX, 1996)"
Q35_DESCRIPTION = "Standard PC (Q35 + ICH9, 2009)"
MICROVM_DESCRIPTION = "microvm (i386)"

# The versioned types of `qemu-system-x86_64 -M help` (7.2) that the generator models: pc-i440fx from 1.7
# (1.6 and older have no ACPI tables from QEMU: has_acpi_build off), pc-q35 from 2.4 (the oldest 7.2 offers).
PC_VERSIONS = ((7, 2), (7, 1), (7, 0), (6, 2), (6, 1), (6, 0), (5, 2), (5, 1), (5, 0), (4, 2), (4, 1), (4, 0),
               (3, 1), (3, 0), (2, 12), (2, 11), (2, 10), (2, 9), (2, 8), (2, 7), (2, 6), (2, 5), (2, 4), (2, 3),
               (2, 2), (2, 1), (2, 0), (1, 7))
Q35_VERSIONS = tuple(sorted([v for v in PC_VERSIONS if v >= (2, 4)] + [(4, 0, 1)], reverse=True))


LEGACY_ACPI_TABLE_SIZES: dict[tuple[int, ...], int] = {(2, 0): 6652, (1, 7): 6414}  # pc_piix.c, QEMU 2.0's and 1.7's


def _machine_types() -> dict[str, MachineType]:
    # pc_piix.c / pc_q35.c: 7.1 and 7.2 differ only in things that do not reach the tables (rng seed, virtio
    # queue reset); 7.0 and older lack the AMD hole; 6.1 and older prefer sockets; q35 before 2.8 allows 255
    # CPUs (pc_q35_2_7_machine_options). Compat knobs that reach only the DSDT (legacy_cpu_hotplug,
    # pci_root_uid, the PCI hotplug bridges, pci-hole64-fix), files we do not generate (etc/smi/*) or what only
    # -kernel loading or other machine code sees (acpi_data_size, pvh_enabled, linuxboot DMA, kvmclock, TSEG)
    # are not listed.
    types = {}
    for family, prefix, description, versions in (("pc", "pc-i440fx-", PC_DESCRIPTION, PC_VERSIONS),
                                                  ("q35", "pc-q35-", Q35_DESCRIPTION, Q35_VERSIONS)):
        for version in versions:
            name = prefix + ".".join(map(str, version))
            max_cpus = 255 if family == "pc" or version < (2, 8) else 288
            types[name] = MachineType(
                name, family, description, max_cpus, prefer_sockets=version < (6, 2),
                enforce_amd_1tb_hole=version >= (7, 1), version=version, qemu64_family6=version < (6, 1),
                fw_cfg_dma=version >= (2, 5), rsdp_in_ram=version >= (2, 3),
                smbios_uuid_encoded=version >= (2, 2), smbios_legacy_mode=version < (2, 1),
                enforce_aligned_dimm=version >= (2, 2), broken_reserved_end=version < (2, 5),
                legacy_acpi_table_size=LEGACY_ACPI_TABLE_SIZES.get(version, 0),
                smbios_defaults=version >= (2, 0), gigabyte_align=version >= (2, 0),
                smm_compat=version < (6, 0), kernel_irqchip_split=family == "q35" and version == (4, 0))
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

# include/hw/firmware/smbios.h: the types QEMU keeps a have-fields and a have-file bit for; a -smbios file= may
# start with any type, but only one of these takes the place of QEMU's own structures.
SMBIOS_MAX_TYPE = 127
