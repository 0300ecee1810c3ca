"""A small AML encoder (ACPI 6.5 §20.2): data in, AML bytes out, for the definition blocks we generate.

Every function returns the encoded bytes of one AML term. Where a data object is expected, a Python int
becomes the smallest integer encoding, a str becomes a String, and bytes are taken as already-encoded AML
(a name reference from `name_path`, a `buffer`, a `package`, ...). Nothing here knows about any machine.
Reading AML back is the decoder's job (qboot_tables.aml.decode).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qboot_tables.errors import QbootTablesError


class AmlError(QbootTablesError):
    """A value AML cannot encode: a bad name, an integer out of range, a package too long."""


# ACPI 6.5 §20.2.3 Data Objects Encoding and §20.2.5 Term Objects Encoding: the opcodes used here.
ZERO_OP, ONE_OP, ONES_OP = 0x00, 0x01, 0xFF
BYTE_PREFIX, WORD_PREFIX, DWORD_PREFIX, STRING_PREFIX, QWORD_PREFIX = 0x0A, 0x0B, 0x0C, 0x0D, 0x0E
NAME_OP, SCOPE_OP, BUFFER_OP, PACKAGE_OP, METHOD_OP = 0x08, 0x10, 0x11, 0x12, 0x14
EXT_OP_PREFIX = 0x5B
EXT_OPREGION_OP, EXT_FIELD_OP, EXT_DEVICE_OP, EXT_PROCESSOR_OP = 0x80, 0x81, 0x82, 0x83
LOCAL0_OP, ARG0_OP = 0x60, 0x68
STORE_OP, AND_OP, OR_OP, NOTIFY_OP = 0x70, 0x7B, 0x7D, 0x86
LEQUAL_OP = 0x93
IF_OP, ELSE_OP, RETURN_OP = 0xA0, 0xA1, 0xA4
# §20.2.2 Name Objects Encoding
ROOT_CHAR, PARENT_PREFIX, DUAL_NAME_PREFIX, MULTI_NAME_PREFIX, NULL_NAME = 0x5C, 0x5E, 0x2E, 0x2F, 0x00

MAX_PKG_LENGTH = (1 << 28) - 1  # §20.2.4: 4 bits in the lead byte plus three more bytes
QWORD_MAX = (1 << 64) - 1
ONES = QWORD_MAX  # in a revision 2 table, Ones is all 64 bits set

# §20.2.2 NameSeg: a lead character [A-Z_] and three of [A-Z0-9_]; shorter names are padded with '_'.
_NAME_SEG = re.compile(r"[A-Z_][A-Z0-9_]{0,3}")


# --- names -------------------------------------------------------------------------------------------------

def name_seg(text: str) -> bytes:
    """One NameSeg: up to four characters, padded with '_' (§20.2.2)."""
    if not _NAME_SEG.fullmatch(text):
        raise AmlError(f"invalid AML name segment {text!r}: 1-4 characters, [A-Z_] then [A-Z0-9_]")
    return text.ljust(4, "_").encode("ascii")


def name_path(path: str) -> bytes:
    """A NameString: optional '\\' or '^' prefixes, then dot-separated segments ("\\_SB.PCI0", "^^LNKA")."""
    if not path:
        raise AmlError("empty AML name path")
    prefix = b""
    rest = path
    if rest.startswith("\\"):
        prefix, rest = bytes([ROOT_CHAR]), rest[1:]
    else:
        while rest.startswith("^"):
            prefix, rest = prefix + bytes([PARENT_PREFIX]), rest[1:]
    segments = [name_seg(s) for s in rest.split(".")] if rest else []
    if not segments:
        return prefix + bytes([NULL_NAME])
    if len(segments) == 1:
        return prefix + segments[0]
    if len(segments) == 2:
        return prefix + bytes([DUAL_NAME_PREFIX]) + b"".join(segments)
    if len(segments) > 255:
        raise AmlError(f"name path {path!r} has more than 255 segments")
    return prefix + bytes([MULTI_NAME_PREFIX, len(segments)]) + b"".join(segments)


# --- package length ----------------------------------------------------------------------------------------

def pkg_length(body_length: int) -> bytes:
    """The PkgLength for `body_length` bytes that follow it; the encoded length counts its own bytes (§20.2.4)."""
    if body_length < 0:
        raise AmlError(f"negative package length {body_length}")
    if body_length + 1 <= 0x3F:
        return bytes([body_length + 1])  # one byte: bits 0-5 hold the whole length
    for extra in (1, 2, 3):
        total = body_length + 1 + extra
        if total < 1 << (4 + 8 * extra):
            # Lead byte: bits 6-7 count the following bytes, bits 0-3 hold the low nibble; bits 4-5 are zero.
            return bytes([(extra << 6) | (total & 0x0F)]) + (total >> 4).to_bytes(extra, "little")
    raise AmlError(f"package of {body_length} bytes exceeds the AML maximum of {MAX_PKG_LENGTH}")


def _with_pkg_length(opcode: bytes, body: bytes) -> bytes:
    return opcode + pkg_length(len(body)) + body


# --- data objects ------------------------------------------------------------------------------------------

def integer(value: int) -> bytes:
    """The smallest encoding of an integer: Zero, One, or a Byte/Word/DWord/QWord constant (§20.2.3)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise AmlError(f"AML integer expected, got {value!r}")
    if value < 0 or value > QWORD_MAX:
        raise AmlError(f"integer {value} does not fit in 64 bits")
    if value == 0:
        return bytes([ZERO_OP])
    if value == 1:
        return bytes([ONE_OP])
    for prefix, size in ((BYTE_PREFIX, 1), (WORD_PREFIX, 2), (DWORD_PREFIX, 4), (QWORD_PREFIX, 8)):
        if value < 1 << (8 * size):
            return bytes([prefix]) + value.to_bytes(size, "little")
    raise AssertionError("unreachable: range checked above")


