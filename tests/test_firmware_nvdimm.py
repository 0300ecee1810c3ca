"""Persistent memory on our firmware: Linux finds QEMU's NFIT in the tables our loader placed, creates /dev/pmem0
on the NVDIMM, and what the guest writes there is what the NVDIMM's backing file holds afterwards."""
from __future__ import annotations

import re
import secrets

import pytest

from harness import firmware, guest

from conftest import assert_linux_sees_the_linked_set, guest_snapshot, report_boot_time

pytestmark = pytest.mark.guest

BOOT_TIMEOUT = 180
NVDIMM_SIZE = 256 << 20
# hw/acpi/nvdimm.c: the NFIT, and the buffer its _DSM methods exchange with QEMU, which the loader allocates.
NVDIMM_DSM_BUFFER = "etc/acpi/nvdimm-mem"
E820_RESERVED = 2
# nfit binds the NFIT's ACPI0012 root device, libnvdimm registers its region, nd_pmem the namespace's block
# device; Debian builds all three as modules (dax, which nd_pmem needs, is built in).
PMEM_MODULES = ("nfit", "nd_pmem")
BLOCK = 4096
PATTERN_REPEAT = BLOCK // 64  # a 64-character token, repeated to one block
# /init writes the pattern to the first and the last block of /dev/pmem0, drops the page cache so that the reads
# come from the device, and reads both back. The namespace's driver binds asynchronously after insmod
# (drivers/nvdimm/bus.c nd_device_register), hence the wait.
PMEM_INIT = r"""
n=0
while [ ! -b /dev/pmem0 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
grep -i 'persistent memory' /proc/iomem > /out/pmem-iomem
if [ -b /dev/pmem0 ]; then
    cat /sys/block/pmem0/size > /out/pmem-sectors
    last=$(( $(cat /sys/block/pmem0/size) / (@BLOCK@ / 512) - 1 ))
    i=0; while [ $i -lt @REPEAT@ ]; do printf '%s' "@TOKEN@"; i=$((i+1)); done > /pattern
    dd if=/pattern of=/dev/pmem0 bs=@BLOCK@ count=1 conv=fsync 2>/dev/null
    dd if=/pattern of=/dev/pmem0 bs=@BLOCK@ seek=$last count=1 conv=fsync 2>/dev/null
    sync; echo 3 > /proc/sys/vm/drop_caches
    dd if=/dev/pmem0 of=/out/pmem-first bs=@BLOCK@ count=1 2>/dev/null
    dd if=/dev/pmem0 of=/out/pmem-last bs=@BLOCK@ skip=$last count=1 2>/dev/null
else
    say "no /dev/pmem0"
fi
"""
# /proc/iomem: "  100000000-10fffffff : Persistent Memory" (kernel/resource.c r_show; the NFIT's SPA range).
_IOMEM_PMEM = re.compile(r"^\s*([0-9a-f]+)-([0-9a-f]+) : Persistent Memory", re.M)
_ACPI_ERROR = re.compile(r"ACPI (BIOS )?(Error|Exception|Warning)")


def machine_args(chipset: str, backing: str) -> list[str]:
    """The README's persistent-memory machine, with the NVDIMM in a shared file the host reads afterwards
    (the backend's kind does not reach the guest's tables: hw/acpi/nvdimm.c reads only the device's address,
    size and slot)."""
    return ["-machine", f"{chipset},nvdimm=on", "-m", "512M,slots=2,maxmem=2G",
            "-object", f"memory-backend-file,id=nv0,size={NVDIMM_SIZE},mem-path={backing},share=on",
            "-device", "nvdimm,memdev=nv0"]


@pytest.fixture(scope="module", params=["q35", "pc"])
def booted(request, rom, guest_assets, tmp_path_factory):
    workdir = tmp_path_factory.mktemp(f"fw-nvdimm-{request.param}")
    backing = workdir / "nvdimm.img"
    token = secrets.token_hex(32)
    init = PMEM_INIT.replace("@TOKEN@", token).replace("@BLOCK@", str(BLOCK))
    init = init.replace("@REPEAT@", str(PATTERN_REPEAT))
    run = firmware.boot(machine_args(request.param, str(backing)), rom=rom, timeout=BOOT_TIMEOUT,
                        assets=guest_assets, workdir=str(workdir), init_extra=init,
                        modules=(*guest.WANTED_MODULES, *PMEM_MODULES))
    report_boot_time(request, f"nvdimm {request.param} on our firmware: {run.report.boot_seconds:.1f} s")
    return run, (token * PATTERN_REPEAT).encode(), backing.read_bytes()


def test_linux_creates_pmem0_and_reads_back_what_it_wrote(booted):
    run, pattern, backing = booted
    report, log = run.report, run.log
    assert log.booted_kernel and log.errors == [], log.lines
    assert {"libnvdimm", *PMEM_MODULES} <= set(report.modules_loaded), report.modules_loaded
    assert [line for line in report.dmesg.splitlines() if _ACPI_ERROR.search(line)] == []
    assert int(report.files["pmem-sectors"]) * 512 == NVDIMM_SIZE
    assert report.files["pmem-first"] == pattern and report.files["pmem-last"] == pattern
    # The writes reached the NVDIMM: its backing file holds them, at the device's first and last block.
    assert len(backing) == NVDIMM_SIZE
    assert backing[:BLOCK] == pattern and backing[-BLOCK:] == pattern
    # Linux took the NVDIMM's range from the NFIT: one 256 MiB persistent memory region, above the RAM.
    [(start, end)] = [(int(a, 16), int(b, 16)) for a, b in _IOMEM_PMEM.findall(report.files["pmem-iomem"].decode())]
    assert end + 1 - start == NVDIMM_SIZE and start >= 1 << 32


def test_nfit_and_its_dsm_buffer_are_where_the_model_links_them(booted, tmp_path):
    run, _pattern, _backing = booted
    report, log = run.report, run.log
    # Linux sees exactly the tables the model links at our addresses, the NFIT among them.
    _ours, linux = assert_linux_sees_the_linked_set(report, guest_snapshot(report, tmp_path / "by_name"),
                                                   log.placement, numa=False)
    assert "NFIT" in {signature for signature, _ in linux.values()}
    # The _DSM buffer is allocated, and the map keeps it from the kernel.
    address, size = log.allocations[NVDIMM_DSM_BUFFER]
    assert [t for a, s, t in log.e820 if a <= address and address + size <= a + s] == [E820_RESERVED]
