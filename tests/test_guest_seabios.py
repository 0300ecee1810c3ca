"""Boot Debian's Linux under SeaBIOS: the tables it finds must be the ones our loader and walker produce."""
from __future__ import annotations

import os
import stat

import pytest

from harness import guest
from qboot_tables.tools import dmidecode
from qboot_tables.tools import qemu
from qboot_tables.errors import CaptureError
from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES, link
from qboot_tables.smbios import parse_entry_point, place_smbios
from qboot_tables.read.walk import placement_for_addresses, walk_image

from conftest import (assert_dmidecode_sees, assert_linux_sees_the_linked_set, dmesg_e820, guest_memmap,
                      guest_snapshot, report_boot_time)
from test_guest_generated import ACPI_COMPLAINT, PC_WITHOUT_MMCONFIG

CPUS = 4
# Two machines: pc with 4 CPUs, and q35 with 2 sockets of 2 cores, one NUMA node per socket (SRAT and SLIT).
MACHINES = {
    "pc-smp4": ["-M", "pc", "-smp", str(CPUS)],
    "q35-2sockets-2cores-numa": [
        "-M", "q35", "-smp", f"{CPUS},sockets=2,cores=2", "-m", "512M",
        "-object", "memory-backend-ram,id=mem0,size=256M", "-object", "memory-backend-ram,id=mem1,size=256M",
        "-numa", "node,nodeid=0,memdev=mem0,cpus=0-1", "-numa", "node,nodeid=1,memdev=mem1,cpus=2-3",
        "-numa", "dist,src=0,dst=1,val=21"],
}
# NUMA node -> CPUs, as Linux must derive them from the SRAT.
NODE_CPUS = {"pc-smp4": {0: [0, 1, 2, 3]}, "q35-2sockets-2cores-numa": {0: [0, 1], 1: [2, 3]}}
# A guest takes 15 to 30 s here under TCG; the bound only stops a hung guest.
BOOT_TIMEOUT = 180
# Files the host capture and the guest see differently on purpose: the guest boots with -kernel, which adds
# the linuxboot option ROM and names it in bootorder.
KERNEL_BOOT_FILES = {"bootorder", "genroms/linuxboot_dma.bin"}


@pytest.fixture(scope="module", params=sorted(MACHINES))
def machine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def booted(request, machine, guest_assets, tmp_path_factory):
    """One SeaBIOS boot per machine, shared by the tests below; its work dir (disk, initramfs) is kept."""
    workdir = tmp_path_factory.mktemp(machine)
    report = guest.boot_guest(MACHINES[machine], timeout=BOOT_TIMEOUT, assets=guest_assets, workdir=str(workdir))
    report_boot_time(request, f"{machine}: Linux booted under SeaBIOS and powered off in "
                              f"{report.boot_seconds:.1f} s (TCG)")
    return report


@pytest.fixture(scope="module")
def host_capture(booted):
    """The same machine, virtio disk included, captured on the host over qtest."""
    return qemu.capture(booted.machine_args)


@pytest.mark.guest
def test_every_cpu_online_and_no_acpi_errors(booted, machine):
    assert booted.cpus_online == list(range(CPUS)), booted.cpus_online
    assert booted.node_cpus == NODE_CPUS[machine]
    assert booted.numa_nodes == sorted(NODE_CPUS[machine])
    assert set(guest.WANTED_MODULES) <= set(booted.modules_loaded), booted.modules_loaded
    errors = [line for line in booted.dmesg.splitlines() if "ACPI Error" in line or "ACPI BIOS Error" in line]
    assert errors == []
    # The guest read what the host put in the disk's first sector, and wrote its report behind it.
    assert booted.disk_readable, (booted.disk_written[:64], booted.disk_read[:64])


