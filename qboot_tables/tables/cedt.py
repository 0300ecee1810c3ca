"""CEDT: its descriptor and its check of the interleave targets."""
from __future__ import annotations

from construct import Container

from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas.acpi.cedt import (CEDT_CXL_VERSIONS, CEDT_INTERLEAVE_ARITHMETIC, CEDT_INTERLEAVE_WAYS,
                                            CEDT_SUBTABLE_SIZES, CEDT_TYPES, CedtType, WindowRestrictions, cedt)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def interleave_ways(value, _context) -> str:
    ways = CEDT_INTERLEAVE_WAYS.get(value)
    return f"{ways}-way" if ways else f"Reserved ({value})"


def granularity(value, _context) -> str:
    if value > 6:  # CXL 3.0 §9.17.1.3: 256 bytes to 16 KiB
        return f"Reserved ({value})"
    return byte_size(256 << value, None) or f"{256 << value} bytes"


def check_targets(table) -> list[Finding]:
    """A CFMWS lists one target per interleave way (CXL 3.0 §9.17.1.3). Linux drivers/cxl/acpi.c
    cxl_acpi_cfmws_verify() refuses a window with reserved ways or fewer targets than ways, and goes on with
    the other windows, so this is a warning."""
    out = []
    for i, sub in enumerate(table.parsed.subtables):
        if sub.type != CedtType.CFMWS or not isinstance(sub.body, Container):
            continue
        ways = CEDT_INTERLEAVE_WAYS.get(sub.body.interleave_ways)
        if ways is None or ways > len(sub.body.interleave_targets):
            out.append(Finding(WARNING, table.name, f"subtables[{i}]",
                               f"interleave ways {sub.body.interleave_ways} (encoded) with "
                               f"{len(sub.body.interleave_targets)} targets: the OS ignores this window"))
    return out


DESCRIPTOR = TableDescriptor(
    signature="CEDT",
    title="CXL Early Discovery Table (CEDT)",
    schema=cedt,
    spec="Compute Express Link Specification 3.0 §9.17.1",
    min_length=36,
    meanings={
        (None, "type"): enum_name(CEDT_TYPES, "Reserved"),
        (CedtType.CHBS, "cxl_version"): enum_name(CEDT_CXL_VERSIONS, "Reserved"),
        (CedtType.CHBS, "length"): byte_size,
        (CedtType.CFMWS, "window_size"): byte_size,
        (CedtType.CFMWS, "interleave_ways"): interleave_ways,
        (CedtType.CFMWS, "interleave_arithmetic"): enum_name(CEDT_INTERLEAVE_ARITHMETIC, "Reserved"),
        (CedtType.CFMWS, "granularity"): granularity,
        (CedtType.CXIMS, "granularity"): granularity,
        (CedtType.CFMWS, "restrictions"): bit_names(WindowRestrictions),
    },
    subtables=Subtables(names=CEDT_TYPES, sizes=CEDT_SUBTABLE_SIZES, keys={
        CedtType.CHBS: ("body.uid", "UID"),
        CedtType.CFMWS: ("body.base_hpa", "base"),
    }),
    items="subtable",
    checks=(check_targets,),
)