def ones() -> bytes:
    """The Ones constant: all bits set in the table's integer width (§20.2.3 OnesOp)."""
    return bytes([ONES_OP])


def string(text: str) -> bytes:
    """A String: ASCII characters 0x01-0x7F and a NUL (§20.2.3)."""
    if not isinstance(text, str) or any(not 0x01 <= ord(c) <= 0x7F for c in text):
        raise AmlError(f"AML strings hold ASCII 0x01-0x7F only: {text!r}")
    raw = text.encode("ascii")
    return bytes([STRING_PREFIX]) + raw + b"\0"


def data(value) -> bytes:
    """A data object from a Python value: int -> integer, str -> String, bytes -> taken as encoded AML."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return string(value)
    return integer(value)


def buffer(content: bytes) -> bytes:
    """A Buffer whose size is its content's length (§19.6.10, §20.2.5.4 DefBuffer)."""
    content = bytes(content)
    return _with_pkg_length(bytes([BUFFER_OP]), integer(len(content)) + content)


def package(*elements) -> bytes:
    """A Package of up to 255 elements, each an int, str or encoded AML (§20.2.5.4 DefPackage)."""
    if len(elements) > 255:
        raise AmlError(f"a Package holds at most 255 elements, got {len(elements)}")
    return _with_pkg_length(bytes([PACKAGE_OP]), bytes([len(elements)]) + b"".join(data(e) for e in elements))


def eisa_id(text: str) -> bytes:
    """An EISA ID such as "PNP0A03" compressed into a 32-bit integer, as ASL's EisaId() does (§19.6.35)."""
    if not re.fullmatch(r"[A-Z]{3}[0-9A-F]{4}", text):
        raise AmlError(f"invalid EISA ID {text!r}: three letters A-Z then four hex digits")
    # Three 5-bit letters (A = 1) then the product number, stored big-endian in the DWord's bytes.
    letters = [ord(c) - 0x40 for c in text[:3]]
    value = (letters[0] << 26) | (letters[1] << 21) | (letters[2] << 16) | int(text[3:], 16)
    return integer(int.from_bytes(value.to_bytes(4, "big"), "little"))


# --- named objects and scopes ------------------------------------------------------------------------------

def name(path: str, value) -> bytes:
    """Name(path, value) (§20.2.5.1 DefName)."""
    return bytes([NAME_OP]) + name_path(path) + data(value)


def scope(path: str, *terms: bytes) -> bytes:
    """Scope(path) { terms } (§20.2.5.1 DefScope)."""
    return _with_pkg_length(bytes([SCOPE_OP]), name_path(path) + b"".join(terms))


def device(path: str, *terms: bytes) -> bytes:
    """Device(path) { terms } (§20.2.5.2 DefDevice)."""
    return _with_pkg_length(bytes([EXT_OP_PREFIX, EXT_DEVICE_OP]), name_path(path) + b"".join(terms))