@pytest.mark.guest
def test_qemus_own_dsdt_draws_the_pc_remarks_ours_is_allowed(booted, machine):
    """The oracle for what test_guest_generated lets pc say: under QEMU's own tables an i440FX, which has no
    MMCONFIG, gives the same two lines about extended configuration space, and q35 no complaint at all."""
    complaints = [line for line in booted.dmesg.splitlines() if ACPI_COMPLAINT.search(line)]
    if machine.startswith("pc"):
        assert len(complaints) == 2 and all(PC_WITHOUT_MMCONFIG.search(line) for line in complaints), complaints
    else:
        assert complaints == []


@pytest.mark.guest
def test_linux_sees_exactly_the_tables_we_link(booted, machine, tmp_path):
    snapshot = guest_snapshot(booted, tmp_path / "by_name")
    assert_linux_sees_the_linked_set(booted, snapshot, placement_for_addresses(snapshot, booted.acpi_addresses),
                                     numa=len(NODE_CPUS[machine]) > 1)


@pytest.mark.guest
def test_dump_tables_reads_the_e820_map_linux_printed(booted, tmp_path):
    # /sys/firmware/memmap, which `dump-tables` reads on a running machine, against the kernel's own print of the
    # same map; SeaBIOS's has RAM and reserved ranges.
    printed = dmesg_e820(booted)
    assert {kind for _, _, kind in printed} >= {1, 2}
    assert guest_memmap(booted, tmp_path / "memmap") == printed


@pytest.mark.guest
def test_linux_and_dmidecode_see_the_smbios_we_place(booted, tmp_path):
    # SeaBIOS adds its own type 0 in front of QEMU's structures; place_smbios(add_type0=True) must say the same.
    # Linux does not print where the table is, so take that address from the entry point it read.
    address = parse_entry_point(booted.dmi["smbios_entry_point"]).structure_table_address
    # (The entry point's own address is not in its bytes, so any F-segment address will do.)
    ours = place_smbios(booted.fw_cfg[SMBIOS_ANCHOR], booted.fw_cfg[SMBIOS_TABLES], address, 0xF0000,
                        add_type0=True)
    assert [s.type for s in ours.structures][:2] == [0, 1]
    # The same bytes in sysfs, and dmidecode in the guest prints what --from-dump of ours prints.
    assert_dmidecode_sees(booted, ours, tmp_path)


@pytest.mark.guest
def test_host_capture_equals_the_guests_fw_cfg(booted, host_capture, tmp_path):
    view = booted.fw_cfg
    assert host_capture.file("etc/table-loader") == view["etc/table-loader"]
    assert host_capture.file("etc/acpi/rsdp") == view["etc/acpi/rsdp"]
    # Link both with the guest's placement and compare table by table.
    snapshot = guest_snapshot(booted, tmp_path / "by_name")
    placement = placement_for_addresses(snapshot, booted.acpi_addresses)
    in_guest = {t.name: t.data for t in walk_image(link(snapshot, placement)).acpi}
    on_host = {t.name: t.data for t in walk_image(link(host_capture, placement)).acpi}
    assert sorted(on_host) == sorted(in_guest)
    differing = sorted(name for name in in_guest if in_guest[name] != on_host[name] and name != "DSDT")
    assert differing == []
    # Apart from what -kernel adds, every fw_cfg file is the same too.
    same_names = (set(view) | set(host_capture.files)) - KERNEL_BOOT_FILES
    assert sorted(n for n in same_names if view.get(n) != host_capture.file(n)) == []


@pytest.mark.guest
def test_dsdt_does_not_depend_on_seabios_pci_placement(booted, host_capture):
    # QEMU rebuilds the tables from the chipset state when firmware first reads them, after SeaBIOS assigned
    # the PCI BARs (the virtio disk's among them); our capture assigns none. For these machines QEMU 7.2's
    # DSDT does not depend on that, so the whole blob is equal, DSDT included.
    assert host_capture.file("etc/acpi/tables") == booted.fw_cfg["etc/acpi/tables"]


