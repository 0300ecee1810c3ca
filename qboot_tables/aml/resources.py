"""ResourceTemplates (ACPI 6.5 §6.4): which Buffers are templates, their descriptors, and iasl's ASL for them.

A Buffer is a template when iasl's disassembler says so, since an AML decoder must print ResourceTemplate where
iasl does: its bytes walk as a chain of valid descriptors and the first End Tag is the last two bytes. iasl then
prints each descriptor field by field; a field that points past its descriptor (a bad offset or count) is read
from the bytes that follow, as iasl reads them, so hostile templates print as iasl prints them too.
"""
from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from construct import Construct

from qboot_tables.schemas.acpi import resources as rs
from qboot_tables.schemas.acpi.resources import LargeItem, SmallItem

# The acpica-tools release whose disassembler we follow, and the releases that changed what it accepts or
# prints (YYYYMMDD, as `iasl -v` reports them).
IASL_VERSION = 20200925
CSI2_SINCE = 20210331  # Csi2Bus: serial bus type 4
CLOCK_INPUT_SINCE = 20230331  # ClockInput: large item 0x13
BOUNDS_CHECKED_SINCE = 20260408  # a large descriptor needs 6 bytes left, and a short one is reported, not read

# How a descriptor's body length is checked, with the smallest body of its type: exactly that (fixed), at least
# that (variable), or that or one less (the IRQ and Start Dependent Functions descriptors, whose last byte is
# optional). The minimum is the fixed part of the schema, plus the first interrupt of an Extended Interrupt.
_FIXED, _VARIABLE, _OPTIONAL_LAST = range(3)
# Keyed by SmallItem and LargeItem, looked up by the item number a descriptor's tag holds.
_SMALL_RULES: dict[int, tuple[int, int]] = {
    item: (_FIXED, rs.SMALL_DESCRIPTORS[item].sizeof() - rs.SMALL_HEADER_SIZE) for item in SmallItem}
_SMALL_RULES[SmallItem.IRQ] = (_OPTIONAL_LAST, 3)
_SMALL_RULES[SmallItem.START_DEPENDENT] = (_OPTIONAL_LAST, 1)
_SMALL_RULES[SmallItem.VENDOR] = (_VARIABLE, 0)
_LARGE_FIXED = {LargeItem.MEMORY24, LargeItem.GENERIC_REGISTER, LargeItem.MEMORY32, LargeItem.FIXED_MEMORY32,
                LargeItem.EXTENDED_ADDRESS}
_LARGE_RULES: dict[int, tuple[int, int]] = {
    item: (_FIXED if item in _LARGE_FIXED else _VARIABLE, schema.sizeof() - rs.LARGE_HEADER_SIZE)
    for item, schema in rs.LARGE_DESCRIPTORS.items()}
_LARGE_RULES[LargeItem.EXTENDED_IRQ] = (_VARIABLE, rs.extended_irq.sizeof() - rs.LARGE_HEADER_SIZE + 4)
_SERIAL_BUS_TYPE_OFFSET = 5
_LARGE_HEADROOM = _SERIAL_BUS_TYPE_OFFSET + 1  # iasl 20260408 wants a serial bus type to be there to read
_INVALID_TYPE, _BAD_LENGTH = "AE_AML_INVALID_RESOURCE_TYPE", "AE_AML_BAD_RESOURCE_LENGTH"


class Resource(NamedTuple):  # a NamedTuple: cheaper than a dataclass to create at start-up
    """One descriptor of a template: where it is, iasl's ASL macro for it, and its fields.

    `fields` are the macro's arguments in ASL order, named as ACPI 6.5 §19.6 names them (snake_case), without
    the DescriptorName, which is not in the bytes. Flag values are IntEnum members named by their ASL keyword,
    or plain ints where the value has no keyword; lists are interrupt, channel or pin numbers; `data` and
    `vendor_data` are bytes; resource source names and labels are str (latin-1), None when absent.
    """

    offset: int  # from the start of the template
    length: int  # the whole descriptor, header included
    macro: str  # "IO", "DWordMemory", "I2cSerialBusV2", ...
    fields: dict


# --- which Buffers are templates -------------------------------------------------------------------------------

