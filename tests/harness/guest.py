"""Boot Debian's Linux kernel with a busybox initramfs under real firmware and collect what the guest sees."""
from __future__ import annotations

import io
import os
import re
import secrets
import stat
import struct
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field

from qboot_tables.tools.dmidecode import (DmidecodeResult, locate as locate_dmidecode,
                                          parse_output as parse_dmidecode_output)
from qboot_tables.errors import LoggedCaptureError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/harness/ -> the repository
DEFAULT_ASSETS = os.path.join(REPO, ".cache", "guest")
SEABIOS = "/usr/share/seabios/bios-256k.bin"
# The drivers the guest loads itself: Debian builds them as modules (CONFIG_FW_CFG_SYSFS=m, CONFIG_VIRTIO_BLK=m,
# CONFIG_VIRTIO_MMIO=m for microvm, whose transports the DSDT lists). Their own dependencies (virtio,
# virtio_ring, virtio_pci_*_dev) are read from each module's .modinfo.
WANTED_MODULES = ("qemu_fw_cfg", "virtio_pci", "virtio_mmio", "virtio_blk")
# For busybox devmem to read the e820-reserved RSDT: iomem=relaxed lets /dev/mem map a busy region
# (kernel/resource.c, iomem_is_exclusive), and nopat stops PAT refusing an uncached map of what ACPI mapped
# write-back (arch/x86/mm/pat/memtype.c). Neither changes the tables or how Linux finds them.
KERNEL_CMDLINE = "console=ttyS0 panic=-1 rdinit=/init iomem=relaxed nopat"
# Where the guest's report goes on its virtio disk: sector 0 holds a token the guest must read back, and the tar
# starts 1 MiB in so the two can never overlap.
DISK_SIZE = 32 << 20
TAR_OFFSET = 1 << 20
DISK_TOKEN_PREFIX = b"qboot-tables guest disk token "
DONE_MARKER = "QBOOT-GUEST: done"
# The host's dmidecode (dmidecode.locate) goes into the initramfs with the libraries it loads; the guest runs it
# over /sys/firmware/dmi/tables.
GUEST_DMIDECODE = "usr/sbin/dmidecode"
PT_INTERP = 3  # System V gABI, "Program Header": the element names the program interpreter

# Linux prints one line per table as it installs it (drivers/acpi/acpica/tbprint.c, acpi_tb_print_table_header):
# "ACPI: FACP 0x000000000FFE1234 0000F4 (v03 BOCHS  BXPC ...)": signature, address, length. The RSDP's line
# (acpi_tb_print_table_header's RSDP case) has the same three fields.
_ACPI_TABLE_LINE = re.compile(r"ACPI: ([A-Z0-9_!]{4}) 0x([0-9A-Fa-f]{8,16}) ([0-9A-Fa-f]{6})\b")


class GuestError(LoggedCaptureError):
    """The guest could not be built, booted or read back; carries the tail of its serial console."""

    def __init__(self, message: str, console: str = ""):
        self.console = console
        super().__init__(message, console, "guest console (last lines)", 40)


class GuestAssetsMissing(GuestError):
    """.cache/guest has no kernel, modules or busybox: run tools/fetch-guest-assets."""


@dataclass(frozen=True)
class AcpiTableLine:
    signature: str
    address: int
    length: int


