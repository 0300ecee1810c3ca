"""build_acpi against QEMU 7.2: every fixture byte for byte, live captures, and topologies TCG cannot run."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil

import pytest
from construct import Container

from qboot_tables.show.diff import diff as semantic_diff
from qboot_tables.errors import ParseError, build, parse
from qboot_tables.findings import has_errors
from qboot_tables.generate.acpi import LOADER_FILE, RSDP_FILE, TABLES_FILE, build_acpi, finish
from qboot_tables.generate.dsdt import build_dsdt
from qboot_tables.generate.linker import Linker, LinkerError
from qboot_tables.tools.iasl import disassemble, iasl_available
from qboot_tables.read.loader import parse_commands
from qboot_tables.generate.machine import Cpu, MachineConfig, MachineConfigError, NumaNode, Topology
from qboot_tables.schemas.acpi.fadt import fadt
from qboot_tables.schemas.acpi.madt import madt
from qboot_tables.schemas.acpi.rsdp import rsdp
from qboot_tables.schemas.acpi.sdt import rsdt, xsdt
from qboot_tables.schemas.acpi.waet import waet
from qboot_tables.schemas.common import acpi_header
from qboot_tables.schemas.e820 import E820_RAM, e820_table
from qboot_tables.schemas.loader import CMD_ADD_CHECKSUM, CMD_ADD_POINTER, CMD_ALLOCATE
from qboot_tables.read.snapshot import FwCfgSnapshot, read_capture
from qboot_tables.check.validate import validate
from qboot_tables.read.walk import walk_snapshot

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "qemu-7.2")
ALL_FIXTURES = sorted(os.listdir(FIXTURES))
FILES = (TABLES_FILE, RSDP_FILE, LOADER_FILE)
MiB, GiB = 1 << 20, 1 << 30
HAVE_QEMU = shutil.which("qemu-system-x86_64") is not None
HAVE_FROM_QEMU_ARGS = hasattr(MachineConfig, "from_qemu_args")


# ---- machines described by hand (until MachineConfig.from_qemu_args parses command lines)

def _bits(count: int) -> int:
    # include/hw/i386/topology.h apicid_bitwidth_for_count(): enough bits for count - 1.
    return (count - 1).bit_length()


def hand_machine(kind: str, ram: int, cpus: int = 1, maxcpus: int | None = None, sockets: int | None = None,
                 dies: int = 1, cores: int = 1, threads: int = 1, node_memory=(), cpu_node=None,
                 **fields) -> MachineConfig:
    """A MachineConfig as QEMU 7.2 would derive it; APIC IDs are packed thread, core, die, socket bit fields."""
    maxcpus = maxcpus or cpus
    sockets = sockets or maxcpus // (dies * cores * threads)
    thread_bits, core_bits, die_bits = _bits(threads), _bits(cores), _bits(dies)
    possible = []
    for index in range(maxcpus):
        thread, core = index % threads, index // threads % cores
        die, socket = index // (threads * cores) % dies, index // (threads * cores * dies)
        apic_id = (((socket << die_bits | die) << core_bits | core) << thread_bits) | thread
        possible.append(Cpu(index=index, apic_id=apic_id, socket=socket, die=die, core=core, thread=thread,
                            present=index < cpus))
    if cpu_node is not None:
        possible = [dataclasses.replace(cpu, node=cpu_node(cpu)) for cpu in possible]
    machine_type = {"pc": "pc-i440fx-7.2", "q35": "pc-q35-7.2", "microvm": "microvm"}[kind]
    return MachineConfig(machine=kind, machine_type=machine_type,
                         topology=Topology(sockets, dies, cores, threads, cpus, maxcpus), cpus=tuple(possible),
                         ram_size=ram, numa_nodes=tuple(NumaNode(i, size) for i, size in enumerate(node_memory)),
                         has_numa_distance=bool(fields.get("numa_distances")), **fields)


NUMA2 = dict(cpus=4, node_memory=(512 * MiB, 512 * MiB), cpu_node=lambda cpu: cpu.index // 2,
             numa_distances={(0, 1): 21})
HAND_BUILT = {
    "pc-default": ("pc", 512 * MiB, {}),
    "pc-hpet-off": ("pc", 512 * MiB, dict(hpet=False)),
    "pc-mem4g": ("pc", 4 * GiB, {}),
    "pc-numa2": ("pc", GiB, NUMA2),
    "pc-smm-off": ("pc", 512 * MiB, dict(smm=False)),
    "pc-smp2-max8": ("pc", 512 * MiB, dict(cpus=2, maxcpus=8)),
    "pc-smp64": ("pc", 512 * MiB, dict(cpus=64)),
    "pc-smp8-s2c2t2": ("pc", 512 * MiB, dict(cpus=8, sockets=2, cores=2, threads=2)),
    "q35-default": ("q35", 512 * MiB, {}),
    "q35-hpet-off": ("q35", 512 * MiB, dict(hpet=False)),
    "q35-mem4g": ("q35", 4 * GiB, {}),
    "q35-numa2": ("q35", GiB, NUMA2),
    "q35-smm-off": ("q35", 512 * MiB, dict(smm=False)),
    "q35-smp2-max8": ("q35", 512 * MiB, dict(cpus=2, maxcpus=8)),
    "q35-smp6-s2c3": ("q35", 512 * MiB, dict(cpus=6, sockets=2, cores=3)),
    "q35-smp64": ("q35", 512 * MiB, dict(cpus=64)),
    "microvm-acpi": ("microvm", 512 * MiB, {}),
}


# ---- reading QEMU's unlinked blob, where pointer fields hold offsets

def captured_dsdt(files: dict) -> bytes:
    """The DSDT in a captured etc/acpi/tables, found through RSDP -> RSDT/XSDT -> FADT offsets."""
    tables = files[TABLES_FILE]
    root_pointer = parse(rsdp, files[RSDP_FILE], "RSDP")
    if root_pointer.revision >= 2:
        root_offset, root_schema = root_pointer.v2.xsdt_address, xsdt
    else:
        root_offset, root_schema = root_pointer.rsdt_address, rsdt
    for offset in parse(root_schema, table_at(tables, root_offset), "root").entries:
        if tables[offset:offset + 4] == b"FACP":
            return table_at(tables, parse(fadt, table_at(tables, offset), "FACP").dsdt)
    raise AssertionError("no FACP in the captured root table")


def table_at(blob: bytes, offset: int) -> bytes:
    length = parse(acpi_header, blob[offset:offset + 36], "header").length
    return blob[offset:offset + length]


def difference(ours: dict, theirs: dict) -> str:
    """Which file and table differ first, named by the captured loader's checksum ranges."""
    lines = []
    ranges = [(c.body.start, c.body.length) for c in parse_commands(theirs[LOADER_FILE])
              if c.command == CMD_ADD_CHECKSUM and c.body.file.rstrip(b"\0") == TABLES_FILE.encode()]
    for name in FILES:
        a, b = ours[name], theirs[name]
        if a == b:
            continue
        at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
        where = ""
        if name == TABLES_FILE:
            where = "".join(f" in {b[start:start + 4].decode(errors='replace')} at +{at - start:#x}"
                            for start, length in ranges if start <= at < start + length)
        lines.append(f"{name}: {len(a)} vs {len(b)} bytes, first difference at {at:#x}{where}: "
                     f"ours {a[at:at + 16].hex()} QEMU {b[at:at + 16].hex()}")
    return "\n".join(lines)


