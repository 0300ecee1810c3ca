"""QEMU 7.2's readers of command-line text: numbers, sizes, key=value options, booleans and UUIDs."""
from __future__ import annotations

import re
import uuid as uuid_module

from qboot_tables.errors import quote
from qboot_tables.generate.machine.model import MachineConfigError

# ---- user text in messages

def located(label: str, text: str) -> str:
    """Where a bad value sits: "-m maxmem='1.5'", "-m '1.5'" (label "-m maxmem=" or "-m")."""
    return label + ("" if label.endswith("=") else " ") + quote(text)


# ---- numbers: QEMU's own parsers of command-line text
#
# QEMU 7.2 reads every number on its command line with C's strtoull/strtoll in the C locale (util/cutils.c
# qemu_strtou64, qemu_strtoi64, parse_uint and qemu_strtosz), behind three front ends that word their errors
# differently: QemuOpts (util/qemu-option.c: -m, -smbios), keyval with the QObject input visitor
# (util/keyval.c, qapi/qobject-input-visitor.c: -smp, -machine, -boot) and the OptsVisitor
# (qapi/opts-visitor.c: -numa, -object). So the syntax is ASCII only: leading C white space, one sign, a 0x
# prefix or a leading 0 (octal) where the base is 0, and nothing after the digits. Python's int() would also
# take Unicode digits, "1_000" and trailing blanks, and refuses more than 4,300 digits with a ValueError;
# here digits are counted first and at most a few dozen ever reach int().

U64_LIMIT = 1 << 64
U32_MASK = 0xFFFF_FFFF
_C_SPACE = frozenset(" \t\n\v\f\r")  # isspace() in the C locale
DIGITS = {8: frozenset("01234567"), 10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}
_MAX_DIGITS = {8: 22, 10: 20, 16: 16}  # more significant digits than this is >= 2**64 in that base
_SIZE_SHIFT = {c: shift for letters, shift in (("bB", 0), ("kK", 10), ("mM", 20), ("gG", 30), ("tT", 40),
                                               ("pP", 50), ("eE", 60)) for c in letters}
DBL_MIN = 2.2250738585072014e-308  # below it (but not 0) glibc's strtod reports ERANGE (underflow)
OPTS_VISITOR_RANGE_MAX = 65536  # qapi/opts-visitor.c: the most values one "a-b" range may give


class _NotANumber(Exception):
    """Internal: the text is no number for this parser; too_big when C would report ERANGE. Always turned into
    a MachineConfigError by the parse_* function that called the scanner."""

    def __init__(self, too_big: bool = False):
        super().__init__()
        self.too_big = too_big


def _strto(text: str, start: int, base: int) -> tuple[int, int, bool]:
    """glibc strtoull/strtoll's scan from `start`: (magnitude, end, negative); end is `start` when there is no
    number. The magnitude is capped at 2**64, which is out of range for every caller."""
    i, n = start, len(text)
    while i < n and text[i] in _C_SPACE:
        i += 1
    negative = False
    if i < n and text[i] in "+-":
        negative = text[i] == "-"
        i += 1
    # "0x" counts as a prefix only before a hex digit; otherwise the "0" is the number and "x" follows it.
    if base in (0, 16) and text[i:i + 2] in ("0x", "0X") and text[i + 2:i + 3] in DIGITS[16]:
        i, base = i + 2, 16
    elif base == 0:
        base = 8 if text[i:i + 1] == "0" else 10
    digits, first = DIGITS[base], i
    while i < n and text[i] in digits:
        i += 1
    if i == first:
        return 0, start, False
    significant = text[first:i].lstrip("0")
    if len(significant) > _MAX_DIGITS[base]:
        return U64_LIMIT, i, negative
    return min(int(significant or "0", base), U64_LIMIT), i, negative


def _strtou64(text: str) -> int:
    """qemu_strtou64(text, NULL, 0): strtoull over the whole text. A minus sign wraps ("-1" is 2**64 - 1)."""
    magnitude, end, negative = _strto(text, 0, 0)
    if end == 0 or end != len(text):
        raise _NotANumber()
    if magnitude >= U64_LIMIT:
        raise _NotANumber(too_big=True)
    return -magnitude % U64_LIMIT if negative else magnitude


def _strtoi64(text: str) -> int:
    """qemu_strtoi64(text, NULL, 0): strtoll over the whole text, -2**63 to 2**63 - 1."""
    magnitude, end, negative = _strto(text, 0, 0)
    if end == 0 or end != len(text):
        raise _NotANumber()
    if magnitude > (1 << 63) - (0 if negative else 1):
        raise _NotANumber(too_big=True)
    return -magnitude if negative else magnitude


def _parse_uint_prefix(text: str, start: int) -> tuple[int, int]:
    """util/cutils.c parse_uint: strtoull from `start`, but a minus sign or overflow is an error."""
    magnitude, end, negative = _strto(text, start, 0)
    if end == start or negative or magnitude >= U64_LIMIT:
        raise _NotANumber()
    return magnitude, end


