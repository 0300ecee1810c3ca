"""The firmware's C table code on the host (loader, SMBIOS, MP table): equal to the Python model, and fuzzed."""
import glob
import os
import shlex
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import synthetic as S
from harness import firmware
from harness import firmware_host as F
from qboot_tables.generate.mptable import build_mptable, parse_mptable
from qboot_tables.generate.machine import MachineConfig
from qboot_tables.schemas.loader import (CMD_ADD_CHECKSUM, CMD_ADD_POINTER, CMD_ALLOCATE, CMD_WRITE_POINTER,
                                         ZONE_FSEG, ZONE_HIGH)
from qboot_tables.schemas.mptable import MP_BUS, MP_PROCESSOR
from qboot_tables.smbios import seabios_type0, split_structures
from qboot_tables.read.loader import link
from qboot_tables.read.snapshot import FwCfgSnapshot, read_capture

FIXTURES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "fixtures", "qemu-7.2", "*")))
FIXTURE_IDS = [os.path.basename(p) for p in FIXTURES]

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")


@pytest.fixture(scope="module")
def harness():
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    return F.build_host("run_loader")


def host_and_model(snapshot, harness, placement=None, smbios=False):
    return (F.run_host_loader(snapshot, placement, smbios=smbios, harness=harness),
            F.run_model(snapshot, placement, smbios=smbios))


# ---- QEMU's own scripts

@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_fixture_links_identically_with_the_default_allocator(path, harness):
    snap = read_capture(path)
    host, model = host_and_model(snap, harness, smbios=True)
    assert host.ok and host.smbios_status == (0 if F.SMBIOS_ANCHOR in snap.files else 1)  # 1: SMBIOS_E_ABSENT
    # Old machine types: the table built from FW_CFG_SMBIOS_ENTRIES, compared with the model's below.
    assert host.legacy_status == (0 if "smbios_entries" in snap.selectors else None)
    assert F.differences(host, model) == []
    # ACPI wherever QEMU gave a script (acpi=off gives none).
    assert set(host.memory) >= ({"etc/acpi/rsdp", "etc/acpi/tables"} if "etc/table-loader" in snap.files else set())


@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_fixture_links_identically_at_fixed_addresses(path, harness):
    # Addresses a real firmware might choose, none of them the allocator's.
    snap = read_capture(path)
    placement = {"etc/acpi/rsdp": 0xF5A10, "etc/acpi/tables": 0x7FE0000, "etc/vmgenid_guid": 0x7F00000}
    placement = {name: address for name, address in placement.items() if name in snap.files}
    host, model = host_and_model(snap, harness, placement)
    assert F.differences(host, model) == []
    if "etc/table-loader" in snap.files:
        assert host.allocations["etc/acpi/rsdp"].address == 0xF5A10


@pytest.mark.parametrize("path", [p for p in FIXTURES if "vmgenid" in p], ids=lambda p: os.path.basename(p))
def test_vmgenid_write_pointer_reaches_fw_cfg(path, harness):
    host, model = host_and_model(read_capture(path), harness)
    [write] = host.writes
    assert write == model.writes[0]
    assert write.file == "etc/vmgenid_addr"
    assert int.from_bytes(write.data, "little") >= host.allocations["etc/vmgenid_guid"].address


def test_allocate_after_write_pointer_loads_the_written_bytes_in_both(harness):
    commands = S.good_commands() + [S.write_pointer("w", S.TABLES_FILE, 2, S.WAET_OFFSET, size=4),
                                    S.allocate("w", align=16)]
    host, model = host_and_model(S.snapshot(commands, w=b"\xaa" * 8), harness,
                                 {S.TABLES_FILE: 0x400000, S.RSDP_FILE: 0xF0000, "w": 0x500000})
    assert F.differences(host, model) == []
    assert host.memory["w"] == b"\xaa" * 2 + (0x400000 + S.WAET_OFFSET).to_bytes(4, "little") + b"\xaa" * 2


# The machines with etc/smbios files: microvm has no SMBIOS, and old machine types only the legacy entries.
WITH_SMBIOS_FILES = [p for p in FIXTURES if os.path.exists(os.path.join(p, F.SMBIOS_ANCHOR))]


