"""The well-known fw_cfg selectors QEMU 7.2 sets for a machine, as `FwCfgSnapshot.selectors` holds them."""
from __future__ import annotations

from qboot_tables.generate.machine import MachineConfig
from qboot_tables.generate.smbios import legacy_smbios_entries

# hw/nvram/fw_cfg.c fw_cfg_init1: FW_CFG_ID bit 0 (traditional port I/O) and bit 1 (DMA, off for machine
# types 2.4 and older: hw/core/machine.c hw_compat_2_4).
FW_CFG_TRADITIONAL, FW_CFG_DMA = 0x1, 0x2
IRQ0_OVERRIDE = 1  # hw/i386/fw_cfg.c and microvm.c: IRQ0 is routed to GSI 2
# hw/timer/hpet.c hpet_realize: capability = vendor 8086h << 16 | legacy replacement capable (bit 15) |
# 64-bit counter (bit 13) | (timers - 1) << 8 with the minimum of 3 timers | revision 1.
HPET_VENDOR, HPET_LEG_RT_CAP, HPET_COUNT_SIZE_CAP, HPET_TIMERS, HPET_REVISION = 0x8086, 1 << 15, 1 << 13, 3, 1
HPET_BLOCK_ID = HPET_VENDOR << 16 | HPET_LEG_RT_CAP | HPET_COUNT_SIZE_CAP | (HPET_TIMERS - 1) << 8 | HPET_REVISION
HPET_BASE = 0xFED0_0000  # include/hw/timer/hpet.h HPET_BASE
HPET_NONE = 0xFF  # hpet.c: hpet_cfg.count starts at UINT8_MAX until an HPET is realized


def build_selectors(machine: MachineConfig) -> dict:
    """The selectors a capture of this machine records (see qboot_tables.tools.qemu for each key's meaning).

    -kernel, -initrd and -append are not modelled, so their sizes are 0, as for a machine without them.
    """
    microvm = machine.machine == "microvm"
    selectors = {
        "signature": "QEMU",
        "features": FW_CFG_TRADITIONAL | (FW_CFG_DMA if machine.machine_class.fw_cfg_dma else 0),
        "uuid": (machine.uuid or bytes(16)).hex(),  # fw_cfg.c: qemu_uuid as stored, RFC 4122 order
        "ram_size": machine.ram_size,
        "nographic": int(machine.nographic),
        "nb_cpus": machine.topology.cpus,
        "boot_menu": int(machine.boot_menu),
        # x86 fw_cfg.c passes the APIC ID limit; microvm.c passes maxcpus itself.
        "max_cpus": machine.topology.maxcpus if microvm else machine.apic_id_limit,
        "kernel_size": 0, "initrd_size": 0, "cmdline_size": 0, "setup_size": 0,
        "numa": _numa(machine),
        "irq0_override": IRQ0_OVERRIDE,
        "hpet": _hpet(machine),
    }
    # hw/i386/fw_cfg.c fw_cfg_build_smbios: FW_CFG_SMBIOS_ENTRIES only when the legacy list holds something.
    entries = legacy_smbios_entries(machine) if machine.machine_class.smbios_legacy_mode else b""
    if entries:
        selectors["smbios_entries"] = entries.hex()
    return selectors


def _numa(machine: MachineConfig) -> dict:
    # hw/i386/fw_cfg.c fw_cfg_arch_create: node count, the node of every APIC ID below the limit (0 for an ID
    # no CPU has), then each node's memory. microvm has no NUMA selector, which reads as zero nodes.
    if machine.machine == "microvm" or not machine.numa_nodes:
        return {"nodes": 0, "apic_node": [], "node_mem": []}
    apic_node = [0] * machine.apic_id_limit
    for cpu in machine.cpus:
        if cpu.node is not None:  # with -numa every CPU has a node
            apic_node[cpu.apic_id] = cpu.node
    return {"nodes": len(machine.numa_nodes), "apic_node": apic_node,
            "node_mem": [node.memory for node in machine.numa_nodes]}


def _hpet(machine: MachineConfig) -> dict:
    if machine.machine == "microvm":
        return {"count": 0, "blocks": []}  # no FW_CFG_HPET item at all: it reads as zeros
    if not machine.hpet:
        return {"count": HPET_NONE, "blocks": []}
    return {"count": 1, "blocks": [{"event_timer_block_id": HPET_BLOCK_ID, "address": HPET_BASE, "min_tick": 0,
                                    "page_prot": 0}]}
