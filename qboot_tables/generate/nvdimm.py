"""NVDIMM ACPI as QEMU 7.2 builds it (hw/acpi/nvdimm.c): the NVDIMM SSDT, the NFIT and etc/acpi/nvdimm-mem."""
from __future__ import annotations

import uuid

from construct import Container

from qboot_tables.aml import encode as aml
from qboot_tables.errors import build
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.schemas.acpi.nfit import NFIT_SUBTABLES, NfitSpaFlags, NfitType

DSM_MEM_FILE = "etc/acpi/nvdimm-mem"  # NVDIMM_DSM_MEM_FILE
DSM_PAGE = 4096  # sizeof(NvdimmDsmIn): the page the _DSM method and QEMU exchange data through
DSM_IO_BASE, DSM_IO_LEN = 0x0A18, 4  # include/hw/mem/nvdimm.h NVDIMM_ACPI_IO_BASE/LEN: the notify port
SSDT_OEM_TABLE_ID = b"NVDIMM\0\0"  # nvdimm_build_ssdt's table id, strncpy()d
NFIT_STRUCTURE_HEADER = 4  # type, length

# nvdimm.c's UUIDs: the root device's _DSM, QEMU's private Read FIT function, and the NVDIMM devices' _DSM.
ROOT_DSM_UUID = "2F10E7A4-9E91-11E4-89D3-123B93F75CBA"
QEMU_RSVD_UUID = "648B9CF2-CDA1-4312-8AD9-49C4AF32BD62"
DEVICE_DSM_UUID = "4309AC30-0D11-11E4-9191-0800200C9A66"
QEMU_RSVD_HANDLE_ROOT = 0x10000  # NVDIMM_QEMU_RSVD_HANDLE_ROOT
DSM_RET_STATUS_SUCCESS, DSM_RET_STATUS_UNSUPPORT, DSM_RET_STATUS_FIT_CHANGED = 0, 1, 0x100

PMEM_REGION_GUID = uuid.UUID("66f0d379-b4f3-4074-ac43-0d3318b78cdb").bytes_le  # ACPI 6.5 Table 5.147
EFI_MEMORY_WB, EFI_MEMORY_NV = 0x8, 0x8000
NFIT_MEM_NOT_ARMED = 1 << 3
INTEL_VENDOR_ID = 0x8086
FORMAT_BYTE_ADDRESSABLE = 0x301  # format interface code: byte addressable, no energy backed (JEDEC Annex L)
SERIAL_BASE = 0x123456  # nvdimm_slot_to_sn(): the base QEMU adds the slot to

# ACPI 6.5 §20.2.5 opcodes the shared encoder does not offer.
DEREF_OF_OP, CONCAT_OP, SIZE_OF_OP, INDEX_OP, OBJECT_TYPE_OP = 0x83, 0x73, 0x87, 0x88, 0x8E
LAND_OP, LOR_OP, TO_BUFFER_OP, EXT_CREATE_FIELD_OP = 0x90, 0x91, 0x96, 0x13
NULL_TARGET = bytes([aml.NULL_NAME])
PACKAGE_TYPE = 4  # ObjectType() of a Package


def _op(opcode: int, *operands) -> bytes:
    return bytes([opcode]) + b"".join(aml.data(o) for o in operands)


def _name(path: str) -> bytes:
    return aml.name_path(path)


def _create_field(source: bytes, bit_index, bits, field_name: str) -> bytes:
    return bytes([aml.EXT_OP_PREFIX, EXT_CREATE_FIELD_OP]) + aml.data(source) + aml.data(bit_index) + \
        aml.data(bits) + aml.name_path(field_name)


def _lequal(left, right) -> bytes:
    return aml.lequal(left, right)


# Fixed names of nvdimm.c: the common _DSM method, the DSM page's address, the regions and their fields.
NCAL, MEMA, NRAM, NPIO = "NCAL", "MEMA", "NRAM", "NPIO"