@dataclass
class GuestReport:
    """What one guest saw. `files` is every collected file by its path in the guest's report tar."""

    files: dict[str, bytes]
    acpi_tables: dict[str, bytes]  # /sys/firmware/acpi/tables/<name> (e.g. "FACP", "SSDT1")
    fw_cfg: dict[str, bytes]  # /sys/firmware/qemu_fw_cfg/by_name/<name>/raw
    dmi: dict[str, bytes]  # /sys/firmware/dmi/tables/<name> ("smbios_entry_point", "DMI")
    memory: dict[str, bytes]  # "RSDP", "RSDT" or "XSDT" as read from /dev/mem at the address dmesg gave
    dmesg: str
    cpus_online: list[int]
    numa_nodes: list[int]
    node_cpus: dict[int, list[int]]  # NUMA node -> its CPUs (/sys/devices/system/node/node<N>/cpulist)
    acpi_table_lines: list[AcpiTableLine]
    disk_written: bytes  # the sector the host wrote ...
    disk_read: bytes  # ... and what the guest read back from /dev/vda
    console: str
    machine_args: list[str]  # the machine as described to QEMU, virtio disk included (for a host capture)
    qemu_argv: list[str]
    boot_seconds: float  # wall time from starting QEMU until it exited
    modules_loaded: list[str] = field(default_factory=list)
    # What the host's dmidecode printed in the guest (stdout, stderr, exit status), parsed.
    dmidecode: DmidecodeResult | None = None

    @property
    def acpi_addresses(self) -> dict[str, int]:
        """Signature -> address of the first table Linux reported with that signature, RSDP included."""
        addresses: dict[str, int] = {}
        for line in self.acpi_table_lines:
            addresses.setdefault(line.signature, line.address)
        return addresses

    def tables_by_address(self) -> dict[int, tuple[str, bytes]]:
        """Address -> (signature, bytes) of every ACPI table Linux exposed, RSDP and RSDT/XSDT (from /dev/mem)
        included; each address comes from the dmesg line of that table.

        sysfs names a table by its signature, with an instance number (1, 2, ...) appended when a signature
        repeats (drivers/acpi/sysfs.c, acpi_table_attr_init); instance n is the n-th dmesg line of the signature,
        as both follow the order in which Linux installed the tables.
        """
        lines: dict[str, list[AcpiTableLine]] = {}
        for line in self.acpi_table_lines:
            lines.setdefault(line.signature, []).append(line)
        found: dict[int, tuple[str, bytes]] = {}
        for name, data in [*self.acpi_tables.items(), *self.memory.items()]:
            signature, suffix = name[:4], name[4:]
            if suffix and not suffix.isdigit():
                raise GuestError(f"unexpected ACPI table name {name!r} in /sys/firmware/acpi/tables")
            instance = int(suffix or 1)
            candidates = lines.get(signature, [])
            if instance > len(candidates):
                raise GuestError(f"Linux shows table {name} but dmesg has {len(candidates)} {signature} lines")
            line = candidates[instance - 1]
            if line.length != len(data):
                raise GuestError(f"table {name}: dmesg says {line.length} bytes, the guest read {len(data)}")
            found[line.address] = (signature, data)
        return found

    @property
    def disk_readable(self) -> bool:
        return bool(self.disk_written) and self.disk_read == self.disk_written


def assets_present(assets: str = DEFAULT_ASSETS) -> bool:
    return all(os.path.exists(os.path.join(assets, p)) for p in ("vmlinuz", "busybox", "modules/modules.order"))


def parse_cpu_list(text: str) -> list[int]:
    """Parse a sysfs cpulist such as "0-3,6" (Documentation/ABI/stable/sysfs-devices-system-cpu)."""
    numbers: list[int] = []
    for part in text.strip().split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            numbers.extend(range(int(first), int(last or first) + 1))
        except ValueError:
            raise GuestError(f"cannot parse the cpu/node list {text!r}") from None
    return numbers


def parse_acpi_table_lines(dmesg: str) -> list[AcpiTableLine]:
    return [AcpiTableLine(m.group(1), int(m.group(2), 16), int(m.group(3), 16))
            for m in _ACPI_TABLE_LINE.finditer(dmesg)]


# --- kernel modules -------------------------------------------------------------------------------------------

