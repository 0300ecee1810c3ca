"""Our DSDT: iasl decodes it cleanly, its processor objects match QEMU's MADT, its routing matches the chipset."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qboot_tables.errors import parse
from qboot_tables.aml.decode import decode_tables
from qboot_tables.aml.namespace import processors, table_namespace
from qboot_tables.generate.dsdt import (DsdtError, build_dsdt, cpu_hotplug, madt_entry_for, pci_interrupt_routes,
                                        pci_memory_windows)
from qboot_tables.read.loader import link
from qboot_tables.read.walk import walk_image
from qboot_tables.tools import qemu
from qboot_tables.tools.iasl import compile_asl, disassemble, iasl_available
from qboot_tables.generate.machine import Cpu, MachineConfig
from qboot_tables.schemas.acpi.madt import MADT_SUBTABLES, madt
from qboot_tables.tables.madt import madt_cpu_entry
from qboot_tables.schemas.common import type_length_subtable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "qemu-7.2"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if (p / "fw_cfg.json").is_file())
needs_iasl = pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")

# The topologies the issue asks for, beyond the fixtures: sparse APIC IDs, 255 CPUs, x2APIC, NUMA.
TOPOLOGIES = {
    "pc-1": ["-machine", "pc"],
    "pc-4": ["-machine", "pc", "-smp", "4"],
    "pc-6-sparse": ["-machine", "pc", "-smp", "6,sockets=2,cores=3"],
    "q35-8-dies-threads": ["-machine", "q35", "-smp", "8,sockets=2,dies=2,cores=1,threads=2"],
    "q35-255": ["-machine", "q35", "-smp", "255"],
    "q35-288-x2apic": ["-machine", "q35", "-smp", "1,maxcpus=288", "-accel", "kvm"],  # x2APIC: KVM only
    "q35-288-numa4": ["-machine", "q35", "-accel", "kvm", "-m", "4G", "-smp", "8,maxcpus=288,sockets=4,cores=72",
                      *(arg for node in range(4) for arg in (
                          "-object", f"memory-backend-ram,id=m{node},size=1G",
                          "-numa", f"node,nodeid={node},memdev=m{node},cpus={72 * node}-{72 * node + 71}"))],
    "microvm-2": ["-machine", "microvm,acpi=on", "-smp", "2"],
}


def fixture_args(name: str) -> list[str]:
    return json.loads((FIXTURES / name / "fw_cfg.json").read_text())["origin"]["qemu"]["args"]


def _int(text: str) -> int:
    named = {"Zero": 0, "One": 1}
    return named[text] if text in named else int(text, 16)


def cpu_objects(dsl: str) -> dict[str, dict]:
    """The processor objects in an iasl -d text: name -> kind, id, _HID, _UID, _MAT bytes, _STA (a constant, or
    the CPU index a _STA method asks CSTA about), _PXM."""
    objects = {}
    pattern = re.compile(r"^        (Processor \((C[0-9A-F]{3}), (0x[0-9A-F]+|Zero|One), 0x00000000, 0x00\)"
                         r"|Device \((C[0-9A-F]{3})\))\n        \{\n(.*?)^        \}", re.S | re.M)
    for m in pattern.finditer(dsl):
        body = m.group(5)
        mat = re.search(r"Name \(_MAT, Buffer \(0x[0-9A-F]+\).*?\{(.*?)\}\)", body, re.S).group(1)
        mat = bytes(int(b, 16) for b in re.findall(r"0x([0-9A-F]{2})\b(?!\*)", re.sub(r"/\* \w+ \*/", "", mat)))
        pxm = re.search(r"Name \(_PXM, (\w+)\)", body)
        hid = re.search(r'Name \(_HID, "(\w+)"', body)
        sta = re.search(r"Name \(_STA, (\w+)\)", body)
        sta_method = re.search(r"Method \(_STA, 0, Serialized\).*?\{\s+Return \(CSTA \((\w+)\)\)", body, re.S)
        objects[m.group(2) or m.group(4)] = dict(
            kind="Processor" if m.group(2) else "Device",
            processor_id=_int(m.group(3)) if m.group(3) else None,
            hid=hid.group(1) if hid else None,
            uid=_int(re.search(r"Name \(_UID, (\w+)\)", body).group(1)),
            mat=mat,
            sta=_int(sta.group(1)) if sta else None,
            sta_method_index=_int(sta_method.group(1)) if sta_method else None,
            pxm=_int(pxm.group(1)) if pxm else None,
        )
    return objects


def check_cpu_objects(machine: MachineConfig, dsl: str) -> None:
    """Every possible CPU is a Device (ACPI0007) whose _UID and _MAT are its MADT entry's. With CPU hotplug its
    _STA asks the hotplug registers and _MAT says enabled (Linux refuses to hot-add a CPU whose _MAT does not);
    without, _STA is a constant and _MAT is the MADT's own entry."""
    objects = cpu_objects(dsl)
    assert len(objects) == len(machine.cpus)
    hotplug = cpu_hotplug(machine)
    assert hotplug == (machine.machine != "microvm" and len(machine.present_cpus) < len(machine.cpus))
    for cpu in machine.cpus:
        obj = objects[f"C{cpu.index:03X}"]
        assert (obj["kind"], obj["hid"], obj["uid"]) == ("Device", "ACPI0007", cpu.index)
        if hotplug:
            assert (obj["sta"], obj["sta_method_index"]) == (None, cpu.index)
        else:
            assert (obj["sta"], obj["sta_method_index"]) == (0x0F if cpu.present else 0, None)
        assert obj["pxm"] == cpu.node
        entry = parse(type_length_subtable(MADT_SUBTABLES), obj["mat"], "_MAT")
        assert entry.body.flags == (1 if cpu.present or hotplug else 0)
        if cpu.apic_id < 255:
            assert entry.type == 0
            assert (entry.body.apic_id, entry.body.acpi_processor_uid) == (cpu.apic_id, cpu.index)
        else:
            assert entry.type == 9
            assert (entry.body.x2apic_id, entry.body.acpi_processor_uid) == (cpu.apic_id, cpu.index)