@pytest.mark.parametrize("path", WITH_SMBIOS_FILES, ids=lambda p: os.path.basename(p))
def test_smbios_with_our_type0_equals_the_model(path, harness):
    snap = read_capture(path)
    host = F.run_host_loader(snap, add_type0=True, harness=harness)
    assert host.smbios_status == 0
    assert F.smbios_differences(host, snap) == []
    structures = split_structures(host.memory[F.SMBIOS_TABLES])
    assert structures[0].type == 0 and tuple(structures[0].strings) == F.type0_strings()
    assert [s.type for s in structures].count(0) == 1


def test_type0_is_not_added_twice(harness):
    # A table that already starts with a type 0 keeps its bytes, and the room C reserved for one stays zero.
    snap = read_capture(next(p for p in FIXTURES if p.endswith("q35-default")))
    files = dict(snap.files)
    files[F.SMBIOS_TABLES] = seabios_type0() + snap.file(F.SMBIOS_TABLES)
    snap = FwCfgSnapshot(files=files, selectors=snap.selectors)
    host = F.run_host_loader(snap, add_type0=True, harness=harness)
    assert F.smbios_differences(host, snap) == []
    assert host.memory[F.SMBIOS_TABLES].startswith(files[F.SMBIOS_TABLES])
    assert [s.type for s in split_structures(host.memory[F.SMBIOS_TABLES])].count(0) == 1


def test_type0_strings_come_from_the_header():
    vendor, version, date = F.type0_strings()
    assert vendor == b"qboot-tables" and version.startswith(b"qboot-tables ")
    month, day, year = date.split(b"/")  # §7.1.1: mm/dd/yyyy
    assert len(month) == len(day) == 2 and len(year) == 4


# ---- legacy SMBIOS (FW_CFG_SMBIOS_ENTRIES) from generated entries

def legacy_field(type_: int, offset: int, data: bytes) -> bytes:
    # QEMU hw/smbios/smbios.c smbios_add_field: u16 length of the whole entry, u8 0, u8 type, u16 offset, data.
    return (6 + len(data)).to_bytes(2, "little") + bytes([0, type_]) + offset.to_bytes(2, "little") + data


def legacy_table(structure: bytes) -> bytes:
    return (3 + len(structure)).to_bytes(2, "little") + b"\x01" + structure  # smbios_entry_add, -smbios file=


# The fields SeaBIOS's builders read (src/fw/smbios.c), by type: strings, numbers, and offsets nobody reads.
LEGACY_FIELDS = {0: [4, 5, 8, 0x0A, 0x12, 0x14, 0x15, 0x16, 0x17, 0x30], 1: [4, 5, 6, 7, 8, 0x18, 0x19, 0x1A],
                 3: [4, 5, 6, 7, 8, 9, 0x0C, 0x0D, 0x11, 0x13], 4: [4, 5, 6, 7, 8, 0x10, 0x14, 0x18, 0x19],
                 16: [4, 5, 6, 7], 17: [8, 0x0A, 0x0E, 0x10, 0x11, 0x12, 0x13], 19: [4], 32: [0x0A]}


@st.composite
def legacy_case(draw):
    """Entries as QEMU lays them out (sometimes broken), the CPU counts and the RAM the build reads."""
    text = st.one_of(st.just(b""), st.just(b"\0"), st.binary(max_size=12).map(lambda b: b + b"\0"),
                     st.binary(max_size=12))
    fields = st.sampled_from(sorted(LEGACY_FIELDS)).flatmap(
        lambda t: st.tuples(st.just(t), st.sampled_from(LEGACY_FIELDS[t]), text))
    structures = st.builds(lambda t, length, handle, rest, strings: bytes([t, length]) + handle.to_bytes(2, "little")
                           + rest + strings, st.sampled_from([0, 1, 3, 4, 11, 17, 19, 127, 200]),
                           st.integers(4, 12), st.integers(0, 0xFFFF), st.binary(max_size=8),
                           st.sampled_from([b"", b"a\0", b"ab\0c\0"]))
    entries = draw(st.lists(st.one_of(fields.map(lambda f: legacy_field(*f)), structures.map(legacy_table)),
                            max_size=10))
    raw = len(entries).to_bytes(2, "little") + b"".join(entries)
    if draw(st.sampled_from([False] * 9 + [True])):  # cut short, or one entry's length broken
        raw = draw(st.sampled_from([raw[:-1], raw[:2] + b"\x02\x00" + raw[4:], raw[:4] + b"\x07" + raw[5:]]))
    ram = draw(st.sampled_from([0, 128 << 20, 3 << 30, 5 << 30, 40 << 30]))
    e820 = b"".join(address.to_bytes(8, "little") + size.to_bytes(8, "little") + (1).to_bytes(4, "little")
                    for address, size in ([(0, min(ram, 3 << 30))] + ([(1 << 32, ram - (3 << 30))] if ram > 3 << 30
                                                                      else [])) if size)
    selectors = {"smbios_entries": raw.hex(), "nb_cpus": draw(st.integers(0, 20)),
                 "max_cpus": draw(st.integers(0, 20)), "ram_size": ram}
    return FwCfgSnapshot(files={"etc/e820": e820} if e820 or draw(st.booleans()) else {}, selectors=selectors)


