"""ACPI tables other than the DSDT, laid out in etc/acpi/tables with the table-loader QEMU 7.2 writes for them."""
from __future__ import annotations

import uuid

from construct import Container

from qboot_tables.aml import encode as aml
from qboot_tables.errors import ParseError, build, parse
from qboot_tables.generate import hmat, iommu, nvdimm
from qboot_tables.generate.dsdt import microvm_pcie_gsis
from qboot_tables.generate.linker import Linker
from qboot_tables.generate.machine import MachineConfig, MachineConfigError
from qboot_tables.schemas.acpi.aml import aml_table
from qboot_tables.schemas.acpi.facs import FACS_SIZE, facs
from qboot_tables.schemas.acpi.fadt import FadtFlags, IapcBootArchFlags, fadt
from qboot_tables.schemas.acpi.dmar import dmar
from qboot_tables.schemas.acpi.hmat import hmat as hmat_schema
from qboot_tables.schemas.acpi.hpet import hpet
from qboot_tables.schemas.acpi.ivrs import ivrs
from qboot_tables.schemas.acpi.madt import (MADT_SUBTABLES, LocalApicFlags, MadtFlags, MadtType, MpsIntiPolarity,
                                            MpsIntiTriggerMode, madt, mps_inti_flags)
from qboot_tables.schemas.acpi.mcfg import mcfg
from qboot_tables.schemas.acpi.nfit import nfit as nfit_schema
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE, RSDP_V1_SIZE, RSDP_V2_SIZE, rsdp
from qboot_tables.schemas.acpi.sdt import rsdt, xsdt
from qboot_tables.schemas.acpi.slit import slit
from qboot_tables.schemas.acpi.srat import SRAT_SUBTABLES, SratMemoryFlags, SratProcessorFlags, SratType, srat
from qboot_tables.schemas.acpi.viot import viot
from qboot_tables.schemas.acpi.waet import WaetFlags, waet
from qboot_tables.schemas.common import ACPI_HEADER_SIZE, GasSpace, acpi_header

TABLES_FILE = "etc/acpi/tables"
RSDP_FILE = "etc/acpi/rsdp"
LOADER_FILE = "etc/table-loader"

KiB, MiB = 1 << 10, 1 << 20

# QEMU hw/i386/acpi-build.c: the blob is padded to 128 KiB multiples and the loader script to 4 KiB, so the
# sizes (which migration compares) rarely change. microvm (hw/i386/acpi-microvm.c) pads neither.
TABLE_BLOB_ALIGN = 0x20000
LEGACY_CPU_AML_SIZE, LEGACY_TABLE_ALIGN = 97, 0x1000  # acpi-build.c ACPI_BUILD_LEGACY_CPU_AML_SIZE, _ALIGN_SIZE
LOADER_SCRIPT_ALIGN = 0x1000
TABLES_ALLOC_ALIGN = 64  # the FACS must be 64-byte aligned (ACPI 6.5 §5.2.10), and it is first in the blob
RSDP_ALLOC_ALIGN = 16  # ACPI 6.5 §5.2.5.1: the RSDP is found on a 16-byte boundary

CREATOR_ID = b"BXPC"  # QEMU's ACPI_BUILD_APPNAME8, first 4 bytes, with revision 1 (acpi_table_begin)

# Offsets of the fields the loader patches. ACPI 6.5 Table 5.9 (FADT) and §5.2.5.3 (RSDP).
FADT_FIRMWARE_CTRL = 36
FADT_DSDT = 40
FADT_X_DSDT = 140
HEADER_CHECKSUM = 9
RSDP_CHECKSUM = 8
RSDP_RSDT_ADDRESS = 16
RSDP_XSDT_ADDRESS = 24
RSDP_EXTENDED_CHECKSUM = 32


# The PM register block as SeaBIOS programs it (src/fw/pciinit.c: PORT_ACPI_PM_BASE) on PIIX4 and ICH9; QEMU
# reads it back into the FADT (hw/i386/acpi-build.c init_common_fadt_data): PM1a_EVT at +0, PM1a_CNT at +4,
# PM_TMR at +8.
PM_IO_BASE = 0x600
SCI_IRQ = 9
SMI_CMD_PORT = 0xB2  # QEMU's ACPI_PORT_SMI_CMD, the APM control port
RTC_CENTURY = 0x32  # CMOS index of the century byte (hw/rtc/mc146818rtc.h)
# Chipset differences (hw/acpi/piix4.c, hw/isa/lpc_ich9.c, include/hw/southbridge/ich9.h).
PIIX4_GPE0_BLOCK, PIIX4_GPE0_LENGTH = 0xAFE0, 4
PIIX4_ACPI_ENABLE, PIIX4_ACPI_DISABLE = 0xF1, 0xF0
ICH9_GPE0_OFFSET, ICH9_GPE0_LENGTH = 0x20, 16  # GPE0 sits inside the PM block on ICH9
ICH9_ACPI_ENABLE, ICH9_ACPI_DISABLE = 0x02, 0x03
RESET_CONTROL_PORT, RESET_VALUE = 0xCF9, 0x0F  # ICH9 RST_CNT (the same port as PIIX's RCR)
# microvm's Generic Event Device registers (hw/acpi/generic_event_device.c, hw/i386/microvm.c).
GED_REGISTERS = 0xFEA00000 + 0x200
GED_SLEEP_CONTROL, GED_SLEEP_STATUS, GED_RESET = GED_REGISTERS + 0, GED_REGISTERS + 1, GED_REGISTERS + 2
GED_RESET_VALUE = 0x42