def table_ok(table: bytes) -> None:
    assert table[:4] == b"DSDT"
    assert int.from_bytes(table[4:8], "little") == len(table)
    assert sum(table) & 0xFF == 0


# --- QEMU 7.2's own machines -------------------------------------------------------------------------------

@needs_iasl
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_machines(name):
    """For every captured machine: iasl has nothing to say, and each _MAT is QEMU's own MADT entry."""
    machine = MachineConfig.from_qemu_args(fixture_args(name))
    table = build_dsdt(machine)
    table_ok(table)
    result = disassemble(table)
    assert result.problems == [] and result.returncode == 0
    check_cpu_objects(machine, result.text)

    qemu_madt = parse(madt, (FIXTURES / name / "golden" / "tables" / "APIC").read_bytes(), "APIC")
    subtable = type_length_subtable(MADT_SUBTABLES)
    qemu_cpu_entries = [subtable.build(s) for s in qemu_madt.subtables if s.type in (0, 9)]
    assert [madt_entry_for(cpu) for cpu in machine.cpus] == qemu_cpu_entries


@pytest.mark.parametrize("name", [n for n in FIXTURE_NAMES if not n.startswith("microvm")])
def test_pci_windows_are_qemus(name):
    """The 32-bit and 64-bit windows QEMU's own PCI0 _CRS gives the same machine (RAM, hotplug, MCFG)."""
    machine = MachineConfig.from_qemu_args(fixture_args(name))
    qemu_dsl = (FIXTURES / name / "golden" / "iasl" / "DSDT.dsl").read_text()
    qemu_ranges = {(int(a, 16), int(b, 16)) for a, b in re.findall(
        r"0x([0-9A-F]+),\s+// Range Minimum\n\s+0x([0-9A-F]+),\s+// Range Maximum", qemu_dsl)}
    windows32, window64 = pci_memory_windows(machine)
    # Machine types 2.10 and older (hw/i386/pc.c pc_compat_2_10: x-pci-hole64-fix=off) give QEMU's DSDT only the
    # 64-bit BARs the firmware placed, none in a capture: the 32-bit windows are still compared.
    assert set(windows32) | ({window64} if machine.machine_class.version > (2, 10) else set()) <= qemu_ranges


