"""Model equals firmware: guest memory after our ROM ran, read over qtest, is byte for byte what the Python loader,
SMBIOS placement and MP-table builder produce at the firmware's own allocation addresses."""
from __future__ import annotations

import dataclasses
import uuid

import pytest

from harness import firmware, firmware_host
from qboot_tables.errors import LoaderError
from qboot_tables.generate.fwcfg import generate
from qboot_tables.generate.mptable import parse_mptable
from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES, TABLE_LOADER, link
from qboot_tables.schemas.loader import CMD_ADD_POINTER
from qboot_tables.generate.machine import MachineConfig, MachineConfigError
from qboot_tables.read.snapshot import FwCfgSnapshot

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
# Persistent memory (README, "The firmware"): QEMU's NFIT, its DSM buffer etc/acpi/nvdimm-mem, and an NVDIMM in
# the memory-hotplug region above 4 GiB.
NVDIMM = ["-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=nv0,size=256M",
          "-device", "nvdimm,memdev=nv0"]
MACHINES["q35-nvdimm"] = ["-M", "q35,nvdimm=on", *NVDIMM]
MACHINES["pc-nvdimm"] = ["-M", "pc,nvdimm=on", *NVDIMM]
MACHINES["q35-intel-iommu"] = ["-M", "q35,kernel-irqchip=split", "-smp", "4",
                               "-device", "intel-iommu,intremap=on"]
MACHINES["pc-smbios-type11"] = ["-M", "pc", "-smp", "2", "-smbios", "type=11,value=qboot-tables"]
# Old machine types: pc-i440fx-2.1's qemu64 stops at CPUID level 4 and pc-q35-2.4 turns leaf 0Bh off (QEMU's
# compat properties), so the firmware reads the topology from leaves 1 and 4; the generator's IDs and the
# firmware-read model's must both be the firmware's.
MACHINES["pc-i440fx-2.1-sparse"] = ["-M", "pc-i440fx-2.1", "-smp", "6,sockets=2,cores=3"]
MACHINES["pc-q35-2.4"] = ["-M", "pc-q35-2.4", "-smp", "4,cores=2"]
# Machines the generator does not model, whose MP table model is built from what the firmware reads
# (firmware.firmware_mptable_model).
UNMODELLED = {
    "q35-nvdimm-two": ["-M", "q35,nvdimm=on", "-smp", "2", "-m", "512M,slots=4,maxmem=4G",
                       "-object", "memory-backend-ram,id=nv0,size=128M", "-device", "nvdimm,memdev=nv0",
                       "-object", "memory-backend-ram,id=nv1,size=128M", "-device", "nvdimm,memdev=nv1"],
    "q35-cpu-flags": ["-M", "q35", "-smp", "4,threads=2", "-cpu", "qemu64,+ssse3"],
}
MACHINES.update(UNMODELLED)
# Three dies take two APIC ID bits, so the second socket starts at ID 8. qemu64, an AMD model, keeps CPUID level
# 0Dh: leaf 0Bh leaves the dies' bits and fw_cfg MAX_CPUS gives their count. As an Intel model its level is 1Fh,
# whose die level counts them. Only the MP table is checked on these.
DIES3 = ["-M", "q35", "-smp", "12,sockets=2,dies=3,cores=2"]
APIC_ONLY = {"q35-dies3": DIES3, "q35-dies3-intel": [*DIES3, "-cpu", "qemu64,vendor=GenuineIntel"]}
NO_KERNEL = "linux boot: no kernel in fw_cfg (-kernel)"


@pytest.fixture(scope="module")
def runs(rom):
    return firmware.cached_runs({**MACHINES, **APIC_ONLY}.__getitem__, rom)


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_firmware_memory_equals_the_model(runs, name):
    run = runs(name)
    assert run.log.errors == [NO_KERNEL], run.log.lines
    assert run.log.powered_off
    assert firmware.model_differences(run) == []
    # A guest's scan of the F-segment finds each entry point once, where the firmware said it put it.
    smbios_signature = b"_SM3_" if "smbios3" in name else b"_SM_"
    assert run.scan_fseg() == {b"RSD PTR ": [run.log.placement["etc/acpi/rsdp"]],
                               smbios_signature: [run.log.placement[SMBIOS_ANCHOR]],
                               b"_SM3_" if smbios_signature == b"_SM_" else b"_SM_": [],
                               b"_MP_": [run.log.placement["mptable"]]}


@pytest.mark.parametrize("name", sorted(set(MACHINES) - set(UNMODELLED)))
def test_mp_table_from_what_the_firmware_reads_equals_the_generators(runs, name):
    """The firmware-read model (fw_cfg, CPUID and the host bridge) agrees with the generator's wherever both
    build one, so on the machines only it can build it stands for the same model."""
    run = runs(name)
    assert firmware.model_differences(run, mptable_model="generator") == []
    assert firmware.model_differences(run, mptable_model="firmware") == []


