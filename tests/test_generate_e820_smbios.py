"""Generated e820, SMBIOS and fw_cfg selectors: byte for byte against QEMU 7.2, and sane beyond what TCG runs."""
from __future__ import annotations

import glob
import os
import re
import shutil

import pytest

from qboot_tables.tools import dmidecode
from qboot_tables.errors import parse
from qboot_tables.findings import ERROR
from qboot_tables.generate.e820 import build_e820, e820_entries, ram_ranges
from qboot_tables.generate.selectors import build_selectors
from qboot_tables.generate.smbios import build_smbios
from qboot_tables.generate.machine import MachineConfig, MachineConfigError
from qboot_tables.generate.machine import cmdline
from qboot_tables.schemas import e820 as E
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios import mapped_ranges, place_smbios, split_structures, validate_smbios
from qboot_tables.read.snapshot import read_capture

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(REPO, "fixtures", "qemu-7.2", "*",
                                                                     "fw_cfg.json")))
HAVE_QEMU = shutil.which("qemu-system-x86_64") is not None
needs_qemu = pytest.mark.skipif(not HAVE_QEMU, reason="qemu-system-x86_64 is not installed")
needs_dmidecode = pytest.mark.skipif(shutil.which("dmidecode") is None, reason="dmidecode not installed")
# Where SeaBIOS would place them; any addresses below 4 GiB do.
TABLE_ADDRESS, ENTRY_ADDRESS = 0x1FFFE000, 0xF5A90


def machine(*args: str) -> MachineConfig:
    return MachineConfig.from_qemu_args(list(args))


def assert_same_structures(generated: bytes, captured: bytes) -> None:
    """Byte equality, reported per structure so a mismatch names the type and handle."""
    ours, theirs = split_structures(generated), split_structures(captured)
    for a, b in zip(ours, theirs):
        assert (a.type, a.handle, a.raw.hex()) == (b.type, b.handle, b.raw.hex())
    assert [(s.type, s.handle) for s in ours] == [(s.type, s.handle) for s in theirs]
    assert generated == captured


def check_against_capture(m: MachineConfig, snapshot) -> None:
    assert build_e820(m) == snapshot.files["etc/e820"]
    assert build_selectors(m) == dict(snapshot.selectors)
    if m.has_smbios:
        anchor, tables = build_smbios(m)
        assert_same_structures(tables, snapshot.files["etc/smbios/smbios-tables"])
        assert anchor == snapshot.files["etc/smbios/smbios-anchor"]
    else:
        assert "etc/smbios/smbios-tables" not in snapshot.files


# ---- every fixture captured from QEMU 7.2

@pytest.mark.parametrize("path", FIXTURES, ids=os.path.basename)
def test_fixture_reproduced_byte_for_byte(path):
    snapshot = read_capture(path)
    check_against_capture(MachineConfig.from_qemu_args(snapshot.origin["qemu"]["args"]), snapshot)


# ---- more command lines against the installed QEMU 7.2: dies, sockets, DIMM splits, CPU models, -smbios

