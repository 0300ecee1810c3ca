"""Build the firmware ROM in firmware/, boot QEMU on it, and read what it printed on its debug console."""
from __future__ import annotations

import os
import re
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from harness import guest
from qboot_tables.tools import qemu
from qboot_tables.errors import CaptureError, InputError, LoggedCaptureError, QbootTablesError
from qboot_tables.generate.mptable import FLOATING_SIGNATURE as MP_FLOATING_SIGNATURE
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE
from qboot_tables.schemas.smbios import ANCHOR_21, ANCHOR_30
from qboot_tables.read.walk import RSDP_SCAN

FIRMWARE_DIR = os.path.join(guest.REPO, "firmware")
ROM_PATH = os.path.join(FIRMWARE_DIR, "build", "firmware.rom")
# QEMU's isa-debugcon default port (hw/char/debugcon.c); firmware/console.c writes there.
DEBUG_PORT = 0x402
DEBUG_LOG = "debugcon.log"
QBOOT_ROM = "/usr/share/qemu/qboot.rom"
ROM_GRANULE = 64 << 10  # QEMU's pc machines want a BIOS of whole 64 KiB blocks (hw/i386/x86.c x86_bios_rom_init)

# "alloc <name> <address> <size>" (firmware/memory.c zone_alloc), "e820 <addr> <size> <type>" (e820.c e820_print).
_ALLOC = re.compile(r"alloc (\S+) 0x([0-9a-f]+) 0x([0-9a-f]+)")
_E820 = re.compile(r"e820 0x([0-9a-f]+) 0x([0-9a-f]+) (\d+)")
# The pci phase's summary (firmware/pci.c pci_setup): I/O BARs from PCI_IO_START up to the first end, memory
# BARs between the two addresses after "mem".
_PCI_SUMMARY = re.compile(r"pci \d+ functions, \d+ buses, io to (0x[0-9a-f]+), mem (0x[0-9a-f]+) to (0x[0-9a-f]+)"
                          r"(, unassigned BARs \d+)?")
PCI_IO_START = 0xC000  # firmware/pci.c: I/O BARs start above the legacy ISA ports


class FirmwareError(LoggedCaptureError):
    """The ROM could not be built, or a boot on it failed; carries the debug console's text."""

    def __init__(self, message: str, debug_log: str = ""):
        self.debug_log = debug_log
        super().__init__(message, debug_log, "firmware debug console", 30)


@dataclass
class DebugLog:
    """The firmware's debug console, line by line, and what those lines mean."""

    lines: list[str]
    phases: list[str]  # the text after "phase ", in order
    allocations: dict[str, tuple[int, int]]  # fw_cfg file name -> (address, size)
    e820: list[tuple[int, int, int]]  # (address, size, type), as handed to Linux
    errors: list[str]  # the text after "error: "
    powered_off: bool = False

    @property
    def placement(self) -> dict[str, int]:
        """The allocation addresses as `loader.link(snapshot, placement)` takes them."""
        return {name: address for name, (address, _) in self.allocations.items()}

    @property
    def booted_kernel(self) -> bool:
        return any(p.startswith("boot kernel") for p in self.phases)

    @property
    def pci_windows(self) -> dict[str, tuple[int, int]]:
        """{"io": (start, end), "mem": (start, end)}: where the pci phase put the BARs (ends exclusive)."""
        summaries = [m for m in map(_PCI_SUMMARY.fullmatch, self.phases) if m]
        if len(summaries) != 1:
            raise InputError(f"debug console: {len(summaries)} pci phase summaries, not one")
        io_end, mem_start, mem_end = (int(v, 16) for v in summaries[0].groups()[:3])
        return {"io": (PCI_IO_START, io_end), "mem": (mem_start, mem_end)}

    def phase_names(self) -> list[str]:
        """The first word of each phase line ("chipset", "pci", "fw_cfg", "loader", ...)."""
        return [p.split()[0] for p in self.phases if p.split()]


def parse_debug_log(text: str) -> DebugLog:
    """Read the debug console. A "rollback" line (the loader refused its script and the firmware wiped what
    it had placed) drops the allocations printed before it. Malformed alloc/e820 lines are an InputError."""
    lines = text.splitlines()
    log = DebugLog(lines=lines, phases=[], allocations={}, e820=[], errors=[])
    for number, line in enumerate(lines, 1):
        if line.startswith("phase "):
            log.phases.append(line[len("phase "):])
        elif line.startswith("error: "):
            log.errors.append(line[len("error: "):])
        elif line == "rollback":
            log.allocations.clear()
        elif line == "power off":
            log.powered_off = True
        elif line.startswith("alloc "):
            match = _ALLOC.fullmatch(line)
            if match is None:
                raise InputError(f"debug console line {number}: malformed alloc line {line!r}")
            name = match.group(1)
            if name in log.allocations:
                raise InputError(f"debug console line {number}: {name} allocated twice")
            log.allocations[name] = (int(match.group(2), 16), int(match.group(3), 16))
        elif line.startswith("e820 "):
            match = _E820.fullmatch(line)
            if match is None:
                raise InputError(f"debug console line {number}: malformed e820 line {line!r}")
            log.e820.append((int(match.group(1), 16), int(match.group(2), 16), int(match.group(3))))
    return log


