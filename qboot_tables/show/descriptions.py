"""Human meanings of field values (flag names, enum names, decoded text), from the schemas' name tables."""
from __future__ import annotations

from enum import IntEnum, IntFlag

from qboot_tables.schemas.acpi import flag_bits
from qboot_tables.schemas.common import GasAccessSize, GasSpace


# ACPI 6.5 §5.2.3.2 Table 5.2: Generic Address Structure address space IDs.
S, A = GasSpace, GasAccessSize
# Keyed by the enums, looked up by the byte a Generic Address Structure holds.
GAS_SPACES: dict[int, str] = {
    S.SYSTEM_MEMORY: "SystemMemory", S.SYSTEM_IO: "SystemIO", S.PCI_CONFIGURATION: "PCI Configuration",
    S.EMBEDDED_CONTROLLER: "EmbeddedController", S.SMBUS: "SMBus", S.SYSTEM_CMOS: "SystemCMOS",
    S.PCI_BAR_TARGET: "PciBarTarget", S.IPMI: "IPMI", S.GPIO: "GPIO", S.GENERIC_SERIAL_BUS: "GenericSerialBus",
    S.PCC: "PCC", S.PRM: "PRM", S.FUNCTIONAL_FIXED_HARDWARE: "Functional Fixed Hardware",
}
GAS_ACCESS_SIZES: dict[int, str] = {A.UNDEFINED: "Undefined (legacy)", A.BYTE: "Byte", A.WORD: "Word",
                                    A.DWORD: "DWord", A.QWORD: "QWord"}
del S, A


def bit_names(table: dict | type[IntFlag]):
    """Names of the set bits: from {bit: name}, from {IntFlag member: display name}, or from an IntFlag's member
    names."""
    if isinstance(table, type) and issubclass(table, IntFlag):
        table = flag_bits(table)
    else:
        table = {key.bit_length() - 1 if isinstance(key, IntFlag) else key: name for key, name in table.items()}

    def describe(value, _context):
        names = [name for bit, name in table.items() if value >> bit & 1]
        unknown = value & ~sum(1 << bit for bit in table)
        if unknown:
            names.append(f"unknown bits {unknown:#x}")
        return ", ".join(names) if names else "none"
    return describe


def enum_name(table: dict | type[IntEnum], unknown: str = "Unknown"):
    """The name of a value: from {value: name}, or from an IntEnum's member names."""
    if isinstance(table, type) and issubclass(table, IntEnum):
        table = {member.value: member.name for member in table}

    def describe(value, _context):
        return table.get(value, f"{unknown} ({value})")
    return describe


def bit_fields(fields: dict):
    """Multi-bit fields: {name: (first bit, bit count, {value: meaning} or None)}."""
    def describe(value, _context):
        parts = []
        for name, (first, count, names) in fields.items():
            part = value >> first & ((1 << count) - 1)
            if names is None:
                if name != "reserved":
                    parts.append(f"{name}={part:#x}")
            else:
                parts.append(f"{name}: {names.get(part, part)}")
        return ", ".join(parts)
    return describe


def gas_meaning(field: str):
    tables = {"space_id": GAS_SPACES, "access_size": GAS_ACCESS_SIZES}
    return lambda value, _context: tables[field].get(value, str(value))


def byte_size(value, _context):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if value and value % (1 << shift) == 0:
            return f"{value >> shift} {unit}"
    return ""


def selector_meaning(name: str, value) -> str:
    """What a well-known fw_cfg selector's decoded value says (QEMU hw/nvram/fw_cfg.c, hw/i386/fw_cfg.c)."""
    if isinstance(value, bool) or not isinstance(value, (int, dict)):
        return ""
    if name == "ram_size":
        return byte_size(value, None) or f"{value} bytes"
    if name == "features":
        return bit_names(FW_CFG_FEATURES)(value, None)
    if name in ("nb_cpus", "max_cpus"):
        return "CPUs present at boot" if name == "nb_cpus" else "the APIC ID limit on x86"
    if name in ("boot_menu", "nographic"):
        return "on" if value else "off"
    if name.endswith("_size"):
        return f"{value} bytes" if value else "none"
    if name == "irq0_override":
        return "IRQ0 routed to GSI 2 by an override" if value else "no IRQ0 override"
    if name == "numa" and isinstance(value, dict):
        return f"{value.get('nodes', 0)} nodes" if value.get("nodes") else "no NUMA"
    if name == "hpet" and isinstance(value, dict):
        return f"HPET blocks: {value.get('count', 0)}"
    return ""


# QEMU docs/specs/fw_cfg.rst: the FW_CFG_ID feature bits.
FW_CFG_FEATURES = {0: "traditional interface", 1: "DMA interface"}


def printable(raw: bytes) -> str | None:
    """`raw` as text when it is printable ASCII (trailing NULs and spaces allowed), else None."""
    text = bytes(raw).rstrip(b"\0")
    if (text or not raw) and all(0x20 <= b < 0x7F for b in text):  # all-NUL bytes are data, not empty text
        return text.decode("ascii")
    return None
