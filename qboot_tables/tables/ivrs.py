"""IVRS: its descriptor."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_fields, bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.ivrs import (IVHD_TYPES, IVMD_TYPES, IVRS_DATA_SETTING_SYSMGT, IVRS_ENTRY_TYPES,
                                            IVRS_INFO_FIELDS, IVRS_IVHD_INFO_FIELDS, IVRS_SUBTABLE_SIZES, IVRS_TYPES,
                                            IVRS_UID_FORMATS, IvhdFlags, IvmdFlags, IvrsDataSetting,
                                            IvrsSpecialVariety, ivrs)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

_ivhd_flags, _ivmd_flags = bit_names(IvhdFlags), bit_names(IvmdFlags)
_data_setting_flags = bit_names(IvrsDataSetting)


def block_flags(value, context) -> str:
    """IVHD and IVMD blocks give the flags byte of their common header different bits."""
    kind = getattr(context, "type", None)
    if kind in IVHD_TYPES:
        return _ivhd_flags(value, context)
    return _ivmd_flags(value, context) if kind in IVMD_TYPES else ""


def data_setting(value, context) -> str:
    first, count = IVRS_DATA_SETTING_SYSMGT
    sysmgt = value >> first & ((1 << count) - 1)
    names = _data_setting_flags(value & ~(((1 << count) - 1) << first), context)
    return f"{names}, SysMgt={sysmgt}" if sysmgt else names


def device_id(value, _context) -> str:
    return f"{value >> 8:02x}:{value >> 3 & 0x1F:02x}.{value & 7}"


DESCRIPTOR = TableDescriptor(
    signature="IVRS",
    title="I/O Virtualization Reporting Structure (IVRS)",
    schema=ivrs,
    spec="AMD I/O Virtualization Technology (IOMMU) Specification 48882 rev. 3.08 §5.2",
    min_length=48,
    meanings={
        (None, "type"): enum_name(IVRS_TYPES, "Reserved"),
        (None, "flags"): block_flags,
        (None, "info"): bit_fields(IVRS_INFO_FIELDS),
        (None, "device_id"): device_id,
        (None, "source_device_id"): device_id,
        (None, "entry_type"): enum_name(IVRS_ENTRY_TYPES, "Reserved"),
        (None, "data_setting"): data_setting,
        (None, "variety"): enum_name(IvrsSpecialVariety, "Reserved"),
        (None, "uid_format"): enum_name(IVRS_UID_FORMATS, "Reserved"),
        (None, "memory_length"): byte_size,
        **{(kind, "info"): bit_fields(IVRS_IVHD_INFO_FIELDS) for kind in IVHD_TYPES},
    },
    subtables=Subtables(names=IVRS_TYPES, sizes=IVRS_SUBTABLE_SIZES, keys={
        **{kind: ("body.base_address", "base") for kind in IVHD_TYPES},
        **{kind: ("body.start_address", "start") for kind in IVMD_TYPES},
    }),
    items="subtable",
)