APIC_DEFAULT_ADDRESS = 0xFEE00000
IO_APIC_ADDRESS = 0xFEC00000
IO_APIC_ID = 0  # QEMU's ACPI_BUILD_IOAPIC_ID
IO_APIC_SECONDARY_ADDRESS = 0xFEC10000  # microvm's second I/O APIC, for GSIs 24-47
IO_APIC_SECONDARY_GSI_BASE = 24
X2APIC_FIRST_ID = 255  # 0xFF is the xAPIC broadcast ID, so IDs from 255 need x2APIC structures
ISA_IRQS = 16  # acpi-common.c acpi_build_madt: overrides only for IRQs 1-15
PCI_LINK_IRQS = (5, 9, 10, 11)  # QEMU's ACPI_BUILD_PCI_IRQS: level-triggered, active-high PCI link IRQs
MPS_INTI_ACTIVE_HIGH_LEVEL = mps_inti_flags(MpsIntiPolarity.ACTIVE_HIGH, MpsIntiTriggerMode.LEVEL)
ALL_PROCESSORS_UID8, ALL_PROCESSORS_UID32 = 0xFF, 0xFFFFFFFF
LINT1 = 1  # the NMI is wired to LINT1 on every CPU

HPET_BASE = 0xFED00000
HPET_BLOCK_ID = 0x8086A201  # what QEMU's HPET reports: rev 1, 3 comparators, legacy capable, vendor 8086
PCIEXBAR_BASE = 0xB0000000  # q35 MMCONFIG as SeaBIOS programs PCIEXBAR (src/fw/pciinit.c)
PCIEXBAR_BUSES = 256  # 256 MiB window

# hw/acpi/vmgenid.c, include/hw/acpi/vmgenid.h
VMGENID_GUID_FILE = "etc/vmgenid_guid"
VMGENID_ADDR_FILE = "etc/vmgenid_addr"
VMGENID_GUID_FILE_SIZE = 4096
VMGENID_GUID_ALIGN = 4096
VMGENID_GUID_OFFSET = 40  # past where an ACPI header would be, so OVMF's table probe skips the blob
VMGENID_OEM_TABLE_ID = b"VMGENID\0"

HOLE_640K_START, HOLE_640K_END = 640 * KiB, 1 * MiB


def build_acpi(machine: MachineConfig, dsdt: bytes) -> dict[str, bytes]:
    """The fw_cfg files etc/acpi/tables, etc/acpi/rsdp and etc/table-loader QEMU 7.2 gives this machine.

    `dsdt` is a complete DSDT; it goes where QEMU puts its own (right after the FACS, or first on microvm) and
    the FADT points at it. As in QEMU's unlinked blob, every checksum is 0 and every pointer holds the offset
    of its target in etc/acpi/tables: the table-loader's commands fill both in. With -device vmgenid the
    result also has etc/vmgenid_guid and etc/vmgenid_addr. A machine with acpi=off gets no ACPI files, so the
    result is empty.
    """
    if not machine.acpi:
        return {}
    _ = machine.machine_class  # raises MachineConfigError for a machine type this project does not model
    dsdt = _dsdt_for_blob(dsdt)
    if machine.machine == "microvm":
        return _build_microvm(machine, dsdt)
    if machine.machine in ("pc", "q35"):
        return _build_pc(machine, dsdt)
    raise MachineConfigError(f"-machine {machine.machine}: no ACPI tables are modelled for this machine")


def finish(schema, value: Container, what: str, *, subtables: dict | None = None, checksum: bool = False) -> bytes:
    """Build a table, filling its derived fields: subtable lengths, header length and checksum.

    The checksum is 0 unless `checksum` is set, because in a table-loader blob the firmware computes it
    (ADD_CHECKSUM) after patching pointers. A value's own `length` or `checksum` is overwritten; to make a
    broken table on purpose, build it with the schema directly.
    """
    if subtables is not None:
        # The {type, ..., length} header is 2 bytes in the MADT and SRAT, wider in DMAR, IVRS or HMAT: the
        # schema's subtable record says (schemas.common.type_length_subtable).
        header_size = next(sub for sub in schema.subcons if sub.name == "subtables").subcon.subcon.header_size
        # Subtable bodies are fixed fields plus `extra`, so one build per type gives the fixed size; building
        # every body twice would double the time for thousands of CPUs.
        fixed_sizes = {}
        for entry in value.subtables:
            extra = len(entry.body.get("extra", b""))
            if entry.type not in fixed_sizes:
                body = build(subtables[entry.type], entry.body, f"{what} subtable type {entry.type}")
                fixed_sizes[entry.type] = len(body) - extra
            entry.length = header_size + fixed_sizes[entry.type] + extra
    value.header.checksum = 0
    value.header.length = 0
    data = build(schema, value, what)
    value.header.length = len(data)
    data = build(acpi_header, value.header, what) + data[ACPI_HEADER_SIZE:]
    if checksum:
        value.header.checksum = -sum(data) & 0xFF  # ACPI 6.5 §5.2.6: the whole table sums to zero
        data = build(acpi_header, value.header, what) + data[ACPI_HEADER_SIZE:]
    return data