def _common_dsm() -> bytes:
    """nvdimm_build_common_dsm(): NCAL(uuid, revision, function, arg3, handle) passes the call to QEMU through
    the DSM page and the notify port, and returns what QEMU wrote back."""
    uuid_arg, function, handle = aml.arg(0), aml.arg(2), aml.arg(4)
    dsm_mem, out_buf, expected = aml.local(6), aml.local(7), aml.local(0)
    out_size, offset = aml.local(1), aml.local(2)
    in_fields = [("HDLE", 32), ("REVS", 32), ("FUNC", 32), ("FARG", (DSM_PAGE - 12) * 8)]
    out_fields = [("RLEN", 32), ("ODAT", (DSM_PAGE - 4) * 8)]
    unsupported = aml.if_(_op(LOR_OP, _lequal(dsm_mem, 0), aml.lnot(_lequal(uuid_arg, expected))),
                          aml.if_(_lequal(function, 0), aml.return_(aml.buffer(b"\x00"))),
                          aml.return_(aml.buffer(bytes([DSM_RET_STATUS_UNSUPPORT]))))
    package = aml.arg(3)
    copy_arg3 = aml.if_(_op(LAND_OP, _lequal(_op(OBJECT_TYPE_OP, package), PACKAGE_TYPE),
                            _lequal(_op(SIZE_OF_OP, package), 1)),
                        aml.store(_op(INDEX_OP, package, 0) + NULL_TARGET, aml.local(2)),
                        aml.store(_op(DEREF_OF_OP, aml.local(2)), aml.local(3)),
                        aml.store(aml.local(3), _name("FARG")))
    # Results shorter than an Integer are copied byte by byte: CreateField would make them an Integer.
    short_result = aml.if_(
        aml.lless(out_size, 8),
        aml.store(0, offset),
        aml.name("TBUF", aml.buffer(b"\x00")),
        aml.store(aml.buffer(b""), out_buf),
        aml.while_(aml.lless(offset, out_size),
                   aml.store(_op(DEREF_OF_OP, _op(INDEX_OP, _name("ODAT"), offset) + NULL_TARGET),
                             _op(INDEX_OP, _name("TBUF"), 0) + NULL_TARGET),
                   _op(CONCAT_OP, out_buf, _name("TBUF")) + out_buf,
                   aml.increment(offset)),
        aml.return_(out_buf))
    return aml.method(
        NCAL, 5,
        aml.store(_name(MEMA), dsm_mem),
        aml.operation_region(NPIO, aml.SYSTEM_IO, DSM_IO_BASE, DSM_IO_LEN),
        aml.operation_region(NRAM, aml.SYSTEM_MEMORY, dsm_mem, DSM_PAGE),
        aml.field(NPIO, [("NTFI", DSM_IO_LEN * 8)], access=aml.DWORD_ACC),
        aml.field(NRAM, in_fields, access=aml.DWORD_ACC),
        aml.field(NRAM, out_fields, access=aml.DWORD_ACC),
        aml.if_(_lequal(handle, 0), aml.store(aml.to_uuid(ROOT_DSM_UUID), expected)),
        aml.else_(aml.if_(_lequal(handle, QEMU_RSVD_HANDLE_ROOT), aml.store(aml.to_uuid(QEMU_RSVD_UUID), expected)),
                  aml.else_(aml.store(aml.to_uuid(DEVICE_DSM_UUID), expected))),
        unsupported,
        aml.store(handle, _name("HDLE")),
        aml.store(aml.arg(1), _name("REVS")),
        aml.store(function, _name("FUNC")),
        copy_arg3,
        aml.store(dsm_mem, _name("NTFI")),
        aml.subtract(_name("RLEN"), 4, out_size),
        short_result,
        aml.store(aml.shift_left(out_size, 3), out_size),
        _create_field(_name("ODAT"), 0, out_size, "OBUF"),
        aml.return_(_name("OBUF")),
        serialized=True)


def _device_dsm(handle: int) -> bytes:
    # nvdimm_build_device_dsm(): _DSM forwards to NCAL with the device's handle (0: the root device).
    return aml.method("_DSM", 4, aml.return_(aml.call(NCAL, aml.arg(0), aml.arg(1), aml.arg(2), aml.arg(3),
                                                      handle)))


