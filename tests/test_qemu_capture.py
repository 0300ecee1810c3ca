"""qboot_tables.tools.qemu: capturing fw_cfg from the installed QEMU 7.2 over qtest, checked against facts."""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import textwrap
import time

import pytest

from qboot_tables.tools import qemu

from qboot_tables.read import snapshot
from qboot_tables.errors import CaptureError

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "qemu-7.2")
Q35_SMP4 = ["-M", "q35", "-smp", "4"]
HAVE_QEMU = shutil.which("qemu-system-x86_64") is not None
needs_qemu = pytest.mark.skipif(not HAVE_QEMU, reason="qemu-system-x86_64 is not installed")


@pytest.fixture(scope="module")
def q35_smp4():
    return qemu.capture(Q35_SMP4)


@pytest.mark.qemu
@needs_qemu
def test_q35_smp4_capture_has_the_known_facts(q35_smp4):
    s = q35_smp4
    assert s.selectors["signature"] == "QEMU"
    assert s.selectors["features"] & 0b11 == 0b11  # traditional and DMA
    assert s.selectors["nb_cpus"] == 4
    assert s.selectors["max_cpus"] == 4
    assert s.selectors["ram_size"] == 128 << 20  # QEMU's default -m
    assert s.selectors["numa"] == {"nodes": 0, "apic_node": [], "node_mem": []}
    assert s.selectors["hpet"]["count"] == 1
    assert s.selectors["hpet"]["blocks"][0]["address"] == 0xFED00000
    for name in ("etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp", "etc/smbios/smbios-tables", "etc/e820"):
        assert name in s.files, name
    assert len(s.files["etc/table-loader"]) == 4096
    assert s.files["etc/acpi/rsdp"].startswith(b"RSD PTR ")
    assert len(s.files["etc/acpi/tables"]) == 128 * 1024
    # The directory sizes are the sizes of what was read.
    assert {e["name"]: e["size"] for e in s.directory} == {n: len(d) for n, d in s.files.items()}
    assert s.origin["qemu"]["args"] == Q35_SMP4
    assert s.origin["qemu"]["transport"] == "dma"
    assert s.origin["qemu"]["version"].startswith("QEMU emulator version 7.2")


@pytest.mark.qemu
@needs_qemu
def test_chipset_programming_reaches_the_tables(q35_smp4):
    # PCIEXBAR enabled makes QEMU add MCFG; PMBASE 0x600 is the FADT's PM1a event block (ACPI 6.5 §5.2.9, offset 56).
    tables = q35_smp4.files["etc/acpi/tables"]
    assert b"MCFG" in tables
    facp = tables.index(b"FACP")
    assert int.from_bytes(tables[facp + 56:facp + 60], "little") == 0x600
    assert "PCIEXBAR=0xb0000000" in q35_smp4.origin["qemu"]["chipset"]


@pytest.mark.qemu
@needs_qemu
def test_capturing_twice_gives_identical_files(q35_smp4):
    again = qemu.capture(Q35_SMP4)
    assert dict(again.files) == dict(q35_smp4.files)
    assert dict(again.selectors) == dict(q35_smp4.selectors)
    assert again.directory == q35_smp4.directory


@pytest.mark.qemu
@needs_qemu
def test_port_io_and_dma_read_the_same_bytes(q35_smp4):
    by_io = qemu.capture(Q35_SMP4, transport="io")
    assert by_io.origin["qemu"]["transport"] == "io"
    assert dict(by_io.files) == dict(q35_smp4.files)
    assert dict(by_io.selectors) == dict(q35_smp4.selectors)


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("name", ["pc-smp2-max8", "q35-numa2", "q35-vmgenid", "microvm-acpi",
                                  "pc-i440fx-2.0-smbios-fields"])  # the last: FW_CFG_SMBIOS_ENTRIES
def test_committed_fixture_is_reproduced_byte_for_byte(name):
    committed = snapshot.read_capture(os.path.join(FIXTURES, name))
    fresh = qemu.capture(committed.origin["qemu"]["args"])
    # capture-fixtures leaves option ROMs out, keeping their size and hash.
    omitted = {f["name"]: f for f in committed.origin["fixture"]["omitted_files"]}
    assert sorted(fresh.files) == sorted([*committed.files, *omitted])
    for file_name, data in committed.files.items():
        assert fresh.files[file_name] == data, file_name
    for file_name, record in omitted.items():
        assert hashlib.sha256(fresh.files[file_name]).hexdigest() == record["sha256"], file_name
    assert dict(fresh.selectors) == dict(committed.selectors)


