"""Meaning formats shared by the SMBIOS types: sizes, handles, packed bit fields, in the words dmidecode 3.4 prints."""
from __future__ import annotations

# dmidecode shows a size in the largest 1024-power unit that is not zero, together with the next one down when
# that one is not zero either (then counted in the smaller unit): 1536 KiB is "1536 kB", 2 GiB "2 GB".
_UNITS = ("bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB")


def memory_size(value: int, unit: int = 0) -> str:
    """A size of `value` units of 1024**unit bytes, in dmidecode's notation."""
    parts = [(value >> (10 * i)) & 0x3FF for i in range(7)]
    top = max((i for i, part in enumerate(parts) if part), default=0)
    if top > 0 and parts[top - 1]:
        return f"{parts[top - 1] + (parts[top] << 10)} {_UNITS[top - 1 + unit]}"
    return f"{parts[top]} {_UNITS[top + unit]}"


def size_in(unit: int):
    return lambda value, _context: memory_size(value, unit)


def handle(value, _context) -> str:
    return f"0x{value:04X}"


def optional_handle(value, context) -> str:
    # FFFFh: no structure is referenced.
    return "none" if value == 0xFFFF else handle(value, context)


def hex32(value, _context) -> str:
    return f"0x{value:08X}"


def number_unless(sentinel: int, text: str = "Unknown", unit: str = ""):
    """A number with its unit, or `text` for the value the spec reserves for "unknown"."""
    suffix = f" {unit}" if unit else ""
    return lambda value, _context: text if value == sentinel else f"{value}{suffix}"


def names_of_bits(table: dict, none: str = "None", first: int = 0):
    """The names of the set bits (from bit `first`), one after another; `none` when no named bit is set."""
    def describe(value, _context) -> str:
        names = [name for bit, name in table.items() if bit >= first and value >> bit & 1]
        return ", ".join(names) if names else none
    return describe


def packed(*parts):
    """A field of several bit ranges: parts are (label, first bit, bit count, {value: name} or a function)."""
    def describe(value, context) -> str:
        out = []
        for label, first, count, names in parts:
            part = value >> first & ((1 << count) - 1)
            text = names(part) if callable(names) else names.get(part, f"out of spec ({part})")
            out.append(f"{label}: {text}")
        return "; ".join(out)
    return describe


def bus_address(segment: int, bus: int, device_function: int) -> str:
    """§7.10.8: segment, bus, device in bits 7:3 and function in bits 2:0, as lspci writes them."""
    return f"{segment:04x}:{bus:02x}:{device_function >> 3:02x}.{device_function & 7:x}"