QEMU_CASES = [
    ["-smp", "2,sockets=2,cores=2,maxcpus=4"],  # one type 4 per socket, present or not
    ["-M", "pc,smbios-entry-point-type=64", "-smp", "8,sockets=2,dies=2,cores=2"],  # cores per socket = 4
    ["-smp", "8,sockets=1,dies=2,cores=2,threads=2"],  # threads per socket = 8
    ["-M", "q35", "-m", "18G"],  # two DIMMs, RAM above 4G
    ["-M", "q35,smbios-entry-point-type=64", "-m", "17G", "-smbios", "type=1,manufacturer="],
    ["-M", "q35", "-m", "3G", "-cpu", "EPYC"],
    ["-M", "pc", "-m", "5G", "-cpu", "Haswell"],  # Intel: no HT hole
    ["-M", "q35", "-m", "2G", "-cpu", "qemu32"],
    ["-M", "q35", "-m", "5G", "-cpu", "athlon"],  # AMD but 36 physical address bits: no HT hole
    ["-M", "pc-i440fx-7.0", "-m", "4G"],  # before the HT hole
    ["-M", "pc-q35-6.1", "-smp", "4,maxcpus=8"],
    ["-M", "pc", "-m", "1G,slots=4,maxmem=32G"],
    ["-M", "pc,max-ram-below-4g=2G", "-m", "3G"],
    ["-M", "pc", "-smp", "255"],
    ["-M", "microvm", "-m", "4G", "-smp", "3"],
    ["-uuid", "12345678-9abc-def0-1234-56789abcdef0", "-nographic", "-boot", "menu=on"],
    ["-M", "pc,hpet=off", "-no-hpet"],
    ["-smbios", "type=0,vendor=Foo,version=1.2,date=01/02/2003,release=4.5,uefi=on",
     "-smbios", "type=1,uuid=00112233-4455-6677-8899-aabbccddeeff,sku=S,family=F,version=V"],
    ["-smbios", "type=2,manufacturer=M,location=L", "-smbios", "type=3,serial=S3,asset=A3,sku=K3",
     "-smbios", "type=4,sock_pfx=Sock,max-speed=3000,current-speed=2500,serial=s,asset=a,part=p,processor-id=0x1234",
     "-smbios", "type=17,loc_pfx=Slot,bank=B,speed=2400,part=P", "-smp", "4,sockets=4"],
    ["-m", "1G", "-smp", "8,sockets=2,cores=2,threads=2", "-object", "memory-backend-ram,id=a,size=512M",
     "-object", "memory-backend-ram,id=b,size=512M", "-numa", "node,memdev=a", "-numa", "node,memdev=b"],
    # SMBIOS type 41 gives the devfn of pcidev= as QEMU placed it: pc without ACPI has no PIIX4 PM function,
    # -netdev drops the default NIC and -device VGA the default VGA, -drive if=virtio comes after -device.
    ["-M", "pc,acpi=off", "-device", "virtio-rng-pci,id=r", "-smbios", "type=41,pcidev=r,designation=x"],
    ["-netdev", "user,id=n", "-device", "VGA", "-device", "virtio-rng-pci,id=r", "-smbios", "type=41,pcidev=r"],
    ["-M", "q35", "-drive", "if=virtio,file=/dev/null,format=raw", "-device", "virtio-rng-pci,id=r",
     "-smbios", "type=41,pcidev=r,kind=sas,instance=300", "-smbios", "type=11,value=only"],
    # Type 41 names a function above 0 by its whole devfn: one in PIIX3's slot, one in a multifunction slot.
    ["-M", "pc", "-device", "virtio-rng-pci,id=r,addr=1.5", "-smbios", "type=41,pcidev=r"],
    ["-M", "q35", "-device", "e1000,addr=4.0,multifunction=on", "-device", "virtio-rng-pci,id=r,addr=4.3",
     "-smbios", "type=41,pcidev=r,kind=other"],
]


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("args", QEMU_CASES, ids=" ".join)
def test_real_qemu_byte_for_byte(args):
    from qboot_tables.tools.qemu import capture
    check_against_capture(MachineConfig.from_qemu_args(args), capture(args))


def smbios_files(directory) -> dict[str, str]:
    """-smbios file= blobs (SMBIOS 3.6 §6.1.2 layout: type, length, handle, formatted area, strings): a type 2,
    a type 1 to replace QEMU's, a type 3 followed by an OEM type 200 in one file, a type 4, and 2 bytes."""
    blobs = {
        "t2": bytes([2, 8]) + (0x1234).to_bytes(2, "little") + bytes([1, 0, 0, 0]) + b"Board Maker\0\0",
        "t1": bytes([1, 27]) + (0x0101).to_bytes(2, "little") + bytes([1, 2, 0, 0]) + bytes(16) + bytes([6, 0, 0])
        + b"Acme\0Box\0\0",
        "t3oem": bytes([3, 9]) + (0x0300).to_bytes(2, "little") + bytes([1, 1, 0, 0, 0]) + b"Case\0\0"
        + bytes([200, 5]) + (0xC800).to_bytes(2, "little") + bytes([7]) + b"\0\0",
        "t4": bytes([4, 26]) + (0x0400).to_bytes(2, "little") + bytes(22) + b"\0\0",
        "tiny": b"\x01\x02",
    }
    for name, data in blobs.items():
        (directory / name).write_bytes(data)
    return {name: f"file={directory / name}" for name in blobs}