def _strtosz(text: str, default_suffix: str = "b") -> int:
    """qemu_strtosz as QEMU 7.2 has it (util/cutils.c do_strtosz): a decimal integer, or 0x and hex digits,
    optionally a fraction, then one of B K M G T P E (any case, powers of 1024)."""
    magnitude, end, _ = _strto(text, 0, 10)
    fraction = 0  # 64.64 fixed point, as QEMU keeps it
    if end == 0:
        raise _NotANumber()
    if magnitude >= U64_LIMIT:
        raise _NotANumber(too_big=end == len(text))  # trailing text makes any error "invalid"
    if "-" in text[:end]:
        raise _NotANumber()
    if magnitude == 0 and text[end:end + 1] in ("x", "X"):
        magnitude, end, _ = _strto(text, 0, 16)
        if magnitude >= U64_LIMIT:
            raise _NotANumber(too_big=end == len(text))
        if text[end:end + 1] == ".":
            raise _NotANumber()
        # A suffix after hex digits is only deprecated in 7.2 (a warning); 8.0 refuses it.
    elif text[end:end + 1] == ".":
        end, fraction = _strtosz_fraction(text, end)
    suffix = text[end:end + 1]
    if suffix and suffix in _SIZE_SHIFT:
        shift, end = _SIZE_SHIFT[suffix], end + 1
    else:
        shift = _SIZE_SHIFT[default_suffix]
    if end < len(text):
        raise _NotANumber()
    if shift == 0:
        if fraction:
            raise _NotANumber()  # a fraction needs a scale
        return magnitude
    # The exact product rounded half up (do_strtosz's mulu64 pair), refused past 64 bits.
    whole, rest = divmod(fraction << shift, U64_LIMIT)
    value = (magnitude << shift) + whole + (rest >> 63)
    if value >= U64_LIMIT:
        raise _NotANumber(too_big=True)
    return value


def _strtosz_fraction(text: str, point: int) -> tuple[int, int]:
    """The fraction after the integer part of a size: (where parsing goes on, fraction as 64.64 fixed point).

    QEMU hands ".digits" to strtod. Without digits ("1.k") it steps over the point. An exponent makes the size
    invalid, unless strtod reports ERANGE first (the value underflows or overflows a double): then QEMU steps
    one character past what strtod read, whatever that character is, and keeps a fraction of 0. So
    "1.<400 zeros>1KG" is 1 GiB (the K is skipped); measured against QEMU 7.2 (tests/test_machine.py)."""
    i, n = point + 1, len(text)
    while i < n and text[i] in DIGITS[10]:
        i += 1
    if i == point + 1:
        return point + 1, 0
    digits_end = i
    if i < n and text[i] in "eE":  # strtod takes an exponent only with digits after it
        j = i + 1 + (text[i + 1:i + 2] in ("+", "-"))
        k = j
        while k < n and text[k] in DIGITS[10]:
            k += 1
        if k > j:
            i = k
    # Python's float() rounds like glibc's strtod and has no limit on digits; exponents past its range give
    # inf or 0.0, as strtod's ERANGE cases do.
    value = float("0" + text[point:i])
    nonzero = text[point + 1:digits_end].strip("0") != ""
    if value == float("inf") or (nonzero and value < DBL_MIN):
        # Past the end, QEMU reads beyond the string's NUL (undefined); QEMU 7.2 here treats it as the end.
        return min(i + 1, n), 0
    if i != digits_end:
        raise _NotANumber()  # an exponent
    # (uint64_t)(fraction * 2**64): a fraction that rounds to 1.0 converts to 0 on x86-64 (measured).
    scaled = int(value * float(U64_LIMIT))
    return i, scaled if scaled < U64_LIMIT else 0


def parse_size(text: str, label: str, default_suffix: str = "b", *, param: str = "size",
               expects: str | None = None) -> int:
    """A size QEMU reads with qemu_strtosz. The messages are QemuOpts' (-m) unless `expects` gives the
    visitor's wording: keyval's "size" (-machine, -m's second pass) or the OptsVisitor's "a size value"."""
    try:
        return _strtosz(text, default_suffix)
    except _NotANumber as error:
        too_big = error.too_big
    if expects is not None:
        message = f"{located(label, text)}: Parameter '{param}' expects {expects}"
    elif too_big:
        message = f"{label.rstrip('= ')}: Value {quote(text)} is out of range for parameter '{param}'"
    else:
        message = f"{located(label, text)}: Parameter '{param}' expects a non-negative number below 2^64"
    raise MachineConfigError(message)


def parse_number(text: str, label: str, param: str) -> int:
    """A QemuOpts number (QEMU_OPT_NUMBER: -m slots=, -smbios speeds, type and processor-id): qemu_strtou64
    base 0, so "-1" is 2**64 - 1."""
    try:
        return _strtou64(text)
    except _NotANumber as error:
        too_big = error.too_big
    if too_big:
        raise MachineConfigError(f"{label.rstrip('= ')}: Value {quote(text)} is too large for parameter '{param}'")
    raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects a number")


