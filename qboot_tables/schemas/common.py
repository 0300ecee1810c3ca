"""Building blocks shared by every table family: the ACPI header, the Generic Address Structure, subtables."""
from enum import IntEnum

from construct import (Bytes, Computed, Construct, FixedSized, GreedyBytes, IfThenElse, Int8ul, Int32ul, Int64ul,
                       Optional, Struct, Switch, this)
from construct.core import StreamError, stream_read_entire, stream_seek, stream_tell, stream_write

# ACPI 6.5 §5.2.6 System Description Table Header (36 bytes). Text fields stay Bytes so every byte round-trips.
acpi_header = Struct(
    "signature" / Bytes(4),
    "length" / Int32ul,
    "revision" / Int8ul,
    "checksum" / Int8ul,
    "oem_id" / Bytes(6),
    "oem_table_id" / Bytes(8),
    "oem_revision" / Int32ul,
    "creator_id" / Bytes(4),
    "creator_revision" / Int32ul,
)
ACPI_HEADER_SIZE = 36

# ACPI 6.5 §5.2.3.2 Table 5.2: the Generic Address Structure's address space IDs and access sizes.
class GasSpace(IntEnum):
    SYSTEM_MEMORY = 0x00
    SYSTEM_IO = 0x01
    PCI_CONFIGURATION = 0x02
    EMBEDDED_CONTROLLER = 0x03
    SMBUS = 0x04
    SYSTEM_CMOS = 0x05
    PCI_BAR_TARGET = 0x06
    IPMI = 0x07
    GPIO = 0x08
    GENERIC_SERIAL_BUS = 0x09
    PCC = 0x0A
    PRM = 0x0B
    FUNCTIONAL_FIXED_HARDWARE = 0x7F


class GasAccessSize(IntEnum):
    UNDEFINED = 0
    BYTE = 1
    WORD = 2
    DWORD = 3
    QWORD = 4


# ACPI 6.5 §5.2.3.2 Generic Address Structure (12 bytes).
generic_address = Struct(
    "space_id" / Int8ul,
    "bit_width" / Int8ul,
    "bit_offset" / Int8ul,
    "access_size" / Int8ul,
    "address" / Int64ul,
)


def type_length_subtable(cases: dict, type_field=Int8ul, length_field=Int8ul, between=()):
    """A {type, length, body} record whose length counts the whole header too.

    construct's Prefixed(includelength=True) counts only the length field, which is wrong for ACPI subtables
    (MADT, SRAT) and SMBIOS structures. Type and length are 1 or 2 bytes wide (DMAR and NFIT: 2 and 2), and
    some headers put fields between them (`between`: IVRS's flags, CEDT's and HMAT's reserved bytes).
    Unknown types keep their body as raw bytes, and every known body ends in `extra` so a subtable longer
    than its spec size still round-trips. `length` is a plain field: builders fill it in one finish() step,
    and a test can still force a wrong value.
    """
    header_size = type_field.sizeof() + sum(f.sizeof() for f in between) + length_field.sizeof()
    record = Struct(
        "type" / type_field,
        *between,
        "length" / length_field,
        "body" / FixedSized(this.length - header_size, Switch(this.type, cases, default=GreedyBytes)),
    )
    record.header_size = header_size  # what a builder adds to a body's size to fill in `length`
    return record


def with_extra(*fields):
    """A Struct whose trailing bytes beyond the known fields are kept in `extra` rather than lost."""
    return Struct(*fields, "extra" / GreedyBytes)


def table(*body_fields):
    """An ACPI table: the standard header, the body fields, and any trailing bytes in `extra`."""
    return Struct("header" / acpi_header, *body_fields, "extra" / GreedyBytes)


class _ThroughNul(Construct):
    """Bytes up to and including the first NUL, or to the end (or `limit` bytes) when there is none; built back
    as given.

    construct's NullTerminated always writes a terminator when building, so a name without one, or with
    include=True, would not round-trip. Used for names in a subtable's tail (DMAR ANDD, DBG2), so that the name
    is one field and the padding after it lands in `extra` or a padding field.
    """

    def __init__(self, limit=None):
        super().__init__()
        self.limit = limit  # None, or the most bytes the name may take (an int or a function of the context)

    def _parse(self, stream, context, path):
        start = stream_tell(stream, path)
        rest = stream_read_entire(stream, path)
        if self.limit is not None:
            limit = self.limit(context) if callable(self.limit) else self.limit
            if limit < 0 or limit > len(rest):
                raise StreamError(f"a name of {limit} bytes does not fit in {len(rest)}", path=path)
            rest = rest[:limit]
        end = rest.find(b"\0") + 1 or len(rest)
        stream_seek(stream, start + end, 0, path)
        return rest[:end]

    def _build(self, obj, stream, context, path):
        stream_write(stream, obj, len(obj), path)
        return obj


through_nul = _ThroughNul()


def through_nul_within(limit):
    """A NUL-terminated name in a field of `limit` bytes: the name, NUL included, and not the rest."""
    return _ThroughNul(limit)


def optional_tail(*fields):
    """Fields that later revisions appended to a structure (FADT, GICC): each is parsed when the data still has
    room for it and every field before it was there, else it is None and builds to nothing. So a short (older)
    structure ends cleanly and its leftover bytes, if any, go to the `extra` that follows."""
    out, previous = [], None
    for field in fields:
        present = Optional(field.subcon)
        if previous is not None:
            # Computed(None), not Pass, on the else side: an absent field must leave None in the build context,
            # or the field after it would be built.
            present = IfThenElse(lambda ctx, name=previous: ctx.get(name) is not None, present, Computed(None))
        out.append(field.name / present)
        previous = field.name
    return out
