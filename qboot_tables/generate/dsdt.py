"""Our own DSDT for pc, q35 and microvm: processor objects, the PCI root bridge with its routing, ISA devices.

It is deliberately not QEMU's DSDT, but it declares every object a Linux guest uses in QEMU 7.2's DSDT for the
same machine: the processors (with QEMU's CPU hotplug interface when -smp maxcpus exceeds the CPUs present),
the DIMM slots of -m slots=, q35's _OSC and its MMCONFIG reservation, and the sleep states. PCI interrupts go
through fixed PCI interrupt link devices whose one possible IRQ is the one the chipset is wired or programmed
to use, so the trigger and polarity a guest reads agree with the MADT's overrides.
"""
from __future__ import annotations

from dataclasses import dataclass

from qboot_tables.aml import encode as aml
from qboot_tables.generate import aml_hotplug
from qboot_tables.errors import QbootTablesError, build
from qboot_tables.generate.machine import PCI_HOLE64_SIZE, Cpu, GiB, MachineConfig
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLE_SIZES, LocalApicFlags, MadtType
from qboot_tables.schemas.common import ACPI_HEADER_SIZE, acpi_header
from qboot_tables.tables.madt import madt_cpu_entry

DSDT_REVISION = 2  # ACPI 6.5 §5.2.11.1: revision 2 and up gives 64-bit AML integers
CREATOR_ID = b"QBTL"  # ours, not QEMU's "BXPC": this DSDT is not QEMU's
CREATOR_REVISION = 1
OEM_REVISION = 1
CHECKSUM_OFFSET = 9  # ACPI 6.5 §5.2.6: the header's checksum byte

X2APIC_THRESHOLD = 255  # APIC IDs from here on need an x2APIC MADT entry (ACPI 6.5 §5.2.12.12)
MAX_CPU_OBJECTS = 0x1000  # "C" and three hex digits name each CPU
STA_PRESENT = 0x0F  # present, enabled, shown in UI, functioning (ACPI 6.5 §6.3.7)
STA_ABSENT = 0x00
STA_LINK = 0x0B  # present, enabled, functioning, not shown: what link and helper devices report

PCI_SLOTS = 32
PCI_PINS = 4  # INTA#-INTD#
PCI_MMIO_END = 0xFEBFFFFF  # the I/O APIC at 0xFEC00000 and the firmware above it end the 32-bit hole
Q35_MCFG_BASE, Q35_MCFG_SIZE = 0xB0000000, 0x10000000  # SeaBIOS programs PCIEXBAR here (REFERENCE.md)

# SeaBIOS src/fw/pciinit.c piix_isa_bridge_setup writes ISA IRQs 10, 10, 11, 11 into PIIX3 PIRQA-D (config
# 0x60-0x63 of 00:01.0); QEMU hw/pci-host/i440fx.c pci_slot_get_pirq swizzles: PIRQ = (slot + pin - 1) mod 4.
PIIX_PIRQ_IRQS = (10, 10, 11, 11)
PIIX_SCI_SLOT, PIIX_SCI_IRQ = 1, 9  # 00:01.3 (PIIX4 PM) INTA# raises the SCI, ISA IRQ 9, in QEMU
# QEMU hw/isa/lpc_ich9.c: PIRQA-H always drive I/O APIC pins 16-23 (ich9_pirq_to_gsi).
ICH9_PIRQ_GSI_BASE = 16
# The ICH9 LPC's default device-to-PIRQ table in QEMU 7.2 (its irr[][] and the APIC-mode _PRT QEMU's own q35
# DSDT gives): the chipset's functions at 25-29 and 31 use PIRQA-D by pin, the DMI-PCI bridge at 30 PIRQE-H by
# pin, and every other slot PIRQE-H swizzled by slot.
ICH9_PIRQ_A_TO_D_SLOTS = frozenset({25, 26, 27, 28, 29, 31})
ICH9_UNSWIZZLED_E_TO_H_SLOT = 30
# microvm's GPEX PCIe host with pcie=on (include/hw/i386/microvm.h, hw/i386/microvm.c microvm_devices_init): ECAM
# for buses 0-255, a 32-bit window below it, a 64-bit one over the top quarter of the CPU's physical address
# space; INTA-D on four GSIs from 12 (16 with the second I/O APIC), swizzled by slot (hw/pci-host/gpex.c).
MICROVM_ECAM_BASE, MICROVM_ECAM_SIZE = 0xE0000000, 0x10000000
MICROVM_MMIO32_BASE, MICROVM_MMIO32_SIZE = 0xC0000000, 0x20000000
MICROVM_PCIE_GSI_BASE, MICROVM_PCIE_GSI_BASE_IOAPIC2 = 12, 16
# hw/pci-host/gpex-acpi.c: the _OSC grants every control of the first five, native PCIe hotplug included (there
# is no ACPI PCI hotplug on microvm).
GPEX_OSC_GRANTED_CONTROLS = 0x1F


