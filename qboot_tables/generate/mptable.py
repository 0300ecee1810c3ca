"""The Intel MP table (MPS 1.4) of a machine, for guests booted with ACPI off. Reading it is read.mptable's job."""
from __future__ import annotations

import functools
from typing import Sequence

from qboot_tables.errors import QbootTablesError, build
from qboot_tables.generate.dsdt import pci_interrupt_routes
from qboot_tables.generate.machine import MachineConfig
# The reader, for callers that build a table and read it back (the CLI, the tests, the firmware harness).
from qboot_tables.read.mptable import CONFIG_SIGNATURE, FLOATING_SIGNATURE, MpTable, parse_mptable  # noqa: F401
from qboot_tables.schemas.mptable import (MP_BUS, MP_CONFIG_HEADER_SIZE, MP_FLOATING_POINTER_SIZE,
                                          MP_IO_APIC, MP_IO_INTERRUPT, MP_LOCAL_INTERRUPT, MP_PROCESSOR,
                                          MP_EXTENDED_SIZES, mp_config_table, mp_entry, mp_extended_entry,
                                          mp_floating_pointer)

SPEC_REV = 4  # MPS 1.4
FLOATING_CHECKSUM_OFFSET, CONFIG_CHECKSUM_OFFSET = 10, 7
OEM_ID_SIZE, PRODUCT_ID = 8, b"QBOOT-TABLES"  # 12 bytes, the product ID field's width

LOCAL_APIC_ADDRESS = 0xFEE00000
LOCAL_APIC_VERSION = 0x14  # what QEMU's local APIC reports in its version register (hw/intc/apic.c)
# QEMU's MADT puts I/O APIC 0 at 0xFEC00000 (hw/i386/acpi-common.c); SeaBIOS's MP table uses the same ID and
# reports version 0x11 (src/fw/mptable.c), so both tables describe one I/O APIC.
IO_APIC_ID, IO_APIC_VERSION, IO_APIC_ADDRESS = 0, 0x11, 0xFEC00000
MAX_XAPIC_ID = 0xFE  # 8-bit APIC IDs, 0xFF being the broadcast ID: an x2APIC CPU has no MP table entry
# The CPU signature and features SeaBIOS falls back to without CPUID: family 6, FPU and APIC present. Guests
# read the real values with CPUID; these only say "a P6-class CPU with a local APIC".
CPU_SIGNATURE, CPU_FEATURES = 0x00000600, 0x00000201
CPU_ENABLED, CPU_BOOTSTRAP = 0x01, 0x02

INT, NMI, EXTINT = 0, 1, 3  # MPS 1.4 Table 4-11
CONFORMS = 0x0  # polarity and trigger as the bus defines them (ISA: edge, active high)
LEVEL_ACTIVE_HIGH = 0x1 | (0x3 << 2)  # the PCI links' setting in our DSDT and the MADT overrides' flags 0xD
ALL_LOCAL_APICS = 0xFF
ISA_IRQS = 16
IRQ0_PIN = 2  # the I/O APIC input QEMU wires the PIT to, as the MADT's IRQ0 -> GSI 2 override says


class MpTableError(QbootTablesError):
    """A machine the MP table cannot describe, or a placement it does not fit."""


def build_mptable(machine: MachineConfig, address: int, extended: Sequence[dict] = ()) -> bytes:
    """The floating pointer and, right after it, the configuration table, for placement at `address`.

    `extended`: entries {type, body} for the extended table (MPS 1.4 §4.4); QEMU's machines need none, so only
    tests pass them, and their lengths are filled in here."""
    return build_mptable_for(machine.machine, [cpu.apic_id for cpu in machine.present_cpus], machine.oem_id,
                             address, extended)


