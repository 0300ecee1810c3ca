"""Model equals firmware: guest memory after our ROM ran, read over qtest, is byte for byte what the Python loader,
SMBIOS placement and MP-table builder produce at the firmware's own allocation addresses."""
from __future__ import annotations

import uuid

import pytest

from qboot_tables import firmware
from qboot_tables.generate.mptable import parse_mptable
from qboot_tables.loader import SMBIOS_ANCHOR, SMBIOS_TABLES
from qboot_tables.machine import MachineConfig
from qboot_tables.snapshot import FwCfgSnapshot

VMGENID_GUID = "324e6eaf-d1d1-4bf6-bf41-b9bb6c91fb87"
NUMA_2 = ["-object", "memory-backend-ram,id=mem0,size=256M", "-object", "memory-backend-ram,id=mem1,size=256M",
          "-numa", "node,nodeid=0,memdev=mem0,cpus=0-1", "-numa", "node,nodeid=1,memdev=mem1,cpus=2-3",
          "-numa", "dist,src=0,dst=1,val=21"]
SHAPES = {
    "smp1": ["-smp", "1"],
    "smp4": ["-smp", "4"],
    "smp8": ["-smp", "8,sockets=2,cores=2,threads=2"],
    # Three cores take two APIC ID bits, so the IDs are 0-2 and 4-6: qboot's MP table numbers them 0-5.
    "sparse": ["-smp", "6,sockets=2,cores=3"],
    "numa2": ["-smp", "4,sockets=2,cores=2", *NUMA_2],
    # The WRITE_POINTER case: QEMU learns the GUID's address from etc/vmgenid_addr.
    "vmgenid": ["-smp", "4", "-device", f"vmgenid,guid={VMGENID_GUID}"],
    # Possible CPUs beyond the present ones: the MP table lists only those present.
    "hotplug": ["-smp", "2,maxcpus=8"],
}
MACHINES = {f"{chipset}-{shape}": ["-M", chipset, *args] for chipset in ("pc", "q35") for shape, args in SHAPES.items()}
MACHINES["q35-smbios3"] = ["-M", "q35,smbios-entry-point-type=64", "-smp", "4"]
# QEMU's tables bring their own type 0, so the firmware adds none and leaves the room it kept for one zero.
MACHINES["pc-own-type0"] = ["-M", "pc", "-smp", "2", "-smbios", "type=0,vendor=acme"]
FSEG = range(0xE0000, 0x100000)
NO_KERNEL = "linux boot: no kernel in fw_cfg (-kernel)"


@pytest.fixture(scope="module")
def rom() -> str:
    return firmware.build_firmware()


@pytest.fixture(scope="module")
def runs(rom):
    cache = {}

    def run(name: str) -> firmware.FirmwareMemory:
        if name not in cache:
            cache[name] = firmware.run_and_read_memory(MACHINES[name], rom=rom)
        return cache[name]
    return run


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_firmware_memory_equals_the_model(runs, name):
    run = runs(name)
    assert run.log.errors == [NO_KERNEL], run.log.lines
    assert run.log.powered_off
    assert firmware.model_differences(run) == []
    # What a guest scans for, found where the firmware said it put it (ACPI 6.4 §5.2.5.1, SMBIOS 3.6 §5.2,
    # MPS 1.4 §4: 16-byte aligned in the F-segment).
    for name_, signature in (("etc/acpi/rsdp", b"RSD PTR "), (SMBIOS_ANCHOR, b"_SM"), ("mptable", b"_MP_")):
        address = run.log.placement[name_]
        assert address in FSEG and address % 16 == 0, (name_, hex(address))
        assert run.regions[name_].startswith(signature), name_


@pytest.mark.parametrize("name", ["pc-sparse", "q35-sparse", "pc-hotplug"])
def test_mp_table_has_the_real_apic_ids(runs, name):
    run = runs(name)
    table = parse_mptable(run.regions["mptable"], run.log.placement["mptable"])
    assert table.problems == []
    machine = MachineConfig.from_qemu_args(MACHINES[name])
    expected = [cpu.apic_id for cpu in machine.present_cpus]
    assert [p.local_apic_id for p in table.entries(0)] == expected
    if "sparse" in name:
        assert expected == [0, 1, 2, 4, 5, 6]


def test_vmgenid_guid_is_where_qemu_was_told(runs):
    run = runs("q35-vmgenid")
    address = int.from_bytes(run.snapshot.file("etc/vmgenid_addr"), "little")
    guid_address, guid_size = run.log.allocations["etc/vmgenid_guid"]
    assert guid_address <= address < guid_address + guid_size
    # QEMU keeps the GUID little-endian in the first three fields (hw/acpi/vmgenid.c, Microsoft's spec).
    offset = address - guid_address
    assert run.regions["etc/vmgenid_guid"][offset:offset + 16] == uuid.UUID(VMGENID_GUID).bytes_le


def test_model_differences_reports_every_kind_of_mismatch(runs):
    """The comparison can fail: damage a copy of one run in each way and it says what differs."""
    run = runs("pc-vmgenid")

    def damaged(**changes) -> list[str]:
        fields = dict(machine_args=run.machine_args, log=run.log, regions=dict(run.regions), snapshot=run.snapshot)
        fields.update(changes)
        return firmware.model_differences(firmware.FirmwareMemory(**fields))

    def flip(name: str, offset: int = 0) -> dict:
        regions = dict(run.regions)
        data = bytearray(regions[name])
        data[offset] ^= 0x01
        regions[name] = bytes(data)
        return regions

    assert damaged() == []
    assert any(d.startswith("etc/acpi/tables at") for d in damaged(regions=flip("etc/acpi/tables", 40)))
    assert any(d.startswith("etc/acpi/rsdp at") for d in damaged(regions=flip("etc/acpi/rsdp", 8)))
    assert any(d.startswith(f"{SMBIOS_TABLES} at") for d in damaged(regions=flip(SMBIOS_TABLES, 5)))
    assert any(d.startswith(f"{SMBIOS_ANCHOR} at") for d in damaged(regions=flip(SMBIOS_ANCHOR, 5)))
    assert any(d.startswith("mptable at") for d in damaged(regions=flip("mptable", 20)))
    # Past the structures, in the room the firmware kept for a type 0 it did not need to add.
    own = runs("pc-own-type0")
    assert len(own.regions[SMBIOS_TABLES]) > len(own.snapshot.file(SMBIOS_TABLES))
    tail = bytearray(own.regions[SMBIOS_TABLES])
    tail[-1] = 0xFF
    assert firmware.model_differences(firmware.FirmwareMemory(
        own.machine_args, own.log, dict(own.regions, **{SMBIOS_TABLES: bytes(tail)}), own.snapshot)) == [
        f"{SMBIOS_TABLES}: bytes after the model's {len(own.snapshot.file(SMBIOS_TABLES))} are not zero"]
    regions = dict(run.regions)
    del regions["mptable"]
    assert any("allocated no such region" in d for d in damaged(regions=regions))
    regions = dict(run.regions, stray=b"\0")
    assert "stray: allocated by the firmware, unknown to the model" in damaged(regions=regions)
    # QEMU never got the pointer.
    files = dict(run.snapshot.files)
    files["etc/vmgenid_addr"] = bytes(len(files["etc/vmgenid_addr"]))
    lost = FwCfgSnapshot(files=files, selectors=run.snapshot.selectors, directory=run.snapshot.directory)
    assert any(d.startswith("WRITE_POINTER etc/vmgenid_addr") for d in damaged(snapshot=lost))
