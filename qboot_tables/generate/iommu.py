"""The vIOMMU tables QEMU 7.2 builds: DMAR (intel-iommu), IVRS (amd-iommu) and VIOT (virtio-iommu-pci)."""
from __future__ import annotations

from construct import Container

from qboot_tables.errors import build
from qboot_tables.generate.machine import Iommu, MachineConfig, MachineConfigError
from qboot_tables.schemas.acpi.dmar import DMAR_SUBTABLES, AtsrFlags, DmarFlags, DmarScopeType, DmarType
from qboot_tables.schemas.acpi.ivrs import IVRS_SUBTABLES, IvhdFlags, IvrsEntryType, IvrsType
from qboot_tables.schemas.acpi.viot import VIOT_NODE_OFFSET, VIOT_SUBTABLES, ViotType

# include/hw/i386/intel_iommu.h and hw/i386/acpi-build.c: the remapping unit's registers, and the I/O APIC
# behind it as a pseudo device on a bus of its own.
Q35_HOST_BRIDGE_IOMMU_ADDR = 0xFED90000
Q35_PSEUDO_BUS_PLATFORM = 0xFF
Q35_PSEUDO_DEVFN_IOAPIC = 0x00
IO_APIC_ID = 0  # ACPI_BUILD_IOAPIC_ID
DMAR_SCOPE_SIZE = 8  # 6 bytes and one (device, function) path entry
DMAR_STRUCTURE_HEADER = 4  # type, length

# hw/i386/amd_iommu.h and acpi-build.c build_amd_iommu().
AMDVI_BASE_ADDR = 0xFED80000
AMDVI_CAPAB_OFFSET = 0x40  # the first capability of AMDVI-PCI: its config space has nothing before it
IVRS_PA_SIZE = 40  # IVinfo PASize, bits 14:8
IVRS_STRUCTURE_HEADER = 4  # type, flags, length
# IOMMU Feature Reporting: QEMU also ORs in HATS and GATS as 48 << 30 and 48 << 28, which fall outside the
# 32-bit field and are lost, leaving GTSup (bit 2) and GASup (bit 6).
IVHD_FEATURES = (1 << 2) | (1 << 6)
VIOT_NODE_HEADER = 4  # type, reserved, length
IOAPIC_SB_DEVID = 0x14 << 3  # 00:14.0, the southbridge I/O APIC's requester ID
IVHD_SPECIAL_IOAPIC = 1  # special device variety


def _iommu(machine: MachineConfig) -> Iommu:
    if machine.iommu is None:
        raise MachineConfigError("no vIOMMU: there is no table to build")
    return machine.iommu


def _scope(scope_type: int, bus: int, devfn: int, enumeration_id: int = 0) -> Container:
    return Container(entry_type=scope_type, entry_length=DMAR_SCOPE_SIZE, reserved=0, enumeration_id=enumeration_id,
                     bus=bus, pci_path=[bytes([devfn >> 3, devfn & 7])], extra=b"")


def _sized(cases: dict, type_: int, header_size: int, body: Container, **header) -> Container:
    """A subtable record whose length is its own body's size: bodies here end in lists of varying length."""
    length = header_size + len(build(cases[type_], body, f"subtable type {type_}"))
    return Container(type=type_, **header, length=length, body=body)


def dmar(machine: MachineConfig, header: Container) -> Container:
    """hw/i386/acpi-build.c build_dmar_q35(): one DRHD for segment 0 that lists its scopes (not INCLUDE_PCI_ALL):
    the I/O APIC, then every function on bus 0; an ATSR for all root ports with device-iotlb=on."""
    iommu = _iommu(machine)
    scopes = [_scope(DmarScopeType.IOAPIC, Q35_PSEUDO_BUS_PLATFORM, Q35_PSEUDO_DEVFN_IOAPIC, IO_APIC_ID)]
    # insert_scope(): bridges would be type 2, but bus 0 holds no bridge we model.
    scopes += [_scope(DmarScopeType.PCI_ENDPOINT, 0, device.devfn) for device in machine.pci_devices]
    drhd = Container(flags=0, size=0, segment=0, register_base_address=Q35_HOST_BRIDGE_IOMMU_ADDR,
                     device_scopes=scopes, extra=b"")
    subtables = [_sized(DMAR_SUBTABLES, DmarType.DRHD, DMAR_STRUCTURE_HEADER, drhd)]
    if iommu.device_iotlb:
        subtables.append(_sized(DMAR_SUBTABLES, DmarType.ATSR, DMAR_STRUCTURE_HEADER,
                                Container(flags=AtsrFlags.ALL_PORTS, reserved=0, segment=0, device_scopes=[],
                                          extra=b"")))
    return Container(header=header, host_address_width=iommu.aw_bits - 1,
                     flags=DmarFlags.INTR_REMAP if iommu.intremap else 0, reserved=bytes(10), subtables=subtables,
                     extra=b"")


def _entry(entry_type: int, devfn: int, data=None) -> Container:
    return Container(entry_type=entry_type, device_id=devfn, data_setting=0, data=data)


def ivrs(machine: MachineConfig, header: Container) -> Container:
    """hw/i386/acpi-build.c build_amd_iommu(): one IVHD type 10h with a Select entry per function on bus 0 (in
    devfn order; bridges would add ranges), then the I/O APIC as a special device when interrupts are
    remapped."""
    iommu = _iommu(machine)
    entries = [_entry(IvrsEntryType.SELECT, device.devfn) for device in machine.pci_devices]
    if not entries:
        entries = [_entry(IvrsEntryType.ALL, 0)]  # QEMU's fallback: one entry for every device
    if iommu.intremap:
        entries.append(_entry(IvrsEntryType.SPECIAL_DEVICE, 0, Container(
            handle=IO_APIC_ID, source_device_id=IOAPIC_SB_DEVID, variety=IVHD_SPECIAL_IOAPIC)))
    ivhd = Container(device_id=iommu.devfn, capability_offset=AMDVI_CAPAB_OFFSET, base_address=AMDVI_BASE_ADDR,
                     pci_segment_group=0, info=0, feature_reporting=IVHD_FEATURES, entries=entries, extra=b"")
    flags = IvhdFlags.HtTunEn | IvhdFlags.IotlbSup | IvhdFlags.PreFSup | IvhdFlags.PPRSup
    subtable = _sized(IVRS_SUBTABLES, IvrsType.IVHD_10, IVRS_STRUCTURE_HEADER, ivhd, flags=flags)
    return Container(header=header, info=IVRS_PA_SIZE << 8, reserved=0, subtables=[subtable], extra=b"")


def viot(machine: MachineConfig, header: Container) -> Container:
    """hw/acpi/viot.c build_viot(): the virtio-pci IOMMU node right after the 48-byte header, then one PCI range
    per host bridge (bus 0 to 0 here: no bridges) whose output is that node."""
    iommu_node = _sized(VIOT_SUBTABLES, ViotType.VIRTIO_PCI_IOMMU, VIOT_NODE_HEADER,
                        Container(segment=0, bdf=_iommu(machine).devfn, reserved=0, extra=b""), reserved=0)
    pci_range = _sized(VIOT_SUBTABLES, ViotType.PCI_RANGE, VIOT_NODE_HEADER, Container(
        endpoint_start=0, segment_start=0, segment_end=0, bdf_start=0, bdf_end=0xFF, output_node=VIOT_NODE_OFFSET,
        reserved=bytes(6), extra=b""), reserved=0)
    return Container(header=header, node_count=2, node_offset=VIOT_NODE_OFFSET, reserved=0,
                     nodes=[iommu_node, pci_range], extra=b"")