def semantic_difference(ours: dict, captured: dict) -> str:
    """The field-by-field diff (qboot_tables.show.diff) of both sets linked, as `qboot-tables diff` prints it."""
    acpi_only = [{name: files[name] for name in ours} for files in (captured, ours)]
    linked = [walk_snapshot(FwCfgSnapshot(files={**files, "etc/e820": captured["etc/e820"]}, origin={}))
              for files in acpi_only]
    return "\n".join(semantic_diff(*linked))


def assert_same_as_qemu(machine: MachineConfig, captured: dict) -> None:
    ours = build_acpi(machine, captured_dsdt(captured))
    assert set(FILES) <= set(ours) and set(ours) <= set(captured)
    if not all(ours[name] == captured[name] for name in FILES):
        pytest.fail(f"{difference(ours, captured)}\nQEMU -> ours:\n{semantic_difference(ours, captured)}")
    for name in set(ours) - set(FILES):  # etc/vmgenid_guid and etc/vmgenid_addr
        assert ours[name] == captured[name], name


# ---- 1. byte for byte against QEMU 7.2

@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_hand_described_fixture_is_reproduced_byte_for_byte(name):
    kind, ram, options = HAND_BUILT[name]
    assert_same_as_qemu(hand_machine(kind, ram, **options), read_capture(os.path.join(FIXTURES, name)).files)


