"""Our firmware (firmware/) on QEMU: its phases and memory map alone, then Linux on it with every CPU online."""
from __future__ import annotations

import os

import pytest

from harness import firmware, guest
from qboot_tables.tools import qemu
from qboot_tables.findings import ERROR
from qboot_tables.read.loader import link
from qboot_tables.read.walk import walk_image

from conftest import (assert_dmidecode_sees, assert_linux_kept_the_pci_bars, assert_linux_sees_the_linked_set,
                      dmesg_e820, guest_memmap, guest_snapshot, report_boot_time)

# Issue 4's Linux matrix: -smp 4 and -smp 8,sockets=2,cores=2,threads=2 on pc and q35, and NUMA with vmgenid.
MACHINES = {
    "pc-smp4": ["-M", "pc", "-smp", "4"],
    "pc-smp8-s2c2t2": ["-M", "pc", "-smp", "8,sockets=2,cores=2,threads=2"],
    "q35-smp4": ["-M", "q35", "-smp", "4"],
    "q35-smp8-s2c2t2": ["-M", "q35", "-smp", "8,sockets=2,cores=2,threads=2"],
    # Two NUMA nodes (SRAT, SLIT) and a vmgenid device, whose WRITE_POINTER tells QEMU where the GUID went.
    "q35-numa2-vmgenid": [
        "-M", "q35", "-smp", "4,sockets=2,cores=2",
        "-object", "memory-backend-ram,id=mem0,size=256M", "-object", "memory-backend-ram,id=mem1,size=256M",
        "-numa", "node,nodeid=0,memdev=mem0,cpus=0-1", "-numa", "node,nodeid=1,memdev=mem1,cpus=2-3",
        "-numa", "dist,src=0,dst=1,val=21", "-device", "vmgenid,guid=324e6eaf-d1d1-4bf6-bf41-b9bb6c91fb87"],
}
CPUS = {"pc-smp4": 4, "pc-smp8-s2c2t2": 8, "q35-smp4": 4, "q35-smp8-s2c2t2": 8, "q35-numa2-vmgenid": 4}
NODE_CPUS = {"pc-smp4": {0: [0, 1, 2, 3]}, "pc-smp8-s2c2t2": {0: list(range(8))}, "q35-smp4": {0: [0, 1, 2, 3]},
             "q35-smp8-s2c2t2": {0: list(range(8))}, "q35-numa2-vmgenid": {0: [0, 1], 1: [2, 3]}}
# Every phase main.c runs when QEMU gives it no kernel, in order (the MP table once mptable.c is built in).
HAVE_MPTABLE = os.path.exists(os.path.join(firmware.FIRMWARE_DIR, "mptable.c"))
PHASES_WITHOUT_KERNEL = ["start", "chipset", "fw_cfg", "pci", "loader", "smbios", *(["mptable"] * HAVE_MPTABLE),
                         "e820"]
BOOT_TIMEOUT = 180
FSEG = (0xE0000, 0x100000)
E820_RAM, E820_RESERVED = 1, 2


def test_rom_is_whole_64k_blocks_with_a_jump_to_its_start_at_the_reset_vector(rom):
    with open(rom, "rb") as f:
        data = f.read()
    assert len(data) % firmware.ROM_GRANULE == 0
    # The CPU starts at 0xFFFFFFF0 with CS based at 0xFFFF0000 (Intel SDM Vol. 3A §9.1.4). E9 is jmp rel16
    # (Vol. 2A, JMP): it must land on the first byte of the ROM, where firmware.ld puts start16, a cli (FA).
    reset = data[-16:]
    assert reset[0] == 0xE9
    target = (0x10000 - 16 + 3 + int.from_bytes(reset[1:3], "little", signed=True)) % 0x10000
    assert target == 0
    assert data[len(data) - 0x10000] == 0xFA