def processor(path: str, processor_id: int, *terms: bytes, pblk_address: int = 0, pblk_length: int = 0) -> bytes:
    """Processor(path, id, PblkAddr, PblkLen) { terms }: deprecated since ACPI 6.0 but what guests below APIC ID
    255 are used to (§20.2.5.2 DefProcessor, kept in the grammar)."""
    if not 0 <= processor_id <= 0xFF:
        raise AmlError(f"Processor ID {processor_id} does not fit in a byte: use a Device (ACPI0007)")
    head = name_path(path) + bytes([processor_id]) + pblk_address.to_bytes(4, "little") + bytes([pblk_length])
    return _with_pkg_length(bytes([EXT_OP_PREFIX, EXT_PROCESSOR_OP]), head + b"".join(terms))


def method(path: str, arg_count: int, *terms: bytes, serialized: bool = False, sync_level: int = 0) -> bytes:
    """Method(path, arg_count, Serialized|NotSerialized) { terms } (§20.2.5.2 DefMethod)."""
    if not 0 <= arg_count <= 7 or not 0 <= sync_level <= 15:
        raise AmlError(f"method {path}: arg count {arg_count} (0-7) or sync level {sync_level} (0-15) out of range")
    flags = arg_count | (0x08 if serialized else 0) | (sync_level << 4)
    return _with_pkg_length(bytes([METHOD_OP]), name_path(path) + bytes([flags]) + b"".join(terms))


# §19.6.100 OperationRegion address space IDs (the ones a PC platform uses)
SYSTEM_MEMORY, SYSTEM_IO, PCI_CONFIG = 0x00, 0x01, 0x02


def operation_region(path: str, space: int, offset, length) -> bytes:
    """OperationRegion(path, space, offset, length) (§20.2.5.2 DefOpRegion)."""
    return bytes([EXT_OP_PREFIX, EXT_OPREGION_OP]) + name_path(path) + bytes([space]) + data(offset) + data(length)


# §19.6.48 Field access types and update rules, as encoded in FieldFlags (§20.2.5.2)
ANY_ACC, BYTE_ACC, WORD_ACC, DWORD_ACC, QWORD_ACC = 0, 1, 2, 3, 4
PRESERVE, WRITE_AS_ONES, WRITE_AS_ZEROS = 0, 1, 2


def field(region: str, units: list[tuple[str, int]], access: int = BYTE_ACC, lock: bool = False,
          update: int = PRESERVE) -> bytes:
    """Field(region, access, lock, update) { NAME, bits ... }; a name of "" reserves bits (§20.2.5.2 DefField)."""
    flags = access | (0x10 if lock else 0) | (update << 5)
    body = name_path(region) + bytes([flags])
    for unit_name, bits in units:
        # NamedField is a NameSeg and a PkgLength-encoded bit count; ReservedField is 0x00 and the same.
        body += (name_seg(unit_name) if unit_name else b"\x00") + _bit_count(bits)
    return _with_pkg_length(bytes([EXT_OP_PREFIX, EXT_FIELD_OP]), body)


def _bit_count(bits: int) -> bytes:
    # A field width uses the PkgLength encoding but counts bits, and not its own bytes.
    if bits < 0x40:
        return bytes([bits])
    for extra in (1, 2, 3):
        if bits < 1 << (4 + 8 * extra):
            return bytes([(extra << 6) | (bits & 0x0F)]) + (bits >> 4).to_bytes(extra, "little")
    raise AmlError(f"field of {bits} bits is too wide")


# --- method bodies -----------------------------------------------------------------------------------------

def local(n: int) -> bytes:
    """Local0-Local7 (§20.2.6.2)."""
    if not 0 <= n <= 7:
        raise AmlError(f"Local{n} does not exist (Local0-Local7)")
    return bytes([LOCAL0_OP + n])


def arg(n: int) -> bytes:
    """Arg0-Arg6 (§20.2.6.1)."""
    if not 0 <= n <= 6:
        raise AmlError(f"Arg{n} does not exist (Arg0-Arg6)")
    return bytes([ARG0_OP + n])


def return_(value) -> bytes:
    """Return(value) (§20.2.5.3 DefReturn)."""
    return bytes([RETURN_OP]) + data(value)


def store(source, target: bytes) -> bytes:
    """Store(source, target) (§20.2.5.4 DefStore)."""
    return bytes([STORE_OP]) + data(source) + target


def and_(left, right, target: bytes = bytes([NULL_NAME])) -> bytes:
    """And(left, right, target): the result is also the term's value (§20.2.5.4 DefAnd)."""
    return bytes([AND_OP]) + data(left) + data(right) + target