@pytest.mark.qemu
@needs_qemu
@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_capture_matches_what_seabios_made_qemu_build(machine):
    # Oracle: let SeaBIOS program the chipset and link the tables, then read fw_cfg. QEMU builds the ACPI data
    # once, on the firmware's first read, so these are the tables SeaBIOS caused; ours must be the same.
    args = ["-M", machine, "-smp", "2,maxcpus=4", "-m", "256M", "-net", "none"]
    ours = qemu.capture(args)
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "qtest.sock")
        argv = qemu.command_line(args, shutil.which("qemu-system-x86_64"), sock)
        argv.remove("-S")
        deadline = time.monotonic() + 60
        with qemu._QtestSession(argv, sock, os.path.join(tmp, "stderr"), deadline, 60) as session:
            # SeaBIOS's RSDP in the F-segment means it has linked the tables; then let it reach the boot menu.
            while b"RSD PTR " not in bytes.fromhex(session.command("read 0xe0000 0x20000")[2:]):
                assert time.monotonic() < deadline, "SeaBIOS never placed an RSDP"
                time.sleep(0.1)
            time.sleep(3)
            reader = qemu._FwCfgReader(session, "auto")
            theirs = {e["name"]: reader.read_item(e["select"], e["size"]) for e in reader.read_directory()}
    assert sorted(theirs) == sorted(ours.files)
    for name, data in ours.files.items():
        assert theirs[name] == data, name


def test_missing_binary_raises_capture_error():
    with pytest.raises(CaptureError, match="not found"):
        qemu.capture(["-M", "q35"], qemu_binary="/nonexistent/qemu-system-x86_64")


@pytest.mark.qemu
@needs_qemu
def test_bad_arguments_raise_capture_error_with_qemu_stderr():
    with pytest.raises(CaptureError, match="exited with status 1.*no-such-device"):
        qemu.capture(["-M", "q35", "-device", "no-such-device"])


def _fake_qemu(tmp_path, body: str) -> str:
    """An executable that answers --version like QEMU 7.2, and otherwise runs `body` (Python)."""
    path = tmp_path / "fake-qemu"
    path.write_text(f"#!{sys.executable}\n" + textwrap.dedent("""\
        import os, socket, sys, time
        if sys.argv[1:] == ["--version"]:
            print("QEMU emulator version 7.2.0")
            sys.exit(0)
        with open(os.path.join(os.path.dirname(sys.argv[0]), "pid"), "w") as f:
            f.write(str(os.getpid()))
        sock_path = sys.argv[sys.argv.index("-qtest") + 1][len("unix:"):]
        """) + textwrap.dedent(body))
    path.chmod(0o755)
    return str(path)


def _assert_reaped(tmp_path):
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_timeout_before_qtest_connects_raises_and_kills(tmp_path):
    binary = _fake_qemu(tmp_path, "time.sleep(60)\n")
    started = time.monotonic()
    with pytest.raises(CaptureError, match="timed out"):
        qemu.capture(["-M", "q35"], qemu_binary=binary, timeout=1.0)
    assert time.monotonic() - started < 10
    _assert_reaped(tmp_path)


def test_timeout_waiting_for_an_answer_raises_and_kills(tmp_path):
    binary = _fake_qemu(tmp_path, """\
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        time.sleep(60)
        """)
    with pytest.raises(CaptureError, match="timed out .*qtest answer"):
        qemu.capture(["-M", "q35"], qemu_binary=binary, timeout=1.5)
    _assert_reaped(tmp_path)


def test_protocol_error_raises(tmp_path):
    binary = _fake_qemu(tmp_path, """\
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        s.recv(100)
        s.sendall(b"IRQ raise 4\\nFAIL Unknown command\\n")
        time.sleep(60)
        """)
    with pytest.raises(CaptureError, match="failed: 'FAIL Unknown command'"):
        qemu.capture(["-M", "q35"], qemu_binary=binary, timeout=10)
    _assert_reaped(tmp_path)


def test_version_tuple():
    assert qemu.version_tuple("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)") == (7, 2, 22)
    assert qemu.version_tuple("something else") == ()


def test_control_options_leave_the_users_choices_alone():
    argv = qemu.command_line(["-M", "q35", "-nographic", "-accel", "kvm"], "qemu", "/tmp/s")
    assert "tcg" not in argv and "-display" not in argv
    argv = qemu.command_line(["-M", "q35"], "qemu", "/tmp/s")
    assert argv[:3] == ["qemu", "-M", "q35"]
    assert argv[argv.index("-accel") + 1] == "tcg" and argv[argv.index("-display") + 1] == "none"
    # Nothing that removes default devices.
    assert not {"-nodefaults", "-serial", "-parallel", "-vga", "-net"} & set(argv)