@pytest.mark.qemu
@needs_qemu
def test_smbios_files_as_qemu_places_them(tmp_path):
    # A file goes in ahead of QEMU's structures, counts as one structure in the 2.1 entry point whatever it holds,
    # and stands for every structure of the type it starts with; on a legacy machine it is a table entry.
    from qboot_tables.tools.qemu import capture
    f = smbios_files(tmp_path)
    for args in (["-M", "q35", "-smbios", f["t2"]],
                 ["-smbios", f["t1"], "-smbios", f["t3oem"], "-smbios", "type=0,vendor=V"],
                 ["-M", "q35,smbios-entry-point-type=64", "-smbios", f["t3oem"]],
                 ["-smp", "2,sockets=2", "-smbios", f["t4"], "-smbios", f["t4"]],
                 ["-M", "pc-i440fx-2.0", "-smbios", f["t2"], "-smbios", "type=1,serial=S"]):
        check_against_capture(MachineConfig.from_qemu_args(args), capture(args))
    [oem] = [s for s in split_structures(build_smbios(machine("-smbios", f["t3oem"]))[1]) if s.type == 200]
    assert oem.handle == 0xC800


@pytest.mark.qemu
@needs_qemu
def test_smbios_file_refusals_are_qemus(tmp_path):
    from qboot_tables.errors import CaptureError
    from qboot_tables.tools.qemu import capture
    f = smbios_files(tmp_path)
    for args, words in ((["-smp", "2,sockets=2", "-smbios", f["t4"]], "Expected 2 SMBIOS Type 4 tables, got 1"),
                        (["-smbios", f["tiny"]], "Cannot read SMBIOS file"),
                        (["-smbios", f"file={tmp_path / 'none'}"], "Cannot read SMBIOS file"),
                        (["-smbios", "type=2,product=P", "-smbios", f["t2"]], "can't load type 2 struct"),
                        (["-smbios", f["t2"], "-smbios", "type=2,product=P"], "binary file already loaded"),
                        (["-smbios", f["t2"] + ",type=2"], "Invalid parameter 'type'")):
        with pytest.raises(MachineConfigError, match=re.escape(words)):
            MachineConfig.from_qemu_args(args)
        with pytest.raises(CaptureError, match=re.escape(words)):
            capture(args)


def test_arguments_that_are_not_utf8_keep_their_bytes():
    # Python decodes argv with surrogateescape; QEMU copies the bytes: both SMBIOS layouts and the OEM ID keep them.
    from qboot_tables.generate.smbios import legacy_smbios_entries
    text = b"M\xff\xfe".decode("utf-8", "surrogateescape")
    legacy = MachineConfig.from_qemu_args(["-M", "pc-i440fx-2.0", "-smbios", f"type=1,manufacturer={text}"])
    assert b"M\xff\xfe\0" in legacy_smbios_entries(legacy)
    m = MachineConfig.from_qemu_args(["-M", f"q35,x-oem-id={text}", "-smbios", f"type=1,manufacturer={text}"])
    assert [s.strings[0] for s in split_structures(build_smbios(m)[1]) if s.type == 1] == [b"M\xff\xfe"]


