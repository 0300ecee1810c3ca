"""Decoded AML as ASL source, laid out as `iasl -dl` lays it out (ASL 1.0 operators), so that it reads, diffs
and compiles like the disassembly people already know.

iasl's layout is a walk over its parse tree with a few habits worth copying exactly, since every reader of a
.dsl has learnt them: four spaces a level, where a Name's or Return's operand sits on the Name's own level; an
argument list broken after twelve operands; `Else { If }` folded into ElseIf and LNot (LEqual) into LNotEqual;
a NullName target left out; blank lines after blocks but not before an Else or a closing brace. Names a table
uses but does not declare are declared with External (), typed from the other tables of the set, so that the
text compiles on its own.
"""
from __future__ import annotations

import gc
import re
from typing import Sequence

from qboot_tables.aml import resources as _resources  # ResourceTemplates, printed as iasl prints them
from qboot_tables.aml.decode import AmlTable, Names, declared_name, resolve, search_outward
from qboot_tables.aml.grammar import (ACCESS_TYPES, ARG_KINDS, MATCH_OPERATORS, OBJECT_TYPE_KEYWORDS, OPCODES,
                                      PREDEFINED_OBJECTS, UPDATE_RULES, MethodFlags, ObjectType)
from qboot_tables.aml.tree import Call, FieldAccess, FieldConnect, FieldUnit, NameRef, NameString, Op, Raw
from qboot_tables.schemas.acpi.resources import RegisterSpace


# ACPI 6.5 §19.6.7 AccessAttribKeyword, by the byte AccessAs encodes.
ACCESS_ATTRIBUTES = {0x02: "AttribQuick", 0x04: "AttribSendReceive", 0x06: "AttribByte", 0x08: "AttribWord",
                     0x0A: "AttribBlock", 0x0B: "AttribBytes", 0x0C: "AttribProcessCall",
                     0x0D: "AttribBlockProcessCall", 0x0E: "AttribRawBytes", 0x0F: "AttribRawProcessBytes"}
# iasl's words for the field flags no keyword names (ACPI 6.5 §20.2.5.2 FieldFlags).
_ACCESS_TYPES = ACCESS_TYPES + ("InvalidAccType", "InvalidAccType")
_UPDATE_RULES = UPDATE_RULES + ("InvalidUpdateRule",)
# The ObjectType keyword External () takes for each kind of declaration the decoder records.
DECLARED_TYPES = {"Device": "DeviceObj", "Method": "MethodObj", "Field": "FieldUnitObj",
                  "OperationRegion": "OpRegionObj", "DataTableRegion": "OpRegionObj", "Processor": "ProcessorObj",
                  "ThermalZone": "ThermalZoneObj", "PowerResource": "PowerResObj", "Mutex": "MutexObj",
                  "Event": "EventObj", "BufferField": "BuffFieldObj"}
VALUE_TYPES = {"Zero": "IntObj", "One": "IntObj", "Ones": "IntObj", "BytePrefix": "IntObj", "WordPrefix": "IntObj",
               "DWordPrefix": "IntObj", "QWordPrefix": "IntObj", "Revision": "IntObj", "StringPrefix": "StrObj",
               "Buffer": "BuffObj", "Package": "PkgObj", "VarPackage": "PkgObj"}
# The names every ACPI namespace starts with (ACPI 6.5 §5.3.1), which no table declares.
PREDEFINED_PATHS = frozenset(PREDEFINED_OBJECTS) | {()}
# Operators whose last operand is a Target (or, for Store and CopyObject, a SuperName written to): iasl names
# the object a relative target resolves to in a comment.
TARGET_OPERATORS = frozenset({"Store", "Add", "Concatenate", "Subtract", "Multiply", "Divide", "ShiftLeft",
                              "ShiftRight", "And", "NAnd", "Or", "NOr", "XOr", "Not", "FindSetLeftBit",
                              "FindSetRightBit", "Index", "CondRefOf", "Load", "FromBCD", "ToBCD",
                              "ConcatenateResTemplate", "Mod", "ToBuffer", "ToDecimalString", "ToHexString",
                              "ToInteger", "ToString", "CopyObject", "Mid"})
CONSTANTS = {"Zero": 0, "One": 1, "Ones": (1 << 64) - 1}
LNOT_FOLDS = {"LEqual": "LNotEqual", "LGreater": "LLessEqual", "LLess": "LGreaterEqual"}
# Blocks whose body is a term list; the ones with a name open a scope (ACPI 6.5 §5.3).
NAMED_BLOCKS = frozenset({"Scope", "Device", "Method", "Processor", "PowerResource", "ThermalZone"})
# ACPI 6.5 §5.6.6 Table 5.187: the notification values every object type shares.
NOTIFY_NAMES = ("Bus Check", "Device Check", "Device Wake", "Eject Request", "Device Check Light",
                "Frequency Mismatch", "Bus Mode Mismatch", "Power Fault", "Capabilities Check", "Device PLD Check",
                "Reserved", "System Locality Update", "Shutdown Request", "System Resource Affinity Update",
                "Heterogeneous Memory Attributes Update", "Error Disconnect Recover")
# ACPI 6.5 §6.1.8 _PLD: the ToPLD keywords for the named values of the panel, position and shape fields.
PLD_PANELS = ("TOP", "BOTTOM", "LEFT", "RIGHT", "FRONT", "BACK", "UNKNOWN")
PLD_VERTICAL = ("UPPER", "CENTER", "LOWER")
PLD_HORIZONTAL = ("LEFT", "CENTER", "RIGHT")
PLD_SHAPES = ("ROUND", "OVAL", "SQUARE", "VERTICALRECTANGLE", "HORIZONTALRECTANGLE", "VERTICALTRAPEZOID",
              "HORIZONTALTRAPEZOID", "UNKNOWN", "CHAMFERED")