class _TableBlob:
    """etc/acpi/tables as QEMU grows it: each table appended unaligned, its pointers and checksum recorded."""

    def __init__(self, linker: Linker):
        self.linker = linker
        self.data = linker.allocate(TABLES_FILE, TABLES_ALLOC_ALIGN)
        self.root_entries: list[int] = []  # offsets of the tables the RSDT/XSDT lists, in QEMU's order

    def append_raw(self, data: bytes) -> int:
        offset = len(self.data)
        self.data += data
        return offset

    def append_table(self, data: bytes, pointers=(), listed: bool = True) -> int:
        """Append one table; `pointers` are (field offset in the table, size, target file, target offset)."""
        offset = len(self.data)
        if listed:
            self.root_entries.append(offset)
        self.data += data
        # QEMU records a table's pointers while building it and its checksum at acpi_table_end().
        for field, size, target_file, target in pointers:
            self.linker.add_pointer(TABLES_FILE, offset + field, size, target_file, target)
        self.linker.add_checksum(TABLES_FILE, offset, len(data), offset + HEADER_CHECKSUM)
        return offset


def _build_pc(machine: MachineConfig, dsdt: bytes) -> dict[str, bytes]:
    # Order and layout: hw/i386/acpi-build.c acpi_build(): FACS, DSDT, FADT, MADT, HPET, SRAT, SLIT, MCFG,
    # WAET, then the RSDT listing all but FACS and DSDT.
    linker = Linker()
    blob = _TableBlob(linker)
    facs_offset = blob.append_raw(_facs())
    dsdt_offset = blob.append_table(dsdt, listed=False)
    blob.append_table(*_fadt_pc(machine, facs_offset, dsdt_offset))
    aml_len = len(blob.data) - dsdt_offset  # acpi-build.c counts DSDT and FADT as "aml" for legacy sizing
    blob.append_table(_madt(machine))
    if machine.vmgenid_guid:
        _append_vmgenid(blob, machine, machine.vmgenid_guid)
    if machine.hpet:
        blob.append_table(_hpet(machine))
    nodes = _numa_nodes(machine)
    if nodes:
        blob.append_table(_srat(machine, nodes))
        matrix = machine.numa_distance_matrix  # None without -numa dist
        if matrix is not None:
            blob.append_table(_slit(machine, nodes, matrix))
        if machine.hmat:
            blob.append_table(finish(hmat_schema, hmat.hmat(machine, _header(machine, b"HMAT", 2)), "HMAT"))
    if machine.machine == "q35":
        blob.append_table(_mcfg(machine))
    if machine.iommu is not None:
        blob.append_table(_iommu_table(machine, machine.iommu.kind))
    if machine.nvdimm and machine.ram_slots:
        _append_nvdimm(blob, machine)  # hw/acpi/nvdimm.c nvdimm_build_acpi(): nothing without memory slots
    blob.append_table(_waet(machine))
    root = _append_root(blob, machine, rsdt, b"RSDT", 4)
    rsdp_data = _rsdp(linker, machine, revision=0, root_offset=root)
    tables = bytes(blob.data) + bytes(-len(blob.data) % TABLE_BLOB_ALIGN)
    if machine.machine_class.legacy_acpi_table_size:
        tables = _legacy_sized(machine, bytes(blob.data), aml_len)
    files = {TABLES_FILE: tables, RSDP_FILE: rsdp_data, LOADER_FILE: linker.script(LOADER_SCRIPT_ALIGN)}
    if nvdimm.DSM_MEM_FILE in linker.blobs:
        files[nvdimm.DSM_MEM_FILE] = bytes(linker.blobs[nvdimm.DSM_MEM_FILE])  # the zeroed DSM page
    if VMGENID_GUID_FILE in linker.blobs:
        # QEMU's writable fw_cfg file for the address; it reads as zeros until the firmware writes it.
        files[VMGENID_GUID_FILE] = bytes(linker.blobs[VMGENID_GUID_FILE])
        files[VMGENID_ADDR_FILE] = bytes(8)
    return files


def _legacy_sized(machine: MachineConfig, data: bytes, aml_len: int) -> bytes:
    # hw/i386/acpi-build.c acpi_build, legacy_acpi_table_size (pc-i440fx-2.0 and 1.7): the fixed tables plus
    # the size QEMU 2.0's own AML had for this many APIC IDs, rounded up to 4 KiB. It does not depend on the
    # DSDT, so ours gives QEMU's size; QEMU cuts a blob that outgrows it, which we refuse instead.
    size = _align_up(len(data) - aml_len + machine.machine_class.legacy_acpi_table_size
                     + LEGACY_CPU_AML_SIZE * machine.apic_id_limit, LEGACY_TABLE_ALIGN)
    if len(data) > size:
        raise MachineConfigError(f"-machine {machine.machine_type}: ACPI table size {len(data)} exceeds the "
                                 f"{size} bytes this machine type allows")
    return data + bytes(size - len(data))


