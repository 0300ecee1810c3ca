"""The decoded form of AML: names, opcodes, calls, field elements and undecodable bytes, and their exact re-encoding.

A tree keeps every choice the table's author made that the grammar allows more than one way to write: the raw
PkgLength bytes (their width), the integer prefix (the opcode), and the NameString form. So `encode_terms` of a
decoded term list gives back the original bytes, and a changed tree is encoded with fresh lengths.
"""
from __future__ import annotations

from qboot_tables.aml.grammar import DUAL_NAME_PREFIX, EXT_OP_PREFIX, MULTI_NAME_PREFIX, NULL_NAME, OpSpec


class NameString:
    """A NameString (ACPI 6.5 §20.2.2): '\\' or '^' prefixes, 4-character segments, and how they were encoded."""

    __slots__ = ("prefix", "segments", "form")

    def __init__(self, prefix: str, segments: tuple, form: str):
        self.prefix = prefix  # "", "\\" or one "^" per parent step
        self.segments = segments  # 4-character str each, as encoded ("_SB_")
        self.form = form  # "null", "seg", "dual" or "multi": the encoding the table chose

    def encode(self) -> bytes:
        prefix = self.prefix.encode("ascii")
        joined = "".join(self.segments).encode("latin-1")
        if self.form == "null":
            return prefix + bytes([NULL_NAME])
        if self.form == "seg":
            return prefix + joined
        if self.form == "dual":
            return prefix + bytes([DUAL_NAME_PREFIX]) + joined
        return prefix + bytes([MULTI_NAME_PREFIX, len(self.segments)]) + joined

    def asl(self) -> str:
        """As iasl prints it: trailing '_' padding dropped from each segment ("\\_SB.PCI0")."""
        return self.prefix + ".".join(seg.rstrip("_") or "_" for seg in self.segments)

    def __repr__(self):
        return f"NameString({self.prefix + '.'.join(self.segments)!r})"

    def __eq__(self, other):
        return isinstance(other, NameString) and (self.prefix, self.segments) == (other.prefix, other.segments)

    def __hash__(self):
        return hash((self.prefix, self.segments))


class Op:
    """One opcode and its arguments, in the order `spec.args` gives them (the PkgLength kept apart as raw bytes)."""

    __slots__ = ("spec", "offset", "args", "pkg")

    def __init__(self, spec: OpSpec, offset: int, args: list, pkg: bytes | None = None):
        self.spec = spec
        self.offset = offset  # of the opcode, from the start of the table
        self.args = args  # per kind: int (B W D Q), bytes (S Y), NameString (N), node (T O U R), list (L E F)
        self.pkg = pkg  # the PkgLength exactly as encoded, for ops that have one

    @property
    def name(self) -> str:
        return self.spec.name

    def __repr__(self):
        return f"Op({self.spec.name}@{self.offset:#x})"


class NameRef:
    """A name used as a value or a target, not called; the NullName in a target position is one too."""

    __slots__ = ("name", "offset")

    def __init__(self, name: NameString, offset: int):
        self.name = name
        self.offset = offset


class Call:
    """A method invocation: the name, then as many TermArgs as the method was declared with (§20.2.5.4)."""

    __slots__ = ("name", "offset", "args")

    def __init__(self, name: NameString, offset: int, args: list):
        self.name = name
        self.offset = offset
        self.args = args


class Raw:
    """Bytes the decoder could not read (a finding names why); they are kept so the table still encodes exactly."""

    __slots__ = ("data", "offset")

    def __init__(self, data: bytes, offset: int):
        self.data = data
        self.offset = offset


class FieldUnit:
    """A named field unit or, with name None, a reserved (Offset) gap: a width in bits (§20.2.5.2 FieldElement)."""

    __slots__ = ("name", "bits", "pkg", "offset")

    def __init__(self, name: str | None, bits: int, pkg: bytes, offset: int):
        self.name = name
        self.bits = bits
        self.pkg = pkg
        self.offset = offset