def _fit_methods() -> bytes:
    """nvdimm_build_fit(): RFIT reads the FIT from an offset through QEMU's private function; _FIT reads it
    all, starting over when QEMU reports that it changed meanwhile."""
    buf, buf_size, fit, offset = aml.local(0), aml.local(1), aml.local(2), aml.local(3)
    read = aml.call(NCAL, aml.to_uuid(QEMU_RSVD_UUID), 1, 1, aml.package(_name("OFST")), QEMU_RSVD_HANDLE_ROOT)
    rfit = aml.method(
        "RFIT", 1,
        aml.name("OFST", 0),
        aml.store(aml.arg(0), _name("OFST")),
        aml.store(read, buf),
        aml.create_dword_field(buf, 0, "STAU"),
        aml.store(_name("STAU"), _name("RSTA")),
        aml.if_(aml.lnot(_lequal(DSM_RET_STATUS_SUCCESS, _name("STAU"))), aml.return_(aml.buffer(b""))),
        aml.store(_op(SIZE_OF_OP, buf), buf_size),
        aml.subtract(buf_size, 4, buf_size),
        aml.if_(_lequal(buf_size, 0), aml.return_(aml.buffer(b""))),
        _create_field(buf, 4 * 8, aml.shift_left(buf_size, 3), "BUFF"),
        aml.return_(_name("BUFF")),
        serialized=True)
    fit_method = aml.method(
        "_FIT", 0,
        aml.store(aml.buffer(b""), fit),
        aml.store(0, offset),
        aml.while_(aml.integer(1),
                   aml.store(aml.call("RFIT", offset), buf),
                   aml.store(_op(SIZE_OF_OP, buf), buf_size),
                   aml.if_(_lequal(_name("RSTA"), DSM_RET_STATUS_FIT_CHANGED),
                           aml.store(aml.buffer(b""), fit), aml.store(0, offset)),
                   aml.else_(aml.if_(_lequal(buf_size, 0), aml.return_(fit)),
                             aml.add(offset, buf_size, offset),
                             _op(CONCAT_OP, fit, buf) + fit)),
        serialized=True)
    return aml.name("RSTA", 0) + rfit + fit_method


def _nvdimm_device(slot: int) -> bytes:
    """nvdimm_build_nvdimm_devices(): NVxx for slot xx, with its NFIT handle as _ADR and the label methods."""
    handle = slot + 1  # nvdimm_slot_to_handle(): 0 is the root device
    call_label = lambda function, arg3: aml.call(  # noqa: E731 - one call shape, three functions
        NCAL, aml.to_uuid(DEVICE_DSM_UUID), 1, function, arg3, handle)
    lsi = aml.method(
        "_LSI", 0,
        aml.store(call_label(4, 0), aml.local(0)),
        aml.create_dword_field(aml.local(0), 0, "STTS"),
        aml.create_dword_field(aml.local(0), 4, "SLSA"),
        aml.create_dword_field(aml.local(0), 8, "MAXT"),
        aml.store(aml.package(_name("STTS"), _name("SLSA"), _name("MAXT")), aml.local(1)),
        aml.return_(aml.local(1)),
        serialized=True)
    lsr = aml.method(
        "_LSR", 2,
        aml.name("INPT", aml.buffer(bytes(8))),
        aml.create_dword_field(_name("INPT"), 0, "OFST"),
        aml.create_dword_field(_name("INPT"), 4, "LEN"),
        aml.store(aml.arg(0), _name("OFST")),
        aml.store(aml.arg(1), _name("LEN")),
        aml.store(aml.package(_name("INPT")), aml.local(0)),
        aml.store(call_label(5, aml.local(0)), aml.local(3)),
        aml.create_dword_field(aml.local(3), 0, "STTS"),
        _create_field(aml.local(3), 32, aml.shift_left(_name("LEN"), 3), "LDAT"),
        aml.name("LSA", aml.buffer(b"")),
        _op(TO_BUFFER_OP, _name("LDAT")) + _name("LSA"),
        aml.store(aml.package(_name("STTS"), _name("LSA")), aml.local(1)),
        aml.return_(aml.local(1)),
        serialized=True)
    lsw = aml.method(
        "_LSW", 3,
        aml.store(aml.arg(2), aml.local(2)),
        aml.name("INPT", aml.buffer(bytes(8))),
        aml.create_dword_field(_name("INPT"), 0, "OFST"),
        aml.create_dword_field(_name("INPT"), 4, "TLEN"),
        aml.store(aml.arg(0), _name("OFST")),
        aml.store(aml.arg(1), _name("TLEN")),
        _op(CONCAT_OP, _name("INPT"), aml.local(2)) + _name("INPT"),
        aml.store(aml.package(_name("INPT")), aml.local(0)),
        aml.store(call_label(6, aml.local(0)), aml.local(3)),
        aml.create_dword_field(aml.local(3), 0, "STTS"),
        aml.return_(_name("STTS")),
        serialized=True)
    return aml.device(f"NV{slot:02X}", aml.name("_ADR", handle), lsi, lsr, lsw, _device_dsm(handle))


