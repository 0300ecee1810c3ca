"""Generated tables in a real guest: QEMU with ACPI off gets our table-loader, tables and RSDP through -fw_cfg,
SeaBIOS (or our firmware) links them, and Debian's Linux must online every CPU (one of them plugged over QMP
while it runs), show exactly our tables, use a virtio disk and PCIe extended configuration space, and say
nothing against our DSDT; microvm, on our firmware, up to its /init."""
from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import time

import pytest

from harness import firmware, guest
from qboot_tables.generate.fwcfg import generate
from qboot_tables.read.loader import link
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.read.walk import placement_for_addresses, walk_image

INJECTED = ("etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp")
# Two sockets of two cores on both chipsets. q35 also has room for two more CPUs and two DIMMs, so its DSDT
# carries the CPU and memory hotplug interfaces, and one CPU is plugged while the guest runs. pc cannot show
# hotplug here: with acpi=off QEMU 7.2 builds no PIIX4 PM function (hw/i386/pc_piix.c), which holds the
# hotplug registers, while q35's live in the ICH9 LPC bridge and stay (hw/isa/lpc_ich9.c).
MACHINES = {
    "pc": ["-machine", "pc", "-smp", "4,sockets=2,cores=2", "-m", "512M"],
    "q35": ["-machine", "q35", "-smp", "4,maxcpus=6,sockets=3,cores=2", "-m", "512M,slots=2,maxmem=1G"],
}
# The boots: each machine under SeaBIOS and under our firmware, whose e820 map does not reserve MMCONFIG: there
# Linux may use it only because our DSDT reserves it (arch/x86/pci/mmconfig-shared.c, pci_mmcfg_late_init).
BOOTS = {"pc": ("pc", "seabios"), "q35": ("q35", "seabios"), "pc-our-firmware": ("pc", "ours"),
         "q35-our-firmware": ("q35", "ours")}
MMCONFIG_RESERVED_BY = {"seabios": "E820", "ours": "ACPI motherboard resources"}
# Devices only the guest gets (the generator models no -device): a PCIe root port, whose configuration space is
# 4096 bytes when Linux can use MMCONFIG and 256 when it cannot (drivers/pci/probe.c, pci_cfg_space_size).
GUEST_ONLY_DEVICES = {"q35": ["-device", "pcie-root-port,id=rp1,bus=pcie.0,chassis=1"]}
PCIE_ROOT_PORT = ("0x1b36", "0x000c")  # QEMU's generic root port (hw/pci-bridge/gen_pcie_root_port.c)
HOTPLUGGED_CPU = 4  # the first absent CPU index of the q35 machine
READY = "ready for CPU hotplug"

# What Linux says when it does not like a DSDT: ACPICA's errors, warnings and exceptions, and the complaints
# of drivers/acpi/pci_root.c and arch/x86/pci/mmconfig-shared.c that the issue is about.
ACPI_COMPLAINT = re.compile(r"ACPI (BIOS )?(Error|Warning|Exception)|_OSC: platform retains control|_OSC failed"
                            r"|not requesting OS control|fail to add MMCONFIG|MMCONFIG.*not reserved"
                            r"|can't access extended")
# What pc says whatever its DSDT: the i440FX has no MMCONFIG (QEMU builds no MCFG for it), so Linux cannot
# reach extended configuration space there and asks for no PCIe control (arch/x86/pci/acpi.c setup_mcfg_map,
# drivers/acpi/pci_root.c os_control_query_checks); test_guest_seabios sees the same under QEMU's own DSDT.
# And with acpi=off QEMU 7.2's pc has no PIIX4 PM function (see above), so the PM1 registers our FADT names read
# as all ones and ACPICA cannot clear the RTC event enable. q35 must show no complaint at all.
PC_WITHOUT_MMCONFIG = re.compile(r"_OSC: not requesting OS control; OS requires \[ExtendedConfig"
                                 r"|fail to add MMCONFIG information, can't access extended PCI configuration space")
EXPECTED = {"pc": re.compile(PC_WITHOUT_MMCONFIG.pattern
                             + r"|ACPI Error: Could not disable RealTimeClock events")}

# /init's extra step: each PCI function's vendor, device and configuration space size, and on q35 the CPU that
# the host plugs once the guest says it is ready; Linux hot-adds it offline and userspace brings it up.
PCI_CONFIG_SIZES = ('for d in /sys/bus/pci/devices/*; do '
                    'echo "${d##*/} $(cat $d/vendor) $(cat $d/device) $(wc -c < $d/config)"; '
                    'done > /out/pci-config-sizes\n')
