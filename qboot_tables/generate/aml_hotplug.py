"""AML for QEMU's CPU and memory hotplug register blocks: the processor container and the DIMM slots.

The register interfaces are QEMU's (docs/specs/acpi_cpu_hotplug.rst, docs/specs/acpi_mem_hotplug.rst; QEMU 7.2
hw/acpi/cpu.c and hw/acpi/memory_hotplug.c implement them); the methods that drive them are ours. A CPU or DIMM
QEMU plugs sets an insert event on its slot and raises a GPE; the GPE's method walks every slot, notifies the
devices with an event and acknowledges it.
"""
from __future__ import annotations

from qboot_tables.aml import encode as aml

# QEMU 7.2 include/hw/acpi/pc-hotplug.h: where the PIIX4 PM and ICH9 LPC functions decode the CPU hotplug block.
CPU_HOTPLUG_IO_BASE = {"pc": 0xAF00, "q35": 0x0CD8}
CPU_HOTPLUG_IO_LENGTH = 12  # hw/acpi/cpu.c ACPI_CPU_HOTPLUG_REG_LEN
MEMORY_HOTPLUG_IO_BASE, MEMORY_HOTPLUG_IO_LENGTH = 0x0A00, 24  # hw/i386/pc.c, include/hw/acpi/memory_hotplug.h
# docs/specs/acpi_cpu_hotplug.rst and acpi_mem_hotplug.rst: GPE0 bits 2 and 3 signal CPU and memory events.
CPU_GPE_METHOD, MEMORY_GPE_METHOD = "\\_GPE._E02", "\\_GPE._E03"
# The CPU block's command register (acpi_cpu_hotplug.rst): what the data register then reads or takes.
CMD_OST_EVENT, CMD_OST_STATUS = 1, 2

NOTIFY_DEVICE_CHECK, NOTIFY_EJECT_REQUEST = 0x01, 0x03  # ACPI 6.5 §5.6.6
STA_PRESENT, STA_RESOURCE_DEVICE = 0x0F, 0x0B  # ACPI 6.5 §6.3.7: a register block is not shown in a UI

CPU_REGISTERS = "\\_SB.PCI0.PRES"  # QEMU's own path for the block, under the bridge whose I/O window holds it
CPUS = "\\_SB.CPUS"
MEMORY_REGISTERS = "\\_SB.PCI0.MHPD"
DIMMS = "\\_SB.MHPC"


def _reg(name: str) -> str:
    return f"{CPU_REGISTERS}.{name}"


def cpu_hotplug_registers(machine: str) -> bytes:
    """The device that owns the CPU hotplug I/O block, with its fields (acpi_cpu_hotplug.rst).

    At reset QEMU serves the block's legacy layout, a bitmap of present CPUs (hw/acpi/cpu_hotplug.c); writing 0
    to its first dword switches it to the selector interface below (cpu_status_write), which _INI does. Devices
    are initialised in namespace order, so this device must come before the processors whose _STA reads it.
    """
    base = CPU_HOTPLUG_IO_BASE[machine]
    return aml.device(
        CPU_REGISTERS,
        aml.name("_HID", aml.eisa_id("PNP0A06")),  # a generic container for the reserved ports
        aml.name("_UID", "CPU hotplug registers"),
        aml.name("_CRS", aml.resource_template(aml.io(base, base, 1, CPU_HOTPLUG_IO_LENGTH))),
        aml.mutex("CPLK"),
        aml.operation_region("PRST", aml.SYSTEM_IO, base, CPU_HOTPLUG_IO_LENGTH),
        # Byte 4: enabled (read), insert and remove events (read; write 1 to acknowledge), eject (write 1).
        # Byte 5: the command.
        aml.field("PRST", [("", 32), ("CPEN", 1), ("CINS", 1), ("CRMV", 1), ("CEJ0", 1), ("", 4), ("CCMD", 8)],
                  access=aml.BYTE_ACC, update=aml.WRITE_AS_ZEROS),
        # Dword 0: the CPU selector (write); dword 2: the command's data.
        aml.field("PRST", [("CSEL", 32), ("", 32), ("CDAT", 32)], access=aml.DWORD_ACC),
        aml.method("_INI", 0, aml.store(0, aml.name_path("CSEL"))),
    )