@pytest.mark.parametrize("name", sorted(UNMODELLED))
def test_machines_the_generator_does_not_model_are_compared_too(runs, name):
    run = runs(name)
    with pytest.raises(MachineConfigError):
        MachineConfig.from_qemu_args(run.machine_args)
    assert [d for d in firmware.model_differences(run, mptable_model="generator") if "MP table" in d]
    # test_firmware_memory_equals_the_model checks model_differences(run) == [] for these too.
    assert firmware.model_differences(run) == []


def test_firmware_read_model_follows_cpuid(runs):
    """What QEMU says of CPUID decides the model's APIC IDs: pc-i440fx-2.1 has no leaf 0Bh, and leaves 1 and 4
    give three cores a package; were leaf 1 to count one logical CPU (no HTT), the model's IDs would be the
    indexes, and the firmware's table would differ."""
    run = runs("pc-i440fx-2.1-sparse")
    table = parse_mptable(run.regions["mptable"], run.log.placement["mptable"])
    assert [p.local_apic_id for p in table.entries(0)] == [0, 1, 2, 4, 5, 6]
    limit = run.snapshot.selectors["max_cpus"]
    assert firmware.topology_from_cpuid(run.machine_facts.cpuid, limit) == firmware.CpuTopology(1, 1, 3, 1, 0, 2, 2)
    facts = dataclasses.replace(run.machine_facts, cores=1)
    assert [firmware.firmware_apic_id(firmware.topology_from_cpuid(facts.cpuid, limit), i) for i in range(6)] == [
        0, 1, 2, 3, 4, 5]
    # The first byte to differ is the configuration table's checksum (MPS 1.4 §4.2, offset 7 after the pointer).
    assert firmware.model_differences(run, mptable_model="firmware") == []
    assert firmware.model_differences(dataclasses.replace(run, machine_facts=facts), mptable_model="firmware") == [
        f"mptable at {run.log.placement['mptable']:#x}: first difference at byte 0x17"]
    assert firmware.model_differences(dataclasses.replace(run, machine_facts=None), mptable_model="firmware") == [
        "the model cannot build this machine's MP table: no QMP facts of the machine (CPUID, host bridge) to "
        "build it from"]


@pytest.mark.parametrize("name", sorted({*MACHINES, *APIC_ONLY}))
def test_mp_table_apic_ids_are_qemus(runs, name):
    """The MP table lists the present CPUs by the APIC IDs QEMU gave them (X86CPU apic-id over QMP)."""
    run = runs(name)
    table = parse_mptable(run.regions["mptable"], run.log.placement["mptable"])
    assert [p.local_apic_id for p in table.entries(0)] == list(run.machine_facts.apic_ids)


@pytest.mark.parametrize("name", sorted(APIC_ONLY))
def test_dies_firmware_equals_the_models(runs, name):
    """With three dies the firmware-read model mirrors the firmware, and (without -cpu, which the generator does
    not parse) so does the generator's."""
    run = runs(name)
    assert firmware.model_differences(run, mptable_model="firmware") == []
    if "-cpu" not in run.machine_args:
        assert firmware.model_differences(run, mptable_model="generator") == []


@pytest.mark.parametrize("name", ["pc-i440fx-2.1-sparse", "pc-q35-2.4", "q35-sparse", "q35-dies3",
                                  "q35-dies3-intel"])
def test_machine_facts_cpuid_is_what_qemu_answers(runs, name):
    """The model's CPUID (MachineFacts.cpuid, from QMP properties) equals what a ROM measures on the BSP of the same
    machine, in every bit firmware/mptable.c reads of the leaves up to the CPU's level."""
    run = runs(name)
    measured = firmware_host.probe_cpuid(run.machine_args)
    read = {0: (0xFFFFFFFF, 0, 0, 0), 1: (0, 0xFF0000, 0, firmware.CPUID_1_EDX_HTT)}
    compared = 0
    for (leaf, subleaf), regs in measured.items():
        if leaf > run.machine_facts.cpuid_level:
            continue
        mask = read.get(leaf, (0xFFFFFFFF,) * 4)
        assert [r & m for r, m in zip(run.machine_facts.cpuid(leaf, subleaf), mask)] == \
            [r & m for r, m in zip(regs, mask)], (leaf, subleaf)
        compared += 1
    assert compared >= 3
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


# --- a hostile table-loader script, injected with -fw_cfg ----------------------------------------------------

INJECTED_MACHINE = ["-smp", "4,sockets=2,cores=2", "-m", "512M"]
COMMAND_SIZE = 128
ADD_POINTER_OFFSET_FIELD = 4 + 56 + 56  # command, dest_file, src_file (QEMU hw/acpi/bios-linker-loader.c)


def generated_q35():
    return generate(MachineConfig.from_qemu_args(["-M", "q35", *INJECTED_MACHINE]))


def run_with_script(rom, tmp_path, snapshot, script: bytes) -> firmware.FirmwareMemory:
    """`snapshot`'s tables with `script` as etc/table-loader, on a q35 whose own ACPI is off."""
    args = ["-M", "q35,acpi=off", *INJECTED_MACHINE]
    for name in (TABLE_LOADER, "etc/acpi/tables", "etc/acpi/rsdp"):
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(script if name == TABLE_LOADER else snapshot.file(name))
        args += ["-fw_cfg", f"name={name},file={path}"]
    return firmware.run_and_read_memory(args, rom=rom)


