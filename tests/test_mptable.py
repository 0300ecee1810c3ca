"""The MP table: schemas against MPS 1.4 byte layouts, the generated table read back, and agreement with the MADT."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qboot_tables.errors import ParseError, parse
from qboot_tables.generate.dsdt import pci_interrupt_routes
from qboot_tables.generate.mptable import MpTableError, build_mptable, parse_mptable
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.schemas.acpi.madt import madt
from qboot_tables.schemas.mptable import (MP_BUS, MP_ENTRY_SIZES, MP_IO_APIC, MP_IO_INTERRUPT, MP_LOCAL_INTERRUPT,
                                          MP_PROCESSOR, mp_config_header, mp_entry, mp_floating_pointer)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "qemu-7.2"
ADDRESS = 0xF5A40  # 16-byte aligned, in the F-segment where SeaBIOS puts its own


def machine(*args: str) -> MachineConfig:
    return MachineConfig.from_qemu_args(list(args))


# --- schemas against the spec's layouts --------------------------------------------------------------------

def test_entry_layouts():
    processor = dict(type=MP_PROCESSOR, body=dict(local_apic_id=5, local_apic_version=0x14, cpu_flags=3,
                                                  cpu_signature=0x600, feature_flags=0x201, reserved=bytes(8)))
    assert mp_entry.build(processor) == bytes.fromhex("00 05 14 03 00060000 01020000") + bytes(8)
    bus = dict(type=MP_BUS, body=dict(bus_id=1, bus_type=b"ISA   "))
    assert mp_entry.build(bus) == b"\x01\x01ISA   "
    io_apic = dict(type=MP_IO_APIC, body=dict(io_apic_id=0, io_apic_version=0x11, io_apic_flags=1,
                                              io_apic_address=0xFEC00000))
    assert mp_entry.build(io_apic) == bytes.fromhex("02 00 11 01 0000c0fe")
    interrupt = dict(type=MP_IO_INTERRUPT, body=dict(interrupt_type=0, flags=0x000D, source_bus_id=0,
                                                     source_bus_irq=(3 << 2) | 1, destination_apic_id=0,
                                                     destination_intin=10))
    assert mp_entry.build(interrupt) == bytes.fromhex("03 00 0d00 00 0d 00 0a")
    for entry in (processor, bus, io_apic, interrupt):
        assert len(mp_entry.build(entry)) == MP_ENTRY_SIZES[entry["type"]]
    assert mp_floating_pointer.sizeof() == 16 and mp_config_header.sizeof() == 44


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(sorted(MP_ENTRY_SIZES)), st.binary(min_size=19, max_size=19))
def test_entry_round_trip(entry_type, body):
    raw = bytes([entry_type]) + body[:MP_ENTRY_SIZES[entry_type] - 1]
    assert mp_entry.build(mp_entry.parse(raw)) == raw


# --- the generated table -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("-M", "pc"), ("-M", "pc", "-smp", "4"), ("-M", "q35", "-smp", "6,sockets=2,cores=3"),
    ("-M", "q35", "-smp", "8,sockets=2,cores=2,threads=2"), ("-M", "pc", "-smp", "2,maxcpus=8"),
    ("-M", "q35", "-smp", "255"), ("-M", "q35", "-smp", "288", "-accel", "kvm"), ("-M", "microvm", "-smp", "2"),
])
def test_generated_table_reads_back(args):
    config = machine(*args)
    data = build_mptable(config, ADDRESS)
    table = parse_mptable(data, ADDRESS)
    assert table.problems == []
    floating, header = table.floating, table.config.header
    assert (floating.signature, floating.length, floating.spec_rev) == (b"_MP_", 1, 4)
    assert floating.physical_address_pointer == ADDRESS + 16
    assert sum(data[:16]) & 0xFF == 0
    assert (header.signature, header.spec_rev, header.local_apic_address) == (b"PCMP", 4, 0xFEE00000)
    assert header.base_table_length == len(data) - 16 and sum(data[16:]) & 0xFF == 0
    assert header.entry_count == len(table.config.entries)
    # MPS 1.4 §4.3: entries sorted by type
    types = [e.type for e in table.config.entries]
    assert types == sorted(types)

    # Every present CPU with an 8-bit APIC ID, with its real APIC ID; the BSP flag on CPU 0 only.
    processors = table.entries(MP_PROCESSOR)
    expected = [c for c in config.present_cpus if c.apic_id < 255]
    assert [p.local_apic_id for p in processors] == [c.apic_id for c in expected]
    assert [p.cpu_flags for p in processors] == [3] + [1] * (len(expected) - 1)

    buses = {b.bus_type: b.bus_id for b in table.entries(MP_BUS)}
    has_pci = config.machine != "microvm"
    assert buses == ({b"PCI   ": 0, b"ISA   ": 1} if has_pci else {b"ISA   ": 0})
    isa = buses[b"ISA   "]

    interrupts = table.entries(MP_IO_INTERRUPT)
    isa_pins = {i.source_bus_irq: i.destination_intin for i in interrupts if i.source_bus_id == isa}
    pci = {(i.source_bus_irq >> 2, i.source_bus_irq & 3): i.destination_intin
           for i in interrupts if has_pci and i.source_bus_id == buses[b"PCI   "]}
    routes = pci_interrupt_routes(config) if has_pci else []
    assert pci == {(r.slot, r.pin): r.gsi for r in routes}
    assert all(i.flags == 0x0D for i in interrupts if has_pci and i.source_bus_id == 0)  # level, active high
    assert isa_pins[0] == 2 and 2 not in isa_pins
    assert set(isa_pins) == set(range(16)) - {2} - {r.gsi for r in routes}
    assert all(isa_pins[irq] == irq for irq in isa_pins if irq)

    local = table.entries(MP_LOCAL_INTERRUPT)
    assert [(i.interrupt_type, i.destination_apic_id, i.destination_intin) for i in local] == \
        [(3, config.cpus[0].apic_id, 0), (1, 0xFF, 1)]


def test_sparse_apic_ids():
    table = parse_mptable(build_mptable(machine("-M", "pc", "-smp", "6,sockets=2,cores=3"), ADDRESS))
    assert [p.local_apic_id for p in table.entries(MP_PROCESSOR)] == [0, 1, 2, 4, 5, 6]


def test_x2apic_cpus_have_no_entry():
    config = machine("-M", "q35", "-smp", "288", "-accel", "kvm")
    table = parse_mptable(build_mptable(config, ADDRESS))
    assert len(table.entries(MP_PROCESSOR)) == 255
    assert sum(1 for c in config.present_cpus if c.apic_id >= 255) == 33


@pytest.mark.parametrize("name", ["pc-smp6-s2c3", "q35-smp8-s2c2t2", "pc-numa2", "q35-default"])
def test_io_apic_and_irq0_agree_with_qemus_madt(name):
    """The consistency the issue asks for: one I/O APIC and IRQ0 on pin 2, in QEMU's MADT and in ours."""
    args = json.loads((FIXTURES / name / "fw_cfg.json").read_text())["origin"]["qemu"]["args"]
    qemu_madt = parse(madt, (FIXTURES / name / "golden" / "tables" / "APIC").read_bytes(), "APIC")
    io_apics = [(s.body.io_apic_id, s.body.io_apic_address) for s in qemu_madt.subtables if s.type == 1]
    irq0 = [s.body.global_system_interrupt for s in qemu_madt.subtables if s.type == 2 and s.body.source == 0]
    table = parse_mptable(build_mptable(machine(*args), ADDRESS))
    assert [(a.io_apic_id, a.io_apic_address) for a in table.entries(MP_IO_APIC)] == io_apics
    isa = {b.bus_type: b.bus_id for b in table.entries(MP_BUS)}[b"ISA   "]
    assert [i.destination_intin for i in table.entries(MP_IO_INTERRUPT)
            if i.source_bus_id == isa and i.source_bus_irq == 0] == irq0
    madt_apic_ids = [s.body.apic_id for s in qemu_madt.subtables if s.type == 0 and s.body.flags & 1]
    assert [p.local_apic_id for p in table.entries(MP_PROCESSOR)] == madt_apic_ids


