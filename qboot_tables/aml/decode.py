"""The AML decoder: bytes of DSDTs and SSDTs in, term trees and findings out, never an exception.

AML cannot be read without a namespace: a name in an expression is a method call with as many arguments as the
method was declared with, and the method may be declared later in the table or in another one (ACPI 6.5
§20.2.5.4 MethodInvocation). So a table set is read in two passes, as ACPICA's disassembler does with `-e`:
the first skips method bodies and records every declaration (External ones too), the second reads the method
bodies with that namespace (and reads a table again whole if its first pass met a name it could not resolve).
Bytes that do not decode become a `Raw` node and a finding with their offset; the rest of the enclosing list is
kept whole, so the table still re-encodes byte for byte.
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

from qboot_tables.aml.grammar import (ACCESS_FIELD, CONNECT_FIELD, EXT_OP_PREFIX, EXTENDED, EXTENDED_ACCESS_FIELD,
                                      LEAD_NAME_CHARS, NAME_CHARS, NAME_STRING_STARTS, NULL_NAME, ONE_BYTE,
                                      PREDEFINED_OBJECTS, RESERVED_FIELD, MethodFlags, ObjectType)
from qboot_tables.aml.tree import Call, FieldAccess, FieldConnect, FieldUnit, NameRef, NameString, Op, Raw
from qboot_tables.findings import ERROR, WARNING, Finding

ACPI_HEADER_SIZE = 36  # ACPI 6.5 §5.2.6: the AML follows the common table header
# Deeper nesting than this is no table a compiler wrote; the bound keeps hostile input from exhausting the stack.
MAX_DEPTH = 160
# §20.2.3: the integer prefixes and the size of the constant that follows each.
INTEGER_SIZES = {0x0A: 1, 0x0B: 2, 0x0C: 4, 0x0E: 8}
FIXED_SIZES = {"W": 2, "D": 4, "Q": 8}
# §20.2.2 NameString: root or parent prefixes, then one segment, a dual or multi prefix, or the NullName.
_SEG = rb"[A-Z_][A-Z0-9_]{3}"
NAME_STRING = re.compile(rb"(\\|\^*)(?:(" + _SEG + rb")|\.(" + _SEG + _SEG + rb")|/(.)|(\x00))", re.DOTALL)
SEGMENTS = re.compile(rb"(?:" + _SEG + rb")*")
# The one-byte opcodes with no arguments (Local0, Arg0, Zero, One, Ones, Noop...) carry nothing but their opcode,
# so every occurrence shares one node: a big DSDT holds tens of thousands of them. Their offset is not kept.
SHARED_NODES = [Op(spec, -1, []) if spec is not None and not spec.args else None for spec in ONE_BYTE]
# The scopes whose names the opcode opens for the terms inside it (§5.3: a method is a scope as well).
SCOPE_OPENERS = frozenset({"Scope", "Device", "Method", "Processor", "PowerResource", "ThermalZone"})
_ARG_COUNT = int(MethodFlags.ARG_COUNT)  # a plain int: IntFlag's & is a Python call, and makes an IntFlag


@dataclass
class Names:
    """What a table set declares, shared by its tables: absolute paths (tuples of 4-character segments)."""

    # every declared path, and the predefined ones, -> its argument count, -1 if no method
    arguments: dict = field(default_factory=lambda: dict(PREDEFINED_OBJECTS))
    types: dict = field(default_factory=dict)  # every declared path -> the type it declares ("Device", "Field")
    externals: dict = field(default_factory=dict)  # External() paths -> (ObjectType, argument count)
    # the set of every path above and the predefined ones, made by paths() once the set is decoded
    _paths: set | None = field(default=None, repr=False, compare=False)

    def paths(self) -> set:
        """Every path a name can resolve to: declared, named by an External () or predefined (with the root).
        Made on the first call, so only once the set is decoded, and shared by every table of the set."""
        if self._paths is None:
            self._paths = set(self.types).union(self.externals, PREDEFINED_OBJECTS, ((),))
        return self._paths


@dataclass
class AmlTable:
    """One decoded definition block: its signature, the header bytes, the tree of its AML and what it found."""

    signature: str
    header: bytes
    terms: list
    findings: list = field(default_factory=list)
    names: Names = field(default_factory=Names)  # of the whole set the table was decoded with
    label: str = ""  # the table's name in findings ("SSDT3"), its signature when none was given


class _Stop(Exception):
    """Raised inside the decoder to abandon the term being read; never leaves this module."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