def _modinfo(path: str) -> dict[str, str]:
    """The key=value strings of a module's .modinfo ELF section (what `modinfo` prints), read without kmod."""
    with open(path, "rb") as f:
        elf = f.read()
    # ELF64 little-endian only: Debian's amd64 modules.
    if elf[:4] != b"\x7fELF" or elf[4:6] != b"\x02\x01":
        raise GuestError(f"{path}: not an ELF64 little-endian kernel module")
    try:
        return _modinfo_section(elf, path)
    except (struct.error, ValueError):
        raise GuestError(f"{path}: truncated or corrupt ELF section table") from None


def _modinfo_section(elf: bytes, path: str) -> dict[str, str]:
    # ELF-64 header: e_shoff at 0x28; e_shentsize, e_shnum, e_shstrndx at 0x3A (System V gABI, "ELF Header").
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)

    def section(index: int) -> tuple[int, int, int]:
        name, _type, _flags, _addr, offset, size = struct.unpack_from("<IIQQQQ", elf, shoff + index * shentsize)
        return name, offset, size

    _, strtab_offset, _ = section(shstrndx)
    for index in range(shnum):
        name_offset, offset, size = section(index)
        end = elf.index(b"\0", strtab_offset + name_offset)
        if elf[strtab_offset + name_offset:end] == b".modinfo":
            info: dict[str, str] = {}
            for entry in elf[offset:offset + size].split(b"\0"):
                key, sep, value = entry.decode("utf-8", "replace").partition("=")
                if sep:
                    info.setdefault(key, value)
            return info
    raise GuestError(f"{path}: no .modinfo section")


def module_load_order(modules_dir: str, wanted=WANTED_MODULES) -> list[tuple[str, str]]:
    """(name, path) of `wanted` and everything they depend on, each after its dependencies (insmod order)."""
    by_name: dict[str, str] = {}
    try:
        with open(os.path.join(modules_dir, "modules.order")) as f:
            for line in f:
                rel = line.strip()
                # modules.order lists .ko; Debian 6.1 ships them uncompressed (CONFIG_MODULE_COMPRESS_NONE).
                base = os.path.basename(rel).split(".ko")[0].replace("-", "_")
                by_name[base] = os.path.join(modules_dir, rel)
    except OSError as e:
        raise GuestAssetsMissing(f"{modules_dir}: cannot read modules.order: {e.strerror}") from None
    order: list[tuple[str, str]] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in (n for n, _ in order):
            return
        if name in visiting:
            raise GuestError(f"module dependency cycle through {name}")
        path = by_name.get(name)
        if path is None or not os.path.isfile(path):
            raise GuestAssetsMissing(f"kernel module {name} is not in {modules_dir}")
        visiting.add(name)
        for dep in filter(None, _modinfo(path).get("depends", "").split(",")):
            visit(dep.replace("-", "_"))
        visiting.discard(name)
        order.append((name, path))

    for name in wanted:
        visit(name)
    return order


# --- host programs in the guest -------------------------------------------------------------------------------

# One line of `ld.so --list` (glibc elf/rtld.c, the same output ldd prints): "libc.so.6 => /lib/.../libc.so.6
# (0x...)", the interpreter as "/lib64/ld-linux-x86-64.so.2 (0x...)", "name => not found" for a missing library,
# and the vDSO as a bare name with no path, which the kernel maps and needs no file.
_LIST_RESOLVED = re.compile(r"^\s*(\S+) => (/\S*) \(0x[0-9a-f]+\)$")
_LIST_MISSING = re.compile(r"^\s*(\S+) => not found$")
_LIST_BY_PATH = re.compile(r"^\s*(/\S*) \(0x[0-9a-f]+\)$")
_LIST_VDSO = re.compile(r"^\s*[^/\s]+ (=>\s+)?\(0x[0-9a-f]+\)$")


def find_dmidecode() -> str:
    """The host's dmidecode, or GuestAssetsMissing: the guest's dmidecode check needs it."""
    binary = locate_dmidecode()
    if binary is None:
        raise GuestAssetsMissing("dmidecode is not installed on the host (Debian package dmidecode); the guest "
                                 "initramfs runs the host's binary")
    return binary