@pytest.mark.guest
def test_a_hung_guest_is_killed_and_reported(guest_assets, tmp_path):
    # Too short for the kernel to unpack itself (about 10 s under TCG), long enough for SeaBIOS to start it
    # (under 1 s): QEMU must be killed and the error must carry the console so far.
    with pytest.raises(guest.GuestError, match="did not power off within 5 s") as raised:
        guest.boot_guest(["-M", "pc"], timeout=5, assets=guest_assets, workdir=str(tmp_path))
    assert isinstance(raised.value, CaptureError)
    assert "Booting from ROM" in raised.value.console
    assert "guest console (last lines)" in str(raised.value)


def test_missing_firmware_or_assets_are_typed_errors(tmp_path):
    with pytest.raises(guest.GuestError, match="does not exist"):
        guest.boot_guest(["-M", "pc"], firmware=str(tmp_path / "no-bios.bin"), workdir=str(tmp_path))
    with pytest.raises(guest.GuestAssetsMissing, match="fetch-guest-assets"):
        guest.build_initramfs(str(tmp_path))
    # A module that is not an ELF file cannot be ordered.
    (tmp_path / "kernel").mkdir()
    (tmp_path / "kernel" / "qemu_fw_cfg.ko").write_bytes(b"\x7fELF\x02\x01" + bytes(10))
    (tmp_path / "modules.order").write_text("kernel/qemu_fw_cfg.ko\n")
    with pytest.raises(guest.GuestError, match="corrupt ELF"):
        guest.module_load_order(str(tmp_path), ["qemu_fw_cfg"])
    with pytest.raises(guest.GuestAssetsMissing, match="virtio_blk is not in"):
        guest.module_load_order(str(tmp_path), ["virtio_blk"])


def test_dmidecode_and_the_libraries_it_loads_are_found_on_the_host(tmp_path, monkeypatch):
    binary = guest.find_dmidecode()
    loaded = guest.runtime_files(binary)
    # The interpreter first (PT_INTERP), then at least libc, each an existing absolute path.
    assert loaded[0] == guest.elf_interpreter(binary) and loaded[0].startswith("/")
    assert any(os.path.basename(p).startswith("libc.so") for p in loaded[1:]), loaded
    assert all(os.path.isfile(p) for p in loaded)
    # A static binary loads nothing: an ELF64 header whose one program header is PT_LOAD (1), not PT_INTERP.
    static = bytearray(b"\x7fELF\x02\x01\x01" + bytes(57) + bytes(56))
    static[0x20:0x28] = (64).to_bytes(8, "little")  # e_phoff
    static[0x36:0x3A] = (56).to_bytes(2, "little") + (1).to_bytes(2, "little")  # e_phentsize, e_phnum
    static[64:68] = (1).to_bytes(4, "little")
    (tmp_path / "static").write_bytes(bytes(static))
    assert guest.elf_interpreter(str(tmp_path / "static")) is None
    assert guest.runtime_files(str(tmp_path / "static")) == []
    (tmp_path / "script").write_bytes(b"#!/bin/sh\n")
    with pytest.raises(guest.GuestError, match="not an ELF64"):
        guest.runtime_files(str(tmp_path / "script"))
    (tmp_path / "truncated").write_bytes(b"\x7fELF\x02\x01" + bytes(26) + (1 << 20).to_bytes(8, "little")
                                         + bytes(14) + (56).to_bytes(2, "little") + (1).to_bytes(2, "little"))
    with pytest.raises(guest.GuestError, match="truncated ELF program header"):
        guest.elf_interpreter(str(tmp_path / "truncated"))
    # No dmidecode on the host is a typed error naming it, before any guest is built.
    monkeypatch.setattr(dmidecode, "SEARCH_PATH", str(tmp_path))
    with pytest.raises(guest.GuestAssetsMissing, match="dmidecode is not installed"):
        guest.find_dmidecode()


