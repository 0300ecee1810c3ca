"""Generator goldens: every QEMU capture is reproduced from its command line, and the machines a TCG host
cannot run (x2APIC, dies and threads, four NUMA nodes, 255 CPUs) match their committed goldens, pass iasl and
agree across tables."""
import json
import os
import shutil

import pytest

from qboot_tables.check.consistency import check
from qboot_tables.show.diff import diff
from qboot_tables.generate.fwcfg import generate, generate_tables
from qboot_tables.generate.mptable import parse_mptable
from harness.goldens import GENERATED_MACHINES, fixture_dirs, generated_outputs, read_tree
from qboot_tables.tools.iasl import disassemble
from qboot_tables.read.inputs import load
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.schemas.acpi.fadt import fadt
from qboot_tables.schemas.loader import (CMD_ADD_CHECKSUM, CMD_ADD_POINTER, CMD_ALLOCATE, CMD_PADDING,
                                         loader_script)
from qboot_tables.read.walk import walk_snapshot

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAPTURES_DIR = os.path.join(ROOT, "fixtures", "qemu-7.2")
CAPTURES = fixture_dirs(CAPTURES_DIR)
GENERATED = os.path.join(ROOT, "fixtures", "generated")


def machine_of(fixture: str) -> MachineConfig:
    with open(os.path.join(fixture, "fw_cfg.json")) as f:
        return MachineConfig.from_qemu_args(json.load(f)["origin"]["qemu"]["args"])


def comparable(table) -> bytes:
    """The table's bytes, with the FADT's pointers to FACS and DSDT (and so its checksum) zeroed: where those
    tables land depends on the DSDT's size, which is ours, not QEMU's (as QEMU's bios-tables-test does)."""
    if table.signature != "FACP":
        return table.data
    fields = table.parsed.copy()
    for name in ("firmware_ctrl", "dsdt", "x_firmware_ctrl", "x_dsdt"):
        if fields.get(name) is not None:
            fields[name] = 0
    fields.header = fields.header.copy()
    fields.header.checksum = 0
    return fadt.build(fields)


@pytest.mark.parametrize("fixture", CAPTURES, ids=os.path.basename)
def test_generator_reproduces_the_capture(fixture):
    assert_reproduces(load(fixture), machine_of(fixture))


# Machines only KVM runs (x2APIC), and KVM's own differences (its e820 reservation, intremap=auto), captured live
# where /dev/kvm works. smm=off: whether KVM offers SMM (smm=auto) depends on the host.
KVM_MACHINES = [
    ["-M", "q35,smm=off", "-smp", "1,maxcpus=288", "-accel", "kvm"],
    ["-M", "q35,smm=off", "-smp", "4,maxcpus=256,sockets=2,cores=128", "-enable-kvm", "-device", "intel-iommu"],
    ["-M", "pc,smm=off", "-accel", "kvm", "-smp", "4,sockets=2", "-m", "1G"],
    ["-M", "microvm,acpi=on", "-accel", "kvm", "-smp", "2"],
    ["-M", "microvm,acpi=on", "-accel", "kvm", "-smp", "1,maxcpus=288"],
    ["-M", "q35,smm=off", "-accel", "kvm,kernel-irqchip=off", "-device", "amd-iommu"],  # intremap=auto: on
    # pc-q35-4.0 alone defaults to the split irqchip, so intremap=auto is on there and off on 4.0.1.
    ["-M", "pc-q35-4.0,smm=off", "-accel", "kvm", "-device", "amd-iommu"],
    ["-M", "pc-q35-4.0.1,smm=off", "-accel", "kvm", "-device", "amd-iommu"],
]


# acpi=off: no ACPI files, only e820, SMBIOS and the selectors (microvm: one I/O APIC, no SMBIOS). Live, since
# the tools treat a capture without ACPI as broken.
ACPI_OFF_MACHINES = [["-M", "microvm,acpi=off", "-m", "4G", "-smp", "2"], ["-M", "pc,acpi=off"],
                     ["-M", "pc-q35-5.2,acpi=off", "-smp", "2"]]


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="needs QEMU")
@pytest.mark.parametrize("args", ACPI_OFF_MACHINES, ids=" ".join)
def test_generator_reproduces_qemu_without_acpi(args):
    from qboot_tables.tools.qemu import capture
    captured = capture(args)
    assert not [name for name in captured.files if name.startswith("etc/acpi/")]
    tableset = walk_snapshot(captured)
    # Linux boots such a machine on the MP table: no RSDP is an info, not an error (read/walk.py find_rsdp).
    from qboot_tables.check.validate import validate
    assert [f.severity for f in validate(tableset) if f.table == "RSDP"] == ["info"]
    assert [f for f in validate(tableset) if f.severity == "error"] == []
    assert_reproduces(tableset, MachineConfig.from_qemu_args(args))