def decode_tables(tables: list[bytes], labels: list[str] | None = None) -> list[AmlTable]:
    """Decode a set of definition blocks together (DSDT first, as the OS loads them): calls into any of them
    take the argument count their method declares. `labels` name the tables in findings ("SSDT3")."""
    names = Names()
    # A tree holds no reference cycles, but building one allocates so many objects that the cyclic collector
    # would run hundreds of times over the growing tree: measured, it tripled the time of a 480 KiB DSDT.
    collecting = gc.isenabled()
    gc.disable()
    try:
        label_of: list[str | None] = list(labels) if labels else [None] * len(tables)
        first = [_Decoder(data, names, True, label) for data, label in zip(tables, label_of)]
        first_pass = [decoder.run() for decoder in first]
        return [_Decoder(decoder.data, names, False, decoder.label).run() if decoder.unresolved
                else decoder.finish(table) for decoder, table in zip(first, first_pass)]
    finally:
        if collecting:
            gc.enable()


def decode_table(data: bytes) -> AmlTable:
    """Decode one definition block on its own (calls into other tables are read as references)."""
    return decode_tables([data])[0]


class _Decoder:
    def __init__(self, data: bytes, names: Names, defer_method_bodies: bool, label: str | None = None):
        self.data = bytes(data)
        self.names = names
        self.methods = names.arguments
        self.defer = defer_method_bodies
        # (argument list, body start, body end, method scope, depth) of each method skipped
        self.deferred: list[tuple[list, int, int, tuple, int]] = []
        self.unresolved = False  # a name in an expression named nothing known yet
        # segment -> {scope: its argument count}, forgotten when that segment is declared
        self.lookups: dict[str, dict[tuple, int]] = {}
        self.segment_names: dict[bytes, NameString] = {}  # 4 bytes -> that lone segment's NameString, once read
        self.findings: list[Finding] = []
        self.pos = 0
        self.signature = self.data[:4].decode("latin-1") or "AML"
        self.label = label or self.signature

    def run(self) -> AmlTable:
        data = self.data
        if len(data) < ACPI_HEADER_SIZE:
            self._finding(0, f"{len(data)} bytes: shorter than the {ACPI_HEADER_SIZE}-byte table header")
            return AmlTable(self.signature, data, [], self.findings, self.names, self.label)
        length = int.from_bytes(data[4:8], "little")
        end = len(data)
        if ACPI_HEADER_SIZE <= length < end:
            end = length  # bytes past the header's length are not part of the table
        elif length != end:
            self._finding(4, f"length field {length} does not match the {len(data)} bytes given")
        self.pos = ACPI_HEADER_SIZE
        terms = self.term_list(end, ())
        return AmlTable(self.signature, data[:ACPI_HEADER_SIZE], terms, self.findings, self.names, self.label)

    def finish(self, table: AmlTable) -> AmlTable:
        """The second pass over a table whose first pass resolved every name: decode the method bodies."""
        self.defer = False
        self.lookups = {}  # the other tables have declared more since: every search starts afresh
        for args, start, end, scope, depth in self.deferred:
            self.pos = start
            args[-1] = self.term_list(end, scope, depth)
        return table

    def _finding(self, offset: int, message: str, severity: str = ERROR) -> None:
        self.findings.append(Finding(severity, self.label, f"AML offset {offset:#x}", message))

    # --- lists ---------------------------------------------------------------------------------------------

    def term_list(self, end: int, scope: tuple, depth: int = 0) -> list:
        terms = []
        while self.pos < end:
            start = self.pos
            try:
                terms.append(self.term(end, scope, "T", depth))
            except _Stop as stop:
                self._finding(stop.offset, stop.message)
                terms.append(Raw(self.data[start:end], start))
                self.pos = end
        return terms

    def element_list(self, end: int, scope: tuple, depth: int) -> list:
        elements = []
        while self.pos < end:
            start = self.pos
            try:
                elements.append(self.term(end, scope, "O", depth))
            except _Stop as stop:
                self._finding(stop.offset, stop.message)
                elements.append(Raw(self.data[start:end], start))
                self.pos = end
        return elements

    def field_list(self, end: int, scope: tuple, depth: int) -> list[FieldUnit | FieldAccess | FieldConnect | Raw]:
        data = self.data
        elements: list[FieldUnit | FieldAccess | FieldConnect | Raw] = []
        while self.pos < end:
            start = self.pos
            try:
                lead = data[start]
                if lead == RESERVED_FIELD:
                    self.pos += 1
                    pkg, bits = self.pkg_length(end)
                    elements.append(FieldUnit(None, bits, pkg, start))
                elif lead == ACCESS_FIELD or lead == EXTENDED_ACCESS_FIELD:
                    size = 3 if lead == ACCESS_FIELD else 4
                    self.need(size, end)
                    length = data[start + 3] if lead == EXTENDED_ACCESS_FIELD else None
                    elements.append(FieldAccess(data[start + 1], data[start + 2], length, start))
                    self.pos += size
                elif lead == CONNECT_FIELD:
                    self.pos += 1
                    if self.pos < end and data[self.pos] in NAME_STRING_STARTS:
                        target = self.name_string(end)
                    else:
                        target = self.term(end, scope, "O", depth)
                    elements.append(FieldConnect(target, start))
                else:
                    self.need(4, end)
                    seg = data[start:start + 4]
                    if seg[0] not in LEAD_NAME_CHARS or any(c not in NAME_CHARS for c in seg[1:]):
                        raise _Stop(start, f"field list: {seg.hex(' ')} is neither a field name nor a keyword")
                    self.pos += 4
                    pkg, bits = self.pkg_length(end)
                    name = seg.decode("ascii")
                    self.declare(scope + (name,), "Field")
                    elements.append(FieldUnit(name, bits, pkg, start))
            except _Stop as stop:
                self._finding(stop.offset, stop.message)
                elements.append(Raw(data[start:end], start))
                self.pos = end
        return elements

    # --- terms ---------------------------------------------------------------------------------------------

    def term(self, end: int, scope: tuple, mode: str, depth: int = 0):
        """One term; `mode` is the argument kind: T (calls allowed), O (data), U (SuperName) or R (Target)."""
        data, start = self.data, self.pos
        if start >= end:
            raise _Stop(start, "the enclosing package ends where a term was expected")
        lead = data[start]
        spec = ONE_BYTE[lead]
        if spec is not None and not (lead == NULL_NAME and mode == "R"):
            args = spec.args
            if not args:
                self.pos = start + 1
                return SHARED_NODES[lead]
            if lead in INTEGER_SIZES:  # the most common terms of all, read without the general loop
                size = INTEGER_SIZES[lead]
                if start + 1 + size > end:
                    raise _Stop(start, f"truncated {spec.name}")
                self.pos = start + 1 + size
                return Op(spec, start, [data[start + 1] if size == 1 else
                                        int.from_bytes(data[start + 1:start + 1 + size], "little")])
            self.pos = start + 1
        elif lead in NAME_STRING_STARTS:
            name = self.segment_names.get(data[start:start + 4]) if start + 4 <= end else None
            if name is not None:
                self.pos = start + 4
            else:
                name = self.name_string(end)
            if mode == "T":
                by_scope = self.lookups.get(name.segments[0]) if name.form == "seg" and not name.prefix else None
                count = by_scope.get(scope) if by_scope is not None else None
                if count is None:
                    count = self.method_arguments(scope, name)
                if count > 0:
                    if depth >= MAX_DEPTH:
                        raise _Stop(start, f"terms nested more than {MAX_DEPTH} deep")
                    call_args: list = []
                    while len(call_args) < count and self.pos < end:
                        call_args.append(self.term(end, scope, "T", depth + 1))
                    if len(call_args) < count:
                        # A caller compiled against another declaration (seen: an External saying 3 arguments
                        # for a method of 4); the package's end is the one unambiguous place to stop.
                        self._finding(start, f"{name.asl()} called with {len(call_args)} arguments before its "
                                             f"block ends; its method declares {count}", WARNING)
                    return Call(name, start, call_args)
            return NameRef(name, start)
        elif lead == NULL_NAME:
            self.pos = start + 1
            return NameRef(NameString("", (), "null"), start)
        elif lead == EXT_OP_PREFIX:
            if start + 1 >= end:
                raise _Stop(start, "truncated extended opcode")
            spec = EXTENDED[data[start + 1]]
            if spec is None:
                raise _Stop(start, f"unknown AML opcode 0x5b 0x{data[start + 1]:02x}")
            self.pos = start + 2
            if not spec.args:
                return Op(spec, start, [])
        else:
            raise _Stop(start, f"unknown AML opcode 0x{lead:02x}")
        if depth >= MAX_DEPTH:
            raise _Stop(start, f"terms nested more than {MAX_DEPTH} deep")
        return self.op_arguments(spec, start, end, scope, depth + 1)

    def op_arguments(self, spec, start: int, end: int, scope: tuple, depth: int) -> Op:
        data, inner = self.data, scope
        args: list = []  # Op.args: nodes, names, ints, bytes and lists, as the spec's argument kinds say
        pkg: bytes | None = None
        for kind in spec.args:
            if kind in "TRUO":  # one character: a TermArg, Target, SuperName or DataRefObject
                pos = self.pos
                shared = SHARED_NODES[data[pos]] if pos < end else None
                if shared is not None and (kind != "R" or data[pos] != NULL_NAME):
                    self.pos = pos + 1  # a local, an argument or a constant: the commonest operands of all
                    args.append(shared)
                else:
                    args.append(self.term(end, scope, kind, depth))
            elif kind == "P":
                pkg_start = self.pos
                lead = data[pkg_start] if pkg_start < end else 0xFF
                if lead < 0x40:  # a one-byte PkgLength, the usual kind
                    pkg, length = data[pkg_start:pkg_start + 1], lead
                    self.pos = pkg_start + 1
                else:
                    pkg, length = self.pkg_length(end)
                pkg_end = pkg_start + length
                if pkg_end > end:
                    raise _Stop(start, f"{spec.name}: package of {length} bytes runs {pkg_end - end} bytes past "
                                       "its enclosing block")
                if pkg_end < self.pos:
                    raise _Stop(start, f"{spec.name}: package length {length} is shorter than its own encoding")
                end = pkg_end
            elif kind == "N":
                name = self.name_string(end)
                if not args and spec.name in SCOPE_OPENERS:
                    inner = resolve(scope, name)
                args.append(name)
            elif kind == "L":
                if self.defer and spec.name == "Method":
                    self.deferred.append((args, self.pos, end, inner, depth))
                    args.append(None)
                    self.pos = end
                else:
                    args.append(self.term_list(end, inner, depth))
            elif kind == "B":
                if self.pos >= end:
                    raise _Stop(self.pos, f"truncated {spec.name}")
                args.append(data[self.pos])
                self.pos += 1
            elif kind == "Y":
                args.append(data[self.pos:end])
                self.pos = end
            elif kind == "E":
                args.append(self.element_list(end, scope, depth))
            elif kind == "F":
                args.append(self.field_list(end, scope, depth))
            elif kind == "S":
                nul = data.find(b"\0", self.pos, end)
                if nul < 0:
                    raise _Stop(start, "string without its terminating NUL")
                args.append(data[self.pos:nul])
                self.pos = nul + 1
            else:  # W D Q
                size = FIXED_SIZES[kind]
                self.need(size, end)
                args.append(int.from_bytes(data[self.pos:self.pos + size], "little"))
                self.pos += size
        if spec.declares is not None:
            if spec.name == "Method":
                self.methods[inner] = args[1] & _ARG_COUNT  # it may replace an External's count
                if inner:
                    self.lookups.pop(inner[-1], None)
                self.names.types.setdefault(inner, "Method")
            else:
                self.declare(resolve(scope, declared_name(spec, args)), spec.declares)
        elif spec.name == "External":
            path = resolve(scope, args[0])
            self.names.externals.setdefault(path, (args[1], args[2] & _ARG_COUNT))
            if args[1] == ObjectType.METHOD:
                self.methods.setdefault(path, args[2] & _ARG_COUNT)
                if path:
                    self.lookups.pop(path[-1], None)
        if pkg is not None and self.pos != end:
            raise _Stop(self.pos, f"{spec.name}: {end - self.pos} bytes left over inside its package")
        return Op(spec, start, args, pkg)

    # --- primitives ----------------------------------------------------------------------------------------

    def need(self, size: int, end: int) -> None:
        if self.pos + size > end:
            raise _Stop(self.pos, f"truncated: {size} bytes expected, {max(end - self.pos, 0)} left")

    def pkg_length(self, end: int) -> tuple[bytes, int]:
        """A PkgLength's raw bytes and value (§20.2.4)."""
        data, start = self.data, self.pos
        if start >= end:
            raise _Stop(start, "truncated: a PkgLength expected")
        lead = data[start]
        follow = lead >> 6
        if not follow:
            self.pos = start + 1
            return data[start:start + 1], lead
        self.need(1 + follow, end)
        if lead & 0x30:
            raise _Stop(start, f"PkgLength lead byte {lead:#04x} has reserved bits 4-5 set")
        self.pos = start + 1 + follow
        return data[start:self.pos], (lead & 0x0F) | int.from_bytes(data[start + 1:self.pos], "little") << 4

    def name_string(self, end: int) -> NameString:
        data, start = self.data, self.pos
        if start + 4 <= end:
            known = self.segment_names.get(data[start:start + 4])
            if known is not None:  # a lone segment seen before: most names in a table are
                self.pos = start + 4
                return known
        match = NAME_STRING.match(data, start, end)
        if match is None:
            raise _Stop(start, f"invalid name string {data[start:start + 8]!r}")
        prefix, single, dual, multi, null = match.groups()
        if single is not None:
            self.pos = match.end()
            name = NameString(prefix.decode("ascii"), (single.decode("ascii"),), "seg")
            if not prefix:
                self.segment_names[single] = name  # NameStrings are never changed, so one serves every use
            return name
        if null is not None:
            self.pos = match.end()
            return NameString(prefix.decode("ascii"), (), "null")
        if dual is not None:
            raw, form, self.pos = dual, "dual", match.end()
        else:
            count, begin = multi[0], match.end()
            raw, form = data[begin:begin + 4 * count], "multi"
            if len(raw) < 4 * count or begin + 4 * count > end or not SEGMENTS.fullmatch(raw):
                raise _Stop(begin, f"invalid or truncated name of {count} segments")
            self.pos = begin + 4 * count
        text = raw.decode("ascii")
        return NameString(prefix.decode("ascii"), tuple(text[i:i + 4] for i in range(0, len(text), 4)), form)

    # --- namespace -----------------------------------------------------------------------------------------

    def declare(self, path: tuple, kind: str) -> None:
        if path not in self.methods:
            self.methods[path] = -1
            if path:
                self.lookups.pop(path[-1], None)
        self.names.types.setdefault(path, kind)

    def method_arguments(self, scope: tuple, name: NameString) -> int:
        """How many arguments a call of `name` from `scope` takes: 0 when it names no method (§5.3 search)."""
        methods = self.methods
        if name.prefix or len(name.segments) != 1:
            found = methods.get(resolve(scope, name))
            if found is None:
                self.unresolved = True
            return max(found or 0, 0)
        segment = name.segments[0]
        by_scope = self.lookups.get(segment)
        if by_scope is None:
            by_scope = self.lookups[segment] = {}
        count = by_scope.get(scope)
        if count is None:
            count = self._search(scope, (segment,), by_scope)
        return count

    def _search(self, scope: tuple, segment: tuple, by_scope: dict) -> int:
        """The search of §5.3 for a lone segment, from `scope` outwards; each scope on the way remembers its
        answer, so a sibling's search stops at the parent they share."""
        declared = self.methods.get(scope + segment)
        if declared is not None:
            count = max(declared, 0)
        elif not scope:
            self.unresolved = True  # said once, when the search is made; a remembered answer is then 0
            count = 0
        else:
            count = by_scope.get(scope[:-1])
            if count is None:
                count = self._search(scope[:-1], segment, by_scope)
        by_scope[scope] = count
        return count


def declared_name(spec, args: list) -> NameString:
    """The name an opcode declares: the first NameString, but the last one for Alias and the Create*Field ops."""
    names = [arg for arg in args if type(arg) is NameString]
    return names[-1] if spec.declares in ("Alias", "BufferField") else names[0]


_UNSEARCHED = object()


def search_outward(known, scope: tuple, segment: tuple, memo: dict) -> tuple | None:
    """The path a lone name segment refers to from `scope`: scope + segment, else its parent's + segment, and so
    on up to the root (§5.3), the first that `known` holds; None when none does. `memo` maps (scope, segment) to
    that answer, and every scope on the way out remembers it, so a sibling's search stops at the scope they
    share."""
    found = memo.get((scope, segment), _UNSEARCHED)
    if found is _UNSEARCHED:
        path = scope + segment
        found = path if path in known else search_outward(known, scope[:-1], segment, memo) if scope else None
        memo[(scope, segment)] = found
    return found


def resolve(scope: tuple, name: NameString) -> tuple:
    """The absolute path a declared or multi-segment name denotes from `scope` (§5.3, no search)."""
    if name.prefix == "\\":
        return name.segments
    if name.prefix:
        scope = scope[:max(len(scope) - len(name.prefix), 0)]
    return scope + name.segments