class FieldAccess:
    """AccessAs inside a field list: AccessField (0x01) or ExtendedAccessField (0x03, with a length byte)."""

    __slots__ = ("access_type", "attrib", "length", "offset")

    def __init__(self, access_type: int, attrib: int, length: int | None, offset: int):
        self.access_type = access_type
        self.attrib = attrib
        self.length = length  # None for the three-byte AccessField
        self.offset = offset


class FieldConnect:
    """Connection inside a field list: a NameString or a Buffer holding one resource descriptor."""

    __slots__ = ("target", "offset")

    def __init__(self, target, offset: int):
        self.target = target  # NameString or Op (a Buffer)
        self.offset = offset


# --- exact re-encoding ---------------------------------------------------------------------------------------

def pkg_length_value(raw: bytes) -> int:
    """The length a PkgLength encodes (§20.2.4): six bits alone, or four bits plus up to three more bytes."""
    lead = raw[0]
    if len(raw) == 1:
        return lead & 0x3F
    return (lead & 0x0F) | int.from_bytes(raw[1:], "little") << 4


def pkg_length_bytes(body_length: int, like: bytes | None = None) -> bytes:
    """The PkgLength for a body, in the width `like` used when it still fits (so a decoded table re-encodes
    byte for byte), otherwise the smallest width."""
    if like is not None and pkg_length_value(like) == body_length + len(like):
        return like
    width = len(like) if like else 1
    while True:
        total = body_length + width
        if width == 1 and total <= 0x3F:
            return bytes([total])
        if width > 1 and total < 1 << (4 + 8 * (width - 1)):
            return bytes([((width - 1) << 6) | (total & 0x0F)]) + (total >> 4).to_bytes(width - 1, "little")
        width += 1
        if width > 4:
            raise ValueError(f"AML package of {body_length} bytes is longer than a PkgLength can say")


def encode_terms(terms: list) -> bytes:
    """The AML bytes of a term list (or package elements, or a field list)."""
    out = bytearray()
    for term in terms:
        _encode(term, out)
    return bytes(out)


def _encode(node, out: bytearray) -> None:
    kind = type(node)
    if kind is Op:
        spec = node.spec
        if spec.extended:
            out.append(EXT_OP_PREFIX)
        out.append(spec.code)
        body = bytearray()
        args = iter(node.args)
        for arg_kind in spec.args:
            if arg_kind == "P":
                continue
            value = next(args)
            if arg_kind in "TOURNLEF":
                if arg_kind in "LEF":
                    for item in value:
                        _encode(item, body)
                else:
                    _encode(value, body)
            elif arg_kind == "B":
                body.append(value)
            elif arg_kind == "W":
                body += value.to_bytes(2, "little")
            elif arg_kind == "D":
                body += value.to_bytes(4, "little")
            elif arg_kind == "Q":
                body += value.to_bytes(8, "little")
            elif arg_kind == "S":
                body += value + b"\0"
            else:  # Y
                body += value
        if "P" in spec.args:
            out += pkg_length_bytes(len(body), node.pkg)
        out += body
    elif kind is NameString:
        out += node.encode()
    elif kind is NameRef:
        out += node.name.encode()
    elif kind is Call:
        out += node.name.encode()
        for arg in node.args:
            _encode(arg, out)
    elif kind is Raw:
        out += node.data
    elif kind is FieldUnit:
        out += node.name.encode("latin-1") if node.name is not None else b"\0"
        out += pkg_length_bytes(node.bits - len(node.pkg), node.pkg) if node.pkg else b""
    elif kind is FieldAccess:
        if node.length is None:
            out += bytes([0x01, node.access_type, node.attrib])
        else:
            out += bytes([0x03, node.access_type, node.attrib, node.length])
    elif kind is FieldConnect:
        out.append(0x02)
        _encode(node.target, out)
    else:
        raise TypeError(f"not an AML tree node: {node!r}")