@pytest.mark.qemu
@pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None or not os.access("/dev/kvm", os.R_OK | os.W_OK),
                    reason="needs QEMU and a usable /dev/kvm")
@pytest.mark.parametrize("args", KVM_MACHINES, ids=" ".join)
def test_generator_reproduces_qemu_on_kvm(args):
    from qboot_tables.tools.qemu import capture
    assert_reproduces(walk_snapshot(capture(args)), MachineConfig.from_qemu_args(args))


def assert_reproduces(captured, machine: MachineConfig) -> None:
    generated = walk_snapshot(generate(machine))
    # Our DSDT is our own, and the root tables' entries move with its size: everything else is byte-identical.
    # (A changed AML object's ASL follows its line, indented.)
    lines = [line for line in diff(captured, generated) if not line.startswith(("DSDT", "    "))]
    assert lines == [], "\n".join(lines)
    ours = {t.name: t for t in generated.acpi}
    for table in captured.acpi:
        if table.signature not in ("DSDT", "RSDT", "XSDT"):
            assert comparable(ours[table.name]) == comparable(table), \
                f"{table.name} differs:\n" + "\n".join(diff(captured, generated))
    if captured.smbios is not None:
        assert generated.smbios.table_raw == captured.smbios.table_raw
        assert generated.smbios.entry_point_raw == captured.smbios.entry_point_raw
    assert generated.snapshot.file("etc/e820") == captured.snapshot.file("etc/e820")
    # Where SeaBIOS puts the 64-bit PCI window: after the memory hotplug region (only its base up to 2.4).
    end = "etc/reserved-memory-end"
    assert generated.snapshot.files.get(end) == captured.snapshot.files.get(end)
    # The well-known selectors (fw_cfg's DMA bit follows the machine type), and the RSDP file's size: machine
    # types 2.2 and older keep 16 unused bytes after a revision 0 RSDP.
    assert generated.snapshot.selectors == captured.snapshot.selectors
    rsdp = "etc/acpi/rsdp"
    assert len(generated.snapshot.files.get(rsdp, b"")) == len(captured.snapshot.files.get(rsdp, b""))
    # The table-loader script: QEMU's commands, fields and length, offsets into etc/acpi/tables counted from
    # the DSDT's end past it (they move with our DSDT's size).
    assert loader_commands(generated.snapshot.files) == loader_commands(captured.snapshot.files)


TABLES = "etc/acpi/tables"


def loader_commands(files: dict) -> tuple[int, list[tuple]] | None:
    script = files.get("etc/table-loader")
    if script is None:
        return None
    blob = files[TABLES]
    dsdt = blob.find(b"DSDT")  # after the FACS on pc and q35, first on microvm
    dsdt_end = dsdt + int.from_bytes(blob[dsdt + 4:dsdt + 8], "little")

    def where(file: bytes, offset: int):
        if file.rstrip(b"\0").decode() != TABLES or offset < dsdt:
            return offset
        return "in DSDT" if offset < dsdt_end else ("after DSDT", offset - dsdt_end)

    commands = []
    for entry in loader_script.parse(script):
        body = entry.body
        if entry.command == CMD_PADDING:
            continue
        if entry.command == CMD_ALLOCATE:
            commands.append((entry.command, body.file, body.align, body.zone))
        elif entry.command == CMD_ADD_POINTER:
            commands.append((entry.command, body.dest_file, body.src_file, where(body.dest_file, body.offset),
                             body.size))
        elif entry.command == CMD_ADD_CHECKSUM:
            length = "DSDT" if body.start == dsdt else body.length
            commands.append((entry.command, body.file, where(body.file, body.offset), where(body.file, body.start),
                             length))
        else:
            commands.append((entry.command, body.dest_file, body.src_file, body.dst_offset,
                             where(body.src_file, body.src_offset), body.size))
    return len(script), commands


@pytest.mark.parametrize("name", sorted(GENERATED_MACHINES))
def test_generated_machine_goldens(name):
    expected = read_tree(os.path.join(GENERATED, name))
    actual = generated_outputs(name, GENERATED_MACHINES[name])
    assert sorted(actual) == sorted(expected), "run `make goldens` on purpose and review the diff"
    changed = [rel for rel in sorted(expected) if actual[rel] != expected[rel]]
    assert not changed, f"differ from their goldens: {changed}"
    assert actual["consistency.txt"] == b"no findings\n"


@pytest.mark.parametrize("name", sorted(GENERATED_MACHINES))
def test_generated_machine_passes_iasl_and_consistency(name):
    machine = MachineConfig.from_qemu_args(GENERATED_MACHINES[name])
    tableset, mptable, address = generate_tables(machine)
    aml = [t.data for t in tableset.acpi if t.signature in ("DSDT", "SSDT")]
    for table in tableset.acpi:
        result = disassemble(table.data, table.signature, extra_tables=aml if table.data in aml else [])
        assert [p for p in result.problems if p.severity != "info"] == [], table.name
    assert check(tableset, parse_mptable(mptable, address)) == []
    possible = len(machine.cpus)
    assert len([c for c in machine.cpus if c.apic_id >= 255]) == sum(
        1 for s in tableset.table("APIC").parsed.subtables if s.type == 9)
    assert possible == len(tableset.table("APIC").parsed.subtables) - sum(
        1 for s in tableset.table("APIC").parsed.subtables if s.type not in (0, 9))


