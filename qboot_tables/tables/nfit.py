"""NFIT: its descriptor."""
import uuid

from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.nfit import (NFIT_SPA_GUIDS, NFIT_SUBTABLE_SIZES, NFIT_TYPES, NfitCapabilities,
                                            NfitControlRegionFlags, NfitRegionMappingFlags, NfitSpaFlags, NfitType,
                                            nfit)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor


def range_guid(value, _context) -> str:
    value = bytes(value)
    return NFIT_SPA_GUIDS.get(value) or (str(uuid.UUID(bytes_le=value)) if len(value) == 16 else "")


def device_handle(value, _context) -> str:
    # ACPI 6.5 §5.2.26.3 Table 5.136 NFIT Device Handle: DIMM, channel, controller and socket numbers, and the
    # node controller ID in bits 27:16.
    return (f"node {value >> 16 & 0xFFF}, socket {value >> 12 & 0xF}, controller {value >> 8 & 0xF}, "
            f"channel {value >> 4 & 0xF}, DIMM {value & 0xF}")


DESCRIPTOR = TableDescriptor(
    signature="NFIT",
    title="NVDIMM Firmware Interface Table (NFIT)",
    schema=nfit,
    spec="ACPI 6.5 §5.2.26",
    min_length=40,
    meanings={
        (None, "type"): enum_name(NFIT_TYPES, "Reserved"),
        (None, "device_handle"): device_handle,
        (NfitType.SPA_RANGE, "flags"): bit_names(NfitSpaFlags),
        (NfitType.SPA_RANGE, "range_guid"): range_guid,
        (NfitType.SPA_RANGE, "length"): byte_size,
        (NfitType.REGION_MAPPING, "flags"): bit_names(NfitRegionMappingFlags),
        (NfitType.REGION_MAPPING, "region_size"): byte_size,
        (NfitType.CONTROL_REGION, "flags"): bit_names(NfitControlRegionFlags),
        (NfitType.PLATFORM_CAPABILITIES, "capabilities"): bit_names(NfitCapabilities),
    },
    subtables=Subtables(names=NFIT_TYPES, sizes=NFIT_SUBTABLE_SIZES, keys={
        NfitType.SPA_RANGE: ("body.range_index", "range"),
        NfitType.REGION_MAPPING: ("body.device_handle", "handle"),
        NfitType.INTERLEAVE: ("body.interleave_index", "index"),
        NfitType.CONTROL_REGION: ("body.region_index", "region"),
        NfitType.BLOCK_DATA_WINDOW: ("body.region_index", "region"),
        NfitType.FLUSH_HINT_ADDRESS: ("body.device_handle", "handle"),
    }),
    items="subtable",
)