def fixture_args(name: str) -> list[str]:
    with open(os.path.join(FIXTURES, name, "fw_cfg.json")) as f:
        return json.load(f)["origin"]["qemu"]["args"]


@pytest.mark.skipif(not HAVE_FROM_QEMU_ARGS, reason="MachineConfig.from_qemu_args has not landed yet")
@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_is_reproduced_from_its_command_line(name):
    args = fixture_args(name)
    try:
        machine = MachineConfig.from_qemu_args(args)
    except MachineConfigError as e:
        pytest.skip(f"from_qemu_args refuses {args}: {e}")
    assert_same_as_qemu(machine, read_capture(os.path.join(FIXTURES, name)).files)


def memdevs(*sizes: str) -> list[str]:
    return [arg for i, size in enumerate(sizes) for arg in ("-object", f"memory-backend-ram,id=m{i},size={size}")]


def nodes(*cpu_lists: str) -> list[str]:
    return [arg for i, cpus in enumerate(cpu_lists) for arg in ("-numa", f"node,nodeid={i},memdev=m{i},cpus={cpus}")]


# Command lines beyond the fixtures: NUMA layouts across the RAM split, memory hotplug, distances, sparse IDs.
LIVE_CASES = {
    "q35 memory hotplug (implicit NUMA node), dies":
        ["-M", "q35", "-m", "1G,slots=2,maxmem=4G", "-smp", "4,sockets=2,dies=2,cores=1,threads=1"],
    "q35 3 nodes across the 2G split, one-way distances":
        ["-M", "q35", "-m", "5G", "-smp", "6", *memdevs("1G", "2G", "2G"), *nodes("0-1", "2-3", "4-5"),
         "-numa", "dist,src=0,dst=1,val=20", "-numa", "dist,src=0,dst=2,val=30", "-numa", "dist,src=1,dst=2,val=25"],
    "pc node across the 3G split":
        ["-M", "pc", "-m", "4G", "-smp", "2", *memdevs("2560M", "1536M"), *nodes("0", "1")],
    "pc memory hotplug with NUMA":
        ["-M", "pc", "-m", "512M,slots=4,maxmem=8G", "-smp", "2", *memdevs("256M", "256M"), *nodes("0", "1")],
    "q35 asymmetric distances":
        ["-M", "q35", "-m", "2G", "-smp", "2", *memdevs("1G", "1G"), *nodes("0", "1"),
         "-numa", "dist,src=0,dst=1,val=20", "-numa", "dist,src=1,dst=0,val=30"],
    "q35 nodes without a CPU mapping (socket % nodes)":
        ["-M", "q35", "-m", "2G", "-smp", "8,sockets=4,cores=2", *memdevs("1G", "1G"),
         "-numa", "node,nodeid=0,memdev=m0", "-numa", "node,nodeid=1,memdev=m1"],
    "pc 9 possible CPUs (cluster model, disabled entries)": ["-M", "pc", "-m", "512M", "-smp", "1,maxcpus=9"],
    "q35 short OEM IDs": ["-M", "q35,x-oem-id=ABC,x-oem-table-id=XY", "-m", "512M"],
    "q35 sparse APIC IDs with hot-pluggable CPUs":
        ["-M", "q35", "-m", "512M", "-smp", "6,maxcpus=12,sockets=2,cores=3,threads=2"],
    "q35 vmgenid with SMM off and no HPET":
        ["-M", "q35,smm=off,hpet=off", "-m", "512M", "-device", "vmgenid,guid=00112233-4455-6677-8899-aabbccddeeff"],
    "microvm 3 CPUs": ["-M", "microvm,acpi=on", "-m", "256M", "-smp", "3"],
    # vIOMMU tables list bus 0: no default NIC, a VGA placed by hand, a virtio drive added after -device.
    "q35 intel-iommu without the default NIC":
        ["-M", "q35", "-m", "512M", "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,addr=0x4",
         "-device", "intel-iommu,device-iotlb=on"],
    "q35 amd-iommu after a VGA by address":
        ["-M", "q35", "-m", "512M", "-device", "VGA,addr=0x9", "-device", "amd-iommu"],
    "pc virtio-iommu after a virtio drive":
        ["-M", "pc", "-m", "512M", "-drive", "if=virtio,file=/dev/null,format=raw", "-device", "virtio-iommu-pci"],
    # Functions above 0: a multifunction slot, one alone in its slot, two in a slot of 0 and 7.
    "q35 intel-iommu and a multifunction slot":
        ["-M", "q35", "-m", "512M", "-device", "intel-iommu", "-device", "e1000,addr=3.0,multifunction=on",
         "-device", "virtio-rng-pci,addr=3.1", "-device", "virtio-rng-pci,addr=0x3.2"],
    "q35 amd-iommu and a function alone in its slot":
        ["-M", "q35", "-m", "512M", "-device", "amd-iommu", "-device", "e1000,addr=0x5.1"],
    "pc virtio-iommu and functions 0 and 7 of a slot":
        ["-M", "pc", "-m", "512M", "-device", "virtio-iommu-pci", "-device", "virtio-rng-pci,addr=6.0,multifunction=on",
         "-device", "virtio-rng-pci,addr=6.7"],
    "q35 HMAT on the node memory hotplug implies (no -numa)": ["-M", "q35,hmat=on", "-m", "512M,slots=2,maxmem=1G"],
    "q35 HMAT, an NVDIMM in node 1 and intel-iommu together":
        ["-M", "q35,nvdimm=on,hmat=on", "-m", "1G,slots=2,maxmem=2G", "-smp", "2", *memdevs("512M", "512M"),
         *nodes("0", "1"), "-numa", "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-latency,latency=10",
         "-object", "memory-backend-ram,id=nv0,size=256M", "-device", "nvdimm,memdev=nv0,node=1",
         "-device", "intel-iommu", "-device", "virtio-rng-pci"],
}