# ACPI 6.5 §6.1.8 Table 6.xx: (ToPLD keyword, dword, first bit, width, names) for each _PLD field.
PLD_FIELDS = (
    ("PLD_Revision", 0, 0, 7, None), ("PLD_IgnoreColor", 0, 7, 1, None), ("PLD_Red", 0, 8, 8, None),
    ("PLD_Green", 0, 16, 8, None), ("PLD_Blue", 0, 24, 8, None), ("PLD_Width", 1, 0, 16, None),
    ("PLD_Height", 1, 16, 16, None), ("PLD_UserVisible", 2, 0, 1, None), ("PLD_Dock", 2, 1, 1, None),
    ("PLD_Lid", 2, 2, 1, None), ("PLD_Panel", 2, 3, 3, PLD_PANELS),
    ("PLD_VerticalPosition", 2, 6, 2, PLD_VERTICAL), ("PLD_HorizontalPosition", 2, 8, 2, PLD_HORIZONTAL),
    ("PLD_Shape", 2, 10, 4, PLD_SHAPES), ("PLD_GroupOrientation", 2, 14, 1, None),
    ("PLD_GroupToken", 2, 15, 8, None), ("PLD_GroupPosition", 2, 23, 8, None), ("PLD_Bay", 2, 31, 1, None),
    ("PLD_Ejectable", 3, 0, 1, None), ("PLD_EjectRequired", 3, 1, 1, None), ("PLD_CabinetNumber", 3, 2, 8, None),
    ("PLD_CardCageNumber", 3, 10, 8, None), ("PLD_Reference", 3, 18, 1, None), ("PLD_Rotation", 3, 19, 4, None),
    ("PLD_Order", 3, 23, 5, None), ("PLD_VerticalOffset", 4, 0, 16, None), ("PLD_HorizontalOffset", 4, 16, 16, None),
)
PLD_SIZES = (16, 20)  # revision 1 and revision 2 buffers
INTERRUPT_PINS = ("INTA", "INTB", "INTC", "INTD")  # ACPI 6.5 §6.2.13 _PRT Pin field
# Short descriptions of the predefined names (ACPI 6.5 chapters 5, 6, 7, 9, 10 and 11), after the section
# titles; iasl comments a Name or Method of such a name, and so do we. Families of numbered names are keyed
# by the pattern iasl uses: _ACx, _ALx, _EJx, _Exx, _Lxx, _Qxx, _Wxx.
PREDEFINED = {
    "_ACx": "Active Cooling, x=0-9", "_ADR": "Address", "_AEI": "ACPI Event Interrupts",
    "_ALx": "Active List, x=0-9",
    "_ALI": "Ambient Light Illuminance", "_ALR": "Ambient Light Response", "_ALT": "Ambient Light Temperature",
    "_BBN": "BIOS Bus Number", "_BCL": "Brightness Control Levels", "_BCM": "Brightness Control Method",
    "_BIF": "Battery Information", "_BIX": "Battery Information Extended", "_BST": "Battery Status",
    "_BTP": "Battery Trip Point", "_CBA": "Configuration Base Address", "_CCA": "Cache Coherency Attribute",
    "_CID": "Compatible ID", "_CLS": "Class Code", "_CPC": "Continuous Performance Control",
    "_CRS": "Current Resource Settings", "_CRT": "Critical Temperature", "_CST": "C-States",
    "_DCK": "Dock Present", "_DCS": "Display Current Status", "_DDC": "Display Data Current",
    "_DDN": "DOS Device Name", "_DEP": "Dependencies", "_DGS": "Display Graphics State",
    "_DIS": "Disable Device", "_DMA": "Direct Memory Access", "_DOD": "Display Output Devices",
    "_DOS": "Disable Output Switching", "_DSD": "Device-Specific Data", "_DSM": "Device-Specific Method",
    "_DSS": "Device Set State", "_DSW": "Device Sleep Wake", "_EC_": "Embedded Controller",
    "_EDL": "Eject Device List", "_EJx": "Eject Device, x=0-9", "_EJD": "Ejection Dependent Device",
    "_Exx": "Edge-Triggered GPE, xx=0x00-0xFF", "_FDE": "Floppy Disk Enumerate",
    "_FDI": "Floppy Drive Information",
    "_FIX": "Fixed Register Resource Provider", "_GLK": "Global Lock", "_GPD": "Get Post Data",
    "_GPE": "General Purpose Events", "_GRT": "Get Real Time", "_GTF": "Get Task File", "_GTM": "Get Timing Mode",
    "_HID": "Hardware ID", "_HOT": "Hot Temperature", "_HPP": "Hot Plug Parameters",
    "_HPX": "Hot Plug Parameter Extensions",
    "_HRV": "Hardware Revision", "_INI": "Initialize", "_INT": "Interrupts", "_IRC": "Inrush Current",
    "_LCK": "Lock Device", "_LID": "Lid Status", "_Lxx": "Level-Triggered GPE, xx=0x00-0xFF",
    "_MAT": "Multiple APIC Table Entry", "_MLS": "Multiple Language String", "_MSG": "Message",
    "_MTP": "Memory Type", "_OFF": "Power Off", "_ON_": "Power On", "_OSC": "Operating System Capabilities",
    "_OST": "OSPM Status Indication", "_PAI": "Power Averaging Interval", "_PCL": "Power Consumer List",
    "_PCT": "Performance Control", "_PDC": "Processor Driver Capabilities", "_PIC": "Interrupt Model",
    "_PLD": "Physical Location of Device", "_PPC": "Performance Present Capabilities",
    "_PPE": "Polling for Platform Error", "_PR0": "Power Resources for D0", "_PR1": "Power Resources for D1",
    "_PR2": "Power Resources for D2", "_PR3": "Power Resources for D3hot", "_PRE": "Power Resources for Enumeration",
    "_PRR": "Power Resource for Reset", "_PRS": "Possible Resource Settings", "_PRT": "PCI Routing Table",
    "_PRW": "Power Resources for Wake", "_PS0": "Power State 0", "_PS1": "Power State 1", "_PS2": "Power State 2",
    "_PS3": "Power State 3", "_PSC": "Power State Current", "_PSD": "Power State Dependencies",
    "_PSL": "Passive List", "_PSR": "Power Source", "_PSS": "Performance Supported States",
    "_PSV": "Passive Temperature", "_PSW": "Power State Wake", "_PTC": "Processor Throttling Control",
    "_PTS": "Prepare To Sleep", "_PXM": "Device Proximity", "_Qxx": "EC Query, xx=0x00-0xFF",
    "_REG": "Region Availability", "_RMV": "Removal Status", "_ROM": "Read-Only Memory", "_RST": "Device Reset",
    "_S0_": "S0 System State", "_S1_": "S1 System State", "_S2_": "S2 System State", "_S3_": "S3 System State",
    "_S4_": "S4 System State", "_S5_": "S5 System State", "_S0D": "S0 Device State", "_S1D": "S1 Device State",
    "_S2D": "S2 Device State", "_S3D": "S3 Device State", "_S4D": "S4 Device State", "_S0W": "S0 Device Wake State",
    "_S1W": "S1 Device Wake State", "_S2W": "S2 Device Wake State", "_S3W": "S3 Device Wake State",
    "_S4W": "S4 Device Wake State", "_SB_": "System Bus", "_SBS": "Smart Battery Subsystem",
    "_SCP": "Set Cooling Policy", "_SDD": "Set Device Data", "_SEG": "PCI Segment", "_SI_": "System Indicators",
    "_SPD": "Set Post Device", "_SRS": "Set Resource Settings", "_SST": "System Status", "_STA": "Status",
    "_STM": "Set Timing Mode", "_STR": "Description String", "_SUB": "Subsystem ID", "_SUN": "Slot User Number",
    "_SWS": "System Wake Source", "_TC1": "Thermal Constant 1", "_TC2": "Thermal Constant 2",
    "_TMP": "Temperature", "_TPC": "Throttling Present Capabilities", "_TSD": "Throttling State Dependencies",
    "_TSP": "Thermal Sampling Period", "_TSS": "Throttling Supported States", "_TZ_": "Thermal Zone",
    "_TZD": "Thermal Zone Devices", "_TZP": "Thermal Zone Polling", "_UID": "Unique ID",
    "_UPC": "USB Port Capabilities", "_UPD": "User Presence Detect", "_UPP": "User Presence Polling",
    "_WAK": "Wake", "_Wxx": "Wake Event, xx=0x00-0xFF",
    # ACPI 6.5 §19.3.3: the names of resource descriptor fields, which a Create*Field may point at
    "_ALN": "Alignment", "_ASI": "Address Space Id", "_ASZ": "Access Size", "_ATT": "Type-Specific Attributes",
    "_BAS": "Base Address", "_BM_": "Bus Master", "_DBT": "Debounce Timeout", "_DEC": "Decode",
    "_DPL": "Device Selection Polarity", "_DRS": "Drive Strength", "_END": "Endian", "_FLC": "Flow Control",
    "_FUN": "Function Number", "_GRA": "Granularity", "_HE_": "High-Edge", "_IOR": "I/O Restriction",
    "_LEN": "Length", "_LIN": "Lines In Use", "_LL_": "Low Level", "_MAF": "Maximum Address Fixed",
    "_MAX": "Maximum Base Address", "_MEM": "Memory Attributes", "_MIF": "Minimum Address Fixed",
    "_MIN": "Minimum Base Address", "_MOD": "Mode", "_PAR": "Parity", "_PHA": "Clock Phase", "_POL": "Polarity",
    "_PPI": "Pin Configuration", "_RBO": "Register Bit Offset", "_RBW": "Register Bit Width", "_RNG": "Range",
    "_RW_": "Read-Write Status", "_RXL": "Receive Buffer Size", "_SHR": "Sharable", "_SIZ": "Size",
    "_SLV": "Slave Mode", "_SPE": "Connection Speed", "_STB": "Stop Bits", "_TRA": "Translation",
    "_TRS": "Translation Sparse", "_TTP": "Translation Type", "_TXL": "Transmit Buffer Size", "_TYP": "Type",
    "_VAL": "Pin Configuration Value",
}

# MethodFlags as plain ints: IntFlag's operators cost a Python call each, on every Method.
_ARG_COUNT, _SERIALIZED, _SYNC_LEVEL = int(MethodFlags.ARG_COUNT), int(MethodFlags.SERIALIZED), \
    int(MethodFlags.SYNC_LEVEL)
_MISSING = object()
_INDENT = tuple("    " * level for level in range(256))
# iasl starts a new line once a statement has printed more than this many operands (it counts parse nodes).
_WRAP_AFTER = 12
# The three kinds of element iasl lays out differently: a bare operand, an operator with a parenthesised
# argument list, and a block with braces (EMPTY: one whose braces stay empty, printed as " {}").
_LEAF, _PAREN, _BLOCK, _EMPTY = range(4)
# Where an element sits: a statement of a term or field list, an element of a Package, an operand, the
# leading parameter of a block (If's predicate, a Package's count), or an operand that names an object rather
# than calling it (a SimpleName or a data object: ACPI 6.5 §20.2.6.2), where a method's name is not a call.
_TERM, _ELEMENT, _OPERAND, _PARAM, _REFERENCE = range(5)


def table_asl(table: AmlTable, *, names: Names | None = None, tables: Sequence[AmlTable] = ()) -> str:
    """The .dsl text of one decoded DSDT or SSDT, as `iasl -dl` writes it (from the DefinitionBlock on).

    `names` is the table set's namespace (the table's own by default); `tables` are the set's other decoded
    tables, which type the External () of a Name they declare (IntObj, PkgObj...) as iasl does.
    """
    names = names if names is not None else table.names
    # The walk allocates many small tuples and lists; the cyclic collector would run over them for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _table_text(table, names, tables)
    finally:
        if collecting:
            gc.enable()


def _table_text(table: AmlTable, names: Names, tables) -> str:
    writer = _Writer(names, value_types=_name_value_types(tables))
    writer.prepare(table.terms)
    header = table.header
    parts = writer.parts
    parts.append(_header_comment(table))
    parts.append(f'DefinitionBlock ("", "{_field_text(header[0:4])}", {header[8] if len(header) > 8 else 0}, '
                 f'"{_field_text(header[10:16])}", "{_field_text(header[16:24])}", '
                 f'0x{int.from_bytes(header[24:28], "little"):08X})\n{{\n')
    externals_at = len(parts)
    parts.append("")
    writer.term_list(table.terms, 1, ())
    parts.append("}\n\n")
    parts[externals_at] = writer.externals_text()
    return "".join(parts)


def node_asl(node, indent: str = "", *, names: Names | None = None, scope: tuple = ()) -> str:
    """One object or statement (a Method, a Name, a Device...) as iasl would print it at `indent`, without the
    line break after it. With `names` (the table set's) and `scope` (the path the node sits in), a name is
    known for a method call, and a target's comment says what it resolves to."""
    writer = _Writer(names if names is not None else Names(), comments=names is not None)
    level = len(indent) // 4
    writer.prepare([node])
    writer.parts.append(indent[:len(indent) - 4 * level])
    if type(node) in (FieldUnit, FieldAccess, FieldConnect):
        writer.field_list([node], level, tuple(scope))  # one line of a Field's list
    else:
        writer.term_list([node], level, tuple(scope))
    return "".join(writer.parts).rstrip("\n")