@needs_gcc
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(legacy_case())
def test_legacy_smbios_equals_the_model(harness, snap):
    # link() without strict: a malformed entry list is an error finding there and nothing is placed, as in C.
    host = F.run_host_loader(snap, smbios=True, harness=harness)
    image = link(snap, smbios=True)
    assert host.smbios_status == 1 and host.legacy_status is not None
    assert {n: (a.address, a.size) for n, a in host.allocations.items()} == \
        {n: (a.address, a.size) for n, a in image.allocations.items()}
    assert host.memory == image.memory
    assert (host.legacy_status == 0) == (image.smbios is not None)


@needs_gcc
@pytest.mark.parametrize("case", ["two big structures", "4000 CPUs", "1 PiB"])
def test_legacy_smbios_stays_in_seabioss_buffer_in_both(harness, case):
    # SeaBIOS builds in 32 KiB: QEMU's second 20,000-byte structure no longer fits and is left out; a machine
    # whose own structures pass 32 KiB gets no legacy SMBIOS from either loader.
    big = bytes([11, 5, 0x00, 0x0B, 1]) + b"x" * 20_000 + b"\0"
    entries = [legacy_table(big)] * 2 if case == "two big structures" else []
    raw = len(entries).to_bytes(2, "little") + b"".join(entries)
    ram = 1 << 50 if case == "1 PiB" else 128 << 20
    e820 = (0).to_bytes(8, "little") + ram.to_bytes(8, "little") + (1).to_bytes(4, "little")
    snap = FwCfgSnapshot(files={"etc/e820": e820}, selectors={
        "smbios_entries": raw.hex(), "nb_cpus": 1, "max_cpus": 4000 if case == "4000 CPUs" else 1, "ram_size": ram})
    host = F.run_host_loader(snap, smbios=True, harness=harness)
    image = link(snap, smbios=True)
    assert (host.legacy_status == 0) == (image.smbios is not None) == (case == "two big structures")
    assert host.memory == image.memory
    if image.smbios is not None:
        assert [s.type for s in image.smbios.structures].count(11) == 1


# ---- hand-made scripts

def test_synthetic_script_links_identically(harness):
    host, model = host_and_model(S.snapshot(), harness, {S.RSDP_FILE: 0xF0000, S.TABLES_FILE: 0x100000})
    assert host.ok and F.differences(host, model) == []


@pytest.mark.parametrize("offset,raw,index,field", [
    (4, b"x" * 56, 0, "file"),  # no NUL
    (4, b"\0", 0, "file"),  # empty
    (4, b"\xff\0", 0, "file"),  # not ASCII
    (60, (3).to_bytes(4, "little"), 0, "align"),
    (64, b"\x07", 0, "zone"),
])
def test_broken_allocate_is_refused_like_the_model(harness, offset, raw, index, field):
    snap = S.snapshot()
    files = dict(snap.files)
    files["etc/table-loader"] = S.raw_script_with(S.good_commands(), 0, offset, raw)
    snap = FwCfgSnapshot(files=files)
    host, model = host_and_model(snap, harness)
    assert not host.ok and host.error[1:3] == (index, field) and model.error == (index, field)
    assert host.memory == {}  # nothing was allocated before the failing command


