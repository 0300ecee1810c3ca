"""e820: the memory map QEMU 7.2 puts in fw_cfg "etc/e820", built from a MachineConfig."""
from __future__ import annotations

from qboot_tables.errors import build
from qboot_tables.generate.machine import AMD_ABOVE_1TB_START, AMD_HT_START, FOUR_GIB, MachineConfig
from qboot_tables.schemas import e820 as E

KVM_IDENTITY_BASE = 0xFEFFC000


def e820_entries(machine: MachineConfig) -> list[dict]:
    """The entries in QEMU's insertion order (hw/i386/pc.c pc_memory_init, microvm.c microvm_memory_init).

    QEMU never sorts the table: the AMD HyperTransport hole is added before the RAM, so it comes first.
    """
    entries = []
    if machine.accel == "kvm":
        # target/i386/kvm/kvm.c kvm_arch_init reserves KVM's EPT identity map and TSS pages when the accelerator
        # starts, before the machine adds its own entries (with KVM_CAP_SET_IDENTITY_MAP_ADDR, which every
        # kernel QEMU 7.2 supports has).
        entries.append({"address": KVM_IDENTITY_BASE, "length": 0x4000, "type": E.E820_RESERVED})
    if machine.amd_ht_hole:
        entries.append({"address": AMD_HT_START, "length": AMD_ABOVE_1TB_START - AMD_HT_START,
                        "type": E.E820_RESERVED})
    entries.append({"address": 0, "length": machine.below_4g_mem, "type": E.E820_RAM})
    if machine.above_4g_mem:
        # microvm always maps RAM above 4G at 4G; pc/q35 move it to 1T when the AMD hole is in the way.
        start = FOUR_GIB if machine.machine == "microvm" else machine.above_4g_mem_start
        entries.append({"address": start, "length": machine.above_4g_mem, "type": E.E820_RAM})
    return entries


def build_e820(machine: MachineConfig) -> bytes:
    """The bytes of "etc/e820": packed 20-byte {u64 address; u64 length; u32 type} entries."""
    return build(E.e820_table, {"entries": e820_entries(machine), "extra": b""}, "etc/e820")


def ram_ranges(machine: MachineConfig) -> list[tuple[int, int]]:
    """(address, length) of every e820 RAM entry, in table order: what SMBIOS type 19 describes."""
    return [(e["address"], e["length"]) for e in e820_entries(machine) if e["type"] == E.E820_RAM]