def test_parse_debug_log_reads_allocations_rollback_and_e820():
    log = firmware.parse_debug_log("phase start\nalloc etc/acpi/rsdp 0xf4740 0x14\nrollback\n"
                                   "alloc etc/smbios/smbios-anchor 0xf4760 0x1f\nerror: loader: x\n"
                                   "phase e820 1 entries\ne820 0x0 0xa0000 1\npower off\n")
    assert log.placement == {"etc/smbios/smbios-anchor": 0xF4760}
    assert log.e820 == [(0, 0xA0000, 1)]
    assert log.errors == ["loader: x"] and log.powered_off
    assert log.phase_names() == ["start", "e820"]
    with pytest.raises(firmware.InputError):
        firmware.parse_debug_log("alloc etc/acpi/rsdp nowhere\n")
    pci = firmware.parse_debug_log("phase pci 7 functions, 1 buses, io to 0xc180, mem 0xc0000000 to 0xc106d000, "
                                   "unassigned BARs 1\n")
    assert pci.pci_windows == {"io": (0xC000, 0xC180), "mem": (0xC0000000, 0xC106D000)}
    with pytest.raises(firmware.InputError):
        log.pci_windows


def check_memory_map(log: firmware.DebugLog) -> None:
    """Sorted and disjoint; the tables reserved, never RAM; nothing between VGA memory and the E-segment."""
    ends = [0]
    for address, size, _ in log.e820:
        assert address >= ends[-1], log.e820
        ends.append(address + size)
    for name, (address, size) in log.allocations.items():
        covering = [t for a, s, t in log.e820 if a <= address and address + size <= a + s]
        assert covering == [E820_RESERVED], f"{name} at {address:#x} is not inside one reserved e820 range"
    assert not [e for e in log.e820 if e[0] < 0xE0000 and e[0] + e[1] > 0xA0000]


# QEMU refuses vmgenid without fw_cfg DMA (its WRITE_POINTER needs a DMA write).
ALONE = [(m, t) for m in sorted(MACHINES) for t in ("dma", "io") if not (t == "io" and "vmgenid" in m)]


@pytest.mark.parametrize("machine,transport", ALONE)
def test_firmware_alone_runs_every_phase_places_the_tables_and_powers_off(rom, machine, transport):
    args = list(MACHINES[machine])
    if transport == "io":
        # QEMU's fw_cfg device property (hw/nvram/fw_cfg.c): the firmware must fall back to port I/O.
        args += ["-global", "fw_cfg_io.dma_enabled=off"]
    log = firmware.run_without_kernel(args, rom=rom)
    assert log.phase_names() == PHASES_WITHOUT_KERNEL, log.lines
    assert f"fw_cfg {transport}" in log.phases
    assert log.errors == ["linux boot: no kernel in fw_cfg (-kernel)"]
    assert log.powered_off
    rsdp, _ = log.allocations["etc/acpi/rsdp"]
    assert FSEG[0] <= rsdp < FSEG[1] and rsdp % 16 == 0
    # The HIGH zone grows down from the top of RAM below 4 GiB: 512 MiB here.
    assert max(a + s for a, s in log.allocations.values()) == 512 << 20
    assert log.allocations["etc/acpi/tables"][0] >= 256 << 20
    check_memory_map(log)
    # QEMU's own fw_cfg, linked by the model at the firmware's addresses, gives a complete table set.
    snapshot = qemu.capture(MACHINES[machine] + ["-m", "512M"])
    image = link(snapshot, log.placement)
    tables_found = walk_image(image, snapshot, "host capture")
    assert [str(f) for f in tables_found.findings if f.severity == ERROR] == []
    assert tables_found.rsdp is not None and tables_found.rsdp.address == rsdp


@pytest.mark.parametrize("chipset,bridge,chassis", [("q35", "pcie-root-port", "chassis"), ("pc", "pci-bridge",
                                                                                    "chassis_nr")])
def test_pci_enumeration_walks_every_bus(rom, chipset, bridge, chassis):
    # Buses 1 to 3 behind three bridges, a device behind the last: odd and even bus numbers alike (the scan of an
    # odd-numbered bus once wrapped back to its slot 0 for ever). Six functions of the machine's own, three
    # bridges and the device.
    args = ["-M", chipset]
    for i in (1, 2, 3):
        args += ["-device", f"{bridge},id=br{i},{chassis}={i}"]
    log = firmware.run_without_kernel(args + ["-device", "virtio-rng-pci,bus=br3"], rom=rom)
    assert log.phase_names() == PHASES_WITHOUT_KERNEL and log.powered_off, log.lines
    [pci] = [p for p in log.phases if p.startswith("pci ")]
    assert pci.startswith("pci 10 functions, 4 buses,"), pci


