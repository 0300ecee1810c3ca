"""MachineConfig: what a QEMU 7.2 x86 command line describes, as the table generators need it.

The package splits by role: `catalogue` (machine types, CPU models, layout constants), `model` (MachineConfig
and what follows from it), `topology` (APIC ID arithmetic), `numbers` (QEMU's readers of command-line text)
and `cmdline` (the parser). The names below are the public ones, importable from here.

`MachineConfig.from_qemu_args([...])` follows QEMU 7.2's rules and defaults and refuses anything else with
a MachineConfigError naming the option. The generators (ACPI, SMBIOS, e820, MP table, fw_cfg) read only
this object, never the command line.

Facts below are from QEMU 7.2's sources (tag v7.2.0): hw/core/machine-smp.c (-smp), hw/core/machine.c and
softmmu/vl.c (-m, -machine), hw/core/numa.c (-numa), hw/i386/x86.c and include/hw/i386/topology.h (APIC IDs),
hw/i386/pc.c, pc_piix.c, pc_q35.c, microvm.c (machine types, memory split), target/i386/cpu.c (CPU models),
util/cutils.c, util/qemu-option.c, util/keyval.c and qapi/*-visitor.c (how each option's numbers are read),
and were checked against Debian's qemu-system-x86 7.2 (tests/test_machine.py).

Numbers are read the way QEMU reads them (ASCII C syntax, counted before they are converted), so a value
QEMU accepts gives QEMU's result and one it refuses gets QEMU's reason. Where QEMU 7.2 only "accepts" by
undefined behaviour (a topology whose 32-bit product wraps, RAM rounded up to 0 bytes) we refuse instead.
Messages repeat at most about 80 characters of any argument (`quote`).

Accelerators: TCG by default; `-accel kvm`, `-enable-kvm` or `-machine accel=kvm` select KVM's rules where QEMU
7.2 has them (kernel-irqchip on, off or split: intremap=auto and the vIOMMU checks of hw/i386/x86-iommu.c and
intel_iommu.c, and x86_cpus_init's x2APIC rule: APIC IDs of 255 and above only with KVM's in-kernel irqchip, as
TCG refuses them). Model choice: with KVM we assume the host has the X2APIC API and SMM, and everything else
follows TCG (the SMM default, the CPU models' CPUID as TCG filters it).

Options that cannot change the tables or the fw_cfg selectors we model are accepted and ignored
(`IGNORED_OPTIONS`, `IGNORED_FLAGS`); anything else is refused.
"""
from qboot_tables.generate.machine.catalogue import (  # noqa: F401 - the public names, re-exported
    AMD_ABOVE_1TB_START, AMD_HT_START, CPU_MODELS, FOUR_GIB, MACHINE_TYPES, PCI_HOLE64_SIZE, CpuModel, GiB, KiB,
    MachineType, MiB)
from qboot_tables.generate.machine.cmdline import (  # noqa: F401
    IGNORED_DEVICES, IGNORED_FLAGS, IGNORED_OPTIONS, MACHINE_PROPERTIES, SMBIOS_KEYS, SMP_KEYS)
from qboot_tables.generate.machine.model import (  # noqa: F401
    Cpu, HmatCache, HmatLocality, Iommu, MachineConfig, MachineConfigError, NumaNode, Nvdimm, OnboardDevice,
    Topology)
from qboot_tables.generate.machine.numbers import (  # noqa: F401
    parse_bool, parse_cpu_list, parse_int, parse_number, parse_opts, parse_release, parse_size, parse_uint,
    parse_uuid)
from qboot_tables.generate.machine.topology import (  # noqa: F401
    apic_id_bit_width, possible_cpus, topology_apic_id, topology_ids)
