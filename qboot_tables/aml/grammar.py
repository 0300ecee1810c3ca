"""The AML grammar of ACPI 6.5 chapter 20 as data: every opcode, its ASL name and the kinds of its arguments.

The decoder, the byte builder and the ASL printer all walk these argument strings, so an opcode is added here
once and nowhere else. Each character is one argument, in encoding order:

    P  PkgLength: the rest of the arguments lie inside the package it opens   (§20.2.4)
    N  NameString                                                             (§20.2.2)
    B W D Q  ByteData, WordData, DWordData, QWordData                         (§20.2.3)
    S  a NUL-terminated ASCII string (String's AsciiCharList)                 (§20.2.3)
    T  TermArg: data, a local or argument, a type 2 opcode or a method call   (§20.2.5)
    O  DataRefObject: a TermArg in which a name is a reference, never a call  (§20.2.3)
    U  SuperName: a name (never called), local, argument, Debug or reference  (§20.2.6.2)
    R  Target: a SuperName or the NullName                                    (§20.2.6.2)
    L  TermList to the end of the package                                     (§20.2.5)
    Y  ByteList to the end of the package (a Buffer's initialiser)            (§20.2.5.4)
    E  PackageElementList to the end of the package                           (§20.2.5.4)
    F  FieldList to the end of the package                                    (§20.2.5.2)
"""
from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import NamedTuple

EXT_OP_PREFIX = 0x5B  # §20.2.1: the first byte of every two-byte opcode


class OpSpec(NamedTuple):  # a NamedTuple: cheaper than a dataclass to create at start-up
    """One opcode: its encoding (one byte, or 0x5B then one), its ASL name and its argument kinds."""

    code: int  # the byte after 0x5B for an extended opcode
    extended: bool
    name: str
    args: str = ""
    declares: str | None = None  # the namespace object type the opcode declares, when it declares one


def _op(code, name, args="", declares=None):
    return OpSpec(code, False, name, args, declares)


def _ext(code, name, args="", declares=None):
    return OpSpec(code, True, name, args, declares)


