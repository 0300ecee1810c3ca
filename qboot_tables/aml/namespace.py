"""What a decoded definition block declares: its namespace objects with their constant values, and its processors.

Only objects declared outside method bodies are listed: they are what the OS creates when it loads the table
(ACPI 6.5 §5.4.2.1); a method's own names come and go with each call. Declarations inside If, Else and While
blocks at the top level count, since module-level code runs at load time.
"""
from __future__ import annotations

from qboot_tables.aml.decode import AmlTable, declared_name, resolve, search_outward
from qboot_tables.aml.grammar import ARG_KINDS, MethodFlags
from qboot_tables.aml.tree import Call, FieldUnit, NameRef, NameString, Op, encode_terms
from qboot_tables.findings import ERROR, WARNING, Finding

# The types a field list's units take, whichever of the three field opcodes declared them (§19.6.46, .64, .7).
FIELD_OPS = frozenset({"Field", "IndexField", "BankField"})
CONDITIONAL_OPS = frozenset({"If", "Else", "While"})
# §20.2.3: the integer data objects, by opcode name.
INTEGER_OPS = frozenset({"Zero", "One", "BytePrefix", "WordPrefix", "DWordPrefix", "QWordPrefix"})
# §6.1.5 and §6.1.2: the names whose 32-bit integers are compressed EISA IDs rather than numbers.
EISA_ID_NAMES = frozenset({"_HID", "_CID", "_SUB"})
PROCESSOR_DEVICE_HID = "ACPI0007"  # §8.4: a processor declared as a Device

# (absolute path, type, declaring node, conditional): an object declared outside method bodies. The node is the
# declaring Op, or the FieldUnit of a field list.
Declaration = tuple[tuple, str, Op | FieldUnit, bool]


def path_text(path: tuple) -> str:
    """An absolute path as the namespace JSON writes it: '\\' and dotted four-character segments."""
    return "\\" + ".".join(path)


def eisa_id_text(value: int) -> str | None:
    """A compressed EISA ID as text ("PNP0A03"), or None when the integer is not one (§6.1.5: three 5-bit
    letters, then four hex digits, stored byte-swapped)."""
    if not 0 <= value <= 0xFFFFFFFF:
        return None
    swapped = int.from_bytes(value.to_bytes(4, "little"), "big")
    letters = [(swapped >> shift) & 0x1F for shift in (26, 21, 16)]
    if swapped >> 31 or not all(1 <= letter <= 26 for letter in letters):
        return None
    return "".join(chr(0x40 + letter) for letter in letters) + f"{swapped & 0xFFFF:04X}"


def table_namespace(table: AmlTable) -> list[dict]:
    """Every object the table declares outside method bodies, in table order (duplicates kept)."""
    objects: list[dict] = []
    ones = ones_value(table)
    _walk(table.terms, (), objects, ones, conditional=False, declare=_entry)
    return objects


def ones_value(table: AmlTable) -> int:
    """Ones: all bits of the table's integer width; revision 1 definition blocks have 32-bit integers (§5.2.11.1)."""
    revision = table.header[8] if len(table.header) > 8 else 2
    return (1 << 32) - 1 if revision < 2 else (1 << 64) - 1


def declarations(table: AmlTable) -> list[Declaration]:
    """(path, type, declaring node, conditional) of each object outside method bodies: the one walk that
    `table_namespace`, the duplicate check and the processor reader share."""
    found: list[Declaration] = []
    _walk(table.terms, (), found, None, conditional=False,
          declare=lambda out, path, kind, op, conditional, ones: out.append((path, kind, op, conditional)))
    return found


def objects(tables: list[AmlTable]) -> dict:
    """Every declaration of a table set outside method bodies, keyed by (path, occurrence): (table label, type,
    the declaring node, its own bytes). A container's own bytes leave out its children, which are objects of
    their own, so a diff names the object that changed rather than every scope above it."""
    found: dict[tuple[tuple, int], tuple[str, str, Op | FieldUnit, bytes]] = {}
    seen: dict[tuple, int] = {}  # path -> declarations so far
    for table in tables:
        for path, kind, node, _conditional in declarations(table):
            occurrence = seen[path] = seen.get(path, 0) + 1
            found[(path, occurrence)] = (table.label, kind, node, encode_terms([without_children(node)]))
    return found