def test_q35_routing_is_qemus():
    """ICH9: our links LNKA-H carry GSIs 16-23 (QEMU's GSIA-H); each slot and pin uses the PIRQ QEMU's APIC-mode
    table (PRTA) gives it."""
    qemu_dsl = (FIXTURES / "q35-default" / "golden" / "iasl" / "DSDT.dsl").read_text()
    prta = qemu_dsl[qemu_dsl.index("Name (PRTA"):qemu_dsl.index("Method (_PRT")]
    qemu = [(int(address, 16) >> 16, _int(pin), 16 + "ABCDEFGH".index(link))
            for address, pin, link in re.findall(r"(0x[0-9A-F]*FFFF),\s+(\w+),\s+GSI([A-H]),", prta)]
    assert len(qemu) == 128
    ours = [(r.slot, r.pin, r.gsi) for r in pci_interrupt_routes(MachineConfig.from_qemu_args(["-M", "q35"]))]
    assert sorted(ours) == sorted(qemu)


def test_pc_routing_follows_piix_and_seabios():
    routes = {(r.slot, r.pin): r for r in pci_interrupt_routes(MachineConfig.from_qemu_args(["-M", "pc"]))}
    assert len(routes) == 128
    # QEMU's PIIX swizzle puts slot 0 INTA# on PIRQD, slot 0 INTB# on PIRQA; SeaBIOS gives PIRQA-D 10,10,11,11.
    assert (routes[0, 0].link, routes[0, 0].gsi) == ("LNKD", 11)
    assert (routes[0, 1].link, routes[0, 1].gsi) == ("LNKA", 10)
    assert (routes[1, 1].link, routes[1, 1].gsi) == ("LNKB", 10)
    assert (routes[3, 0].link, routes[3, 0].gsi) == ("LNKC", 11)  # a virtio device's usual slot
    assert (routes[4, 0].link, routes[4, 0].gsi) == ("LNKD", 11)
    assert (routes[2, 3].link, routes[2, 3].gsi) == ("LNKA", 10)
    assert (routes[1, 0].link, routes[1, 0].gsi) == ("LNKS", 9)  # 00:01.3 PIIX4 PM: the SCI


@needs_iasl
@pytest.mark.parametrize("kind", ["pc", "q35"])
def test_prt_and_links_in_the_disassembly(kind):
    machine = MachineConfig.from_qemu_args(["-M", kind])
    text = disassemble(build_dsdt(machine)).text
    prt = re.findall(r"Package \(0x04\)\s+\{\s+(0x[0-9A-F]*FFFF),\s+(\w+),\s+\\_SB\.(LNK\w),\s+Zero\s+\}", text)
    assert [(int(a, 16) >> 16, _int(p), link) for a, p, link in prt] == \
        [(r.slot, r.pin, r.link) for r in pci_interrupt_routes(machine)]
    links = dict(re.findall(r"Device \((LNK\w)\).*?Name \(_CRS, ResourceTemplate \(\).*?\{\s+(0x[0-9A-F]+),",
                            text, re.S))
    assert {name: int(gsi, 16) for name, gsi in links.items()} == {r.link: r.gsi for r in pci_interrupt_routes(machine)}
    hid = 'EisaId ("PNP0A08")' if kind == "q35" else 'EisaId ("PNP0A03")'
    assert f"Name (_HID, {hid}" in text


# --- topologies a TCG host cannot boot ---------------------------------------------------------------------

@needs_iasl
@pytest.mark.parametrize("name", sorted(TOPOLOGIES))
def test_topologies(name):
    machine = MachineConfig.from_qemu_args(TOPOLOGIES[name])
    table = build_dsdt(machine)
    table_ok(table)
    result = disassemble(table)
    assert result.problems == [] and result.returncode == 0
    check_cpu_objects(machine, result.text)


def test_sparse_apic_ids_and_x2apic_objects():
    sparse = MachineConfig.from_qemu_args(TOPOLOGIES["pc-6-sparse"])
    assert [c.apic_id for c in sparse.cpus] == [0, 1, 2, 4, 5, 6]
    assert [madt_entry_for(c)[3] for c in sparse.cpus] == [0, 1, 2, 4, 5, 6]
    big = MachineConfig.from_qemu_args(TOPOLOGIES["q35-288-numa4"])
    kinds = {len(madt_entry_for(c)) for c in big.cpus if c.apic_id >= 255}
    assert kinds == {16} and any(c.apic_id >= 255 for c in big.cpus)