@pytest.mark.qemu
@pytest.mark.skipif(not HAVE_QEMU, reason="qemu-system-x86_64 is not installed")
@pytest.mark.skipif(not HAVE_FROM_QEMU_ARGS, reason="MachineConfig.from_qemu_args has not landed yet")
@pytest.mark.parametrize("case", sorted(LIVE_CASES))
def test_live_qemu_capture_is_reproduced_byte_for_byte(case):
    from qboot_tables.tools.qemu import capture
    args = LIVE_CASES[case]
    assert_same_as_qemu(MachineConfig.from_qemu_args(args), capture(args).files)


# ---- 2. the generated set links and validates

def simple_e820(machine: MachineConfig) -> bytes:
    entries = [Container(address=0, length=min(machine.ram_size, 0x80000000), type=E820_RAM)]
    return build(e820_table, Container(entries=entries, extra=b""), "e820")


def generated_snapshot(machine: MachineConfig, dsdt: bytes, e820: bytes | None = None) -> FwCfgSnapshot:
    """The generated ACPI files with an e820, which the loader needs to place the HIGH zone."""
    files = build_acpi(machine, dsdt)
    files["etc/e820"] = e820 if e820 is not None else simple_e820(machine)
    return FwCfgSnapshot(files=files, origin={"source": "tests/test_generate_acpi.py"})