def without_children(node):
    """A Device, Scope, Processor, PowerResource or ThermalZone with an empty body: what it says of itself. A
    Method's body is its own, so it stays; any other node is returned as it is."""
    if type(node) is Op and node.spec.args.endswith("L") and node.spec.name != "Method":
        return Op(node.spec, node.offset, node.args[:-1] + [[]], None)
    return node


def _walk(terms: list, scope: tuple, out: list, ones, conditional: bool, declare) -> None:
    for term in terms:
        if type(term) is not Op:
            continue
        spec = term.spec
        name = spec.name
        if spec.declares is not None:
            path = resolve(scope, declared_name(spec, term.args))
            declare(out, path, spec.declares, term, conditional, ones)
            if name in ("Device", "Processor", "PowerResource", "ThermalZone"):
                _walk(term.args[-1], path, out, ones, conditional, declare)
        elif name == "Scope":
            _walk(term.args[1], resolve(scope, term.args[0]), out, ones, conditional, declare)
        elif name in CONDITIONAL_OPS:
            _walk(term.args[-1], scope, out, ones, True, declare)
        elif name in FIELD_OPS:
            for unit in term.args[-1]:
                if type(unit) is FieldUnit and unit.name is not None:
                    declare(out, scope + (unit.name,), "Field", unit, conditional, ones)


def _entry(out: list, path: tuple, kind: str, op, conditional: bool, ones: int) -> None:
    entry: dict[str, object] = {"path": path_text(path), "type": kind}
    if kind == "Name":
        value = constant(op.args[1], ones, path[-1] if path else "")
        if value is not None:
            entry["value"] = value
            routing = interrupt_routing(value)
            if routing is not None:
                entry["routing"] = routing
    elif kind == "Method":
        entry["arguments"] = op.args[1] & MethodFlags.ARG_COUNT
    if conditional:
        entry["conditional"] = True
    out.append(entry)


def constant(node, ones: int, name: str = ""):
    """The JSON value of constant data (integers, strings, EISA IDs, buffers, packages, references), or None
    when the value is computed at run time."""
    kind = type(node)
    if kind is NameRef:
        return {"reference": node.name.asl()} if node.name.form != "null" else None
    if kind is not Op:
        return None
    op = node.spec.name
    if op in INTEGER_OPS:
        value = node.args[0] if node.args else (1 if op == "One" else 0)
        if name in EISA_ID_NAMES and op == "DWordPrefix":
            text = eisa_id_text(value)
            if text is not None:
                return {"eisa_id": text}
        return value
    if op == "Ones":
        return ones
    if op == "StringPrefix":
        return node.args[0].decode("latin-1")
    if op == "Buffer":
        return buffer_value(node)
    if op in ("Package", "VarPackage"):
        elements = [constant(element, ones, name) for element in node.args[-1]]
        return None if any(element is None for element in elements) else elements
    return None


def buffer_value(node: Op):
    """A Buffer: its decoded resource template when it holds one (as iasl decides), else its bytes in hex."""
    from qboot_tables.aml.resources import decode_template, resource_json

    size, content = node.args[0], node.args[1]
    if type(size) is not Op or size.spec.name not in INTEGER_OPS:
        return None
    declared = size.args[0] if size.args else (1 if size.spec.name == "One" else 0)
    if declared == len(content):
        template = decode_template(content)
        if template is not None:
            return {"resource_template": [resource_json(resource) for resource in template]}
    value = {"buffer": content.hex(" ")}
    if declared != len(content):
        value["size"] = declared  # §19.6.10: a larger size pads with zeros
    return value


def interrupt_routing(value) -> list[dict] | None:
    """A _PRT-shaped package (§6.2.13) as routing entries, or None when the value is not one: every element a
    package of address (device in the high word, 0xFFFF below), pin 0-3, source and source index."""
    if not isinstance(value, list) or not value:
        return None
    routes = []
    for entry in value:
        if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], int)
                and entry[0] & 0xFFFF == 0xFFFF and entry[1] in (0, 1, 2, 3) and isinstance(entry[3], int)):
            return None
        source = entry[2]
        if isinstance(source, dict) and "reference" in source:
            target = {"link": source["reference"], "link_index": entry[3]}
        elif source == 0:
            target = {"gsi": entry[3]}
        else:
            return None
        routes.append({"device": entry[0] >> 16, "pin": "ABCD"[entry[1]], **target})
    return routes


