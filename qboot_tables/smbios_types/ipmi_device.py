"""SMBIOS type 38, IPMI Device Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

SSIF = 0x04  # §7.39.1: the SMBus interface, whose base address is an SMBus target address


def base_address(value, context) -> str:
    # §7.39: bit 0 selects I/O over memory space; the modifier's bit 4 is the address's real bit 0 (2.3+).
    if context.interface_type == SSIF:
        return f"0x{(value & 0xFF) >> 1:02X} (SMBus)"
    low_bit = (context.base_address_modifier or 0) >> 4 & 1
    space = "I/O" if value & 1 else "Memory-mapped"
    return f"0x{(value & ~1) | low_bit:016X} ({space})"


def modifier(value, context) -> str:
    # §7.39: bits 7:6 register spacing, bit 3 an interrupt is specified, bit 1 polarity, bit 0 trigger mode;
    # none of it applies to SSIF, which has no registers.
    if context.interface_type == SSIF:
        return ""
    parts = [f"Register Spacing: {X.IPMI_REGISTER_SPACINGS.get(value >> 6, 'out of spec')}"]
    if value & 8:
        parts.append(f"Interrupt Polarity: {'Active High' if value & 2 else 'Active Low'}")
        parts.append(f"Interrupt Trigger Mode: {'Level' if value & 1 else 'Edge'}")
    return "; ".join(parts)


DESCRIPTOR = SmbiosDescriptor(
    type=38, title=S.TYPE_NAMES[38], schema=X.ipmi_device, spec="DSP0134 3.6.0 §7.39", min_length=0x10,
    meanings={
        "ipmi_specification_revision": lambda value, _context: f"{value >> 4}.{value & 0xF}",
        "i2c_target_address": lambda value, _context: f"0x{value >> 1:02x}",
        "nv_storage_device_address": lambda value, _context: "Not Present" if value == 0xFF else str(value),
        "base_address": base_address, "base_address_modifier": modifier,
        "interrupt_number": lambda value, _context: str(value) if value else "none",
    },
    enums={"interface_type": X.IPMI_INTERFACE_TYPES},
)