def _check(buf: bytes, pos: int, version: int) -> tuple[str | None, int, bool, int]:
    """(status, item, large, descriptor length) of the descriptor at `pos`, as iasl validates it; status is None
    when valid, else the ACPICA exception iasl names. A large header cut off by the end reads as zeros."""
    tag = buf[pos]
    if tag & rs.LARGE_FLAG:
        item = tag & 0x7F
        body = int.from_bytes(buf[pos + 1:pos + 3], "little")
        rule = _LARGE_RULES.get(item)
        if rule is None and item in rs.SOC_ITEMS:
            rule = _soc().LARGE_RULES[item]
        if item == LargeItem.CLOCK_INPUT and version < CLOCK_INPUT_SINCE:
            rule = None
        large, length = True, rs.LARGE_HEADER_SIZE + body
    else:
        item = (tag >> 3) & 0x0F
        body = tag & 0x07
        rule = _SMALL_RULES.get(item)
        large, length = False, rs.SMALL_HEADER_SIZE + body
    if rule is None:
        return _INVALID_TYPE, item, large, length
    kind, minimum = rule
    if (kind == _FIXED and body != minimum) or (kind == _VARIABLE and body < minimum) or \
            (kind == _OPTIONAL_LAST and body not in (minimum - 1, minimum)):
        return _BAD_LENGTH, item, large, length
    if large and item == LargeItem.SERIAL_BUS \
            and not _soc().known_serial_bus(_byte(buf, pos + _SERIAL_BUS_TYPE_OFFSET), version):
        return _INVALID_TYPE, item, large, length
    return None, item, large, length


def _end_tag_at(data: bytes, version: int) -> int | None:
    """Where the walk of iasl's AcpiUtWalkAmlResources stops at an End Tag, or None when it fails first: a
    descriptor iasl rejects, one running past the end, or no End Tag at all."""
    pos, size = 0, len(data)
    while pos < size:
        if version >= BOUNDS_CHECKED_SINCE and data[pos] & rs.LARGE_FLAG and size - pos < _LARGE_HEADROOM:
            return None
        status, item, large, length = _check(data, pos, version)
        if status is not None or pos + length > size:
            return None
        if not large and item == SmallItem.END_TAG:
            return pos  # the checksum byte is not checked: 0 and a real checksum both occur
        pos += length
    return None


def is_template(data: bytes, *, iasl_version: int = IASL_VERSION) -> bool:
    """Whether iasl disassembles a Buffer of these bytes as a ResourceTemplate.

    The caller checks the rest of iasl's rule, which is about the Buffer rather than its bytes: the declared
    size must equal the length of the byte list (a Buffer padded with zeros stays a Buffer).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return False
    data = bytes(data)
    # Two bytes could be a lone End Tag, but iasl prints a template that small as a Buffer.
    return len(data) > 2 and _end_tag_at(data, iasl_version) == len(data) - 2


def early_end_tag(data: bytes, *, iasl_version: int = IASL_VERSION) -> bool:
    """Whether iasl marks this Buffer "Is ResourceTemplate, but EndTag not at buffer end": every descriptor is
    valid up to an End Tag that has bytes after it."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return False
    data = bytes(data)
    if len(data) <= 2:
        return False
    end = _end_tag_at(data, iasl_version)
    return end is not None and end != len(data) - 2


def decode_template(data: bytes, *, after: bytes = b"", iasl_version: int = IASL_VERSION) -> list[Resource] | None:
    """The descriptors of a ResourceTemplate, End Tag left out, or None when iasl would not call these bytes a
    template (see is_template). `after` is the AML that follows the Buffer (see descriptor_asl). Never raises."""
    if not is_template(data, iasl_version=iasl_version):
        return None
    data = bytes(data)
    buf = _with_after(data, after)
    resources, pos, end = [], 0, len(data) - 2
    while pos < end:
        _, item, large, length = _check(data, pos, iasl_version)
        macro, fields = _decode(buf, pos, item, large, length)
        resources.append(Resource(pos, length, macro, fields))
        pos += length
    return resources


# --- reading fields as iasl reads them ---------------------------------------------------------------------------

