"""Generated tables in a real guest: QEMU with ACPI off gets our table-loader, tables and RSDP through -fw_cfg,
SeaBIOS links them, and Debian's Linux must online every CPU, show exactly our tables and use a virtio disk."""
from __future__ import annotations

import re

import pytest

from harness import guest
from qboot_tables.generate.fwcfg import generate
from qboot_tables.read.loader import link
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.read.walk import placement_for_addresses, walk_image

INJECTED = ("etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp")
# Two sockets of two cores: a multi-socket topology on both chipsets.
MACHINES = {
    "pc": ["-machine", "pc", "-smp", "4,sockets=2,cores=2", "-m", "512M"],
    "q35": ["-machine", "q35", "-smp", "4,sockets=2,cores=2", "-m", "512M"],
}
ACPI_ERROR = re.compile(r"ACPI (BIOS )?(Error|Exception)")
# With acpi=off, QEMU 7.2's pc builds no PIIX4 PM function at all (hw/i386/pc_piix.c creates it only with ACPI
# on), so the PM1 registers our FADT names read as all ones there and ACPICA cannot clear the RTC event enable.
# q35's PM registers live in the ICH9 LPC bridge and stay, so q35 must show no ACPI error at all.
EXPECTED_WITHOUT_PIIX4_PM = {"pc": re.compile(r"ACPI Error: Could not disable RealTimeClock events")}


@pytest.fixture(scope="module", params=sorted(MACHINES))
def booted(request, guest_assets, tmp_path_factory):
    name = request.param
    machine = MachineConfig.from_qemu_args(MACHINES[name])
    snapshot = generate(machine)
    capture_dir = tmp_path_factory.mktemp(f"generated-{name}")
    snapshot.write_capture(str(capture_dir))
    # MSI-X off: the virtio disk must then take its interrupt through our _PRT and link devices.
    args = ["-machine", f"{name},acpi=off", *MACHINES[name][2:], "-global", "virtio-blk-pci.vectors=0"]
    for fw_cfg_name in INJECTED:
        args += ["-fw_cfg", f"name={fw_cfg_name},file={capture_dir / fw_cfg_name}"]
    report = guest.boot_guest(args, timeout=180, assets=guest_assets, workdir=str(tmp_path_factory.mktemp(name)))
    return name, machine, snapshot, report


def test_every_cpu_online(booted):
    _name, machine, _snapshot, report = booted
    assert report.cpus_online == [cpu.index for cpu in machine.present_cpus]


def test_linux_sees_exactly_the_generated_tables(booted):
    _name, _machine, snapshot, report = booted
    for fw_cfg_name in INJECTED:
        assert report.fw_cfg[fw_cfg_name] == snapshot.file(fw_cfg_name), fw_cfg_name
    placement = placement_for_addresses(snapshot, report.acpi_addresses)
    ours = walk_image(link(snapshot, placement), snapshot)
    by_address = {t.address: t for t in ours.acpi}
    seen = report.tables_by_address()
    assert seen, "the guest reported no ACPI tables"
    by_address[ours.rsdp.address] = ours.rsdp
    for address, (name, data) in seen.items():
        assert address in by_address, f"{name} at {address:#x} is not one of ours"
        assert by_address[address].data == data, f"{name} differs from the generated table"
    # Linux's sysfs shows every table but the root ones, which the guest read from memory instead.
    assert {name for name, _ in seen.values()} == {t.name for t in ours.acpi} | {"RSDP"}


def test_no_acpi_errors(booted):
    name, _machine, _snapshot, report = booted
    allowed = EXPECTED_WITHOUT_PIIX4_PM.get(name)
    errors = [line for line in report.dmesg.splitlines()
              if ACPI_ERROR.search(line) and not (allowed and allowed.search(line))]
    assert errors == []


def test_virtio_disk_and_pci_interrupts(booted):
    _name, _machine, _snapshot, report = booted
    assert report.disk_read == report.disk_written
    assert "PCI: Using ACPI for IRQ routing" in report.dmesg
    assert re.search(r"ACPI: \\_SB_\.LNK.: Enabled at IRQ \d+", report.dmesg), "no PCI link device was used"