def elf_interpreter(path: str) -> str | None:
    """The PT_INTERP path of an ELF64 little-endian executable, or None for a static one."""
    try:
        with open(path, "rb") as f:
            elf = f.read()
    except OSError as e:
        raise GuestAssetsMissing(f"{path}: {e.strerror}") from None
    if elf[:4] != b"\x7fELF" or elf[4:6] != b"\x02\x01":
        raise GuestError(f"{path}: not an ELF64 little-endian executable")
    try:
        # ELF-64 header: e_phoff at 0x20; e_phentsize, e_phnum at 0x36. Program header: p_type at 0, p_offset
        # at 8, p_filesz at 0x20 (System V gABI, "ELF Header" and "Program Header").
        phoff, = struct.unpack_from("<Q", elf, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
        for index in range(phnum):
            at = phoff + index * phentsize
            p_type, = struct.unpack_from("<I", elf, at)
            if p_type == PT_INTERP:
                offset, = struct.unpack_from("<Q", elf, at + 8)
                size, = struct.unpack_from("<Q", elf, at + 0x20)
                name = elf[offset:offset + size].split(b"\0")[0]
                if not name.startswith(b"/") or offset + size > len(elf):
                    raise GuestError(f"{path}: PT_INTERP holds {name[:80]!r}, not an absolute path")
                return name.decode("utf-8", "replace")
    except struct.error:
        raise GuestError(f"{path}: truncated ELF program header table") from None
    return None


def runtime_files(binary: str, timeout: float = 30) -> list[str]:
    """The absolute paths a dynamically linked `binary` loads at run time: its interpreter first, then the
    shared libraries where the host's dynamic loader resolves them (`ld.so --list`, what ldd runs). A static
    binary needs none; a library the loader cannot find is GuestAssetsMissing."""
    interpreter = elf_interpreter(binary)
    if interpreter is None:
        return []
    try:
        done = subprocess.run([interpreter, "--list", binary], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GuestAssetsMissing(f"cannot run {interpreter} --list {binary}: {e}") from None
    if done.returncode != 0:
        raise GuestAssetsMissing(f"{interpreter} --list {binary} exited {done.returncode}: "
                                 f"{done.stderr.strip()[-300:]}")
    files = [interpreter]
    for line in done.stdout.splitlines():
        resolved, missing, by_path = (_LIST_RESOLVED.match(line), _LIST_MISSING.match(line),
                                      _LIST_BY_PATH.match(line))
        if missing:
            raise GuestAssetsMissing(f"{binary} needs {missing[1]}, which the host's dynamic loader cannot find")
        path = resolved[2] if resolved else by_path[1] if by_path else None
        if path is None and not _LIST_VDSO.match(line) and line.strip():
            raise GuestError(f"unexpected line from {interpreter} --list {binary}: {line.strip()[:120]!r}")
        if path is not None and path not in files:
            files.append(path)
    return files


# --- initramfs ------------------------------------------------------------------------------------------------

class _Newc:
    """Writes the cpio "newc" format the kernel unpacks (Documentation/driver-api/early-userspace/buffer-format.rst)."""

    def __init__(self):
        self.out = io.BytesIO()
        self.inode = 1
        self.seen: set[str] = set()

    def _entry(self, name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0)) -> None:
        encoded = name.encode() + b"\0"
        fields = (self.inode, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
        self.out.write(b"070701" + b"".join(b"%08X" % v for v in fields) + encoded)
        self._pad()
        self.out.write(data)
        self._pad()
        self.inode += 1

    def _pad(self) -> None:
        self.out.write(b"\0" * (-self.out.tell() % 4))

    def directory(self, name: str) -> None:
        parts = name.split("/")
        for i in range(1, len(parts) + 1):
            path = "/".join(parts[:i])
            if path not in self.seen:
                self.seen.add(path)
                self._entry(path, stat.S_IFDIR | 0o755)

    def _parent(self, name: str) -> None:
        # The kernel creates no missing parents (init/initramfs.c), so list every directory before its entries.
        if "/" in name:
            self.directory(os.path.dirname(name))

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name: str, target: str) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name: str, major: int, minor: int) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def finish(self) -> bytes:
        self._entry("TRAILER!!!", 0)
        return self.out.getvalue()