# ACPI 6.5 §20.2.3 Data Objects, §20.2.5.1 Namespace Modifier Objects, §20.2.5.2 Named Objects,
# §20.2.5.3 Type 1 Opcodes, §20.2.5.4 Type 2 Opcodes, §20.2.6 Miscellaneous Objects.
OPCODES = (
    _op(0x00, "Zero"), _op(0x01, "One"), _op(0xFF, "Ones"),
    _op(0x06, "Alias", "NN", "Alias"),
    _op(0x08, "Name", "NO", "Name"),
    _op(0x0A, "BytePrefix", "B"), _op(0x0B, "WordPrefix", "W"), _op(0x0C, "DWordPrefix", "D"),
    _op(0x0D, "StringPrefix", "S"), _op(0x0E, "QWordPrefix", "Q"),
    _op(0x10, "Scope", "PNL"),
    _op(0x11, "Buffer", "PTY"), _op(0x12, "Package", "PBE"), _op(0x13, "VarPackage", "PTE"),
    _op(0x14, "Method", "PNBL", "Method"),
    _op(0x15, "External", "NBB"),
    *(_op(0x60 + n, f"Local{n}") for n in range(8)),
    *(_op(0x68 + n, f"Arg{n}") for n in range(7)),
    _op(0x70, "Store", "TU"), _op(0x71, "RefOf", "U"), _op(0x72, "Add", "TTR"), _op(0x73, "Concatenate", "TTR"),
    _op(0x74, "Subtract", "TTR"), _op(0x75, "Increment", "U"), _op(0x76, "Decrement", "U"),
    _op(0x77, "Multiply", "TTR"), _op(0x78, "Divide", "TTRR"), _op(0x79, "ShiftLeft", "TTR"),
    _op(0x7A, "ShiftRight", "TTR"), _op(0x7B, "And", "TTR"), _op(0x7C, "NAnd", "TTR"), _op(0x7D, "Or", "TTR"),
    _op(0x7E, "NOr", "TTR"), _op(0x7F, "XOr", "TTR"), _op(0x80, "Not", "TR"), _op(0x81, "FindSetLeftBit", "TR"),
    _op(0x82, "FindSetRightBit", "TR"), _op(0x83, "DerefOf", "T"), _op(0x84, "ConcatenateResTemplate", "TTR"),
    _op(0x85, "Mod", "TTR"), _op(0x86, "Notify", "UT"), _op(0x87, "SizeOf", "U"), _op(0x88, "Index", "TTR"),
    _op(0x89, "Match", "TBTBTT"),
    _op(0x8A, "CreateDWordField", "TTN", "BufferField"), _op(0x8B, "CreateWordField", "TTN", "BufferField"),
    _op(0x8C, "CreateByteField", "TTN", "BufferField"), _op(0x8D, "CreateBitField", "TTN", "BufferField"),
    _op(0x8E, "ObjectType", "U"), _op(0x8F, "CreateQWordField", "TTN", "BufferField"),
    _op(0x90, "LAnd", "TT"), _op(0x91, "LOr", "TT"), _op(0x92, "LNot", "T"), _op(0x93, "LEqual", "TT"),
    _op(0x94, "LGreater", "TT"), _op(0x95, "LLess", "TT"), _op(0x96, "ToBuffer", "TR"),
    _op(0x97, "ToDecimalString", "TR"), _op(0x98, "ToHexString", "TR"), _op(0x99, "ToInteger", "TR"),
    _op(0x9C, "ToString", "TTR"), _op(0x9D, "CopyObject", "TU"), _op(0x9E, "Mid", "TTTR"),
    _op(0x9F, "Continue"), _op(0xA0, "If", "PTL"), _op(0xA1, "Else", "PL"), _op(0xA2, "While", "PTL"),
    _op(0xA3, "Noop"), _op(0xA4, "Return", "T"), _op(0xA5, "Break"), _op(0xCC, "BreakPoint"),
    _ext(0x01, "Mutex", "NB", "Mutex"), _ext(0x02, "Event", "N", "Event"),
    _ext(0x12, "CondRefOf", "UR"), _ext(0x13, "CreateField", "TTTN", "BufferField"),
    _ext(0x1F, "LoadTable", "TTTTTT"), _ext(0x20, "Load", "NR"), _ext(0x21, "Stall", "T"),
    _ext(0x22, "Sleep", "T"), _ext(0x23, "Acquire", "UW"), _ext(0x24, "Signal", "U"), _ext(0x25, "Wait", "UT"),
    _ext(0x26, "Reset", "U"), _ext(0x27, "Release", "U"), _ext(0x28, "FromBCD", "TR"), _ext(0x29, "ToBCD", "TR"),
    _ext(0x2A, "Unload", "U"), _ext(0x30, "Revision"), _ext(0x31, "Debug"), _ext(0x32, "Fatal", "BDT"),
    _ext(0x33, "Timer"),
    _ext(0x80, "OperationRegion", "NBTT", "OperationRegion"), _ext(0x81, "Field", "PNBF"),
    _ext(0x82, "Device", "PNL", "Device"), _ext(0x83, "Processor", "PNBDBL", "Processor"),
    _ext(0x84, "PowerResource", "PNBWL", "PowerResource"), _ext(0x85, "ThermalZone", "PNL", "ThermalZone"),
    _ext(0x86, "IndexField", "PNNBF"), _ext(0x87, "BankField", "PNNTBF"),
    _ext(0x88, "DataTableRegion", "NTTT", "DataTableRegion"),
)

# Indexed by the opcode byte (one-byte opcodes) and by the byte after 0x5B (extended ones).
ONE_BYTE: list[OpSpec | None] = [None] * 256
EXTENDED: list[OpSpec | None] = [None] * 256
for _spec in OPCODES:
    (EXTENDED if _spec.extended else ONE_BYTE)[_spec.code] = _spec