@pytest.mark.skipif(not HAVE_FROM_QEMU_ARGS, reason="MachineConfig.from_qemu_args has not landed yet")
@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_generated_fixture_set_links_and_validates(name, tmp_path):
    # With our own DSDT, as `generate` ships it: offsets move, and the loader must still find every table.
    captured = read_capture(os.path.join(FIXTURES, name)).files
    machine = MachineConfig.from_qemu_args(fixture_args(name))
    snapshot = generated_snapshot(machine, build_dsdt(machine), captured["etc/e820"])
    snapshot.write_capture(str(tmp_path / "set"))  # generated sets are capture directories
    tableset = walk_snapshot(read_capture(str(tmp_path / "set")))
    findings = validate(tableset)
    assert not has_errors(findings), findings
    if machine.machine == "microvm":
        expected = {"DSDT", "FACP", "APIC", "XSDT"}
    else:
        expected = {"FACS", "DSDT", "FACP", "APIC", "WAET", "RSDT"} | ({"SSDT"} if machine.vmgenid_guid else set())
    assert expected <= {t.signature for t in tableset.acpi}


# ---- 3. topologies TCG cannot run

Q35_DSDT = captured_dsdt(read_capture(os.path.join(FIXTURES, "q35-default")).files)
# q35 allows 288 CPUs, so the largest ones are described by hand.
LARGE = {
    "smp 1, maxcpus 288": lambda: MachineConfig.from_qemu_args(["-M", "q35", "-smp", "1,maxcpus=288", "-accel", "kvm"]),
    "255 CPUs (APIC IDs 0-254)": lambda: MachineConfig.from_qemu_args(["-M", "q35", "-smp", "255"]),
    "256 CPUs in 2 sockets, 2 nodes (APIC ID 255)": lambda: MachineConfig.from_qemu_args(
        ["-M", "q35", "-accel", "kvm", "-m", "1G", "-smp", "256,sockets=2,cores=128", *memdevs("512M", "512M"),
         *nodes("0-127", "128-255"), "-numa", "dist,src=0,dst=1,val=20"]),
    "sparse: 4 sockets x 2 dies x 24 cores x 2 threads, 4 nodes": lambda: hand_machine(
        "q35", 4 * GiB, cpus=384, sockets=4, dies=2, cores=24, threads=2, node_memory=(GiB,) * 4,
        cpu_node=lambda cpu: cpu.socket, numa_distances={(0, 1): 20, (0, 2): 30, (0, 3): 40, (1, 2): 20,
                                                         (1, 3): 30, (2, 3): 20}),
    "4096 CPUs, 2 nodes, memory hotplug": lambda: dataclasses.replace(hand_machine(
        "q35", 2 * GiB, cpus=4096, sockets=16, cores=256, node_memory=(GiB, GiB),
        cpu_node=lambda cpu: cpu.socket % 2), ram_slots=8, maxmem=64 * GiB),
}


@pytest.fixture(scope="module", params=sorted(LARGE))
def large(request):
    if not HAVE_FROM_QEMU_ARGS:
        pytest.skip("MachineConfig.from_qemu_args has not landed yet")
    machine = LARGE[request.param]()
    return machine, walk_snapshot(generated_snapshot(machine, build_dsdt(machine)))


def test_large_topology_links_and_validates(large):
    machine, tableset = large
    assert not has_errors(validate(tableset)), validate(tableset)
    signatures = {t.signature for t in tableset.acpi}
    assert {"FACS", "DSDT", "FACP", "APIC", "HPET", "MCFG", "WAET", "RSDT"} <= signatures
    assert ("SRAT" in signatures) == bool(machine.numa_nodes)
    assert ("SLIT" in signatures) == bool(machine.numa_distances)


def test_large_topology_madt_uses_x2apic_exactly_from_apic_id_255(large):
    machine, tableset = large
    subtables = tableset.tables("APIC")[0].parsed.subtables
    lapic = {(s.body.apic_id, s.body.acpi_processor_uid, s.body.flags) for s in subtables if s.type == 0x0}
    x2apic = {(s.body.x2apic_id, s.body.acpi_processor_uid, s.body.flags) for s in subtables if s.type == 0x9}
    expected = {(cpu.apic_id, cpu.index, int(cpu.present)) for cpu in machine.cpus}
    assert lapic == {e for e in expected if e[0] < 255}
    assert x2apic == {e for e in expected if e[0] >= 255}
    nmi_types = {s.type for s in subtables if s.type in (0x4, 0xA)}
    assert nmi_types == ({0xA} if any(cpu.apic_id > 254 for cpu in machine.cpus) else {0x4})
    flags = tableset.tables("FACP")[0].parsed.flags
    assert flags & (1 << 18)  # FORCE_APIC_CLUSTER_MODEL: more than 8 possible CPUs