def test_ragged_script_length_is_refused(harness):
    files = dict(S.snapshot().files)
    files["etc/table-loader"] = files["etc/table-loader"][:-1]
    host, model = host_and_model(FwCfgSnapshot(files=files), harness)
    assert host.error[1:3] == (-1, "length") and model.error == (-1, "length")
    assert host.log == ["loader: script: length: script length is not a multiple of 128"]


def test_more_than_64_allocations_fail_cleanly(harness):
    # The C loader bounds its table; the Python model has no such limit, so only C refuses here.
    names = [f"f{i}" for i in range(65)]
    files = {name: bytes(16) for name in names}
    files["etc/e820"] = S.e820_blob()
    files["etc/table-loader"] = S.script(*[S.allocate(name, 16) for name in names])
    host = F.run_host_loader(FwCfgSnapshot(files=files), harness=harness)
    assert host.error[0] == 9 and host.error[1:3] == (64, "file")  # LOADER_E_TOO_MANY
    assert len(host.allocations) == 64


def test_unknown_commands_are_logged_and_skipped(harness):
    data = bytearray(S.script(*S.good_commands()))
    data[len(S.good_commands()) * 128] = 0x77
    files = dict(S.snapshot().files)
    files["etc/table-loader"] = bytes(data)
    host, model = host_and_model(FwCfgSnapshot(files=files), harness)
    assert host.ok and F.differences(host, model) == []
    assert any("unknown command 0x77 skipped" in line for line in host.log)


# ---- Hypothesis: the same generated scripts through both loaders

ALLOCATABLE = ["etc/acpi/rsdp", "etc/acpi/tables", "a", "b/c"]
WRITABLE = ["etc/vmgenid_addr", "w"]  # fw_cfg files a WRITE_POINTER targets, and sometimes ALLOCATEd after it
UNKNOWN = ["missing"]
SLOT = 0x1000  # every file's placement slot; files stay below it so placements never overlap


def name_field(name):
    return name.encode().ljust(56, b"\0")


def entry(command, body: bytes) -> bytes:
    return command.to_bytes(4, "little") + body.ljust(124, b"\0")