def build_mptable_for(chipset: str, apic_ids: Sequence[int], oem_id: bytes, address: int,
                      extended: Sequence[dict] = ()) -> bytes:
    """build_mptable for a machine known only by what firmware reads of it: its chipset ("pc", "q35", or
    anything else for no PCI bus), the present CPUs' APIC IDs in CPU index order (the first is the bootstrap
    processor) and the OEM ID."""
    if address % 16 or not 0 <= address < 1 << 32:
        raise MpTableError(f"MP table address {address:#x}: the floating pointer needs a 16-byte aligned "
                           "address below 4 GiB")
    if not apic_ids:
        raise MpTableError("an MP table needs at least the bootstrap processor")
    has_pci = chipset in ("pc", "q35")
    entries = _processor_entries(apic_ids)
    buses = ([(0, b"PCI   ")] if has_pci else []) + [(1 if has_pci else 0, b"ISA   ")]
    isa_bus = buses[-1][0]
    entries += [dict(type=MP_BUS, body=dict(bus_id=bus_id, bus_type=kind)) for bus_id, kind in buses]
    entries.append(dict(type=MP_IO_APIC, body=dict(io_apic_id=IO_APIC_ID, io_apic_version=IO_APIC_VERSION,
                                                   io_apic_flags=1, io_apic_address=IO_APIC_ADDRESS)))
    pci_irqs = set()
    if has_pci:
        for route in _chipset_routes(chipset):
            # MPS 1.4 §D.3: a PCI source IRQ is the device number in bits 2-6 and the pin in bits 0-1.
            entries.append(_interrupt(MP_IO_INTERRUPT, INT, LEVEL_ACTIVE_HIGH, 0, (route.slot << 2) | route.pin,
                                      IO_APIC_ID, route.gsi))
            pci_irqs.add(route.gsi)
    for irq in range(ISA_IRQS):
        # IRQ 2 is the cascade, and its pin carries IRQ0; the IRQs the PCI links use are level-triggered PCI
        # interrupts, not edge-triggered ISA ones, so they get no ISA entry (as SeaBIOS leaves them out too).
        if irq == IRQ0_PIN or irq in pci_irqs:
            continue
        entries.append(_interrupt(MP_IO_INTERRUPT, INT, CONFORMS, isa_bus, irq, IO_APIC_ID,
                                  IRQ0_PIN if irq == 0 else irq))
    bsp = apic_ids[0]
    entries.append(_interrupt(MP_LOCAL_INTERRUPT, EXTINT, CONFORMS, isa_bus, 0, bsp, 0))  # the 8259s on LINT0
    entries.append(_interrupt(MP_LOCAL_INTERRUPT, NMI, CONFORMS, isa_bus, 0, ALL_LOCAL_APICS, 1))
    return _finish(oem_id, address, entries, list(extended))


@functools.lru_cache(maxsize=None)
def _chipset_routes(chipset: str) -> tuple:
    """The PCI interrupt routes of the chipset's default machine: they are its wiring, the same for every
    machine of that chipset (pci_interrupt_routes reads nothing else of the machine)."""
    return tuple(pci_interrupt_routes(MachineConfig.from_qemu_args(["-M", chipset])))


def _processor_entries(apic_ids: Sequence[int]) -> list[dict]:
    entries = []
    for index, apic_id in enumerate(apic_ids):
        if apic_id > MAX_XAPIC_ID:
            continue  # needs x2APIC: only the MADT can describe it
        flags = CPU_ENABLED | (CPU_BOOTSTRAP if index == 0 else 0)
        entries.append(dict(type=MP_PROCESSOR, body=dict(
            local_apic_id=apic_id, local_apic_version=LOCAL_APIC_VERSION, cpu_flags=flags,
            cpu_signature=CPU_SIGNATURE, feature_flags=CPU_FEATURES, reserved=bytes(8))))
    return entries


def _interrupt(kind: int, interrupt_type: int, flags: int, bus: int, irq: int, apic: int, pin: int) -> dict:
    return dict(type=kind, body=dict(interrupt_type=interrupt_type, flags=flags, source_bus_id=bus,
                                     source_bus_irq=irq, destination_apic_id=apic, destination_intin=pin))


def _finish(oem_id: bytes, address: int, entries: list[dict], extended: list[dict]) -> bytes:
    """The one step that fills in counts, lengths, the table pointer and the three checksums."""
    body = b"".join(build(mp_entry, e, "MP table entry") for e in entries)
    tail = b"".join(build(mp_extended_entry, dict(e, length=MP_EXTENDED_SIZES[e["type"]]), "MP extended entry")
                    for e in extended)
    length = MP_CONFIG_HEADER_SIZE + len(body)
    if length > 0xFFFF:
        raise MpTableError(f"MP configuration table of {length} bytes exceeds its 16-bit length field")
    header = dict(signature=CONFIG_SIGNATURE, base_table_length=length, spec_rev=SPEC_REV, checksum=0,
                  oem_id=oem_id[:OEM_ID_SIZE].ljust(OEM_ID_SIZE, b" "), product_id=PRODUCT_ID,
                  oem_table_pointer=0, oem_table_size=0, entry_count=len(entries),
                  local_apic_address=LOCAL_APIC_ADDRESS, extended_table_length=len(tail),
                  extended_table_checksum=-sum(tail) & 0xFF,
                  reserved=0)
    if len(tail) > 0xFFFF:
        raise MpTableError(f"MP extended table of {len(tail)} bytes exceeds its 16-bit length field")
    if address + MP_FLOATING_POINTER_SIZE + length + len(tail) > 1 << 32:
        raise MpTableError(f"MP table at {address:#x} does not end below 4 GiB: its pointer is 32 bits")
    config = bytearray(build(mp_config_table, dict(header=header, entries=entries, extra=b""), "MP config table"))
    config[CONFIG_CHECKSUM_OFFSET] = -sum(config) & 0xFF
    floating = bytearray(build(mp_floating_pointer, dict(
        signature=FLOATING_SIGNATURE, physical_address_pointer=address + MP_FLOATING_POINTER_SIZE, length=1,
        spec_rev=SPEC_REV, checksum=0, feature1=0, feature2=0, feature3_5=bytes(3)), "MP floating pointer"))
    floating[FLOATING_CHECKSUM_OFFSET] = -sum(floating) & 0xFF
    return bytes(floating + config + tail)
