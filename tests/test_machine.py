"""MachineConfig.from_qemu_args: QEMU 7.2's -smp/-m/-numa/-machine rules, APIC IDs, refusals, and real QEMU."""
from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import threading

import pytest
from hypothesis import assume, given, settings, strategies as st

from qboot_tables.errors import quote
from qboot_tables.generate.machine import (CPU_MODELS, SMP_KEYS, MachineConfig, MachineConfigError, Topology,
                                  apic_id_bit_width, parse_cpu_list, parse_int, parse_number, parse_opts,
                                  parse_release, parse_size, parse_uint, possible_cpus, topology_apic_id)
from qboot_tables.read.snapshot import read_capture
from qboot_tables.read.walk import walk_snapshot

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(REPO, "fixtures", "qemu-7.2", "*",
                                                                     "fw_cfg.json")))
HAVE_QEMU = shutil.which("qemu-system-x86_64") is not None
needs_qemu = pytest.mark.skipif(not HAVE_QEMU, reason="qemu-system-x86_64 is not installed")
MADT_LOCAL_APIC, MADT_LOCAL_X2APIC = 0, 9
SRAT_CPU, SRAT_MEMORY, SRAT_X2APIC = 0, 1, 2


def fixture_args(path: str) -> list[str]:
    with open(os.path.join(path, "fw_cfg.json")) as f:
        return json.load(f)["origin"]["qemu"]["args"]


def machine(*args: str) -> MachineConfig:
    return MachineConfig.from_qemu_args(list(args))


# ---- every fixture: the description agrees with what QEMU put in fw_cfg and in the tables

@pytest.mark.parametrize("path", FIXTURES, ids=os.path.basename)
def test_fixture_selectors_agree(path):
    m = MachineConfig.from_qemu_args(fixture_args(path))
    sel = read_capture(path).selectors
    assert sel["nb_cpus"] == m.topology.cpus == len(m.present_cpus)
    assert sel["ram_size"] == m.ram_size
    if m.machine == "microvm":
        assert sel["max_cpus"] == m.topology.maxcpus  # microvm.c passes maxcpus itself
        return
    assert sel["max_cpus"] == m.apic_id_limit
    numa = sel["numa"]
    assert numa["nodes"] == len(m.numa_nodes)
    assert numa["node_mem"] == [n.memory for n in m.numa_nodes]
    if m.numa_nodes:
        assert [numa["apic_node"][c.apic_id] for c in m.cpus] == [c.node for c in m.cpus]


@pytest.mark.parametrize("path", FIXTURES, ids=os.path.basename)
def test_fixture_madt_and_srat_agree(path):
    m = MachineConfig.from_qemu_args(fixture_args(path))
    tables = {t.signature: t.parsed for t in walk_snapshot(read_capture(path)).acpi}
    cpus = [(s.body.acpi_processor_uid, s.body.apic_id if s.type == MADT_LOCAL_APIC else s.body.x2apic_id,
             s.body.flags & 1) for s in tables["APIC"].subtables if s.type in (MADT_LOCAL_APIC, MADT_LOCAL_X2APIC)]
    assert cpus == [(c.index, c.apic_id, int(c.present)) for c in m.cpus]
    if "SRAT" in tables:
        affinity = [(s.body.apic_id, s.body.proximity_domain_lo) for s in tables["SRAT"].subtables
                    if s.type == SRAT_CPU]
        assert affinity == [(c.apic_id, c.node) for c in m.cpus]
        memory = {}
        for s in tables["SRAT"].subtables:
            if s.type == SRAT_MEMORY and s.body.flags == 1:  # enabled RAM: not hot-pluggable, not an NVDIMM
                memory[s.body.proximity_domain] = memory.get(s.body.proximity_domain, 0) + s.body.length
        # SRAT cuts the 640K-1M hole out of node 0; every other byte of RAM is in its node.
        assert memory[0] == m.numa_nodes[0].memory - (1 << 20) + (640 << 10)
        assert all(memory[n.node_id] == n.memory for n in m.numa_nodes[1:])
    else:
        assert not m.numa_nodes


def test_fixture_machine_types_and_descriptions():
    m = machine("-machine", "pc")
    assert (m.machine, m.machine_type, m.machine_description) == ("pc", "pc-i440fx-7.2",
                                                                  "Standard PC (i440FX + PIIX, 1996)")
    m = machine("-M", "pc-q35-7.2")
    assert (m.machine, m.machine_type, m.machine_description) == ("q35", "pc-q35-7.2",
                                                                  "Standard PC (Q35 + ICH9, 2009)")
    assert machine("-M", "microvm").machine_description == "microvm (i386)"
    assert machine().machine_type == "pc-i440fx-7.2"  # QEMU's default machine


# ---- -smp: QEMU 7.2's derivations (hw/core/machine-smp.c), each checked against real QEMU below

SMP_CASES = [
    # (args, sockets, dies, cores, threads, cpus, maxcpus, APIC IDs)
    (["-smp", "4"], 1, 1, 4, 1, 4, 4, [0, 1, 2, 3]),  # 6.2+: cores before sockets
    (["-smp", "8,cores=4"], 2, 1, 4, 1, 8, 8, list(range(8))),
    (["-smp", "sockets=2,maxcpus=12"], 2, 1, 6, 1, 12, 12, [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]),
    (["-smp", "4,dies=2"], 1, 2, 2, 1, 4, 4, [0, 1, 2, 3]),
    (["-smp", "6,sockets=2,cores=3"], 2, 1, 3, 1, 6, 6, [0, 1, 2, 4, 5, 6]),
    (["-smp", "2,cores=3,sockets=2,maxcpus=6"], 2, 1, 3, 1, 2, 6, [0, 1, 2, 4, 5, 6]),
    (["-M", "q35", "-smp", "4,dies=2,threads=2,sockets=1,maxcpus=8"], 1, 2, 2, 2, 4, 8, [0, 1, 2, 3, 4, 5, 6, 7]),
    (["-smp", "12,sockets=2,dies=3,threads=2"], 2, 3, 1, 2, 12, 12, [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]),
    (["-M", "pc-i440fx-6.1", "-smp", "8,cores=2"], 4, 1, 2, 1, 8, 8, list(range(8))),  # 6.1: sockets first
    (["-M", "pc-i440fx-6.1", "-smp", "8"], 8, 1, 1, 1, 8, 8, list(range(8))),
    (["-smp", "0"], 1, 1, 1, 1, 1, 1, [0]),  # an explicit 0 is deprecated and counts as omitted
]


@pytest.mark.parametrize("args,sockets,dies,cores,threads,cpus,maxcpus,apic_ids", SMP_CASES,
                         ids=lambda v: " ".join(v) if isinstance(v, list) and isinstance(v[0], str) else None)
def test_smp_defaults(args, sockets, dies, cores, threads, cpus, maxcpus, apic_ids):
    m = MachineConfig.from_qemu_args(args)
    assert m.topology == Topology(sockets=sockets, dies=dies, cores=cores, threads=threads, cpus=cpus,
                                  maxcpus=maxcpus)
    assert [c.apic_id for c in m.cpus] == apic_ids
    assert [c.present for c in m.cpus] == [i < cpus for i in range(maxcpus)]


def test_x2apic_topology_on_q35():
    # APIC IDs above 254 need KVM's x2APIC (hw/i386/x86.c x86_cpus_init); TCG refuses them.
    m = machine("-M", "q35", "-smp", "1,maxcpus=288", "-accel", "kvm")
    assert m.accel == "kvm"
    assert m.topology == Topology(sockets=1, dies=1, cores=288, threads=1, cpus=1, maxcpus=288)
    assert m.apic_id_limit == 288 and [c.apic_id for c in m.cpus] == list(range(288))
    assert len(m.present_cpus) == 1


# ---- -m and the memory split (pc_piix.c, pc_q35.c, microvm.c)

@pytest.mark.parametrize("args,below,above", [
    (["-m", "512"], 512 << 20, 0),  # a bare number is MiB
    (["-m", "3583M"], 3583 << 20, 0),  # pc: below 3.5G stays in one piece
    (["-m", "3584M"], 3 << 30, 512 << 20),  # pc: reaching 3.5G splits at 3G
    (["-m", "4G"], 3 << 30, 1 << 30),
    (["-M", "pc,max-ram-below-4g=2G", "-m", "3G"], 2 << 30, 1 << 30),
    (["-M", "q35", "-m", "2815M"], 2815 << 20, 0),  # q35: below 0xB0000000 stays whole
    (["-M", "q35", "-m", "2816M"], 2 << 30, 768 << 20),  # q35: from 0xB0000000 it splits at 2G
    (["-M", "microvm", "-m", "3G"], 3 << 30, 0),  # microvm: split only above 3G
    (["-M", "microvm", "-m", "4G"], 3 << 30, 1 << 30),
    (["-m", "1000000k"], 1024000000, 0),  # rounded up to 8 KiB by machine_set_mem
])
def test_memory_split(args, below, above):
    m = MachineConfig.from_qemu_args(args)
    assert (m.below_4g_mem, m.above_4g_mem) == (below, above)
    assert m.below_4g_mem + m.above_4g_mem == m.ram_size