# ... and every ACPI device Linux enumerated with the _STA it read (drivers/acpi/device_sysfs.c "status"), last.
ACPI_DEVICES = ('for d in /sys/bus/acpi/devices/*; do echo "${d##*/} $(cat $d/status 2>/dev/null || echo -)"; '
                'done > /out/acpi-devices\n')
WAIT_FOR_CPU = f"""say "{READY}"
n=0; c=/sys/devices/system/cpu/cpu{HOTPLUGGED_CPU}/online
while [ ! -e $c ] && [ $n -lt 900 ]; do sleep 0.2; n=$((n+1)); done
echo 1 > $c || say "cannot online CPU {HOTPLUGGED_CPU}"
"""


def plug_cpu_when_ready(qmp_path: str, cpu, timeout: float = 300):
    """A boot_guest `while_running` that waits for the guest's READY line, then plugs the model's `cpu` with QMP
    device_add, in the slot query-hotpluggable-cpus lists at its socket, die, core and thread."""
    position = {"socket-id": cpu.socket, "die-id": cpu.die, "core-id": cpu.core, "thread-id": cpu.thread}

    def run(console_path: str) -> None:
        deadline = time.monotonic() + timeout
        while READY not in _read(console_path):
            if time.monotonic() > deadline:
                raise guest.GuestError(f"the guest never said {READY!r}", _read(console_path))
            time.sleep(0.5)
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(qmp_path)
            stream = sock.makefile("rw")
            json.loads(stream.readline())  # the greeting
            _qmp(stream, "qmp_capabilities")
            slots = [c for c in _qmp(stream, "query-hotpluggable-cpus")
                     if all(c["props"].get(k, v) == v for k, v in position.items())]
            assert len(slots) == 1 and "qom-path" not in slots[0], slots  # one slot, and still empty
            _qmp(stream, "device_add", driver=slots[0]["type"], id="plugged", **slots[0]["props"])
    return run


def _qmp(stream, command: str, **arguments):
    stream.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
    stream.flush()
    while True:
        reply = json.loads(stream.readline())
        if "error" in reply:
            raise guest.GuestError(f"QMP {command}: {reply['error']}")
        if "return" in reply:
            return reply["return"]


def _read(path: str) -> str:
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


@pytest.fixture(scope="module", params=sorted(BOOTS))
def booted(request, guest_assets, tmp_path_factory):
    name, bios = BOOTS[request.param]
    machine = MachineConfig.from_qemu_args(MACHINES[name])
    snapshot = generate(machine)
    capture_dir = tmp_path_factory.mktemp(f"generated-{request.param}")
    snapshot.write_capture(str(capture_dir))
    # MSI-X off: the virtio disk must then take its interrupt through our _PRT and link devices.
    args = ["-machine", f"{name},acpi=off", *MACHINES[name][2:], *GUEST_ONLY_DEVICES.get(name, []),
            "-global", "virtio-blk-pci.vectors=0"]
    for fw_cfg_name in INJECTED:
        args += ["-fw_cfg", f"name={fw_cfg_name},file={capture_dir / fw_cfg_name}"]
    init_extra, while_running = PCI_CONFIG_SIZES, None
    with tempfile.TemporaryDirectory(prefix="qmp-") as qmp_dir:  # short: a socket path has 107 bytes at most
        if name == "q35":
            qmp_path = os.path.join(qmp_dir, "qmp.sock")
            args += ["-qmp", f"unix:{qmp_path},server=on,wait=off"]
            init_extra += WAIT_FOR_CPU
            while_running = plug_cpu_when_ready(qmp_path, machine.cpus[HOTPLUGGED_CPU])
        init_extra += ACPI_DEVICES
        rom = guest.SEABIOS if bios == "seabios" else firmware.build_firmware()
        report = guest.boot_guest(args, firmware=rom, timeout=400, assets=guest_assets,
                                  workdir=str(tmp_path_factory.mktemp(request.param)), init_extra=init_extra,
                                  while_running=while_running)
    return name, machine, snapshot, report, bios


def pci_config_sizes(report) -> dict[str, tuple[str, str, int]]:
    """{PCI address: (vendor, device, configuration space bytes)} from /init's listing."""
    lines = report.files["pci-config-sizes"].decode().splitlines()
    return {address: (vendor, device, int(size)) for address, vendor, device, size in map(str.split, lines)}


@pytest.mark.guest
def test_every_cpu_online(booted):
    name, machine, _snapshot, report, _bios = booted
    expected = [cpu.index for cpu in machine.present_cpus]
    if name == "q35":
        # Plugged over QMP: our GPE method notified its processor object and Linux hot-added it.
        expected.append(HOTPLUGGED_CPU)
        assert re.search(rf"CPU{HOTPLUGGED_CPU} has been hot-added", report.dmesg), "no hot-add in dmesg"
    assert report.cpus_online == expected