def or_(left, right, target: bytes = bytes([NULL_NAME])) -> bytes:
    """Or(left, right, target) (§20.2.5.4 DefOr)."""
    return bytes([OR_OP]) + data(left) + data(right) + target


def lequal(left, right) -> bytes:
    """LEqual(left, right) (§20.2.5.4 DefLEqual)."""
    return bytes([LEQUAL_OP]) + data(left) + data(right)


def if_(predicate: bytes, *terms: bytes) -> bytes:
    """If(predicate) { terms } (§20.2.5.3 DefIfElse)."""
    return _with_pkg_length(bytes([IF_OP]), predicate + b"".join(terms))


def else_(*terms: bytes) -> bytes:
    """Else { terms }, to follow an If directly (§20.2.5.3 DefElse)."""
    return _with_pkg_length(bytes([ELSE_OP]), b"".join(terms))


def notify(target: str, value: int | bytes) -> bytes:
    """Notify(target, value) (§20.2.5.3 DefNotify); the value is an integer or encoded AML (an Arg, a Local)."""
    return bytes([NOTIFY_OP]) + name_path(target) + data(value)


# The opcodes of the hotplug and _OSC methods (§20.2.5.2, §20.2.5.3, §20.2.5.4).
ADD_OP, SUBTRACT_OP, INCREMENT_OP = 0x72, 0x74, 0x75
SHIFT_LEFT_OP, CREATE_DWORD_FIELD_OP, CREATE_QWORD_FIELD_OP = 0x79, 0x8A, 0x8F
LNOT_OP, LLESS_OP, WHILE_OP = 0x92, 0x95, 0xA2
EXT_MUTEX_OP, EXT_ACQUIRE_OP, EXT_RELEASE_OP = 0x01, 0x23, 0x27


def _binary(opcode: int, left, right, target: bytes) -> bytes:
    return bytes([opcode]) + data(left) + data(right) + target


def add(left, right, target: bytes = bytes([NULL_NAME])) -> bytes:
    """Add(left, right, target) (§20.2.5.4 DefAdd)."""
    return _binary(ADD_OP, left, right, target)


def subtract(left, right, target: bytes = bytes([NULL_NAME])) -> bytes:
    """Subtract(left, right, target) (§20.2.5.4 DefSubtract)."""
    return _binary(SUBTRACT_OP, left, right, target)


def shift_left(value, bits, target: bytes = bytes([NULL_NAME])) -> bytes:
    """ShiftLeft(value, bits, target) (§20.2.5.4 DefShiftLeft)."""
    return _binary(SHIFT_LEFT_OP, value, bits, target)


def increment(target: bytes) -> bytes:
    """Increment(target) (§20.2.5.4 DefIncrement)."""
    return bytes([INCREMENT_OP]) + target





def create_dword_field(source: bytes, byte_index, field_name: str) -> bytes:
    """CreateDWordField(source, byte_index, name) (§20.2.5.2 DefCreateDWordField)."""
    return bytes([CREATE_DWORD_FIELD_OP]) + source + data(byte_index) + name_path(field_name)


def create_qword_field(source: bytes, byte_index, field_name: str) -> bytes:
    """CreateQWordField(source, byte_index, name) (§20.2.5.2 DefCreateQWordField)."""
    return bytes([CREATE_QWORD_FIELD_OP]) + source + data(byte_index) + name_path(field_name)



def lnot(operand) -> bytes:
    """LNot(operand) (§20.2.5.4 DefLNot)."""
    return bytes([LNOT_OP]) + data(operand)


def lless(left, right) -> bytes:
    """LLess(left, right) (§20.2.5.4 DefLLess)."""
    return bytes([LLESS_OP]) + data(left) + data(right)



def while_(predicate: bytes, *terms: bytes) -> bytes:
    """While(predicate) { terms } (§20.2.5.3 DefWhile)."""
    return _with_pkg_length(bytes([WHILE_OP]), predicate + b"".join(terms))



def call(path: str, *args) -> bytes:
    """A method invocation: the method's name followed by its arguments (§20.2.5.4 MethodInvocation)."""
    return name_path(path) + b"".join(data(a) for a in args)


def mutex(path: str, sync_level: int = 0) -> bytes:
    """Mutex(path, sync_level) (§20.2.5.2 DefMutex)."""
    if not 0 <= sync_level <= 15:
        raise AmlError(f"mutex {path}: sync level {sync_level} is not 0-15")
    return bytes([EXT_OP_PREFIX, EXT_MUTEX_OP]) + name_path(path) + bytes([sync_level])