del _spec
BY_NAME = {spec.name: spec for spec in OPCODES}
# Opcode name -> the kinds of what a decoded Op's `args` holds, in order: its argument kinds less the PkgLength,
# which the decoder reads and does not keep.
ARG_KINDS = {spec.name: spec.args.replace("P", "") for spec in OPCODES}

# §20.2.2 Name Objects Encoding
ROOT_CHAR, PARENT_PREFIX, DUAL_NAME_PREFIX, MULTI_NAME_PREFIX, NULL_NAME = 0x5C, 0x5E, 0x2E, 0x2F, 0x00
LEAD_NAME_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME_CHARS = LEAD_NAME_CHARS | frozenset(b"0123456789")
NAME_STRING_STARTS = LEAD_NAME_CHARS | {ROOT_CHAR, PARENT_PREFIX, DUAL_NAME_PREFIX, MULTI_NAME_PREFIX}

# ACPI 6.5 §5.3.1 and §5.7: the objects a namespace holds before any table loads (ACPICA adds \_GL_, \_OSI,
# \_OS_ and \_REV: source/components/utilities/utglobal.c, AcpiGbl_PreDefinedNames), with the argument count of
# \_OSI, the one method among them, and -1 for the rest. A call `_OSI ("Windows 2015")` needs it to decode.
PREDEFINED_OBJECTS = {("_GPE",): -1, ("_PR_",): -1, ("_SB_",): -1, ("_SI_",): -1, ("_TZ_",): -1, ("_GL_",): -1,
                      ("_OSI",): 1, ("_OS_",): -1, ("_REV",): -1}

# §20.2.5.2 FieldElement: the lead bytes of the elements that are not named field units.
RESERVED_FIELD, ACCESS_FIELD, CONNECT_FIELD, EXTENDED_ACCESS_FIELD = 0x00, 0x01, 0x02, 0x03


class ObjectType(IntEnum):
    """ACPI 6.5 §19.6.45 (External) and §19.6.97 (ObjectType): the type numbers an External declares."""

    UNKNOWN = 0
    INTEGER = 1
    STRING = 2
    BUFFER = 3
    PACKAGE = 4
    FIELD_UNIT = 5
    DEVICE = 6
    EVENT = 7
    METHOD = 8
    MUTEX = 9
    OPERATION_REGION = 10
    POWER_RESOURCE = 11
    PROCESSOR = 12
    THERMAL_ZONE = 13
    BUFFER_FIELD = 14
    DDB_HANDLE = 15
    DEBUG = 16


class MethodFlags(IntFlag):
    """ACPI 6.5 §20.2.5.2 MethodFlags: bits 0-2 count the arguments, bits 4-7 are the sync level."""

    ARG_COUNT = 0x07
    SERIALIZED = 0x08
    SYNC_LEVEL = 0xF0


class FieldFlags(IntFlag):
    """ACPI 6.5 §20.2.5.2 FieldFlags: access type in bits 0-3, lock rule bit 4, update rule bits 5-6."""

    ACCESS_TYPE = 0x0F
    LOCK = 0x10
    UPDATE_RULE = 0x60


ACCESS_TYPES = ("AnyAcc", "ByteAcc", "WordAcc", "DWordAcc", "QWordAcc", "BufferAcc")  # §19.6.48 AccessType
UPDATE_RULES = ("Preserve", "WriteAsOnes", "WriteAsZeros")  # §19.6.48 UpdateRule
MATCH_OPERATORS = ("MTR", "MEQ", "MLE", "MLT", "MGE", "MGT")  # §19.6.81 MatchOpKeyword
OBJECT_TYPE_KEYWORDS = ("UnknownObj", "IntObj", "StrObj", "BuffObj", "PkgObj", "FieldUnitObj", "DeviceObj",
                        "EventObj", "MethodObj", "MutexObj", "OpRegionObj", "PowerResObj", "ProcessorObj",
                        "ThermalZoneObj", "BuffFieldObj", "DDBHandleObj")  # §19.6.45 ObjectTypeKeyword