# The farthest past a descriptor's start that iasl reads: a 16-bit offset, then a 16-bit length of vendor data or
# a string of up to 65535 characters.
_REACH = 0x20000


def _with_after(data: bytes, after) -> bytes:
    """The template and as much of the AML after it as a field can reach."""
    return data + bytes(after[:_REACH]) if after else data


def _window(buf: bytes, start: int, size: int) -> bytes:
    """`size` bytes from `start`; zeros where they run past what we have."""
    chunk = buf[start:start + size]
    return chunk + bytes(size - len(chunk)) if len(chunk) < size else chunk


def _string(buf: bytes, start: int) -> str:
    """A NUL-terminated string, as latin-1 so every byte survives; iasl stops after 65535 characters."""
    end = buf.find(b"\0", start, start + 0xFFFF)
    return buf[start:end if end >= 0 else start + 0xFFFF].decode("latin-1")


def _byte(buf: bytes, at: int) -> int:
    return buf[at] if at < len(buf) else 0


def _bit_list(mask: int) -> list[int]:
    return [bit for bit in range(16) if mask >> bit & 1]


def _enum(values: type[IntEnum] | None, value: int):
    return values._value2member_map_.get(value, value) if values else value


def _split(value: int, bits) -> dict:
    """The named fields of a flags byte or word (schemas.acpi.resources.Bits)."""
    return {b.name: _enum(b.values, value >> b.shift & ((1 << b.width) - 1)) for b in bits}


# Compiling a descriptor's schema costs about 10 ms and saves about 50 us a parse: worth it for the hundreds of
# descriptors of a big DSDT, not for the handful of a small one. So a schema is compiled on its COMPILE_AFTER-th use.
COMPILE_AFTER = 128
_parsers: dict = {}  # schema -> [parser, size, uses]


def _parse(schema, buf: bytes, pos: int):
    known = _parsers.get(schema)
    if known is None:
        known = _parsers[schema] = [schema, schema.sizeof(), 0]
    known[2] += 1
    if known[2] == COMPILE_AFTER:
        known[0] = schema.compile()
    return known[0].parse(_window(buf, pos, known[1]))


def _soc():
    """The decoders and printers of the SoC descriptors (rs.SOC_ITEMS), imported when a template first holds one:
    with their schemas and twenty IntEnums they would cost every dump of a PC's tables 2 ms of its start-up."""
    from qboot_tables.aml import resources_soc

    return resources_soc


# Keyed by LargeItem, looked up by a descriptor's item number.
_ADDRESS_PREFIX: dict[int, str] = {LargeItem.WORD_ADDRESS: "Word", LargeItem.DWORD_ADDRESS: "DWord",
                                   LargeItem.QWORD_ADDRESS: "QWord", LargeItem.EXTENDED_ADDRESS: "Extended"}
_ADDRESS_SCHEMA: dict[int, Construct] = {LargeItem.WORD_ADDRESS: rs.word_address,
                                         LargeItem.DWORD_ADDRESS: rs.dword_address,
                                         LargeItem.QWORD_ADDRESS: rs.qword_address,
                                         LargeItem.EXTENDED_ADDRESS: rs.extended_address}
_ADDRESS_FIXED_SIZE: dict[int, int] = {item: schema.sizeof() for item, schema in _ADDRESS_SCHEMA.items()}
_EXTENDED_IRQ_SIZE = rs.extended_irq.sizeof()
_ADDRESS_KIND = {rs.AddressResourceType.MEMORY: "Memory", rs.AddressResourceType.IO: "IO",
                 rs.AddressResourceType.BUS_NUMBER: "BusNumber"}
_ADDRESS_NUMBERS = ("address_granularity", "address_minimum", "address_maximum", "address_translation",
                    "range_length")


def _resource_source(buf: bytes, pos: int, length: int, minimum: int | None) -> dict:
    """The optional resource source index and name after the first `minimum` bytes of a descriptor (ACPI 6.5
    §6.4.3.5.1): none, the index alone (some compilers write it without a name), or both."""
    if minimum is None or length <= minimum:
        return {"resource_source_index": None, "resource_source": None}
    return {"resource_source_index": _byte(buf, pos + minimum),
            "resource_source": _string(buf, pos + minimum + 1) if length > minimum + 1 else None}