def test_out_of_bounds_pointer_is_refused_rolled_back_and_the_boot_goes_on(rom, tmp_path):
    snapshot = generated_q35()
    script = bytearray(snapshot.file(TABLE_LOADER))
    commands = [int.from_bytes(script[at:at + 4], "little") for at in range(0, len(script), COMMAND_SIZE)]
    # The last ADD_POINTER: everything is allocated by then, so the firmware has something to roll back.
    index = max(i for i, command in enumerate(commands) if command == CMD_ADD_POINTER)
    at = index * COMMAND_SIZE + ADD_POINTER_OFFSET_FIELD
    script[at:at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
    run = run_with_script(rom, tmp_path, snapshot, bytes(script))
    # The model refuses the same command for the same field.
    with pytest.raises(LoaderError) as refused:
        link(run.snapshot, strict=True)
    assert (refused.value.index, refused.value.field) == (index, "offset")
    [error, no_kernel] = run.log.errors
    assert error.startswith("loader: ") and error.endswith(
        f" at command {index} field offset; booting without ACPI"), error
    assert no_kernel == NO_KERNEL and "rollback" in run.log.lines
    # Nothing of ACPI is left for a guest to find; SMBIOS and the MP table (its CPUs, with ACPI gone) are.
    assert not [name for name in run.log.placement if name.startswith("etc/acpi/")]
    found = run.scan_fseg()
    assert found[b"RSD PTR "] == [] and found[b"_MP_"] == [run.log.placement["mptable"]]
    assert found[b"_SM_"] == [run.log.placement[SMBIOS_ANCHOR]]
    assert run.log.phase_names()[-2:] == ["mptable", "e820"]


def test_unknown_command_is_skipped_and_the_tables_still_equal_the_model(rom, tmp_path):
    snapshot = generated_q35()
    script = snapshot.file(TABLE_LOADER)
    unknown = (0x80000001).to_bytes(4, "little") + bytes(COMMAND_SIZE - 4)
    script = script[:COMMAND_SIZE * 2] + unknown + script[COMMAND_SIZE * 2:]
    run = run_with_script(rom, tmp_path, snapshot, script)
    assert run.snapshot.file(TABLE_LOADER) == script
    assert run.log.errors == [NO_KERNEL], run.log.lines
    assert any("unknown command 0x80000001" in line for line in run.log.lines), run.log.lines
    assert firmware.model_differences(run) == []


# An old machine type: SMBIOS only as FW_CFG_SMBIOS_ENTRIES, which the firmware builds into a table as SeaBIOS
# does (firmware/smbios.c smbios_legacy_setup); 5 GiB so that memory above 4 GiB gets its own structures.
LEGACY_SMBIOS = ["-M", "pc-i440fx-2.0", "-smp", "3", "-m", "5G", "-uuid", "6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b",
                 "-smbios", "type=0,vendor=Acme BIOS,version=1.2.3,date=06/07/2026,release=3.14",
                 "-smbios", "type=1,manufacturer=Acme Labs,product=Widget 3000,serial=SN-0001,family=Widgets"]


def test_legacy_smbios_equals_the_model(rom):
    from qboot_tables.read.loader import LEGACY_SMBIOS_ANCHOR, LEGACY_SMBIOS_TABLES
    from qboot_tables.smbios import split_structures

    run = firmware.run_and_read_memory(LEGACY_SMBIOS, rom=rom, memory="5G")
    assert run.log.errors == [NO_KERNEL], run.log.lines
    assert run.snapshot.selectors["smbios_entries"] and SMBIOS_ANCHOR not in run.snapshot.files
    assert firmware.model_differences(run) == []
    assert run.scan_fseg()[b"_SM_"] == [run.log.placement[LEGACY_SMBIOS_ANCHOR]]
    # QEMU's fields went in: the type 1 strings, one type 4 per CPU, RAM below and above 4 GiB.
    structures = split_structures(run.regions[LEGACY_SMBIOS_TABLES])
    system = next(s for s in structures if s.type == 1)
    assert system.strings[:2] == [b"Acme Labs", b"Widget 3000"]
    assert [s.type for s in structures].count(4) == 3 and [s.type for s in structures].count(19) == 2


def test_isapc_legacy_smbios_equals_the_model(rom):
    # isapc's F-segment is the ROM itself (memory.c fseg_is_rom), so the table goes where the image has padding.
    # Its default CPU, a 486, has no CMOV, which the firmware's -march=i686 code uses: qemu32 instead.
    from qboot_tables.read.loader import LEGACY_SMBIOS_ANCHOR

    run = firmware.run_and_read_memory(["-M", "isapc", "-cpu", "qemu32", "-smbios", "type=1,manufacturer=Acme"],
                                       rom=rom)
    assert run.log.errors == [NO_KERNEL], run.log.lines
    assert firmware.model_differences(run) == []
    assert run.scan_fseg()[b"_SM_"] == [run.log.placement[LEGACY_SMBIOS_ANCHOR]]