# --- processors ------------------------------------------------------------------------------------------------

class ProcessorObject:
    """A processor the namespace declares, in either style: Processor() or Device with _HID "ACPI0007" (§8.4)."""

    __slots__ = ("path", "kind", "processor_id", "uid", "mat", "sta", "pxm")

    def __init__(self, path, kind, processor_id, uid, mat, sta, pxm):
        self.path = path  # "\\_SB_.CPU0"
        self.kind = kind  # "Processor" or "Device"
        self.processor_id = processor_id  # a Processor's ProcessorID; None for a Device
        self.uid = uid  # the constant _UID (an int, or a str), None when absent or computed
        self.mat = mat  # the constant _MAT buffer's bytes, None when absent or computed
        self.sta = sta  # the constant _STA, None when absent or a method
        self.pxm = pxm  # the constant _PXM, None when absent or a method

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1].lstrip("\\")


def processors(tables: list[AmlTable]) -> list[ProcessorObject]:
    """The processor objects of a decoded table set, in table order, with the constants their children name."""
    found: list[ProcessorObject] = []
    children: dict[tuple, object] = {}  # a Name's path -> its value's node
    all_declarations: list[tuple[tuple, str, Op]] = []
    for table in tables:
        for path, kind, op, _conditional in declarations(table):
            if type(op) is not Op:
                continue  # a field unit: neither a processor nor a Name
            all_declarations.append((path, kind, op))
            if kind == "Name":
                children.setdefault(path, op.args[1])
    ones = (1 << 64) - 1
    for path, kind, op in all_declarations:
        if kind == "Processor":
            processor_id = op.args[1]
        elif kind == "Device":
            hid = children.get(path + ("_HID",))
            hid_value = constant(hid, ones, "_HID") if hid is not None else None
            if hid_value not in (PROCESSOR_DEVICE_HID, {"eisa_id": PROCESSOR_DEVICE_HID}):
                continue
            processor_id = None
        else:
            continue

        def child(segment):
            node = children.get(path + (segment,))
            return constant(node, ones) if node is not None else None

        mat = children.get(path + ("_MAT",))
        mat_bytes = bytes(mat.args[1]) if type(mat) is Op and mat.spec.name == "Buffer" else None
        found.append(ProcessorObject(path_text(path), kind, processor_id, child("_UID"), mat_bytes,
                                     child("_STA"), child("_PXM")))
    return found


# --- references ------------------------------------------------------------------------------------------------

def references(table: AmlTable) -> list[tuple]:
    """(scope, NameString, offset, in_method, guarded) for every name the table uses: in expressions, targets,
    package elements and scope openers. `guarded` is true under a CondRefOf test of that name."""
    out: list[tuple] = []
    _references(table.terms, (), False, frozenset(), out)
    return out


_SCOPE_OPENERS = frozenset({"Device", "Processor", "PowerResource", "ThermalZone", "Method"})
# Opcode name -> (index, whether a term list) of each argument a name can be used in (TermArgs, targets,
# SuperNames, data objects, term and element lists). Left out: CondRefOf's operand, the one place a missing
# name is the expected answer, External's name, and the names Alias and the field ops use, which are read apart.
_NAME_PLACES = {name: tuple((index, kind in "LE") for index, kind in enumerate(kinds) if kind in "TOURLE")
                for name, kinds in ARG_KINDS.items()}
for _name in ("CondRefOf", "External", "Alias", *FIELD_OPS):
    _NAME_PLACES[_name] = ()