def _decode_address(buf: bytes, pos: int, item: int, length: int) -> tuple[str, dict]:
    c = _parse(_ADDRESS_SCHEMA[item], buf, pos)
    kind = c.resource_type
    general = _split(c.general_flags, rs.ADDRESS_GENERAL_FLAGS)
    usage, decode = general["resource_usage"], general["decode"]
    fixed = {"is_min_fixed": general["is_min_fixed"], "is_max_fixed": general["is_max_fixed"]}
    if kind == rs.AddressResourceType.MEMORY:
        specific = _split(c.type_specific_flags, rs.MEMORY_TYPE_FLAGS)
        fields = {"resource_usage": usage, "decode": decode, **fixed, "cacheable": specific["cacheable"],
                  "read_and_write": specific["read_and_write"]}
        after = {"memory_range_type": specific["memory_range_type"],
                 "translation_type": specific["translation_type"]}
    elif kind in (rs.AddressResourceType.IO, rs.AddressResourceType.BUS_NUMBER):
        fields = {"resource_usage": usage, **fixed, "decode": decode}
        after = {}
        if kind == rs.AddressResourceType.IO:
            specific = _split(c.type_specific_flags, rs.IO_TYPE_FLAGS)
            fields["isa_ranges"] = specific["isa_ranges"]
            after = {"translation_type": specific["translation_type"],
                     "translation_density": specific["translation_density"]}
    else:  # vendor defined (*Space), or reserved, which iasl prints as invalid
        fields = {"resource_type": kind, "resource_usage": usage, "decode": decode, **fixed,
                  "type_specific_flags": c.type_specific_flags}
        after = {}
    fields.update((name, c[name]) for name in _ADDRESS_NUMBERS)
    if item == LargeItem.EXTENDED_ADDRESS:
        fields["type_specific_attributes"] = c.type_specific_attributes
    else:
        fields.update(_resource_source(buf, pos, length, _ADDRESS_FIXED_SIZE[item]))
    fields.update(after)
    return _ADDRESS_PREFIX[item] + _ADDRESS_KIND.get(kind, "Space"), fields


def _decode_extended_irq(buf: bytes, pos: int, length: int) -> tuple[str, dict]:
    c = _parse(rs.extended_irq, buf, pos)
    count = c.interrupt_count
    start = pos + _EXTENDED_IRQ_SIZE
    raw = _window(buf, start, 4 * count)
    interrupts = [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]
    fields = _split(c.flags, rs.EXTENDED_IRQ_FLAGS)
    # With no interrupts iasl computes where the resource source starts as a huge number: there is none.
    fields.update(_resource_source(buf, pos, length, _EXTENDED_IRQ_SIZE + 4 * count if count else None))
    fields["interrupts"] = interrupts
    return "Interrupt", fields


def _decode_small(buf: bytes, pos: int, item: int, length: int) -> tuple[str, dict]:
    body = length - rs.SMALL_HEADER_SIZE
    if item == SmallItem.IRQ:
        if body == 2:
            return "IRQNoFlags", {"interrupts": _bit_list(_parse(rs.irq_no_flags, buf, pos).irq_mask)}
        c = _parse(rs.irq, buf, pos)
        return "IRQ", {**_split(c.information, rs.IRQ_FLAGS), "interrupts": _bit_list(c.irq_mask)}
    if item == SmallItem.DMA:
        c = _parse(rs.dma, buf, pos)
        return "DMA", {**_split(c.flags, rs.DMA_FLAGS), "channels": _bit_list(c.channel_mask)}
    if item == SmallItem.START_DEPENDENT:
        if body == 0:
            return "StartDependentFnNoPri", {}
        return "StartDependentFn", _split(_parse(rs.start_dependent, buf, pos).priority, rs.START_DEPENDENT_FLAGS)
    if item == SmallItem.END_DEPENDENT:
        return "EndDependentFn", {}
    if item == SmallItem.IO:
        c = _parse(rs.io, buf, pos)
        return "IO", {"decode": _enum(rs.IoDecode, c.information & 1), "address_min": c.address_min,
                      "address_max": c.address_max, "address_alignment": c.address_alignment,
                      "range_length": c.range_length}
    if item == SmallItem.FIXED_IO:
        c = _parse(rs.fixed_io, buf, pos)
        return "FixedIO", {"address_base": c.address_base, "range_length": c.range_length}
    if item == SmallItem.FIXED_DMA:
        c = _parse(rs.fixed_dma, buf, pos)
        return "FixedDMA", {"dma_request_line": c.dma_request_line, "channel": c.channel,
                            "dma_transfer_width": _enum(rs.DmaTransferWidth, c.dma_transfer_width)}
    if item == SmallItem.VENDOR:
        return "VendorShort", {"data": _window(buf, pos + rs.SMALL_HEADER_SIZE, body)}
    return "EndTag", {"checksum": _byte(buf, pos + 1)}


