"""HEST: its descriptor and checks."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas.acpi.hest import (HEST_AER_TYPES, HEST_BANK_FORMATS, HEST_IA32_TYPES, HEST_MIN_LENGTH,
                                            HEST_NOTIFY_TYPES, HEST_TYPES, HestAerFlags, HestNotifyConfigWriteEnable,
                                            HestSourceFlags, hest)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def check_error_sources(table) -> list[Finding]:
    p = table.parsed
    count, found = p.error_source_count, len(p.error_sources)
    if count > found:
        # Linux (drivers/acpi/apei/hest.c, apei_hest_parse) walks error_source_count structures and gives up on
        # the whole HEST ("Table contents overflow", or an unknown type) when they do not fit in the table.
        after = f"; type {int.from_bytes(p.extra[:2], 'little')} cannot be read" if len(p.extra) >= 2 else ""
        return [Finding(ERROR, table.name, "error_source_count",
                        f"{count}, but only {found} error sources fit in the table{after}")]
    if count < found:
        return [Finding(WARNING, table.name, "error_source_count",
                        f"{count}, but the table holds {found} error sources (the rest are ignored)")]
    return []


DESCRIPTOR = TableDescriptor(
    signature="HEST",
    title="Hardware Error Source Table (HEST)",
    schema=hest,
    spec="ACPI 6.5 §18.3.2",
    min_length=HEST_MIN_LENGTH,
    meanings={
        (None, "type"): enum_name(HEST_TYPES, "Reserved"),
        **{(kind, "flags"): bit_names(HestSourceFlags) for kind in HEST_IA32_TYPES},
        **{(kind, "flags"): bit_names(HestAerFlags) for kind in HEST_AER_TYPES},
        (None, "status_data_format"): enum_name(HEST_BANK_FORMATS, "Reserved"),
        (None, "notify_type"): enum_name(HEST_NOTIFY_TYPES, "Reserved"),
        (None, "configuration_write_enable"): bit_names(HestNotifyConfigWriteEnable),
    },
    subtables=Subtables(field="error_sources", names=HEST_TYPES,
                        keys={kind: ("source_id", "source ID") for kind in HEST_TYPES}),
    checks=(check_error_sources,),
)