@needs_iasl
def test_microvm_devices():
    machine = MachineConfig.from_qemu_args(TOPOLOGIES["microvm-2"])
    text = disassemble(build_dsdt(machine)).text
    assert "PCI0" not in text and "HPET" not in text
    for expected in ['Device (GED)', '"ACPI0013"', 'OperationRegion (EREG, SystemMemory, 0xFEA00000, 0x04)',
                     'Notify (PWRB, 0x80)', 'Device (COM1)', 'IRQNoFlags ()\n                    {4}',
                     'Device (FWCF)', 'Name (\\_S5, Package (0x04)']:
        assert expected in text, expected
    assert re.search(r"_S5, Package \(0x04\)[^{]*\{\s+0x05,", text)


@needs_iasl
def test_devices_follow_the_machine():
    with_hpet = disassemble(build_dsdt(MachineConfig.from_qemu_args(["-M", "pc"]))).text
    without = disassemble(build_dsdt(MachineConfig.from_qemu_args(["-M", "pc", "-no-hpet"]))).text
    assert 'EisaId ("PNP0103")' in with_hpet and "Memory32Fixed (ReadOnly,\n                    0xFED00000" in with_hpet
    assert 'PNP0103' not in without
    for device in ("PNP0B00", "PNP0501", "PNP0303", "PNP0F13", "PNP0C0F"):
        assert f'EisaId ("{device}")' in without, device
    assert re.search(r"_S5, Package \(0x04\)[^{]*\{\s+Zero,", without)


def test_what_cannot_be_described_is_refused():
    machine = MachineConfig.from_qemu_args(["-M", "q35"])
    too_many = machine.__class__(**{**machine.__dict__, "cpus": tuple(
        Cpu(i, i, i, 0, 0, 0, i == 0) for i in range(0x1001))})
    with pytest.raises(DsdtError, match="4096 processor objects"):
        build_dsdt(too_many)
    other = machine.__class__(**{**machine.__dict__, "machine": "isapc"})
    with pytest.raises(DsdtError, match="isapc"):
        build_dsdt(other)


# --- reading the processor objects back, with the AML decoder ------------------------------------------------

def read_processors(dsdt: bytes):
    return processors(decode_tables([dsdt]))


@pytest.mark.parametrize("name", sorted(TOPOLOGIES))
def test_processor_objects_read_back(name):
    machine = MachineConfig.from_qemu_args(TOPOLOGIES[name])
    objects = read_processors(build_dsdt(machine))
    assert [o.name for o in objects] == [f"C{c.index:03X}" for c in machine.cpus]
    hotplug = cpu_hotplug(machine)
    for obj, cpu in zip(objects, machine.cpus):
        # A hotplug _STA is a method, which the namespace does not evaluate.
        sta = None if hotplug else 0x0F if cpu.present else 0
        assert (obj.kind, obj.uid, obj.sta, obj.pxm) == ("Device", cpu.index, sta, cpu.node)
        mat = parse(madt_cpu_entry(obj.mat[0]), obj.mat, "_MAT")
        assert mat.body.acpi_processor_uid == cpu.index and mat.body.flags == int(cpu.present or hotplug)
        if cpu.apic_id < 255:
            assert (mat.type, mat.body.apic_id) == (0, cpu.apic_id)
        else:
            assert (mat.type, mat.body.x2apic_id) == (9, cpu.apic_id)


@pytest.mark.parametrize("name", ["pc-smp4", "q35-smp4"])
def test_qemus_own_processor_objects_are_read(name):
    # QEMU 7.2 hw/acpi/cpu.c build_cpus_aml: Processor() below APIC ID 255 on both machines; _STA is a method
    # of the hotplug interface, and _MAT a constant buffer.
    kind = "Processor"
    objects = read_processors((FIXTURES / name / "golden" / "tables" / "DSDT").read_bytes())
    assert [(o.kind, o.name) for o in objects] == [(kind, f"C{i:03X}") for i in range(4)]
    assert [o.processor_id if kind == "Processor" else o.uid for o in objects] == [0, 1, 2, 3]
    assert {o.sta for o in objects} == {None}
    for index, obj in enumerate(objects):
        if obj.mat is not None:
            assert parse(madt_cpu_entry(obj.mat[0]), obj.mat, "_MAT").body.apic_id == index


DSDT_PC2 = build_dsdt(MachineConfig.from_qemu_args(["-M", "pc", "-smp", "2"]))


@settings(max_examples=200, deadline=None)
@given(st.integers(36, len(DSDT_PC2) - 1), st.integers(0, 255), st.integers(36, len(DSDT_PC2)))
def test_damaged_dsdt_gives_findings_not_exceptions(offset, value, cut):
    damaged = bytearray(DSDT_PC2)
    damaged[offset] = value
    read_processors(bytes(damaged[:cut]))


