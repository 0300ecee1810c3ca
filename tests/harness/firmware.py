"""Build the firmware ROM in firmware/, boot QEMU on it, and read what it printed on its debug console."""
from __future__ import annotations

import json
import os
import re
import select
import socket
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
         kernel_cmdline: str = guest.KERNEL_CMDLINE, init_extra: str = "",
         modules: tuple[str, ...] = guest.WANTED_MODULES) -> FirmwareBoot:
    """Boot Debian's kernel and the busybox initramfs (harness.guest) on our ROM, with its debug console
    in `workdir`. The report's machine_args leave the debug console out, so a host capture of the same machine
    does not write into the log. `init_extra` and `modules` go to guest.boot_guest."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="qboot-fw-") as tmp:
            return boot(machine_args, rom=rom, timeout=timeout, assets=assets, workdir=tmp, memory=memory,
                        kernel_cmdline=kernel_cmdline, init_extra=init_extra, modules=modules)
    os.makedirs(workdir, exist_ok=True)
    rom = rom or build_firmware()
    log_path = os.path.join(workdir, DEBUG_LOG)
    if os.path.exists(log_path):
        os.remove(log_path)
    extra = debugcon_args(log_path)
    try:
        report = guest.boot_guest([*machine_args, *extra], firmware=rom, timeout=timeout, assets=assets,
                                  workdir=workdir, memory=memory, kernel_cmdline=kernel_cmdline,
                                  init_extra=init_extra, modules=modules)
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


# --- what the firmware reads besides fw_cfg, as QEMU reports it over QMP --------------------------------------

Q35_MCH_DEVICE_ID = 0x29C0  # firmware/mptable.c: the q35 host bridge; any other answering bridge is an i440FX
# Intel SDM vol. 2A, CPUID leaves 0Bh and 1Fh, ECX[15:8] level type
CPUID_LEVEL_SMT, CPUID_LEVEL_CORE, CPUID_LEVEL_DIE = 1, 2, 5
CPUID_1_EDX_HTT = 1 << 28
# QEMU 7.2's leaf 4 subleaf 0 (target/i386/cpu.c encode_cache_cpuid4 of its L1 data cache): EAX data cache, level
# 1, self-initialising, one APIC ID sharing it, with the cores (minus one) in EAX[31:26]; 64-byte lines, 8 ways,
# 64 sets, no WBINVD sharing.
CPUID_4_L1D = (0x121, 0x01C0003F, 0x3F, 1)


@dataclass(frozen=True)
class MachineFacts:
    """The machine as QEMU's monitor describes it: PCI 00:00.0's device ID (None without a PCI bus), the first
    CPU's CPUID level, vendor and cpuid-0xb and x-vendor-cpuid-only properties (target/i386/cpu.c), -smp as QEMU
    resolved it, and the APIC IDs QEMU gave the present CPUs (to check the firmware's against, not to build the
    model from)."""

    host_bridge: int | None
    cpuid_level: int
    cpuid_0xb: bool
    threads: int  # per core
    cores: int  # per die
    dies: int  # per socket
    apic_ids: tuple[int, ...] = ()  # the present CPUs' APIC IDs (X86CPU "apic-id"), by CPU index
    vendor: str = "AuthenticAMD"  # qemu64's
    vendor_cpuid_only: bool = True  # machine types 6.1 on (pc.c pc_compat_6_0 turns it off)

    def cpuid(self, leaf: int, subleaf: int) -> tuple[int, int, int, int]:
        """EAX, EBX, ECX, EDX of what QEMU 7.2's CPUID returns to the BSP for the leaves firmware/mptable.c asks
        about (target/i386/cpu.c cpu_x86_cpuid, cases 0, 1, 4, 0xB and 0x1F; the offsets are
        include/hw/i386/topology.h's). 7.2 counts one die's CPUs (cs->nr_cores is -smp cores, qemu_init_vcpu in
        softmmu/cpus.c). Leaf 4 is modelled without host-cache-info. QEMU answers a leaf above the level as the
        level's, which this does not model: asking one is an error."""
        if leaf > self.cpuid_level:
            raise ValueError(f"CPUID leaf {leaf:#x} is above the level {self.cpuid_level:#x}")
        if leaf == 0:
            return self.cpuid_level, 0, 0, 0  # EBX/ECX/EDX hold the vendor, which the firmware does not read
        logical = self.cores * self.threads
        if leaf == 1:
            # EBX: the BSP's APIC ID 0 in [31:24], the CLFLUSH size, the logical CPUs in [23:16] with EDX.HTT
            # when more than one; EAX, ECX and the rest of EDX (version and features) the firmware does not read.
            many = logical > 1
            return 0, (8 << 8 | (logical << 16 if many else 0)) & 0xFFFFFFFF, 0, CPUID_1_EDX_HTT if many else 0
        if leaf == 4:
            if self.vendor_cpuid_only and self.vendor == "AuthenticAMD" or subleaf != 0:
                return 0, 0, 0, 0  # subleaves 1-3 are the other caches, which the firmware does not read
            eax, ebx, ecx, edx = CPUID_4_L1D
            return eax | (self.cores - 1) << 26, ebx, ecx, edx
        core_offset = _bit_width(self.threads)
        die_offset = core_offset + _bit_width(self.cores)
        package_offset = die_offset + _bit_width(self.dies)
        if leaf == 0xB and self.cpuid_0xb:
            levels = [(core_offset, self.threads, CPUID_LEVEL_SMT), (package_offset, logical, CPUID_LEVEL_CORE)]
        elif leaf == 0x1F and self.dies > 1:
            levels = [(core_offset, self.threads, CPUID_LEVEL_SMT), (die_offset, logical, CPUID_LEVEL_CORE),
                      (package_offset, logical * self.dies, CPUID_LEVEL_DIE)]
        elif leaf in (0xB, 0x1F):
            return 0, 0, 0, 0
        else:
            raise ValueError(f"CPUID leaf {leaf:#x} is not modelled")
        eax, ebx, level = levels[subleaf] if subleaf < len(levels) else (0, 0, 0)
        return eax, ebx & 0xFFFF, level << 8 | subleaf & 0xFF, 0  # EDX: the x2APIC ID, the BSP's 0


def _bit_width(count: int) -> int:
    """include/hw/i386/topology.h apicid_bitwidth_for_count: ceil(log2(count)), 0 for one."""
    return (count - 1).bit_length() if count > 1 else 0


def _qmp(stream, command: str, **arguments):
    stream.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
    stream.flush()
    while True:
        line = stream.readline()
        if not line:
            raise FirmwareError(f"QMP {command}: QEMU closed the monitor")
        reply = json.loads(line)
        if "event" in reply:
            continue
        if "error" in reply:
            raise FirmwareError(f"QMP {command}: {reply['error']}")
        return reply["return"]


def read_machine_facts(qmp_path: str, timeout: float = 10.0) -> MachineFacts:
    """Ask QEMU's monitor (-qmp at `qmp_path`) what the firmware learns from the hardware rather than fw_cfg."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(qmp_path)
            stream = sock.makefile("rw")
            stream.readline()  # the greeting
            _qmp(stream, "qmp_capabilities")
            smp = _qmp(stream, "qom-get", path="/machine", property="smp")
            cpus = sorted((c["cpu-index"], c["qom-path"]) for c in _qmp(stream, "query-cpus-fast"))
            apic_ids = tuple(_qmp(stream, "qom-get", path=path, property="apic-id") for _, path in cpus)
            level = _qmp(stream, "qom-get", path=cpus[0][1], property="level")
            leaf_0b = _qmp(stream, "qom-get", path=cpus[0][1], property="cpuid-0xb")
            vendor = _qmp(stream, "qom-get", path=cpus[0][1], property="vendor")
            vendor_only = _qmp(stream, "qom-get", path=cpus[0][1], property="x-vendor-cpuid-only")
            buses = _qmp(stream, "query-pci")  # [] on microvm
        host = [d["id"]["device"] for b in buses if b["bus"] == 0 for d in b["devices"]
                if d["slot"] == 0 and d["function"] == 0]
        return MachineFacts(host_bridge=host[0] if host else None, cpuid_level=level, cpuid_0xb=leaf_0b,
                            threads=smp["threads"], cores=smp["cores"], dies=smp["dies"], apic_ids=apic_ids,
                            vendor=vendor, vendor_cpuid_only=vendor_only)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        raise FirmwareError(f"cannot read the machine's CPUs and host bridge over QMP: {e!r}") from None


@dataclass(frozen=True)
class CpuTopology:
    """firmware/mptable.c struct cpu_topology; `source` the CPUID leaf it came from (0: none, IDs are indexes)."""

    source: int = 0
    threads: int = 1
    cores: int = 1
    dies: int = 1
    core_offset: int = 0
    die_offset: int = 0
    package_offset: int = 0


def _from_extended_leaf(cpuid, leaf: int) -> CpuTopology | None:
    """firmware/mptable.c from_extended_leaf: leaf 0Bh or 1Fh, or None where it is not a topology."""
    smt, core = cpuid(leaf, 0), cpuid(leaf, 1)
    smt_count, core_count = smt[1] & 0xFFFF, core[1] & 0xFFFF
    if (smt[2] >> 8 & 0xFF) != CPUID_LEVEL_SMT or (core[2] >> 8 & 0xFF) != CPUID_LEVEL_CORE or not smt_count \
            or core_count < smt_count or core_count % smt_count:
        return None
    threads, cores, dies, core_offset = smt_count, core_count // smt_count, 1, smt[0] & 0x1F
    die_offset = core_offset + _bit_width(cores)
    if leaf == 0x1F:
        die = cpuid(leaf, 2)
        die_count = die[1] & 0xFFFF
        if (die[2] >> 8 & 0xFF) != CPUID_LEVEL_DIE or die_count < core_count or die_count % core_count:
            return None
        dies, die_offset, package_offset = die_count // core_count, core[0] & 0x1F, die[0] & 0x1F
    else:
        package_offset = core[0] & 0x1F
    if core_offset < _bit_width(threads) or die_offset < core_offset + _bit_width(cores) \
            or package_offset < die_offset + _bit_width(dies) or package_offset > 31:
        return None
    return CpuTopology(leaf, threads, cores, dies, core_offset, die_offset, package_offset)


def topology_from_cpuid(cpuid, apic_id_limit: int) -> CpuTopology:
    """firmware/mptable.c mptable_topology_from_cpuid, check for check: `cpuid(leaf, subleaf)` gives the
    registers, `apic_id_limit` is fw_cfg MAX_CPUS."""
    level = cpuid(0, 0)[0]
    if level >= 0x1F and (topology := _from_extended_leaf(cpuid, 0x1F)):
        return topology
    if level >= 0xB and (topology := _from_extended_leaf(cpuid, 0xB)):
        # The dies between the cores' field and the package's: their count from the last possible CPU's APIC ID.
        width = topology.package_offset - topology.die_offset
        dies = ((apic_id_limit - 1) >> topology.die_offset & ((1 << width) - 1)) + 1 if width and apic_id_limit \
            else 1
        if _bit_width(dies) != width:
            dies, package_offset = 1, topology.die_offset
        else:
            package_offset = topology.package_offset
        return CpuTopology(0xB, topology.threads, topology.cores, dies, topology.core_offset, topology.die_offset,
                           package_offset)
    if level < 1:
        return CpuTopology()
    _, ebx, _, edx = cpuid(1, 0)
    logical = (ebx >> 16 & 0xFF if edx & CPUID_1_EDX_HTT else 1) or 1
    cores = 1
    if level >= 4:
        eax = cpuid(4, 0)[0]
        if eax & 0x1F:
            cores = (eax >> 26) + 1
    if logical % cores:
        return CpuTopology()
    threads = logical // cores
    core_offset = _bit_width(threads)
    die_offset = core_offset + _bit_width(cores)
    return CpuTopology(1, threads, cores, 1, core_offset, die_offset, die_offset)


def firmware_apic_id(topology: CpuTopology, index: int) -> int:
    """firmware/mptable.c mptable_apic_id: topology.h's fields at the offsets CPUID gave."""
    per_die = topology.threads * topology.cores
    per_package = per_die * topology.dies & 0xFFFFFFFF
    if not per_package:
        return index
    return ((index // per_package) << topology.package_offset | (index // per_die % topology.dies)
            << topology.die_offset | (index // topology.threads % topology.cores) << topology.core_offset
            | index % topology.threads) & 0xFFFFFFFF


def firmware_mptable_model(snapshot, facts: MachineFacts, address: int) -> bytes:
    """The MP table as firmware/mptable.c mptable_setup builds it from what it reads: the host bridge, fw_cfg's
    CPU count, CPUID and the OEM ID in fw_cfg's etc/acpi/rsdp; for machines the generator does not model."""
    from qboot_tables.generate.mptable import MAX_XAPIC_ID, build_mptable_for

    chipset = ("microvm" if facts.host_bridge is None else "q35" if facts.host_bridge == Q35_MCH_DEVICE_ID
               else "pc")
    nb_cpus = (snapshot.selectors.get("nb_cpus", 0) & 0xFFFF) or 1  # 16-bit item; none is one CPU
    topology = topology_from_cpuid(facts.cpuid, snapshot.selectors.get("max_cpus", 0) & 0xFFFF)
    # processor_count: CPUs 0..n-1 while their IDs fit 8 bits (the IDs grow with the index).
    ids = []
    for index in range(nb_cpus):
        apic_id = firmware_apic_id(topology, index)
        if apic_id > MAX_XAPIC_ID:
            break
        ids.append(apic_id)
    rsdp = snapshot.file("etc/acpi/rsdp")
    # ACPI 6.5 §5.2.5.3: the OEM ID at offset 9; the firmware reads the first 15 bytes or takes QEMU's default.
    oem_id = rsdp[9:15] if rsdp is not None and len(rsdp) >= 15 else b"BOCHS "
    return build_mptable_for(chipset, ids, oem_id, address)


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
    machine_facts: MachineFacts | None = None  # what QEMU says of the CPUs and host bridge the firmware reads

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
        qmp_path = os.path.join(tmp, "qmp.sock")  # a short directory: a socket path holds 107 bytes at most
        argv = ["-bios", rom, *machine, *debugcon_args(log_path), "-no-shutdown",
                "-qmp", f"unix:{qmp_path},server=on,wait=off"]
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
                facts = read_machine_facts(qmp_path)
        except FirmwareError:
            raise
        except CaptureError as e:
            raise FirmwareError(str(e), _read(log_path)) from None
    return FirmwareMemory(machine_args=machine, log=log, regions=regions, snapshot=snapshot, fseg=fseg,
                          machine_facts=facts)


def model_smbios(files, placement: dict[str, int]):
    """SMBIOS as our firmware places QEMU's anchor and tables (`files`: fw_cfg name -> bytes) at the addresses
    its log names: smbios.place_smbios with our own type 0 in front when QEMU gave none (firmware/smbios.c)."""
    from harness.firmware_host import type0_strings
    from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES
    from qboot_tables.smbios import place_smbios

    return place_smbios(files[SMBIOS_ANCHOR], files[SMBIOS_TABLES], placement[SMBIOS_TABLES],
                        placement[SMBIOS_ANCHOR], add_type0=True, type0_strings=type0_strings())


def model_legacy_smbios(snapshot, placement: dict[str, int]):
    """link() at the firmware's addresses (its log's placement): for old machine types, whose SMBIOS the firmware
    builds from FW_CFG_SMBIOS_ENTRIES (firmware/smbios.c smbios_legacy_setup); `.smbios` is the placed SMBIOS."""
    from qboot_tables.read.loader import link

    return link(snapshot, {n: a for n, a in placement.items() if n != MPTABLE_ALLOCATION}, strict=True)


def cached_runs(args_of, rom: str):
    """run(name): the machine `args_of(name)` booted on `rom` and its memory read, once per name."""
    cache: dict[str, FirmwareMemory] = {}

    def run(name: str) -> FirmwareMemory:
        if name not in cache:
            cache[name] = run_and_read_memory(args_of(name), rom=rom)
        return cache[name]
    return run


def model_differences(run: FirmwareMemory, *, mptable_machine: list[str] | None = None,
                      mptable_model: str = "auto") -> list[str]:
    """Where the firmware's memory differs from the Python model at the firmware's addresses: the ACPI files
    as loader.link() links them, the WRITE_POINTERs in fw_cfg, SMBIOS as smbios.place_smbios() places it with
    our type 0, and the MP table as generate.mptable.build_mptable() builds it. Empty when all are equal.
    `mptable_machine`: the arguments the MP table model reads instead of the run's, for machine properties the
    generator does not parse but that cannot reach the MP table (firmware/mptable.c reads only the host bridge,
    fw_cfg's CPU counts, CPUID and the RSDP's OEM ID).
    `mptable_model`: "generator" builds the MP table from the command line's MachineConfig, "firmware" from
    what the firmware reads (firmware_mptable_model: fw_cfg, and CPUID and the host bridge as QEMU's monitor
    reports them), "auto" the generator's when it models the machine, else the firmware-read one."""
    from qboot_tables.generate.mptable import build_mptable
    from qboot_tables.read.loader import (LEGACY_SMBIOS_ANCHOR, LEGACY_SMBIOS_TABLES, SMBIOS_ANCHOR, SMBIOS_TABLES,
                                          link)
    from qboot_tables.generate.machine import MachineConfig, MachineConfigError

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
    if mptable_model not in ("auto", "generator", "firmware"):
        raise ValueError(f"mptable_model must be auto, generator or firmware, not {mptable_model!r}")
    if mptable_model == "auto":
        try:
            MachineConfig.from_qemu_args(guest.with_memory(mptable_machine, "512M") if mptable_machine
                                         else run.machine_args)
            mptable_model = "generator"
        except MachineConfigError:
            mptable_model = "firmware"
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
    elif snapshot.selectors.get("smbios_entries"):
        # Old machine types: the table built from FW_CFG_SMBIOS_ENTRIES (firmware/smbios.c smbios_legacy_setup),
        # as link() builds it at the firmware's addresses.
        try:
            legacy = model_legacy_smbios(snapshot, placement)
            for name in (LEGACY_SMBIOS_TABLES, LEGACY_SMBIOS_ANCHOR):
                compare(name, legacy.memory[name])
        except QbootTablesError as e:
            out.append(f"the model cannot build this legacy SMBIOS: {e}")
    explained.add(MPTABLE_ALLOCATION)
    if MPTABLE_ALLOCATION not in placement:
        out.append("the firmware built no MP table")
    else:
        address = placement[MPTABLE_ALLOCATION]
        try:
            if mptable_model == "generator":
                machine = MachineConfig.from_qemu_args(guest.with_memory(mptable_machine, "512M")
                                                       if mptable_machine else run.machine_args)
                model = build_mptable(machine, address)
            elif run.machine_facts is None:
                raise QbootTablesError("no QMP facts of the machine (CPUID, host bridge) to build it from")
            else:
                model = firmware_mptable_model(snapshot, run.machine_facts, address)
            compare(MPTABLE_ALLOCATION, model)
        except QbootTablesError as e:
            out.append(f"the model cannot build this machine's MP table: {e}")
    out += [f"{name}: allocated by the firmware, unknown to the model" for name in sorted(set(run.regions) - explained)]
    return out