def test_large_topology_srat_places_every_cpu_in_its_node(large):
    machine, tableset = large
    if not machine.numa_nodes:
        pytest.skip("no NUMA nodes, so no SRAT")
    subtables = tableset.tables("SRAT")[0].parsed.subtables
    cpus = {(s.body.apic_id, s.body.proximity_domain_lo) for s in subtables if s.type == 0}
    cpus |= {(s.body.x2apic_id, s.body.proximity_domain) for s in subtables if s.type == 2}
    assert cpus == {(cpu.apic_id, cpu.node) for cpu in machine.cpus}
    assert all(s.type == 0 and s.body.apic_id < 255 or s.type == 2 and s.body.x2apic_id >= 255
               for s in subtables if s.type in (0, 2))
    enabled = sum(s.body.length for s in subtables if s.type == 1 and s.body.flags == 1)
    assert enabled == machine.ram_size - 384 * 1024  # all RAM but the 640K-1M hole


@pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
def test_large_topology_tables_disassemble_without_problems(large):
    _, tableset = large
    for table in tableset.acpi:
        result = disassemble(table.data, table.signature)
        assert result.returncode == 0 and result.text, (table.signature, result.log)
        assert result.problems == [], (table.signature, result.problems)


# ---- what build_acpi refuses or leaves out

def test_acpi_off_gives_no_acpi_files():
    assert build_acpi(hand_machine("q35", 512 * MiB, acpi=False), Q35_DSDT) == {}


def test_machine_types_older_than_modelled_are_refused():
    # 1.6 and older: QEMU builds no ACPI tables (has_acpi_build off), SeaBIOS does.
    old = dataclasses.replace(hand_machine("pc", 512 * MiB), machine_type="pc-i440fx-1.6")
    with pytest.raises(MachineConfigError, match="pc-i440fx-1.6"):
        build_acpi(old, Q35_DSDT)


@pytest.mark.parametrize("mangle, message", [
    (lambda d: b"SSDT" + d[4:], "signature"),
    (lambda d: d[:-1], "length"),
    (lambda d: d[:20], "truncated"),
])
def test_a_bad_dsdt_is_a_parse_error(mangle, message):
    with pytest.raises(ParseError, match=message):
        build_acpi(hand_machine("q35", 512 * MiB), mangle(Q35_DSDT))


def test_the_dsdt_checksum_is_left_to_the_loader():
    dsdt = bytearray(Q35_DSDT)
    dsdt[9] = 0x5A
    files = build_acpi(hand_machine("q35", 512 * MiB), bytes(dsdt))
    assert files[TABLES_FILE][64 + 9] == 0
    linked = walk_snapshot(generated_snapshot(hand_machine("q35", 512 * MiB), bytes(dsdt)))
    assert not has_errors(validate(linked))


def test_missing_numa_distance_is_refused():
    machine = hand_machine("q35", 3 * GiB, cpus=3, node_memory=(GiB,) * 3, cpu_node=lambda cpu: cpu.index,
                           numa_distances={(0, 1): 20, (0, 2): 30})
    with pytest.raises(MachineConfigError, match="node 1 and 2"):
        build_acpi(machine, Q35_DSDT)


def test_too_long_oem_id_is_refused():
    with pytest.raises(MachineConfigError, match="x-oem-id"):
        build_acpi(hand_machine("q35", 512 * MiB, oem_id=b"SEVENCH"), Q35_DSDT)


# ---- finish() and the linker model

def waet_value(**header) -> Container:
    fields = dict(signature=b"WAET", length=0, revision=1, checksum=0, oem_id=b"BOCHS ",
                  oem_table_id=b"BXPC    ", oem_revision=1, creator_id=b"BXPC", creator_revision=1)
    fields.update(header)
    return Container(header=Container(fields), emulated_device_flags=2, extra=b"")