_INIT = r"""#!/bin/sh
# PID 1 of the qboot-tables test guest: copy the firmware's view to the virtio disk, then power off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "QBOOT-GUEST: $*"; }
say "init at $(cut -d' ' -f1 /proc/uptime)s"
for m in @MODULES@; do
    insmod /modules/$m.ko && echo $m >> /out/modules || say "insmod $m failed"
done
mkdir -p /out/acpi /out/fw_cfg /out/dmi
# sysfs reports a size of 0 or 4096 for these attributes, so copy them with cat before tar sees them.
for f in /sys/firmware/acpi/tables/*; do [ -f "$f" ] && cat "$f" > "/out/acpi/${f##*/}"; done
for f in /sys/firmware/dmi/tables/*; do [ -f "$f" ] && cat "$f" > "/out/dmi/${f##*/}"; done
# by_name/<name> are symlinks into by_key/, so follow them.
if cd /sys/firmware/qemu_fw_cfg/by_name; then
    find -L . -name raw -type f | while read -r p; do
        d="/out/fw_cfg/${p%/raw}"; mkdir -p "$d"; cat "$p" > "$d/raw"
    done
    cd /
else
    say "no /sys/firmware/qemu_fw_cfg"
fi
# Linux's copy of the firmware's e820 map (drivers/firmware/memmap.c), one "N start end type" line a range: read
# is a shell builtin, so this forks nothing, which under TCG matters.
for d in /sys/firmware/memmap/*; do
    [ -f "$d/type" ] || continue
    read -r s < "$d/start"; read -r e < "$d/end"; read -r t < "$d/type"; echo "${d##*/} $s $e $t"
done > /out/memmap
# Linux does not export the RSDP and RSDT/XSDT in sysfs, so read them where it said they are. read() of /dev/mem
# stops at the end of RAM (x86 valid_phys_addr_range), so use busybox devmem, which maps the page instead.
mkdir -p /out/mem
dmesg | sed -nE 's/.*ACPI: (RSDP|RSDT|XSDT) 0x([0-9A-Fa-f]+) ([0-9A-Fa-f]+) .*/\1 \2 \3/p' |
while read -r sig addr len; do
    # 64-bit reads while they fit, then bytes: each devmem is a fork and exec, which is slow under TCG.
    i=0; n=$((0x$len)); a=$((0x$addr))
    while [ $i -lt $n ]; do
        w=1; [ $((i + 8)) -le $n ] && w=8
        v=$(devmem $((a + i)) $((w * 8))) || { say "cannot read $sig from /dev/mem" >&2; break; }
        echo "$w $v"; i=$((i + w))
    done > "/out/mem/$sig.words"
done
@EXTRA@
cat /sys/devices/system/cpu/online > /out/cpu-online
[ -f /sys/devices/system/node/online ] && cat /sys/devices/system/node/online > /out/node-online
mkdir -p /out/node-cpus
for d in /sys/devices/system/node/node*; do [ -f "$d/cpulist" ] && cat "$d/cpulist" > "/out/node-cpus/${d##*node}"; done
# dmidecode reads the entry point and table Linux exports in /sys/firmware/dmi/tables (dmidecode.c, main).
LD_LIBRARY_PATH=@LIBRARY_PATH@ dmidecode > /out/dmidecode.out 2> /out/dmidecode.err
echo $? > /out/dmidecode.status
n=0
while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
dd if=/dev/vda of=/out/disk-sector0 bs=512 count=1 2>/dev/null || say "cannot read /dev/vda"
say "collected at $(cut -d' ' -f1 /proc/uptime)s"
dmesg > /out/dmesg
tar -cf - -C /out . | dd of=/dev/vda bs=512 seek=@TAR_SECTOR@ conv=fsync 2>/dev/null && sync && say "done"
# reboot, not poweroff: QEMU runs with -no-reboot, so a reset ends it, and a reset needs no ACPI (a pc
# machine with acpi=off has no PIIX4 PM function to power off through).
reboot -f
"""