# --- damage ------------------------------------------------------------------------------------------------

def test_bad_checksums_are_findings():
    data = bytearray(build_mptable(machine("-M", "pc", "-smp", "2"), ADDRESS))
    data[11] ^= 1  # a floating pointer feature byte
    data[16 + 44 + 1] ^= 1  # the first processor's APIC ID
    fields = [p.field for p in parse_mptable(bytes(data), ADDRESS).problems]
    assert fields == ["floating.checksum", "config.checksum"]


@pytest.mark.parametrize("damage, message", [
    (lambda d: d[:10], "truncated"),
    (lambda d: b"_XX_" + d[4:], "signature"),
    (lambda d: d[:16] + b"XCMP" + d[20:], "signature"),
    (lambda d: d[:40], "outside"),
    (lambda d: d[:-8], "does not fit"),
    (lambda d: d[:16 + 44] + b"\x07" + d[16 + 45:], "type"),  # an entry type MPS 1.4 does not define
])
def test_damage_is_a_parse_error(damage, message):
    data = build_mptable(machine("-M", "pc", "-smp", "2"), ADDRESS)
    with pytest.raises(ParseError, match=message):
        parse_mptable(damage(data), ADDRESS)


@pytest.mark.parametrize("address", [0xF5A48, 1 << 32, -16, (1 << 32) - 64])
def test_placement_is_checked(address):
    with pytest.raises(MpTableError):
        build_mptable(machine("-M", "pc"), address)