# --- the header ---------------------------------------------------------------------------------------------

def _field_text(raw: bytes) -> str:
    """A header text field as iasl's %.Ns prints it: up to the first NUL."""
    return raw.split(b"\0", 1)[0].decode("latin-1")


def _header_comment(table: AmlTable) -> str:
    header = table.header
    if len(header) < 36:
        return ""
    length = int.from_bytes(header[4:8], "little")
    revision = header[8]
    remark = " **** 32-bit table (V1), no 64-bit math support" if revision == 1 and header[:4] == b"DSDT" else ""
    oem_revision = int.from_bytes(header[24:28], "little")
    compiler_revision = int.from_bytes(header[32:36], "little")
    return ("/*\n"
            " * Original Table Header:\n"
            f' *     Signature        "{_field_text(header[0:4])}"\n'
            f" *     Length           0x{length:08X} ({length})\n"
            f" *     Revision         0x{revision:02X}{remark}\n"
            f" *     Checksum         0x{header[9]:02X}\n"
            f' *     OEM ID           "{_field_text(header[10:16])}"\n'
            f' *     OEM Table ID     "{_field_text(header[16:24])}"\n'
            f" *     OEM Revision     0x{oem_revision:08X} ({oem_revision})\n"
            f' *     Compiler ID      "{_field_text(header[28:32])}"\n'
            f" *     Compiler Version 0x{compiler_revision:08X} ({compiler_revision})\n"
            " */\n")


def _name_value_types(tables) -> dict:
    """path -> the ObjectType keyword of each Name the tables declare outside method bodies (IntObj...)."""
    types: dict[tuple, str] = {}
    stack = [(list(table.terms), ()) for table in tables]
    while stack:
        terms, scope = stack.pop()
        for term in terms:
            if type(term) is not Op:
                continue
            name = term.spec.name
            if name == "Name":
                types.setdefault(resolve(scope, term.args[0]), _value_type(term.args[1]))
            elif name in NAMED_BLOCKS and name != "Method":
                stack.append((term.args[-1], resolve(scope, term.args[0])))
            elif name in ("If", "Else", "While"):
                stack.append((term.args[-1], scope))
    return types


def _value_type(value) -> str:
    return VALUE_TYPES.get(value.spec.name, "UnknownObj") if type(value) is Op else "UnknownObj"


# --- values -----------------------------------------------------------------------------------------------------

def _quote(data: bytes) -> str:
    """A string literal as iasl writes it, with its escapes; a byte above 0x7F as \\x (iasl writes it sign
    extended, \\xFFFFFF80, which its own compiler refuses)."""
    out = ['"']
    for byte in data:
        if 0x20 <= byte < 0x7F:
            out.append("\\" + chr(byte) if byte in (0x22, 0x27, 0x5C) else chr(byte))
        else:
            out.append(_ESCAPES.get(byte) or f"\\x{byte:02X}")
    out.append('"')
    return "".join(out)


_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v"}


def _integer(node):
    """The value of an integer constant (ACPI 6.5 §20.2.3), or None when the node is not one."""
    if type(node) is Op:
        name = node.spec.name
        if name in _INTEGER_FORMATS:
            return node.args[0]
        return CONSTANTS.get(name)
    return None


def _eisa_id(value: int) -> str | None:
    """The EisaId () text of a compressed EISA ID, or None when its three letters are not all A-Z (the test
    iasl applies to a _HID or _CID integer). ACPI 6.5 §6.1.5."""
    swapped = int.from_bytes(value.to_bytes(4, "little"), "big")
    letters = [((swapped >> shift) & 0x1F) + 0x40 for shift in (26, 21, 16)]
    if any(not 0x41 <= letter <= 0x5A for letter in letters):
        return None
    return 'EisaId ("' + "".join(map(chr, letters)) + f'{swapped & 0xFFFF:04X}")'


def _predefined(segment: str) -> str | None:
    """The comment iasl puts after a Name or Method of a predefined name: "_HID: Hardware ID"."""
    if not segment.startswith("_"):
        return None
    key = segment
    hex_tail = all(c in "0123456789ABCDEF" for c in segment[2:])
    second = segment[1]
    if second == "A" and segment[3].isdigit() and segment[2] in "CL":
        key = "_" + "A" + segment[2] + "x"
    elif second == "E":
        key = "_EJx" if segment[2] == "J" and segment[3].isdigit() else ("_Exx" if hex_tail else segment)
    elif second in "LQW" and hex_tail:
        key = "_" + second + "xx"
    elif second == "T" and segment[2] == "_":
        return None
    description = PREDEFINED.get(key)
    return f"{key}: {description}" if description else None


def _is_uuid(data: bytes) -> bool:
    """ToUUID's 16 bytes, as iasl recognises them: the version nibble 1-5 and the variant bits 10x (RFC 4122)."""
    return len(data) == 16 and 0x10 <= data[7] & 0xF0 <= 0x50 and 0x80 <= data[8] & 0xF0 <= 0xB0


def _uuid_text(data: bytes) -> str:
    return (f"{int.from_bytes(data[0:4], 'little'):08x}-{int.from_bytes(data[4:6], 'little'):04x}-"
            f"{int.from_bytes(data[6:8], 'little'):04x}-{data[8:10].hex()}-{data[10:16].hex()}")


def _is_unicode(data: bytes) -> bool:
    """Unicode ()'s UTF-16 of printable ASCII, NUL-terminated."""
    if len(data) < 4 or len(data) % 2 or data[-2:] != b"\0\0":
        return False
    return all(0x20 <= data[i] < 0x7F and data[i + 1] == 0 for i in range(0, len(data) - 2, 2))


def _is_string_buffer(data: bytes) -> bool:
    """A Buffer initialised from a string: printable ASCII then one NUL (but not the two bytes of a lone End
    Tag, 79 00, which iasl keeps as bytes)."""
    if len(data) < 2 or data[-1] != 0 or (len(data) == 2 and data[0] == 0x79):
        return False
    return all(0x20 <= byte < 0x7F for byte in data[:-1])


# --- the writer -------------------------------------------------------------------------------------------------

# Operators printed as their name alone.
_BARE = {spec.name: spec.name for spec in OPCODES if not spec.args}
_OPEN = {spec.name: spec.name + " (" for spec in OPCODES}
# Operators whose SuperName operand iasl reads as a SimpleName, never a call (ACPI 6.5 §19.6.16, .98, .115).
_SIMPLE_NAME_OPERATORS = frozenset({"CopyObject", "ObjectType", "RefOf"})
# A byte list's bytes as iasl prints them, and the characters of its comment column ("." where unprintable).
_BYTE_TEXT = tuple(" 0x%02X" % byte for byte in range(256))
_SHOWN_CHARACTERS = {byte: "." for byte in range(256) if not 0x20 <= byte < 0x7F}
_INTEGER_FORMATS = {"BytePrefix": "0x%02X", "WordPrefix": "0x%04X", "DWordPrefix": "0x%08X",
                    "QWordPrefix": "0x%016X"}
# The opcodes node() prints itself: an operator without operands as its name, an integer by its format.
_LEAVES = {**_BARE, **_INTEGER_FORMATS}
_FIXED_FORMATS = {"B": "0x%02X", "W": "0x%04X", "D": "0x%08X", "Q": "0x%016X"}


def _places(spec) -> tuple[str | int, ...]:
    """Where each operand of an operator sits: a TermArg as an _OPERAND; a data object, or the SimpleName of
    CopyObject, ObjectType and RefOf, as a _REFERENCE; a Target or SuperName as an _OPERAND too, since iasl
    reads a method's name there as a call; a number or NameString by its format."""
    places: list[str | int] = []  # a format, "N", or _REFERENCE or _OPERAND
    for kind in ARG_KINDS[spec.name]:
        if kind in _FIXED_FORMATS:
            places.append(_FIXED_FORMATS[kind])
        elif kind == "N":
            places.append("N")
        elif kind == "O" or (kind == "U" and spec.name in _SIMPLE_NAME_OPERATORS):
            places.append(_REFERENCE)
        else:
            places.append(_OPERAND)
    return tuple(places)


_PLACES = {spec.name: _places(spec) for spec in OPCODES}


