"""The firmware's C table code on the host: build firmware/host, run its harnesses, compare with the model."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from qboot_tables.errors import InputError, LoaderError, QbootTablesError, ToolError
from qboot_tables.read.loader import (SMBIOS_ANCHOR, SMBIOS_TABLES, TABLE_LOADER, Allocation, FwCfgWrite, link,
                                 ram_top_below_4g)
from qboot_tables.smbios import place_smbios

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/harness/ -> the repository
FIRMWARE_DIR = os.path.join(REPO, "firmware")
HOST_DIR = os.path.join(FIRMWARE_DIR, "host")
BUILD_DIR = os.path.join(FIRMWARE_DIR, "build", "host")
SMBIOS_HEADER = os.path.join(FIRMWARE_DIR, "include", "smbios.h")
NAME_SIZE = 56  # loader.h LOADER_NAME_SIZE: a directory entry holds the name and its NUL
MAX_FUZZ_FILES = 15  # fuzz_loader.c: four bits of the flags byte
MAX_FUZZ_FILE_SIZE = 1 << 18


@dataclass
class HostResult:
    """What the C harness reported: the loader's verdict, the allocations, fw_cfg writes and memory."""
    ok: bool
    error: tuple | None  # (code, command index or -1, field, message) when the loader refused the script
    allocations: dict = field(default_factory=dict)  # name -> Allocation (fixed: placed by the caller)
    writes: list = field(default_factory=list)  # [FwCfgWrite] in order
    memory: dict = field(default_factory=dict)  # name -> bytes
    smbios_status: int | None = None  # 0 placed, else smbios.h SMBIOS_E_*; None when not asked
    legacy_status: int | None = None  # the same for legacy SMBIOS; None when it did not run
    log: list = field(default_factory=list)