def _decode_large(buf: bytes, pos: int, item: int, length: int) -> tuple[str, dict]:
    if item in _ADDRESS_SCHEMA:
        return _decode_address(buf, pos, item, length)
    if item in (LargeItem.MEMORY24, LargeItem.MEMORY32):
        c = _parse(rs.memory24 if item == LargeItem.MEMORY24 else rs.memory32, buf, pos)
        return ("Memory24" if item == LargeItem.MEMORY24 else "Memory32"), {
            "read_and_write": _enum(rs.ReadWrite, c.information & 1), "address_minimum": c.address_minimum,
            "address_maximum": c.address_maximum, "address_alignment": c.address_alignment,
            "range_length": c.range_length}
    if item == LargeItem.FIXED_MEMORY32:
        c = _parse(rs.fixed_memory32, buf, pos)
        return "Memory32Fixed", {"read_and_write": _enum(rs.ReadWrite, c.information & 1),
                                 "address_base": c.address_base, "range_length": c.range_length}
    if item == LargeItem.VENDOR:
        return "VendorLong", {"data": _window(buf, pos + rs.LARGE_HEADER_SIZE, length - rs.LARGE_HEADER_SIZE)}
    if item == LargeItem.GENERIC_REGISTER:
        c = _parse(rs.generic_register, buf, pos)
        return "Register", {"address_space": _enum(rs.RegisterSpace, c.address_space_id),
                            "register_bit_width": c.register_bit_width,
                            "register_bit_offset": c.register_bit_offset,
                            "register_address": c.register_address, "access_size": c.access_size}
    if item == LargeItem.EXTENDED_IRQ:
        return _decode_extended_irq(buf, pos, length)
    return _soc().decode_large(buf, pos, item, length)  # the rest are SOC_ITEMS, as _check has made sure


def _decode(buf: bytes, pos: int, item: int, large: bool, length: int) -> tuple[str, dict]:
    # Every read is of a zero-padded window, so no descriptor, however hostile, makes construct fail.
    return (_decode_large if large else _decode_small)(buf, pos, item, length)


# --- JSON --------------------------------------------------------------------------------------------------------

def resource_json(resource: Resource) -> dict:
    """{"descriptor": macro, field: value, ...}: flag values as their ASL keywords, bytes as lists of ints."""
    out = {"descriptor": resource.macro}
    for name, value in resource.fields.items():
        if isinstance(value, IntEnum):
            value = value.name
        elif isinstance(value, (bytes, list)):
            value = list(value)
        out[name] = value
    return out


# --- ASL, laid out as iasl -d lays it out -------------------------------------------------------------------------

class _Printer:
    """Text built the way iasl prints it, piece by piece; levels count four spaces from `indent`."""

    def __init__(self, indent: str):
        self.base_indent = indent
        self.base_level = len(indent) // 4
        self.parts: list[str] = []

    def write(self, *texts: str):
        self.parts.extend(texts)

    def indent(self, level: int):
        if level >= 0:
            self.parts.append(self.base_indent + "    " * level)
        else:
            # An EndDependentFn with no StartDependentFn takes iasl's unsigned level below zero, where its
            # "%*.s" reads the width as negative and pads to the magnitude anyway.
            self.parts.append("    " * abs(self.base_level + level))

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return text.split("\n")[:-1] if text else []


