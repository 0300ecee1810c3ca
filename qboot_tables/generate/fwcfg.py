"""A machine's whole fw_cfg table set, generated: the same FwCfgSnapshot a capture of that machine gives.

Everything downstream (link, walk, validate, dump, diff, the firmware tests) then treats generated and
captured sets alike, which is what makes `walk(link(generate(m))) == walk(link(capture(m)))` a fair test.
"""
from __future__ import annotations

from qboot_tables import __version__
from qboot_tables.generate.acpi import build_acpi
from qboot_tables.generate.dsdt import build_dsdt
from qboot_tables.generate.e820 import build_e820
from qboot_tables.generate.mptable import build_mptable
from qboot_tables.generate.selectors import build_selectors
from qboot_tables.generate.smbios import build_smbios
from qboot_tables.read.loader import E820_FILE, SMBIOS_ANCHOR, SMBIOS_TABLES, FSEG_RANGES
from qboot_tables.generate.machine import GiB, MachineConfig
from qboot_tables.schemas.loader import ZONE_FSEG
from qboot_tables.read.snapshot import FwCfgSnapshot
from qboot_tables.read.walk import walk_snapshot

RESERVED_MEMORY_END_FILE = "etc/reserved-memory-end"
MPTABLE_ALIGN = 16  # MPS 1.4 §4.1: the floating pointer lies on a 16-byte boundary


def generate(machine: MachineConfig) -> FwCfgSnapshot:
    """The fw_cfg files QEMU 7.2 would give this machine's firmware: ACPI (with our own DSDT), SMBIOS, e820."""
    files = {}
    if machine.acpi:
        files.update(build_acpi(machine, build_dsdt(machine)))
    if machine.has_smbios:
        files[SMBIOS_ANCHOR], files[SMBIOS_TABLES] = build_smbios(machine)
    files[E820_FILE] = build_e820(machine)
    reserved_end = reserved_memory_end(machine)
    if reserved_end is not None:
        files[RESERVED_MEMORY_END_FILE] = reserved_end.to_bytes(8, "little")
    origin = {"generator": {"name": "qboot-tables", "version": __version__, "args": list(machine.args)}}
    return FwCfgSnapshot(files=files, selectors=build_selectors(machine), origin=origin)


def reserved_memory_end(machine: MachineConfig) -> int | None:
    """etc/reserved-memory-end (hw/i386/pc.c pc_memory_init): the end of the memory hotplug region, 1 GiB
    aligned, where SeaBIOS starts the 64-bit PCI window; its base on machine types 2.4 and older
    (broken_reserved_end). None without a region, or on 2.0 and older (has_reserved_memory off)."""
    region = machine.device_memory
    if region is None or machine.machine_class.version < (2, 1):
        return None
    base, size = region
    end = base if machine.machine_class.broken_reserved_end else base + size
    return -(-end // GiB) * GiB


def generate_tables(machine: MachineConfig):
    """(TableSet, MP table bytes, MP table address): the generated set linked by the default allocator, and
    the MP table placed in the F-segment after everything the loader put there.

    microvm gets no MP table (None, None): its two I/O APICs and lack of an IRQ0 override are ACPI-only.
    """
    tableset = walk_snapshot(generate(machine), source=f"generated {' '.join(machine.args)}".strip())
    if machine.machine == "microvm":
        return tableset, None, None
    fseg = [a for a in tableset.image.allocations.values() if a.zone == ZONE_FSEG] if tableset.image else []
    start = max((a.address + a.size for a in fseg), default=FSEG_RANGES[0][0])
    address = -(-start // MPTABLE_ALIGN) * MPTABLE_ALIGN
    return tableset, build_mptable(machine, address), address
