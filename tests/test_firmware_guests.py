"""Linux on our firmware without QEMU's ACPI: our MP table alone brings every CPU up, and generated tables
injected with -fw_cfg are linked by our loader exactly as the Python model links them."""
from __future__ import annotations

import re

import pytest

from harness import firmware
from qboot_tables.tools import qemu
from qboot_tables.findings import ERROR
from qboot_tables.generate.fwcfg import generate
from qboot_tables.read.loader import link
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.read.walk import walk_image

from conftest import assert_dmidecode_sees, assert_linux_kept_the_pci_bars, assert_linux_sees_ours

pytestmark = pytest.mark.guest

BOOT_TIMEOUT = 90
MP_MACHINE = ["-M", "pc,acpi=off", "-smp", "4"]
# Two sockets of two cores on q35; the ACPI tables come from the generator, not from QEMU.
GENERATED_MACHINE = ["-machine", "q35", "-smp", "4,sockets=2,cores=2", "-m", "512M"]
INJECTED = ("etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp")
# What Linux prints while it reads an MP table (arch/x86/kernel/mpparse.c): one "Processor #<apic id>" per
# processor entry, and complaints about a bad signature, checksum, version or entry.
_MP_PROCESSOR = re.compile(r"\] Processor #(\d+)")
_MP_ERROR = re.compile(r"MPTABLE: (bad|null|no processors)|MP table errors|checksum error|BIOS bug", re.I)
_ACPI_ERROR = re.compile(r"ACPI (BIOS )?(Error|Exception|Warning)")


@pytest.fixture(scope="module")
def mp_booted(rom, guest_assets, tmp_path_factory) -> firmware.FirmwareBoot:
    return firmware.boot(MP_MACHINE, rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets,
                         workdir=str(tmp_path_factory.mktemp("fw-acpi-off")))


@pytest.fixture(scope="module")
def generated_booted(rom, guest_assets, tmp_path_factory):
    machine = MachineConfig.from_qemu_args(GENERATED_MACHINE)
    snapshot = generate(machine)
    capture_dir = tmp_path_factory.mktemp("generated-q35")
    snapshot.write_capture(str(capture_dir))
    args = ["-machine", "q35,acpi=off", *GENERATED_MACHINE[2:]]
    for name in INJECTED:
        args += ["-fw_cfg", f"name={name},file={capture_dir / name}"]
    run = firmware.boot(args, rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets,
                        workdir=str(tmp_path_factory.mktemp("fw-generated")))
    return machine, snapshot, run


def test_acpi_off_mp_table_onlines_every_cpu(mp_booted):
    report, log = mp_booted.report, mp_booted.log
    assert log.booted_kernel and log.errors == [], log.lines
    assert "mptable" in log.phase_names()
    # No ACPI at all: Linux found our MP table and took its processors from it.
    assert report.acpi_tables == {}
    assert "Intel MultiProcessor Specification v1.4" in report.dmesg
    assert sorted(int(apic_id) for apic_id in _MP_PROCESSOR.findall(report.dmesg)) == [0, 1, 2, 3]
    assert [line for line in report.dmesg.splitlines() if _MP_ERROR.search(line)] == []
    assert report.cpus_online == [0, 1, 2, 3]
    # The virtio disk's interrupt comes from the MP table's I/O interrupt entries.
    assert report.disk_readable
    assert_linux_kept_the_pci_bars(report, log)


def test_generated_tables_bring_every_cpu_online(generated_booted):
    machine, _snapshot, run = generated_booted
    assert run.log.booted_kernel and run.log.errors == [], run.log.lines
    assert run.report.cpus_online == [cpu.index for cpu in machine.present_cpus]


def test_linux_sees_the_generated_tables_as_the_model_links_them_at_our_addresses(generated_booted):
    _machine, snapshot, run = generated_booted
    report, log = run.report, run.log
    for name in INJECTED:
        assert report.fw_cfg[name] == snapshot.file(name), name
    ours = walk_image(link(snapshot, log.placement), snapshot, "generated")
    assert [str(f) for f in ours.findings if f.severity == ERROR] == []
    linux = assert_linux_sees_ours(report, ours)
    assert report.acpi_addresses["RSDP"] == log.placement["etc/acpi/rsdp"] == ours.rsdp.address
    assert linux[ours.rsdp.address][1] == ours.rsdp.data


def test_generated_tables_no_acpi_errors_and_virtio_disk_readable(generated_booted):
    _machine, _snapshot, run = generated_booted
    report = run.report
    assert [line for line in report.dmesg.splitlines() if _ACPI_ERROR.search(line)] == []
    assert report.disk_readable
    assert_linux_kept_the_pci_bars(report, run.log)


@pytest.mark.parametrize("which", ["mp", "generated"])
def test_dmidecode_in_the_guest_prints_the_smbios_the_model_places(which, mp_booted, generated_booted, tmp_path):
    run = mp_booted if which == "mp" else generated_booted[2]
    # With ACPI off and no tables of ours, Linux has no QEMU0002 device to bind qemu_fw_cfg to: read the
    # SMBIOS files on the host instead (QEMU builds them from the command line alone).
    files = run.report.fw_cfg if which == "generated" else qemu.capture(run.report.machine_args).files
    assert_dmidecode_sees(run.report, firmware.model_smbios(files, run.log.placement), tmp_path)


# An old machine type: the firmware builds SMBIOS from FW_CFG_SMBIOS_ENTRIES (firmware/smbios.c).
LEGACY_SMBIOS_MACHINE = ["-M", "pc-i440fx-2.0", "-smp", "2",
                         "-smbios", "type=1,manufacturer=Acme Labs,product=Widget 3000,serial=SN-0001"]


def test_dmidecode_in_the_guest_reads_the_legacy_smbios_the_model_builds(rom, guest_assets, tmp_path):
    run = firmware.boot(LEGACY_SMBIOS_MACHINE, rom=rom, timeout=BOOT_TIMEOUT, assets=guest_assets,
                        workdir=str(tmp_path / "fw-legacy-smbios"))
    assert run.log.booted_kernel, run.log.lines
    # qemu_fw_cfg in the guest lists files, not FW_CFG_SMBIOS_ENTRIES: capture the same machine on the host.
    snapshot = qemu.capture(run.report.machine_args)
    placed = firmware.model_legacy_smbios(snapshot, run.log.placement).smbios
    assert placed is not None and placed.table_address == run.log.placement["smbios/legacy-tables"]
    assert_dmidecode_sees(run.report, placed, tmp_path)
    assert b"Acme Labs" in run.report.dmi["DMI"]
