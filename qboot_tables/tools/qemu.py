"""Capture the fw_cfg data a real QEMU gives its firmware, over the qtest protocol, as an FwCfgSnapshot.

This is the only module that starts QEMU. `capture()` runs the user's command line with a few options that
only give us control of the machine (see `CONTROL_OPTIONS`), programs the chipset the way SeaBIOS does, and
then reads fw_cfg as a firmware would: port I/O (0x510/0x511) or DMA (0x514/0x518) into guest RAM.

The qtest protocol (QEMU softmmu/qtest.c, "QTest Protocol") is line based: one request, one "OK ..." or
"FAIL ..." answer, with asynchronous "IRQ raise|lower N" lines in between that we skip. Requests may be
pipelined; answers come back in order.

Keys of `FwCfgSnapshot.selectors` from a capture (QEMU hw/nvram/fw_cfg.c, hw/i386/fw_cfg.c; integers are
little-endian in fw_cfg unless said otherwise):
  signature      str   selector 0x00, "QEMU"
  features       int   selector 0x01 (FW_CFG_ID): bit 0 traditional port I/O, bit 1 DMA
  uuid           str   selector 0x02, the 16 bytes as 32 hex digits in fw_cfg order (all zero without -uuid)
  ram_size       int   selector 0x03 (u64): -m in bytes
  nographic      int   selector 0x04 (u16)
  nb_cpus        int   selector 0x05 (u16): CPUs present at boot
  boot_menu      int   selector 0x0e (u16)
  max_cpus       int   selector 0x0f (u16): on x86 the APIC ID limit (highest possible APIC ID + 1), not maxcpus
  kernel_size, initrd_size, cmdline_size, setup_size
                 int   selectors 0x08, 0x0b, 0x14, 0x17 (u32): non-zero with -kernel, -initrd, -append
  numa           dict  selector 0x0d: {"nodes": n, "apic_node": [node of APIC ID 0, 1, ... max_cpus-1],
                       "node_mem": [bytes of node 0, ...]}; both lists are empty when nodes is 0. An unused
                       APIC ID reads as node 0.
  irq0_override  int   selector 0x8002 (u32)
  smbios_entries str   selector 0x8001 (FW_CFG_SMBIOS_ENTRIES) as hex, only on machines that hand SMBIOS over
                       that way (pc-i440fx-2.0 and older; see qboot_tables.smbios_legacy) and only when not empty
  hpet           dict  selector 0x8004 (struct hpet_fw_config, include/hw/timer/hpet.h): {"count": n, "blocks":
                       [{"event_timer_block_id", "address", "min_tick", "page_prot"}]}. count is 255 when the
                       machine has no HPET (QEMU's initial value), and then blocks is empty.
A selector the machine does not have reads as zeros (fw_cfg returns 0 past the end of an item).

`origin["qemu"]` holds binary (resolved path), version (first line of `--version`), args (the user's
arguments), command_line (the full argv run), transport ("dma" or "io") and chipset (what was programmed).
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Iterator

from qboot_tables import errors, smbios_legacy
from qboot_tables.errors import CaptureError
from qboot_tables.schemas import fw_cfg as fw
from qboot_tables.read.snapshot import FwCfgSnapshot

# Options added to the user's command line. None of them adds or removes a device: -S stops the CPUs so no
# firmware runs before us, -display none and -monitor none only choose (no) user interfaces, and qtest is
# the control channel. -serial none or -nodefaults would be wrong: they drop COM1/LPT/VGA/NIC, which are in
# the DSDT and in fw_cfg.
CONTROL_OPTIONS = ("-S", "-monitor", "none", "-qtest-log", "none")

# x86 fw_cfg I/O ports (QEMU hw/i386/fw_cfg.h FW_CFG_IO_BASE; docs/specs/fw_cfg.rst).
PORT_SELECTOR = 0x510
PORT_DATA = 0x511
PORT_DMA_HIGH = 0x514
PORT_DMA_LOW = 0x518

# Guest RAM used for DMA: the descriptor at 4 KiB, the buffer in conventional memory below the VGA hole
# (0xA0000), so it is RAM on every machine and -m.
DMA_DESCRIPTOR = 0x1000
DMA_BUFFER = 0x10000
DMA_CHUNK = 0x80000

# PCI configuration mechanism 1 (PCI Local Bus 3.0 §3.2.2.3.2).
PORT_PCI_CONFIG_ADDRESS = 0xCF8
PORT_PCI_CONFIG_DATA = 0xCFC

# Chipset registers a firmware programs before it reads the ACPI files; QEMU builds the tables from them.
PM_IO_BASE = 0x600  # SeaBIOS PORT_ACPI_PM_BASE; the FADT's PM1a/PM timer/GPE0 (q35) blocks sit here
I440FX_ID = 0x1237_8086  # device:vendor of the pc host bridge at 00:00.0
PIIX4_PM_ID = 0x7113_8086  # PIIX4 PM at 00:01.3
PIIX4_PMBA = 0x40  # PM base address, bit 0 marks I/O space (hw/acpi/piix4.c pm_io_space_update)
PIIX4_PMREGMISC = 0x80  # bit 0 enables the PM I/O space
Q35_MCH_ID = 0x29C0_8086  # q35 host bridge at 00:00.0
Q35_PCIEXBAR = 0x60  # 64-bit; bit 0 enable, bits 2:1 length, 00 = 256 MiB (hw/pci-host/q35.c)
Q35_PCIEXBAR_BASE = 0xB000_0000  # SeaBIOS Q35_HOST_BRIDGE_PCIEXBAR_ADDR; MCFG and the 32-bit PCI hole use it
ICH9_LPC_ID = 0x2918_8086  # ICH9 LPC at 00:1f.0
ICH9_PMBASE = 0x40  # bit 0 is RTE (hw/isa/lpc_ich9.c ich9_lpc_pmbase_update masks it off)
ICH9_ACPI_CTRL = 0x44  # bit 7 ACPI_EN; bits 2:0 = 0 route SCI to IRQ 9
ICH9_ACPI_CTRL_ACPI_EN = 0x80

# Legacy u32 selectors that tell whether -kernel/-initrd/-append were given (qemu_fw_cfg.h).
SIZE_SELECTORS = {"kernel_size": 0x08, "initrd_size": 0x0B, "cmdline_size": 0x14, "setup_size": 0x17}
FW_CFG_NOGRAPHIC = 0x04
FW_CFG_BOOT_MENU = 0x0E
HPET_ENTRY_SIZE = 15  # packed {u32 block id; u64 address; u16 min_tick; u8 page_prot}
HPET_MAX_BLOCKS = 8
HPET_CONFIG_SIZE = 1 + HPET_MAX_BLOCKS * HPET_ENTRY_SIZE
HPET_NONE = 0xFF

# Guest memory read per qtest b64read request: 1 MiB answers as about 1.4 MB of base64.
MEMORY_CHUNK = 1 << 20

# Port I/O reads one byte per request; pipelining this many keeps the socket busy without huge writes.
PIPELINE = 4096


def qemu_version(binary: str = "qemu-system-x86_64", timeout: float = 20.0) -> str:
    """The first line of `binary --version`, e.g. "QEMU emulator version 7.2.22 (Debian ...)"."""
    path = _resolve(binary)
    try:
        done = subprocess.run([path, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise CaptureError(f"{path} --version timed out after {timeout:g} s") from None
    except OSError as e:
        raise CaptureError(f"cannot run {path}: {e.strerror}") from None
    lines = done.stdout.decode(errors="replace").splitlines()
    if done.returncode != 0 or not lines:
        raise CaptureError(f"{path} --version failed (exit {done.returncode}): "
                           f"{done.stderr.decode(errors='replace').strip()}")
    return lines[0].strip()


def version_tuple(version_line: str) -> tuple[int, ...]:
    """(7, 2, 22) from "QEMU emulator version 7.2.22 (...)"; () when the line has no version."""
    words = version_line.split()
    if "version" not in words or words.index("version") + 1 >= len(words):
        return ()
    number = words[words.index("version") + 1]
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return ()


def command_line(qemu_args: list[str], qemu_binary: str, qtest_socket: str, *, stopped: bool = True) -> list[str]:
    """The argv capture() runs: the user's arguments, then only the options needed to control QEMU.

    With `stopped` false the CPUs run (the machine's firmware boots) while qtest stays attached.
    """
    args = list(qemu_args)
    control = CONTROL_OPTIONS if stopped else tuple(o for o in CONTROL_OPTIONS if o != "-S")
    argv = [qemu_binary, *args, *control, "-qtest", f"unix:{qtest_socket}"]
    # Respect an accelerator or display the user chose; otherwise TCG (there may be no KVM) and no window.
    if not any(a in ("-accel", "--accel", "-enable-kvm", "--enable-kvm") or "accel=" in a for a in args):
        argv += ["-accel", "tcg"]
    if not any(a.lstrip("-") in ("display", "nographic", "vnc", "curses", "sdl") for a in args):
        argv += ["-display", "none"]
    return argv


def capture(qemu_args: list[str], qemu_binary: str = "qemu-system-x86_64", timeout: float = 60.0,
            *, transport: str = "auto") -> FwCfgSnapshot:
    """Start QEMU with `qemu_args`, program the chipset as firmware does, and read every fw_cfg item.

    transport is "auto" (DMA when the features selector offers it), "dma" or "io" (port I/O, slow).
    Raises CaptureError when QEMU is missing, exits, times out or breaks the qtest protocol.
    """
    _check_transport(transport)  # before QEMU starts
    with controlled(qemu_args, qemu_binary, timeout) as machine:
        chipset = machine.program_chipset()
        return machine.read_fw_cfg(transport, chipset=chipset)


@contextlib.contextmanager
def controlled(qemu_args: list[str], qemu_binary: str = "qemu-system-x86_64", timeout: float = 60.0, *,
               stopped: bool = True) -> Iterator["QtestMachine"]:
    """Run QEMU with `qemu_args` under qtest control for the `with` block; QEMU is killed when it ends.

    `stopped` (the default) keeps the CPUs halted, so no firmware runs; otherwise the firmware boots while we
    watch, and memory and fw_cfg can be read once it is done. The deadline covers the whole block.
    """
    deadline = time.monotonic() + timeout
    binary = _resolve(qemu_binary)
    version = qemu_version(binary, timeout=max(0.1, min(20.0, timeout)))
    with tempfile.TemporaryDirectory(prefix="qboot-tables-qtest-") as tmp:
        argv = command_line(qemu_args, binary, os.path.join(tmp, "qtest.sock"), stopped=stopped)
        with _QtestSession(argv, os.path.join(tmp, "qtest.sock"), os.path.join(tmp, "stderr"),
                           deadline, timeout) as session:
            yield QtestMachine(session, {"binary": binary, "version": version, "args": list(qemu_args),
                                         "command_line": argv})


class QtestMachine:
    """A QEMU under qtest control: its guest memory, its chipset and its fw_cfg device."""

    def __init__(self, session: "_QtestSession", origin: dict):
        self.session = session
        self.origin = origin  # binary, version, args, command_line

    def running(self) -> bool:
        return self.session.process.poll() is None

    def check_deadline(self, doing: str) -> None:
        """Raise CaptureError once the `controlled()` timeout has passed."""
        self.session._check_deadline(doing)

    def read_memory(self, address: int, size: int) -> bytes:
        """`size` bytes of guest physical memory at `address` (qtest b64read, in bounded chunks)."""
        data = bytearray()
        while len(data) < size:
            length = min(MEMORY_CHUNK, size - len(data))
            answer = self.session.command(f"b64read {address + len(data):#x} {length:#x}")
            try:
                chunk = base64.b64decode(answer, validate=True)
            except (binascii.Error, ValueError):
                raise CaptureError(f"qtest b64read answered malformed data {answer[:40]!r}") from None
            if len(chunk) != length:
                raise CaptureError(f"qtest b64read returned {len(chunk)} bytes, not {length}")
            data += chunk
        return bytes(data)

    def program_chipset(self) -> str:
        """What SeaBIOS programs before it reads the ACPI files (PM base; PCIEXBAR on q35); returns the chipset."""
        return _program_chipset(self.session)

    def read_fw_cfg(self, transport: str = "auto", *, chipset: str = "") -> FwCfgSnapshot:
        """Every fw_cfg item, by DMA ("auto" when offered, or "dma") or port I/O ("io"). DMA uses guest RAM at
        DMA_DESCRIPTOR and DMA_BUFFER: read guest memory first when it matters."""
        _check_transport(transport)
        reader = _FwCfgReader(self.session, transport)
        selectors = reader.read_selectors()
        directory = reader.read_directory()
        # Selecting an ACPI file rebuilds the tables from the chipset state (hw/i386/acpi-build.c
        # acpi_build_update), and a rebuild may resize them, so select every file once, then list again.
        for entry in directory:
            self.session.command(f"outw {PORT_SELECTOR:#x} {entry['select']:#x}")
        directory = reader.read_directory()
        files = {entry["name"]: reader.read_item(entry["select"], entry["size"]) for entry in directory}
        origin = {"qemu": {**self.origin, "transport": reader.transport, "chipset": chipset}}
        return FwCfgSnapshot(files=files, selectors=selectors, origin=origin, directory=directory)


def _check_transport(transport: str) -> None:
    if transport not in ("auto", "dma", "io"):
        raise ValueError(f"transport must be auto, dma or io, not {transport!r}")


def _resolve(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise CaptureError(f"QEMU binary {binary!r} not found (is qemu-system-x86 installed?)")
    return os.path.abspath(path)


class _QtestSession:
    """A running QEMU and its qtest connection; leaving the `with` block always kills and reaps QEMU."""

    def __init__(self, argv, socket_path, stderr_path, deadline, timeout):
        self.argv, self.socket_path, self.stderr_path = argv, socket_path, stderr_path
        self.deadline, self.timeout = deadline, timeout
        self.process = None
        self.conn = None
        self.pending = b""

    def __enter__(self):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.socket_path)
            listener.listen(1)
            with open(self.stderr_path, "wb") as err:
                try:
                    # A new session so that cleanup can kill QEMU and anything it started, and nothing else.
                    self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                                    start_new_session=True)
                except OSError as e:
                    raise CaptureError(f"cannot start {self.argv[0]}: {e.strerror}") from None
            # "-qtest unix:PATH" makes QEMU connect to us as a client while it starts.
            while True:
                ready, _, _ = select.select([listener], [], [], 0.05)
                if ready:
                    self.conn, _ = listener.accept()
                    break
                self._check_alive("before connecting to qtest")
                self._check_deadline("waiting for QEMU to connect to qtest")
        except BaseException:
            self._stop()
            raise
        finally:
            listener.close()
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def command(self, line: str) -> str:
        """Send one request; return its answer without the leading "OK"."""
        return self.batch([line])[0]

    def batch(self, lines: list[str]) -> list[str]:
        """Send requests pipelined; return their answers in order, each without the leading "OK"."""
        answers = []
        for start in range(0, len(lines), PIPELINE):
            chunk = lines[start:start + PIPELINE]
            self._send(("\n".join(chunk) + "\n").encode())
            for request in chunk:
                answer = self._answer()
                if answer != "OK" and not answer.startswith("OK "):
                    raise CaptureError(f"qtest request {request!r} failed: {answer!r}")
                answers.append(answer[3:])
        return answers

    def _send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            self._check_deadline("writing to qtest")
            _, writable, _ = select.select([], [self.conn], [], 0.1)
            if not writable:
                self._check_alive("while we wrote to qtest")
                continue
            try:
                sent = self.conn.send(view)
            except OSError:
                self._check_alive("while we wrote to qtest")
                raise CaptureError("qtest connection lost while writing") from None
            view = view[sent:]

    def _answer(self) -> str:
        while True:
            newline = self.pending.find(b"\n")
            if newline >= 0:
                line = self.pending[:newline].decode(errors="replace").strip()
                self.pending = self.pending[newline + 1:]
                if line.startswith("IRQ "):
                    continue  # asynchronous interrupt notice, not an answer
                return line
            self._check_deadline("waiting for a qtest answer")
            readable, _, _ = select.select([self.conn], [], [], 0.1)
            if not readable:
                continue
            try:
                data = self.conn.recv(1 << 20)
            except OSError:
                data = b""  # a reset connection means QEMU went away, like end of file
            if not data:
                # QEMU closes the connection as it exits; give it a moment so its status and message show.
                try:
                    self.process.wait(timeout=max(0.0, min(5.0, self.deadline - time.monotonic())))
                except subprocess.TimeoutExpired:
                    pass
                self._check_alive("during the qtest session")
                raise CaptureError("QEMU closed the qtest connection but kept running")
            self.pending += data

    def _check_deadline(self, doing: str) -> None:
        if time.monotonic() > self.deadline:
            raise CaptureError(f"QEMU timed out after {self.timeout:g} s {doing}")

    def _check_alive(self, when: str) -> None:
        if self.process.poll() is None:
            return
        with open(self.stderr_path, "rb") as f:
            stderr = f.read().decode(errors="replace").strip()
        raise CaptureError(f"QEMU exited with status {self.process.returncode} {when}: "
                           f"{stderr or '(no message)'}\ncommand: {' '.join(self.argv)}")

    def _stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait()


def _pci_address(device: int, function: int, register: int) -> int:
    # Bus 0 only: the devices firmware programs here are all on the root bus.
    return 0x8000_0000 | device << 11 | function << 8 | (register & 0xFC)


def _pci_read32(qtest: _QtestSession, device: int, function: int, register: int) -> int:
    qtest.command(f"outl {PORT_PCI_CONFIG_ADDRESS:#x} {_pci_address(device, function, register):#x}")
    return int(qtest.command(f"inl {PORT_PCI_CONFIG_DATA:#x}"), 16)


def _pci_write(qtest: _QtestSession, device: int, function: int, register: int, value: int, width: int) -> None:
    qtest.command(f"outl {PORT_PCI_CONFIG_ADDRESS:#x} {_pci_address(device, function, register):#x}")
    op = {1: "outb", 2: "outw", 4: "outl"}[width]
    qtest.command(f"{op} {PORT_PCI_CONFIG_DATA + (register & 3):#x} {value:#x}")


def _program_chipset(qtest: _QtestSession) -> str:
    """Do what SeaBIOS src/fw/pciinit.c does to the registers the ACPI tables depend on; name the chipset."""
    host = _pci_read32(qtest, 0, 0, 0)
    if host == I440FX_ID and _pci_read32(qtest, 1, 3, 0) == PIIX4_PM_ID:
        _pci_write(qtest, 1, 3, PIIX4_PMBA, PM_IO_BASE | 1, 4)
        _pci_write(qtest, 1, 3, PIIX4_PMREGMISC, 0x01, 1)
        return f"i440fx/piix4: PMBA={PM_IO_BASE:#x} enabled"
    if host == Q35_MCH_ID:
        # SeaBIOS writes the low half disabled first, then the high half, then low with the enable bit.
        _pci_write(qtest, 0, 0, Q35_PCIEXBAR, 0, 4)
        _pci_write(qtest, 0, 0, Q35_PCIEXBAR + 4, Q35_PCIEXBAR_BASE >> 32, 4)
        _pci_write(qtest, 0, 0, Q35_PCIEXBAR, Q35_PCIEXBAR_BASE | 1, 4)
        done = f"q35/ich9: PCIEXBAR={Q35_PCIEXBAR_BASE:#x} 256 MiB enabled"
        if _pci_read32(qtest, 0x1F, 0, 0) == ICH9_LPC_ID:
            _pci_write(qtest, 0x1F, 0, ICH9_PMBASE, PM_IO_BASE | 1, 4)
            _pci_write(qtest, 0x1F, 0, ICH9_ACPI_CTRL, ICH9_ACPI_CTRL_ACPI_EN, 1)
            done += f", PMBASE={PM_IO_BASE:#x}, ACPI_CTRL=ACPI_EN"
        return done
    if host == 0xFFFF_FFFF:
        return "no PCI host bridge: nothing programmed"  # microvm
    if host == I440FX_ID:
        return "i440fx without PIIX4 PM (acpi=off?): nothing programmed"
    return f"unknown host bridge {host:#010x}: nothing programmed"


class _FwCfgReader:
    """Reads fw_cfg items through qtest by DMA or by port I/O."""

    def __init__(self, qtest: _QtestSession, transport: str):
        self.qtest = qtest
        signature = self._read_io(fw.FW_CFG_SIGNATURE, 4)
        if signature != b"QEMU":
            raise CaptureError(f"no fw_cfg at port {PORT_SELECTOR:#x}: signature {signature!r}")
        self.features = int.from_bytes(self._read_io(fw.FW_CFG_ID, 4), "little")
        has_dma = bool(self.features & fw.FW_CFG_ID_DMA)
        if transport == "dma" and not has_dma:
            raise CaptureError(f"fw_cfg DMA requested but the features selector is {self.features:#x}")
        self.transport = "dma" if has_dma and transport != "io" else "io"

    def read_item(self, selector: int, size: int) -> bytes:
        if size == 0:
            return b""
        if self.transport == "dma":
            return self._read_dma(selector, size)
        return self._read_io(selector, size)

    def _read_io(self, selector: int, size: int) -> bytes:
        self.qtest.command(f"outw {PORT_SELECTOR:#x} {selector:#x}")
        answers = self.qtest.batch([f"inb {PORT_DATA:#x}"] * size)
        return bytes(int(a, 16) & 0xFF for a in answers)

    def _read_dma(self, selector: int, size: int) -> bytes:
        data = bytearray()
        control = fw.FW_CFG_DMA_CTL_SELECT | fw.FW_CFG_DMA_CTL_READ | selector << 16
        while len(data) < size:
            length = min(DMA_CHUNK, size - len(data))
            descriptor = errors.build(fw.fw_cfg_dma_access,
                                      {"control": control, "length": length, "address": DMA_BUFFER},
                                      "fw_cfg DMA descriptor")
            # The DMA address registers are big-endian and a write to the low half starts the transfer
            # (docs/specs/fw_cfg.rst); outl stores little-endian, so the values are byte-swapped.
            answers = self.qtest.batch([
                f"write {DMA_DESCRIPTOR:#x} {len(descriptor)} 0x{descriptor.hex()}",
                f"outl {PORT_DMA_HIGH:#x} 0x0",
                f"outl {PORT_DMA_LOW:#x} {int.from_bytes(DMA_DESCRIPTOR.to_bytes(4, 'big'), 'little'):#x}",
                f"read {DMA_DESCRIPTOR:#x} 4",
                f"read {DMA_BUFFER:#x} {length}",
            ])
            status = int(answers[3], 16)
            if status != 0:  # QEMU writes back 0 on success, FW_CFG_DMA_CTL_ERROR on failure
                raise CaptureError(f"fw_cfg DMA read of selector {selector:#x} failed: control {status:#010x}")
            data += _hex_bytes(answers[4], length)
            control = fw.FW_CFG_DMA_CTL_READ  # continue where the last chunk ended
        return bytes(data)

    def read_directory(self) -> list[dict]:
        count = int.from_bytes(self.read_item(fw.FW_CFG_FILE_DIR, 4), "big")
        raw = self.read_item(fw.FW_CFG_FILE_DIR, 4 + count * fw.fw_cfg_file.sizeof())
        parsed = errors.parse(fw.fw_cfg_directory, raw, "fw_cfg file directory")
        entries = []
        for item in parsed.files:
            name = item.name.split(b"\0", 1)[0].decode("ascii", errors="replace")
            entries.append({"name": name, "select": item.select, "size": item.size})
        return entries

    def read_selectors(self) -> dict:
        def u(selector, size):
            return int.from_bytes(self.read_item(selector, size), "little")

        selectors = {
            "signature": "QEMU",
            "features": self.features,
            "uuid": self.read_item(fw.FW_CFG_UUID, 16).hex(),
            "ram_size": u(fw.FW_CFG_RAM_SIZE, 8),
            "nographic": u(FW_CFG_NOGRAPHIC, 2),
            "nb_cpus": u(fw.FW_CFG_NB_CPUS, 2),
            "boot_menu": u(FW_CFG_BOOT_MENU, 2),
            "max_cpus": u(fw.FW_CFG_MAX_CPUS, 2),
        }
        for key, selector in SIZE_SELECTORS.items():
            selectors[key] = u(selector, 4)
        selectors["numa"] = self._read_numa(selectors["max_cpus"])
        selectors["irq0_override"] = u(fw.FW_CFG_IRQ0_OVERRIDE, 4)
        selectors["hpet"] = _decode_hpet(self.read_item(fw.FW_CFG_HPET, HPET_CONFIG_SIZE))
        legacy_smbios = self._read_smbios_entries()
        if legacy_smbios:
            selectors["smbios_entries"] = legacy_smbios.hex()
        return selectors

    def _read_smbios_entries(self) -> bytes:
        """FW_CFG_SMBIOS_ENTRIES whole, or b"" when it holds no entries (QEMU adds it only on machines with
        smbios_legacy_mode, hw/i386/fw_cfg.c fw_cfg_build_smbios). Its size is learnt from the count and the
        entry lengths, reading again from the start while more is needed."""
        size = 2
        while True:
            raw = self.read_item(fw.FW_CFG_SMBIOS_ENTRIES, size)
            try:
                need = smbios_legacy.entries_size(raw)
            except errors.ParseError as e:
                raise CaptureError(str(e)) from None
            if need <= len(raw):
                return raw[:need] if int.from_bytes(raw[:2], "little") else b""
            if need > smbios_legacy.MAX_ENTRIES_SIZE:
                raise CaptureError(f"FW_CFG_SMBIOS_ENTRIES claims more than {smbios_legacy.MAX_ENTRIES_SIZE} bytes")
            size = max(need, 2 * size)

    def _read_numa(self, apic_id_limit: int) -> dict:
        # u64 node count, u64 node per APIC ID below the limit, u64 memory per node (hw/i386/fw_cfg.c).
        nodes = int.from_bytes(self.read_item(fw.FW_CFG_NUMA, 8), "little")
        if nodes == 0:
            return {"nodes": 0, "apic_node": [], "node_mem": []}
        if nodes > 4096:
            raise CaptureError(f"fw_cfg NUMA selector claims {nodes} nodes")
        raw = self.read_item(fw.FW_CFG_NUMA, 8 * (1 + apic_id_limit + nodes))
        words = [int.from_bytes(raw[i:i + 8], "little") for i in range(0, len(raw), 8)]
        return {"nodes": nodes, "apic_node": words[1:1 + apic_id_limit], "node_mem": words[1 + apic_id_limit:]}


def _decode_hpet(raw: bytes) -> dict:
    count = raw[0]
    blocks = []
    if count != HPET_NONE:
        for i in range(min(count, HPET_MAX_BLOCKS)):
            entry = raw[1 + i * HPET_ENTRY_SIZE:1 + (i + 1) * HPET_ENTRY_SIZE]
            blocks.append({
                "event_timer_block_id": int.from_bytes(entry[0:4], "little"),
                "address": int.from_bytes(entry[4:12], "little"),
                "min_tick": int.from_bytes(entry[12:14], "little"),
                "page_prot": entry[14],
            })
    return {"count": count, "blocks": blocks}


def _hex_bytes(answer: str, length: int) -> bytes:
    # qtest "read" answers "0x" followed by two hex digits per byte.
    if not answer.startswith("0x"):
        raise CaptureError(f"qtest read answered {answer[:40]!r}, not hex data")
    try:
        data = bytes.fromhex(answer[2:])
    except ValueError:
        raise CaptureError(f"qtest read answered malformed hex data {answer[:40]!r}") from None
    if len(data) != length:
        raise CaptureError(f"qtest read returned {len(data)} bytes, not {length}")
    return data