def cpu_container_methods(cpu_count: int) -> list[bytes]:
    """The methods of \\_SB.CPUS that the processor objects and the GPE call, for CPU indexes 0..cpu_count-1.

    CSTA(i) is CPU i's _STA, CEJ0(i) its _EJ0, COST(i, event, status) its _OST (without the status buffer),
    CTFY(i, code) notifies it, and CSCN() handles the GPE: every CPU with a pending insert (remove) event gets a
    device check (eject request), and the event is acknowledged.
    """
    lock, selector = _reg("CPLK"), aml.name_path(_reg("CSEL"))
    enabled, inserting, removing = (aml.name_path(_reg(n)) for n in ("CPEN", "CINS", "CRMV"))
    notify = aml.method("CTFY", 2, *(
        aml.if_(aml.lequal(aml.arg(0), i), aml.notify(cpu_path(i), aml.arg(1))) for i in range(cpu_count)))
    status = aml.method(
        "CSTA", 1,
        aml.acquire(lock), aml.store(aml.arg(0), selector),
        aml.store(0, aml.local(0)),
        aml.if_(aml.lequal(enabled, 1), aml.store(STA_PRESENT, aml.local(0))),
        aml.release(lock), aml.return_(aml.local(0)),
        serialized=True)
    eject = aml.method(
        "CEJ0", 1,
        aml.acquire(lock), aml.store(aml.arg(0), selector), aml.store(1, aml.name_path(_reg("CEJ0"))),
        aml.release(lock),
        serialized=True)
    scan = aml.method(
        "CSCN", 0,
        aml.acquire(lock),
        aml.store(0, aml.local(0)),
        aml.while_(aml.lless(aml.local(0), cpu_count),
                   aml.store(aml.local(0), selector),
                   aml.if_(aml.lequal(inserting, 1),
                           aml.call("CTFY", aml.local(0), NOTIFY_DEVICE_CHECK),
                           aml.store(1, inserting)),
                   aml.else_(aml.if_(aml.lequal(removing, 1),
                                     aml.call("CTFY", aml.local(0), NOTIFY_EJECT_REQUEST),
                                     aml.store(1, removing))),
                   aml.increment(aml.local(0))),
        aml.release(lock),
        serialized=True)
    ost = aml.method(
        "COST", 3,
        aml.acquire(lock), aml.store(aml.arg(0), selector),
        aml.store(CMD_OST_EVENT, aml.name_path(_reg("CCMD"))), aml.store(aml.arg(1), aml.name_path(_reg("CDAT"))),
        aml.store(CMD_OST_STATUS, aml.name_path(_reg("CCMD"))), aml.store(aml.arg(2), aml.name_path(_reg("CDAT"))),
        aml.release(lock),
        serialized=True)
    return [notify, status, eject, scan, ost]


def cpu_path(index: int) -> str:
    """The name of CPU `index`'s processor object in \\_SB.CPUS: "C" and three hex digits, as QEMU's."""
    return f"C{index:03X}"


def hotpluggable_cpu_terms(index: int, boot_cpu: bool) -> list[bytes]:
    """_STA, _EJ0 and _OST of a processor object inside \\_SB.CPUS, through the container's methods."""
    terms = [aml.method("_STA", 0, aml.return_(aml.call("CSTA", index)), serialized=True)]
    if not boot_cpu:  # QEMU refuses to unplug the boot CPU
        terms.append(aml.method("_EJ0", 1, aml.call("CEJ0", index)))
    terms.append(aml.method("_OST", 3, aml.call("COST", index, aml.arg(0), aml.arg(1)), serialized=True))
    return terms


def cpu_gpe_method() -> bytes:
    return aml.method(CPU_GPE_METHOD, 0, aml.call(f"{CPUS}.CSCN"))


# --- memory ------------------------------------------------------------------------------------------------