@pytest.mark.parametrize("args", [
    ["-M", "q35", "-m", "2815M"], ["-M", "q35", "-m", "2816M"], ["-M", "pc", "-m", "3583M"],
    ["-M", "pc", "-m", "4G"], ["-M", "pc", "-m", "2G,slots=2,maxmem=8G"], ["-M", "q35", "-m", "6G,slots=4,maxmem=16G"],
])
def test_pci_windows_stay_clear_of_ram_and_hotplug_memory(args):
    machine = MachineConfig.from_qemu_args(args)
    windows32, (first64, last64) = pci_memory_windows(machine)
    taken = [(0, machine.below_4g_mem - 1), (0xB0000000, 0xBFFFFFFF) if machine.machine == "q35" else (0, 0)]
    if machine.above_4g_mem:
        taken.append((machine.above_4g_mem_start, machine.above_4g_mem_start + machine.above_4g_mem - 1))
    if machine.device_memory:
        base, size = machine.device_memory
        taken.append((base, base + size - 1))
    for first, last in [*windows32, (first64, last64)]:
        assert first <= last
        assert all(last < t_first or first > t_last for t_first, t_last in taken), (hex(first), hex(last))
    assert all(last < 1 << 32 for _, last in windows32) and first64 >= 1 << 32


# --- what Linux uses in QEMU's own DSDT --------------------------------------------------------------------

def namespace_of(dsdt: bytes) -> dict[str, dict]:
    return {entry["path"]: entry for entry in table_namespace(decode_tables([dsdt])[0])}


def compare_with_qemus(machine: MachineConfig, qemu_dsdt: bytes) -> dict[str, dict]:
    """Check our DSDT against QEMU's for the same machine, object by object where Linux reads it; returns ours."""
    ours, qemu = namespace_of(build_dsdt(machine)), namespace_of(qemu_dsdt)
    states = [s for s in ("\\_S3_", "\\_S4_", "\\_S5_") if s in qemu]
    assert [(s, ours[s]["value"]) for s in states] == [(s, qemu[s]["value"]) for s in states]
    assert [s for s in ours if re.fullmatch(r"\\_S[0-5]_", s)] == states
    # microvm's virtio-mmio transports that hold a device, where Linux's virtio_mmio driver finds them.
    transports = {p: e for p, e in qemu.items() if re.match(r"\\_SB_\.VR\d\d", p)}
    assert {p: e for p, e in ours.items() if re.match(r"\\_SB_\.VR\d\d", p)} == transports
    if machine.machine == "microvm":
        # The same devices (COM1 and the RTC follow isa-serial= and rtc=, the PCIe host pcie=), but QEMU's microvm
        # DSDT declares no processors (Linux takes them from the MADT); ours does.
        def hids(namespace):
            values = (e["value"] for p, e in namespace.items() if p.endswith("._HID"))
            return sorted(v["eisa_id"] if isinstance(v, dict) else v for v in values)
        assert [h for h in hids(ours) if h not in ("ACPI0007", "ACPI0010")] == hids(qemu)
        if "\\_SB_.XHCI._CRS" in qemu:  # usb=on
            assert ours["\\_SB_.XHCI._CRS"]["value"] == qemu["\\_SB_.XHCI._CRS"]["value"]
        return ours
    ours_cpus = {p for p in ours if re.fullmatch(r"\\_SB_\.CPUS\.C[0-9A-F]{3}", p)}
    # pc_piix.c / pc_q35.c legacy_cpu_hotplug (2.6 and older): QEMU's DSDT has Processor (CPxx) objects in \_SB
    # and the legacy bitmap interface; ours keeps \_SB.CPUS, whose _INI switches the hardware to the modern one.
    legacy_cpus = machine.machine_class.version < (2, 7)
    if legacy_cpus:
        assert len(ours_cpus) == len([p for p in qemu if re.fullmatch(r"\\_SB_\.CP[0-9A-F]{2}", p)])
    else:
        # Every possible CPU, at QEMU's path, in the container QEMU uses.
        assert ours_cpus == {p for p in qemu if re.fullmatch(r"\\_SB_\.CPUS\.C[0-9A-F]{3}", p)}
        assert ours["\\_SB_.CPUS._HID"]["value"] == qemu["\\_SB_.CPUS._HID"]["value"]
    # _OSC on the PCIe host bridge only, and q35's MMCONFIG reserved where Linux looks (QEMU: DRAC, PNP0C01).
    assert ("\\_SB_.PCI0._OSC" in ours) == ("\\_SB_.PCI0._OSC" in qemu) == (machine.machine == "q35")
    if machine.machine == "q35":
        drac = qemu["\\_SB_.DRAC._CRS"]["value"]["resource_template"][0]
        mres = ours["\\_SB_.MRES._CRS"]["value"]["resource_template"][0]
        assert ours["\\_SB_.MRES._HID"]["value"] == {"eisa_id": "PNP0C02"}
        assert (mres["address_base"], mres["address_base"] + mres["range_length"] - 1) == \
            (drac["address_minimum"], drac["address_maximum"])
    # QEMU declares its CPU hotplug block always; ours only when a CPU can be plugged, at the same ports.
    assert ("\\_GPE._E02" in ours) == cpu_hotplug(machine)
    if cpu_hotplug(machine) and not legacy_cpus:
        assert ours["\\_SB_.PCI0.PRES._CRS"]["value"] == qemu["\\_SB_.PCI0.PRES._CRS"]["value"]
    # The DIMM slots: same devices, IDs and register block.
    slots = sorted(p for p in qemu if re.fullmatch(r"\\_SB_\.MHPC\.MP[0-9A-F]{2}", p))
    assert sorted(p for p in ours if re.fullmatch(r"\\_SB_\.MHPC\.MP[0-9A-F]{2}", p)) == slots
    assert [ours[p + "._HID"]["value"] for p in slots] == [qemu[p + "._HID"]["value"] for p in slots]
    assert ("\\_GPE._E03" in ours) == ("\\_GPE._E03" in qemu) == bool(slots)
    if slots:
        assert ours["\\_SB_.PCI0.MHPD._CRS"]["value"] == qemu["\\_SB_.PCI0.MHPD._CRS"]["value"]
    return ours


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_qemus_fixtures_have_nothing_linux_uses_that_ours_lacks(name):
    machine = MachineConfig.from_qemu_args(fixture_args(name))
    compare_with_qemus(machine, (FIXTURES / name / "golden" / "tables" / "DSDT").read_bytes())