@pytest.mark.qemu
@needs_qemu
def test_oem_strings_from_files_as_qemu_reads_them(tmp_path):
    # -smbios type=11,path= is the file's bytes, not UTF-8 and with a newline here, in order among the value=s.
    from qboot_tables.tools.qemu import capture
    (tmp_path / "oem").write_bytes(b"line one\nline \xff two")
    args = ["-M", "q35", "-smbios", f"type=11,value=a,path={tmp_path / 'oem'},value=b"]
    m = MachineConfig.from_qemu_args(args)
    check_against_capture(m, capture(args))
    [oem] = [s for s in split_structures(build_smbios(m)[1]) if s.type == 11]
    assert oem.strings == [b"a", b"line one\nline \xff two", b"b"]
    (tmp_path / "nul").write_bytes(b"a\0b")
    with pytest.raises(MachineConfigError, match="NUL in OEM strings value in"):
        MachineConfig.from_qemu_args(["-smbios", f"type=11,path={tmp_path / 'nul'}"])


# ---- e820

def test_e820_order_and_amd_hole():
    entries = e820_entries(machine("-M", "q35", "-m", "4G"))
    # pc.c adds the HT hole before the RAM and QEMU never sorts the table.
    assert [(e["address"], e["length"], e["type"]) for e in entries] == [
        (0xFD_0000_0000, 0x3_0000_0000, E.E820_RESERVED), (0, 2 << 30, E.E820_RAM), (4 << 30, 2 << 30, E.E820_RAM)]
    parsed = parse(E.e820_table, build_e820(machine("-M", "q35", "-m", "4G")), "etc/e820")
    assert len(parsed.entries) == 3 and parsed.extra == b""
    assert [e["type"] for e in e820_entries(machine("-cpu", "Haswell"))] == [E.E820_RAM]
    assert ram_ranges(machine("-M", "microvm", "-m", "4G")) == [(0, 3 << 30), (4 << 30, 1 << 30)]


# ---- beyond what TCG boots: 288 CPUs (x2APIC), 255 CPUs, big memory

def placed(m: MachineConfig):
    anchor, tables = build_smbios(m)
    return place_smbios(anchor, tables, TABLE_ADDRESS, ENTRY_ADDRESS)


def type4(smbios):
    return [s.parsed.body for s in smbios.of_type(4)]