def test_memory_hotplug_region_and_implicit_numa_node():
    m = machine("-m", "1G,slots=4,maxmem=32G")
    assert (m.ram_size, m.ram_slots, m.maxmem) == (1 << 30, 4, 32 << 30)
    # pc.c: the region starts at the 1G-aligned end of RAM above 4G, 1 GiB per slot extra.
    assert m.device_memory == (4 << 30, (31 << 30) + 4 * (1 << 30))
    # numa.c: memory hotplug without -numa makes one node with all the RAM.
    assert [(n.node_id, n.memory) for n in m.numa_nodes] == [(0, 1 << 30)]
    assert machine("-m", "1G").device_memory is None


def test_amd_hole_and_relocation_rules():
    assert machine("-m", "1G").amd_ht_hole  # qemu64 is AuthenticAMD with 40 physical address bits
    assert not machine("-cpu", "Haswell").amd_ht_hole  # Intel
    assert not machine("-cpu", "athlon").amd_ht_hole  # AMD, but 32-bit: 36 bits
    assert not machine("-cpu", "Dhyana").amd_ht_hole  # Hygon is not IS_AMD_CPU
    assert not machine("-M", "pc-i440fx-7.0").amd_ht_hole  # enforce_amd_1tb_hole came with 7.1
    assert not machine("-M", "microvm").amd_ht_hole
    assert machine("-M", "q35", "-m", "900G").above_4g_mem_start == 4 << 30
    with pytest.raises(MachineConfigError, match="phys-bits too low"):
        machine("-M", "q35", "-m", "1000G")  # relocated to 1T, the PCI hole then passes 2^40


# ---- -numa (hw/core/numa.c, machine.c)

def two_nodes(*extra: str) -> list[str]:
    return ["-m", "1G", "-object", "memory-backend-ram,id=a,size=512M", "-object",
            "memory-backend-ram,id=b,size=512M", *extra]


def test_numa_default_cpu_mapping_is_socket_modulo_nodes():
    m = machine(*two_nodes("-smp", "4,sockets=2", "-numa", "node,memdev=a", "-numa", "node,memdev=b"))
    assert [c.node for c in m.cpus] == [0, 0, 1, 1]
    m = machine(*two_nodes("-smp", "4", "-numa", "node,memdev=a", "-numa", "node,memdev=b"))
    assert [c.node for c in m.cpus] == [0, 0, 0, 0]  # one socket: everything on node 0


def test_numa_partial_mapping_falls_back_to_node_0():
    m = machine(*two_nodes("-smp", "4,sockets=4", "-numa", "node,memdev=a,cpus=3", "-numa", "node,memdev=b,cpus=1"))
    assert [c.node for c in m.cpus] == [0, 1, 0, 0]


def test_numa_cpu_by_topology_ids():
    m = machine(*two_nodes("-smp", "8,sockets=2,cores=2,threads=2", "-numa", "node,memdev=a", "-numa",
                           "node,memdev=b", "-numa", "cpu,node-id=1,socket-id=0", "-numa",
                           "cpu,node-id=0,socket-id=1"))
    assert [c.node for c in m.cpus] == [1, 1, 1, 1, 0, 0, 0, 0]
    m = machine(*two_nodes("-smp", "4,sockets=1,cores=2,threads=2", "-numa", "node,memdev=a", "-numa",
                           "node,memdev=b", "-numa", "cpu,node-id=1,core-id=1"))
    assert [c.node for c in m.cpus] == [0, 0, 1, 1]