@st.composite
def generated_case(draw):
    """Files, a script of valid and broken commands over them, and fixed addresses (or the allocator)."""
    # A third of the scripts draw only valid fields (pointers may still overflow): they must link and write.
    clean = draw(st.sampled_from([False, False, True]))

    def mostly(valid, wild, odds=5):
        """Draw from `wild` once in `odds`, else from `valid`: scripts must get far enough to test later checks."""
        return valid if clean else st.sampled_from(range(odds)).flatmap(lambda i: wild if i == odds - 1 else valid)

    sizes = mostly(st.integers(8, 300), st.integers(0, 8))
    files = {name: draw(st.binary(min_size=n, max_size=n)) for name in ALLOCATABLE + WRITABLE
             for n in [draw(sizes)] if name == "etc/acpi/tables" or clean or draw(st.booleans())}
    files["etc/e820"] = S.e820_blob()
    present = [name for name in ALLOCATABLE if name in files]
    any_name = st.sampled_from(ALLOCATABLE + WRITABLE + UNKNOWN)
    known = mostly(st.sampled_from(present), any_name)
    wild_u32 = st.sampled_from([0xFFFFFFFF, 0xFFFFFFF8, 0x80000000, 301])
    pointer_size = mostly(st.sampled_from([1, 2, 4, 8]), st.sampled_from([0, 3, 16, 255]))

    def u32(value):
        return (value & 0xFFFFFFFF).to_bytes(4, "little")

    def offset_in(name, size=1):
        limit = max(0, len(files.get(name, b"")) - size)
        return draw(mostly(st.integers(0, limit), st.one_of(st.integers(limit, limit + 9), wild_u32)))

    def allocate(name=None):
        # An ALLOCATE of a WRITE_POINTER destination must load what was written: QEMU keeps a guest's write in
        # the fw_cfg file, and both loaders model that.
        name = name or draw(mostly(st.sampled_from(present), st.sampled_from(ALLOCATABLE + WRITABLE + UNKNOWN), 3))
        # Every script allocates several files, so each ALLOCATE field goes wrong more rarely than the rest.
        align = draw(mostly(st.sampled_from([1, 16, 64, 4096]), st.sampled_from([0, 3, 0x80000000, 0x1000000]), 20))
        zone = draw(mostly(st.sampled_from([ZONE_HIGH, ZONE_FSEG]), st.sampled_from([0, 3, 255]), 20))
        return entry(CMD_ALLOCATE, name_field(name) + u32(align) + bytes([zone]))

    def add_pointer():
        dest, src, size = draw(known), draw(known), draw(pointer_size)
        return entry(CMD_ADD_POINTER, name_field(dest) + name_field(src) + u32(offset_in(dest, size))
                     + bytes([size]))

    def add_checksum():
        name = draw(known)
        start = offset_in(name, 0)
        length = draw(mostly(st.integers(0, max(0, len(files.get(name, b"")) - start)), wild_u32))
        at = draw(mostly(st.integers(start, start + max(0, length - 1)), st.one_of(wild_u32, st.just(start + length))))
        return entry(CMD_ADD_CHECKSUM, name_field(name) + u32(at) + u32(start) + u32(length))

    def write_pointer():
        dest, src, size = draw(mostly(st.sampled_from(WRITABLE), any_name)), draw(known), draw(pointer_size)
        return entry(CMD_WRITE_POINTER, name_field(dest) + name_field(src) + u32(offset_in(dest, size))
                     + u32(offset_in(src)) + bytes([size]))

    def other():
        return entry(draw(st.sampled_from([0, 5, 0x80000001])), draw(st.binary(max_size=124)))

    # QEMU's shape: the ALLOCATEs first, then the patches; any command may still come anywhere.
    commands = [allocate(name) for name in draw(st.permutations(present))]
    makers = [add_pointer, add_pointer, add_checksum, add_checksum, write_pointer, other] + [allocate] * (not clean)
    commands += [draw(st.sampled_from(makers))() for _ in range(draw(st.integers(0, 12)))]
    # Now and then, one command gets a broken name: no NUL, empty, or not ASCII.
    if commands and not clean and draw(st.sampled_from([False] * 5 + [True])):
        i = draw(st.integers(0, len(commands) - 1))
        raw = bytearray(commands[i])
        field_at = draw(st.sampled_from([4, 60] if raw[0] in (CMD_ADD_POINTER, CMD_WRITE_POINTER) else [4]))
        raw[field_at:field_at + 56] = draw(st.sampled_from([b"x" * 56, bytes(56), b"\xc3\xa9".ljust(56, b"\0")]))
        commands[i] = bytes(raw)
    script = b"".join(commands)
    if not clean and draw(st.sampled_from([False] * 19 + [True])):
        script += b"\0" * draw(st.integers(1, 127))
    files["etc/table-loader"] = script
    placement = None
    if draw(st.booleans()):
        # Low slots so 1- and 2-byte pointers sometimes fit; an odd offset breaks alignment (a model warning).
        base = draw(st.sampled_from([0, 0x10000, 0xFFFF0000]))
        placement = {name: base + SLOT * i + draw(st.sampled_from([0, 16, 1]))
                     for i, name in enumerate(ALLOCATABLE)}
    return files, placement


@needs_gcc
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(generated_case())
def test_c_and_python_loaders_agree(harness, case):
    files, placement = case
    snap = FwCfgSnapshot(files=files)
    host, model = host_and_model(snap, harness, placement)
    assert F.differences(host, model) == []


# ---- libFuzzer

