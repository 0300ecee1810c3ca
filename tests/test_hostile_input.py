"""Hostile and careless input, case by case: special files, links, traversal, outputs over inputs, bad fw_cfg.json,
stale output folders, unreadable files, and the typed errors the library raises for each."""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from qboot_tables import errors
from qboot_tables.files import MARKER, MAX_FILE_BYTES, safe_path, safe_signature
from qboot_tables.read.inputs import load
from qboot_tables.read.snapshot import read_capture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "qemu-7.2")
Q35 = os.path.join(FIXTURES, "q35-smp4")
NUMA = os.path.join(FIXTURES, "q35-numa2")
APIC = os.path.join(Q35, "golden", "tables", "APIC")
NOBODY = 65534  # Debian's nobody and nogroup


def run(*args, entry="dump", env=None, user=None):
    cmd = [sys.executable, "-m", "qboot_tables"] + ([entry] if entry else []) + [str(a) for a in args]
    if user:  # CI runs as root, which reads anything: drop to an unprivileged user to see a refusal
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, **(env or {})})
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def refused(proc, *words):
    """Exit 2 with one line on stderr that names the problem."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr
    return proc


def digest(path):
    """Names, modes and bytes of everything under `path`, links not followed."""
    h = hashlib.sha256()
    for base, dirs, names in os.walk(path):
        dirs.sort()
        for name in sorted(dirs + names):
            full = os.path.join(base, name)
            st = os.lstat(full)
            h.update(f"{os.path.relpath(full, path)} {st.st_mode}".encode())
            if os.path.islink(full):
                h.update(os.readlink(full).encode())
            elif os.path.isfile(full):
                with open(full, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


def copy_capture(tmp_path, source=Q35):
    target = tmp_path / "capture"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("golden"))
    return target


# ---- special files

def test_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refused(run(fifo), "FIFO")
    refused(run(fifo, APIC, entry="diff"), "FIFO")
    tables = tmp_path / "tables"
    shutil.copytree(os.path.join(Q35, "golden", "tables"), tables)
    os.unlink(tables / "APIC")
    os.mkfifo(tables / "APIC")
    refused(run(tables), "FIFO")


def test_capture_file_linked_to_dev_zero_is_refused(tmp_path):
    capture = copy_capture(tmp_path)
    os.unlink(capture / "etc" / "acpi" / "tables")
    os.symlink("/dev/zero", capture / "etc" / "acpi" / "tables")
    refused(run(capture), "etc/acpi/tables")  # a link out of the input, before it is even opened
    os.unlink(capture / "etc" / "acpi" / "tables")
    os.symlink("/dev/zero", tmp_path / "zero")
    refused(run(tmp_path / "zero"), "character device")


def test_huge_files_are_refused_without_reading_them(tmp_path):
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    refused(run(big), "more than")


def test_by_name_links_stay_inside_the_input(tmp_path):
    by_name = tmp_path / "copy" / "by_name"
    snapshot = read_capture(Q35)
    for name, data in snapshot.files.items():
        (by_name / name).mkdir(parents=True)
        (by_name / name / "raw").write_bytes(data)
    before = run(by_name, "--json")
    assert before.returncode == 0
    (by_name / "etc" / "loop").symlink_to("..")  # a cycle: walked once
    assert run(by_name, "--json").stdout == before.stdout
    (by_name / "etc" / "outside").symlink_to(ROOT)  # out of the input: not followed
    refused(run(by_name), "not followed")
    os.unlink(by_name / "etc" / "outside")
    # Linux's layout: by_name links into its sibling by_key, which stays inside the input.
    by_key = by_name.parent / "by_key"
    by_key.mkdir()
    shutil.move(str(by_name / "etc" / "acpi" / "tables"), by_key / "7")
    (by_name / "etc" / "acpi" / "tables").symlink_to(os.path.join("..", "..", "..", "by_key", "7"))
    assert run(by_name, "--json").stdout == before.stdout


# ---- names from data and outputs

def test_signature_cannot_choose_where_out_writes(tmp_path):
    data = bytearray(open(APIC, "rb").read())
    for signature in (b"../Q", b"/QQQ", b"..QQ", b"RSDP"):
        data[:4] = signature
        table = tmp_path / "in" / "table"
        table.parent.mkdir(exist_ok=True)
        table.write_bytes(bytes(data))
        out = tmp_path / "out" / "d"
        proc = run(table, "--out", out, "--acpidump", tmp_path / "out" / "dump.txt")
        assert proc.returncode in (0, 1), proc.stderr
        assert sorted(os.listdir(tmp_path)) == ["in", "out"]
        assert sorted(os.listdir(tmp_path / "out")) == ["d", "dump.txt"]
        written = set(os.listdir(out)) - {MARKER}
        assert written == {safe_signature(signature.decode("latin-1")) + ("2" if signature == b"RSDP" else "")}
        # What we wrote reads back: the acpidump names the table as the file does.
        again = json.loads(run(tmp_path / "out" / "dump.txt", "--json").stdout)
        assert again["acpi"][0]["signature"] == signature.decode("latin-1")


def test_signature_from_a_guest_cannot_choose_where_out_writes(tmp_path):
    # The same bytes can come from etc/acpi/tables, where the walk accepts any signature a pointer finds.
    capture = copy_capture(tmp_path)
    blob = (capture / "etc" / "acpi" / "tables").read_bytes()
    blob = blob.replace(b"APIC", b"/\x01..", 1)
    (capture / "etc" / "acpi" / "tables").write_bytes(blob)
    out = tmp_path / "out"
    proc = run(capture, "--out", out, "--acpidump", tmp_path / "dump.txt")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["capture", "dump.txt", "out"]
    assert "____" in os.listdir(out) and "APIC" not in os.listdir(out)
    assert run(tmp_path / "dump.txt").returncode == 0


def test_safe_names():
    assert safe_signature("../Q") == "___Q" and safe_signature("ASF!") == "ASF!"
    assert safe_path("etc/acpi/tables") == os.path.join("etc", "acpi", "tables")
    assert safe_path("../x") == os.path.join("%2E.", "x") and safe_path("/a") == os.path.join("%", "a")
    assert safe_path(".hidden/a\0b") == os.path.join("%2Ehidden", "a%00b")


@pytest.mark.parametrize("out, acpidump", [
    ("{tables}", None),  # --out over the input folder
    ("{tables}/sub", None),  # --out inside the input
    (None, "{tables}/dump.txt"),  # --acpidump inside the input
    ("{tmp}", None),  # --out is a folder that holds the input
    (None, "{tables}/APIC"),  # --acpidump over an input file
])
def test_outputs_never_touch_inputs(tmp_path, out, acpidump):
    tables = tmp_path / "tables"
    shutil.copytree(os.path.join(Q35, "golden", "tables"), tables)
    (tables / MARKER).write_text("written by dump-tables --out\n")  # even a folder we wrote, once it is an input
    before = digest(tmp_path)
    args = [tables / "APIC" if "APIC" in (acpidump or "") else tables]
    fill = {"tables": tables, "tmp": tmp_path}
    if out:
        args += ["--out", out.format(**fill)]
    if acpidump:
        args += ["--acpidump", acpidump.format(**fill)]
    refused(run(*args), "refusing")
    assert digest(tmp_path) == before


def test_dump_out_into_a_capture_is_refused(tmp_path):
    capture = copy_capture(tmp_path)
    before = digest(capture)
    refused(run(capture, "--out", capture / "etc"), "inside the input")
    refused(run(capture, "--acpidump", capture / "fw_cfg.json"), "inside the input")
    refused(run(capture / "etc", "--out", capture), "refusing")
    assert digest(capture) == before


def test_generate_replaces_its_own_folder_whole(tmp_path):
    out = tmp_path / "set"
    numa = ["-M", "q35", "-m", "1G", "-smp", "4", "-object", "memory-backend-ram,id=m0,size=512M",
            "-object", "memory-backend-ram,id=m1,size=512M", "-numa", "node,nodeid=0,memdev=m0",
            "-numa", "node,nodeid=1,memdev=m1"]
    assert run("--out", out, "--", *numa, entry="generate").returncode == 0
    assert (out / "SRAT").exists() and (out / MARKER).exists()
    assert run("--out", out, "--", "-M", "q35", "-smp", "2", entry="generate").returncode == 0
    assert not (out / "SRAT").exists()
    assert json.loads(run(out, "--json").stdout)["summary"]["numa_nodes"] == 1
    # A capture over tables: the format changes, nothing of the tables is left.
    assert run("--out", out, "--format", "capture", "--", "-M", "pc", entry="generate").returncode == 0
    assert not (out / "APIC").exists() and (out / "fw_cfg.json").exists()


def test_generate_refuses_a_users_folder(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "APIC").write_text("my notes")
    before = digest(tmp_path)
    refused(run("--out", mine, "--", "-M", "q35", entry="generate"), "qboot-tables generate:", "--force")
    assert digest(tmp_path) == before
    assert run("--out", mine, "--force", "--", "-M", "q35", entry="generate").returncode == 0
    assert (mine / "APIC").read_bytes()[:4] == b"APIC"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("--out", empty, "--", "-M", "q35", entry="generate").returncode == 0
    (tmp_path / "file").write_text("x")
    refused(run("--out", tmp_path / "file", "--", "-M", "q35", entry="generate"), "not a folder")
    assert sorted(os.listdir(tmp_path)) == ["empty", "file", "mine"]  # nothing staged was left beside


def test_refused_generate_writes_nothing(tmp_path):
    refused(run("--out", tmp_path / "x", "--", "-M", "q35", "-smp", "999", entry="generate"),
            "qboot-tables generate:")
    assert os.listdir(tmp_path) == []


def test_unreadable_file_is_a_typed_error(tmp_path):
    place = tmp_path / "open"  # pytest's own folder is private to root, so nobody could not even look
    os.chmod(tmp_path.parent, 0o755)
    for folder in (tmp_path.parent.parent, tmp_path.parent, tmp_path):
        os.chmod(folder, os.stat(folder).st_mode | 0o755)
    place.mkdir()
    table = place / "APIC"
    shutil.copy(APIC, table)
    os.chmod(table, 0o000)
    refused(run(table, user=NOBODY), "Permission denied")
    capture = copy_capture(place)
    for base, dirs, names in os.walk(capture):
        os.chmod(base, 0o755)
        for name in names:
            os.chmod(os.path.join(base, name), 0o644)
    os.chmod(capture / "etc" / "table-loader", 0o000)
    refused(run(capture, user=NOBODY), "etc/table-loader", "Permission denied")


# ---- fw_cfg.json has its documented shape

@pytest.mark.parametrize("change, key", [
    (lambda d: d.update(selectors=[]), "selectors"),
    (lambda d: d.update(origin="x"), "origin"),
    (lambda d: d.update(origin=json.loads("[" * 50 + "]" * 50)), "origin"),
    (lambda d: d["selectors"].update(ram_size="lots"), "selectors.ram_size"),
    (lambda d: d["selectors"].update(ram_size=-1), "selectors.ram_size"),
    (lambda d: d["selectors"].update(nb_cpus=True), "selectors.nb_cpus"),
    (lambda d: d["selectors"].update(numa={"nodes": 1, "apic_node": ["x"]}), "selectors.numa.apic_node[0]"),
    (lambda d: d["files"][2].update(name="etc/acpi/rsdp\0x"), "files[2].name"),
    (lambda d: d["files"][2].update(size=21), "files[2].size"),
    (lambda d: d["files"].append(d["files"][2]), "files[3].name"),  # listed twice (after the sort below)
    (lambda d: d["files"].__setitem__(0, "bios-geometry"), "files[0]"),
    (lambda d: d.pop("files"), "files"),
    (lambda d: d.update(format="something else"), "format"),
])
def test_capture_index_is_checked(tmp_path, change, key):
    capture = copy_capture(tmp_path)
    index = json.loads((capture / "fw_cfg.json").read_text())
    change(index)
    if isinstance(index.get("files"), list) and all(isinstance(f, dict) for f in index["files"]):
        index["files"].sort(key=lambda f: f["name"])
    (capture / "fw_cfg.json").write_text(json.dumps(index))
    with pytest.raises(errors.CaptureIndexError) as info:
        read_capture(str(capture))
    assert info.value.key == key
    refused(run(capture), f"fw_cfg.json {key}:")


def test_deeply_nested_json_is_a_typed_error(tmp_path):
    capture = copy_capture(tmp_path)
    (capture / "fw_cfg.json").write_text("[" * 100_000 + "]" * 100_000)
    refused(run(capture), "not JSON")


# ---- walking and diffing

def test_root_pointer_to_another_kind_of_table_is_a_finding(tmp_path):
    from qboot_tables.findings import ERROR
    from qboot_tables.read.walk import walk_snapshot

    snapshot = read_capture(Q35)
    tableset = walk_snapshot(snapshot)
    rsdt, madt = tableset.table("RSDT"), tableset.table("APIC")
    # Aim the RSDP's RSDT pointer at the MADT: the loader patches in the address of the offset QEMU wrote.
    rsdp = bytearray(snapshot.files["etc/acpi/rsdp"])
    offset = int.from_bytes(rsdp[16:20], "little") + madt.address - rsdt.address
    rsdp[16:20] = offset.to_bytes(4, "little")
    files = dict(snapshot.files, **{"etc/acpi/rsdp": bytes(rsdp)})
    broken = walk_snapshot(type(snapshot)(files, snapshot.selectors, snapshot.origin))
    assert any(f.severity == ERROR and "where RSDT was expected" in f.message for f in broken.findings)
    assert [t.signature for t in broken.acpi] == ["APIC"]


def test_diff_is_the_same_whatever_the_hash_seed():
    outputs = {run(Q35, NUMA, entry="diff", env={"PYTHONHASHSEED": str(seed)}).stdout for seed in (0, 1, 2, 3)}
    assert len(outputs) == 1 and outputs.pop()


def test_error_messages_cut_long_arguments(tmp_path):
    long_name = tmp_path / ("x" * 200)
    proc = refused(run(long_name), "No such file")
    assert len(proc.stderr) < 200
    assert len(errors.quote("y" * 100_000)) < 120


# ---- the library raises only its own errors

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

LIBRARY_SEEDS = [read_capture(os.path.join(FIXTURES, name)) for name in ("q35-smp4", "pc-numa2", "microvm-acpi")]
MUTABLE = ("etc/acpi/tables", "etc/acpi/rsdp", "etc/table-loader", "etc/e820", "etc/smbios/smbios-tables",
           "etc/smbios/smbios-anchor")


@st.composite
def mutated_snapshots(draw):
    """A fixture's snapshot with one fw_cfg file overwritten, cut or grown at a drawn place."""
    seed = draw(st.sampled_from(LIBRARY_SEEDS))
    name = draw(st.sampled_from([n for n in MUTABLE if n in seed.files]))
    data = bytearray(seed.files[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        patch = draw(st.sampled_from([b"\0", b"\xff", b"\xff\xff\xff\xff", b"\0\0\0\x80"]) | st.binary(max_size=8))
        how = draw(st.sampled_from(["overwrite", "insert", "cut"]))
        if how == "overwrite":
            data[at:at + len(patch)] = patch
        elif how == "insert":
            data[at:at] = patch
        else:
            del data[at:]
    return type(seed)(dict(seed.files, **{name: bytes(data)}), seed.selectors, seed.origin), seed


@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 150)), deadline=None,
          derandomize=not os.environ.get("HOSTILE_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
@given(mutated_snapshots())
def test_public_functions_raise_only_project_errors(case):
    from qboot_tables.check.consistency import check
    from qboot_tables.show.diff import diff
    from qboot_tables.read.loader import link
    from qboot_tables.show.render import document, to_json, to_text
    from qboot_tables.show.summary import summarize
    from qboot_tables.check.validate import validate
    from qboot_tables.read.walk import walk_image, walk_snapshot

    snapshot, seed = case
    try:
        tableset = walk_image(link(snapshot), snapshot)
        findings = validate(tableset) + check(tableset)
        to_text(document(tableset, findings)) and to_json(document(tableset, findings))
        summarize(tableset)
        diff(walk_snapshot(seed), tableset)
    except errors.QbootTablesError:
        pass  # the one kind of exception bad input may raise


def _golden_tables(name):
    folder = os.path.join(FIXTURES, name, "golden", "tables")
    return {n: open(os.path.join(folder, n), "rb").read() for n in sorted(os.listdir(folder)) if n != "smbios.bin"}


TABLE_SEEDS = [_golden_tables(name) for name in ("q35-numa2", "pc-smp8-s2c2t2", "microvm-acpi")]
SIGNATURES = sorted({data[:4] for tables in TABLE_SEEDS for data in tables.values()} | {b"XSDT", b"SSDT"})


@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 150)), deadline=None,
          derandomize=not os.environ.get("HOSTILE_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_checks_of_already_linked_tables_raise_only_project_errors(data):
    """A table folder's tables, one of them mutated or given another table's signature, through every check."""
    from qboot_tables.check.consistency import check
    from qboot_tables.show.render import document, to_text
    from qboot_tables.show.summary import summarize
    from qboot_tables.check.validate import validate
    from qboot_tables.read.walk import TableSet, parse_rsdp, parse_table, unique_names

    tables = dict(data.draw(st.sampled_from(TABLE_SEEDS)))
    name = data.draw(st.sampled_from(sorted(tables)))
    body = bytearray(tables[name])
    if data.draw(st.booleans()):
        body[:4] = data.draw(st.sampled_from(SIGNATURES))
    at = data.draw(st.integers(0, len(body)))
    body[at:at + 4] = data.draw(st.binary(max_size=4))
    if data.draw(st.booleans()):
        del body[data.draw(st.integers(0, len(body))):]
    tables[name] = bytes(body)
    tableset = TableSet(source="mutated")
    for file_name, raw in tables.items():
        if file_name == "RSDP":
            tableset.rsdp = parse_rsdp(raw)
        elif len(raw) >= 4:
            tableset.acpi.append(parse_table(raw[:4].decode("latin-1"), raw))
    unique_names(tableset.acpi)
    try:
        findings = validate(tableset) + check(tableset)
        to_text(document(tableset, findings))
        summarize(tableset)
    except errors.QbootTablesError:
        pass


def _corpus_samples():
    """One real table per signature from the corpus, where there is one, to mutate."""
    import real_hw

    samples = {}
    for machine in real_hw.machines():
        for table in real_hw.machine_tables(machine):
            samples.setdefault(table.signature, table.data)
    return samples


CORPUS_SAMPLES = _corpus_samples()


@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 600)), deadline=None,
          derandomize=not os.environ.get("HOSTILE_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_descriptor_takes_hostile_bytes(data):
    """Each registered table, from random bytes or a mutated real one, through parse, checks and rendering."""
    import struct

    from qboot_tables.check.consistency import check
    from qboot_tables.check.validate import validate
    from qboot_tables.show.render import document, to_json, to_text
    from qboot_tables.tables import DESCRIPTORS
    from qboot_tables.read.walk import TableSet, parse_table, unique_names

    signature = data.draw(st.sampled_from(sorted(DESCRIPTORS)))
    if signature in CORPUS_SAMPLES and data.draw(st.booleans()):
        body = bytearray(CORPUS_SAMPLES[signature])
        for _ in range(data.draw(st.integers(1, 6))):
            at = data.draw(st.integers(0, len(body)))
            body[at:at + 4] = data.draw(st.binary(min_size=1, max_size=4))
    else:
        body = bytearray(signature.encode() + bytes(32) + data.draw(st.binary(max_size=400)))
    if data.draw(st.booleans()):  # a length field that tells the truth, so the body is read whole
        body[4:8] = struct.pack("<I", len(body))
    tableset = TableSet(source="hostile", acpi=[parse_table(signature, bytes(body))])
    unique_names(tableset.acpi)
    try:
        findings = validate(tableset) + check(tableset)
        to_text(document(tableset, findings)) and to_json(document(tableset, findings))
    except errors.QbootTablesError:
        pass