def ssdt_aml(machine: MachineConfig) -> tuple[bytes, int]:
    """The SSDT's AML and the offset in it of MEMA's DWord, which the loader points at etc/acpi/nvdimm-mem.

    nvdimm_build_ssdt(): \\_SB.NVDR (ACPI0012, the NVDIMM root device) with NCAL, its own _DSM, RSTA, RFIT and
    _FIT, then one NVxx device per memory slot; MEMA is appended after the scope, outside it.
    """
    root = aml.device("NVDR", aml.name("_HID", "ACPI0012"), _common_dsm(), _device_dsm(0), _fit_methods(),
                      *[_nvdimm_device(slot) for slot in range(machine.ram_slots)])
    body = aml.scope("\\_SB", root)
    mema = bytes([aml.NAME_OP]) + aml.name_seg(MEMA) + bytes([aml.DWORD_PREFIX])
    return body + mema + bytes(4), len(body) + len(mema)


def _structure(type_: int, body: Container) -> Container:
    length = NFIT_STRUCTURE_HEADER + len(build(NFIT_SUBTABLES[type_], body, f"NFIT structure type {type_}"))
    return Container(type=type_, length=length, body=body)


def nfit(machine: MachineConfig, header: Container) -> Container:
    """nvdimm_build_nfit() and nvdimm_build_device_structure(): per NVDIMM an SPA range, its region mapping
    and its control region, indexed by slot; then the platform capabilities with nvdimm-persistence."""
    subtables = []
    for dimm in machine.nvdimms:
        spa_index, dcr_index = (dimm.slot + 1) << 1, ((dimm.slot + 1) << 1) + 1
        subtables.append(_structure(NfitType.SPA_RANGE, Container(
            range_index=spa_index, flags=NfitSpaFlags.CONTROL_REGION_FOR_HOT_ADD | NfitSpaFlags.PROXIMITY_DOMAIN_VALID,
            reserved=0, proximity_domain=dimm.node, range_guid=PMEM_REGION_GUID,
            base_address=machine.nvdimm_address(dimm), length=dimm.size, memory_mapping=EFI_MEMORY_WB | EFI_MEMORY_NV,
            location_cookie=None, extra=b"")))
        subtables.append(_structure(NfitType.REGION_MAPPING, Container(
            device_handle=dimm.slot + 1, physical_id=0, region_id=0, range_index=spa_index,
            control_region_index=dcr_index, region_size=dimm.size, region_offset=0, address=0, interleave_index=0,
            interleave_ways=1, flags=NFIT_MEM_NOT_ARMED if dimm.unarmed else 0, reserved=0, extra=b"")))
        subtables.append(_structure(NfitType.CONTROL_REGION, Container(
            region_index=dcr_index, vendor_id=INTEL_VENDOR_ID, device_id=1, revision_id=1, subsystem_vendor_id=0,
            subsystem_device_id=0, subsystem_revision_id=0, valid_fields=0, manufacturing_location=0,
            manufacturing_date=0, reserved1=0, serial_number=SERIAL_BASE + dimm.slot,
            region_format_interface_code=FORMAT_BYTE_ADDRESSABLE, windows=0, window_size=0, command_offset=0,
            command_size=0, status_offset=0, status_size=0, flags=0, reserved2=bytes(6), extra=b"")))
    if machine.nvdimm_persistence:
        capabilities = machine.nvdimm_persistence
        subtables.append(_structure(NfitType.PLATFORM_CAPABILITIES, Container(
            highest_valid_capability=capabilities.bit_length() - 1, reserved1=bytes(3), capabilities=capabilities,
            reserved2=0, extra=b"")))
    return Container(header=header, reserved=0, subtables=subtables, extra=b"")