def _cpio_members(data: bytes) -> dict:
    """name -> (mode, bytes) of a newc archive (Documentation/driver-api/early-userspace/buffer-format.rst)."""
    members, at = {}, 0
    while True:
        assert data[at:at + 6] == b"070701", at
        fields = [int(data[at + 6 + 8 * i:at + 14 + 8 * i], 16) for i in range(13)]
        mode, size, name_size = fields[1], fields[6], fields[11]
        name_at = at + 110
        name = data[name_at:name_at + name_size - 1].decode()
        body_at = name_at + name_size + (-(110 + name_size) % 4)
        if name == "TRAILER!!!":
            return members
        members[name] = (mode, data[body_at:body_at + size])
        at = body_at + size + (-size % 4)


@pytest.mark.guest
def test_initramfs_carries_dmidecode_and_what_it_loads_as_files(guest_assets):
    initrd, _ = guest.build_initramfs(guest_assets)
    members = _cpio_members(initrd)
    binary = guest.find_dmidecode()
    with open(binary, "rb") as f:
        assert members[guest.GUEST_DMIDECODE] == (stat.S_IFREG | 0o755, f.read())
    loaded = guest.runtime_files(binary)
    for path in loaded:
        # Regular files even where the host has a symlink (/lib64/ld-linux-x86-64.so.2), so the guest needs no
        # target behind them.
        mode, data = members[path.lstrip("/")]
        with open(path, "rb") as f:
            assert stat.S_ISREG(mode) and data == f.read(), path
    init = members["init"][1].decode()
    library_path = ":".join(dict.fromkeys(os.path.dirname(p) for p in loaded[1:]))
    assert f"LD_LIBRARY_PATH={library_path} dmidecode >" in init
    # Uncompressed, and nothing beyond busybox, modules, dmidecode and its libraries: every regular file is one
    # of those or /init.
    expected = {"bin/busybox", "init", guest.GUEST_DMIDECODE, *(p.lstrip("/") for p in loaded)}
    regular = {name for name, (mode, _) in members.items() if stat.S_ISREG(mode) and not name.startswith("modules/")}
    assert regular == expected


def test_dmidecode_differences_ignore_only_where_the_data_came_from(tmp_path):
    from qboot_tables.smbios import place_smbios as place

    fixture = os.path.join(guest.REPO, "fixtures", "qemu-7.2", "pc-smp4", "etc", "smbios")
    with open(os.path.join(fixture, "smbios-anchor"), "rb") as f:
        anchor = f.read()
    with open(os.path.join(fixture, "smbios-tables"), "rb") as f:
        tables = f.read()

    def decode(name, strings):
        placed = place(anchor, tables, 0xFFFE000, 0xF5A00, add_type0=True, type0_strings=strings)
        dmidecode.write_dump_bin(placed, str(tmp_path / name))
        return dmidecode.run_from_dump(str(tmp_path / name))

    ours = decode("a.bin", (b"vendor", b"1.0", b"01/01/2024"))
    same = decode("b.bin", (b"vendor", b"1.0", b"01/01/2024"))
    other = decode("c.bin", (b"vendor", b"2.0", b"01/01/2024"))
    assert ours.ok and ours.source.startswith("Reading SMBIOS/DMI data from file") and ours.table_address is None
    assert dmidecode.differences(same, ours) == []
    differing = dmidecode.differences(other, ours)
    assert len(differing) == 1 and differing[0].startswith("handle 0x0000 (type 0): fields"), differing
    assert "'Version': '2.0'" in differing[0]
    # What the guest prints for the same SMBIOS: read from sysfs, with the table's address after the count.
    lines = ours.text.splitlines(keepends=True)
    lines[lines.index(ours.source + "\n")] = "Getting SMBIOS data from sysfs.\n"
    lines.insert(next(i for i, line in enumerate(lines) if "structures occupying" in line) + 1,
                 "Table at 0x0FFFE000.\n")
    as_in_guest = dmidecode.parse_output("".join(lines))
    assert as_in_guest.table_address == 0xFFFE000 and as_in_guest.source == "Getting SMBIOS data from sysfs."
    assert dmidecode.differences(as_in_guest, ours) == []
    # A structure missing, a changed line outside the header, or a changed header line is a difference.
    missing_last = dmidecode.parse_output(ours.text.split("Handle 0x7F00")[0])
    assert dmidecode.differences(missing_last, ours) == ["8 structures, expected 9"]
    assert dmidecode.differences(dmidecode.parse_output(ours.text + "trailing\n"), ours) == [
        f"text differs at line {len(ours.body)} after the header"]
    older = dmidecode.parse_output(ours.text.replace("SMBIOS 2.8 present.", "SMBIOS 2.7 present."))
    assert [d.split(":")[0] for d in dmidecode.differences(older, ours)] == ["header"]