def test_host_cpu_vendor_is_cpuinfos(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n")
    assert cmdline.host_cpu_vendor(str(cpuinfo)) == "AuthenticAMD"
    with pytest.raises(MachineConfigError, match="vendor is unknown"):
        cmdline.host_cpu_vendor(str(tmp_path / "missing"))


@pytest.mark.parametrize("entry_point,host_vendor", [("32", "AuthenticAMD"), ("64", "GenuineIntel")])
def test_288_cpus_x2apic(entry_point, host_vendor):
    # Under KVM the CPU takes the host's vendor whatever -cpu says, so the host decides the AMD hole.
    m = MachineConfig.from_qemu_args(["-M", f"q35,smbios-entry-point-type={entry_point}", "-smp", "1,maxcpus=288",
                                      "-accel", "kvm"], host_cpu_vendor=host_vendor)
    sel = build_selectors(m)
    assert (sel["nb_cpus"], sel["max_cpus"]) == (1, 288)
    assert sel["numa"] == {"nodes": 0, "apic_node": [], "node_mem": []}
    # KVM's identity map and TSS pages (target/i386/kvm/kvm.c), the AMD HyperTransport hole on an AMD host, RAM.
    hole = [(0xFD_0000_0000, E.E820_RESERVED)] if host_vendor == "AuthenticAMD" else []
    assert [(e["address"], e["type"]) for e in e820_entries(m)] == [
        (0xFEFFC000, E.E820_RESERVED), *hole, (0, E.E820_RAM)]
    smbios = placed(m)
    assert not [f for f in validate_smbios(smbios) if f.severity == ERROR]
    (cpu,) = type4(smbios)  # one socket of 288 cores
    # §7.5.6-§7.5.8: counts above 255 read FFh, and the 3.0 structure carries them in the _2 fields.
    assert (cpu.core_count, cpu.core_enabled, cpu.thread_count) == (0xFF, 0xFF, 0xFF)
    if entry_point == "64":
        assert smbios.of_type(4)[0].length == 0x30
        assert (cpu.core_count_2, cpu.core_enabled_2, cpu.thread_count_2) == (288, 288, 288)
    else:
        assert smbios.of_type(4)[0].length == 0x2A and cpu.core_count_2 is None
    assert mapped_ranges(smbios) == [(a, a + n) for a, n in ram_ranges(m)]


def test_255_cpus():
    m = machine("-M", "pc", "-smp", "255")
    (cpu,) = type4(placed(m))
    assert (cpu.core_count, cpu.core_enabled, cpu.thread_count) == (255, 255, 255)  # 255 fits the byte
    assert build_selectors(m)["max_cpus"] == 255
    m = machine("-M", "q35", "-smp", "255,sockets=5,cores=51", "-accel", "kvm")  # APIC IDs past 254: KVM only
    cpus = type4(placed(m))
    assert len(cpus) == 5 and {(c.core_count, c.thread_count) for c in cpus} == {(51, 51)}
    assert [s.strings[0] for s in placed(m).of_type(4)] == [b"CPU 0", b"CPU 1", b"CPU 2", b"CPU 3", b"CPU 4"]
    # APIC IDs are sparse (6 bits of cores), so the limit passes 255 though there are only 255 CPUs.
    assert build_selectors(m)["max_cpus"] == (4 << 6) + 51


def test_sixteen_sockets_use_hex_socket_numbers():
    names = [s.strings[0] for s in placed(machine("-smp", "17,sockets=17")).of_type(4)]
    assert names[9:11] == [b"CPU 9", b"CPU a"] and names[16] == b"CPU10"  # smbios.c "%s%2x"


def test_big_memory_dimms_and_ranges():
    m = machine("-M", "q35", "-m", "900G")
    smbios = placed(m)
    dimms = smbios.of_type(17)
    assert len(dimms) == 57  # 56 of 16 GiB and one of 4 GiB
    sizes = [d.parsed.body for d in dimms]
    # 16384 MiB is below 7FFFh, so DIMMs never need extended_size (smbios.c MAX_T17_STD_SZ).
    assert {(b.size, b.extended_size) for b in sizes[:-1]} == {(16 << 10, 0)}
    assert (sizes[-1].size, sizes[-1].extended_size) == (4 << 10, 0)
    assert [d.handle for d in dimms] == list(range(0x1100, 0x1100 + 57))
    (array,) = [s.parsed.body for s in smbios.of_type(16)]
    assert (array.maximum_capacity, array.number_of_memory_devices) == (900 << 20, 57)
    assert mapped_ranges(smbios) == [(0, 2 << 30), (4 << 30, (4 << 30) + (898 << 30))]
    assert [s.handle for s in smbios.of_type(19)] == [0x1300, 0x1301]


def test_four_numa_nodes_selectors():
    args = ["-M", "q35", "-m", "4G", "-smp", "8,sockets=4,cores=2"]
    for i in range(4):
        args += ["-object", f"memory-backend-ram,id=m{i},size=1G", "-numa", f"node,memdev=m{i}"]
    sel = build_selectors(MachineConfig.from_qemu_args(args))
    assert sel["numa"] == {"nodes": 4, "apic_node": [0, 0, 1, 1, 2, 2, 3, 3], "node_mem": [1 << 30] * 4}


def test_sparse_apic_ids_read_node_0():
    args = ["-m", "1G", "-smp", "6,sockets=2,cores=3", "-object", "memory-backend-ram,id=a,size=512M",
            "-object", "memory-backend-ram,id=b,size=512M", "-numa", "node,memdev=a", "-numa", "node,memdev=b"]
    # APIC IDs 0-2 and 4-6: ID 3 belongs to no CPU and reads 0 (hw/i386/fw_cfg.c zero-fills).
    assert build_selectors(MachineConfig.from_qemu_args(args))["numa"]["apic_node"] == [0, 0, 0, 0, 1, 1, 1]


def test_smbios_refusals():
    with pytest.raises(MachineConfigError, match="no SMBIOS"):
        build_smbios(machine("-M", "microvm"))
    long_name = "M" * 250
    with pytest.raises(MachineConfigError, match="SMBIOS 2.1 table length .* exceeds 65535"):
        build_smbios(machine("-M", "q35", "-accel", "kvm", "-smp", "288,sockets=288",
                             "-smbios", f"type=4,manufacturer={long_name}"))
    anchor, tables = build_smbios(machine("-M", "q35,smbios-entry-point-type=64,accel=kvm", "-smp", "288,sockets=288",
                                          "-smbios", f"type=4,manufacturer={long_name}"))
    assert len(tables) > 0xFFFF and anchor.startswith(S.ANCHOR_30)  # 3.0 has a 32-bit maximum size


def test_empty_strings_and_string_numbering():
    (system,) = placed(machine("-smbios", "type=1,manufacturer=,serial=SN")).of_type(1)
    # An empty string takes index 0 and no slot; the others are numbered in QEMU's order.
    assert system.parsed.body.manufacturer == 0
    assert system.strings == [b"Standard PC (i440FX + PIIX, 1996)", b"pc-i440fx-7.2", b"SN"]
    assert system.parsed.body.serial_number == 3


@needs_dmidecode
@pytest.mark.parametrize("args", [
    ["-M", "q35,smbios-entry-point-type=64", "-smp", "1,maxcpus=288", "-accel", "kvm"],
    ["-M", "q35", "-smp", "12,sockets=2,dies=3,threads=2", "-m", "40G"],
    ["-smbios", "type=0,vendor=V,release=1.2", "-smbios", "type=2,product=P", "-smbios", "type=17,speed=3200"],
], ids=" ".join)
def test_dmidecode_reads_generated_tables(args, tmp_path):
    smbios = placed(MachineConfig.from_qemu_args(args))
    path = str(tmp_path / "dump.bin")
    dmidecode.write_dump_bin(smbios, path)
    result = dmidecode.run_from_dump(path)
    assert result.ok, (result.warnings, result.errors)
    assert len(result.handles) == len(smbios.structures)
    cpu = result.of_type(4)[0].fields
    m = MachineConfig.from_qemu_args(args)
    assert cpu["Core Count"] == str(m.cores_per_socket) and cpu["Thread Count"] == str(m.threads_per_socket)


@needs_dmidecode
def test_dmidecode_reads_generated_oem_strings_and_onboard_devices(tmp_path):
    # dmidecode 3.4 as the outside reader of types 11 and 41 (the bytes equal QEMU's: fixtures/qemu-7.2/
    # *-smbios-oem-onboard). QEMU counts an empty value= but adds no string for it, so dmidecode finds the
    # count one past the strings: that is QEMU 7.2's table, reproduced, not a generator bug.
    smbios = placed(machine("-M", "q35", "-device", "e1000,id=nic1,addr=0x7",
                            "-smbios", "type=11,value=a,value=,value=b",
                            "-smbios", "type=41,designation=LAN,kind=ethernet,instance=2,pcidev=nic1"))
    path = str(tmp_path / "dump.bin")
    dmidecode.write_dump_bin(smbios, path)
    result = dmidecode.run_from_dump(path)
    assert (result.warnings, result.errors) == (["String 3: <BAD INDEX>"], [])
    [oem] = result.of_type(11)
    assert [line for line in oem.lines if line.startswith("String")] == ["String 1: a", "String 2: b",
                                                                     "String 3: <BAD INDEX>"]
    [onboard] = result.of_type(41)
    assert onboard.fields["Reference Designation"] == "LAN" and onboard.fields["Type"] == "Ethernet"
    assert onboard.fields["Status"] == "Enabled" and onboard.fields["Type Instance"] == "2"
    assert onboard.fields["Bus Address"] == "0000:00:07.0"