# --- Linux on the firmware ------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=sorted(MACHINES))
def machine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def booted(request, machine, rom, guest_assets, tmp_path_factory) -> firmware.FirmwareBoot:
    """One boot per machine on our ROM, shared by the tests below; its work dir (debug log, disk) is kept."""
    workdir = tmp_path_factory.mktemp(f"fw-{machine}")
    run = firmware.boot(MACHINES[machine], rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets, workdir=str(workdir))
    report_boot_time(request, f"{machine}: Linux booted on our firmware and powered off in "
                              f"{run.report.boot_seconds:.1f} s (TCG)")
    return run


@pytest.mark.guest
def test_every_cpu_online_disk_readable_no_acpi_errors(booted, machine):
    report, log = booted.report, booted.log
    assert log.booted_kernel and log.errors == [], log.lines
    assert report.cpus_online == list(range(CPUS[machine])), report.cpus_online
    assert report.node_cpus == NODE_CPUS[machine]
    assert set(guest.WANTED_MODULES) <= set(report.modules_loaded), report.modules_loaded
    assert report.disk_readable, (report.disk_written[:64], report.disk_read[:64])
    errors = [line for line in report.dmesg.splitlines()
              if "ACPI Error" in line or "ACPI BIOS Error" in line or "ACPI Warning" in line]
    assert errors == []
    assert_linux_kept_the_pci_bars(report, log)


@pytest.mark.guest
def test_linux_sees_exactly_the_tables_the_model_links_at_our_addresses(booted, machine, tmp_path):
    report, log = booted.report, booted.log
    ours, _linux = assert_linux_sees_the_linked_set(report, guest_snapshot(report, tmp_path / "by_name"),
                                                     log.placement, numa=len(NODE_CPUS[machine]) > 1)
    assert ours.rsdp.address == log.placement["etc/acpi/rsdp"]


@pytest.mark.guest
def test_host_capture_links_to_the_same_tables(booted):
    """QEMU's fw_cfg read on the host over qtest, linked at the firmware's addresses: the same tables, except
    the DSDT, whose PCI part QEMU builds from the BARs a firmware assigned (the capture assigns none)."""
    report, log = booted.report, booted.log
    host = qemu.capture(report.machine_args)
    on_host = {t.address: t for t in walk_image(link(host, log.placement)).acpi}
    linux = report.tables_by_address()
    differing = sorted(sig for address, (sig, data) in linux.items()
                       if sig not in ("RSDP", "DSDT") and (address not in on_host or on_host[address].data != data))
    assert differing == []


@pytest.mark.guest
def test_linux_uses_the_e820_map_the_firmware_printed(booted, tmp_path):
    report, log = booted.report, booted.log
    assert dmesg_e820(report) == log.e820
    # The copy Linux keeps in /sys/firmware/memmap, which `dump-tables` reads on a running machine.
    assert guest_memmap(report, tmp_path / "memmap") == log.e820
    check_memory_map(log)
    # The initrd went below the tables.
    initrd = [p for p in log.phases if p.startswith("boot kernel")][0].split()
    initrd_address, initrd_size = int(initrd[6], 16), int(initrd[7], 16)
    assert initrd_size and initrd_address + initrd_size <= min(a for a, _ in log.allocations.values()
                                                               if a >= FSEG[1])


@pytest.mark.guest
def test_dmidecode_in_the_guest_prints_the_smbios_the_model_places(booted, tmp_path):
    """The firmware copies QEMU's structures behind its own type 0 at the addresses its log names; the model
    placing the guest's fw_cfg files there must give the bytes Linux exports and what dmidecode prints."""
    report, log = booted.report, booted.log
    placed = firmware.model_smbios(report.fw_cfg, log.placement)
    assert [s.type for s in placed.structures][:2] == [0, 1]
    assert_dmidecode_sees(report, placed, tmp_path)


@pytest.mark.guest
def test_write_pointer_reached_qemu(booted, machine, tmp_path):
    """Every WRITE_POINTER the model derives from the firmware's placement is in the fw_cfg file the guest reads
    back (for vmgenid: etc/vmgenid_addr holds the GUID's address)."""
    report, log = booted.report, booted.log
    image = link(guest_snapshot(report, tmp_path / "by_name"), log.placement)
    if "vmgenid" not in machine:
        assert image.writes == []
        return
    assert image.writes, "a vmgenid machine's loader script has a WRITE_POINTER"
    for write in image.writes:
        written = report.fw_cfg[write.file][write.offset:write.offset + len(write.data)]
        assert written == write.data, f"{write.file}+{write.offset:#x}: QEMU holds {written.hex()}"