def build_host(target: str = "run_loader", timeout: float = 300) -> str:
    """Build firmware/host's `target` (run_loader with gcc, fuzz_loader with clang) and return its path."""
    if shutil.which("make") is None:
        raise ToolError("make is not installed")
    out = os.path.join(BUILD_DIR, target)
    try:
        done = subprocess.run(["make", "-s", "-C", HOST_DIR, f"BUILD={BUILD_DIR}", out], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolError(f"building {target} took over {timeout:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"building {target} failed:\n{done.stderr.strip()[-2000:]}")
    return out


def type0_strings(header: str = SMBIOS_HEADER) -> tuple[bytes, bytes, bytes]:
    """Vendor, version and date of the type 0 the firmware adds, read from smbios.h so both sides agree."""
    try:
        with open(header) as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"{header}: {e.strerror}") from None
    values = []
    for name in ("SMBIOS_TYPE0_VENDOR", "SMBIOS_TYPE0_VERSION", "SMBIOS_TYPE0_DATE"):
        match = re.search(rf'^#define {name} "([^"\\]*)"$', text, re.M)
        if not match:
            raise InputError(f"{header}: no #define {name} \"...\"")
        values.append(match.group(1).encode("ascii"))
    return tuple(values)


# The fixed-selector items the firmware reads for legacy SMBIOS (firmware/include/fw_cfg.h), by snapshot selector
# name: (selector, width in bytes; 0 for the hex string of FW_CFG_SMBIOS_ENTRIES).
ITEMS = {"smbios_entries": (0x8001, 0), "nb_cpus": (0x05, 2), "max_cpus": (0x0F, 2), "ram_size": (0x03, 8)}


def encode_items(selectors: dict) -> bytes:
    """`item SIZE SELECTOR` records for the snapshot's ITEMS selectors that are present."""
    out = bytearray()
    for key, (select, width) in ITEMS.items():
        value = selectors.get(key)
        if value is None:
            continue
        data = bytes.fromhex(value) if width == 0 else (int(value) & ((1 << 8 * width) - 1)).to_bytes(width, "little")
        out += b"item %d %x\n" % (len(data), select) + data
    return bytes(out)


def encode_files(files: dict[str, bytes]) -> bytes:
    """The harness's stdin: for each file a line `file SIZE NAME` and then its bytes."""
    out = bytearray()
    for name, data in files.items():
        raw = name.encode("ascii", "replace")
        if not name or "\n" in name or len(raw) >= NAME_SIZE:
            raise InputError(f"fw_cfg name {name!r} cannot be given to the harness")
        out += b"file %d %s\n" % (len(data), raw) + bytes(data)
    return bytes(out)


def run_host_loader(snapshot, placement: dict[str, int] | None = None, *, smbios: bool = False,
                    add_type0: bool = False, harness: str | None = None, timeout: float = 60) -> HostResult:
    """Run the C loader (then, with `smbios`, the C SMBIOS placement) over `snapshot` in the host harness.

    Files named in `placement` go at those addresses; the rest go where qboot_tables.read.loader's allocator would
    put them (same zones, same first fit, the same top of RAM).
    """
    harness = harness or build_host("run_loader")
    args = [harness]
    for name, address in (placement or {}).items():
        args += ["--place", f"{name}={address:#x}"]
    top = ram_top_below_4g(snapshot)
    if top:
        args += ["--ram-top", f"{top:#x}"]
    if smbios or add_type0:
        args.append("--smbios-type0" if add_type0 else "--smbios")
    args.append("-")
    try:
        done = subprocess.run(args, input=encode_files(snapshot.files) + encode_items(snapshot.selectors),
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolError(f"run_loader took over {timeout:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"run_loader exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}")
    return parse_output(done.stdout.decode("ascii", "replace"))


def parse_output(text: str) -> HostResult:
    """Read run_loader's tab-separated lines."""
    result = HostResult(ok=False, error=None)
    for line in text.splitlines():
        kind, _, rest = line.partition("\t")
        parts = rest.split("\t")
        if kind == "log":
            result.log.append(rest)
        elif kind == "status":
            result.ok = parts[0] == "ok"
            if not result.ok:
                result.error = (int(parts[1]), int(parts[2]), parts[3], parts[4])
        elif kind == "smbios":
            result.smbios_status = int(parts[0])
        elif kind == "legacy":
            result.legacy_status = int(parts[0])
        elif kind == "alloc":
            address, size, zone, name = int(parts[0], 16), int(parts[1]), int(parts[2]), parts[3]
            result.allocations[name] = Allocation(name, address, size, zone, 0, False)
        elif kind == "write":
            result.writes.append(FwCfgWrite(parts[2], int(parts[0]), bytes.fromhex(parts[1])))
        elif kind == "mem":
            result.memory[parts[0]] = bytes.fromhex(parts[1])
        else:
            raise ToolError(f"run_loader printed an unknown line: {line[:80]!r}")
    return result


@dataclass
class ModelResult:
    """The Python model's answer for the same input, shaped like HostResult's essentials."""
    ok: bool
    error: tuple | None  # (command index or -1, field)
    allocations: dict = field(default_factory=dict)  # name -> (address, size)
    writes: list = field(default_factory=list)
    memory: dict = field(default_factory=dict)


def run_model(snapshot, placement: dict[str, int] | None = None, *, smbios: bool = False) -> ModelResult:
    """qboot_tables.read.loader.link over the same input, stopping at the first broken command as the C loader
    does; its LoaderError becomes the (index, field) it names."""
    try:
        image = link(snapshot, placement, smbios=smbios, strict=True)
    except LoaderError as e:
        return ModelResult(False, (-1 if e.index is None else e.index, e.field))
    return ModelResult(True, None, {n: (a.address, a.size) for n, a in image.allocations.items()},
                       list(image.writes), dict(image.memory))


def differences(host: HostResult, model: ModelResult) -> list[str]:
    """Where the C loader and the model disagree: verdict, failing command and field, allocations, writes, memory."""
    if host.ok != model.ok:
        return [f"C {'accepted' if host.ok else 'refused ' + repr(host.error)}, the model "
                f"{'accepted' if model.ok else 'refused ' + repr(model.error)}"]
    if not host.ok:
        return [] if host.error[1:3] == model.error else [f"C refused {host.error}, the model {model.error}"]
    out = []
    host_allocs = {n: (a.address, a.size) for n, a in host.allocations.items()}
    if host_allocs != model.allocations:
        out.append(f"allocations: C {host_allocs}, model {model.allocations}")
    if host.writes != model.writes:
        out.append(f"fw_cfg writes: C {host.writes}, model {model.writes}")
    for name in sorted(set(host.memory) | set(model.memory)):
        if host.memory.get(name) != model.memory.get(name):
            a, b = host.memory.get(name, b""), model.memory.get(name, b"")
            first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            out.append(f"{name}: first difference at byte {first:#x} (C {len(a)} bytes, model {len(b)})")
    return out


def smbios_differences(host: HostResult, snapshot) -> list[str]:
    """The C SMBIOS placement with our type 0 against smbios.place_smbios at the addresses C chose."""
    anchor, tables = snapshot.file(SMBIOS_ANCHOR), snapshot.file(SMBIOS_TABLES)
    try:
        table_address = host.allocations[SMBIOS_TABLES].address
        entry_address = host.allocations[SMBIOS_ANCHOR].address
    except KeyError as e:
        return [f"C placed no {e.args[0]}"]
    try:
        placed = place_smbios(anchor, tables, table_address, entry_address, add_type0=True,
                              type0_strings=type0_strings())
    except QbootTablesError as e:
        return [f"the model cannot place this SMBIOS: {e}"]
    out = []
    entry = host.memory[SMBIOS_ANCHOR]
    if entry[:len(placed.entry_point_raw)] != placed.entry_point_raw:
        out.append(f"entry point: C {entry[:len(placed.entry_point_raw)].hex()}, "
                   f"model {placed.entry_point_raw.hex()}")
    # C reserves room for a type 0 before it knows whether one is needed; what it did not use must be zero.
    table = host.memory[SMBIOS_TABLES]
    if table[:len(placed.table_raw)] != placed.table_raw:
        out.append("structure table differs")
    if any(table[len(placed.table_raw):]):
        out.append("bytes after the structure table are not zero")
    return out


# ---- the MP table

# The (leaf, subleaf) pairs cpuid_probe.S asks, in its order.
CPUID_PROBE_LEAVES = ((0, 0), (1, 0), (4, 0), (0xB, 0), (0xB, 1), (0xB, 2), (0x1F, 0), (0x1F, 1), (0x1F, 2))
MPTABLE_MACHINES = {"pc": "pc", "q35": "q35", "microvm": "none"}


def probe_cpuid(qemu_args: list[str], qemu: str = "qemu-system-x86_64", timeout: float = 60) -> dict:
    """What QEMU's CPUID tells the BSP, measured by booting cpuid_probe.rom: {(leaf, subleaf): (eax, ebx, ecx, edx)}."""
    rom = build_host("cpuid_probe.rom")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cpuid.bin")
        args = [qemu, "-accel", "tcg", "-display", "none", "-nodefaults", "-bios", rom,
                "-chardev", f"file,id=probe,path={out}", "-device", "isa-debugcon,iobase=0x402,chardev=probe",
                "-device", "isa-debug-exit,iobase=0xf4", *qemu_args]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise ToolError(f"{qemu} is not installed") from None
        except subprocess.TimeoutExpired:
            raise ToolError(f"the CPUID probe did not exit within {timeout:.0f} s") from None
        # isa-debug-exit makes QEMU exit with (value << 1) | 1, and the probe writes 0.
        if done.returncode != 1:
            raise ToolError(f"the CPUID probe exited {done.returncode}: {done.stderr.strip()[-500:]}")
        with open(out, "rb") as f:
            data = f.read()
    if len(data) != 16 * len(CPUID_PROBE_LEAVES):
        raise ToolError(f"the CPUID probe wrote {len(data)} bytes, not {16 * len(CPUID_PROBE_LEAVES)}")
    return {leaf: tuple(int.from_bytes(data[16 * i + 4 * r:16 * i + 4 * r + 4], "little") for r in range(4))
            for i, leaf in enumerate(CPUID_PROBE_LEAVES)}


def qemu_topology_cpuid(topology) -> dict:
    """The topology leaves QEMU 7.2 gives qemu64 under TCG on machine types 6.1 on (target/i386/cpu.c
    cpu_x86_cpuid), as probe_cpuid measures them: level 0Dh, so no leaf 1Fh, even with dies; leaf 1 the logical
    CPUs of one die in EBX[23:16] and EDX.HTT when more than one (EBX also holds the CLFLUSH size, EAX, ECX and
    EDX's other bits the version and features, which mptable.c does not read); leaf 4 zeros (an AMD model,
    x-vendor-cpuid-only); leaf 0Bh subleaf 0 the SMT level, subleaf 1 the core level with the package offset
    (dies included) and the logical CPUs of one die. EDX of 0Bh, the x2APIC ID, is the BSP's: 0."""
    smt = apic_bits(topology.threads)
    package = smt + apic_bits(topology.cores) + apic_bits(topology.dies)
    logical = topology.cores * topology.threads
    return {(0, 0): 0xD, (1, 0): (0, 8 << 8 | (logical << 16 if logical > 1 else 0), 0, 1 << 28 if logical > 1 else 0),
            (4, 0): (0, 0, 0, 0), (0xB, 0): (smt, topology.threads, 0x100, 0), (0xB, 1): (package, logical, 0x201, 0)}


def apic_bits(count: int) -> int:
    return (count - 1).bit_length()


@dataclass
class MpResult:
    """What run_mptable reported: the topology it read, each present CPU's APIC ID, and the table."""
    topology_known: bool
    apic_ids: list
    address: int | None
    table: bytes | None
    log: list = field(default_factory=list)
    topology_source: int = 0  # the CPUID leaf the topology came from (1Fh, 0Bh, 1), 0 for none


def run_host_mptable(machine: str, nb_cpus: int, cpuid: dict, *, apic_id_limit: int = 0,
                     address: int | None = None, oem_id: bytes | None = None, harness: str | None = None,
                     timeout: float = 60) -> MpResult:
    """The firmware's MP table for `machine` ("pc", "q35" or "microvm") from CPUID answers `cpuid`
    ({(leaf, subleaf): (eax, ebx, ecx, edx)} or just eax for leaf 0), as the C code builds it."""
    harness = harness or build_host("run_mptable")
    args = [harness, "--machine", MPTABLE_MACHINES[machine], "--cpus", str(nb_cpus),
            "--apic-id-limit", str(apic_id_limit)]
    for (leaf, subleaf), regs in cpuid.items():
        regs = (regs, 0, 0, 0) if isinstance(regs, int) else regs
        args += ["--cpuid", f"{leaf:x}.{subleaf:x}=" + ",".join(f"{r:x}" for r in regs)]
    if address is not None:
        args += ["--address", f"{address:#x}"]
    if oem_id is not None:
        if b"\0" in oem_id.rstrip(b"\0") or len(oem_id) > 6:
            raise InputError(f"OEM ID {oem_id!r} cannot be passed to run_mptable")
        args += ["--oem-id", oem_id.rstrip(b"\0").decode("ascii")]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolError(f"run_mptable took over {timeout:.0f} s") from None
    if done.returncode != 0:
        raise ToolError(f"run_mptable exited {done.returncode}: {done.stderr.strip()}")
    result = MpResult(False, [], None, None)
    for line in done.stdout.splitlines():
        kind, *parts = line.split("\t")
        if kind == "topology":
            result.topology_known, result.topology_source = parts[0] == "1", int(parts[7], 16)
        elif kind == "apic":
            result.apic_ids.append(int(parts[1]))
        elif kind == "table":
            result.address, result.table = int(parts[0], 16), bytes.fromhex(parts[1])
        elif kind == "log":
            result.log.append(parts[0])
    return result


def fuzz_input(files: dict[str, bytes], script: bytes, *, add_type0: bool = False,
               legacy: tuple[bytes, int, int] | None = None) -> bytes:
    """One fuzz_loader input (layout in firmware/host/fuzz_loader.c), for seeding its corpus. `legacy`:
    FW_CFG_SMBIOS_ENTRIES, the CPU count and the RAM size in bytes."""
    if len(files) > MAX_FUZZ_FILES:
        raise InputError(f"a fuzz input holds at most {MAX_FUZZ_FILES} files, not {len(files)}")
    out = bytearray([len(files) | (16 if add_type0 else 0) | (0 if len(script) % 128 == 0 else 32)
                     | (128 if legacy else 0)])
    for name, data in files.items():
        raw = name.encode("ascii", "replace")
        if len(raw) >= NAME_SIZE or len(data) >= MAX_FUZZ_FILE_SIZE:
            raise InputError(f"fw_cfg file {name!r} does not fit a fuzz input")
        kept = bytes(data).rstrip(b"\0")  # the harness reads missing bytes as zeros
        if len(kept) > 0xFFFF:
            raise InputError(f"fw_cfg file {name!r} holds more than 64 KiB of non-zero data")
        out += bytes([len(raw)]) + raw + len(data).to_bytes(4, "little") + len(kept).to_bytes(2, "little") + kept
    if legacy:
        entries, cpus, ram = legacy
        if len(entries) > 0xFFFF:
            raise InputError("FW_CFG_SMBIOS_ENTRIES of more than 64 KiB does not fit a fuzz input")
        out += len(entries).to_bytes(2, "little") + entries + (cpus & 0xFFFF).to_bytes(2, "little") \
            + min(ram >> 20, 0xFFFF).to_bytes(2, "little")
    return bytes(out + script)


def fuzz_seeds(snapshot) -> bytes:
    """A fuzz input from a snapshot: the files its script and SMBIOS name, its legacy SMBIOS entries, and its
    script."""
    wanted = {name for name in snapshot.files if name.startswith(("etc/acpi/", "etc/smbios/", "etc/vmgenid"))
              or name in ("etc/e820",)}
    files = {name: snapshot.files[name] for name in sorted(wanted)}
    entries = snapshot.selectors.get("smbios_entries")
    legacy = (bytes.fromhex(entries), max(int(snapshot.selectors.get(key) or 0) for key in ("nb_cpus", "max_cpus")),
              int(snapshot.selectors.get("ram_size") or 0)) if entries else None
    return fuzz_input(files, snapshot.file(TABLE_LOADER) or b"", legacy=legacy)
