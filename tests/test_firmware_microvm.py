"""QEMU 7.2's microvm on our firmware: the property combinations qboot boots, checked on the debug console and in
guest memory against the model without a kernel, then Linux with every CPU online (on ACPI, with its virtio-mmio
disk found through the DSDT; without, through our MP table)."""
from __future__ import annotations

import re

import pytest

from harness import firmware
from qboot_tables.findings import ERROR
from qboot_tables.read.loader import link
from qboot_tables.read.walk import walk_image
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE
from qboot_tables.generate.mptable import FLOATING_SIGNATURE as MP_SIGNATURE

from conftest import assert_linux_sees_ours, guest_snapshot, report_boot_time

NO_KERNEL = "linux boot: no kernel in fw_cfg (-kernel)"
# Each variant is (-M value, -smp[, -m]): acpi on (the loader's hardware-reduced FADT, GED, DSDT) and off (the MP
# table), with the legacy devices and the second I/O APIC switched on and off (hw/i386/microvm.c properties).
VARIANTS = {
    "acpi": ("microvm,acpi=on", "4"),
    "acpi-all-on": ("microvm,acpi=on,ioapic2=on,rtc=on,pit=on,pic=on,isa-serial=on", "8"),
    "acpi-no-ioapic2": ("microvm,acpi=on,ioapic2=off", "2"),
    # The legacy devices off but the serial port, which Linux's test reads.
    "acpi-lean": ("microvm,acpi=on,ioapic2=off,rtc=off,pit=off,pic=off", "2"),
    "acpi-bare": ("microvm,acpi=on,ioapic2=off,rtc=off,pit=off,pic=off,isa-serial=off", "1"),
    # RAM above 3 GiB goes above 4 GiB (hw/i386/microvm.c microvm_memory_init): a two-entry etc/e820.
    "acpi-4g": ("microvm,acpi=on", "2", "4G"),
    "mp": ("microvm,acpi=off", "4"),
    "mp-bare": ("microvm,acpi=off,rtc=off,pit=off,pic=off,isa-serial=off", "2"),
    "mp-64": ("microvm,acpi=off", "64"),
}
ROM_SPARE = (0xFFE0, 0x10000)  # firmware/include/layout.h ROM_SPARE and the reset vector, as offsets in the ROM
FSEG = 0xF0000
E820_RESERVED = 2
BOOT_TIMEOUT = 150
_MP_PROCESSOR = re.compile(r"\] Processor #(\d+)")
_MP_ERROR = re.compile(r"MPTABLE: (bad|null|no processors)|MP table errors|checksum error|BIOS bug", re.I)
_ACPI_ERROR = re.compile(r"ACPI (BIOS )?(Error|Exception|Warning)")


def machine_args(name: str) -> list[str]:
    kind, smp, *memory = VARIANTS[name]
    return ["-M", kind, "-smp", smp, *(["-m", *memory] if memory else [])]


def mptable_machine(name: str) -> list[str]:
    """The run's machine as the MP table model reads it: only acpi and the CPUs reach the table."""
    kind, smp, *_ = VARIANTS[name]
    return ["-M", "microvm,acpi=" + ("on" if "acpi=on" in kind else "off"), "-smp", smp]


@pytest.fixture(scope="module")
def runs(rom):
    return firmware.cached_runs(machine_args, rom)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_microvm_variant_runs_every_phase_and_memory_equals_the_model(runs, name):
    run = runs(name)
    log = run.log
    assert log.errors == [NO_KERNEL], log.lines
    # No PCI host bridge: no PAM, no PM base, no bus to walk.
    assert "chipset none: no PCI host bridge" in log.phases
    assert "pci" not in log.phase_names()
    acpi = "acpi=on" in VARIANTS[name][0]
    assert ("etc/acpi/rsdp" in log.allocations) == acpi
    assert firmware.model_differences(run, mptable_machine=mptable_machine(name)) == []
    # A guest's scan finds each entry point once, where the firmware said it put it.
    found = run.scan_fseg()
    assert found[MP_SIGNATURE] == [log.allocations[firmware.MPTABLE_ALLOCATION][0]]
    assert found[RSDP_SIGNATURE] == ([log.allocations["etc/acpi/rsdp"][0]] if acpi else [])
    # Every table sits in memory the map reserves.
    for table, (address, size) in log.allocations.items():
        assert [t for a, s, t in log.e820 if a <= address and address + size <= a + s] == [E820_RESERVED], table