def acquire(path: str, timeout: int = 0xFFFF) -> bytes:
    """Acquire(path, timeout in ms; 0xFFFF waits forever) (§20.2.5.4 DefAcquire)."""
    return bytes([EXT_OP_PREFIX, EXT_ACQUIRE_OP]) + name_path(path) + timeout.to_bytes(2, "little")


def release(path: str) -> bytes:
    """Release(path) (§20.2.5.3 DefRelease)."""
    return bytes([EXT_OP_PREFIX, EXT_RELEASE_OP]) + name_path(path)




def to_uuid(text: str) -> bytes:
    """ToUUID("aabbccdd-eeff-gghh-iijj-kkllmmnnoopp") as the 16-byte Buffer ASL makes of it (§19.6.142):
    the first three groups little-endian, the last two in string order."""
    if not re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text):
        raise AmlError(f"invalid UUID {text!r}")
    groups = text.split("-")
    raw = (int(groups[0], 16).to_bytes(4, "little") + int(groups[1], 16).to_bytes(2, "little")
           + int(groups[2], 16).to_bytes(2, "little") + bytes.fromhex(groups[3] + groups[4]))
    return buffer(raw)


# --- resource descriptors for _CRS / _PRS (§6.4) -----------------------------------------------------------

@dataclass(frozen=True)
class AddressFlags:
    """The general and type-specific flags of an address space descriptor (§6.4.3.5.1-§6.4.3.5.4)."""
    producer: bool = True  # ResourceProducer: a bridge decoding this range for its children
    min_fixed: bool = True
    max_fixed: bool = True
    subtractive: bool = False
    type_specific: int = 0

    def general(self) -> int:
        # Bit 0 consumer, 1 subtractive decode, 2 min fixed, 3 max fixed (§6.4.3.5.1 Table 6.44)
        return ((0 if self.producer else 1) | (0x02 if self.subtractive else 0)
                | (0x04 if self.min_fixed else 0) | (0x08 if self.max_fixed else 0))


# §6.4.3.5 resource types of address space descriptors
MEMORY_RANGE, IO_RANGE, BUS_NUMBER_RANGE = 0, 1, 2
# §6.4.3.5.4 memory type-specific flags: bit 0 read-write, bits 1-2 cacheability
MEM_READ_WRITE, MEM_NON_CACHEABLE, MEM_CACHEABLE = 0x01, 0x00, 0x02
# §6.4.3.5.4 I/O type-specific flags: bits 0-1 range (3 = entire range)
IO_ENTIRE_RANGE = 0x03

LARGE_MEMORY32_FIXED, LARGE_QWORD_ADDRESS, LARGE_DWORD_ADDRESS, LARGE_WORD_ADDRESS = 0x86, 0x8A, 0x87, 0x88
LARGE_EXTENDED_IRQ = 0x89
SMALL_IRQ, SMALL_IO, SMALL_END_TAG = 0x04, 0x08, 0x0F


def _large(item: int, body: bytes) -> bytes:
    # §6.4.3 Large Resource Data Type: tag byte with bit 7 set, then a 16-bit length of the body.
    return bytes([item]) + len(body).to_bytes(2, "little") + body


def _small(item: int, body: bytes) -> bytes:
    # §6.4.2 Small Resource Data Type: bits 3-6 item name, bits 0-2 body length.
    if len(body) > 7:
        raise AmlError("small resource descriptor body longer than 7 bytes")
    return bytes([(item << 3) | len(body)]) + body


def _address(item: int, width: int, resource_type: int, flags: AddressFlags, minimum: int, maximum: int,
             translation: int = 0, granularity: int = 0) -> bytes:
    limit = (1 << (8 * width)) - 1
    if not 0 <= minimum <= maximum <= limit:
        raise AmlError(f"address range {minimum:#x}-{maximum:#x} is empty or does not fit in {width * 8} bits")
    length = maximum - minimum + 1
    fields = (granularity, minimum, maximum, translation, length)
    body = bytes([resource_type, flags.general(), flags.type_specific])
    body += b"".join(v.to_bytes(width, "little") for v in fields)
    return _large(item, body)


def word_bus_number(minimum: int, maximum: int) -> bytes:
    """WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, min, max, 0, len) (§6.4.3.5.3)."""
    return _address(LARGE_WORD_ADDRESS, 2, BUS_NUMBER_RANGE, AddressFlags(), minimum, maximum)