HOTPLUG_MACHINES = {kind: ["-machine", kind, "-smp", "2,maxcpus=4", "-m", "512M,slots=3,maxmem=2G"]
                    for kind in ("pc", "q35")}


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="qemu-system-x86_64 is not installed")
@pytest.mark.parametrize("kind", sorted(HOTPLUG_MACHINES))
def test_hotplug_objects_match_a_live_qemu(kind):
    """No fixture has DIMM slots, so ask QEMU 7.2 itself for the DSDT of a machine with CPU and memory hotplug."""
    captured = qemu.capture(HOTPLUG_MACHINES[kind])
    qemu_dsdt = walk_image(link(captured), captured).table("DSDT").data
    ours = compare_with_qemus(MachineConfig.from_qemu_args(HOTPLUG_MACHINES[kind]), qemu_dsdt)
    assert [p for p in ours if re.fullmatch(r"\\_SB_\.MHPC\.MP[0-9A-F]{2}", p)] == \
        ["\\_SB_.MHPC.MP00", "\\_SB_.MHPC.MP01", "\\_SB_.MHPC.MP02"]


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="qemu-system-x86_64 is not installed")
def test_microvm_virtio_transports_match_a_live_qemu():
    """Two virtio-mmio devices take the two highest transports, VR23 and VR22, with QEMU's resources."""
    args = ["-machine", "microvm", "-drive", "file=/dev/null,format=raw,if=none,id=disk",
            "-device", "virtio-blk-device,drive=disk", "-device", "virtio-rng-device"]
    captured = qemu.capture(args)
    qemu_dsdt = walk_image(link(captured), captured).table("DSDT").data
    ours = compare_with_qemus(MachineConfig.from_qemu_args(args), qemu_dsdt)
    assert [p for p in ours if re.fullmatch(r"\\_SB_\.VR\d\d", p)] == ["\\_SB_.VR23", "\\_SB_.VR22"]


