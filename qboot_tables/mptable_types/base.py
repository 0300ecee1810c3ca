"""The five base entry types of the MP configuration table (MPS 1.4 §4.3), one descriptor each."""
from __future__ import annotations

from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas import mptable as M
from qboot_tables.show.descriptions import bit_fields, bit_names, enum_name
from qboot_tables.mptable_types.descriptor import BUSES, MpDescriptor, bus_name

TABLE = "MPTABLE"  # the name findings carry
LINTIN_PINS = 2  # a local APIC has LINTIN0 and LINTIN1 (§4.3.5)


def cpu_signature(value, _context) -> str:
    # §4.3.1: CPUID(1).EAX's stepping, model and family; all ones for a processor without CPUID.
    return f"family {value >> 8 & 0xF}, model {value >> 4 & 0xF}, stepping {value & 0xF}"


def source_irq(value, context) -> str:
    # §4.3.4 and Appendix D.3: a PCI source IRQ is the device number in bits 2-6 and INTA#-INTD# in bits 0-1.
    kind = (context.get(BUSES) or {}).get(context.source_bus_id)
    if kind == "PCI":
        return f"device {value >> 2 & 0x1F}, INT{'ABCD'[value & 3]}#"
    if kind in ("ISA", "EISA"):
        return f"IRQ {value}"
    return ""


def destination(local: bool):
    def describe(value, _context) -> str:
        if value == M.MP_ALL_APICS:
            return "every local APIC" if local else "every I/O APIC"
        return ""
    return describe


def intin(local: bool):
    return lambda value, _context: f"LINTIN{value}" if local else f"INTIN{value}"


def known_bus(field: str):
    """check: the entry's `field` names a bus some bus entry defines."""
    def check(mptable, name: str, body) -> list[Finding]:
        buses = {b.bus_id for b in mptable.entries(M.MP_BUS)}
        bus = body[field]
        if bus not in buses:
            return [Finding(ERROR, TABLE, f"{name}.{field}", f"bus {bus}, which no bus entry defines")]
        return []
    return check


def _interrupt_flags(mptable, name: str, body) -> list[Finding]:
    out = []
    for part, (first, count, _names) in M.MP_INTI_FLAG_FIELDS.items():
        if body.flags >> first & ((1 << count) - 1) == M.MP_INTI_RESERVED:
            out.append(Finding(ERROR, TABLE, f"{name}.flags", f"{part} {M.MP_INTI_RESERVED} is reserved"))
    return out


def _io_destination(mptable, name: str, body) -> list[Finding]:
    io_apics = {a.io_apic_id for a in mptable.entries(M.MP_IO_APIC)}
    if body.destination_apic_id != M.MP_ALL_APICS and body.destination_apic_id not in io_apics:
        return [Finding(ERROR, TABLE, f"{name}.destination_apic_id",
                        f"I/O APIC {body.destination_apic_id}, which no I/O APIC entry defines")]
    return []


def _local_destination(mptable, name: str, body) -> list[Finding]:
    out = []
    cpus = {p.local_apic_id for p in mptable.entries(M.MP_PROCESSOR)}
    if body.destination_apic_id != M.MP_ALL_APICS and body.destination_apic_id not in cpus:
        out.append(Finding(ERROR, TABLE, f"{name}.destination_apic_id",
                           f"local APIC {body.destination_apic_id}, which no processor entry has"))
    if body.destination_intin >= LINTIN_PINS:
        out.append(Finding(ERROR, TABLE, f"{name}.destination_intin",
                           f"LINTIN{body.destination_intin}: a local APIC has LINTIN0 and LINTIN1"))
    return out


def _bus_type(mptable, name: str, body) -> list[Finding]:
    if bytes(body.bus_type) not in M.MP_BUS_TYPES:
        return [Finding(WARNING, TABLE, f"{name}.bus_type", f"{bytes(body.bus_type)!r} is not a bus type "
                                                             "string MPS 1.4 §4.3.2 lists")]
    return []


_interrupt_meanings = {
    "interrupt_type": enum_name(M.MP_INTERRUPT_TYPES, "reserved"),
    "flags": bit_fields(M.MP_INTI_FLAG_FIELDS),
    "source_bus_id": bus_name,
    "source_bus_irq": source_irq,
}

PROCESSOR = MpDescriptor(
    type=M.MP_PROCESSOR, title=M.MP_ENTRY_TYPES[M.MP_PROCESSOR], schema=M.mp_processor, spec="MPS 1.4 §4.3.1",
    size=M.MP_ENTRY_SIZES[M.MP_PROCESSOR],
    meanings={"cpu_flags": bit_names(M.MP_CPU_FLAGS), "cpu_signature": cpu_signature,
              "feature_flags": bit_names(M.MP_FEATURE_FLAGS)},
)
BUS = MpDescriptor(
    type=M.MP_BUS, title=M.MP_ENTRY_TYPES[M.MP_BUS], schema=M.mp_bus, spec="MPS 1.4 §4.3.2",
    size=M.MP_ENTRY_SIZES[M.MP_BUS],
    meanings={"bus_type": lambda value, _context: M.MP_BUS_TYPES.get(bytes(value), "unknown bus type")},
    checks=(_bus_type,),
)
IO_APIC = MpDescriptor(
    type=M.MP_IO_APIC, title=M.MP_ENTRY_TYPES[M.MP_IO_APIC], schema=M.mp_io_apic, spec="MPS 1.4 §4.3.3",
    size=M.MP_ENTRY_SIZES[M.MP_IO_APIC],
    meanings={"io_apic_flags": bit_names(M.MP_IO_APIC_FLAGS)},
)
IO_INTERRUPT = MpDescriptor(
    type=M.MP_IO_INTERRUPT, title=M.MP_ENTRY_TYPES[M.MP_IO_INTERRUPT], schema=M.mp_interrupt,
    spec="MPS 1.4 §4.3.4", size=M.MP_ENTRY_SIZES[M.MP_IO_INTERRUPT],
    meanings={**_interrupt_meanings, "destination_apic_id": destination(False), "destination_intin": intin(False)},
    checks=(known_bus("source_bus_id"), _interrupt_flags, _io_destination),
)
LOCAL_INTERRUPT = MpDescriptor(
    type=M.MP_LOCAL_INTERRUPT, title=M.MP_ENTRY_TYPES[M.MP_LOCAL_INTERRUPT], schema=M.mp_interrupt,
    spec="MPS 1.4 §4.3.5", size=M.MP_ENTRY_SIZES[M.MP_LOCAL_INTERRUPT],
    meanings={**_interrupt_meanings, "destination_apic_id": destination(True), "destination_intin": intin(True)},
    checks=(known_bus("source_bus_id"), _interrupt_flags, _local_destination),
)