def build_initramfs(assets: str = DEFAULT_ASSETS, dmidecode: str | None = None,
                    init_extra: str = "", modules: tuple[str, ...] = WANTED_MODULES) -> tuple[bytes, list[str]]:
    """An uncompressed newc initramfs: static busybox with its applet links, /init, the `modules` to insmod (with
    their dependencies), and the host's `dmidecode` (found on the host when None) with the interpreter and
    libraries it loads. `init_extra` is shell that /init runs before it records the online CPUs (files it writes
    to /out are kept)."""
    if not assets_present(assets):
        raise GuestAssetsMissing(f"guest assets missing in {assets}: run tools/fetch-guest-assets")
    dmidecode = dmidecode or find_dmidecode()
    loaded = runtime_files(dmidecode)
    host_files = {GUEST_DMIDECODE: dmidecode, **{path.lstrip("/"): path for path in loaded}}
    busybox = os.path.join(assets, "busybox")
    try:
        applets = subprocess.run([busybox, "--list-full"], capture_output=True, text=True, check=True).stdout
        with open(busybox, "rb") as f:
            busybox_bytes = f.read()
    except (OSError, subprocess.CalledProcessError) as e:
        raise GuestAssetsMissing(f"cannot run {busybox} --list-full: {e}") from None
    modules = module_load_order(os.path.join(assets, "modules"), modules)
    cpio = _Newc()
    for d in ("dev", "proc", "sys", "out", "modules", "bin", "sbin", "usr/bin", "usr/sbin"):
        cpio.directory(d)
    # The kernel opens /dev/console for init before /init can mount devtmpfs.
    cpio.char_device("dev/console", 5, 1)
    cpio.file("bin/busybox", busybox_bytes, 0o755)
    for applet in applets.split():
        if applet != "bin/busybox":
            cpio.symlink(applet, "/bin/busybox")
    for name, path in modules:
        with open(path, "rb") as f:
            cpio.file(f"modules/{name}.ko", f.read())
    # Each at the path its binary asks for: open() follows the host's symlinks (/lib64/ld-linux-x86-64.so.2),
    # so the guest gets the file itself. The guest has no /etc/ld.so.cache, which is how the host's loader found
    # the libraries, so /init names their directories in LD_LIBRARY_PATH.
    for name, path in host_files.items():
        try:
            with open(path, "rb") as f:
                cpio.file(name, f.read(), 0o755)
        except OSError as e:
            raise GuestAssetsMissing(f"cannot read {path} for the guest: {e.strerror}") from None
    init = _INIT.replace("@MODULES@", " ".join(n for n, _ in modules)).replace("@EXTRA@", init_extra)
    init = init.replace("@TAR_SECTOR@", str(TAR_OFFSET // 512))
    init = init.replace("@LIBRARY_PATH@", ":".join(dict.fromkeys(os.path.dirname(p) for p in loaded[1:])))
    cpio.file("init", init.encode(), 0o755)
    return cpio.finish(), [n for n, _ in modules]


# --- booting --------------------------------------------------------------------------------------------------

def disk_device_args(disk_path: str, machine_args: list[str] = ()) -> list[str]:
    """The virtio-blk disk every guest gets; a host capture of the same machine needs the same device. microvm
    has no PCI bus (hw/i386/microvm.c), so there the disk sits on one of its virtio-mmio transports."""
    device = "virtio-blk-device" if is_microvm(machine_args) else "virtio-blk-pci"
    return ["-drive", f"file={disk_path},format=raw,if=none,id=qboot-disk",
            "-device", f"{device},drive=qboot-disk"]


def is_microvm(machine_args: list[str]) -> bool:
    """Whether `-M`/`-machine` (its last use, as QEMU takes it) names the microvm machine type."""
    kind = ""
    for option, value in zip(machine_args, machine_args[1:]):
        if option in ("-M", "-machine"):
            kind = value.split(",")[0]
            kind = value.split("=", 1)[1].split(",")[0] if kind.startswith("type=") else kind
    return kind == "microvm"


def with_memory(machine_args: list[str], memory: str) -> list[str]:
    """A copy of the machine's arguments, with `-m memory` added unless they choose the RAM size."""
    return list(machine_args) if "-m" in machine_args else [*machine_args, "-m", memory]


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def boot_guest(machine_args: list[str], firmware: str = SEABIOS, timeout: float = 180.0,
               qemu_binary: str = "qemu-system-x86_64", assets: str = DEFAULT_ASSETS,
               workdir: str | None = None, memory: str = "512M", init_extra: str = "",
               while_running=None, kernel_cmdline: str = KERNEL_CMDLINE,
               modules: tuple[str, ...] = WANTED_MODULES) -> GuestReport:
    """Boot the machine under `firmware` with Debian's kernel and collect the guest's view of its firmware.

    `machine_args` describe the machine (-M, -smp, -numa ...); `-m` is added unless given. The disk, initramfs
    and console log live in `workdir` (kept) or in a temporary directory (removed). `init_extra` goes to
    build_initramfs; `while_running(console_path)`, when given, is called once QEMU has started (to drive it over
    QMP, say), and QEMU is killed if it raises. `kernel_cmdline`: KERNEL_CMDLINE with additions, if any.
    `modules`: the kernel modules /init loads (WANTED_MODULES and any others the machine needs).
    """
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="qboot-guest-") as tmp:
            return boot_guest(machine_args, firmware, timeout, qemu_binary, assets, tmp, memory, init_extra,
                              while_running, kernel_cmdline, modules)
    os.makedirs(workdir, exist_ok=True)
    if not os.path.isfile(firmware):
        raise GuestError(f"firmware {firmware} does not exist")
    initrd, _ = build_initramfs(assets, init_extra=init_extra, modules=modules)
    initrd_path = os.path.join(workdir, "initramfs.cpio")
    disk_path = os.path.join(workdir, "disk.img")
    console_path = os.path.join(workdir, "console.log")
    with open(initrd_path, "wb") as f:
        f.write(initrd)
    token = DISK_TOKEN_PREFIX + secrets.token_hex(16).encode() + b"\n"
    sector0 = token.ljust(512, b"\0")
    with open(disk_path, "wb") as f:
        f.write(sector0)
        f.truncate(DISK_SIZE)
    if os.path.exists(console_path):
        os.remove(console_path)

    machine = with_memory(machine_args, memory) + disk_device_args(disk_path, machine_args)
    argv = [qemu_binary, "-accel", "tcg", "-bios", firmware, *machine,
            "-kernel", os.path.join(assets, "vmlinuz"), "-initrd", initrd_path, "-append", kernel_cmdline,
            "-nographic", "-serial", f"file:{console_path}", "-monitor", "none", "-no-reboot"]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as e:
        raise GuestError(f"cannot start {qemu_binary}: {e.strerror}") from None
    if while_running is not None:
        try:
            while_running(console_path)
        except BaseException:
            proc.kill()
            proc.communicate()
            raise
    try:
        qemu_output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise GuestError(f"guest did not power off within {timeout:.0f} s; QEMU killed",
                         _read_text(console_path)) from None
    boot_seconds = time.monotonic() - started
    console = _read_text(console_path)
    if proc.returncode != 0:
        raise GuestError(f"QEMU exited with status {proc.returncode}: "
                         f"{qemu_output.decode('utf-8', 'replace').strip()[-800:]}", console)
    if DONE_MARKER not in console:
        raise GuestError("guest stopped before writing its report to the virtio disk", console)

    files = _read_report_tar(disk_path, console)
    dmesg = files.get("dmesg", b"").decode("utf-8", "replace")
    return GuestReport(
        files=files,
        acpi_tables=_under(files, "acpi/"),
        fw_cfg={name[:-len("/raw")]: data for name, data in _under(files, "fw_cfg/").items()
                if name.endswith("/raw")},
        dmi=_under(files, "dmi/"),
        memory={name[:-len(".words")]: _devmem_bytes(name, text)
                for name, text in _under(files, "mem/").items() if name.endswith(".words")},
        dmesg=dmesg,
        cpus_online=parse_cpu_list(files.get("cpu-online", b"").decode()),
        numa_nodes=parse_cpu_list(files.get("node-online", b"").decode()),
        node_cpus={int(node): parse_cpu_list(text.decode()) for node, text in _under(files, "node-cpus/").items()
                   if node.isdigit()},
        acpi_table_lines=parse_acpi_table_lines(dmesg),
        disk_written=sector0,
        disk_read=files.get("disk-sector0", b""),
        console=console,
        machine_args=machine,
        qemu_argv=argv,
        boot_seconds=boot_seconds,
        modules_loaded=files.get("modules", b"").decode().split(),
        dmidecode=_dmidecode_result(files, console),
    )


def _dmidecode_result(files: dict[str, bytes], console: str) -> DmidecodeResult:
    """What /init's dmidecode run left in the report: stdout, stderr and its exit status."""
    status = files.get("dmidecode.status", b"").strip()
    if not status.isdigit():
        raise GuestError(f"the guest left no dmidecode exit status (dmidecode.status: {status[:40]!r})", console)
    return parse_dmidecode_output(files.get("dmidecode.out", b"").decode("utf-8", "replace"),
                                  files.get("dmidecode.err", b"").decode("utf-8", "replace"), int(status))


def _devmem_bytes(name: str, text: bytes) -> bytes:
    """Rebuild bytes from the init's "<width> 0x<value>" lines (devmem reads little-endian words)."""
    out = bytearray()
    try:
        for line in text.decode().splitlines():
            width, value = line.split()
            out += int(value, 16).to_bytes(int(width), "little")
    except (ValueError, OverflowError, UnicodeDecodeError):
        raise GuestError(f"unexpected devmem output in {name}: {text[:80]!r}") from None
    return bytes(out)


def write_memmap(report: GuestReport, directory: str) -> str:
    """The guest's /sys/firmware/memmap rebuilt from /init's lines, as N/start, N/end and N/type in `directory`."""
    for line in report.files.get("memmap", b"").decode().splitlines():
        index, start, end, kind = line.split(" ", 3)
        os.makedirs(os.path.join(directory, index))
        for name, value in (("start", start), ("end", end), ("type", kind)):
            with open(os.path.join(directory, index, name), "w") as f:
                f.write(value + "\n")
    return directory


def _under(files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    return {name[len(prefix):]: data for name, data in files.items() if name.startswith(prefix)}


def _read_report_tar(disk_path: str, console: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    try:
        with open(disk_path, "rb") as f:
            f.seek(TAR_OFFSET)
            with tarfile.open(fileobj=f, mode="r:") as tar:
                for member in tar:
                    if member.isfile():
                        name = os.path.normpath(member.name)
                        files[name] = tar.extractfile(member).read()
    except (OSError, tarfile.TarError) as e:
        raise GuestError(f"cannot read the guest's report tar from {disk_path}: {e}", console) from None
    if not files:
        raise GuestError("the guest's report tar on the virtio disk is empty", console)
    return files