COMPILED_MACHINES = {
    "pc": ["-machine", "pc"],
    "q35-hotplug": ["-machine", "q35", "-smp", "4,maxcpus=6", "-m", "512M,slots=2,maxmem=2G"],
    "pc-hotplug": ["-machine", "pc", "-smp", "1,maxcpus=3", "-m", "1G,slots=1,maxmem=4G"],
    "q35-288-x2apic": TOPOLOGIES["q35-288-x2apic"],
    "microvm-2": TOPOLOGIES["microvm-2"],
    "microvm-virtio": ["-machine", "microvm", "-device", "virtio-rng-device", "-device", "virtio-net-device"],
}


@needs_iasl
@pytest.mark.parametrize("name", sorted(COMPILED_MACHINES))
def test_iasl_compiles_our_disassembly_without_a_word(name):
    """iasl -d, then iasl on its output: no error, warning or remark (the legacy Processor () alone gave one
    per CPU), and the AML it builds decodes to the same namespace as ours."""
    table = build_dsdt(MachineConfig.from_qemu_args(COMPILED_MACHINES[name]))
    text = disassemble(table).text
    assert "Processor (" not in text
    compiled = compile_asl(text)
    assert (compiled.errors, compiled.warnings, compiled.returncode) == ([], [], 0)
    assert compiled.aml[:4] == b"DSDT"
    assert namespace_of(compiled.aml).keys() == namespace_of(table).keys()


# --- the methods run in ACPICA's own interpreter -------------------------------------------------------------

# acpiexec simulates every operation region with plain memory, so a register reads back what was last written
# at its offset: enough for arithmetic and control flow, not for QEMU's register semantics (the guest tests).
DRIVER = """DefinitionBlock ("", "SSDT", 2, "QBTL", "TEST", 1)
{
    External (\\_SB.MHPC.MRBH, FieldUnitObj)
    External (\\_SB.MHPC.MRLL, FieldUnitObj)
    External (\\_SB.MHPC.MRLH, FieldUnitObj)
    External (\\_SB.MHPC.MCRS, MethodObj)
    External (\\_SB.MHPC.MSCN, MethodObj)
    External (\\_SB.CPUS.CSCN, MethodObj)
    External (\\_SB.CPUS.C001._OST, MethodObj)
    External (\\_SB.PCI0._OSC, MethodObj)
    Method (TCRS, 0)  // a DIMM at 4 GiB of 9 GiB: its QWordMemory is 0x100000000-0x33FFFFFFF
    {
        Store (1, \\_SB.MHPC.MRBH)
        Store (0x40000000, \\_SB.MHPC.MRLL)
        Store (2, \\_SB.MHPC.MRLH)
        Return (\\_SB.MHPC.MCRS (0))
    }
    Method (TOSC, 3)  // _OSC with UUID Arg0, revision Arg1 and requested controls Arg2
    {
        Name (CAPS, Buffer (12) {})
        CreateDWordField (CAPS, 8, CTRL)
        Store (Arg2, CTRL)
        Return (\\_SB.PCI0._OSC (Arg0, Arg1, 3, CAPS))
    }
    Method (TOS1, 0) { Return (TOSC (ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766"), 1, 0x3F)) }
    Method (TOS2, 0) { Return (TOSC (ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766"), 1, 0x1E)) }
    Method (TOS3, 0) { Return (TOSC (ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd767"), 1, 0x1E)) }
    Method (TOS4, 0) { Return (TOSC (ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766"), 2, 0x1E)) }
    Method (TSCN, 0)
    {
        \\_SB.CPUS.CSCN ()
        \\_SB.MHPC.MSCN ()
        \\_SB.CPUS.C001._OST (0x103, 0, Buffer (1) {})
        Return (Buffer (1) {0x55})
    }
}
"""


def acpiexec_buffers(tables: list[bytes], methods: list[str], work) -> tuple[dict[str, bytes], str]:
    """Run acpiexec over the tables, evaluate each method, and return {method: the Buffer it returned}."""
    paths = []
    for index, table in enumerate(tables):
        paths.append(str(work / f"table{index}.aml"))
        (work / f"table{index}.aml").write_bytes(table)
    done = subprocess.run(["acpiexec", "-b", ";".join(f"execute \\{m}" for m in methods), *paths],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, cwd=work)
    out = done.stdout + done.stderr
    buffers = {}
    for method in methods:
        block = re.search(rf"Evaluation of \\{method} returned object.*?\[Buffer\] Length \w+ =(.*?)\n[ ]*\n",
                          out, re.S)
        if block:  # rows of "0000: 8A 2B ...  // text", on the same line when there is only one
            rows = re.findall(r"[0-9A-F]{4}: ((?:[0-9A-F]{2} )+)", block.group(1))
            buffers[method] = bytes(int(b, 16) for row in rows for b in row.split())
    return buffers, out