def test_consistency_check_catches_a_disagreement():
    machine = MachineConfig.from_qemu_args(GENERATED_MACHINES["q35-numa4"])
    tableset, mptable, address = generate_tables(machine)
    srat = tableset.table("SRAT")
    cpu = next(s for s in srat.parsed.subtables if s.type == 0)
    cpu.body.proximity_domain_lo ^= 1  # move one CPU to another node in the SRAT only
    findings = check(tableset, parse_mptable(mptable, address))
    assert any(f.table == "DSDT" and f.field.endswith("_PXM") for f in findings)
    assert any(f.table == "fw_cfg" and f.field.startswith("numa.apic_node") for f in findings)
    # The same machine without the tampering agrees with itself.
    assert check(walk_snapshot(generate(machine)), parse_mptable(mptable, address)) == []


# ---- cross-table checks of the tables issue 13 added: each passes on a real capture and fails on a mutation

def fixture(name: str):
    return load(os.path.join(ROOT, "fixtures", "qemu-7.2", name))


def findings_about(tableset, table: str) -> list[str]:
    return [f"{f.field}: {f.message}" for f in check(tableset) if f.table == table]


@pytest.mark.parametrize("name", ["pc-nvdimm", "q35-nvdimm", "q35-nvdimm-numa-persistence", "q35-intel-iommu-onboard",
                                  "q35-amd-iommu-onboard", "q35-hmat", "pc-hmat-4nodes"])
def test_new_tables_agree_with_the_rest_in_capture_and_generated_set(name):
    assert check(fixture(name)) == []
    assert check(walk_snapshot(generate(machine_of(os.path.join(CAPTURES_DIR, name))))) == []


def test_nfit_ranges_must_agree_with_e820_and_srat():
    tables = fixture("q35-nvdimm-numa-persistence")
    spa = next(s.body for s in tables.table("NFIT").parsed.subtables if s.body.get("range_index") == 6)
    spa.proximity_domain = 0  # QEMU put the NVDIMM in node 1, and so does the SRAT
    assert any("proximity domain 0, the SRAT's range says 1" in f for f in findings_about(tables, "NFIT"))
    spa.base_address = 0x100000  # over RAM, and in no non-volatile SRAT range
    found = findings_about(tables, "NFIT")
    assert any("overlaps e820 RAM" in f for f in found) and any("in no non-volatile SRAT range" in f for f in found)
    assert any("has no NFIT SPA range" in f for f in findings_about(tables, "SRAT"))


def test_iommu_device_lists_must_name_what_exists():
    tables = fixture("q35-intel-iommu-onboard")
    drhd = tables.table("DMAR").parsed.subtables[0].body
    drhd.device_scopes[0].enumeration_id = 5  # the I/O APIC scope; the MADT has I/O APIC 0
    rng = next(s for s in drhd.device_scopes if s.entry_type == 1 and s.pci_path[0] == bytes([3, 0]))
    drhd.device_scopes.remove(rng)  # 00:03.0 is the virtio-rng that SMBIOS type 41 names
    found = findings_about(tables, "DMAR")
    assert any("I/O APIC scope 5" in f for f in found) and any("names 00:03.0" in f for f in found), found

    tables = fixture("q35-amd-iommu-onboard")
    entries = tables.table("IVRS").parsed.subtables[0].body.entries
    entries[-1].data.handle = 9  # the special I/O APIC entry
    for devfn in (0x18, 0x20):  # AMDVI-PCI (00:03.0, the IOMMU itself) and the virtio-rng type 41 names
        entries.remove(next(e for e in entries if e.entry_type == 2 and e.device_id == devfn))
    found = findings_about(tables, "IVRS")
    assert any("special I/O APIC 9" in f for f in found) and any("own function 0x0018" in f for f in found)
    assert any("names 00:04.0" in f for f in found), found


def test_hmat_domains_must_be_the_srats():
    tables = fixture("pc-hmat-4nodes")
    structures = tables.table("HMAT").parsed.subtables
    structures[3].body.memory_proximity_domain = 7  # node 3's attributes, for a domain the SRAT lacks
    latency = next(s.body for s in structures if s.type == 1)
    latency.initiators[1] = 2  # node 2 holds memory only
    found = findings_about(tables, "HMAT")
    assert any("memory proximity domain 7" in f for f in found)
    assert any("initiator 2 is not an SRAT domain with processors" in f for f in found)
    assert any("SRAT memory domain 3 has no memory proximity domain attributes" in f for f in found)