@pytest.mark.skipif(shutil.which("clang") is None, reason="clang is not installed")
def test_bounded_fuzz_run_finds_nothing(tmp_path):
    fuzzer = F.build_host("fuzz_loader")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in FIXTURES:
        (corpus / os.path.basename(path)).write_bytes(F.fuzz_seeds(read_capture(path)))
    (corpus / "synthetic").write_bytes(F.fuzz_seeds(S.snapshot()))
    done = subprocess.run([fuzzer, "-max_total_time=20", "-timeout=10", "-rss_limit_mb=1024", "-print_coverage=1",
                           f"-artifact_prefix={tmp_path}/", str(corpus)], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done " in done.stderr and not list(tmp_path.glob("crash-*"))
    # The old machine types' seeds carry FW_CFG_SMBIOS_ENTRIES, so the legacy SMBIOS build is fuzzed too.
    covered = {line.split()[5] for line in done.stderr.splitlines() if line.startswith("COVERED_FUNC:")}
    assert {"smbios_setup", "smbios_legacy_setup", "build_legacy", "external"} <= covered


# ---- the hand-written assembly

@pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("make") is None, reason="gcc or make is missing")
@pytest.mark.parametrize("target, words", [("check-e820", "e820_set.S"), ("check-fw-cfg-find", "fw_cfg_find.S")])
def test_assembly_equals_the_c_it_replaced(target, words):
    # firmware/host builds each .S for 32-bit x86 beside its C reference and compares them on random inputs.
    done = subprocess.run(["make", "-s", "-C", F.HOST_DIR, f"BUILD={F.BUILD_DIR}", target], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    assert f"{words} equals the C reference" in done.stdout, done.stdout


# ---- the MP table

needs_qemu = pytest.mark.skipif(shutil.which("qemu-system-x86_64") is None, reason="QEMU is not installed")
TOPOLOGIES = [["-smp", n] for n in ("1", "4", "6,sockets=2,cores=3", "8,sockets=2,cores=2,threads=2", "2,maxcpus=8",
                                     "8,sockets=2,dies=2,cores=2", "12,sockets=1,cores=3,threads=4", "64")]


def fixture_args(path):
    """The QEMU arguments a fixture was captured with (command.txt's "# arguments:" line)."""
    with open(os.path.join(path, "command.txt")) as f:
        line = next(line for line in f if line.startswith("# arguments:"))
    return shlex.split(line.split(":", 1)[1])


@pytest.fixture(scope="module")
def mp_harness():
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    return F.build_host("run_mptable")


@needs_qemu
@pytest.mark.parametrize("machine_type", ["pc", "q35"])
@pytest.mark.parametrize("smp", TOPOLOGIES, ids=lambda a: a[1])
def test_qemu_cpuid_topology_is_what_mptable_c_expects(machine_type, smp):
    # Measured on the BSP by a ROM, the leaves mptable.c reads equal the QEMU 7.2 model it was written against.
    machine = MachineConfig.from_qemu_args(["-M", machine_type, *smp])
    measured = F.probe_cpuid(["-M", machine_type, *smp])
    expected = F.qemu_topology_cpuid(machine.topology)
    assert measured[(0, 0)][0] == expected[(0, 0)]
    # Leaf 1: EBX[23:16] and EDX.HTT; leaf 4 subleaf 0: EAX, zeros on this AMD model.
    assert (measured[(1, 0)][1] & 0xFF0000, measured[(1, 0)][3] & 1 << 28) == \
        (expected[(1, 0)][1] & 0xFF0000, expected[(1, 0)][3])
    assert measured[(4, 0)] == expected[(4, 0)]
    assert measured[(0xB, 0)] == expected[(0xB, 0)] and measured[(0xB, 1)] == expected[(0xB, 1)]


# Where leaf 0Bh is not the whole story, CPUID as QEMU answers it: (machine type, -smp, -cpu or None, the leaf
# mptable.c takes the topology from). The APIC IDs are QEMU's, which the same -smp gives on today's pc or q35.
OTHER_CPUID = [
    ("pc-i440fx-2.1", "6,sockets=2,cores=3", None, 1),  # qemu64 at level 4: leaves 1 and 4
    ("pc-i440fx-2.1", "12,sockets=2,cores=3,threads=2", None, 1),
    ("pc-q35-2.4", "6,sockets=2,cores=3", None, 1),  # leaf 0Bh off
    ("q35", "12,sockets=2,cores=3,threads=2", "qemu64,cpuid-0xb=off,vendor=GenuineIntel", 1),
    ("q35", "12,sockets=2,dies=3,cores=2", None, 0xB),  # an AMD model stays at level 0Dh: dies from MAX_CPUS
    ("q35", "24,sockets=2,dies=3,cores=2,threads=2", "qemu64,vendor=GenuineIntel", 0x1F),
    ("pc", "8,sockets=2,dies=2,cores=2", "qemu64,vendor=GenuineIntel", 0x1F),
]


@needs_qemu
@pytest.mark.parametrize("machine_type,smp,cpu,leaf", OTHER_CPUID, ids=lambda v: str(v))
def test_apic_ids_from_measured_cpuid_without_leaf_0b_or_with_dies(machine_type, smp, cpu, leaf, mp_harness):
    chipset = "q35" if "q35" in machine_type else "pc"
    machine = MachineConfig.from_qemu_args(["-M", chipset, "-smp", smp])
    cpuid = F.probe_cpuid(["-M", machine_type, "-smp", smp, *(["-cpu", cpu] if cpu else [])])
    result = F.run_host_mptable(chipset, machine.topology.cpus, cpuid, apic_id_limit=machine.apic_id_limit,
                                harness=mp_harness)
    assert result.topology_source == leaf
    assert result.apic_ids == [c.apic_id for c in machine.present_cpus]
    assert result.table == build_mptable(machine, result.address)
    # The firmware-read model (tests/harness/firmware.py) reads the same answers the same way.
    topology = firmware.topology_from_cpuid(lambda leaf, subleaf: cpuid[(leaf, subleaf)], machine.apic_id_limit)
    assert [firmware.firmware_apic_id(topology, i) for i in range(machine.topology.cpus)] == result.apic_ids


def test_dies_without_a_die_count_are_counted_with_the_packages(mp_harness):
    # Leaf 0Bh leaves two bits for three dies; without fw_cfg MAX_CPUS (or with one that does not fill them) the
    # dies and packages share the bits above the cores: IDs 0-5, then 6.
    machine = MachineConfig.from_qemu_args(["-M", "q35", "-smp", "12,sockets=2,dies=3,cores=2"])
    cpuid = F.qemu_topology_cpuid(machine.topology)
    for limit in (0, 3):  # 3: the last ID 2 has die field 1, two dies, which need one bit
        result = F.run_host_mptable("q35", 8, cpuid, apic_id_limit=limit, harness=mp_harness)
        assert result.topology_source == 0xB and result.apic_ids == [0, 1, 2, 3, 4, 5, 6, 7]
    assert F.run_host_mptable("q35", 8, cpuid, apic_id_limit=machine.apic_id_limit,
                              harness=mp_harness).apic_ids == [0, 1, 2, 3, 4, 5, 8, 9]


@pytest.mark.parametrize("cpuid,ids", [
    ({(0, 0): (4, 0, 0, 0), (1, 0): (0, 0x090800, 0, 1 << 28), (4, 0): (0x121 | 2 << 26, 0, 0, 0)}, [0, 1, 2, 4, 5, 6]),
    ({(0, 0): (4, 0, 0, 0), (1, 0): (0, 0x090800, 0, 0), (4, 0): (0x121 | 2 << 26, 0, 0, 0)}, [0, 1, 2, 3, 4, 5]),
    ({(0, 0): (2, 0, 0, 0), (1, 0): (0, 0x090800, 0, 1 << 28), (4, 0): (0x121 | 2 << 26, 0, 0, 0)}, [0, 1, 2, 3, 4, 5]),
    ({(0, 0): (4, 0, 0, 0), (1, 0): (0, 0x050800, 0, 1 << 28), (4, 0): (0x121 | 2 << 26, 0, 0, 0)}, [0, 1, 2, 3, 4, 5]),
    ({(0, 0): (4, 0, 0, 0), (1, 0): (0, 0x030800, 0, 1 << 28), (4, 0): (0, 0, 0, 0)}, [0, 1, 2, 4, 5, 6]),
], ids=["htt-and-leaf-4", "no-htt", "level-2", "cores-do-not-divide", "leaf-4-without-caches"])
def test_legacy_cpuid_topology(cpuid, ids, mp_harness):
    # Leaf 1 counts 9 logical CPUs and leaf 4 three cores: three threads a core, two bits each. Without HTT one
    # logical CPU cannot hold three cores, and at level 2 leaf 4 is not read: nine threads, four bits, dense IDs;
    # so are counts that do not divide. Leaf 4 without a cache in EAX[4:0] is one core, as in Linux.
    result = F.run_host_mptable("pc", 6, cpuid, harness=mp_harness)
    assert result.apic_ids == ids
    topology = firmware.topology_from_cpuid(lambda leaf, subleaf: cpuid.get((leaf, subleaf), (0, 0, 0, 0)), 0)
    assert [firmware.firmware_apic_id(topology, i) for i in range(6)] == ids


@needs_qemu
def test_sparse_topology_gets_the_real_apic_ids_from_measured_cpuid(mp_harness):
    args = ["-M", "pc", "-smp", "6,sockets=2,cores=3"]
    machine = MachineConfig.from_qemu_args(args)
    result = F.run_host_mptable("pc", 6, F.probe_cpuid(args), apic_id_limit=machine.apic_id_limit,
                                harness=mp_harness)
    assert result.topology_known and result.apic_ids == [0, 1, 2, 4, 5, 6]
    assert result.table == build_mptable(machine, result.address)
    assert [e.local_apic_id for e in parse_mptable(result.table).entries(MP_PROCESSOR)] == [0, 1, 2, 4, 5, 6]


# The machine model covers 6.1 on, not the old types of the legacy SMBIOS captures (pc-i440fx-2.0 and older).
@pytest.mark.parametrize("path", [p for p in FIXTURES if "microvm" not in p and not os.path.basename(p).startswith(
    ("pc-i440fx-1.", "pc-i440fx-2."))], ids=lambda p: os.path.basename(p))
def test_mptable_equals_the_model_for_every_fixture_machine(path, mp_harness):
    snap = read_capture(path)
    machine = MachineConfig.from_qemu_args(fixture_args(path))
    assert machine.apic_id_limit == snap.selectors["max_cpus"]
    result = F.run_host_mptable(machine.machine, snap.selectors["nb_cpus"], F.qemu_topology_cpuid(machine.topology),
                                apic_id_limit=snap.selectors["max_cpus"], harness=mp_harness)
    assert result.apic_ids == [c.apic_id for c in machine.present_cpus]
    assert 0xF0000 <= result.address < 0x100000 and result.address % 16 == 0
    assert result.table == build_mptable(machine, result.address)
    assert parse_mptable(result.table, result.address).problems == []
    assert not any("ABOVE" in line for line in result.log)


@pytest.mark.parametrize("args", [["-M", "q35", "-smp", "260", "-accel", "kvm"],
                                  ["-M", "pc", "-smp", "4", "-machine", "x-oem-id=ABC"],
                                  ["-M", "microvm", "-smp", "2"]],
                         ids=["x2apic-ids", "oem-id", "no-pci"])
def test_mptable_equals_the_model_at_a_fixed_address(args, mp_harness):
    machine = MachineConfig.from_qemu_args(args)
    result = F.run_host_mptable(machine.machine, machine.topology.cpus, F.qemu_topology_cpuid(machine.topology),
                                address=0xF5A40, oem_id=machine.oem_id, harness=mp_harness)
    assert result.address == 0xF5A40
    assert result.table == build_mptable(machine, 0xF5A40)
    # An 8-bit APIC ID field: CPUs past APIC ID FEh are left to the MADT.
    assert len(parse_mptable(result.table).entries(MP_PROCESSOR)) == min(machine.topology.cpus, 0xFF)


def test_without_cpuid_topology_apic_ids_are_indexes_and_the_log_says_so(mp_harness):
    # A CPU whose highest leaf is 0 says nothing about the topology (from leaf 1 on it does:
    # test_legacy_cpuid_topology).
    result = F.run_host_mptable("q35", 3, {(0, 0): 0}, apic_id_limit=2, harness=mp_harness)
    assert not result.topology_known and result.apic_ids == [0, 1, 2]
    assert "IDs are indexes" in result.log[0] and "ABOVE the APIC ID limit" in result.log[0]


def test_mptable_without_pci_has_only_the_isa_bus(mp_harness):
    machine = MachineConfig.from_qemu_args(["-M", "microvm,acpi=on", "-smp", "2"])
    result = F.run_host_mptable("microvm", 2, F.qemu_topology_cpuid(machine.topology), harness=mp_harness)
    assert result.table == build_mptable(machine, result.address)
    assert [bytes(b.bus_type) for b in parse_mptable(result.table).entries(MP_BUS)] == [b"ISA   "]