@pytest.mark.skipif(not iasl_available() or shutil.which("acpiexec") is None, reason="acpica-tools is missing")
def test_hotplug_and_osc_methods_run_in_acpica(tmp_path):
    machine = MachineConfig.from_qemu_args(["-M", "q35", "-smp", "2,maxcpus=4", "-m", "512M,slots=2,maxmem=9G"])
    driver = compile_asl(DRIVER)
    assert driver.errors == [] and driver.aml
    methods = ["TCRS", "TOS1", "TOS2", "TOS3", "TOS4", "TSCN"]
    buffers, out = acpiexec_buffers([build_dsdt(machine), driver.aml], methods, tmp_path)
    assert not re.search(r"ACPI (Error|Warning|Exception)", out), out[-3000:]
    assert sorted(buffers) == sorted(methods), out[-3000:]
    # QWordMemory (ACPI 6.5 §6.4.3.5.1): minimum at byte 14, maximum at 22, length at 38.
    crs = buffers["TCRS"]
    assert [int.from_bytes(crs[at:at + 8], "little") for at in (14, 22, 38)] == \
        [0x100000000, 0x33FFFFFFF, 0x240000000]
    # _OSC's capabilities buffer: dword 0 the errors, dword 2 the controls granted.
    dwords = {m: (int.from_bytes(buffers[m][:4], "little"), int.from_bytes(buffers[m][8:12], "little"))
              for m in ("TOS1", "TOS2", "TOS3", "TOS4")}
    assert dwords == {"TOS1": (0x10, 0x1E),  # LTR and native hotplug masked off
                      "TOS2": (0, 0x1E),  # all granted
                      "TOS3": (0x04, 0x1E),  # not the PCI host bridge UUID
                      "TOS4": (0x08, 0x1E)}  # an unknown revision
    assert buffers["TSCN"] == b"\x55"


@pytest.mark.parametrize("name", ["microvm-pcie", "microvm-pcie-ioapic2-off"])
def test_microvm_pcie_host_is_qemus(name):
    """microvm with pcie=on: our host bridge has QEMU's windows (hw/pci-host/gpex-acpi.c) and sends every slot
    and pin to the GSI QEMU's does, 12-15 or, with the second I/O APIC, 16-19."""
    machine = MachineConfig.from_qemu_args(fixture_args(name))
    ours = namespace_of(build_dsdt(machine))
    qemu = namespace_of((FIXTURES / name / "golden" / "tables" / "DSDT").read_bytes())

    def windows(namespace):
        return sorted((d["address_minimum"], d["address_maximum"])
                      for d in namespace["\\_SB_.PCI0._CRS"]["value"]["resource_template"])

    def gsis(namespace):
        return [(r["device"], r["pin"], namespace[f"\\_SB_.PCI0.{r['link'].split('.')[-1]}._CRS"]["value"]
                 ["resource_template"][0]["interrupts"]) for r in namespace["\\_SB_.PCI0._PRT"]["routing"]]

    assert windows(ours) == windows(qemu)
    assert gsis(ours) == gsis(qemu)
    assert {gsi for _, _, (gsi,) in gsis(ours)} == set(range(16, 20) if machine.microvm_ioapic2 else range(12, 16))
    assert ours["\\_SB_.PCI0._CBA"]["value"] == 0xE0000000  # QEMU's _CBA method returns the same
    assert ours["\\_SB_.PCI0.MRES._CRS"]["value"]["resource_template"][0]["address_base"] == 0xE0000000


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None or not os.access("/dev/kvm", os.R_OK | os.W_OK),
                    reason="needs QEMU and a usable /dev/kvm")
@pytest.mark.parametrize("props", ["microvm", "microvm,rtc=on,pcie=on,ioapic2=off"])
def test_microvm_devices_match_a_live_qemu_on_kvm(props):
    """Under KVM microvm's rtc=auto means no RTC (hw/i386/microvm.c): our DSDT follows QEMU's."""
    args = ["-M", props, "-accel", "kvm", "-device", "virtio-rng-device"]
    captured = qemu.capture(args)
    compare_with_qemus(MachineConfig.from_qemu_args(args), walk_image(link(captured), captured).table("DSDT").data)