def _align_up(value: int, alignment: int) -> int:
    return -(-value // alignment) * alignment


def _build_microvm(machine: MachineConfig, dsdt: bytes) -> dict[str, bytes]:
    # hw/i386/acpi-microvm.c acpi_build_microvm(): hardware-reduced, so no FACS; DSDT, FADT, MADT, XSDT and an
    # RSDP revision 2, nothing padded.
    linker = Linker()
    blob = _TableBlob(linker)
    dsdt_offset = blob.append_table(dsdt, listed=False)
    blob.append_table(*_fadt_microvm(machine, dsdt_offset))
    blob.append_table(_madt(machine))
    root = _append_root(blob, machine, xsdt, b"XSDT", 8)
    rsdp_data = _rsdp(linker, machine, revision=2, root_offset=root)
    return {TABLES_FILE: bytes(blob.data), RSDP_FILE: rsdp_data, LOADER_FILE: linker.script()}


def _header(machine: MachineConfig, signature: bytes, revision: int) -> Container:
    # ACPI 6.5 §5.2.6; length and checksum are left to finish().
    return Container(signature=signature, length=0, revision=revision, checksum=0,
                     oem_id=_oem_id(machine), oem_table_id=_oem_table_id(machine), oem_revision=1,
                     creator_id=CREATOR_ID, creator_revision=1)


def _facs() -> bytes:
    # ACPI 6.5 §5.2.10: QEMU writes only signature and length; everything else, version included, is 0.
    value = Container(signature=b"FACS", length=FACS_SIZE, hardware_signature=0, firmware_waking_vector=0,
                      global_lock=0, flags=0, x_firmware_waking_vector=0, version=0, reserved1=bytes(3),
                      ospm_flags=0, reserved2=bytes(24), extra=b"")
    return build(facs, value, "FACS")


def _gas(space_id: int = GasSpace.SYSTEM_MEMORY, bit_width: int = 0, address: int = 0) -> Container:
    return Container(space_id=space_id, bit_width=bit_width, bit_offset=0, access_size=0, address=address)


def _fadt_fields(**fields) -> Container:
    """Every FADT field zero (and every post-1.0 field absent) except `fields`."""
    names = [sc.name for sc in fadt.subcons if sc.name not in ("header", "extra")]
    value = Container({name: None for name in names})
    value.update(fields)
    return value


def _fadt_pc(machine: MachineConfig, facs_offset: int, dsdt_offset: int):
    # hw/i386/acpi-build.c init_common_fadt_data() and acpi_get_pm_info(); hw/acpi/aml-build.c build_fadt().
    q35 = machine.machine == "q35"
    # hw/core/machine.c hw_compat_5_2 sets the PM devices' smm-compat: their FADT keeps the SMI command port
    # even with smm=off on machine types 5.2 and older.
    smm = machine.smm or machine.machine_class.smm_compat
    gpe0_block, gpe0_length = ((PM_IO_BASE + ICH9_GPE0_OFFSET, ICH9_GPE0_LENGTH) if q35
                               else (PIIX4_GPE0_BLOCK, PIIX4_GPE0_LENGTH))
    enable, disable = (ICH9_ACPI_ENABLE, ICH9_ACPI_DISABLE) if q35 else (PIIX4_ACPI_ENABLE, PIIX4_ACPI_DISABLE)
    flags = (FadtFlags.WBINVD | FadtFlags.PROC_C1 | FadtFlags.SLP_BUTTON | FadtFlags.RTC_S4
             | FadtFlags.USE_PLATFORM_CLOCK)
    if machine.topology.maxcpus > 8:
        # Flat logical APIC destination mode addresses at most 8 CPUs.
        flags |= FadtFlags.FORCE_APIC_CLUSTER_MODEL
    if q35:
        flags |= FadtFlags.RESET_REG_SUP
    pm1_evt = _gas(GasSpace.SYSTEM_IO, 32, PM_IO_BASE)
    pm1_cnt = _gas(GasSpace.SYSTEM_IO, 16, PM_IO_BASE + 4)
    pm_tmr = _gas(GasSpace.SYSTEM_IO, 32, PM_IO_BASE + 8)
    gpe0 = _gas(GasSpace.SYSTEM_IO, gpe0_length * 8, gpe0_block)
    value = _fadt_fields(
        header=_header(machine, b"FACP", 3 if q35 else 1),  # PIIX stays at revision 1: Windows 2000 needs it
        firmware_ctrl=facs_offset, dsdt=dsdt_offset, reserved0=1,  # INT_MODEL 1: multiple APIC
        preferred_pm_profile=0, sci_int=SCI_IRQ, smi_cmd=SMI_CMD_PORT if smm else 0,
        acpi_enable=enable if smm else 0, acpi_disable=disable if smm else 0, s4bios_req=0, pstate_cnt=0,
        pm1a_evt_blk=PM_IO_BASE, pm1b_evt_blk=0, pm1a_cnt_blk=PM_IO_BASE + 4, pm1b_cnt_blk=0, pm2_cnt_blk=0,
        pm_tmr_blk=PM_IO_BASE + 8, gpe0_blk=gpe0_block, gpe1_blk=0, pm1_evt_len=4, pm1_cnt_len=2,
        pm2_cnt_len=0, pm_tmr_len=4, gpe0_blk_len=gpe0_length, gpe1_blk_len=0, gpe1_base=0, cst_cnt=0,
        p_lvl2_lat=0xFFF, p_lvl3_lat=0xFFF,  # over 100 and 1000: C2 and C3 not supported
        flush_size=0, flush_stride=0, duty_offset=0, duty_width=0, day_alrm=0, mon_alrm=0,
        century=RTC_CENTURY, iapc_boot_arch=IapcBootArchFlags.I8042 if q35 else 0,  # reserved in revision 1
        reserved1=0, flags=flags, extra=b"")
    pointers = [(FADT_FIRMWARE_CTRL, 4, TABLES_FILE, facs_offset), (FADT_DSDT, 4, TABLES_FILE, dsdt_offset)]
    if q35:
        value.update(dict(
            reset_reg=_gas(GasSpace.SYSTEM_IO, 8, RESET_CONTROL_PORT), reset_value=RESET_VALUE, arm_boot_arch=0,
            fadt_minor_version=0, x_firmware_ctrl=0, x_dsdt=dsdt_offset, x_pm1a_evt_blk=pm1_evt,
            x_pm1b_evt_blk=_gas(), x_pm1a_cnt_blk=pm1_cnt, x_pm1b_cnt_blk=_gas(), x_pm2_cnt_blk=_gas(),
            x_pm_tmr_blk=pm_tmr, x_gpe0_blk=gpe0, x_gpe1_blk=_gas()))
        pointers.append((FADT_X_DSDT, 8, TABLES_FILE, dsdt_offset))
    return finish(fadt, value, "FACP"), pointers


def _fadt_microvm(machine: MachineConfig, dsdt_offset: int):
    # hw/i386/acpi-microvm.c: revision 5, hardware-reduced (ACPI 6.5 §4.1): no fixed PM blocks, no FACS; the
    # sleep and reset registers are the GED's. Its x_firmware_ctrl stays 0 and is not patched.
    value = _fadt_fields()
    for name in value:
        value[name] = _gas() if name.startswith(("x_pm", "x_gpe")) else 0
    value.update(dict(
        header=_header(machine, b"FACP", 5), dsdt=dsdt_offset, x_dsdt=dsdt_offset,
        flags=FadtFlags.HW_REDUCED_ACPI | FadtFlags.RESET_REG_SUP,
        reset_reg=_gas(GasSpace.SYSTEM_MEMORY, 8, GED_RESET), reset_value=GED_RESET_VALUE,
        sleep_control_reg=_gas(GasSpace.SYSTEM_MEMORY, 8, GED_SLEEP_CONTROL),
        sleep_status_reg=_gas(GasSpace.SYSTEM_MEMORY, 8, GED_SLEEP_STATUS),
        hypervisor_vendor_identity=None, extra=b""))
    return finish(fadt, value, "FACP"), [(FADT_DSDT, 4, TABLES_FILE, dsdt_offset),
                                         (FADT_X_DSDT, 8, TABLES_FILE, dsdt_offset)]


def _madt(machine: MachineConfig) -> bytes:
    # hw/i386/acpi-common.c acpi_build_madt() and pc_madt_cpu_entry(): every possible CPU in index order,
    # enabled when present (absent ones stay listed but disabled, or Linux cannot hot-add them), UID = index.
    subtables = []
    for cpu in machine.cpus:
        flags = LocalApicFlags.ENABLED if cpu.present else 0
        if cpu.apic_id < X2APIC_FIRST_ID:
            subtables.append(_subtable(MadtType.LOCAL_APIC, acpi_processor_uid=cpu.index, apic_id=cpu.apic_id,
                                       flags=flags))
        else:
            subtables.append(_subtable(MadtType.LOCAL_X2APIC, reserved=0, x2apic_id=cpu.apic_id, flags=flags,
                                       acpi_processor_uid=cpu.index))
    subtables.append(_subtable(MadtType.IO_APIC, io_apic_id=IO_APIC_ID, reserved=0, io_apic_address=IO_APIC_ADDRESS,
                               global_system_interrupt_base=0))
    if machine.machine == "microvm":
        # hw/i386/microvm.c: with ACPI on and ioapic2 not off, a second I/O APIC serves the virtio-mmio GSIs.
        # The PIT is not rerouted; pcie=on routes INTx to GSIs 12-15 without the second I/O APIC (16-19 with
        # it), and acpi-common.c acpi_build_madt gives the ones below 16 a level, active-high override.
        if machine.microvm_ioapic2:
            subtables.append(_subtable(MadtType.IO_APIC, io_apic_id=IO_APIC_ID + 1, reserved=0,
                                       io_apic_address=IO_APIC_SECONDARY_ADDRESS,
                                       global_system_interrupt_base=IO_APIC_SECONDARY_GSI_BASE))
        for gsi in microvm_pcie_gsis(machine):
            if gsi < ISA_IRQS:
                subtables.append(_subtable(MadtType.INTERRUPT_OVERRIDE, bus=0, source=gsi, global_system_interrupt=gsi,
                                           flags=MPS_INTI_ACTIVE_HIGH_LEVEL))
    else:
        # The PIT's IRQ0 arrives on I/O APIC pin 2 (pc_guest_info_init sets apic_xrupt_override).
        subtables.append(_subtable(MadtType.INTERRUPT_OVERRIDE, bus=0, source=0, global_system_interrupt=2, flags=0))
        for irq in PCI_LINK_IRQS:
            subtables.append(_subtable(MadtType.INTERRUPT_OVERRIDE, bus=0, source=irq, global_system_interrupt=irq,
                                       flags=MPS_INTI_ACTIVE_HIGH_LEVEL))
    if any(cpu.apic_id >= X2APIC_FIRST_ID for cpu in machine.cpus):
        subtables.append(_subtable(MadtType.LOCAL_X2APIC_NMI, flags=0, acpi_processor_uid=ALL_PROCESSORS_UID32,
                                   local_x2apic_lint=LINT1, reserved=bytes(3)))
    else:
        subtables.append(_subtable(MadtType.LOCAL_APIC_NMI, acpi_processor_uid=ALL_PROCESSORS_UID8, flags=0,
                                   local_apic_lint=LINT1))
    value = Container(header=_header(machine, b"APIC", 1), local_apic_address=APIC_DEFAULT_ADDRESS,
                      flags=MadtFlags.PCAT_COMPAT, subtables=subtables, extra=b"")  # there are 8259s
    return finish(madt, value, "APIC", subtables=MADT_SUBTABLES)


def _subtable(type_: int, **fields) -> Container:
    return Container(type=type_, length=0, body=Container(fields, extra=b""))


def _append_vmgenid(blob: _TableBlob, machine: MachineConfig, guid_text: str) -> None:
    # hw/acpi/vmgenid.c vmgenid_build_acpi() and docs/specs/vmgenid.txt: the GUID lives in its own page-aligned
    # blob; the firmware writes that blob's address back to QEMU (etc/vmgenid_addr) and into the SSDT's VGIA.
    guid = blob.linker.allocate(VMGENID_GUID_FILE, VMGENID_GUID_ALIGN)
    guid += bytes(VMGENID_GUID_OFFSET) + _guid_bytes(guid_text)
    guid += bytes(VMGENID_GUID_FILE_SIZE - len(guid))
    blob.linker.write_pointer(VMGENID_ADDR_FILE, 0, 8, VMGENID_GUID_FILE, VMGENID_GUID_OFFSET)
    header = _header(machine, b"SSDT", 1)
    header.oem_table_id = VMGENID_OEM_TABLE_ID
    aml, vgia_field = _vmgenid_aml()
    data = finish(aml_table, Container(header=header, aml=aml), "SSDT")
    # The VGIA field holds only the low 32 bits of the GUID blob's address, as in QEMU.
    blob.append_table(data, [(ACPI_HEADER_SIZE + vgia_field, 4, VMGENID_GUID_FILE, 0)])


def _guid_bytes(text: str) -> bytes:
    # The guest reads the GUID in Microsoft's mixed-endian layout (first three fields little-endian).
    try:
        return uuid.UUID(text).bytes_le
    except ValueError:
        raise MachineConfigError(f"-device vmgenid,guid={text}: not a GUID") from None


def _vmgenid_aml() -> tuple[bytes, int]:
    """The VM Generation ID device (Microsoft "Virtual Machine Generation ID" spec) and where VGIA's value is.

    VGIA holds the GUID blob's address (a DWord constant, so the loader can patch it in place); _SB.VGEN is
    the device with the QEMUVGID hardware ID, present once VGIA is linked, whose ADDR returns the GUID's
    address as two 32-bit halves; GPE 5 notifies it when the ID changes.
    """
    vgia = bytes([aml.NAME_OP]) + aml.name_path("VGIA") + bytes([aml.DWORD_PREFIX])
    vgia_field = len(vgia)
    vgia += bytes(4)
    address = aml.local(0)
    status = aml.method("_STA", 0,
                        aml.store(0x0F, address),
                        aml.if_(aml.lequal(aml.name_path("VGIA"), 0), aml.store(0, address)),
                        aml.return_(address))
    halves = aml.method("ADDR", 0,
                        aml.store(_empty_package(2), address),
                        aml.store(_add(aml.name_path("VGIA"), VMGENID_GUID_OFFSET), _index(address, 0)),
                        aml.store(0, _index(address, 1)),
                        aml.return_(address))
    device = aml.device("VGEN", aml.name("_HID", "QEMUVGID"), aml.name("_CID", "VM_Gen_Counter"),
                        aml.name("_DDN", "VM_Gen_Counter"), status, halves)
    notify = aml.method("\\_GPE._E05", 0, aml.notify("\\_SB.VGEN", 0x80))  # 0x80: status change
    return vgia + aml.scope("\\_SB", device) + notify, vgia_field


# ACPI 6.5 §20.2.5.4 Type 2 opcodes the AML encoder does not offer: Add and Index with no target, and a
# Package whose elements are left uninitialised.
AML_ADD_OP, AML_INDEX_OP = 0x72, 0x88


def _add(left: bytes, right: int) -> bytes:
    return bytes([AML_ADD_OP]) + aml.data(left) + aml.data(right) + bytes([aml.NULL_NAME])


def _index(source: bytes, index: int) -> bytes:
    return bytes([AML_INDEX_OP]) + source + aml.data(index) + bytes([aml.NULL_NAME])


def _empty_package(count: int) -> bytes:
    return bytes([aml.PACKAGE_OP]) + aml.pkg_length(1) + bytes([count])


def _hpet(machine: MachineConfig) -> bytes:
    # IA-PC HPET 1.0a §3.2.4; hw/i386/acpi-build.c build_hpet().
    value = Container(header=_header(machine, b"HPET", 1), event_timer_block_id=HPET_BLOCK_ID,
                      base_address=_gas(GasSpace.SYSTEM_MEMORY, 0, HPET_BASE), hpet_number=0, minimum_tick=0,
                      page_protection=0, extra=b"")
    return finish(hpet, value, "HPET")


def _srat(machine: MachineConfig, nodes: list[tuple[int, int]]) -> bytes:
    # hw/i386/acpi-build.c build_srat(): every possible CPU (enabled, present or not), then memory per node
    # in node order with the 640K and PCI holes cut out, zero entries up to node count + 2, and one
    # hot-pluggable entry for the device memory region.
    subtables = []
    for cpu in machine.cpus:
        node = _cpu_node(cpu, len(nodes))
        if cpu.apic_id < X2APIC_FIRST_ID:
            subtables.append(_subtable(SratType.LOCAL_APIC_AFFINITY, proximity_domain_lo=node, apic_id=cpu.apic_id,
                                       flags=SratProcessorFlags.ENABLED, local_sapic_eid=0, proximity_domain_hi=0,
                                       clock_domain=0))
        else:
            subtables.append(_subtable(SratType.X2APIC_AFFINITY, reserved1=0, proximity_domain=node,
                                       x2apic_id=cpu.apic_id, flags=SratProcessorFlags.ENABLED, clock_domain=0,
                                       reserved2=0))
    below_4g, above_4g_start = machine.below_4g_mem, machine.above_4g_mem_start
    memory = []
    next_base = 0
    for node_id, size in nodes:
        base, length = next_base, size
        next_base = base + length
        if base <= HOLE_640K_START < next_base:
            length = HOLE_640K_START - base
            if length:
                memory.append((base, length, node_id, SratMemoryFlags.ENABLED))
            if next_base <= HOLE_640K_END:  # the node ends inside the 640K-1M hole
                next_base = HOLE_640K_END
                continue
            base, length = HOLE_640K_END, next_base - HOLE_640K_END
        if base <= below_4g < next_base:
            length = below_4g - base
            if length:
                memory.append((base, length, node_id, SratMemoryFlags.ENABLED))
            base, length = above_4g_start, next_base - below_4g
            next_base = base + length
        if length:
            memory.append((base, length, node_id, SratMemoryFlags.ENABLED))
    for dimm in machine.nvdimms:
        # hw/acpi/nvdimm.c nvdimm_build_srat(): before the padding, which counts them.
        memory.append((machine.nvdimm_address(dimm), dimm.size, dimm.node,
                       SratMemoryFlags.ENABLED | SratMemoryFlags.NON_VOLATILE))
    while len(memory) < len(nodes) + 2:
        memory.append((0, 0, 0, SratMemoryFlags(0)))
    if machine.device_memory:
        # Windows needs it to hot-add memory, Linux to set up SWIOTLB below 4G; QEMU gives it the last node.
        device_base, device_size = machine.device_memory
        memory.append((device_base, device_size, nodes[-1][0],
                       SratMemoryFlags.ENABLED | SratMemoryFlags.HOT_PLUGGABLE))
    for base, length, node_id, flags in memory:
        subtables.append(_subtable(SratType.MEMORY_AFFINITY, proximity_domain=node_id, reserved1=0,
                                   base_address=base, length=length, reserved2=0, flags=flags, reserved3=0))
    value = Container(header=_header(machine, b"SRAT", 1), reserved1=1, reserved2=0, subtables=subtables,
                      extra=b"")  # reserved1 = 1 for backward compatibility (ACPI 6.5 Table 5.55)
    return finish(srat, value, "SRAT", subtables=SRAT_SUBTABLES)


def _slit(machine: MachineConfig, nodes: list[tuple[int, int]], matrix: list[list[int]]) -> bytes:
    # ACPI 6.5 §5.2.17; MachineConfig completes the matrix as hw/core/numa.c does (10 to itself, a missing
    # direction copies the other).
    count = len(nodes)
    for src, row in enumerate(matrix):
        for dst, distance in enumerate(row):
            if not distance:
                raise MachineConfigError(f"-numa dist: the distance between node {src} and {dst} is missing")
    value = Container(header=_header(machine, b"SLIT", 1), locality_count=count, matrix=matrix, extra=b"")
    return finish(slit, value, "SLIT")


def _mcfg(machine: MachineConfig) -> bytes:
    # PCI Firmware 3.0 §4.1.2; hw/acpi/pci.c build_mcfg(): one allocation for segment 0, buses 0-255.
    allocation = Container(base_address=PCIEXBAR_BASE, pci_segment=0, start_bus=0, end_bus=PCIEXBAR_BUSES - 1,
                           reserved=0)
    value = Container(header=_header(machine, b"MCFG", 1), reserved=bytes(8), allocations=[allocation],
                      extra=b"")
    return finish(mcfg, value, "MCFG")


def _iommu_table(machine: MachineConfig, kind: str) -> bytes:
    # hw/i386/acpi-build.c acpi_build(): the vIOMMU's table comes after MCFG, by the IOMMU's kind.
    signature, builder, schema = {"amd-iommu": (b"IVRS", iommu.ivrs, ivrs),
                                  "intel-iommu": (b"DMAR", iommu.dmar, dmar),
                                  "virtio-iommu-pci": (b"VIOT", iommu.viot, viot)}[kind]
    revision = 0 if signature == b"VIOT" else 1
    return finish(schema, builder(machine, _header(machine, signature, revision)), signature.decode())


def _append_nvdimm(blob: _TableBlob, machine: MachineConfig) -> None:
    # nvdimm_build_ssdt(): the DSM page is allocated while the SSDT is built, and MEMA points at it; the NFIT
    # follows only when an NVDIMM is plugged.
    header = _header(machine, b"SSDT", 1)
    header.oem_table_id = nvdimm.SSDT_OEM_TABLE_ID
    aml_bytes, mema = nvdimm.ssdt_aml(machine)
    data = finish(aml_table, Container(header=header, aml=aml_bytes), "SSDT")
    page = blob.linker.allocate(nvdimm.DSM_MEM_FILE, nvdimm.DSM_PAGE)
    page += bytes(nvdimm.DSM_PAGE)
    blob.append_table(data, [(ACPI_HEADER_SIZE + mema, 4, nvdimm.DSM_MEM_FILE, 0)])
    if machine.nvdimms:
        blob.append_table(finish(nfit_schema, nvdimm.nfit(machine, _header(machine, b"NFIT", 1)), "NFIT"))


def _waet(machine: MachineConfig) -> bytes:
    value = Container(header=_header(machine, b"WAET", 1), emulated_device_flags=WaetFlags.ACPI_PM_TIMER_GOOD,
                      extra=b"")
    return finish(waet, value, "WAET")


def _append_root(blob: _TableBlob, machine: MachineConfig, schema, signature: bytes, entry_size: int) -> int:
    # ACPI 6.5 §5.2.7/§5.2.8; hw/acpi/aml-build.c build_rsdt()/build_xsdt(): one pointer per listed table.
    entries = list(blob.root_entries)
    value = Container(header=_header(machine, signature, 1), entries=entries, extra=b"")
    data = finish(schema, value, signature.decode())
    pointers = [(ACPI_HEADER_SIZE + i * entry_size, entry_size, TABLES_FILE, target)
                for i, target in enumerate(entries)]
    return blob.append_table(data, pointers, listed=False)


def _rsdp(linker: Linker, machine: MachineConfig, revision: int, root_offset: int) -> bytes:
    # ACPI 6.5 §5.2.5.3; hw/acpi/aml-build.c build_rsdp(): revision 0 points at the RSDT, revision 2 only at
    # the XSDT (its RSDT address stays 0). Pointers and checksums are recorded in QEMU's order.
    blob = linker.allocate(RSDP_FILE, RSDP_ALLOC_ALIGN, fseg=True)
    v2 = None
    if revision >= 2:
        v2 = Container(length=RSDP_V2_SIZE, xsdt_address=root_offset, extended_checksum=0, reserved=bytes(3))
    value = Container(signature=RSDP_SIGNATURE, checksum=0, oem_id=_oem_id(machine), revision=revision,
                      rsdt_address=root_offset if revision < 2 else 0, v2=v2)
    blob += build(rsdp, value, "RSDP")
    if revision < 2:
        linker.add_pointer(RSDP_FILE, RSDP_RSDT_ADDRESS, 4, TABLES_FILE, root_offset)
    linker.add_checksum(RSDP_FILE, 0, RSDP_V1_SIZE, RSDP_CHECKSUM)
    if not machine.machine_class.rsdp_in_ram:
        # hw/i386/acpi-build.c acpi_build: machine types 2.2 and older keep the 16 unused bytes of a revision 2
        # RSDP, zeroed, so that the file's size stays what it was.
        blob += bytes(RSDP_V2_SIZE - RSDP_V1_SIZE)
    if revision >= 2:
        linker.add_pointer(RSDP_FILE, RSDP_XSDT_ADDRESS, 8, TABLES_FILE, root_offset)
        linker.add_checksum(RSDP_FILE, 0, RSDP_V2_SIZE, RSDP_EXTENDED_CHECKSUM)
    return bytes(blob)


def _numa_nodes(machine: MachineConfig) -> list[tuple[int, int]]:
    """(node id, bytes of RAM) per NUMA node, in node order; MachineConfig already holds the node QEMU adds by
    itself for memory hotplug (hw/core/numa.c numa_complete_configuration)."""
    return sorted((node.node_id, node.memory) for node in machine.numa_nodes)


def _cpu_node(cpu, node_count: int) -> int:
    if cpu.node is not None:
        return cpu.node
    # hw/i386/x86.c x86_get_default_cpu_node_id(): CPUs not placed with -numa go to socket % nodes.
    return cpu.socket % node_count


def _oem_id(machine: MachineConfig) -> bytes:
    # hw/i386/x86.c: x-oem-id is strncpy()d over "BOCHS ", so a shorter ID is NUL-padded, not space-padded.
    return _oem_field(machine.oem_id, 6, "x-oem-id")


def _oem_table_id(machine: MachineConfig) -> bytes:
    return _oem_field(machine.oem_table_id, 8, "x-oem-table-id")


def _oem_field(value, size: int, option: str) -> bytes:
    raw = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)
    if len(raw) > size:
        raise MachineConfigError(f"-machine {option}: longer than {size} bytes")
    return raw.ljust(size, b"\0")


def _dsdt_for_blob(dsdt: bytes) -> bytes:
    """The DSDT as it sits in QEMU's blob: checked, with its checksum byte 0 for the loader to compute."""
    header = parse(acpi_header, bytes(dsdt[:ACPI_HEADER_SIZE]), "DSDT header")
    if header.signature != b"DSDT":
        raise ParseError("DSDT", f"signature is {header.signature!r}, not b'DSDT'")
    if header.length != len(dsdt):
        raise ParseError("DSDT", f"length field {header.length} but {len(dsdt)} bytes given")
    data = bytearray(dsdt)
    data[HEADER_CHECKSUM] = 0
    return bytes(data)