def _references(terms, scope: tuple, in_method: bool, guards: frozenset, out: list) -> None:
    # Appends to one list rather than yielding: a generator per level costs every name the depth of its nesting.
    for term in terms:
        kind = type(term)
        if kind is NameRef:
            name = term.name
            if name.form != "null":
                out.append((scope, name, term.offset, in_method, bool(guards) and name in guards))
        elif kind is Call:
            name = term.name
            out.append((scope, name, term.offset, in_method, bool(guards) and name in guards))
            _references(term.args, scope, in_method, guards, out)
        elif kind is Op:
            name = term.spec.name
            args = term.args
            places = _NAME_PLACES[name]
            if not places:
                if name == "Alias":
                    out.append((scope, args[0], term.offset, in_method, False))
                elif name in FIELD_OPS:
                    for region in args:
                        if type(region) is NameString:
                            out.append((scope, region, term.offset, in_method, False))
                continue
            inner, inner_method, inner_guards = scope, in_method, guards
            if name == "Scope":
                out.append((scope, args[0], term.offset, in_method, False))
                inner = resolve(scope, args[0])
            elif name in _SCOPE_OPENERS:
                inner = resolve(scope, args[0])
                inner_method = in_method or name == "Method"
            elif (name == "If" or name == "While") and type(args[0]) is Op:
                inner_guards = guards | _condref_names(args[0])
            for index, is_list in places:
                arg = args[index]
                if is_list:
                    _references(arg, inner, inner_method, inner_guards, out)
                    continue
                kind = type(arg)
                if kind is NameRef:  # the commonest operand that names something, read here without a call
                    name = arg.name
                    if name.form != "null":
                        out.append((scope, name, arg.offset, in_method, bool(guards) and name in guards))
                elif kind is not Op or arg.args:  # an Op without arguments (Local0, Zero) uses no name
                    _references((arg,), scope, in_method, guards, out)


def _condref_names(predicate: Op) -> frozenset:
    """The names a predicate tests with CondRefOf (possibly inside LAnd/LOr/LNot)."""
    names = set()
    stack = [predicate]
    while stack:
        node = stack.pop()
        if type(node) is not Op:
            continue
        if node.spec.name == "CondRefOf" and type(node.args[0]) is NameRef:
            names.add(node.args[0].name)
        elif node.spec.name in ("LAnd", "LOr", "LNot", "LEqual"):
            stack.extend(node.args)
    return frozenset(names)


# --- checks ----------------------------------------------------------------------------------------------------

MAX_NAMES_SHOWN = 8  # names listed in the one warning about unresolved names in method bodies


def aml_findings(tables: list[AmlTable]) -> list[Finding]:
    """What Linux's ACPICA would trip on, for a table set decoded together: the decoder's own findings, a name
    declared twice (AE_ALREADY_EXISTS at load) and names that resolve to nothing (AE_NOT_FOUND)."""
    out = []
    for table in tables:
        out += table.findings
    out += _duplicates(tables)
    answers: dict[int, dict] = {}  # id() of a set's Names -> the answers its tables share
    for table in tables:
        out += _unresolved(table, answers.setdefault(id(table.names), {}))
    return out


def _duplicates(tables: list[AmlTable]) -> list[Finding]:
    # Declarations in If/Else/While blocks are left out: two branches may each declare the name.
    first: dict[tuple, str] = {}  # path -> the table that declared it first
    out: list[Finding] = []
    for table in tables:
        for path, kind, op, conditional in declarations(table):
            if conditional:
                continue
            if path in first:
                where = first[path]
                out.append(Finding(ERROR, table.label, path_text(path), f"{kind} declared again (first in "
                                   f"{where}): the OS refuses the second one (AE_ALREADY_EXISTS)"))
            else:
                first[path] = table.label
    return out


def _unresolved(table: AmlTable, answers: dict) -> list[Finding]:
    """`answers` is search_outward's memo, shared by the tables of one set."""
    known = table.names.arguments
    out, in_methods, seen = [], [], set()
    for scope, name, offset, in_method, guarded in references(table):
        if guarded:
            continue
        segments = name.segments
        if name.prefix or len(segments) != 1:
            path = resolve(scope, name)
            if path in known or not path:  # `known` holds the predefined objects too
                continue
        elif search_outward(known, scope, segments, answers) is not None:
            continue
        text = name.asl()
        if in_method:
            # Fails only when the method runs, and firmware often guards such code with a run-time test:
            # one warning per table names them all.
            if text not in in_methods:
                in_methods.append(text)
        elif (text, scope) not in seen:
            seen.add((text, scope))  # load time: ACPICA logs AE_NOT_FOUND and skips the object
            out.append(Finding(ERROR, table.label, f"AML offset {offset:#x}",
                               f"{text} resolves to no object from {path_text(scope)} in the table set "
                               "(AE_NOT_FOUND at load)"))
    if in_methods:
        shown = ", ".join(in_methods[:MAX_NAMES_SHOWN]) + (", ..." if len(in_methods) > MAX_NAMES_SHOWN else "")
        out.append(Finding(WARNING, table.label, "methods", f"{len(in_methods)} names used in method bodies "
                                                            f"resolve to no object in the table set: {shown}"))
    return out