class DsdtError(QbootTablesError):
    """A machine this DSDT generator cannot describe (too many CPUs to name, an unknown machine type)."""


@dataclass(frozen=True)
class PciRoute:
    """One _PRT entry: INTx# of a bus-0 slot goes to `link`, whose only interrupt is `gsi`."""
    slot: int
    pin: int  # 0 = INTA#
    link: str  # interrupt link device name under \\_SB
    gsi: int


def pci_interrupt_routes(machine: MachineConfig) -> list[PciRoute]:
    """Where every slot 0-31, pin A-D of PCI bus 0 interrupts, as wired by the chipset and programmed by SeaBIOS.

    The DSDT's _PRT and the MP table's PCI interrupt entries are both built from this list.
    """
    routes = []
    for slot in range(PCI_SLOTS):
        for pin in range(PCI_PINS):
            if machine.machine == "pc":
                if slot == PIIX_SCI_SLOT and pin == 0:
                    routes.append(PciRoute(slot, pin, "LNKS", PIIX_SCI_IRQ))
                    continue
                pirq = (slot + pin - 1) % 4
                routes.append(PciRoute(slot, pin, "LNK" + "ABCD"[pirq], PIIX_PIRQ_IRQS[pirq]))
            elif machine.machine == "microvm" and machine.microvm_pcie:
                link = (slot + pin) % PCI_PINS
                routes.append(PciRoute(slot, pin, f"GSI{link}", microvm_pcie_gsis(machine)[link]))
            elif machine.machine == "q35":
                if slot in ICH9_PIRQ_A_TO_D_SLOTS:
                    pirq = pin
                elif slot == ICH9_UNSWIZZLED_E_TO_H_SLOT:
                    pirq = 4 + pin
                else:
                    pirq = 4 + (slot + pin) % 4
                routes.append(PciRoute(slot, pin, "LNK" + "ABCDEFGH"[pirq], ICH9_PIRQ_GSI_BASE + pirq))
            else:
                raise DsdtError(f"machine {machine.machine!r} has no PCI bus to route")
    return routes


def pci_memory_windows(machine: MachineConfig) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """The root bridge's 32-bit MMIO windows and its 64-bit window, as inclusive (first, last) pairs."""
    below = machine.below_4g_mem
    if machine.machine == "q35":
        windows32 = [(below, Q35_MCFG_BASE - 1), (Q35_MCFG_BASE + Q35_MCFG_SIZE, PCI_MMIO_END)]
    else:
        windows32 = [(below, PCI_MMIO_END)]
    # RAM can fill a window (q35 with 0xB0000000 below 4 GiB, or a large max-ram-below-4g): leave it out.
    windows32 = [(max(first, below), last) for first, last in windows32 if max(first, below) <= last]
    # QEMU 7.2 hw/i386/pc.c: the 64-bit hole follows RAM above 4 GiB, or the memory-hotplug region when there
    # is one, 1 GiB aligned.
    if machine.device_memory:
        base, size = machine.device_memory
        end = base + size
    else:
        end = machine.above_4g_mem_start + machine.above_4g_mem
    start64 = _align_up(end, GiB)
    return windows32, (start64, start64 + PCI_HOLE64_SIZE[machine.machine] - 1)


