"""SMBIOS structure primitives: the header constants and the helpers that lay out fields by spec offset."""
from construct import Array, Construct, GreedyBytes, If, Int8ul, Int16ul, Struct, this

# §6.1.2 Structure header: type, length of the formatted area (header included), handle.
HEADER_SIZE = 4
MAX_HANDLE = 0xFF00  # handles run from 0 to FF00h since 2.1
TYPE_END_OF_TABLE = 127

STRING = Int8ul  # §6.1.3: a string field holds the 1-based index of a string in the set; 0 means none.
HANDLE = Int16ul  # §6.1.2: a handle names another structure


def fields_at_spec_offsets(*fields, start: int = HEADER_SIZE) -> list:
    """Fixed-size fields at consecutive offsets; each is present only when the structure's length covers it.

    Older SMBIOS versions have shorter structures (§6.1.2: the length tells which fields exist), so a field
    past `length` parses as None and builds nothing, and the bytes of a field cut in half land in `extra`.
    """
    present = []
    end = start
    for field in fields:
        end += field.subcon.sizeof()
        present.append(field.name / If(this._.length >= end, field.subcon))
    return present


def fields_after(start, *fields) -> list:
    """Like fields_at_spec_offsets, for fields that follow a variable part: `start(ctx)` is the offset of the
    first one, or None while the variable part is itself absent."""
    present = []
    end = 0
    for field in fields:
        end += field.subcon.sizeof()
        present.append(field.name / If(lambda ctx, end=end: start(ctx) is not None
                                       and ctx._.length >= start(ctx) + end, field.subcon))
    return present


def counted(count_field: str, offset: int, item_size: int, item: Construct) -> Construct:
    """An array of `count_field` items that starts at `offset`, present only when the length covers all of it
    (dmidecode and firmware readers skip a list that does not fit)."""
    def fits(ctx):
        count = ctx[count_field]
        return count is not None and ctx._.length >= offset + count * item_size
    return If(fits, Array(lambda ctx: ctx[count_field], item))


def end_of(count_field: str, offset: int, item_size: int):
    """The offset just past a counted array, for fields_after; None when the count is absent."""
    def at(ctx):
        count = ctx[count_field]
        return None if count is None else offset + count * item_size
    return at


def body(*fields):
    return Struct(*fields, "extra" / GreedyBytes)