@pytest.mark.guest
def test_acpi_devices_and_their_status(booted):
    """Linux enumerated one processor device per possible CPU and, on q35, the two empty DIMM slots and the
    MMCONFIG reservation, reading each _STA without an error (test_no_acpi_complaints)."""
    name, machine, _snapshot, report, _bios = booted
    devices = dict(line.split() for line in report.files["acpi-devices"].decode().splitlines())
    processors = {d: status for d, status in devices.items() if d.startswith("ACPI0007:")}
    if name == "q35":
        # _STA through the CPU hotplug registers: present ones and the plugged one 0x0F, the last absent.
        assert sorted(processors.values()) == ["0"] + ["15"] * (len(machine.present_cpus) + 1)
        assert sorted(status for d, status in devices.items() if d.startswith("PNP0C80:")) == ["0", "0"]
        assert any(d.startswith("PNP0C02:") for d in devices)
    else:
        assert sorted(processors.values()) == ["15"] * len(machine.cpus)


@pytest.mark.guest
def test_linux_sees_exactly_the_generated_tables(booted):
    _name, _machine, snapshot, report, _bios = booted
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


@pytest.mark.guest
def test_no_acpi_complaints(booted):
    name, _machine, _snapshot, report, _bios = booted
    allowed = EXPECTED.get(name)
    complaints = [line for line in report.dmesg.splitlines()
                  if ACPI_COMPLAINT.search(line) and not (allowed and allowed.search(line))]
    assert complaints == []
    # ACPICA found the sleep states our DSDT declares.
    assert "ACPI: PM: (supports S0 S3 S4 S5)" in report.dmesg


@pytest.mark.guest
def test_pcie_osc_and_extended_config_space(booted):
    name, _machine, _snapshot, report, bios = booted
    sizes = pci_config_sizes(report)
    if name != "q35":
        assert {size for _, _, size in sizes.values()} == {256}  # conventional PCI only
        return
    # _OSC granted the PCIe capability control, and MMCONFIG, reserved by our PNP0C02 device, reads the root
    # port's extended configuration space.
    assert re.search(r"_OSC: OS now controls \[[^]]*PCIeCapability", report.dmesg)
    assert f"PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in {MMCONFIG_RESERVED_BY[bios]}" in report.dmesg
    root_ports = [size for vendor, device, size in sizes.values() if (vendor, device) == PCIE_ROOT_PORT]
    assert root_ports == [4096], sizes


@pytest.mark.guest
def test_virtio_disk_and_pci_interrupts(booted):
    _name, _machine, _snapshot, report, _bios = booted
    assert report.disk_read == report.disk_written
    assert "PCI: Using ACPI for IRQ routing" in report.dmesg
    assert re.search(r"ACPI: \\_SB_\.LNK.: Enabled at IRQ \d+", report.dmesg), "no PCI link device was used"


MICROVM = ["-machine", "microvm", "-smp", "2", "-m", "512M"]


@pytest.mark.guest
def test_microvm_on_our_firmware(guest_assets, tmp_path):
    """microvm with ACPI off is a different machine (one I/O APIC, no GED, virtio-mmio on other GSIs,
    hw/i386/microvm.c), and Debian's kernel finds no report disk there, so this boot is read on the console up
    to /init: ACPICA loads our DSDT without a complaint, and Linux's PnP layer takes the serial port and the RTC
    from it."""
    snapshot = generate(MachineConfig.from_qemu_args(MICROVM))
    snapshot.write_capture(str(tmp_path))
    args = ["-machine", "microvm,acpi=off", *MICROVM[2:]]
    for fw_cfg_name in INJECTED:
        args += ["-fw_cfg", f"name={fw_cfg_name},file={tmp_path / fw_cfg_name}"]
    log = firmware.boot_to_init(args, timeout=300, assets=guest_assets,
                                kernel_cmdline=firmware.microvm_kernel_cmdline())
    assert [line for line in log.console.splitlines() if ACPI_COMPLAINT.search(line)] == []
    assert "ACPI: Interpreter enabled" in log.console and "ACPI: PM: (supports S0 S5)" in log.console
    assert log.cpus_brought_up == 2
    assert re.search(r"00:0\d: ttyS0 at I/O 0x3f8", log.console), "no serial port from the DSDT"
    assert re.search(r"rtc_cmos 00:0\d: registered as rtc0", log.console), "no RTC from the DSDT"
