"""Shared fixtures: the Debian kernel and busybox that every guest-boot test needs, fetched once, and our ROM."""
import os
import re
import subprocess

import pytest

from harness import guest

FETCH_ASSETS = os.path.join(guest.REPO, "tools", "fetch-guest-assets")


@pytest.fixture(scope="session")
def guest_assets():
    """`make test` fetches them first; a direct pytest run fetches them here, and skips only if it cannot."""
    if not guest.assets_present():
        done = subprocess.run([FETCH_ASSETS], capture_output=True, text=True)
        if done.returncode != 0 or not guest.assets_present():
            pytest.skip("no kernel/busybox in .cache/guest and tools/fetch-guest-assets could not fetch them: "
                        + (done.stderr.strip()[-300:] or f"exit {done.returncode}"))
    return guest.DEFAULT_ASSETS


@pytest.fixture(scope="session")
def rom() -> str:
    """Our firmware ROM, built once for every test that boots or reads it."""
    from harness import firmware

    return firmware.build_firmware()


def report_boot_time(request, line: str) -> None:
    """Print a guest's boot time even under -q: it is what the guest tests cost."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + line)


# Linux prints the firmware's map as it read it (arch/x86/kernel/e820.c, e820__print_table and e820_print_type):
# inclusive ends, and a name for each type.
_DMESG_E820 = re.compile(r"BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] ([^\n]+)")
_DMESG_E820_TYPES = {"usable": 1, "reserved": 2, "ACPI data": 3, "ACPI NVS": 4, "unusable": 5,
                     "soft reserved": 0xEFFFFFFF}


def dmesg_e820(report: guest.GuestReport) -> list[tuple[int, int, int]]:
    """(address, size, type) of each range the guest's kernel printed as the firmware's, in its order."""
    def number(kind: str) -> int:
        found = re.fullmatch(r"(?:persistent \()?type (\d+)\)?", kind)
        return int(found.group(1)) if found else _DMESG_E820_TYPES[kind]

    return [(int(start, 16), int(end, 16) + 1 - int(start, 16), number(kind.strip()))
            for start, end, kind in _DMESG_E820.findall(report.dmesg)]


def guest_memmap(report: guest.GuestReport, directory) -> list[tuple[int, int, int]]:
    """The guest's /sys/firmware/memmap as dump-tables reads it: (address, size, type) of each e820 entry."""
    import qboot_tables

    e820 = qboot_tables.load(guest.write_memmap(report, str(directory))).e820
    return [(e.address, e.length, e.type) for e in e820.entries]


def guest_snapshot(report: guest.GuestReport, directory):
    """The guest's own qemu_fw_cfg view, written back as <name>/raw and read like a copied by_name tree."""
    from qboot_tables.read.snapshot import SYSFS_RAW, read_sysfs_by_name

    for name, data in report.fw_cfg.items():
        target = os.path.join(directory, *name.split("/"))
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, SYSFS_RAW), "wb") as f:
            f.write(data)
    return read_sysfs_by_name(str(directory))


def assert_linux_sees_ours(report: guest.GuestReport, ours) -> dict:
    """Every table Linux shows (plus the root table it read from memory) is ours, byte for byte, at the same
    address, and every table we found is one Linux found. Returns Linux's {address: (signature, data)}."""
    linux = report.tables_by_address()
    assert linux, "the guest reported no ACPI tables"
    ours_by_address = {t.address: t for t in ours.acpi}
    for address, (signature, data) in sorted(linux.items()):
        if signature == "RSDP":
            continue
        table = ours_by_address.get(address)
        assert table is not None, f"Linux has {signature} at {address:#x}; the model put nothing there"
        assert table.signature == signature, f"{address:#x}: Linux {signature}, ours {table.signature}"
        assert table.data == data, f"{signature} at {address:#x} differs from what Linux read"
    assert sorted(ours_by_address) == sorted(a for a, (sig, _) in linux.items() if sig != "RSDP")
    return linux


# Every pc and q35 table set Linux must see: with NUMA, also the affinity and distance tables.
CORE_SIGNATURES = {"APIC", "DSDT", "FACP", "FACS", "RSDT"}
NUMA_SIGNATURES = {"SRAT", "SLIT"}


def assert_linux_sees_the_linked_set(report: guest.GuestReport, snapshot, placement: dict, numa: bool):
    """`snapshot` linked at `placement` walks without errors, Linux shows exactly those tables (the core set, and
    SRAT and SLIT when `numa`), and the RSDP Linux read is ours. Returns (our TableSet, Linux's tables)."""
    from qboot_tables.findings import ERROR
    from qboot_tables.read.loader import link
    from qboot_tables.read.walk import walk_image

    ours = walk_image(link(snapshot, placement), snapshot, "guest fw_cfg")
    assert [str(f) for f in ours.findings if f.severity == ERROR] == []
    linux = assert_linux_sees_ours(report, ours)
    signatures = {sig for sig, _ in linux.values()}
    assert CORE_SIGNATURES <= signatures
    if numa:
        assert NUMA_SIGNATURES <= signatures
    rsdp_address = report.acpi_addresses["RSDP"]
    assert ours.rsdp is not None and ours.rsdp.address == rsdp_address
    assert ours.rsdp.data == linux[rsdp_address][1]
    return ours, linux


def assert_dmidecode_sees(report: guest.GuestReport, placed, directory) -> None:
    """dmidecode in the guest, over /sys/firmware/dmi/tables, printed cleanly what `dmidecode --from-dump` of the
    model's placed SMBIOS prints, structure by structure; and Linux exported the model's bytes."""
    from qboot_tables.tools import dmidecode

    in_guest = report.dmidecode
    assert in_guest is not None and in_guest.ok, (in_guest.warnings, in_guest.errors)
    assert in_guest.source == "Getting SMBIOS data from sysfs.", in_guest.source
    dump = os.path.join(str(directory), "model-smbios.bin")
    dmidecode.write_dump_bin(placed, dump)
    model = dmidecode.run_from_dump(dump)
    assert model.ok, (model.warnings, model.errors)
    assert in_guest.handles, in_guest.text[-500:]
    assert dmidecode.differences(in_guest, model) == []
    # The one header line --from-dump leaves out: the address in the entry point Linux exported.
    assert in_guest.table_address == placed.table_address
    assert report.dmi["smbios_entry_point"] == placed.entry_point_raw
    assert report.dmi["DMI"] == placed.table_raw


# Linux's report of each BAR it found (drivers/pci/probe.c __pci_read_base), and what it later did to one
# (drivers/pci/setup-res.c: ": assigned", "can't assign; no space", ...).
_LINUX_BAR = re.compile(r"pci (\S+): BAR (\d+) \[(io|mem) (0x[0-9a-f]+)-(0x[0-9a-f]+)[^\]]*\](.*)$")


def assert_linux_kept_the_pci_bars(report: guest.GuestReport, log) -> None:
    """Every BAR Linux found lies in the windows our firmware's pci phase says it assigned, and Linux moved
    none of them (an expansion ROM, which the firmware leaves unassigned, is Linux's to place)."""
    windows = log.pci_windows
    bars = [m for m in (_LINUX_BAR.search(line) for line in report.dmesg.splitlines()) if m]
    assert bars, "Linux printed no PCI BARs"
    for match in bars:
        device, bar, kind, start, end, after = match.groups()
        start, end = int(start, 16), int(end, 16)
        low, high = windows[kind]
        assert low <= start and end < high, f"{device} BAR {bar} [{kind} {start:#x}-{end:#x}] outside the firmware's"
        assert not after.strip(), f"Linux changed {device} BAR {bar}: {after.strip()}"