def test_finish_fills_length_and_leaves_the_checksum_to_the_loader():
    data = finish(waet, waet_value(length=999, checksum=0x77), "WAET")
    assert len(data) == 40 and data[4:8] == (40).to_bytes(4, "little") and data[9] == 0


def test_finish_can_compute_the_checksum_for_a_standalone_table():
    data = finish(waet, waet_value(), "WAET", checksum=True)
    assert sum(data) % 256 == 0 and data[9] != 0


def test_finish_fills_subtable_lengths_including_extra_bytes():
    from qboot_tables.schemas.acpi.madt import MADT_SUBTABLES
    entries = [Container(type=0, length=0, body=Container(acpi_processor_uid=0, apic_id=0, flags=1, extra=b"")),
               Container(type=0, length=0, body=Container(acpi_processor_uid=1, apic_id=1, flags=1, extra=b"XY"))]
    value = Container(header=waet_value(signature=b"APIC").header, local_apic_address=0xFEE00000, flags=1,
                      subtables=entries, extra=b"")
    parsed = parse(madt, finish(madt, value, "APIC", subtables=MADT_SUBTABLES), "APIC")
    assert [s.length for s in parsed.subtables] == [8, 10]
    assert parsed.subtables[1].body.extra == b"XY"


def test_linker_prepends_allocations_and_writes_pointer_offsets():
    linker = Linker()
    tables = linker.allocate("etc/acpi/tables", 64)
    tables += bytes(48)
    rsdp_blob = linker.allocate("etc/acpi/rsdp", 16, fseg=True)
    rsdp_blob += bytes(20)
    linker.add_pointer("etc/acpi/rsdp", 16, 4, "etc/acpi/tables", 40)
    linker.add_checksum("etc/acpi/rsdp", 0, 20, 8)
    commands = parse_commands(linker.script(4096))
    assert [c.command for c in commands[:4]] == [CMD_ALLOCATE, CMD_ALLOCATE, CMD_ADD_POINTER, CMD_ADD_CHECKSUM]
    assert commands[0].body.file.rstrip(b"\0") == b"etc/acpi/rsdp"  # the last allocation comes first
    assert all(c.command == 0 for c in commands[4:]) and len(commands) == 32
    assert rsdp_blob[16:20] == (40).to_bytes(4, "little")


@pytest.mark.parametrize("action, message", [
    (lambda l: l.allocate("etc/acpi/tables", 64), "allocated twice"),
    (lambda l: l.allocate("etc/other", 48), "power of two"),
    (lambda l: l.add_pointer("etc/acpi/tables", 318, 4, "etc/acpi/tables", 0), "outside the blob"),
    (lambda l: l.add_pointer("etc/acpi/tables", 0, 3, "etc/acpi/tables", 0), "size 3"),
    (lambda l: l.add_pointer("etc/acpi/tables", 0, 4, "etc/missing", 0), "not allocated"),
    (lambda l: l.add_pointer("etc/acpi/tables", 0, 4, "etc/acpi/tables", 320), "target"),
    (lambda l: l.add_pointer("etc/acpi/tables", 0, 1, "etc/acpi/tables", 300), "does not fit"),
    (lambda l: l.write_pointer("etc/vmgenid_addr", 0, 8, "etc/missing", 0), "not allocated"),
    (lambda l: l.write_pointer("etc/vmgenid_addr", 0, 8, "etc/acpi/tables", 400), "outside the blob"),
    (lambda l: l.write_pointer("etc/vmgenid_addr", 0, 16, "etc/acpi/tables", 0), "size 16"),
    (lambda l: l.add_checksum("etc/acpi/tables", 16, 320, 20), "outside the blob"),
    (lambda l: l.add_checksum("etc/acpi/tables", 0, 16, 16), "checksum byte"),
    (lambda l: l.allocate("x" * 56, 1), "name longer"),
])
def test_linker_refuses_what_qemu_asserts_on(action, message):
    linker = Linker()
    linker.allocate("etc/acpi/tables", 64).extend(bytes(320))
    with pytest.raises(LinkerError, match=message):
        action(linker)