def parse_int(text: str, label: str, param: str, expects: str = "integer") -> int:
    """A signed 64-bit integer: keyval's (-smp, -boot: "expects integer") or the OptsVisitor's (-numa cpu ids:
    "expects an int64 value"); both are qemu_strtoi64 base 0."""
    try:
        return _strtoi64(text)
    except _NotANumber:
        raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects {expects}") from None


def parse_uint(text: str, label: str, param: str, bits: int = 64) -> int:
    """An OptsVisitor unsigned integer (-numa nodeid, src, dst, val): parse_uint base 0, no minus sign, then
    the field's width (visit_type_uint16 / uint8)."""
    try:
        magnitude, end = _parse_uint_prefix(text, 0)
        if end != len(text):
            raise _NotANumber()
    except _NotANumber:
        raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects a uint64 value") from None
    if magnitude >> bits:
        raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects uint{bits}_t")
    return magnitude


def parse_cpu_list(text: str, label: str, param: str = "cpus") -> list[int]:
    """One -numa node,cpus= value: "N" or "A-B" (OptsVisitor uint16 list), a range at most 65536 long."""
    try:
        first, end = _parse_uint_prefix(text, 0)
        last = first
        if end != len(text):
            if text[end] != "-":
                raise _NotANumber()
            last, end = _parse_uint_prefix(text, end + 1)
            if end != len(text) or last < first or last - first >= OPTS_VISITOR_RANGE_MAX:
                raise _NotANumber()
    except _NotANumber:
        raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects a uint64 value or range") \
            from None
    if last > 0xFFFF:
        # QEMU names the list element 'null' here; the reason is the same.
        raise MachineConfigError(f"{located(label, text)}: Parameter '{param}' expects uint16_t")
    return list(range(first, last + 1))


def parse_release(text: str, label: str) -> tuple[int, int]:
    """-smbios type=0,release=: hw/smbios/smbios.c reads it with sscanf("%hhu.%hhu"). Each %hhu skips white
    space, takes a sign and decimal digits as strtoul does and keeps the low 8 bits; text after the minor
    number is ignored. So "300.1" is 44.1, "-1.2" is 255.2 and "1.2.3" is 1.2 (measured against QEMU 7.2)."""
    def hhu(start: int) -> tuple[int, int]:
        magnitude, end, negative = _strto(text, start, 10)
        if end == start:
            raise MachineConfigError(f"{located(label, text)}: Invalid release")
        value = U64_LIMIT - 1 if magnitude >= U64_LIMIT else (-magnitude % U64_LIMIT if negative else magnitude)
        return value & 0xFF, end

    major, end = hhu(0)
    if text[end:end + 1] != ".":
        raise MachineConfigError(f"{located(label, text)}: Invalid release")
    minor, _ = hhu(end + 1)
    return major, minor


def parse_opts(text: str, option: str, implied: str | None) -> list[tuple[str, str]]:
    """QemuOpts/keyval "a,k=v,k2=v2" with ",," for a literal comma; the first bare value is `implied`."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == ",":
            if text[i + 1:i + 2] == ",":
                current.append(",")
                i += 2
                continue
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    parts.append("".join(current))
    pairs = []
    for position, part in enumerate(parts):
        if "=" in part:
            key, _, value = part.partition("=")
            pairs.append((key, value))
        elif position == 0 and implied is not None:
            pairs.append((implied, part))
        elif part == "" and position == len(parts) - 1 and position > 0:
            continue  # a trailing comma
        else:
            raise MachineConfigError(f"{option}: expected key=value, got {quote(part)}")
    return pairs


# qapi/qapi-util.c qapi_bool_parse: exactly these spellings, case included.
BOOL_WORDS = {"on": True, "yes": True, "true": True, "y": True, "off": False, "no": False, "false": False,
              "n": False}


def parse_bool(value: str, label: str, param: str) -> bool:
    """A bool property (-machine hpet=, graphics=, -boot menu=, -smbios uefi=)."""
    if value in BOOL_WORDS:
        return BOOL_WORDS[value]
    raise MachineConfigError(f"{located(label, value)}: Parameter '{param}' expects 'on' or 'off'")


def parse_on_off_auto(value: str, label: str, param: str, auto: bool) -> bool:
    """An OnOffAuto property (-machine smm=, acpi=): the enum takes only on, off and auto."""
    if value in ("on", "off", "auto"):
        return auto if value == "auto" else value == "on"
    raise MachineConfigError(f"{label.rstrip('= ')}: Parameter '{param}' does not accept value {quote(value)}")


def parse_uuid(text: str, option: str) -> bytes:
    # util/uuid.c qemu_uuid_parse: exactly 8-4-4-4-12 hex digits.
    if not re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text):
        raise MachineConfigError(f"{option}: failed to parse UUID string {quote(text)}: wrong format")
    return uuid_module.UUID(text).bytes


def signed32(value: int) -> int:
    """An unsigned 32-bit count as QEMU's %d prints it: 4294967295 is -1."""
    return value - (1 << 32) if value >> 31 else value