def memory_hotplug(slots: int) -> list[bytes]:
    """The memory hotplug register device, the DIMM slot container with one PNP0C80 device per slot, and the
    GPE method (acpi_mem_hotplug.rst)."""
    registers = aml.device(
        MEMORY_REGISTERS,
        aml.name("_HID", aml.eisa_id("PNP0A06")),
        aml.name("_UID", "Memory hotplug registers"),
        aml.name("_CRS", aml.resource_template(aml.io(MEMORY_HOTPLUG_IO_BASE, MEMORY_HOTPLUG_IO_BASE, 0,
                                                      MEMORY_HOTPLUG_IO_LENGTH))),
        aml.operation_region("HPMR", aml.SYSTEM_IO, MEMORY_HOTPLUG_IO_BASE, MEMORY_HOTPLUG_IO_LENGTH),
    )
    region = f"{MEMORY_REGISTERS}.HPMR"
    lock, selector = "MLCK", aml.name_path("MSEL")

    def select(*terms: bytes) -> list[bytes]:
        # Every per-slot method: take the lock, select the slot named by Arg0, do `terms`, release.
        return [aml.acquire(lock), aml.store(aml.arg(0), selector), *terms, aml.release(lock)]

    # Read: dwords 0-4 base low/high, length low/high, proximity; byte 20 the flags as in the CPU block.
    # Write: dword 0 the slot selector, dwords 1-2 the _OST event and status.
    fields = [
        aml.field(region, [("MRBL", 32), ("MRBH", 32), ("MRLL", 32), ("MRLH", 32), ("MPX", 32)],
                  access=aml.DWORD_ACC),
        aml.field(region, [("", 160), ("MES", 1), ("MINS", 1), ("MRMV", 1), ("MEJ", 1)],
                  access=aml.BYTE_ACC, update=aml.WRITE_AS_ZEROS),
        aml.field(region, [("MSEL", 32), ("MOEV", 32), ("MOSC", 32)], access=aml.DWORD_ACC),
    ]
    resources = aml.resource_template(aml.qword_memory(0, 1, cacheable=True))  # filled in by MCRS
    methods = [
        aml.method("MRST", 1, *select(aml.store(0, aml.local(0)),
                                      aml.if_(aml.lequal(aml.name_path("MES"), 1),
                                              aml.store(STA_PRESENT, aml.local(0)))),
                   aml.return_(aml.local(0))),
        # The slot's range as one QWordMemory: base and length are 64-bit, so the DSDT must be revision 2.
        aml.method("MCRS", 1, aml.store(resources, aml.local(1)),
                   aml.create_qword_field(aml.local(1), QWORD_MIN_OFFSET, "MINA"),
                   aml.create_qword_field(aml.local(1), QWORD_MAX_OFFSET, "MAXA"),
                   aml.create_qword_field(aml.local(1), QWORD_LENGTH_OFFSET, "LENA"),
                   *select(_join64("MRBH", "MRBL", "MINA"), _join64("MRLH", "MRLL", "LENA")),
                   aml.add(aml.name_path("MINA"), aml.name_path("LENA"), aml.local(0)),
                   aml.subtract(aml.local(0), 1, aml.name_path("MAXA")),
                   aml.return_(aml.local(1)),
                   serialized=True),
        aml.method("MPXM", 1, *select(aml.store(aml.name_path("MPX"), aml.local(0))), aml.return_(aml.local(0))),
        aml.method("MOST", 3, *select(aml.store(aml.arg(1), aml.name_path("MOEV")),
                                      aml.store(aml.arg(2), aml.name_path("MOSC")))),
        aml.method("MEJ0", 1, *select(aml.store(1, aml.name_path("MEJ")))),
        aml.method("MTFY", 2, *(aml.if_(aml.lequal(aml.arg(0), i), aml.notify(f"MP{i:02X}", aml.arg(1)))
                                for i in range(slots))),
        aml.method("MSCN", 0,
                   aml.acquire(lock),
                   aml.store(0, aml.local(0)),
                   aml.while_(aml.lless(aml.local(0), slots),
                              aml.store(aml.local(0), selector),
                              aml.if_(aml.lequal(aml.name_path("MINS"), 1),
                                      aml.call("MTFY", aml.local(0), NOTIFY_DEVICE_CHECK),
                                      aml.store(1, aml.name_path("MINS"))),
                              aml.else_(aml.if_(aml.lequal(aml.name_path("MRMV"), 1),
                                                aml.call("MTFY", aml.local(0), NOTIFY_EJECT_REQUEST),
                                                aml.store(1, aml.name_path("MRMV")))),
                              aml.increment(aml.local(0))),
                   aml.release(lock)),
    ]
    dimms = [aml.device(
        f"MP{i:02X}",
        aml.name("_HID", aml.eisa_id("PNP0C80")),  # ACPI 6.5 §9.13: a memory device
        aml.name("_UID", i),
        aml.method("_CRS", 0, aml.return_(aml.call("MCRS", aml.name_path("_UID")))),
        aml.method("_STA", 0, aml.return_(aml.call("MRST", aml.name_path("_UID")))),
        aml.method("_PXM", 0, aml.return_(aml.call("MPXM", aml.name_path("_UID")))),
        aml.method("_OST", 3, aml.call("MOST", aml.name_path("_UID"), aml.arg(0), aml.arg(1))),
        aml.method("_EJ0", 1, aml.call("MEJ0", aml.name_path("_UID"))),
    ) for i in range(slots)]
    container = aml.device(
        DIMMS,
        aml.name("_HID", aml.eisa_id("PNP0A06")),
        aml.name("_UID", "DIMM slots"),
        aml.name("_STA", STA_RESOURCE_DEVICE),
        *fields, aml.mutex(lock), *methods, *dimms,
    )
    gpe = aml.method(MEMORY_GPE_METHOD, 0, aml.call(f"{DIMMS}.MSCN"))
    return [registers, container, gpe]


# ACPI 6.5 §6.4.3.5.1 QWord Address Space Descriptor: minimum at byte 14, maximum at 22, length at 38.
QWORD_MIN_OFFSET, QWORD_MAX_OFFSET, QWORD_LENGTH_OFFSET = 14, 22, 38


def _join64(high: str, low: str, target: str) -> bytes:
    """target = high << 32 | low, for a 64-bit value the registers give as two dwords."""
    return aml.or_(aml.shift_left(aml.name_path(high), 32), aml.name_path(low), aml.name_path(target))