def test_numa_distances_are_completed_symmetrically():
    args = ["-m", "2G", "-smp", "4,sockets=4"]
    for i in range(4):
        args += ["-object", f"memory-backend-ram,id=m{i},size=512M", "-numa", f"node,nodeid={i},memdev=m{i}"]
    for src in range(4):
        for dst in range(src + 1, 4):
            args += ["-numa", f"dist,src={src},dst={dst},val={10 + 10 * (dst - src) + src}"]
    m = MachineConfig.from_qemu_args(args)
    matrix = m.numa_distance_matrix
    assert [row[i] for i, row in enumerate(matrix)] == [10] * 4
    assert all(matrix[s][d] == matrix[d][s] for s in range(4) for d in range(4))
    assert matrix[0][3] == 40 and matrix[2][3] == 22
    assert [c.node for c in m.cpus] == [0, 1, 2, 3]
    assert machine(*two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=b")).numa_distance_matrix is None


# ---- refusals: QEMU's own errors, and what this project does not model; each names the option

NVDIMM_BACKENDS = ["-object", "memory-backend-ram,id=nv0,size=256M", "-object", "memory-backend-ram,id=nv1,size=256M"]

REFUSALS = [
    (["-smp", "7,sockets=2"], "-smp: Invalid CPU topology: product of the hierarchy must match maxcpus"),
    (["-smp", "2,maxcpus=1"], "maxcpus must be equal to or greater than smp"),
    (["-smp", "1,maxcpus=288"], "-smp: Invalid SMP CPUs 288. The max CPUs supported by machine 'pc-i440fx-7.2' is 255"),
    (["-M", "microvm", "-smp", "4,dies=2"], "-smp dies: dies not supported"),
    (["-smp", "4,clusters=2"], "-smp clusters: clusters not supported"),
    (["-smp", "4,books=2"], "-smp: Parameter 'books' is unexpected"),
    (["-m", "1G,slots=2"], "-m slots: slots specified but no max-size"),
    (["-m", "2G,maxmem=1G"], "-m maxmem: invalid value of maxmem"),
    (["-m", "1G,slots=2,maxmem=1G"], "memory slots were specified"),
    (["-m", "1G,slots=300,maxmem=2G"], "-m slots: unsupported amount of memory slots: 300"),
    (["-m", "12Q"], "-m '12Q': Parameter 'size' expects a non-negative number below 2^64"),
    (["-M", "microvm", "-m", "1G,slots=1,maxmem=2G"], "-m slots/maxmem"),
    (["-M", "pc-i440fx-1.6"], "-M 'pc-i440fx-1.6': machine type not modelled"),
    (["-M", "pc-i440fx-2.0", "-m", "1G,slots=1,maxmem=2G"], "is not supported by: pc-i440fx-2.0"),
    (["-M", "pc-i440fx-2.0", "-smbios", "type=3,serial=X"], "smbios types > 1 on machine versions < 2.1"),
    (["-M", "pc-q35-2.4", "-device", "vmgenid,guid=8a4f8b44-1c9d-4b5f-9e6a-2d3c4b5a6978"],
     "-device vmgenid: vmgenid requires DMA write support in fw_cfg, which this machine type does not provide"),
    (["-M", "virt"], "-M 'virt': unsupported machine type"),
    (["-M", "pc,usb=on"], "-M 'usb': machine property not modelled"),
    (["-M", "microvm,hpet=off"], "hpet"),
    (["-M", "microvm", "-no-hpet"], "hpet"),
    (["-M", "pc,x-oem-id=TOOLONG"], "-machine x-oem-id: User specified x-oem-id value is bigger than 6 bytes"),
    (["-M", "pc,smbios-entry-point-type=16"], "Parameter 'smbios-entry-point-type' does not accept value '16'"),
    (["-M", "pc,smm=maybe"], "-M smm: Parameter 'smm' does not accept value 'maybe'"),
    (["-M", "pc,max-ram-below-4g=5G"], "less than or equal to 4G"),
    (["-cpu", "host"], "-cpu host: CPU model 'host' requires KVM"),
    (["-cpu", "Skylake-Client,+avx512f"], "-cpu 'Skylake-Client,+avx512f': CPU feature flags are not modelled"),
    (["-cpu", "pentium9"], "-cpu 'pentium9': CPU model not modelled"),
    (["-accel", "hvf"], "-accel 'hvf': only the TCG and KVM accelerators are modelled"),
    (["-accel", "kvm", "-M", "pc,accel=tcg"], 'The -accel and "-machine accel=" options are incompatible'),
    (["-accel", "tcg,kernel-irqchip=split"], "Property 'tcg-accel.kernel-irqchip' not found"),
    (["-enable-kvm", "-cpu", "host"], "-cpu host: the host CPU's CPUID (the SMBIOS processor ID) is not modelled"),
    (["-uuid", "not-a-uuid"], "-uuid: failed to parse UUID"),
    (["-smbios", "type=8,internal_reference=J1"], "-smbios type=8: SMBIOS type not modelled"),
    (["-smbios", "file=/nonexistent/x.bin"], "-smbios file='/nonexistent/x.bin': Cannot read SMBIOS file"),
    (["-smbios", "type=1,colour=red"], "-smbios type=1: Invalid parameter 'colour'"),
    (["-smbios", "type=4,max-speed=70000"], "SMBIOS CPU speed is too large"),
    (["-smbios", "type=0,release=1"], "Invalid release"),  # sscanf("%hhu.%hhu") wants both
    (["-smbios", "vendor=x"], "-smbios: Must specify type= or file="),
    (["-device", "intel-iommu"], "-device intel-iommu: Parameter 'driver' expects a dynamic sysbus device type"),
    (["-M", "q35", "-device", "intel-iommu,x-scalable-mode=on"], "property 'x-scalable-mode' not modelled"),
    (["-device", "ivshmem-plain"], "-device 'ivshmem-plain': device not modelled"),
    (["-device", "vmgenid"], "-device vmgenid: guid=auto"),
    (["-object", "rng-random,id=r"], "-object 'rng-random': object type not modelled"),
    (["-object", "memory-backend-ram,id=a"], "property 'size' is required"),
    (["-global", "PIIX4_PM.disable_s3=0"], "'-global': option not modelled"),
    (["-m", "1G", "-object", "memory-backend-ram,id=a,size=512M", "-numa", "node,memdev=a"],
     "-numa: total memory for NUMA nodes (0x20000000) should equal RAM size (0x40000000)"),
    (["-numa", "node,mem=128M"], "-numa node,mem=: Parameter -numa node,mem is not supported"),
    (["-numa", "node,memdev=nope"], "memdev='nope'"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=a"), "can't be used multiple times"),
    (two_nodes("-numa", "node,nodeid=0,memdev=a", "-numa", "node,nodeid=2,memdev=b"), "Node ID missing: 1"),
    (two_nodes("-numa", "node,nodeid=0,memdev=a", "-numa", "node,nodeid=0,memdev=b"), "Duplicate NUMA nodeid: 0"),
    (two_nodes("-smp", "2", "-numa", "node,memdev=a,cpus=0-2", "-numa", "node,memdev=b"),
     "CPU index (2) should be smaller than maxcpus (2)"),
    (two_nodes("-smp", "2", "-numa", "node,memdev=a,cpus=0", "-numa", "node,memdev=b,cpus=0"),
     "CPU is already assigned to node-id: 0"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=b", "-numa", "dist,src=0,dst=0,val=20"),
     "Local distance of node 0 should be 10"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=b", "-numa", "dist,src=0,dst=1,val=9"),
     "NUMA distance (9) is invalid"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "dist,src=0,dst=1,val=20", "-numa", "node,memdev=b"),
     "Source/Destination NUMA node is missing"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=b", "-numa", "cpu,node-id=3,socket-id=0"),
     "Invalid node-id=3"),
    (two_nodes("-numa", "node,memdev=a", "-numa", "node,memdev=b", "-numa", "cpu,node-id=1,die-id=0"),
     "-numa cpu: die-id is not supported"),
    (["-M", "microvm", "-m", "512M", "-object", "memory-backend-ram,id=a,size=512M", "-numa", "node,memdev=a"],
     "-numa: NUMA is not modelled on microvm"),
    (["-smp"], "-smp: requires an argument"),
    (["disk.img"], "'disk.img': not an option"),
    (["-M", "q35", "-device", "virtio-rng-pci,bus=pcie.1"], "only the root bus pcie.0 is modelled"),
    (["-M", "q35", "-smbios", "type=41,kind=floppy"], "Parameter 'kind' does not accept value 'floppy'"),
    (["-M", "q35", "-smbios", "type=11,path=/nonexistent/oem"], "type=11,path=: '/nonexistent/oem': No such file"),
    (["-M", "q35", "-smbios", "type=11,path=/dev/null"], "not a regular file: refused"),
    (["-M", "q35", "-smbios", "type=11,path=/proc"], "not a regular file: refused"),
    (["-M", "q35", "-device", "intel-iommu,aw-bits=40"], "Supported values for aw-bits are: 39, 48"),
    (["-M", "microvm", "-device", "virtio-iommu-pci"], "No 'PCI' bus found"),
    (["-M", "q35,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", *NVDIMM_BACKENDS, "-device", "nvdimm,memdev=nv0",
      "-device", "nvdimm,memdev=nv1"], "more than one NVDIMM is not modelled"),
    (["-M", "q35,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", *NVDIMM_BACKENDS, "-device", "nvdimm,memdev=nv0,slot=2"],
     "invalid slot number 2, valid range is [0-1]"),
    (["-M", "q35,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", *NVDIMM_BACKENDS,
      "-device", "nvdimm,memdev=nv0,uuid=8a4f8b44-1c9d-4b5f-9e6a-2d3c4b5a6978"], "property 'uuid' not modelled"),
    (["-M", "q35,nvdimm-persistence=disk"], "nvdimm-persistence='disk': unsupported option"),
]


@pytest.mark.parametrize("args,message", REFUSALS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_refusals_name_the_option(args, message):
    with pytest.raises(MachineConfigError) as info:
        MachineConfig.from_qemu_args(args)
    assert message in str(info.value)


def test_three_numa_nodes_need_every_distance():
    args = ["-m", "1536M"]
    for i in range(3):
        args += ["-object", f"memory-backend-ram,id=m{i},size=512M", "-numa", f"node,memdev=m{i}"]
    with pytest.raises(MachineConfigError, match="The distance between node 0 and 2 is missing"):
        MachineConfig.from_qemu_args(args + ["-numa", "dist,src=0,dst=1,val=20", "-numa", "dist,src=1,dst=2,val=20"])
    with pytest.raises(MachineConfigError, match="asymmetrical"):
        MachineConfig.from_qemu_args(args + ["-numa", "dist,src=0,dst=1,val=20", "-numa", "dist,src=1,dst=0,val=30",
                                             "-numa", "dist,src=1,dst=2,val=20", "-numa", "dist,src=0,dst=2,val=20"])


def test_ignored_options_and_recorded_properties():
    m = machine("-nographic", "-display", "none", "-serial", "stdio", "-kernel", "vmlinuz", "-append", "quiet",
                "-boot", "menu=on", "-device", "virtio-net-pci", "-netdev", "user,id=n", "-accel", "tcg", "-S",
                "-M", "pc,x-oem-id=ABC,x-oem-table-id=TABLE,smm=off,acpi=on,hpet=off",
                "-uuid", "12345678-9abc-def0-1234-56789abcdef0", "-device",
                "vmgenid,guid=8a4f8b44-1c9d-4b5f-9e6a-2d3c4b5a6978")
    assert m.nographic and m.boot_menu and not m.smm and m.acpi and not m.hpet
    assert m.oem_id == b"ABC\0\0\0" and m.oem_table_id == b"TABLE\0\0\0"  # strncpy pads with NULs
    assert m.uuid == bytes.fromhex("123456789abcdef0123456789abcdef0")
    assert m.vmgenid_guid == "8a4f8b44-1c9d-4b5f-9e6a-2d3c4b5a6978"
    assert machine("-no-hpet").hpet is False
    assert machine("-no-acpi").acpi is False
    assert machine("-M", "microvm").hpet is False


def test_pci_bus_0_as_qemu_fills_it():
    # hw/i386/pc_piix.c and pc_q35.c place the chipset's functions, then the default VGA and NIC take the first
    # free slots; -device follows in order, and vl.c adds -drive if=virtio devices after every -device. The
    # DMAR and IVRS captures (fixtures/qemu-7.2/q35-*-iommu*) check these addresses byte for byte.
    def bus(*args):
        return [(d.devfn, d.driver) for d in machine(*args).pci_devices]

    assert bus("-M", "pc") == [(0x00, "i440FX"), (0x08, "PIIX3"), (0x09, "piix3-ide"), (0x0B, "PIIX4_PM"),
                               (0x10, "VGA"), (0x18, "e1000")]
    assert bus("-M", "pc,acpi=off")[3] == (0x10, "VGA")  # no PIIX4 PM function without ACPI
    assert bus("-M", "q35") == [(0x00, "mch"), (0x08, "VGA"), (0x10, "e1000e"), (0xF8, "ICH9-LPC"),
                                (0xFA, "ich9-ahci"), (0xFB, "ICH9-SMB")]
    assert bus("-M", "q35", "-netdev", "user,id=n", "-device", "VGA,addr=0x9", "-device", "virtio-rng-pci",
               "-drive", "if=virtio,file=x.img", "-device", "amd-iommu")[1:5] == [
        (0x08, "virtio-rng-pci"), (0x10, "AMDVI-PCI"), (0x18, "virtio-blk-pci"), (0x48, "VGA")]
    m = machine("-M", "q35", "-device", "virtio-rng-pci", "-device", "amd-iommu,intremap=off")
    assert m.iommu.kind == "amd-iommu" and m.iommu.devfn == 0x20 and not m.iommu.intremap
    m = machine("-M", "q35", "-device", "intel-iommu,aw-bits=48,device-iotlb=on")
    assert (m.iommu.aw_bits, m.iommu.device_iotlb, m.iommu.intremap) == (48, True, True)  # intremap=auto: on
    # Functions above 0: in a multifunction slot, in PIIX3's (multifunction), or alone; automatic placement
    # still looks only at function 0.
    assert bus("-M", "q35", "-device", "e1000,addr=3.0,multifunction=on", "-device", "virtio-rng-pci,addr=3.2",
               "-device", "virtio-rng-pci,addr=5.1", "-device", "e1000")[3:7] == [
        (0x18, "e1000"), (0x1A, "virtio-rng-pci"), (0x20, "e1000"), (0x29, "virtio-rng-pci")]
    assert (0x0D, "virtio-rng-pci") in bus("-M", "pc", "-device", "virtio-rng-pci,addr=1.5")


# hw/pci/pci.c pci_init_multifunction and the multifunction property, as QEMU 7.2 words its refusals.
MULTIFUNCTION_REFUSALS = [
    (["-M", "q35", "-device", "e1000,addr=3.0", "-device", "e1000,addr=3.1"],
     "PCI: single function device can't be populated in function 3.1"),
    (["-M", "pc", "-device", "e1000,addr=0.1"], "PCI: single function device can't be populated in function 0.1"),
    (["-M", "q35", "-device", "e1000,addr=3.1", "-device", "e1000"],
     "PCI: 3.0 indicates single function, but 3.1 is already populated."),
    (["-M", "q35", "-device", "e1000,addr=3.1", "-device", "e1000,addr=3.0"],
     "PCI: 3.0 indicates single function, but 3.1 is already populated."),
    (["-M", "q35", "-device", "e1000,addr=3.0,multifunction=maybe"], "Parameter 'multifunction' expects 'on' or 'off'"),
]


@pytest.mark.parametrize("args,message", MULTIFUNCTION_REFUSALS, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_multifunction_refusals(args, message):
    with pytest.raises(MachineConfigError, match=re.escape(message)):
        machine(*args)


@pytest.mark.qemu
@pytest.mark.parametrize("args,message", MULTIFUNCTION_REFUSALS, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else None)
def test_real_qemu_refuses_the_same_functions(args, message):
    from qboot_tables.errors import CaptureError
    from qboot_tables.tools.qemu import capture
    with pytest.raises(CaptureError, match=re.escape(message)):
        capture(args)


def test_smbios_oem_strings_and_onboard_devices():
    m = machine("-device", "e1000,id=nic1,addr=0x7", "-smbios", "type=11,value=a,value=,value=b",
                "-smbios", "type=41,designation=NIC,kind=ethernet,instance=258,pcidev=nic1", "-smbios", "type=41")
    assert m.smbios_oem_strings == ("a", "", "b")
    assert [(d.designation, d.kind, d.instance, d.devfn) for d in m.smbios_onboard_devices] == [
        ("NIC", 0x85, 2, 0x38), (None, 0x81, 1, None)]  # kind index + 1 with bit 7; instance is a uint8_t


def test_hmat_initiators_and_base_units():
    # hw/core/numa.c and machine.c: nodes with CPUs are their own initiators, a memory node names one or has
    # none; the latency base is the largest power of ten dividing the values seen, the bandwidth base the
    # lowest set bit of all of them (fixtures/qemu-7.2/*hmat* check the resulting HMATs byte for byte).
    m = machine("-M", "q35,hmat=on", "-m", "1536M", "-smp", "2",
                *[a for i in range(3) for a in ("-object", f"memory-backend-ram,id=m{i},size=512M")],
                "-numa", "node,nodeid=0,memdev=m0,cpus=0-1", "-numa", "node,nodeid=1,memdev=m1,initiator=0",
                "-numa", "node,nodeid=2,memdev=m2", "-numa", HMAT_LATENCY + "20",
                "-numa", HMAT_LATENCY.replace("target=1", "target=0") + "30",
                "-numa", "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=read-bandwidth,bandwidth=96M")
    assert [(n.initiator, n.has_cpu) for n in m.numa_nodes] == [(0, True), (0, False), (None, False)]
    latency, bandwidth = m.hmat_localities
    assert (latency.data_type, latency.base, latency.entries) == (0, 10, ((0, 1, 20), (0, 0, 30)))
    assert (bandwidth.data_type, bandwidth.base) == (4, 32 << 20)


def test_cpu_models():
    assert machine().cpu_vendor == "AuthenticAMD"
    assert machine("-cpu", "Skylake-Client").cpu_vendor == "GenuineIntel"
    assert machine("-cpu", "max").cpu_vendor == "AuthenticAMD"  # TCG's max is AMD
    assert all(len(model.vendor) in (0, 12) for model in CPU_MODELS.values())


def test_parse_helpers():
    assert parse_size("1.5G", "x") == 3 << 29
    assert parse_size("0x1000", "x") == 0x1000
    assert parse_size("512", "x", "m") == 512 << 20
    assert parse_size("2k", "x") == 2048
    assert parse_opts("pc,x-oem-id=A,,B,smm=off", "-M", "type") == [("type", "pc"), ("x-oem-id", "A,B"),
                                                                  ("smm", "off")]
    with pytest.raises(MachineConfigError, match="-M: expected key=value"):
        parse_opts("pc,smm", "-M", "type")


# ---- Hypothesis: APIC IDs from any topology

topologies = st.builds(
    lambda sockets, dies, cores, threads, present: Topology(
        sockets=sockets, dies=dies, cores=cores, threads=threads,
        cpus=max(1, min(present, sockets * dies * cores * threads)), maxcpus=sockets * dies * cores * threads),
    st.integers(1, 8), st.integers(1, 4), st.integers(1, 12), st.integers(1, 4), st.integers(1, 400))


@settings(max_examples=200, deadline=None)
@given(topologies)
def test_apic_ids_from_topology(t):
    cpus = possible_cpus(t)
    assert len(cpus) == t.maxcpus
    ids = [c.apic_id for c in cpus]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # index order is APIC ID order
    smt, core = apic_id_bit_width(t.threads), apic_id_bit_width(t.cores)
    die = apic_id_bit_width(t.dies)
    for c in cpus:
        # Each level sits in its own bit field (topology.h), so the IDs are sparse when a count is no power of 2.
        assert c.apic_id & ((1 << smt) - 1) == c.thread
        assert (c.apic_id >> smt) & ((1 << core) - 1) == c.core
        assert (c.apic_id >> (smt + core)) & ((1 << die) - 1) == c.die
        assert c.apic_id >> (smt + core + die) == c.socket
        assert topology_apic_id(t, c.socket, c.die, c.core, c.thread) == c.apic_id
        assert c.present == (c.index < t.cpus)
    assert max(ids) < (t.sockets << (smt + core + die))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 12), st.integers(1, 4))
def test_smp_command_line_round_trips(sockets, dies, cores, threads):
    maxcpus = sockets * dies * cores * threads
    assume(maxcpus <= 288)  # q35's max_cpus
    m = machine("-M", "q35", "-smp", f"{maxcpus},sockets={sockets},dies={dies},cores={cores},threads={threads}",
                "-accel", "kvm")  # APIC IDs may pass 254
    assert m.topology == Topology(sockets, dies, cores, threads, maxcpus, maxcpus)
    assert m.apic_id_limit == m.cpus[-1].apic_id + 1


# ---- against real QEMU 7.2: what it derives, and what it refuses

QEMU_AGREES = [case[0] for case in SMP_CASES] + [
    ["-m", "1G,slots=2,maxmem=4G"],
    two_nodes("-smp", "4,sockets=2", "-numa", "node,memdev=a", "-numa", "node,memdev=b"),
    two_nodes("-smp", "4,sockets=4", "-numa", "node,memdev=a,cpus=3", "-numa", "node,memdev=b,cpus=1"),
    two_nodes("-smp", "8,sockets=2,cores=2,threads=2", "-numa", "node,memdev=a", "-numa", "node,memdev=b",
              "-numa", "cpu,node-id=1,socket-id=0", "-numa", "cpu,node-id=0,socket-id=1"),
    ["-M", "microvm", "-smp", "3", "-m", "256M"],
    ["-M", "q35", "-smp", "1,maxcpus=255"],  # APIC IDs up to 254: the most TCG takes (hw/i386/x86.c)
]


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("args", QEMU_AGREES, ids=" ".join)
def test_real_qemu_derives_the_same(args):
    from qboot_tables.tools.qemu import capture
    m = MachineConfig.from_qemu_args(args)
    sel = capture(args).selectors
    assert (sel["nb_cpus"], sel["ram_size"]) == (m.topology.cpus, m.ram_size)
    assert sel["max_cpus"] == (m.topology.maxcpus if m.machine == "microvm" else m.apic_id_limit)
    if m.numa_nodes:
        assert [sel["numa"]["apic_node"][c.apic_id] for c in m.cpus] == [c.node for c in m.cpus]
        assert sel["numa"]["node_mem"] == [n.memory for n in m.numa_nodes]


HMAT_NODES = ["-object", "memory-backend-ram,id=m0,size=512M", "-object", "memory-backend-ram,id=m1,size=512M"]
HMAT_LATENCY = "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-latency,latency="

# KVM's rules (hw/i386/x86.c x86_cpus_init, x86-iommu.c, intel_iommu.c vtd_decide_config, accel/kvm/kvm-all.c),
# checked against QEMU 7.2 on KVM where /dev/kvm works.
KVM_REFUSES = [
    (["-M", "q35", "-smp", "1,maxcpus=288", "-accel", "kvm,kernel-irqchip=off"],
     "current -smp configuration requires kernel irqchip and X2APIC API support."),
    (["-M", "q35", "-accel", "kvm,kernel-irqchip=maybe"], "Parameter 'kernel-irqchip' does not accept value 'maybe'"),
    (["-M", "q35,kernel-irqchip=maybe", "-accel", "kvm"], "Parameter 'kernel-irqchip' does not accept value 'maybe'"),
    (["-M", "q35", "-enable-kvm", "-device", "intel-iommu,intremap=on"],
     "Interrupt Remapping cannot work with kernel-irqchip=on, please use 'split|off'."),
    (["-M", "q35", "-enable-kvm", "-device", "amd-iommu,intremap=on"],
     "Interrupt Remapping cannot work with kernel-irqchip=on, please use 'split|off'."),
    (["-M", "q35", "-accel", "kvm", "-device", "intel-iommu,eim=on"], "eim=on cannot be selected without intremap=on"),
    (["-M", "q35", "-accel", "kvm,kernel-irqchip=off", "-device", "intel-iommu,eim=on"],
     "eim=on requires accel=kvm,kernel-irqchip=split"),
]
KVM_ACCEPTS = [
    ["-M", "q35", "-smp", "1,maxcpus=288", "-accel", "kvm"],
    ["-M", "q35", "-smp", "4,maxcpus=256,sockets=2,cores=128", "-enable-kvm"],
    ["-M", "q35,accel=kvm", "-smp", "2", "-device", "intel-iommu"],  # intremap=auto: off
    ["-M", "q35", "-accel", "kvm,kernel-irqchip=off", "-device", "amd-iommu"],  # intremap=auto: on
]


def kvm_usable() -> bool:
    return HAVE_QEMU and os.access("/dev/kvm", os.R_OK | os.W_OK)


needs_kvm = pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")


@pytest.mark.parametrize("args,message", KVM_REFUSES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_kvm_refusals(args, message):
    with pytest.raises(MachineConfigError) as ours:
        MachineConfig.from_qemu_args(args)
    assert message in str(ours.value)


@pytest.mark.qemu
@needs_kvm
@pytest.mark.parametrize("args,message", KVM_REFUSES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_real_qemu_on_kvm_refuses_the_same(args, message):
    from qboot_tables.errors import CaptureError
    from qboot_tables.tools.qemu import capture
    with pytest.raises(CaptureError) as theirs:
        capture(args, timeout=30)
    assert message in str(theirs.value)


@pytest.mark.qemu
@needs_kvm
@pytest.mark.parametrize("args", KVM_ACCEPTS, ids=" ".join)
def test_real_qemu_on_kvm_accepts_the_same(args):
    from qboot_tables.tools.qemu import capture
    m = MachineConfig.from_qemu_args(args)
    assert m.accel == "kvm"
    snap = capture(args, timeout=30)
    assert (snap.selectors["nb_cpus"], snap.selectors["max_cpus"]) == (m.topology.cpus, m.apic_id_limit)
    if m.iommu is not None and m.iommu.kind == "intel-iommu":
        # intremap=auto as KVM decides it shows in the DMAR: flags bit 0, INTR_REMAP (VT-d 3.4 §8.1).
        [dmar] = [t for t in walk_snapshot(snap).acpi if t.signature == "DMAR"]
        assert bool(dmar.parsed.flags & 1) == m.iommu.intremap


QEMU_REFUSES = [
    (["-accel", "tcg,kernel-irqchip=split"], "Property 'tcg-accel.kernel-irqchip' not found"),
    (["-accel", "kvm", "-M", "pc,accel=tcg"], 'The -accel and "-machine accel=" options are incompatible'),
    (["-smp", "7,sockets=2"], "product of the hierarchy must match maxcpus"),
    (["-smp", "2,maxcpus=1"], "maxcpus must be equal to or greater than smp"),
    (["-smp", "1,maxcpus=288"], "The max CPUs supported by machine 'pc-i440fx-7.2' is 255"),
    (["-M", "microvm", "-smp", "4,dies=2"], "dies not supported by this machine's CPU topology"),
    (["-m", "1G", "-object", "memory-backend-ram,id=a,size=512M", "-numa", "node,memdev=a"],
     "total memory for NUMA nodes (0x20000000) should equal RAM size (0x40000000)"),
    (["-m", "1G,slots=2"], "slots specified but no max-size"),
    (["-cpu", "host"], "CPU model 'host' requires KVM"),
    (["-M", "pc", "-device", "intel-iommu"], "expects a dynamic sysbus device type for the machine"),
    (["-M", "q35", "-device", "intel-iommu", "-device", "amd-iommu"], "QEMU does not support multiple vIOMMUs"),
    (["-M", "q35", "-device", "intel-iommu,eim=on"], "eim=on requires accel=kvm,kernel-irqchip=split"),
    # TCG's APIC is xAPIC only: 256 and 288 possible CPUs on q35 need KVM (hw/i386/x86.c x86_cpus_init).
    (["-M", "q35", "-smp", "1,maxcpus=288"], "current -smp configuration requires kernel irqchip and X2APIC API "
                                             "support."),
    (["-M", "q35", "-smp", "4,maxcpus=256,sockets=2,cores=128"], "requires kernel irqchip and X2APIC API support"),
    (["-M", "microvm", "-smp", "1,maxcpus=288"], "requires kernel irqchip and X2APIC API support"),
    (["-M", "q35", "-device", "virtio-rng-pci,addr=0x2"],
     "PCI: slot 2 function 0 not available for virtio-rng-pci, in use by e1000e"),
    (["-M", "q35", "-smbios", "type=41,pcidev=nope"], "for SMBIOS type 41 entry"),
    (["-M", "q35", "-m", "512M,slots=2,maxmem=2G", *NVDIMM_BACKENDS, "-device", "nvdimm,memdev=nv0"],
     "nvdimm is not enabled: missing 'nvdimm' in '-M'"),
    (["-M", "q35,nvdimm=on", "-m", "512M", *NVDIMM_BACKENDS, "-device", "nvdimm,memdev=nv0"],
     "no slots where allocated, please specify the 'slots' option"),
    (["-M", "q35,nvdimm=on", "-m", "512M,slots=2,maxmem=600M", *NVDIMM_BACKENDS, "-device", "nvdimm,memdev=nv0"],
     "not enough space, currently 0x0 in use of total space for memory devices 0x5800000"),
    (["-M", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=nv0,size=1M",
      "-device", "nvdimm,memdev=nv0"], "(0x100000) is too small to contain nvdimm label (0x0) and aligned PMEM"),
    (["-M", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", *NVDIMM_BACKENDS,
      "-device", "nvdimm,memdev=nv0,label-size=4K"], "Property 'nvdimm.label-size' (0x1000) is required at least"),
    # hw/core/numa.c checks -numa hmat-lb when it comes: node 0 gets its CPUs only later, by default mapping.
    (["-M", "q35,hmat=on", "-m", "1G", "-smp", "2", *HMAT_NODES, "-numa", "node,nodeid=0,memdev=m0",
      "-numa", "node,nodeid=1,memdev=m1", "-numa", HMAT_LATENCY + "5"], "Invalid initiator=0, it isn't an initiator"),
    # The second latency's base unit (1 ns, from 7) leaves 300000 too far from the first.
    (["-M", "q35,hmat=on", "-m", "1G", "-smp", "2", *HMAT_NODES, "-numa", "node,nodeid=0,memdev=m0,cpus=0-1",
      "-numa", "node,nodeid=1,memdev=m1", "-numa", HMAT_LATENCY + "7",
      "-numa", HMAT_LATENCY.replace("target=1", "target=0") + "300000"],
     "Latency 300000 between initiator=0 and target=0 should not differ from previously entered min or max"),
    (["-M", "q35", "-m", "1G", *HMAT_NODES, "-numa", "node,nodeid=0,memdev=m0,initiator=0",
      "-numa", "node,nodeid=1,memdev=m1"], "(HMAT) is disabled, enable it with -machine hmat=on"),
    (["-M", "q35,hmat=on", "-m", "1G", "-smp", "2", *HMAT_NODES, "-numa", "node,nodeid=0,memdev=m0,cpus=0-1",
      "-numa", "node,nodeid=1,memdev=m1",
      "-numa", "hmat-cache,node-id=1,size=1M,level=1,associativity=direct,policy=write-back,line=8"],
     "The latency and bandwidth information of node-id=1 should be provided before memory side cache"),
]


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("args,message", QEMU_REFUSES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_real_qemu_refuses_the_same(args, message):
    from qboot_tables.errors import CaptureError
    from qboot_tables.tools.qemu import capture
    with pytest.raises(MachineConfigError) as ours:
        MachineConfig.from_qemu_args(args)
    with pytest.raises(CaptureError) as theirs:
        capture(args, timeout=30)
    assert message in str(ours.value) and message in str(theirs.value)


# ---- numbers on the command line: what QEMU 7.2 did with each, and what we do
#
# Each case is (args, what Debian's QEMU 7.2 did, what we do when it differs). "ok" records the fw_cfg
# RAM_SIZE, NB_CPUS and MAX_CPUS selectors QEMU gave; "refuses" the part of its message we repeat. The
# real-QEMU test below checks every row again; the plain test checks our side without QEMU.

def ok(ram_size: int, cpus: int = 1, max_cpus: int | None = None) -> tuple:
    return ("ok", ram_size, cpus, cpus if max_cpus is None else max_cpus)


def refuses(reason: str) -> tuple:
    return ("refuses", reason)


CRASHES = ("crashes", signal.SIGFPE)
MiB, GiB = 1 << 20, 1 << 30
DEFAULT_RAM = 128 * MiB
LONG = "9" * 5000  # past Python's 4,300-digit limit for int()
SIZE_INVALID = "Parameter 'size' expects a non-negative number below 2^64"
SMP_INVALID = "Parameter 'smp.cpus' expects integer"
NUMA = ["-m", "1G", "-object", "memory-backend-ram,id=a,size=512M", "-object", "memory-backend-ram,id=b,size=512M"]
NODES = ["-numa", "node,memdev=a", "-numa", "node,memdev=b"]

NUMBER_CASES = [
    # -smp: keyval int64 (qemu_strtoi64 base 0), then machine-smp.c's unsigned 32-bit counts
    (["-smp", "0"], ok(DEFAULT_RAM, 1), None),  # an explicit 0 is deprecated and counts as omitted
    (["-smp", "sockets=0"], ok(DEFAULT_RAM, 1), None),
    (["-smp", "cpus=0,maxcpus=0"], ok(DEFAULT_RAM, 1), None),
    (["-smp", "4,cores=0"], ok(DEFAULT_RAM, 4), None),
    (["-smp", "1_0"], refuses(SMP_INVALID), None),
    (["-smp", "\uff14"], refuses(SMP_INVALID), None),  # a full-width 4
    (["-smp", "+4"], ok(DEFAULT_RAM, 4), None),
    (["-smp", "-1"], refuses("Invalid SMP CPUs -1. The max CPUs supported by machine 'pc-i440fx-7.2' is 255"), None),
    (["-smp", "99999999999999999999"], refuses(SMP_INVALID), None),
    (["-smp", LONG], refuses(SMP_INVALID), None),
    (["-smp", "010"], ok(DEFAULT_RAM, 8), None),  # base 0: octal
    (["-smp", "0" * 5000 + "4"], ok(DEFAULT_RAM, 4), None),  # leading zeros are no reason to refuse
    (["-smp", "08"], refuses(SMP_INVALID), None),
    (["-smp", "0X10"], ok(DEFAULT_RAM, 16), None),
    (["-smp", "0x"], refuses(SMP_INVALID), None),
    (["-smp", "\t4"], ok(DEFAULT_RAM, 4), None),  # strtoll skips leading C white space...
    (["-smp", "4 "], refuses(SMP_INVALID), None),  # ...but nothing may follow the digits
    (["-smp", "\u00a04"], refuses(SMP_INVALID), None),  # and a no-break space is no C white space
    (["-smp", ""], ok(DEFAULT_RAM, 1), None),
    (["-smp", "4,cpus=8"], ok(DEFAULT_RAM, 8), None),  # keyval: the last value of a key wins
    (["-smp", "4294967297"], ok(DEFAULT_RAM, 1), None),  # only the low 32 bits are kept
    (["-smp", "-4294967295"], ok(DEFAULT_RAM, 1), None),
    (["-smp", "4,cores=4294967296"], ok(DEFAULT_RAM, 4), None),  # cores becomes 0: omitted
    (["-smp", "9223372036854775807"], refuses("Invalid SMP CPUs -1."), None),
    (["-smp", "9223372036854775808"], refuses(SMP_INVALID), None),
    (["-smp", "sockets=65536,cores=65536"],
     refuses("Invalid SMP CPUs 0. The min CPUs supported by machine 'pc-i440fx-7.2' is 1"), None),
    (["-smp", "8,sockets=65536,threads=65536"], CRASHES, refuses("dies (SIGFPE)")),  # divides by 2^32 wrapped to 0
    # 3 * 2863311532 is 4 modulo 2^32: QEMU accepts it, with APIC IDs from overflowing shifts; we refuse.
    (["-smp", "4,sockets=3,cores=2863311532"], ok(DEFAULT_RAM, 4), refuses("32-bit product wraps around")),
    (["--smp", "2"], ok(DEFAULT_RAM, 2), None),
    (["---smp", "2"], refuses("---smp: invalid option"), refuses("'---smp': option not modelled")),
    # -m: QemuOpts checks a size in bytes (qemu_strtosz), then one ending in a digit is parsed again as MiB
    (["-m", "0"], ok(DEFAULT_RAM), None),
    (["-m", "1.5G"], ok(3 * GiB // 2), None),
    (["-m", "1.5"], refuses(SIZE_INVALID), None),  # a fraction needs a suffix in the first (bytes) pass
    (["-m", "0x10M"], ok(16 * MiB), None),  # deprecated (a warning), not refused, in 7.2
    (["-m", "0x10"], ok(16 * MiB), None),
    (["-m", "1e3"], refuses(SIZE_INVALID), None),
    (["-m", " 512"], ok(512 * MiB), None),
    (["-m", "512 "], refuses(SIZE_INVALID), None),
    (["-m", "+512"], ok(512 * MiB), None),
    (["-m", "0" * 5000 + "512"], ok(512 * MiB), None),
    (["-m", "-1"], refuses(SIZE_INVALID), None),
    (["-m", "0x"], refuses(SIZE_INVALID), None),
    (["-m", ""], ok(DEFAULT_RAM), None),
    (["-m", "1."], ok(8192), None),  # one byte, rounded up to 8 KiB
    (["-m", "1.k"], ok(8192), None),
    (["-m", "1.0"], ok(MiB), None),
    (["-m", "1.0000000000000000000001"], ok(MiB), None),  # below 2^-64 the fraction is 0
    (["-m", "1.99999999999999999999G"], ok(GiB), None),  # the fraction rounds to 1.0, which converts to 0
    (["-m", "1." + "0" * 400 + "1KG"], ok(GiB), None),  # strtod underflows and QEMU skips the K
    (["-m", "1.1e-400KG"], ok(GiB), None),
    (["-m", "1.5e" + LONG + "G"], ok(8192), None),  # strtod overflows: the G is skipped, one byte
    (["-m", "1.5e+5G"], refuses(SIZE_INVALID), None),  # an exponent strtod could read
    (["-m", "18446744073709551616"], refuses("Value '18446744073709551616' is out of range for parameter 'size'"),
     None),
    (["-m", "-99999999999999999999"], refuses("is out of range for parameter 'size'"), None),
    (["-m", "16E"], refuses("Value '16E' is out of range for parameter 'size'"), None),
    (["-m", "99999999999999999999999M"], refuses(SIZE_INVALID), None),
    (["-m", LONG], refuses("is out of range for parameter 'size'"), None),
    (["-m", LONG + "M"], refuses(SIZE_INVALID), None),
    (["-m", "17592186044416"], refuses("Parameter 'memory.size' expects size"), None),  # 2^44 MiB
    (["-m", "18446744073709551615B"], ok(0), refuses("0 bytes of RAM")),  # QEMU_ALIGN_UP wraps to 0
    (["-m", "512M,slots=0"], refuses("slots specified but no max-size"), None),
    (["-m", "512M,slots=0x10,maxmem=1G"], ok(512 * MiB), None),
    (["-m", "512M,slots=-1,maxmem=1G"], refuses("unsupported amount of memory slots: 18446744073709551615"), None),
    (["-m", "512M,slots=99999999999999999999,maxmem=1G"],
     refuses("Value '99999999999999999999' is too large for parameter 'slots'"), None),
    (["-m", "512M,maxmem=1.5"], refuses("Parameter 'maxmem' expects a non-negative number below 2^64"), None),
    (["-m", "512M,maxmem= 1G"], ok(512 * MiB), None),
    # -machine (keyval)
    (["-M", "pc,max-ram-below-4g=abc"], refuses("Parameter 'max-ram-below-4g' expects size"), None),
    (["-M", "pc,max-ram-below-4g=" + LONG], refuses("Parameter 'max-ram-below-4g' expects size"), None),
    (["-M", "pc,max-ram-below-4g= 2G"], ok(DEFAULT_RAM), None),
    (["-M", "pc,max-ram-below-4g=5G"],
     refuses("Machine option 'max-ram-below-4g=5368709120' expects size less than or equal to 4G"), None),
    (["-M", "pc,smm=ON"], refuses("Parameter 'smm' does not accept value 'ON'"), None),
    (["-M", "pc,hpet=ON"], refuses("Parameter 'hpet' expects 'on' or 'off'"), None),
    (["-M", "pc,smbios-entry-point-type=16"], refuses("Parameter 'smbios-entry-point-type' does not accept value '16'"),
     None),
    (["-M", "pc,smm=auto,acpi=on,hpet=n,graphics=yes"], ok(DEFAULT_RAM), None),
    # -object memory-backend-ram
    (["-object", "memory-backend-ram,id=a,size=1.5"], refuses("Parameter 'size' expects a size value"), None),
    (["-object", "memory-backend-ram,id=a,size=" + LONG], refuses("Parameter 'size' expects a size value"), None),
    (["-object", "memory-backend-ram,id=a,size=0"],
     refuses("property 'size' of memory-backend-ram doesn't take value '0'"), None),
    (["-m", "1G", "-object", "memory-backend-ram,id=a,size=0x20000000", "-object",
      "memory-backend-ram,id=b,size= 512M", *NODES], ok(GiB), None),
    # -numa (OptsVisitor: parse_uint for unsigned fields, strtoll for the -numa cpu ids)
    (NUMA + ["-numa", "node,memdev=a,nodeid=0x0", "-numa", "node,memdev=b,nodeid= +1"], ok(GiB), None),
    (NUMA + ["-numa", "node,memdev=a,nodeid=-1", "-numa", "node,memdev=b"],
     refuses("Parameter 'nodeid' expects a uint64 value"), None),
    (NUMA + ["-numa", "node,memdev=a,nodeid=1_0", "-numa", "node,memdev=b"],
     refuses("Parameter 'nodeid' expects a uint64 value"), None),
    (NUMA + ["-numa", "node,memdev=a,nodeid=65536", "-numa", "node,memdev=b"],
     refuses("Parameter 'nodeid' expects uint16_t"), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=0x1-02", "-numa", "node,memdev=b"], ok(GiB, 4), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=1,cpus=2", "-numa", "node,memdev=b"], ok(GiB, 4), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=0-99999", "-numa", "node,memdev=b"],
     refuses("Parameter 'cpus' expects a uint64 value or range"), None),  # a range gives at most 65536
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=3-1", "-numa", "node,memdev=b"],
     refuses("Parameter 'cpus' expects a uint64 value or range"), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=-1", "-numa", "node,memdev=b"],
     refuses("Parameter 'cpus' expects a uint64 value or range"), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=", "-numa", "node,memdev=b"],
     refuses("Parameter 'cpus' expects a uint64 value or range"), None),
    (NUMA + ["-smp", "4", "-numa", "node,memdev=a,cpus=65530-65540", "-numa", "node,memdev=b"],
     refuses("expects uint16_t"), None),  # QEMU names the list element 'null'
    (NUMA + NODES + ["-numa", "dist,src=0,dst=1,val=0x14"], ok(GiB), None),
    (NUMA + NODES + ["-numa", "dist,src=0,dst=1,val=256"], refuses("Parameter 'val' expects uint8_t"), None),
    (NUMA + NODES + ["-numa", "dist,src=-1,dst=1,val=20"], refuses("Parameter 'src' expects a uint64 value"), None),
    (NUMA + NODES + ["-numa", "dist,src=200,dst=1,val=20"],
     refuses("Parameter 'src' expects an integer between 0 and 127"), None),
    (NUMA + NODES + ["-numa", "dist,src=70000,dst=1,val=20"], refuses("Parameter 'src' expects uint16_t"), None),
    (NUMA + ["-smp", "2,sockets=2"] + NODES + ["-numa", "cpu,node-id=0x1,socket-id=01"], ok(GiB, 2), None),
    (NUMA + ["-smp", "2,sockets=2"] + NODES + ["-numa", "cpu,node-id=1,socket-id=5"], refuses("no match found"),
     None),
    (NUMA + ["-smp", "2,sockets=2"] + NODES + ["-numa", "cpu,node-id=1,socket-id=-1"], refuses("no match found"),
     None),
    (NUMA + ["-smp", "2,sockets=2"] + NODES + ["-numa", "cpu,node-id=1,socket-id=x"],
     refuses("Parameter 'socket-id' expects an int64 value"), None),
    # QEMU reads nodes[-1] (out of bounds) and happens to accept it; we refuse.
    (NUMA + ["-smp", "2,sockets=2"] + NODES + ["-numa", "cpu,node-id=-1,socket-id=0"], ok(GiB, 2),
     refuses("Invalid node-id=-1")),
    # -smbios (QemuOpts numbers: qemu_strtou64 base 0, so -1 wraps)
    (["-smbios", "type=0,release=1.2.3"], ok(DEFAULT_RAM), None),  # sscanf("%hhu.%hhu") ignores the rest
    (["-smbios", "type=0,release=1"], refuses("Invalid release"), None),
    (["-smbios", "type=0,uefi=ON"], refuses("Parameter 'uefi' expects 'on' or 'off'"), None),
    (["-smbios", "type= 1,product=x"], ok(DEFAULT_RAM), None),
    (["-smbios", "type=4,max-speed=-1"], refuses("SMBIOS CPU speed is too large (> 65535)"), None),
    (["-smbios", "type=4,current-speed=0x10000"], refuses("SMBIOS CPU speed is too large (> 65535)"), None),
    (["-smbios", "type=4,processor-id=x"], refuses("Parameter 'processor-id' expects a number"), None),
    (["-smbios", "type=4,processor-id=18446744073709551616"],
     refuses("Value '18446744073709551616' is too large for parameter 'processor-id'"), None),
    (["-smbios", "type=17,speed=70000"], ok(DEFAULT_RAM), None),
    # -boot (keyval)
    (["-boot", "reboot-timeout=abc"], refuses("Parameter 'boot.reboot-timeout' expects integer"), None),
    (["-boot", "reboot-timeout=70000"],
     refuses("reboot timeout is invalid,it should be a value between -1 and 65535"), None),
    (["-boot", "splash-time=70000"], refuses("splash-time is invalid,it should be a value between 0 and 65535"),
     None),
    (["-boot", "menu=ON"], refuses("Parameter 'boot.menu' expects 'on' or 'off'"), None),
    (["-boot", "menu=yes,reboot-timeout=-1"], ok(DEFAULT_RAM), None),
    (["-boot", "menu=on,foo=1"], refuses("Parameter 'boot.foo' is unexpected"), None),
]


def case_id(args: list[str]) -> str:
    text = ascii(" ".join(args))[1:-1]
    return text if len(text) <= 60 else f"{text[:40]}...({len(text)})"


def ours(args: list[str]) -> tuple:
    """Our parser's verdict in the form of NUMBER_CASES."""
    try:
        m = MachineConfig.from_qemu_args(args)
    except MachineConfigError as error:
        return ("refuses", str(error))
    return ok(m.ram_size, m.topology.cpus, m.topology.maxcpus if m.machine == "microvm" else m.apic_id_limit)


def agrees(verdict: tuple, expected: tuple) -> bool:
    if expected[0] == "refuses":
        return verdict[0] == "refuses" and expected[1] in verdict[1]
    return verdict == expected


@pytest.mark.parametrize("args,qemu,differs", NUMBER_CASES, ids=[case_id(c[0]) for c in NUMBER_CASES])
def test_numbers_as_qemu_reads_them(args, qemu, differs):
    verdict = ours(args)
    assert agrees(verdict, differs or qemu), verdict
    if verdict[0] == "refuses":  # one short line, however long the argument
        assert "\n" not in verdict[1] and len(verdict[1]) < 400


FW_CFG_RAM_SIZE, FW_CFG_NB_CPUS, FW_CFG_MAX_CPUS = 0x03, 0x05, 0x0F  # docs/specs/fw_cfg.rst


def qemu_verdict(args: list[str], timeout: float = 20.0) -> tuple:
    """What QEMU 7.2 makes of `args`: the three fw_cfg selectors read over qtest port I/O (0x510/0x511) while
    the machine is stopped (-S), or its refusal. QEMU keeps running after qtest's stdin closes, so it is
    killed once the answers are in."""
    requests = []
    for selector, size in ((FW_CFG_RAM_SIZE, 8), (FW_CFG_NB_CPUS, 2), (FW_CFG_MAX_CPUS, 2)):
        requests += [f"outw 0x510 {selector:#x}"] + ["inb 0x511"] * size
    command = ["qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-S", "-monitor", "none",
               "-qtest", "stdio", "-qtest-log", "none", *args]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as qemu:
        timer = threading.Timer(timeout, qemu.kill)
        timer.start()
        try:
            with contextlib.suppress(BrokenPipeError):
                qemu.stdin.write("".join(r + "\n" for r in requests).encode())
                qemu.stdin.flush()
            # Closed here, where a QEMU that refused the command line and exited is expected: Popen's own close
            # at the end would flush into the broken pipe again and fail (seen under load).
            with contextlib.suppress(BrokenPipeError):
                qemu.stdin.close()
            answers = []
            for line in qemu.stdout:
                if line.startswith((b"OK", b"FAIL")):
                    answers.append(line.split())
                    if len(answers) == len(requests):
                        break
            qemu.kill()
            stderr = qemu.stderr.read().decode(errors="replace")
            returncode = qemu.wait()
        finally:
            timer.cancel()
    if len(answers) < len(requests):
        return ("crashes", -returncode) if returncode < 0 else ("refuses", stderr)
    data = bytes(int(a[1], 16) for a in answers if len(a) == 2)
    return ok(int.from_bytes(data[0:8], "little"), int.from_bytes(data[8:10], "little"),
              int.from_bytes(data[10:12], "little"))


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("args,qemu,differs", NUMBER_CASES, ids=[case_id(c[0]) for c in NUMBER_CASES])
def test_numbers_against_real_qemu(args, qemu, differs):
    assert agrees(qemu_verdict(args), qemu)
    assert agrees(ours(args), differs or qemu)


@pytest.mark.qemu
@needs_qemu
def test_smbios_numbers_reach_the_tables_as_qemu_stores_them():
    """The values QEMU 7.2 put in its SMBIOS tables, and the decimal ones we keep for the generators."""
    from qboot_tables.tools.qemu import capture
    args = ["-smbios", "type=0,vendor=v,release=300.-1", "-smbios",
            "type=4,max-speed=010,current-speed=0x10,processor-id=-1", "-smbios", "type=17,speed=70000"]
    tables = capture(args, timeout=30).files["etc/smbios/smbios-tables"]
    found, offset = {}, 0
    while offset < len(tables):
        kind, length = tables[offset], tables[offset + 1]
        found.setdefault(kind, tables[offset:offset + length])
        offset = tables.index(b"\0\0", offset + length) + 2
    # SMBIOS 3.x: type 0 release at 0x14/0x15, type 4 ID at 0x08 and speeds at 0x14/0x16, type 17 speed at 0x15.
    assert (found[0][0x14], found[0][0x15]) == (44, 255)
    assert int.from_bytes(found[4][0x08:0x10], "little") == (1 << 64) - 1
    assert (int.from_bytes(found[4][0x14:0x16], "little"), int.from_bytes(found[4][0x16:0x18], "little")) == (8, 16)
    assert int.from_bytes(found[17][0x15:0x17], "little") == 70000 & 0xFFFF
    m = MachineConfig.from_qemu_args(args)
    assert m.smbios_fields[0]["release"] == "44.255"
    assert m.smbios_fields[4] == {"max-speed": "8", "current-speed": "16", "processor-id": str((1 << 64) - 1)}
    assert m.smbios_processor_id == (1 << 64) - 1
    assert m.smbios_fields[17]["speed"] == str(70000 & 0xFFFF)


# ---- the parsers themselves, and hostile text

def test_number_parsers_values():
    assert parse_size("0x10M", "x") == 16 << 20
    assert parse_size("1.5k", "x") == 1536
    assert parse_size("1.k", "x") == 1024  # no digits after the point: the point is skipped
    assert parse_size("0.5K", "x") == 512 and parse_size("0.0005K", "x") == 1  # the exact product, rounded half up
    assert parse_size(" +7", "x") == 7
    assert parse_int("-0x10", "x", "p") == -16 and parse_int("010", "x", "p") == 8
    assert parse_number("-1", "x", "p") == (1 << 64) - 1  # strtoull negates in 64 bits
    assert parse_uint("0x10", "x", "p", 16) == 16
    assert parse_cpu_list("0x1-02", "x") == [1, 2] and parse_cpu_list(" 3", "x") == [3]
    assert parse_release(" 300. -1junk", "x") == (44, 255)
    assert parse_release("99999999999999999999999.1", "x") == (255, 1)  # strtoul's ULONG_MAX, low 8 bits


@pytest.mark.parametrize("text", ["\uff14", "\u0664", "1_0", "4 ", "4\n", "", "+", "-", " ", "0x", "0x-1", "4\x00",
                                  "\u00a04", "1e3", "9" * 100_000])
def test_number_parsers_take_only_c_syntax(text):
    for parse in (lambda: parse_int(text, "-x", "p"), lambda: parse_number(text, "-x", "p"),
                  lambda: parse_uint(text, "-x", "p"), lambda: parse_size(text, "-x"),
                  lambda: parse_cpu_list(text, "-x")):
        with pytest.raises(MachineConfigError) as info:
            parse()
        assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_quote_is_short_single_line_and_shows_what_is_unusual():
    assert quote("512M") == "'512M'"
    assert quote("a'b\\c") == "'a\\'b\\\\c'"
    assert quote("\uff14\n") == "'\\uff14\\n'"  # a full-width 4 cannot pass for a 4
    long = quote("\x01" * 100_000)
    assert len(long) < 120 and long.endswith("' (100000 characters)") and "..." in long


HUGE, HUGE_DIGITS = "x" * 100_000, "9" * 100_000
HOSTILE = [
    [HUGE], ["-" + HUGE], ["-m", HUGE], ["-m", HUGE_DIGITS], ["-m", "1G," + HUGE + "=1"],
    ["-m", "1G,maxmem=" + HUGE_DIGITS], ["-m", "1G,slots=" + HUGE_DIGITS + ",maxmem=2G"], ["-smp", HUGE],
    ["-smp", HUGE_DIGITS], ["-smp", "4," + HUGE + "=1"], ["-M", HUGE], ["-M", "pc," + HUGE + "=1"],
    ["-M", "pc,smm=" + HUGE], ["-M", "pc,hpet=" + HUGE], ["-M", "pc,accel=" + HUGE],
    ["-M", "pc,max-ram-below-4g=" + HUGE_DIGITS], ["-M", "pc,smbios-entry-point-type=" + HUGE],
    ["-cpu", HUGE], ["-cpu", "qemu64," + HUGE], ["-numa", HUGE], ["-numa", "node," + HUGE + "=1"],
    ["-numa", "node,memdev=" + HUGE], ["-numa", "node,cpus=" + HUGE_DIGITS], ["-numa", "node,nodeid=" + HUGE_DIGITS],
    ["-numa", "dist,src=" + HUGE_DIGITS + ",dst=0,val=10"], ["-numa", "cpu,node-id=" + HUGE_DIGITS],
    ["-object", HUGE], ["-object", "memory-backend-ram,id=" + HUGE],
    ["-object", "memory-backend-ram,id=a," + HUGE + "=1"],
    ["-object", "memory-backend-ram,id=a,size=" + HUGE_DIGITS], ["-smbios", "type=" + HUGE_DIGITS],
    ["-smbios", "type=0,release=" + HUGE], ["-smbios", "type=1," + HUGE + "=1"], ["-smbios", "type=1,uuid=" + HUGE],
    ["-smbios", "type=4,processor-id=" + HUGE_DIGITS], ["-smbios", "type=4,max-speed=" + HUGE_DIGITS],
    ["-device", HUGE], ["-device", "vmgenid,guid=" + HUGE], ["-uuid", HUGE], ["-accel", HUGE], ["-boot", HUGE + "=1"],
    ["-boot", "splash-time=" + HUGE_DIGITS], ["-boot", "menu=" + HUGE],
]


@pytest.mark.parametrize("args", HOSTILE, ids=[case_id(a) for a in HOSTILE])
def test_refusals_quote_at_most_about_80_characters(args):
    with pytest.raises(MachineConfigError) as info:
        MachineConfig.from_qemu_args(args)
    message = str(info.value)
    assert "\n" not in message and len(message) < 1000, message
    assert "x" * 90 not in message and "9" * 90 not in message, message


@pytest.mark.parametrize("args", [None, 5, "-m 1G", ["-m", 5], ["-m", b"1G"], ["-m", "1G\x00"]], ids=repr)
def test_library_callers_get_typed_errors(args):
    with pytest.raises(MachineConfigError):
        MachineConfig.from_qemu_args(args)


NUMBERISH = st.one_of(
    st.integers(-(2 ** 70), 2 ** 70).map(str), st.integers(0, 2 ** 70).map(hex),
    st.text(alphabet="0123456789abcdefxX.+-_ eEkKmMgGtTpPbB\t\u00a0\uff14\u0664", max_size=24),
    st.integers(1, 6000).map(lambda n: "9" * n), st.integers(1, 6000).map(lambda n: "0" * n + "1"),
)


def option_with(option: str, prefix: str, keys) -> st.SearchStrategy:
    return st.lists(st.tuples(st.sampled_from(keys), NUMBERISH), max_size=3).map(
        lambda pairs: [option, ",".join(([prefix] if prefix else []) + [f"{k}={v}" for k, v in pairs])])


COMMAND_PARTS = st.one_of(
    NUMBERISH.map(lambda v: ["-smp", v]), option_with("-smp", "", SMP_KEYS), st.text(max_size=12).map(
        lambda v: ["-smp", v]),
    NUMBERISH.map(lambda v: ["-m", v]), option_with("-m", "1G", ("slots", "maxmem")),
    option_with("-M", "pc", ("max-ram-below-4g",)), option_with("-M", "q35", ("max-ram-below-4g",)),
    st.just(["-object", "memory-backend-ram,id=a,size=512M"]),
    option_with("-object", "memory-backend-ram,id=b", ("size",)),
    option_with("-numa", "node,memdev=a", ("nodeid", "cpus")), option_with("-numa", "dist", ("src", "dst", "val")),
    option_with("-numa", "cpu", ("node-id", "socket-id", "core-id", "thread-id", "die-id")),
    option_with("-smbios", "type=4", ("max-speed", "current-speed", "processor-id")),
    option_with("-smbios", "type=17", ("speed",)), option_with("-smbios", "type=0", ("release",)),
    option_with("-boot", "", ("splash-time", "reboot-timeout")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(COMMAND_PARTS, max_size=4))
def test_any_numbers_give_a_machine_or_a_typed_error(parts):
    args = [arg for part in parts for arg in part]
    try:
        m = MachineConfig.from_qemu_args(args)
    except MachineConfigError as error:
        assert "\n" not in str(error) and len(str(error)) < 400
        return
    assert 1 <= m.topology.cpus <= m.topology.maxcpus <= 288 and len(m.cpus) == m.topology.maxcpus
    assert m.ram_size > 0 and m.ram_size % 8192 == 0
    # What the generators read from it can be computed too.
    assert m.apic_id_limit >= 1 and m.below_4g_mem + m.above_4g_mem == m.ram_size
    assert m.device_memory is None or m.device_memory[1] > 0
    assert 0 <= m.smbios_processor_id < 1 << 64


def test_kvm_rules_for_the_viommu():
    # x86-iommu.c x86_iommu_realize: under KVM's default kernel-irqchip=on, intremap=auto is off; under TCG, on.
    assert not machine("-M", "q35", "-enable-kvm", "-device", "intel-iommu").iommu.intremap
    assert machine("-M", "q35", "-device", "intel-iommu").iommu.intremap
    assert machine("-M", "q35", "-accel", "kvm,kernel-irqchip=off", "-device", "amd-iommu").iommu.intremap
    # With the split irqchip, intel-iommu's eim=auto turns on, which the DMAR shows and we do not model.
    with pytest.raises(MachineConfigError, match="eim"):
        machine("-M", "q35,kernel-irqchip=split", "-accel", "kvm", "-device", "intel-iommu")


def test_the_accelerator_is_read_from_every_option_that_names_it():
    assert machine().accel == machine("-accel", "tcg,thread=single").accel == "tcg"
    assert {machine(*args).accel for args in (["-enable-kvm"], ["-accel", "kvm"], ["-M", "pc,accel=kvm"],
                                               ["-accel", "kvm", "-enable-kvm"], ["-M", "pc,accel=kvm:tcg"],
                                               ["-accel", "kvm", "-accel", "tcg"])} == {"kvm"}
    # The first accelerator named that starts is the one (softmmu/vl.c); TCG always starts.
    assert machine("-accel", "tcg", "-accel", "kvm").accel == "tcg"
    # Under TCG kernel-irqchip= is ignored whatever its value (QEMU 7.2 measured with kernel-irqchip=foo).
    assert machine("-M", "q35,kernel-irqchip=foo", "-device", "intel-iommu").iommu.intremap
