"""RSDT and XSDT: the root tables, which differ only in the width of their entries."""
from construct import GreedyRange, Int32ul, Int64ul

from qboot_tables.schemas.common import table


def sdt_pointer_table(entry_type):
    # ACPI 6.5 §5.2.7 RSDT (32-bit entries) and §5.2.8 XSDT (64-bit entries): header, then table addresses.
    return table("entries" / GreedyRange(entry_type))


rsdt = sdt_pointer_table(Int32ul)
xsdt = sdt_pointer_table(Int64ul)