def build_firmware(make: str = "make") -> str:
    """Run `make -C firmware`; return the ROM's path. Raises FirmwareError with make's output on failure."""
    try:
        done = subprocess.run([make, "-C", FIRMWARE_DIR, "--no-print-directory"], capture_output=True,
                              text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise FirmwareError(f"cannot run {make} -C {FIRMWARE_DIR}: {e}") from None
    if done.returncode != 0:
        raise FirmwareError(f"building the firmware failed (exit {done.returncode}):\n"
                            f"{(done.stdout + done.stderr).strip()[-2000:]}")
    size = os.path.getsize(ROM_PATH) if os.path.isfile(ROM_PATH) else 0
    if not size or size % ROM_GRANULE:
        raise FirmwareError(f"{ROM_PATH} is {size} bytes, not a multiple of {ROM_GRANULE}")
    return ROM_PATH


def debugcon_args(log_path: str) -> list[str]:
    return ["-chardev", f"file,id=qboot-dbg,path={log_path}",
            "-device", f"isa-debugcon,iobase={DEBUG_PORT:#x},chardev=qboot-dbg"]


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


@dataclass
class FirmwareBoot:
    """A Linux guest booted on our firmware: what the guest saw and what the firmware said."""

    report: guest.GuestReport
    log: DebugLog
    debug_text: str = field(repr=False, default="")


def boot(machine_args: list[str], *, rom: str | None = None, timeout: float = 180.0,
         assets: str = guest.DEFAULT_ASSETS, workdir: str | None = None, memory: str = "512M",
         kernel_cmdline: str = guest.KERNEL_CMDLINE) -> FirmwareBoot:
    """Boot Debian's kernel and the busybox initramfs (harness.guest) on our ROM, with its debug console
    in `workdir`. The report's machine_args leave the debug console out, so a host capture of the same machine
    does not write into the log."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="qboot-fw-") as tmp:
            return boot(machine_args, rom=rom, timeout=timeout, assets=assets, workdir=tmp, memory=memory,
                        kernel_cmdline=kernel_cmdline)
    os.makedirs(workdir, exist_ok=True)
    rom = rom or build_firmware()
    log_path = os.path.join(workdir, DEBUG_LOG)
    if os.path.exists(log_path):
        os.remove(log_path)
    extra = debugcon_args(log_path)
    try:
        report = guest.boot_guest([*machine_args, *extra], firmware=rom, timeout=timeout, assets=assets,
                                  workdir=workdir, memory=memory, kernel_cmdline=kernel_cmdline)
    except guest.GuestAssetsMissing:
        raise
    except guest.GuestError as e:
        raise FirmwareError(str(e), _read(log_path)) from None
    text = _read(log_path)
    args = report.machine_args
    for start in range(len(args) - len(extra) + 1):
        if args[start:start + len(extra)] == extra:
            report.machine_args = args[:start] + args[start + len(extra):]
            break
    return FirmwareBoot(report=report, log=parse_debug_log(text), debug_text=text)


def run_without_kernel(machine_args: list[str], *, rom: str | None = None, timeout: float = 30.0,
                       memory: str = "512M", qemu_binary: str = "qemu-system-x86_64") -> DebugLog:
    """Run the firmware alone: with nothing to boot it reports so and powers the machine off."""
    rom = rom or build_firmware()
    with tempfile.TemporaryDirectory(prefix="qboot-fw-") as tmp:
        log_path = os.path.join(tmp, DEBUG_LOG)
        machine = guest.with_memory(machine_args, memory)
        argv = [qemu_binary, "-accel", "tcg", "-bios", rom, *machine, *debugcon_args(log_path),
                "-display", "none", "-serial", "none", "-monitor", "none", "-no-reboot"]
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise FirmwareError(f"QEMU did not exit within {timeout:.0f} s", _read(log_path)) from None
        except OSError as e:
            raise FirmwareError(f"cannot start {qemu_binary}: {e.strerror}") from None
        text = _read(log_path)
        if done.returncode != 0:
            raise FirmwareError(f"QEMU exited with status {done.returncode}: "
                                f"{done.stderr.decode('utf-8', 'replace').strip()[-500:]}", text)
        return parse_debug_log(text)


_INIT_MARKER = b"QBOOT-GUEST: init at"


def _kernel_argv(machine_args: list[str], firmware: str, initrd_path: str, assets: str, memory: str,
                 qemu_binary: str, kernel_cmdline: str = guest.KERNEL_CMDLINE) -> list[str]:
    """QEMU booting Debian's kernel and the busybox initramfs, its serial console on stdout."""
    return [qemu_binary, "-accel", "tcg", "-bios", firmware, *guest.with_memory(machine_args, memory),
            "-kernel", os.path.join(assets, "vmlinuz"), "-initrd", initrd_path, "-append", kernel_cmdline,
            "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot"]


def _serial_until_init(argv: list[str], firmware: str, timeout: float) -> tuple[float, bytes]:
    """Run QEMU until the guest's /init prints its first line; then kill it. The seconds it took and the
    serial console's text up to then (the kernel's whole boot log)."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = b""
    try:
        while (left := timeout - (time.monotonic() - started)) > 0:
            # select first: a guest that hangs without a word must not block the read past the deadline.
            if not select.select([proc.stdout], [], [], left)[0]:
                continue
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            seen += chunk
            if _INIT_MARKER in seen[-4096:]:
                return time.monotonic() - started, seen
    finally:
        proc.kill()
        proc.communicate()
    raise FirmwareError(f"{firmware}: the guest's /init did not start within {timeout:.0f} s: "
                        f"{seen[-400:].decode('utf-8', 'replace')}")


def seconds_to_init(machine_args: list[str], firmware: str, *, timeout: float = 120.0,
                    assets: str = guest.DEFAULT_ASSETS, memory: str = "512M",
                    qemu_binary: str = "qemu-system-x86_64") -> float:
    """Wall time from starting QEMU until the guest's /init prints its first line on the serial console: the
    firmware's cost plus the kernel's, the same for every firmware booting the same kernel and initramfs."""
    initrd, _ = guest.build_initramfs(assets)
    with tempfile.TemporaryDirectory(prefix="qboot-fw-time-") as tmp:
        initrd_path = os.path.join(tmp, "initramfs.cpio")
        with open(initrd_path, "wb") as f:
            f.write(initrd)
        argv = _kernel_argv(machine_args, firmware, initrd_path, assets, memory, qemu_binary)
        return _serial_until_init(argv, firmware, timeout)[0]


@dataclass
class KernelLog:
    """A Linux boot on our firmware watched on the serial console alone, up to its /init: for machines
    whose guest cannot reach the report disk (microvm with acpi=off, whose virtio-mmio transports only ACPI or a
    command-line option Debian's kernel lacks would announce)."""

    console: str  # the kernel's boot messages
    log: DebugLog
    seconds: float

    @property
    def cpus_brought_up(self) -> int | None:
        """The CPU count of "smp: Brought up N node(s), M CPU(s)" (kernel/smp.c smp_init), once all are online."""
        match = _BROUGHT_UP.search(self.console)
        return int(match.group(1)) if match else None


def host_tsc_khz() -> int | None:
    """The host's TSC frequency, when its CPU says the TSC is constant and of known frequency (its /proc/cpuinfo
    "cpu MHz" is then that frequency): under TCG a guest's RDTSC reads the host's TSC (QEMU
    target/i386/tcg/misc_helper.c helper_rdtsc, cpu_get_host_ticks)."""
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return None
    mhz = re.search(r"^cpu MHz\s*:\s*([0-9.]+)", info, re.M)
    flags = re.search(r"^flags\s*:(.*)$", info, re.M)
    if not mhz or not flags or not {"constant_tsc", "tsc_known_freq"} <= set(flags.group(1).split()):
        return None
    return round(float(mhz.group(1)) * 1000)


def microvm_kernel_cmdline() -> str:
    """The guest command line for microvm. It has no HPET or PM timer, and TCG's CPUID no TSC frequency, so Linux
    calibrates its TSC against the PIT alone (arch/x86/kernel/tsc.c), which fails when the host is busy and TCG
    slow: the boot then hangs. tsc_early_khz (Documentation/admin-guide/kernel-parameters.txt) gives it the
    host's frequency, which is what its RDTSC counts, instead."""
    khz = host_tsc_khz()
    return guest.KERNEL_CMDLINE + (f" tsc_early_khz={khz}" if khz else "")


_BROUGHT_UP = re.compile(r"smp: Brought up \d+ nodes?, (\d+) CPUs?")


def boot_to_init(machine_args: list[str], *, rom: str | None = None, timeout: float = 120.0,
                 assets: str = guest.DEFAULT_ASSETS, memory: str = "512M",
                 qemu_binary: str = "qemu-system-x86_64", kernel_cmdline: str = guest.KERNEL_CMDLINE) -> KernelLog:
    """Boot Debian's kernel on our ROM with its debug console, and stop once the guest's /init starts."""
    rom = rom or build_firmware()
    initrd, _ = guest.build_initramfs(assets)
    with tempfile.TemporaryDirectory(prefix="qboot-fw-init-") as tmp:
        initrd_path = os.path.join(tmp, "initramfs.cpio")
        log_path = os.path.join(tmp, DEBUG_LOG)
        with open(initrd_path, "wb") as f:
            f.write(initrd)
        argv = _kernel_argv([*machine_args, *debugcon_args(log_path)], rom, initrd_path, assets, memory,
                            qemu_binary, kernel_cmdline)
        try:
            seconds, console = _serial_until_init(argv, rom, timeout)
        except FirmwareError as e:
            raise FirmwareError(str(e), _read(log_path)) from None
        return KernelLog(console=console.decode("utf-8", "replace"), log=parse_debug_log(_read(log_path)),
                         seconds=seconds)


# --- the firmware's memory against the model -------------------------------------------------------------------

MPTABLE_ALLOCATION = "mptable"  # the name firmware/mptable.c allocates its table under
# Where guests scan for the RSDP (ACPI 6.5 §5.2.5.1), the SMBIOS entry point (SMBIOS 3.6 §5.2) and the MP
# floating pointer (MPS 1.4 §4): on 16-byte boundaries in 0xE0000-0xFFFFF, the RSDP's range, which holds the
# other two.
FSEG_START, FSEG_END = RSDP_SCAN
SCANNED_SIGNATURES = (RSDP_SIGNATURE, ANCHOR_21, ANCHOR_30, MP_FLOATING_SIGNATURE)


@dataclass
class FirmwareMemory:
    """A machine right after our firmware ran: what it printed, the guest memory of everything it allocated,
    and fw_cfg as it left it (WRITE_POINTER targets included)."""

    machine_args: list[str]  # as QEMU ran them, -m included
    log: DebugLog
    regions: dict[str, bytes]  # allocation name -> the guest memory it covers
    snapshot: object  # qboot_tables.read.snapshot.FwCfgSnapshot
    fseg: bytes = b""  # guest memory 0xE0000-0xFFFFF, where guests scan for entry points

    def scan_fseg(self) -> dict[bytes, list[int]]:
        """The addresses where a guest's scan of the F-segment finds each entry point's signature."""
        found: dict[bytes, list[int]] = {signature: [] for signature in SCANNED_SIGNATURES}
        for offset in range(0, len(self.fseg), 16):
            for signature in SCANNED_SIGNATURES:
                if self.fseg.startswith(signature, offset):
                    found[signature].append(FSEG_START + offset)
        return found


def run_and_read_memory(machine_args: list[str], *, rom: str | None = None, timeout: float = 60.0,
                        memory: str = "512M", qemu_binary: str = "qemu-system-x86_64") -> FirmwareMemory:
    """Run the firmware with no kernel under qtest control and read, once it reports "power off", the guest
    memory of each allocation and then fw_cfg. -no-shutdown keeps the powered-off machine for the reads."""
    rom = rom or build_firmware()
    machine = guest.with_memory(machine_args, memory)
    with tempfile.TemporaryDirectory(prefix="qboot-fw-mem-") as tmp:
        log_path = os.path.join(tmp, DEBUG_LOG)
        argv = ["-bios", rom, *machine, *debugcon_args(log_path), "-no-shutdown"]
        try:
            with qemu.controlled(argv, qemu_binary, timeout, stopped=False) as vm:
                while "\npower off\n" not in _read(log_path):
                    if not vm.running():
                        raise FirmwareError("QEMU exited before the firmware powered off", _read(log_path))
                    vm.check_deadline("waiting for the firmware to power off")
                    time.sleep(0.01)
                log = parse_debug_log(_read(log_path))
                # Memory before fw_cfg: a DMA read through qtest uses guest RAM (qemu.DMA_BUFFER).
                regions = {name: vm.read_memory(address, size) for name, (address, size) in log.allocations.items()}
                fseg = vm.read_memory(FSEG_START, FSEG_END - FSEG_START)
                snapshot = vm.read_fw_cfg()
        except FirmwareError:
            raise
        except CaptureError as e:
            raise FirmwareError(str(e), _read(log_path)) from None
    return FirmwareMemory(machine_args=machine, log=log, regions=regions, snapshot=snapshot, fseg=fseg)


def model_smbios(files, placement: dict[str, int]):
    """SMBIOS as our firmware places QEMU's anchor and tables (`files`: fw_cfg name -> bytes) at the addresses
    its log names: smbios.place_smbios with our own type 0 in front when QEMU gave none (firmware/smbios.c)."""
    from harness.firmware_host import type0_strings
    from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES
    from qboot_tables.smbios import place_smbios

    return place_smbios(files[SMBIOS_ANCHOR], files[SMBIOS_TABLES], placement[SMBIOS_TABLES],
                        placement[SMBIOS_ANCHOR], add_type0=True, type0_strings=type0_strings())


def model_differences(run: FirmwareMemory, *, mptable_machine: list[str] | None = None) -> list[str]:
    """Where the firmware's memory differs from the Python model at the firmware's addresses: the ACPI files
    as loader.link() links them, the WRITE_POINTERs in fw_cfg, SMBIOS as smbios.place_smbios() places it with
    our type 0, and the MP table as generate.mptable.build_mptable() builds it. Empty when all are equal.
    `mptable_machine`: the arguments the MP table model reads instead of the run's, for machine properties the
    generator does not parse but that cannot reach the MP table (firmware/mptable.c reads only the host bridge,
    fw_cfg's CPU counts, CPUID and the RSDP's OEM ID)."""
    from qboot_tables.generate.mptable import build_mptable
    from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES, link
    from qboot_tables.generate.machine import MachineConfig

    out: list[str] = []
    placement = run.log.placement
    explained = set()

    def compare(name: str, model: bytes, *, zero_tail: bool = False) -> None:
        explained.add(name)
        memory = run.regions.get(name)
        if memory is None:
            out.append(f"{name}: the firmware allocated no such region")
            return
        if len(model) > len(memory) or (len(model) < len(memory) and not zero_tail):
            out.append(f"{name}: the model has {len(model)} bytes, the firmware's region {len(memory)}")
        head = memory[:len(model)]
        if head != model:
            first = next((i for i, (a, b) in enumerate(zip(head, model)) if a != b), min(len(head), len(model)))
            out.append(f"{name} at {placement[name]:#x}: first difference at byte {first:#x}")
        if zero_tail and any(memory[len(model):]):
            out.append(f"{name}: bytes after the model's {len(model)} are not zero")

    snapshot = run.snapshot
    smbios_names = (SMBIOS_ANCHOR, SMBIOS_TABLES)
    try:
        # Strict: the firmware rolls a broken script back whole rather than skipping its bad commands.
        image = link(snapshot, {n: a for n, a in placement.items()
                                if n not in smbios_names and n != MPTABLE_ALLOCATION}, smbios=False, strict=True)
        for name in sorted(image.allocations):
            compare(name, image.memory[name])
        for name, data in sorted(image.fw_cfg_written.items()):
            held = snapshot.file(name) or b""
            if held != data:
                out.append(f"WRITE_POINTER {name}: QEMU holds {held.hex()}, the model wrote {data.hex()}")
    except QbootTablesError as e:
        out.append(f"the model cannot link this fw_cfg: {e}")
    if snapshot.file(SMBIOS_ANCHOR) is not None and snapshot.file(SMBIOS_TABLES) is not None:
        try:
            placed = model_smbios(snapshot.files, placement)
            compare(SMBIOS_ANCHOR, placed.entry_point_raw, zero_tail=True)
            # The firmware reserves room for a type 0 before it knows whether one is needed.
            compare(SMBIOS_TABLES, placed.table_raw, zero_tail=True)
        except KeyError as e:
            out.append(f"the firmware placed no {e.args[0]}")
        except QbootTablesError as e:
            out.append(f"the model cannot place this SMBIOS: {e}")
    explained.add(MPTABLE_ALLOCATION)
    try:
        machine = MachineConfig.from_qemu_args(guest.with_memory(mptable_machine, "512M") if mptable_machine
                                               else run.machine_args)
        if MPTABLE_ALLOCATION not in placement:
            out.append("the firmware built no MP table")
        else:
            compare(MPTABLE_ALLOCATION, build_mptable(machine, placement[MPTABLE_ALLOCATION]))
    except QbootTablesError as e:
        out.append(f"the model cannot build this machine's MP table: {e}")
    out += [f"{name}: allocated by the firmware, unknown to the model" for name in sorted(set(run.regions) - explained)]
    return out