def _align_up(value: int, alignment: int) -> int:
    return -(-value // alignment) * alignment


# --- processors --------------------------------------------------------------------------------------------

def cpu_object_name(cpu: Cpu) -> str:
    if cpu.index >= MAX_CPU_OBJECTS:
        raise DsdtError(f"CPU index {cpu.index}: at most {MAX_CPU_OBJECTS} processor objects can be named")
    return aml_hotplug.cpu_path(cpu.index)


def madt_entry_for(cpu: Cpu, enabled_flag: bool | None = None) -> bytes:
    """The CPU's MADT entry: local APIC below APIC ID 255, x2APIC from there on. Enabled as QEMU's MADT sets it
    (present CPUs only) unless `enabled_flag` says otherwise."""
    enabled = LocalApicFlags.ENABLED if (cpu.present if enabled_flag is None else enabled_flag) else 0
    if cpu.apic_id < X2APIC_THRESHOLD:
        body = dict(acpi_processor_uid=cpu.index, apic_id=cpu.apic_id, flags=enabled, extra=b"")
        kind = MadtType.LOCAL_APIC
    else:
        body = dict(reserved=0, x2apic_id=cpu.apic_id, flags=enabled, acpi_processor_uid=cpu.index, extra=b"")
        kind = MadtType.LOCAL_X2APIC
    entry = dict(type=kind, length=MADT_SUBTABLE_SIZES[kind], body=body)
    return build(madt_cpu_entry(kind), entry, f"_MAT of CPU {cpu.index}")


def processor_object(cpu: Cpu, hotplug: bool) -> bytes:
    """A processor Device (ACPI0007, ACPI 6.5 §8.4) whose _UID is its MADT UID.

    QEMU 7.2 (hw/acpi/cpu.c build_cpus_aml) still declares a Processor () below APIC ID 255 on pc and q35;
    ACPI 6.0 deprecated it and iasl warns about each one, and Linux reads both, so ours are Devices throughout.
    With hotplug, _STA asks QEMU's CPU hotplug registers, and _MAT says enabled even for an absent CPU (as
    QEMU's does): Linux takes a hot-added CPU's APIC ID from _MAT and refuses one marked disabled.
    """
    terms = [aml.name("_HID", "ACPI0007"), aml.name("_UID", cpu.index)]
    if hotplug:
        terms += aml_hotplug.hotpluggable_cpu_terms(cpu.index, boot_cpu=cpu.index == 0)
        terms.append(aml.name("_MAT", aml.buffer(madt_entry_for(cpu, enabled_flag=True))))
    else:
        terms += [aml.name("_STA", STA_PRESENT if cpu.present else STA_ABSENT),
                  aml.name("_MAT", aml.buffer(madt_entry_for(cpu)))]
    if cpu.node is not None:
        # As hw/acpi/cpu.c notes, Linux drops the SRAT affinity of CPUs absent at boot: each needs _PXM.
        terms.append(aml.name("_PXM", cpu.node))
    return aml.device(cpu_object_name(cpu), *terms)


def processor_container(machine: MachineConfig) -> list[bytes]:
    """\\_SB.CPUS (ACPI0010, ACPI 6.5 §8.4.2) holding every possible CPU; with CPU hotplug (maxcpus above
    the CPUs present) also the methods of aml_hotplug and the GPE method that scans for plugged CPUs."""
    hotplug = cpu_hotplug(machine)
    processors = [processor_object(cpu, hotplug) for cpu in machine.cpus]  # first: it checks every name
    terms = [aml.name("_HID", "ACPI0010"), aml.name("_CID", aml.eisa_id("PNP0A05"))]
    if hotplug:
        terms += aml_hotplug.cpu_container_methods(len(machine.cpus))
    objects = [aml.device(aml_hotplug.CPUS, *terms, *processors)]
    if hotplug:
        objects.append(aml_hotplug.cpu_gpe_method())
    return objects


def cpu_hotplug(machine: MachineConfig) -> bool:
    """Whether the DSDT carries QEMU's CPU hotplug interface: pc and q35 with maxcpus above the CPUs present."""
    return machine.machine in aml_hotplug.CPU_HOTPLUG_IO_BASE and len(machine.present_cpus) < len(machine.cpus)


# --- PCI root bridge ---------------------------------------------------------------------------------------

def microvm_pcie_gsis(machine: MachineConfig) -> range:
    """The GSIs of the microvm PCIe host's INTA-D, none without pcie=on."""
    if not machine.microvm_pcie:
        return range(0)
    base = MICROVM_PCIE_GSI_BASE_IOAPIC2 if machine.microvm_ioapic2 else MICROVM_PCIE_GSI_BASE
    return range(base, base + PCI_PINS)


def microvm_pcie_windows(machine: MachineConfig) -> tuple[tuple[int, int], tuple[int, int]]:
    """The microvm PCIe host's 32-bit and 64-bit MMIO windows, inclusive."""
    top = 1 << machine.cpu_phys_bits
    return ((MICROVM_MMIO32_BASE, MICROVM_MMIO32_BASE + MICROVM_MMIO32_SIZE - 1), (top - top // 4, top - 1))


def _microvm_pcie_root_bridge(machine: MachineConfig, routes: list[PciRoute]) -> bytes:
    """The GPEX host bridge of microvm with pcie=on. It has no port I/O configuration mechanism, so Linux must
    find ECAM through _CBA (drivers/acpi/pci_root.c, arch/x86/pci/acpi.c setup_mcfg_map): microvm has no MCFG.
    The ECAM window is reserved by a PNP0C02 device, which Linux requires before it uses it."""
    (first32, last32), (first64, last64) = microvm_pcie_windows(machine)
    return aml.device(
        "PCI0",
        aml.name("_HID", aml.eisa_id("PNP0A08")), aml.name("_CID", aml.eisa_id("PNP0A03")),
        aml.name("_UID", 0), aml.name("_SEG", 0), aml.name("_BBN", 0),
        aml.name("_CCA", 1),  # DMA is cache-coherent (ACPI 6.5 §6.2.17)
        aml.name("_CBA", MICROVM_ECAM_BASE),
        aml.name("_CRS", aml.resource_template(aml.word_bus_number(0x00, 0xFF), aml.dword_memory(first32, last32),
                                               aml.qword_memory(first64, last64))),
        aml.name("_PRT", _routing_table(routes, scope="\\_SB.PCI0.")),
        _pci_host_bridge_osc(GPEX_OSC_GRANTED_CONTROLS),
        *_link_devices(routes),
        aml.device("MRES", aml.name("_HID", aml.eisa_id("PNP0C02")), aml.name("_UID", "ECAM"),
                   aml.name("_CRS", aml.resource_template(aml.memory32_fixed(MICROVM_ECAM_BASE, MICROVM_ECAM_SIZE)))),
    )


def _root_bridge_resources(machine: MachineConfig) -> bytes:
    windows32, (first64, last64) = pci_memory_windows(machine)
    descriptors = [
        aml.word_bus_number(0x00, 0xFF),
        aml.io(0x0CF8, 0x0CF8, 1, 8),  # the configuration mechanism #1 ports the bridge itself decodes
        aml.word_io(0x0000, 0x0CF7),
        aml.word_io(0x0D00, 0xFFFF),
        aml.dword_memory(0x000A0000, 0x000BFFFF, cacheable=True),  # the legacy VGA window
        *(aml.dword_memory(first, last) for first, last in windows32),
        aml.qword_memory(first64, last64, cacheable=True),
    ]
    return aml.resource_template(*descriptors)


def _routing_table(routes: list[PciRoute], scope: str = "\\_SB.") -> bytes:
    # ACPI 6.5 §6.2.13 _PRT: {address (slot in the high word, 0xFFFF = any function), pin, source, index};
    # with a link device as source the index is 0.
    return aml.package(*(aml.package((r.slot << 16) | 0xFFFF, r.pin, aml.name_path(scope + r.link), 0)
                         for r in routes))


def _link_devices(routes: list[PciRoute]) -> list[bytes]:
    """A PNP0C0F device per link with its one interrupt, level-triggered, active-high and shared as in the
    MADT's overrides (ACPI 6.5 §6.2.13.1). _SRS accepts the only setting there is."""
    gsi_of: dict[str, int] = {}
    for route in routes:
        gsi_of.setdefault(route.link, route.gsi)
    devices = []
    for uid, link in enumerate(sorted(gsi_of)):
        template = aml.resource_template(aml.interrupt(gsi_of[link]))
        devices.append(aml.device(
            link,
            aml.name("_HID", aml.eisa_id("PNP0C0F")),
            aml.name("_UID", uid),
            aml.name("_STA", STA_LINK),
            aml.name("_PRS", template),
            aml.name("_CRS", template),
            aml.method("_SRS", 1),
            aml.method("_DIS", 0),
        ))
    return devices


def _isa_devices(machine: MachineConfig) -> list[bytes]:
    # The fixed legacy devices of a PC (IBM PC/AT I/O map), present on every pc and q35 machine QEMU builds.
    return [
        aml.device("RTC", aml.name("_HID", aml.eisa_id("PNP0B00")),
                   aml.name("_CRS", aml.resource_template(aml.io(0x70, 0x70, 1, 8), aml.irq_no_flags(8)))),
        aml.device("KBD", aml.name("_HID", aml.eisa_id("PNP0303")), aml.name("_STA", STA_PRESENT),
                   aml.name("_CRS", aml.resource_template(aml.io(0x60, 0x60, 1, 1), aml.io(0x64, 0x64, 1, 1),
                                                          aml.irq_no_flags(1)))),
        aml.device("MOU", aml.name("_HID", aml.eisa_id("PNP0F13")), aml.name("_STA", STA_PRESENT),
                   aml.name("_CRS", aml.resource_template(aml.irq_no_flags(12)))),
        _com1(),
    ]


def _com1() -> bytes:
    return aml.device("COM1", aml.name("_HID", aml.eisa_id("PNP0501")), aml.name("_UID", 1),
                      aml.name("_STA", STA_PRESENT),
                      aml.name("_CRS", aml.resource_template(aml.io(0x3F8, 0x3F8, 0, 8), aml.irq_no_flags(4))))


# PCI Firmware Specification 3.3 §4.5.1: the _OSC UUID of a PCI host bridge, and in its first capabilities
# dword the error bits a refusal sets; §4.5.2.4 the control field's bits.
PCI_HOST_BRIDGE_OSC_UUID = "33db4d5b-1ff7-401c-9657-7441c03dd766"
OSC_UNRECOGNIZED_UUID, OSC_UNRECOGNIZED_REVISION, OSC_CAPABILITIES_MASKED = 0x04, 0x08, 0x10
# Granted: SHPC hotplug (bit 1), PME (2), AER (3), the PCIe capability structure (4). Like QEMU 7.2's q35 with its
# default ACPI PCI hotplug (hw/i386/acpi-build.c build_q35_osc_method), native PCIe hotplug (0) is not granted,
# and neither is LTR (5).
OSC_GRANTED_CONTROLS = 0x1E


def _pci_host_bridge_osc(granted: int = OSC_GRANTED_CONTROLS) -> bytes:
    """_OSC of a PCIe host bridge: the OS may take the controls in `granted` and no others. Linux takes
    control of PCIe features only through it (drivers/acpi/pci_root.c, negotiate_os_control)."""
    capabilities = aml.name_path("CDW1")
    controls = aml.name_path("CDW3")
    return aml.method(
        "_OSC", 4,
        aml.create_dword_field(aml.arg(3), 0, "CDW1"),
        aml.if_(aml.lequal(aml.arg(0), aml.to_uuid(PCI_HOST_BRIDGE_OSC_UUID)),
                aml.create_dword_field(aml.arg(3), 8, "CDW3"),
                aml.if_(aml.lnot(aml.lequal(aml.arg(1), 1)),
                        aml.or_(capabilities, OSC_UNRECOGNIZED_REVISION, capabilities)),
                aml.and_(controls, granted, aml.local(0)),
                aml.if_(aml.lnot(aml.lequal(controls, aml.local(0))),
                        aml.or_(capabilities, OSC_CAPABILITIES_MASKED, capabilities)),
                aml.store(aml.local(0), controls)),
        aml.else_(aml.or_(capabilities, OSC_UNRECOGNIZED_UUID, capabilities)),
        aml.return_(aml.arg(3)),
    )


def _mmconfig_reservation() -> bytes:
    """A motherboard resources device (PNP0C02) holding q35's MMCONFIG window. Linux uses the MCFG table's
    window only if ACPI reserves it this way (arch/x86/pci/mmconfig-shared.c, is_acpi_reserved); QEMU 7.2
    declares the same range in its DRAC device (hw/i386/acpi-build.c build_q35_dram_controller)."""
    return aml.device("MRES", aml.name("_HID", aml.eisa_id("PNP0C02")), aml.name("_UID", "MMCONFIG"),
                      aml.name("_CRS", aml.resource_template(aml.memory32_fixed(Q35_MCFG_BASE, Q35_MCFG_SIZE))))


def _pci_root_bridge(machine: MachineConfig, routes: list[PciRoute]) -> bytes:
    if machine.machine == "q35":
        ids = [aml.name("_HID", aml.eisa_id("PNP0A08")), aml.name("_CID", aml.eisa_id("PNP0A03")),
               _pci_host_bridge_osc()]
        isa_address = 0x001F0000  # the ICH9 LPC bridge, 00:1f.0
    else:
        ids = [aml.name("_HID", aml.eisa_id("PNP0A03"))]
        isa_address = 0x00010000  # the PIIX3 ISA bridge, 00:01.0
    return aml.device(
        "PCI0", *ids,
        aml.name("_UID", 0),
        aml.name("_SEG", 0),
        aml.name("_BBN", 0),
        aml.name("_CRS", _root_bridge_resources(machine)),
        aml.name("_PRT", _routing_table(routes)),
        aml.device("ISA", aml.name("_ADR", isa_address), *_isa_devices(machine)),
    )


# --- platform devices --------------------------------------------------------------------------------------

HPET_BASE, HPET_SIZE = 0xFED00000, 0x400  # QEMU's HPET table and device (hw/timer/hpet.c)
FW_CFG_PORT, FW_CFG_PORTS = 0x510, 0x0C  # selector, data and DMA address ports (docs/specs/fw_cfg.txt)
MICROVM_GED_BASE, MICROVM_GED_IRQ = 0xFEA00000, 9  # hw/i386/microvm.h GED_MMIO_BASE and GED_MMIO_IRQ
GED_POWER_BUTTON = 0x02  # hw/acpi/generic_event_device.c ACPI_GED_PWR_DOWN_EVT in the event selector
NOTIFY_STATUS_CHANGE = 0x80  # ACPI 6.5 §5.6.6: for a power button, "button pressed"


def _hpet() -> bytes:
    return aml.device("HPET", aml.name("_HID", aml.eisa_id("PNP0103")), aml.name("_UID", 0),
                      aml.name("_STA", STA_PRESENT),
                      aml.name("_CRS", aml.resource_template(aml.memory32_fixed(HPET_BASE, HPET_SIZE,
                                                                                writable=False))))


def _fw_cfg() -> bytes:
    # Linux's qemu_fw_cfg driver binds to QEMU0002 and reads its ports from _CRS.
    return aml.device("FWCF", aml.name("_HID", "QEMU0002"), aml.name("_STA", STA_LINK),
                      aml.name("_CRS", aml.resource_template(aml.io(FW_CFG_PORT, FW_CFG_PORT, 1, FW_CFG_PORTS))))


# hw/i386/microvm.c with ACPI and its second I/O APIC (on by default): 24 virtio-mmio transports of 512 bytes
# from VIRTIO_MMIO_BASE (include/hw/i386/microvm.h), transport n on GSI 24 + n, the second I/O APIC's pins;
# with ioapic2=off, 8 transports on GSIs 16 + n.
# Devices take the highest free transport first (each new transport is put at the head of the system bus's
# child list, hw/core/qdev.c bus_add_child), and hw/i386/acpi-microvm.c acpi_dsdt_add_virtio describes the
# transports that hold one.
VIRTIO_MMIO_BASE, VIRTIO_MMIO_SIZE, VIRTIO_MMIO_TRANSPORTS, VIRTIO_MMIO_GSI_BASE = 0xFEB00000, 512, 24, 24
VIRTIO_MMIO_TRANSPORTS_ONE_IOAPIC, VIRTIO_MMIO_GSI_BASE_ONE_IOAPIC = 8, 16


def _virtio_mmio_transports(machine: MachineConfig) -> list[bytes]:
    """The occupied transports, as Linux's virtio_mmio driver finds them (ACPI ID LNRO0005)."""
    count = machine.virtio_mmio_devices
    transports, gsi_base = ((VIRTIO_MMIO_TRANSPORTS, VIRTIO_MMIO_GSI_BASE) if machine.microvm_ioapic2 else
                            (VIRTIO_MMIO_TRANSPORTS_ONE_IOAPIC, VIRTIO_MMIO_GSI_BASE_ONE_IOAPIC))
    if count > transports:
        raise DsdtError(f"{count} virtio-mmio devices: this microvm has {transports} transports")
    devices = []
    for index in range(transports - 1, transports - 1 - count, -1):
        resources = aml.resource_template(
            aml.memory32_fixed(VIRTIO_MMIO_BASE + index * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE),
            aml.interrupt(gsi_base + index, shared=False))
        devices.append(aml.device(f"VR{index:02d}", aml.name("_HID", "LNRO0005"), aml.name("_UID", index),
                                  aml.name("_CCA", 1),  # DMA is cache-coherent (ACPI 6.5 §6.2.17)
                                  aml.name("_CRS", resources)))
    return devices


def _microvm_devices(machine: MachineConfig) -> list[bytes]:
    """microvm has no PCI bus: its serial port and RTC sit on ISA, a Generic Event Device (ACPI0013) signals
    the power button through an event selector register (ACPI 6.5 §5.6.9), and virtio devices sit on
    virtio-mmio transports."""
    ged = aml.device(
        "GED",
        aml.name("_HID", "ACPI0013"),
        aml.name("_UID", 0),
        aml.name("_CRS", aml.resource_template(aml.interrupt(MICROVM_GED_IRQ, level=False, shared=False))),
        aml.operation_region("EREG", aml.SYSTEM_MEMORY, MICROVM_GED_BASE, 4),
        aml.field("EREG", [("ESEL", 32)], access=aml.DWORD_ACC, update=aml.WRITE_AS_ZEROS),
        aml.method("_EVT", 1,
                   aml.store(aml.name_path("ESEL"), aml.local(0)),
                   aml.if_(aml.lequal(aml.and_(aml.local(0), GED_POWER_BUTTON), GED_POWER_BUTTON),
                           aml.notify("PWRB", NOTIFY_STATUS_CHANGE)),
                   serialized=True),
    )
    power_button = aml.device("PWRB", aml.name("_HID", aml.eisa_id("PNP0C0C")), aml.name("_UID", 0))
    rtc = aml.device("RTC", aml.name("_HID", aml.eisa_id("PNP0B00")),
                     aml.name("_CRS", aml.resource_template(aml.io(0x70, 0x70, 1, 8), aml.irq_no_flags(8))))
    # microvm.c: isa-serial=off removes COM1, rtc=off (or auto under KVM) the RTC; usb=on adds the XHCI.
    return [*([_com1()] if machine.microvm_isa_serial else []), *([rtc] if machine.microvm_rtc else []), ged,
            power_button, *_virtio_mmio_transports(machine), *([_microvm_xhci()] if machine.microvm_usb else [])]


# include/hw/i386/microvm.h MICROVM_XHCI_BASE and _IRQ, include/hw/usb/xhci.h XHCI_LEN_REGS.
MICROVM_XHCI_BASE, MICROVM_XHCI_SIZE, MICROVM_XHCI_IRQ = 0xFE900000, 0x4000, 10


def _microvm_xhci() -> bytes:
    """The sysbus XHCI of microvm's usb=on, which Linux's xhci-plat driver binds through PNP0D10."""
    return aml.device("XHCI", aml.name("_HID", aml.eisa_id("PNP0D10")),
                      aml.name("_CRS", aml.resource_template(aml.memory32_fixed(MICROVM_XHCI_BASE, MICROVM_XHCI_SIZE),
                                                             aml.interrupt(MICROVM_XHCI_IRQ, shared=False))))


# ACPI 6.5 §7.4.2 \_Sx: {PM1a SLP_TYP, PM1b SLP_TYP, reserved, reserved}. QEMU 7.2's PIIX4 and ICH9 PM blocks
# suspend to RAM on SLP_TYP 1, power off on 0, and take their S4 value from the s4_val property, 2 by default
# (hw/acpi/core.c acpi_pm1_cnt_write; hw/acpi/piix4.c and ich9.c properties); microvm's GED sleep control
# register powers off on 5 and has no other state (hw/acpi/generic_event_device.c).
_PC_SLEEP_TYPES = {"_S3": (1, 1), "_S4": (2, 2), "_S5": (0, 0)}
SLEEP_TYPES = {"pc": _PC_SLEEP_TYPES, "q35": _PC_SLEEP_TYPES, "microvm": {"_S5": (5, 0)}}


def build_dsdt(machine: MachineConfig) -> bytes:
    """The complete DSDT (header with length and checksum) for a pc, q35 or microvm machine."""
    if machine.machine not in SLEEP_TYPES:
        raise DsdtError(f"no DSDT for machine {machine.machine!r}: pc, q35 and microvm only")
    system_bus = []
    if machine.machine == "microvm":
        system_bus += _microvm_devices(machine)
        if machine.microvm_pcie:
            system_bus.append(_microvm_pcie_root_bridge(machine, pci_interrupt_routes(machine)))
    else:
        routes = pci_interrupt_routes(machine)
        system_bus.append(_pci_root_bridge(machine, routes))
        if machine.machine == "q35":
            system_bus.append(_mmconfig_reservation())
        system_bus += _link_devices(routes)
        if machine.hpet:
            system_bus.append(_hpet())
    system_bus.append(_fw_cfg())
    body = aml.scope("\\_SB", *system_bus)
    # The register devices live under PCI0 and come before the objects that read them (aml_hotplug).
    if cpu_hotplug(machine):
        body += aml_hotplug.cpu_hotplug_registers(machine.machine)
    body += b"".join(processor_container(machine))
    if machine.machine != "microvm" and machine.ram_slots:
        # QEMU 7.2 hw/i386/acpi-build.c build_dsdt: the DIMM slots whenever -m slots= gives any.
        body += b"".join(aml_hotplug.memory_hotplug(machine.ram_slots))
    for state, (pm1a, pm1b) in SLEEP_TYPES[machine.machine].items():
        body += aml.name("\\" + state, aml.package(pm1a, pm1b, 0, 0))
    return finish_definition_block(b"DSDT", body, machine)


def finish_definition_block(signature: bytes, body: bytes, machine: MachineConfig) -> bytes:
    """Put the ACPI header on an AML body: the one place that fills in length and checksum (ACPI 6.5 §5.2.6)."""
    header = dict(signature=signature, length=ACPI_HEADER_SIZE + len(body), revision=DSDT_REVISION, checksum=0,
                  oem_id=machine.oem_id, oem_table_id=machine.oem_table_id, oem_revision=OEM_REVISION,
                  creator_id=CREATOR_ID, creator_revision=CREATOR_REVISION)
    table = bytearray(build(acpi_header, header, signature.decode("latin-1") + " header") + body)
    table[CHECKSUM_OFFSET] = -sum(table) & 0xFF  # the whole table sums to zero
    return bytes(table)