def _kw(value, unknown: str) -> str:
    """A flag value's ASL keyword, or what iasl prints for a value that has none."""
    return value.name if isinstance(value, IntEnum) else unknown


_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v",
            0x27: "\\'", 0x22: '\\"', 0x5C: "\\\\"}


def _quote(text: str) -> str:
    """A string literal as iasl writes one. It passes each byte as a signed char, so 0x80-0xFF come out as
    \\xFFFFFF80-\\xFFFFFFFF (which iasl's own compiler refuses)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{code | 0xFFFFFF00 if code >= 0x80 else code:02X}")
    out.append('"')
    return "".join(out)


def _commented(value: int, digits: int, name: str) -> str:
    # The comment column is fixed: 20 characters after the indentation, whatever the width of the number.
    return f"{f'0x{value:0{digits}X},':<20}// {name}\n"


def _byte_list(out: _Printer, level: int, data: bytes):
    """Vendor bytes: eight a line, an offset comment when there is more than one line, ASCII in a comment."""
    for start in range(0, len(data), 8):
        out.indent(level)
        if len(data) > 8:
            out.write(f"/* {start:04X} */ ")
        for index in range(start, start + 8):
            if index >= len(data):
                out.write(" " * 6)
            else:
                out.write(f" 0x{data[index]:02X}", "," if index < len(data) - 1 else " ")
        chunk = data[start:start + 8]
        out.write("  // ", "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk), "\n")


def _bits_text(numbers: list[int]) -> str:
    return "{" + ",".join(str(n) for n in numbers) + "}\n"


def _source_text(fields: dict) -> str:
    """The optional ResourceSourceIndex and ResourceSource arguments of the address and interrupt macros: iasl
    keeps an index written without a name, so the template compiles back to the same length."""
    index, name = fields["resource_source_index"], fields["resource_source"]
    if index is None:
        return ",, "
    return f"0x{index:02X}," + (f" {_quote(name)}" if name is not None else "") + ", "


def _asl_irq(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"{r.macro} (")
    if r.macro == "IRQ":
        out.write(f"{f['edge_level'].name}, {f['active_level'].name}, {f['shared'].name}, ")
    out.write(")\n")
    out.indent(level + 1)
    out.write(_bits_text(f["interrupts"]))


def _asl_dma(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"DMA ({f['dma_type'].name}, {f['is_bus_master'].name}, "
              f"{_kw(f['dma_transfer_size'], 'InvalidSize')}, )\n")
    out.indent(level + 1)
    out.write(_bits_text(f["channels"]))


def _asl_fixed_dma(out, r, level):
    f = r.fields
    width = f["dma_transfer_width"]
    out.indent(level)
    out.write(f"FixedDMA (0x{f['dma_request_line']:04X}, 0x{f['channel']:04X}, "
              f"{_kw(width, f'{int(width):X} /* INVALID DMA WIDTH */')}, )\n")


def _asl_io(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"IO ({f['decode'].name},\n")
    for key, digits, name in (("address_min", 4, "Range Minimum"), ("address_max", 4, "Range Maximum"),
                              ("address_alignment", 2, "Alignment"), ("range_length", 2, "Length")):
        out.indent(level + 1)
        out.write(_commented(f[key], digits, name))
    out.indent(level + 1)
    out.write(")\n")


def _asl_fixed_io(out, r, level):
    f = r.fields
    out.indent(level)
    out.write("FixedIO (\n")
    out.indent(level + 1)
    out.write(_commented(f["address_base"], 4, "Address"))
    out.indent(level + 1)
    out.write(_commented(f["range_length"], 2, "Length"))
    out.indent(level + 1)
    out.write(")\n")


def _asl_start_dependent(out, r, level):
    f = r.fields
    out.indent(level)
    if r.macro == "StartDependentFn":
        out.write(f"StartDependentFn (0x{f['compatibility_priority']:02X}, 0x{f['performance_priority']:02X})\n")
    else:
        out.write("StartDependentFnNoPri ()\n")
    out.indent(level)
    out.write("{\n")


def _asl_end_dependent(out, r, level):
    out.indent(level)
    out.write("}\n")
    out.indent(level)
    out.write("EndDependentFn ()\n")


def _asl_vendor(out, r, level):
    data = r.fields["data"]
    out.indent(level)
    out.write(f"{'VendorShort' if r.macro == 'VendorShort' else 'VendorLong '} ()      // Length = 0x{len(data):02X}\n")
    out.indent(level)
    out.write("{\n")
    _byte_list(out, level + 1, data)
    out.indent(level)
    out.write("}\n")


def _asl_memory(out, r, level):
    f = r.fields
    digits = 4 if r.macro == "Memory24" else 8
    out.indent(level)
    out.write(f"{r.macro} ({f['read_and_write'].name},\n")
    for key, name in (("address_minimum", "Range Minimum"), ("address_maximum", "Range Maximum"),
                      ("address_alignment", "Alignment"), ("range_length", "Length")):
        out.indent(level + 1)
        out.write(_commented(f[key], digits, name))
    out.indent(level + 1)
    out.write(")\n")


def _asl_memory32_fixed(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"Memory32Fixed ({f['read_and_write'].name},\n")
    out.indent(level + 1)
    out.write(_commented(f["address_base"], 8, "Address Base"))
    out.indent(level + 1)
    out.write(_commented(f["range_length"], 8, "Address Length"))
    out.indent(level + 1)
    out.write(")\n")


def _asl_register(out, r, level):
    f = r.fields
    space = f["address_space"]
    out.indent(level)
    out.write(f"Register ({_kw(space, f'0x{int(space):02X}')}, \n")
    for key, digits, name in (("register_bit_width", 2, "Bit Width"), ("register_bit_offset", 2, "Bit Offset"),
                              ("register_address", 16, "Address")):
        out.indent(level + 1)
        out.write(_commented(f[key], digits, name))
    out.indent(level + 1)
    if f["access_size"]:
        out.write(_commented(f["access_size"], 2, "Access Size"))
        out.indent(level + 1)
    else:
        out.write(",")  # an access size of 0 (ACPI 2.0) is written as an omitted argument
    out.write(")\n")


_ADDRESS_DIGITS = {"Word": 4, "DWord": 8, "QWord": 16, "Extended": 16}
_ADDRESS_NAMES = ("Granularity", "Range Minimum", "Range Maximum", "Translation Offset", "Length")


def _asl_address(out, r, level):
    f = r.fields
    prefix = next(p for p in ("Extended", "QWord", "DWord", "Word") if r.macro.startswith(p))
    kind = r.macro[len(prefix):]
    out.indent(level)
    if kind == "Space" and f["resource_type"] not in rs.VENDOR_RESOURCE_TYPES:
        out.write(f"/**** Invalid Resource Type: 0x{f['resource_type']:X} ****/")
    elif kind == "Space":
        out.write(f"{prefix}Space (0x{f['resource_type']:02X}, {f['resource_usage'].name}, {f['decode'].name}, "
                  f"{f['is_min_fixed'].name}, {f['is_max_fixed'].name}, 0x{f['type_specific_flags']:02X},")
    elif kind == "Memory":
        out.write(f"{r.macro} ({f['resource_usage'].name}, {f['decode'].name}, {f['is_min_fixed'].name}, "
                  f"{f['is_max_fixed'].name}, {f['cacheable'].name}, {f['read_and_write'].name},")
    else:
        out.write(f"{r.macro} ({f['resource_usage'].name}, {f['is_min_fixed'].name}, {f['is_max_fixed'].name}, "
                  f"{f['decode'].name},")
        if kind == "IO":
            out.write(f" {_kw(f['isa_ranges'], 'InvalidRanges')},")
    out.write("\n")
    for key, name in zip(_ADDRESS_NUMBERS, _ADDRESS_NAMES):
        out.indent(level + 1)
        out.write(_commented(f[key], _ADDRESS_DIGITS[prefix], name))
    out.indent(level + 1)
    if prefix == "Extended":
        out.write(_commented(f["type_specific_attributes"], 16, "Type-Specific Attributes"))
        out.indent(level + 1)
    else:
        out.write(_source_text(f))
    if kind == "Memory":
        out.write(f", {f['memory_range_type'].name}, {f['translation_type'].name}")
    elif kind == "IO":
        out.write(f", {f['translation_type'].name}, {f['translation_density'].name}")
    out.write(")\n")


def _asl_interrupt(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"Interrupt ({f['resource_usage'].name}, {f['edge_level'].name}, {f['active_level'].name}, "
              f"{f['shared'].name}, {_source_text(f)})\n")
    out.indent(level)
    out.write("{\n")
    for number in f["interrupts"]:
        out.indent(level + 1)
        out.write(f"0x{number:08X},\n")
    out.indent(level)
    out.write("}\n")


_ASL = {
    "IRQ": _asl_irq, "IRQNoFlags": _asl_irq, "DMA": _asl_dma, "FixedDMA": _asl_fixed_dma, "IO": _asl_io,
    "FixedIO": _asl_fixed_io, "StartDependentFn": _asl_start_dependent,
    "StartDependentFnNoPri": _asl_start_dependent, "EndDependentFn": _asl_end_dependent,
    "VendorShort": _asl_vendor, "VendorLong": _asl_vendor, "Memory24": _asl_memory, "Memory32": _asl_memory,
    "Memory32Fixed": _asl_memory32_fixed, "Register": _asl_register, "Interrupt": _asl_interrupt,
    **{prefix + kind: _asl_address for prefix in _ADDRESS_DIGITS for kind in ("Memory", "IO", "BusNumber", "Space")},
}


def descriptor_asl(data: bytes, indent: str, *, after: bytes = b"",
                   iasl_version: int = IASL_VERSION) -> list[str]:
    """The lines iasl prints for the descriptors of a byte list, each at `indent`, as inside a template or a
    Connection (): descriptors nested in dependent functions one level deeper; on a descriptor it rejects, its
    complaint and nothing more. `after` is the AML that follows the bytes, which iasl reads for a field that
    points past them (zeros past that)."""
    data = bytes(data)
    buf = _with_after(data, after)
    out = _Printer(indent)
    level, dependent, pos = 0, False, 0
    while pos < len(data):
        tag = data[pos]
        if iasl_version >= BOUNDS_CHECKED_SINCE:
            header = rs.LARGE_HEADER_SIZE if tag & rs.LARGE_FLAG else rs.SMALL_HEADER_SIZE
            left = len(data) - pos
            length = _check(buf, pos, iasl_version)[3]
            if left < header or left < length:
                what = "header length" if left < header else "length"
                out.write(f"/*** Resource descriptor {what} {header if left < header else length} exceeds "
                          f"available data {left} at offset {pos} ***/\n")
                break
        status, item, large, length = _check(buf, pos, iasl_version)
        if status is not None:
            out.write(f"/*** Could not validate Resource, type ({tag if large else tag & 0x78:X}) {status}***/\n")
            break
        small_item = None if large else item
        if small_item == SmallItem.START_DEPENDENT and dependent:
            level -= 1
            out.indent(level)
            out.write("}\n")
        elif small_item == SmallItem.END_DEPENDENT:
            level -= 1
            dependent = False
        elif small_item == SmallItem.END_TAG:
            if dependent:
                level -= 1
                _asl_end_dependent(out, None, level)
                out.indent(level)
                out.write("/*** Disassembler: inserted missing EndDependentFn () ***/\n")
            break
        macro, fields = _decode(buf, pos, item, large, length)
        (_ASL.get(macro) or _soc().ASL[macro])(out, Resource(pos, length, macro, fields), level)
        if small_item == SmallItem.START_DEPENDENT:
            dependent, level = True, level + 1
        pos += length
    return out.lines()


def template_asl(data: bytes, indent: str, *, after: bytes = b"", iasl_version: int = IASL_VERSION) -> list[str]:
    """The lines of `ResourceTemplate () {...}` as iasl -d prints them: "ResourceTemplate ()" with no
    indentation (it follows "Name (XXXX, " or "Return (" on the caller's line), then the braces at `indent` and
    the descriptors one level in. The DescriptorNames iasl invents (_Y00) are not in the bytes, so none is
    printed; the lines compile back to the same bytes."""
    return ["ResourceTemplate ()", indent + "{",
            *descriptor_asl(data, indent + "    ", after=after, iasl_version=iasl_version), indent + "}"]