@pytest.mark.parametrize("name", ["acpi", "mp-bare"])
def test_tables_in_the_f_segment_leave_the_rom_image_intact(runs, rom, name):
    """On microvm the F-segment is the ROM itself, writable (hw/i386/x86.c x86_bios_rom_init with isapc_ram_fw):
    the tables go only where the image has padding, and every byte of code and data is as the ROM file has it."""
    run = runs(name)
    with open(rom, "rb") as f:
        image = f.read()
    memory = bytearray(run.fseg[FSEG - firmware.FSEG_START:])
    assert len(memory) == len(image) == 0x10000
    placed = bytearray(len(image))
    for address, size in run.log.allocations.values():
        if FSEG <= address < FSEG + len(image):
            placed[address - FSEG:address - FSEG + size] = b"\1" * size
            assert not any(image[address - FSEG:address - FSEG + size]), f"{address:#x} was not padding"
    assert any(placed)
    changed = [i for i in range(ROM_SPARE[0]) if memory[i] != image[i] and not placed[i]]
    assert changed == []


def test_the_rom_holds_no_entry_point_anchor(rom):
    """On microvm guests scan the ROM itself (it is the F-segment): an anchor in the code, at whatever offset a
    later build puts it, would be a second entry point. mptable.c and smbios.c build theirs at run time."""
    with open(rom, "rb") as f:
        image = f.read()
    assert [s for s in (*firmware.SCANNED_SIGNATURES, b"_DMI_") if s in image] == []


def test_acpi_microvm_powers_off_through_the_ged(rom):
    # No kernel: the firmware says so and sleeps in S5 through the GED's sleep register; QEMU exits.
    log = firmware.run_without_kernel(machine_args("acpi-bare"), rom=rom)
    assert log.errors == [NO_KERNEL] and log.powered_off


# --- Linux ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def acpi_booted(request, rom, guest_assets, tmp_path_factory) -> firmware.FirmwareBoot:
    run = firmware.boot(machine_args("acpi"), rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets,
                        workdir=str(tmp_path_factory.mktemp("fw-microvm-acpi")),
                        kernel_cmdline=firmware.microvm_kernel_cmdline())
    report_boot_time(request, f"microvm acpi=on: Linux booted on our firmware in {run.report.boot_seconds:.1f} s")
    return run


@pytest.mark.guest
def test_acpi_microvm_linux_onlines_every_cpu_and_reads_the_virtio_mmio_disk(acpi_booted):
    report, log = acpi_booted.report, acpi_booted.log
    assert log.booted_kernel and log.errors == [], log.lines
    assert report.cpus_online == [0, 1, 2, 3]
    # Debian's kernel has no virtio_mmio.device= option (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES is off), and QEMU
    # adds none with ACPI on: the disk's transport comes from the DSDT's LNRO0005 devices alone.
    assert "virtio_mmio.device" not in report.dmesg
    assert b"LNRO0005" in report.acpi_tables["DSDT"]
    assert "virtio_mmio" in report.modules_loaded
    assert report.disk_readable, (report.disk_written[:64], report.disk_read[:64])
    assert [line for line in report.dmesg.splitlines() if _ACPI_ERROR.search(line)] == []
    # The guest's reboot got QEMU to exit (boot() waits for that): Linux's last resort jumps to the reset vector,
    # which the firmware turns into a real reset rather than a second boot.
    assert log.phases.count("start") == 1


@pytest.mark.guest
def test_acpi_microvm_linux_sees_the_tables_the_model_links_at_our_addresses(acpi_booted, tmp_path):
    report, log = acpi_booted.report, acpi_booted.log
    snapshot = guest_snapshot(report, tmp_path / "by_name")
    ours = walk_image(link(snapshot, log.placement), snapshot, "guest fw_cfg")
    assert [str(f) for f in ours.findings if f.severity == ERROR] == []
    linux = assert_linux_sees_ours(report, ours)
    # Hardware-reduced: no FACS; and an XSDT, not an RSDT (hw/i386/acpi-microvm.c).
    assert {sig for sig, _ in linux.values()} >= {"RSDP", "XSDT", "FACP", "APIC", "DSDT"}
    assert report.acpi_addresses["RSDP"] == log.placement["etc/acpi/rsdp"] == ours.rsdp.address


@pytest.mark.guest
@pytest.mark.parametrize("name,cpus", [("mp", 4), ("acpi-lean", 2)])
def test_linux_brings_every_cpu_up(rom, guest_assets, name, cpus):
    """Up to the guest's /init on the serial console: the disk is out of reach without ACPI, so the CPUs Linux
    brought up are the check. mp: the MP table's processors; acpi-lean: no PIT, PIC, RTC or second I/O APIC."""
    run = firmware.boot_to_init(machine_args(name), rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets,
                                kernel_cmdline=firmware.microvm_kernel_cmdline())
    assert run.log.booted_kernel and run.log.errors == [], run.log.lines
    assert run.cpus_brought_up == cpus, run.console[-2000:]
    if name == "mp":
        assert "Intel MultiProcessor Specification v1.4" in run.console
        assert sorted(int(i) for i in _MP_PROCESSOR.findall(run.console)) == list(range(cpus))
        assert [line for line in run.console.splitlines() if _MP_ERROR.search(line)] == []
    else:
        assert [line for line in run.console.splitlines() if _ACPI_ERROR.search(line)] == []