def test_dmesg_acpi_lines_and_cpu_lists_parse():
    dmesg = """[    0.000000] ACPI: RSDP 0x00000000000F5A10 000014 (v00 BOCHS )
[    0.000000] ACPI: FACP 0x000000000FFE1234 0000F4 (v03 BOCHS  BXPC     00000001 BXPC 00000001)
[    0.000000] ACPI: Reserving FACP table memory at [mem 0xffe1234-0xffe1327]
[    0.000000] ACPI: SSDT 0x000000000FFE2000 000010 (v01 BOCHS  BXPC     00000001 BXPC 00000001)
[    0.000000] ACPI: SSDT 0x000000000FFE3000 000008 (v01 BOCHS  BXPC     00000001 BXPC 00000001)
"""
    lines = guest.parse_acpi_table_lines(dmesg)
    assert [(l.signature, l.address, l.length) for l in lines] == [
        ("RSDP", 0xF5A10, 0x14), ("FACP", 0xFFE1234, 0xF4), ("SSDT", 0xFFE2000, 0x10), ("SSDT", 0xFFE3000, 8)]
    report = guest.GuestReport(
        files={}, acpi_tables={"FACP": bytes(0xF4), "SSDT1": bytes(0x10), "SSDT2": bytes(8)}, fw_cfg={}, dmi={},
        memory={"RSDP": bytes(20)}, dmesg=dmesg, cpus_online=[], numa_nodes=[], acpi_table_lines=lines,
        node_cpus={}, disk_written=b"", disk_read=b"", console="", machine_args=[], qemu_argv=[],
        boot_seconds=0.0)
    assert report.acpi_addresses == {"RSDP": 0xF5A10, "FACP": 0xFFE1234, "SSDT": 0xFFE2000}
    assert {a: sig for a, (sig, _) in report.tables_by_address().items()} == {
        0xF5A10: "RSDP", 0xFFE1234: "FACP", 0xFFE2000: "SSDT", 0xFFE3000: "SSDT"}
    report.acpi_tables["FACP"] = bytes(4)  # not the length dmesg printed
    with pytest.raises(guest.GuestError, match="FACP: dmesg says 244 bytes"):
        report.tables_by_address()
    assert guest.parse_cpu_list("0-3,6\n") == [0, 1, 2, 3, 6]
    assert guest.parse_cpu_list("0\n") == [0]
    with pytest.raises(guest.GuestError):
        guest.parse_cpu_list("zero")


@pytest.mark.guest
def test_modules_load_after_their_dependencies(guest_assets):
    order = [name for name, _ in guest.module_load_order(os.path.join(guest_assets, "modules"))]
    # virtio_mmio for microvm's transports (harness.guest.WANTED_MODULES).
    assert set(order) == {"qemu_fw_cfg", "virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev",
                          "virtio_pci", "virtio_mmio", "virtio_blk"}
    # What `modinfo -F depends` prints for Debian 6.1's modules.
    for module, needs in (("virtio", ["virtio_ring"]), ("virtio_blk", ["virtio", "virtio_ring"]),
                          ("virtio_pci", ["virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio"]),
                          ("virtio_mmio", ["virtio", "virtio_ring"])):
        assert all(order.index(dep) < order.index(module) for dep in needs), order