def word_io(minimum: int, maximum: int) -> bytes:
    """WordIO(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, min, max, 0, len) (§6.4.3.5.3)."""
    return _address(LARGE_WORD_ADDRESS, 2, IO_RANGE, AddressFlags(type_specific=IO_ENTIRE_RANGE), minimum, maximum)


def dword_memory(minimum: int, maximum: int, cacheable: bool = False) -> bytes:
    """DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable|NonCacheable, ReadWrite, ...)
    (§6.4.3.5.2)."""
    flags = AddressFlags(type_specific=MEM_READ_WRITE | (MEM_CACHEABLE if cacheable else MEM_NON_CACHEABLE))
    return _address(LARGE_DWORD_ADDRESS, 4, MEMORY_RANGE, flags, minimum, maximum)


def qword_memory(minimum: int, maximum: int, cacheable: bool = False) -> bytes:
    """QWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, ..., ReadWrite, ...) (§6.4.3.5.1)."""
    flags = AddressFlags(type_specific=MEM_READ_WRITE | (MEM_CACHEABLE if cacheable else MEM_NON_CACHEABLE))
    return _address(LARGE_QWORD_ADDRESS, 8, MEMORY_RANGE, flags, minimum, maximum)


def io(minimum: int, maximum: int, alignment: int, length: int, decode16: bool = True) -> bytes:
    """IO(Decode16, min, max, alignment, length) (§6.4.2.5 I/O Port Descriptor)."""
    if not (0 <= minimum <= 0xFFFF and 0 <= maximum <= 0xFFFF and 0 <= alignment <= 0xFF and 0 <= length <= 0xFF):
        raise AmlError(f"IO descriptor out of range: {minimum:#x} {maximum:#x} {alignment} {length}")
    body = bytes([1 if decode16 else 0]) + minimum.to_bytes(2, "little") + maximum.to_bytes(2, "little")
    return _small(SMALL_IO, body + bytes([alignment, length]))


def memory32_fixed(base: int, length: int, writable: bool = True) -> bytes:
    """Memory32Fixed(ReadWrite|ReadOnly, base, length) (§6.4.3.4 32-Bit Fixed Memory Range Descriptor)."""
    if not (0 <= base <= 0xFFFFFFFF and 0 <= length <= 0xFFFFFFFF):
        raise AmlError(f"Memory32Fixed range {base:#x}+{length:#x} does not fit in 32 bits")
    body = bytes([1 if writable else 0]) + base.to_bytes(4, "little") + length.to_bytes(4, "little")
    return _large(LARGE_MEMORY32_FIXED, body)


def irq_no_flags(*irqs: int) -> bytes:
    """IRQNoFlags() {irqs}: the 2-byte IRQ descriptor, edge-triggered active-high (§6.4.2.1)."""
    if not irqs or any(not 0 <= irq <= 15 for irq in irqs):
        raise AmlError(f"IRQNoFlags takes ISA IRQs 0-15, got {irqs}")
    mask = 0
    for irq in irqs:
        mask |= 1 << irq
    return _small(SMALL_IRQ, mask.to_bytes(2, "little"))


def interrupt(*gsis: int, consumer: bool = True, level: bool = True, active_low: bool = False,
              shared: bool = True) -> bytes:
    """Interrupt(ResourceConsumer, Level|Edge, ActiveHigh|ActiveLow, Shared|Exclusive) {gsis}
    (§6.4.3.6 Extended Interrupt Descriptor)."""
    if not 1 <= len(gsis) <= 255 or any(not 0 <= g <= 0xFFFFFFFF for g in gsis):
        raise AmlError(f"Interrupt takes 1-255 32-bit interrupt numbers, got {gsis}")
    # Bit 0 consumer, 1 edge (0 = level), 2 active low, 3 shared (§6.4.3.6 Table 6.60)
    flags = (1 if consumer else 0) | (0 if level else 0x02) | (0x04 if active_low else 0) | (0x08 if shared else 0)
    body = bytes([flags, len(gsis)]) + b"".join(g.to_bytes(4, "little") for g in gsis)
    return _large(LARGE_EXTENDED_IRQ, body)


def resource_template(*descriptors: bytes) -> bytes:
    """ResourceTemplate() {descriptors}: a Buffer ending in an End Tag whose checksum makes every byte of the
    template sum to zero (§6.4.2.9)."""
    content = b"".join(descriptors) + bytes([(SMALL_END_TAG << 3) | 1])
    return buffer(content + bytes([-sum(content) & 0xFF]))