class _Writer:
    """One walk over a term tree, appending text to `parts`; also gathers what External () must declare."""

    def __init__(self, names: Names, value_types: dict | None = None, comments: bool = True):
        self.parts: list[str] = []
        self.comments = comments  # the comments naming what a relative target resolves to
        self.names = names
        self.types = names.types
        self.externals = names.externals
        self.arguments = names.arguments
        self.value_types = value_types or {}
        self.count = 0  # operands printed since the statement began, for iasl's line wrap
        self.last_level = 0  # the level of the statement being printed
        self.declared: set = set()  # paths this table declares
        self.used: set = set()  # paths declared elsewhere that the table uses
        self.unresolved: dict = {}  # External () path text -> type keyword, for names declared nowhere
        self.own_externals: dict = {}  # path -> (ObjectType, argument count) of this table's External ()
        self.own_methods: set = set()  # the paths of the methods this table declares
        self.prt_paths: set = set()  # Names whose package is a _PRT's routing table
        self.prt_packages: set = set()  # id() of Packages a _PRT method returns directly
        self.commented = None  # the Name whose predefined-name comment is printed already
        self.name_path = ()  # the path of the Name whose value is being printed
        # (scope, segment) for a lone segment (search_outward's), else (scope, prefix, segments) -> the path the
        # name resolves to, or None
        self.found: dict = {}
        self.known: set[tuple] | None = None  # every path the set declares, asked for on the first lookup
        self.texts: dict = {}  # (prefix, segments) -> the name as printed
        self.references: dict = {}  # (scope, prefix, segments) -> (name as printed, called) of operand names
        self.templates: dict = {}  # path -> the Buffer of each Name whose value iasl prints as a template
        self.descriptor_names: dict = {}  # id() of such a Buffer -> {descriptor offset: "_Y00"}
        self.next_descriptor = 0
        self.descriptors: dict = {}  # id() of such a Buffer -> its descriptors, as resources reads them
        self.tag_paths: dict = {}  # id() of a Create*Field -> (the path of the field it points at, the tag)
        self.guesses: dict = {}  # path text of a method no table declares -> the arguments its calls take

    # --- before printing ---

    def prepare(self, terms: list) -> None:
        """Read ahead what the printing needs: the table's External () declarations (they decide whether a
        name is a method iasl calls), the routing tables of its _PRT methods, the resource descriptors its
        Create*Field operators point into, and the calls of methods no table declares."""
        creates: list[tuple[tuple, Op]] = []  # (scope, Create*Field node)
        statements: list[tuple[list, int, tuple]] = []  # (term list, index, scope) of each name alone
        self._scan(terms, (), creates, statements)
        for scope, node in creates:
            self._tag_reference(scope, node)
        for terms, index, scope in statements:
            self._guess_call(terms, index, scope)

    def _scan(self, terms: list, scope: tuple, creates: list, statements: list) -> None:
        for index, term in enumerate(terms):
            kind = type(term)
            if kind is NameRef:
                statements.append((terms, index, scope))  # a name alone: a call, maybe of a method unknown
                continue
            if kind is not Op:
                continue
            name = term.spec.name
            if name not in _SCANNED:
                continue  # most statements (Store, Return, Notify...) hold nothing prepare() looks for
            args = term.args
            if name == "Name":
                value = args[1]
                if type(value) is Op and value.spec.name == "Buffer" and _is_template_buffer(value):
                    self.templates[resolve(scope, args[0])] = value
                if args[0].segments[-1:] == ("_PRT",):
                    self.prt_packages.add(id(value))
            elif name in _CREATE_FIELDS:
                creates.append((scope, term))
            elif name == "Method":
                inner = resolve(scope, args[0])
                self.own_methods.add(inner)
                if args[-1] is not None:
                    if args[0].segments[-1:] == ("_PRT",):
                        self._prt_returns(args[-1], inner)
                    self._scan(args[-1], inner, creates, statements)
            elif name in NAMED_BLOCKS:
                self._scan(args[-1], resolve(scope, args[0]), creates, statements)
            elif name in ("If", "Else", "While"):
                self._scan(args[-1], scope, creates, statements)
            elif name == "External":
                self.own_externals.setdefault(resolve(scope, args[0]), (args[1], args[2] & _ARG_COUNT))

    def _guess_call(self, terms: list, index: int, scope: tuple) -> None:
        """A name standing alone as a statement names a method; when no table declares it, iasl guesses its
        argument count from the statements after it that can only be arguments, and so do we: the smallest
        count over all its calls, so that every call agrees."""
        name = terms[index].name
        if not name.segments or not self._unknown_method(scope, name):
            return
        count = 0
        for follower in terms[index + 1:index + 8]:
            if not _could_be_argument(follower):
                break
            count += 1
        key = _written(scope, name)
        self.guesses[key] = min(count, self.guesses.get(key, count))

    def _unknown_method(self, scope: tuple, name: NameString) -> bool:
        """Whether nothing says what a name is: no table declares it, or only an untyped External () does."""
        path = self.lookup(scope, name)
        if path is None:
            return True
        if path in self.types:
            return False
        external = self.own_externals.get(path) or self.externals.get(path)
        return external is None or external[0] == ObjectType.UNKNOWN

    def _tag_reference(self, scope: tuple, node: Op) -> None:
        """A Create*Field at a constant offset into a Name's ResourceTemplate: iasl names the descriptor
        (_Y00, _Y01... in the order they are first pointed into) and writes the offset as the path of the
        descriptor's field (\\_SB.PCI0._Y00._MIN)."""
        source, index = node.args[0], node.args[1]
        if type(source) is not NameRef or type(index) is not Op or index.spec.name not in _TAG_OFFSETS:
            return
        # iasl reads the offset of Zero, One and Ones as 0 (its parser gives those opcodes no value)
        offset = index.args[0] if index.spec.name in _INTEGER_FORMATS else 0
        path = self.lookup(scope, source.name)
        buffer = self.templates.get(path)
        if buffer is None:
            return
        bit = offset if node.spec.name in ("CreateBitField", "CreateField") else offset * 8
        data = buffer.args[1]
        descriptors = self.descriptors.get(id(buffer))
        if descriptors is None:
            descriptors = self.descriptors[id(buffer)] = _resources.decode_template(data) or []
        found = next((d for d in descriptors if d.offset <= bit // 8 < d.offset + d.length), None)
        if found is None:
            return
        start = found.offset
        tag = _resource_tag(found.macro, data[start:start + found.length], bit - 8 * start)
        if tag is None:
            return
        names = self.descriptor_names.setdefault(id(buffer), {})
        if start not in names:
            number = self.next_descriptor
            self.next_descriptor += 1
            names[start] = "_" + "YZJKX"[(number >> 8) % 5] + f"{number & 0xFF:02X}"
        shown = [segment.rstrip("_") or "_" for segment in path[:-1]]
        self.tag_paths[id(node)] = ("\\" + ".".join(shown + [names[start], tag.rstrip("_") or "_"]), tag)

    def _prt_returns(self, body: list, method: tuple) -> None:
        for term in body:
            if type(term) is not Op:
                continue
            if term.spec.name == "Return":
                value = term.args[0]
                if type(value) is NameRef:
                    path = self.lookup(method, value.name)
                    if path is not None:
                        self.prt_paths.add(path)
                elif type(value) is Op and value.spec.name == "Package":
                    self.prt_packages.add(id(value))
            elif term.spec.name in ("If", "Else", "While"):
                self._prt_returns(term.args[-1], method)

    # --- names ---

    def lookup(self, scope: tuple, name: NameString):
        """The declared path a name refers to from `scope` (ACPI 6.5 §5.3: a lone segment is searched for in
        the enclosing scopes too), or None."""
        known = self.known
        if known is None:
            known = self.known = self.names.paths()
        if not name.prefix and len(name.segments) == 1:
            return search_outward(known, scope, name.segments, self.found)
        key = (scope, name.prefix, name.segments)
        found = self.found.get(key, _MISSING)
        if found is _MISSING:
            path = resolve(scope, name)
            found = self.found[key] = path if path in known else None
        return found

    def refer(self, scope: tuple, name: NameString, kind: str = "UnknownObj", conditional: bool = False):
        """Note a name the table uses; returns the path it resolves to, or None."""
        if not name.segments:
            return None
        path = self.lookup(scope, name)
        if path is None:
            if not conditional:  # CondRefOf asks whether the object exists: it needs no External ()
                written = _written(scope, name)
                if self.unresolved.get(written, "UnknownObj") == "UnknownObj":
                    self.unresolved[written] = kind  # iasl lets a later use give an untyped name its type
        elif path not in PREDEFINED_PATHS:
            self.used.add(path)
        return path

    def reference(self, scope: tuple, name: NameString) -> tuple:
        """A name used as an operand, noted once per scope: (its text, whether iasl calls it there)."""
        path = self.refer(scope, name)
        entry = (self.name_text(name), path is not None and self.is_call(path))
        self.references[(scope, name.prefix, name.segments)] = entry
        return entry

    def is_call(self, path) -> bool:
        """Whether iasl calls a name that resolves to `path` and takes no arguments: a method the table
        declares is one; else the table's own External () decides if it has one, else the declaration."""
        own = self.own_externals.get(path)
        if own is not None and path not in self.own_methods:
            return own[0] == ObjectType.METHOD and own[1] == 0
        return self.arguments.get(path) == 0

    def name_text(self, name: NameString) -> str:
        key = (name.prefix, name.segments)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = name.asl()
        return text

    def externals_text(self) -> str:
        """The External () lines iasl puts at the top: the table's own, then every name it uses that another
        table declares, then every name nothing declares (typed by its use), sorted as iasl sorts them."""
        entries = {}
        for path, (object_type, argument_count) in self.own_externals.items():
            if path in self.declared:
                continue  # the table declares it itself: an External () would clash
            text = ".".join(path)
            kind = OBJECT_TYPE_KEYWORDS[object_type] if object_type < len(OBJECT_TYPE_KEYWORDS) else "UnknownObj"
            arguments = f"    // {argument_count} Arguments" if kind == "MethodObj" else ""
            entries[text] = f"    External ({text}, {kind}){arguments}\n"
        for path in self.used:
            text = ".".join(path)
            if path in self.declared or text in entries:
                continue
            declared = self.types.get(path)
            arguments = ""
            if declared is None:
                object_type, argument_count = self.externals[path]
                kind = OBJECT_TYPE_KEYWORDS[object_type] if object_type < len(OBJECT_TYPE_KEYWORDS) \
                    else "UnknownObj"
                if kind == "MethodObj":
                    arguments = f"    // {argument_count} Arguments"
            elif declared == "Name":
                kind = self.value_types.get(path, "UnknownObj")
            else:
                kind = DECLARED_TYPES.get(declared, "UnknownObj")
                if declared == "Method":
                    arguments = f"    // {self.arguments.get(path, 0)} Arguments"
            entries[text] = f"    External ({text}, {kind}){arguments}\n"
        for text, kind in self.unresolved.items():
            guessed = self.guesses.get(text) if kind == "MethodObj" else None
            remark = f"    // Warning: Unknown method, guessing {guessed} arguments" if guessed is not None else ""
            entries.setdefault(text, f"    External ({text}, {kind}){remark}\n")
        if not entries:
            return ""
        # iasl compares case-insensitively, which puts "_" (0x5F) before the letters (lower-cased, 0x61-)
        return "".join(entries[key] for key in sorted(entries, key=str.lower)) + "\n"

    def declare(self, scope: tuple, spec, args: list) -> tuple:
        path = resolve(scope, declared_name(spec, args))
        self.declared.add(path)
        return path

    # --- layout primitives ---

    def wrap(self) -> None:
        """iasl breaks a statement after twelve operands, one level deeper than the statement."""
        self.count = 0
        self.parts.append("\n" + _INDENT[self.last_level + 1])

    def tick(self) -> None:
        self.count += 1
        if self.count > _WRAP_AFTER:
            self.wrap()

    def start(self, level: int) -> None:
        """A new statement or element: its indentation, and the operand count starts again."""
        self.parts.append(_INDENT[level])
        self.count = 0
        self.last_level = level

    # --- lists ---

    def term_list(self, terms: list, level: int, scope: tuple) -> None:
        """The statements of a block, each on its own line at `level`, a blank line after each block that is
        not the last, nor an If followed by its Else."""
        parts = self.parts
        indent = _INDENT[level]
        last = len(terms) - 1
        skip = 0
        for index, term in enumerate(terms):
            if skip:
                skip -= 1  # an argument of the guessed call before it
                continue
            kind = type(term)
            name = None
            if kind is Op:
                name = term.spec.name
                if name == "External" or (name == "If" and _hidden(term)):
                    continue  # listed at the top
                if name == "Else" and _folds(term):
                    self.else_if(term, level, scope, terms[index + 1] if index < last else None)
                    continue
            parts.append(indent)
            self.count = 0
            self.last_level = level
            if kind is Raw:
                self.raw(term, level)
                continue
            if kind is NameRef and self.guesses:
                skip = self.guessed_call(term, terms[index + 1:], level, scope)
                if skip is not None:
                    parts.append("\n")
                    continue
                skip = 0
            if self.node(term, level, scope, _TERM, None) == _BLOCK:
                following = terms[index + 1] if index < last else None
                if following is None or (name == "If" and type(following) is Op and following.spec.name == "Else"):
                    parts.append("\n")
                else:
                    parts.append("\n\n")
            else:
                parts.append("\n")

    def else_if(self, node: Op, level: int, scope: tuple, following) -> None:
        """An Else that holds only an If (and that If's Else), printed as iasl folds it: ElseIf, then the
        inner Else on the same level, folded in turn."""
        parts = self.parts
        body = node.args[0]
        parts.append(_INDENT[level])
        self.count = 0
        self.last_level = level
        self.tick()  # the Else that iasl folds away is counted, and the If
        self.tick()
        inner = body[1] if len(body) == 2 else None
        after = inner if inner is not None else following
        if self.op_If(body[0], level, scope, _TERM, None, "ElseIf") == _BLOCK and after is not None \
                and not (type(after) is Op and after.spec.name == "Else"):
            parts.append("\n\n")
        else:
            parts.append("\n")
        if inner is None:
            return
        if _folds(inner):
            self.else_if(inner, level, scope, following)
            return
        parts.append(_INDENT[level])
        self.count = 0
        self.last_level = level
        self.node(inner, level, scope, _TERM, None)
        parts.append("\n" if following is None else "\n\n")

    def guessed_call(self, term: NameRef, following: list, level: int, scope: tuple):
        """A method no table declares, called as a statement: its name and the arguments guessed for it (the
        same statements, so the same bytes), declared MethodObj. Returns how many statements it took, or
        None when the name is not such a method."""
        name = term.name
        key = _written(scope, name)
        count = self.guesses.get(key)
        if count is None or not self._unknown_method(scope, name):
            return None
        arguments = following[:count]
        self.tick()
        self.parts.append(self.name_text(name) + " (")
        self.refer(scope, name, "MethodObj")
        self.operands(arguments, level + 1, scope)
        self.parts.append(")")
        return count

    def element_list(self, elements: list, level: int, scope: tuple, prt: bool, name_op=None) -> None:
        """The elements of a Package, one a line, comma-separated, a blank line after each inner block."""
        parts = self.parts
        last = len(elements) - 1
        indent = _INDENT[level]
        for index, element in enumerate(elements):
            more = index < last
            parts.append(indent)
            self.count = 0
            self.last_level = level
            if type(element) is Raw:
                self.raw(element, level)
                continue
            shape = self.node(element, level, scope, _ELEMENT, name_op)
            if more:
                parts.append(", ")
            if prt:
                routing = _routing_comment(element, self, scope)
                if routing:
                    parts.append((" // " if more else "  // ") + routing)  # two spaces, the comma's included
            if shape == _BLOCK:
                parts.append("\n\n" if more else "\n")
            elif shape != _PAREN or not more:  # iasl leaves the line open after a call that is not last
                parts.append("\n")

    def field_list(self, elements: list, level: int, scope: tuple) -> None:
        """Field units, one a line: a gap as Offset () when it ends byte-aligned, else as an unnamed width."""
        parts = self.parts
        bit_offset = 0
        last = len(elements) - 1
        for index, element in enumerate(elements):
            comma = ", " if index < last else ""
            self.start(level)
            kind = type(element)
            self.tick()
            if kind is FieldUnit:
                bit_offset += element.bits
                if element.name is not None:
                    shown = element.name.rstrip("_") or "_"
                    self.declared.add(scope + (element.name,))
                    parts.append(f"{shown},{' ' * (5 - len(shown))}  {element.bits}{comma}\n")
                elif bit_offset % 8 == 0:
                    parts.append(f"Offset (0x{bit_offset // 8:02X}){comma}\n")
                else:
                    parts.append(f"    ,   {element.bits}{comma}\n")
            elif kind is FieldAccess:
                access = element.access_type & 0x07
                attribute = ACCESS_ATTRIBUTES.get(element.attrib) or f"0x{element.attrib:02X}"
                if element.length is not None:
                    attribute += f" (0x{element.length:02X})"
                parts.append(f"AccessAs ({_ACCESS_TYPES[access]}, {attribute}){comma}\n")
            elif kind is FieldConnect:
                target = element.target
                if type(target) is NameString:
                    self.refer(scope, target)
                    parts.append(f"Connection ({self.name_text(target)}){comma}\n")
                else:
                    parts.append("Connection (\n")
                    data = target.args[1] if type(target) is Op and target.spec.name == "Buffer" else b""
                    for line in _resources.descriptor_asl(data, _INDENT[level + 1]):
                        parts.append(line + "\n")
                    parts.append(f"{_INDENT[level]}){comma}\n")
            else:
                self.raw(element, level)

    def raw(self, node: Raw, level: int) -> None:
        """Bytes the decoder could not read, kept visible as a comment (no ASL writes them back)."""
        parts = self.parts
        data = node.data
        parts.append(f"// Undecoded AML at offset 0x{node.offset:X}, {len(data)} bytes:\n")
        for start in range(0, len(data), 16):
            parts.append(_INDENT[level] + "// " + " ".join(f"{b:02X}" for b in data[start:start + 16]) + "\n")

    def byte_list(self, data: bytes, level: int) -> None:
        """A Buffer's bytes, eight a line, each line's offset in a comment when there are more than eight."""
        parts = self.parts
        size = len(data)
        indent = _INDENT[level]
        for start in range(0, size, 8):
            chunk = data[start:start + 8]
            line = [indent]
            if size > 8:
                line.append(f"/* {start:04X} */ ")
            line.append(",".join([_BYTE_TEXT[byte] for byte in chunk]))
            line.append("," if start + 8 < size else " ")
            line.append("      " * (8 - len(chunk)))
            line.append("  // ")
            line.append(chunk.decode("latin-1").translate(_SHOWN_CHARACTERS))
            line.append("\n")
            parts.append("".join(line))

    # --- one node ---

    def node(self, node, level: int, scope: tuple, where: int, name_op) -> int:
        """Print one node (its operands and braces included, not the comma or line break after it) and say
        which shape it was. `name_op` is the Name whose value this is, for the predefined-name comment."""
        count = self.count + 1
        if count > _WRAP_AFTER:
            self.wrap()
        else:
            self.count = count
        kind = type(node)
        if kind is Op:
            name = node.spec.name
            leaf = _LEAVES.get(name)
            if leaf is not None:
                if not node.args:
                    self.parts.append(leaf)
                    return _LEAF
                value = node.args[0]
                if name_op is not None and (name == "DWordPrefix" or name == "WordPrefix") \
                        and name_op.args[0].segments[-1:] in (("_HID",), ("_CID",)):
                    text = _eisa_id(value)
                    if text is not None:
                        self.parts.append(text)
                        return _LEAF
                self.parts.append(leaf % value)
                return _LEAF
            return _HANDLERS[name](self, node, level, scope, where, name_op)
        if kind is NameRef:
            name = node.name
            entry = self.references.get((scope, name.prefix, name.segments))
            if entry is None:
                entry = self.reference(scope, name)
            if entry[1] and where != _REFERENCE and where != _ELEMENT:
                self.parts.append(entry[0] + " ()")  # a method of no arguments, called (ACPI 6.5 §20.2.5.4)
                return _PAREN
            self.parts.append(entry[0])
            return _LEAF
        if kind is Call:
            self.parts.append(self.name_text(node.name) + " (")
            self.refer(scope, node.name)
            self.operands(node.args, level + 1, scope)
            self.parts.append(")")
            return _PAREN
        if kind is Raw:
            self.raw(node, level)
            return _LEAF
        self.parts.append(f"/* {kind.__name__} */")
        return _LEAF

    def operands(self, args: list, level: int, scope: tuple, places: tuple = ()) -> None:
        """Operands, comma-separated; a NullName target is left out, and so is its comma when it is last.
        `places` says, for each, where it sits (_OPERAND by default) or how a fixed-size number or a
        NameString among them prints."""
        parts = self.parts
        visit = self.node
        last = len(args) - 1
        for index, arg in enumerate(args):
            place = places[index] if places else _OPERAND
            if type(place) is int:
                visit(arg, level, scope, place, None)
            elif place == "N":
                self.tick()
                parts.append(self.name_text(arg))
                self.refer(scope, arg)
            else:
                self.tick()
                parts.append(place % arg)
            if index < last:
                if index + 1 == last:
                    following = args[last]
                    if type(following) is NameRef and following.name.form == "null" and not following.name.prefix:
                        continue
                parts.append(", ")

    def operator(self, node: Op, level: int, scope: tuple, where, name_op) -> int:
        """A type 1 or type 2 operator: its name and operands in parentheses, and a comment naming what a
        relative target resolves to."""
        name = node.spec.name
        self.parts.append(_OPEN[name])
        self.operands(node.args, level + 1, scope, _PLACES[name])
        self.parts.append(")")
        if name in TARGET_OPERATORS:
            self.target_comment(node.args[-1], scope)
        return _PAREN

    def target_comment(self, target, scope: tuple, value: bool = False) -> None:
        """iasl names the object a relative target (or a returned name) resolves to, in a comment."""
        if type(target) is not NameRef or not target.name.segments or not self.comments:
            return
        name = target.name
        path = self.lookup(scope, name)
        if path is None or (path not in self.types and path not in PREDEFINED_PATHS) or path in self.own_externals:
            if not (value and path is not None and self.is_call(path)):
                self.parts.append(" /* External reference */")
        elif name.prefix != "\\" and not (value and self.is_call(path)):
            self.parts.append(" /* \\" + ".".join(path) + " */")

    def op_StringPrefix(self, node, level, scope, where, name_op):
        self.parts.append(_quote(node.args[0]))
        return _LEAF

    def op_LNot(self, node, level, scope, where, name_op):
        operand = node.args[0]
        folded = LNOT_FOLDS.get(operand.spec.name) if type(operand) is Op else None
        if folded is None:
            return self.operator(node, level, scope, where, name_op)
        self.tick()  # iasl counts the folded-in operator too
        self.parts.append(folded + " (")
        self.operands(operand.args, level + 2, scope)
        self.parts.append(")")
        return _PAREN

    def op_Match(self, node, level, scope, where, name_op):
        parts = self.parts
        package, first, first_operand, second, second_operand, start = node.args
        parts.append("Match (")
        self.node(package, level + 1, scope, _OPERAND, None)
        for keyword, operand in ((first, first_operand), (second, second_operand)):
            parts.append(", ")
            self.tick()
            parts.append(MATCH_OPERATORS[keyword] if keyword < len(MATCH_OPERATORS)
                         else "/* Unknown Match Keyword encoding */")
            parts.append(", ")
            self.node(operand, level + 1, scope, _OPERAND, None)
        parts.append(", ")
        self.node(start, level + 1, scope, _OPERAND, None)
        parts.append(")")
        return _PAREN

    def op_CondRefOf(self, node, level, scope, where, name_op):
        source, target = node.args
        if type(source) is not NameRef:
            return self.operator(node, level, scope, where, name_op)
        self.parts.append("CondRefOf (")
        self.tick()
        self.parts.append(self.name_text(source.name))
        self.refer(scope, source.name, conditional=True)  # asking whether it exists needs no External ()
        if not (type(target) is NameRef and target.name.form == "null" and not target.name.prefix):
            self.parts.append(", ")
        self.node(target, level + 1, scope, _REFERENCE, None)
        self.parts.append(")")
        self.target_comment(target, scope)
        return _PAREN

    def _create_field(self, node, level, scope, where, name_op):
        """Create*Field: iasl looks the source up as a Buffer, so an unknown one is declared BuffObj."""
        args = node.args
        name = node.spec.name
        source = args[0]
        self.parts.append(_OPEN[name])
        if type(source) is NameRef and source.name.segments:
            self.tick()
            self.parts.append(self.name_text(source.name) + ", ")
            self.refer(scope, source.name, "BuffObj")
        else:
            self.node(source, level + 1, scope, _OPERAND, None)
            self.parts.append(", ")
        tagged = self.tag_paths.get(id(node))
        if tagged is not None:
            self.tick()
            self.parts.append(tagged[0])
            if len(args) == 4:  # CreateField's width
                self.parts.append(", ")
                self.node(args[2], level + 1, scope, _OPERAND, None)
        else:
            self.operands(args[1:-1], level + 1, scope)
        self.parts.append(", ")
        self.tick()
        self.parts.append(self.name_text(args[-1]) + ")")
        self.declare(scope, node.spec, args)
        if tagged is not None:
            description = _predefined(tagged[1])
            if description:
                self.parts.append("  // " + description)
        return _PAREN

    op_CreateDWordField = op_CreateWordField = op_CreateByteField = op_CreateBitField = _create_field
    op_CreateQWordField = op_CreateField = _create_field

    def op_Notify(self, node, level, scope, where, name_op):
        shape = self.operator(node, level, scope, where, name_op)
        value = node.args[1]
        if type(value) is Op and value.spec.name in ("Zero", "One", "BytePrefix"):
            code = _integer(value)
            if code < len(NOTIFY_NAMES):
                self.parts.append(f" // {NOTIFY_NAMES[code]}")
        return shape

    # --- named objects and blocks ---

    def block_body(self, body: list, level: int, scope: tuple) -> None:
        self.parts.append("\n" + _INDENT[level] + "{\n")
        self.term_list(body, level + 1, scope)
        self.parts.append(_INDENT[level] + "}")

    def op_Scope(self, node, level, scope, where, name_op):
        name = node.args[0]
        self.refer(scope, name, "DeviceObj")
        self.parts.append(f"Scope ({self.name_text(name)})")
        self.block_body(node.args[1], level, resolve(scope, name))  # scoped as the decoder scoped it
        return _BLOCK

    def _named_block(self, node, level, scope, where, name_op):
        inner = self.declare(scope, node.spec, node.args)
        self.parts.append(f"{node.spec.name} ({self.name_text(node.args[0])})")
        self.block_body(node.args[-1], level, inner)
        return _BLOCK

    op_Device = op_ThermalZone = _named_block

    def op_Method(self, node, level, scope, where, name_op):
        name, flags, body = node.args
        inner = self.declare(scope, node.spec, node.args)
        text = f"Method ({self.name_text(name)}, {flags & _ARG_COUNT}, " \
               f"{'Serialized' if flags & _SERIALIZED else 'NotSerialized'}"
        if flags & _SYNC_LEVEL:
            text += f", {flags >> 4}"
        text += ")"
        description = _predefined(name.segments[-1]) if name.segments else None
        if description:
            text += "  // " + description
        self.parts.append(text)
        self.block_body(body if body is not None else [], level, inner)
        return _BLOCK

    def _parameters(self, node, level, scope, formats: str) -> int:
        """A Processor's or PowerResource's name, constant parameters and body ("{}" when it has none)."""
        args = node.args
        inner = self.declare(scope, node.spec, args)
        parts = self.parts
        parts.append(f"{node.spec.name} ({self.name_text(args[0])}, ")
        values = args[1:-1]
        for index, (form, value) in enumerate(zip(formats, values)):
            self.tick()
            parts.append(_FIXED_FORMATS[form] % value)
            parts.append(", " if index < len(values) - 1 else ")")
        if not args[-1]:
            parts.append(" {}")
            return _EMPTY
        self.block_body(args[-1], level, inner)
        return _BLOCK

    def op_Processor(self, node, level, scope, where, name_op):
        return self._parameters(node, level, scope, "BDB")

    def op_PowerResource(self, node, level, scope, where, name_op):
        return self._parameters(node, level, scope, "BW")

    def op_If(self, node, level, scope, where, name_op, keyword="If"):
        predicate, body = node.args
        self.parts.append(keyword + " (")
        self.node(predicate, level + 1, scope, _PARAM, None)
        self.parts.append(")")
        if not body:
            self.parts.append(" {}")
            return _EMPTY
        self.block_body(body, level, scope)
        return _BLOCK

    def op_While(self, node, level, scope, where, name_op):
        return self.op_If(node, level, scope, where, name_op, "While")

    def op_Else(self, node, level, scope, where, name_op):
        self.parts.append("Else")
        self.block_body(node.args[0], level, scope)
        return _BLOCK

    def op_Name(self, node, level, scope, where, name_op):
        name, value = node.args
        self.name_path = self.declare(scope, node.spec, node.args)
        self.parts.append(f"Name ({self.name_text(name)}, ")
        self.node(value, level, scope, _REFERENCE, node)  # iasl keeps a Name's value on the Name's level
        self.parts.append(")")
        self.predefined_comment(node)
        return _PAREN

    def predefined_comment(self, name_op) -> None:
        """iasl comments a Name of a predefined name once: after its value's opening, or after the Name."""
        if self.commented is name_op:
            return
        self.commented = name_op
        segments = name_op.args[0].segments
        description = _predefined(segments[-1]) if segments else None
        if description:
            self.parts.append("  // " + description)

    def op_Return(self, node, level, scope, where, name_op):
        value = node.args[0]
        self.parts.append("Return (")
        self.node(value, level, scope, _OPERAND, None)  # on the Return's level, as a Name's value
        self.parts.append(")")
        self.target_comment(value, scope, value=True)
        return _PAREN

    def op_Alias(self, node, level, scope, where, name_op):
        source, alias = node.args
        self.refer(scope, source)
        self.declare(scope, node.spec, node.args)
        self.parts.append(f"Alias ({self.name_text(source)}, {self.name_text(alias)})")
        return _PAREN

    def op_Mutex(self, node, level, scope, where, name_op):
        name, sync_level = node.args
        self.declare(scope, node.spec, node.args)
        self.parts.append(f"Mutex ({self.name_text(name)}, ")
        self.tick()
        self.parts.append(f"0x{sync_level:02X})")
        return _PAREN

    def op_Event(self, node, level, scope, where, name_op):
        self.declare(scope, node.spec, node.args)
        self.parts.append(f"Event ({self.name_text(node.args[0])})")
        return _PAREN

    def op_OperationRegion(self, node, level, scope, where, name_op):
        name, space, offset, length = node.args
        self.declare(scope, node.spec, node.args)
        # ACPI 6.5 §19.6.100: OperationRegion's space keywords are Register ()'s, spelt as iasl prints them.
        keyword = RegisterSpace(space).name if space in RegisterSpace.__members__.values() else f"0x{space:02X}"
        self.parts.append(f"OperationRegion ({self.name_text(name)}, {keyword}, ")
        self.operands([offset, length], level + 1, scope)
        self.parts.append(")")
        return _PAREN

    def op_DataTableRegion(self, node, level, scope, where, name_op):
        self.declare(scope, node.spec, node.args)
        self.parts.append(f"DataTableRegion ({self.name_text(node.args[0])}, ")
        self.operands(node.args[1:], level + 1, scope)
        self.parts.append(")")
        return _PAREN

    def op_External(self, node, level, scope, where, name_op):
        return _LEAF  # only met as an operand, which is no valid AML; the header declares the table's own

    def _field(self, node, level, scope, names: list, flags: int, bank_value=None) -> int:
        parts = self.parts
        for name in names:
            self.refer(scope, name)
        parts.append(f"{node.spec.name} (" + ", ".join(self.name_text(name) for name in names) + ", ")
        if bank_value is not None:
            self.node(bank_value, level + 1, scope, _OPERAND, None)
            parts.append(", ")
        parts.append(f"{_ACCESS_TYPES[flags & 0x07]}, {'Lock' if flags & 0x10 else 'NoLock'}, "
                     f"{_UPDATE_RULES[(flags >> 5) & 0x03]})")
        parts.append("\n" + _INDENT[level] + "{\n")
        self.field_list(node.args[-1], level + 1, scope)
        parts.append(_INDENT[level] + "}")
        return _BLOCK

    def op_Field(self, node, level, scope, where, name_op):
        region, flags, _ = node.args
        return self._field(node, level, scope, [region], flags)

    def op_IndexField(self, node, level, scope, where, name_op):
        index, data, flags, _ = node.args
        return self._field(node, level, scope, [index, data], flags)

    def op_BankField(self, node, level, scope, where, name_op):
        region, bank, value, flags, _ = node.args
        return self._field(node, level, scope, [region, bank], flags, value)

    # --- data ---

    def op_Package(self, node, level, scope, where, name_op):
        count, elements = node.args
        parts = self.parts
        parts.append("Package (")
        if type(count) is int:  # a Package's NumElements is a byte; a VarPackage's, a TermArg
            self.tick()
            parts.append(f"0x{count:02X}")
        else:
            self.node(count, level + 1, scope, _PARAM, None)
        parts.append(")")
        if not elements:
            parts.append(" {}")
            return _EMPTY
        direct = name_op is not None and where != _ELEMENT  # the value of a Name itself
        if direct:
            self.predefined_comment(name_op)
        parts.append("\n" + _INDENT[level] + "{\n")
        prt = id(node) in self.prt_packages or (direct and self.name_path in self.prt_paths)
        # a Name's Package passes the Name on to its elements: iasl reads a _CID's EisaIds and a _PLD's
        # buffers there too
        self.element_list(elements, level + 1, scope, prt, name_op if direct else None)
        parts.append(_INDENT[level] + "}")
        return _BLOCK

    op_VarPackage = op_Package

    def op_Buffer(self, node, level, scope, where, name_op):
        size, data = node.args
        parts = self.parts
        declared = size.args[0] if type(size) is Op and size.spec.name in _INTEGER_FORMATS else None
        if declared == len(data):
            if _resources.is_template(data):
                self.tick()  # the byte list
                lines = _resources.template_asl(data, _INDENT[level])
                names = self.descriptor_names.get(id(node))
                if names:
                    _name_descriptors(lines, self.descriptors[id(node)], names)
                parts.append(lines[0])
                if name_op is not None and where != _ELEMENT:
                    self.predefined_comment(name_op)
                parts.append("\n")
                parts.append("\n".join(lines[1:]))
                return _BLOCK
            if _resources.early_end_tag(data):
                parts.append("/**** Is ResourceTemplate, but EndTag not at buffer end ****/ ")
        if _is_uuid(data):
            self.tick()
            parts.append(f'ToUUID ("{_uuid_text(data)}")')
            return _LEAF
        if _is_unicode(data):
            self.tick()
            parts.append('Unicode ("' + "".join("\\" + chr(c) if c in (0x22, 0x5C) else chr(c)
                                                  for c in data[:-2:2]) + '")')
            return _LEAF
        string = _is_string_buffer(data)
        if not string and declared in PLD_SIZES and declared == len(data) and size.spec.name == "BytePrefix" \
                and name_op is not None and name_op.args[0].segments[-1:] == ("_PLD",):
            self.tick()
            parts.append("ToPLD (\n")
            parts.append(_pld_text(data, level + 1))
            return _LEAF
        parts.append("Buffer (")
        self.node(size, level + 1, scope, _PARAM, None)
        parts.append(")")
        if not data:
            parts.append(" {}")
            return _EMPTY
        if name_op is not None and where != _ELEMENT:
            self.predefined_comment(name_op)
        parts.append("\n" + _INDENT[level] + "{\n")
        self.tick()  # the byte list
        if string:
            parts.append(_INDENT[level + 1] + _quote(data[:-1]) + "\n")
        else:
            self.byte_list(data, level + 1)
        parts.append(_INDENT[level] + "}")
        return _BLOCK


# Opcode name -> the _Writer method that prints it: its op_<name>, or the generic operator.
_HANDLERS = {spec.name: getattr(_Writer, "op_" + spec.name, _Writer.operator) for spec in OPCODES}
_CREATE_FIELDS = frozenset({"CreateBitField", "CreateByteField", "CreateWordField", "CreateDWordField",
                            "CreateQWordField", "CreateField"})
# The statements _scan() looks at or into.
_SCANNED = frozenset({"Name", "Method", "External", "If", "Else", "While", *_CREATE_FIELDS, *NAMED_BLOCKS})
_TAG_OFFSETS = frozenset({"Zero", "One", "Ones", "BytePrefix", "WordPrefix", "DWordPrefix", "QWordPrefix"})
# What iasl stops at when it guesses a call's arguments: statements that are very probably not arguments.
_NOT_ARGUMENTS = frozenset({"Store", "Notify", "If", "Else", "While", "Return", "Break", "Continue", "Noop",
                            "BreakPoint", "Buffer", "Package", "VarPackage", *_CREATE_FIELDS, "Name", "Method",
                            "Scope", "Device", "Processor", "PowerResource", "ThermalZone", "Field", "IndexField",
                            "BankField", "OperationRegion", "DataTableRegion", "Mutex", "Event", "Alias",
                            "External"})
_DATA = frozenset({"Zero", "One", "Ones", "BytePrefix", "WordPrefix", "DWordPrefix", "QWordPrefix",
                   "StringPrefix", "Revision", "Debug", *(f"Local{n}" for n in range(8)),
                   *(f"Arg{n}" for n in range(7))})
# ACPI 6.5 §19.3.3 (ASL resource descriptor field names) over the layouts of §6.4: the bit offset of each
# named field from the start of its descriptor, by iasl's macro; the flag fields of an address descriptor
# depend on its resource type.
_IRQ_TAGS = {8: "_INT", 24: "_HE_", 27: "_LL_", 28: "_SHR"}
_PIN_CONFIG_TAGS = {32: "_SHR", 48: "_TYP", 56: "_VAL"}
_ADDRESS_TAGS = {
    "Word": {33: "_DEC", 34: "_MIF", 35: "_MAF", 48: "_GRA", 64: "_MIN", 80: "_MAX", 96: "_TRA", 112: "_LEN"},
    "DWord": {33: "_DEC", 34: "_MIF", 35: "_MAF", 48: "_GRA", 80: "_MIN", 112: "_MAX", 144: "_TRA", 176: "_LEN"},
    "QWord": {33: "_DEC", 34: "_MIF", 35: "_MAF", 48: "_GRA", 112: "_MIN", 176: "_MAX", 240: "_TRA", 304: "_LEN"},
    "Extended": {33: "_DEC", 34: "_MIF", 35: "_MAF", 64: "_GRA", 128: "_MIN", 192: "_MAX", 256: "_TRA",
                 320: "_LEN", 384: "_ATT"},
}
_ADDRESS_FLAG_TAGS = {"Memory": {40: "_RW_", 41: "_MEM", 43: "_MTP", 45: "_TTP"},
                      "IO": {40: "_RNG", 44: "_TTP", 45: "_TRS"}}
_RESOURCE_TAGS = {
    "IRQ": _IRQ_TAGS, "IRQNoFlags": _IRQ_TAGS, "DMA": {8: "_DMA", 16: "_SIZ", 18: "_BM_", 21: "_TYP"},
    "IO": {8: "_DEC", 16: "_MIN", 32: "_MAX", 48: "_ALN", 56: "_LEN"}, "FixedIO": {8: "_BAS", 24: "_LEN"},
    "FixedDMA": {8: "_DMA", 24: "_TYP", 40: "_SIZ"},
    "Memory24": {24: "_RW_", 32: "_MIN", 48: "_MAX", 64: "_ALN", 80: "_LEN"},
    "Register": {24: "_ASI", 32: "_RBW", 40: "_RBO", 48: "_ASZ", 56: "_ADR"},
    "Memory32": {24: "_RW_", 32: "_MIN", 64: "_MAX", 96: "_ALN", 128: "_LEN"},
    "Memory32Fixed": {24: "_RW_", 32: "_BAS", 64: "_LEN"},
    "Interrupt": {25: "_HE_", 26: "_LL_", 27: "_SHR", 40: "_INT"},
    "GpioInt": {56: "_MOD", 57: "_POL", 59: "_SHR", 72: "_PPI", 80: "_DRS", 96: "_DBT"},
    "GpioIo": {56: "_IOR", 59: "_SHR", 72: "_PPI", 80: "_DRS", 96: "_DBT"},
    "I2cSerialBusV2": {48: "_SLV", 50: "_SHR", 56: "_MOD", 96: "_SPE", 128: "_ADR"},
    "SpiSerialBusV2": {48: "_SLV", 50: "_SHR", 56: "_MOD", 57: "_DPL", 96: "_SPE", 128: "_LEN", 136: "_PHA",
                       144: "_POL", 152: "_ADR"},
    "UartSerialBusV2": {48: "_SLV", 50: "_SHR", 56: "_FLC", 58: "_STB", 60: "_LEN", 63: "_END", 96: "_SPE",
                        128: "_RXL", 144: "_TXL", 160: "_PAR", 168: "_LIN"},
    "PinFunction": {32: "_SHR", 48: "_PPI", 56: "_FUN"}, "PinConfig": _PIN_CONFIG_TAGS,
    "PinGroupConfig": _PIN_CONFIG_TAGS, "PinGroupFunction": {48: "_FUN"},
}


# Where iasl writes a descriptor's DescriptorName: before the ")" that closes its arguments, or before the
# last two keywords of an address descriptor of memory or I/O, or after the ResourceUsage of a connection.
_NAME_AFTER_USAGE = re.compile(r"(Resource(?:Consumer|Producer), )(?=,)")


def _name_descriptors(lines: list, descriptors: list, names: dict) -> None:
    """Write the DescriptorNames of the named descriptors into a template's lines (in place)."""
    at = 0
    for descriptor in descriptors:
        macro = descriptor.macro
        opening = ("VendorLong  (" if macro == "VendorLong" else macro + " (")
        start = next((i for i in range(at, len(lines)) if lines[i].lstrip().startswith(opening)), None)
        if start is None:
            continue
        at = start + 1
        name = names.get(descriptor.offset)
        if name is None:
            continue
        for i in range(start, len(lines)):
            line = lines[i]
            code, comment = (line.split("  //", 1) + [None])[:2] if "  //" in line else (line, None)
            match = _NAME_AFTER_USAGE.search(code)
            if match is not None and macro not in _NAMED_AT_CLOSE:
                code = code[:match.end()] + name + code[match.end():]
            elif code.rstrip().endswith(")") and macro not in _NAMED_AFTER_USAGE:
                code = code.rstrip()[:-1]
                if macro[-6:] == "Memory" or macro[-2:] == "IO" and macro != "IO" and macro != "FixedIO":
                    head, first, second = code.rsplit(", ", 2)
                    code = f"{head}{name}, {first}, {second})"
                else:
                    code = code + name + ")"
            else:
                continue
            lines[i] = code if comment is None else code + "  //" + comment
            break


_NAMED_AFTER_USAGE = frozenset({"GpioInt", "GpioIo", "I2cSerialBusV2", "SpiSerialBusV2", "UartSerialBusV2",
                                "Csi2Bus", "PinFunction", "PinConfig", "PinGroup", "PinGroupFunction",
                                "PinGroupConfig"})
_NAMED_AT_CLOSE = frozenset({"Interrupt"})


def _resource_tag(macro: str, descriptor: bytes, bit: int) -> str | None:
    """The field name of the descriptor field that starts at `bit`, or None."""
    for prefix, tags in _ADDRESS_TAGS.items():
        if macro.startswith(prefix) and macro[len(prefix):] in ("Memory", "IO", "BusNumber", "Space"):
            flags = _ADDRESS_FLAG_TAGS.get(macro[len(prefix):], {})
            return flags.get(bit) or tags.get(bit)
    resource_tags = _RESOURCE_TAGS.get(macro)
    return resource_tags.get(bit) if resource_tags else None


def _is_template_buffer(node: Op) -> bool:
    """Whether iasl prints a Buffer as a ResourceTemplate: a constant size equal to its bytes, which walk as
    valid descriptors up to an End Tag that ends them."""
    size, data = node.args
    return type(size) is Op and size.spec.name in _INTEGER_FORMATS and size.args[0] == len(data) \
        and _resources.is_template(data)


def _written(scope: tuple, name: NameString) -> str:
    """An unknown name as iasl declares it with External (): as written, from the root, a parent prefix
    resolved against the scope."""
    if name.prefix.startswith("^"):
        return ".".join(resolve(scope, name))
    return ".".join(name.segments)


def _could_be_argument(term) -> bool:
    """Whether iasl takes a statement after an unknown name for one of its arguments: a data object, a
    name, a call, or an operator whose result goes nowhere (a NullName target)."""
    kind = type(term)
    if kind is NameRef or kind is Call:
        return True
    if kind is not Op:
        return False
    name = term.spec.name
    if name in _DATA or name == "RefOf":
        return True
    if name in _NOT_ARGUMENTS:
        return False
    return any(type(arg) is NameRef and arg.name.form == "null" and not arg.name.prefix for arg in term.args)



def _folds(node: Op) -> bool:
    """Whether iasl prints an Else as ElseIf: its body is one If, alone or followed by one Else."""
    body = node.args[0]
    if not body or type(body[0]) is not Op or body[0].spec.name != "If":
        return False
    return len(body) == 1 or (len(body) == 2 and type(body[1]) is Op and body[1].spec.name == "Else")


def _hidden(term) -> bool:
    """External () and iasl's If (Zero) { External () } blocks: the header declares them instead."""
    if type(term) is not Op:
        return False
    name = term.spec.name
    if name == "External":
        return True
    if name == "If":
        predicate, body = term.args
        return type(predicate) is Op and predicate.spec.name == "Zero" and bool(body) \
            and type(body[0]) is Op and body[0].spec.name == "External"
    return False


def _routing_comment(element, writer: _Writer, scope: tuple) -> str | None:
    """A _PRT entry read out (ACPI 6.5 §6.2.13): "slot 0x01, INTB -> \\_SB.LNKB" or "-> GSI 0x10"."""
    if type(element) is not Op or element.spec.name != "Package" or len(element.args[1]) != 4:
        return None
    address, pin, source, index = element.args[1]
    address, pin, index = _integer(address), _integer(pin), _integer(index)
    if address is None or pin is None or index is None or pin > 3:
        return None
    slot = (address >> 16) & 0xFFFF
    if type(source) is NameRef and source.name.segments:
        path = writer.lookup(scope, source.name)
        target = ("\\" + ".".join(seg.rstrip("_") or "_" for seg in path)) if path else source.name.asl()
        if index:
            target += f" [{index}]"
    elif _integer(source) == 0:
        target = f"GSI 0x{index:X}"
    else:
        return None
    return f"slot 0x{slot:02X}, {INTERRUPT_PINS[pin]} -> {target}"


def _pld_text(data: bytes, level: int) -> str:
    """The ToPLD () fields of a _PLD buffer (ACPI 6.5 §6.1.8), one a line, as iasl lays them out."""
    words = [int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data) - 3, 4)]
    lines = []
    fields = PLD_FIELDS if len(data) >= 20 else PLD_FIELDS[:-2]
    for keyword, word, shift, width, named in fields:
        value = (words[word] >> shift) & ((1 << width) - 1)
        if named is not None:
            text = f'"{named[value] if value < len(named) else ""}"'
        else:
            text = f"0x{value:X}"
        lines.append(f"{_INDENT[level]}{keyword:<22} = {text}")
    return ",\n".join(lines) + ")\n"
