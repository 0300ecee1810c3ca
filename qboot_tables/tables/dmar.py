"""DMAR: its descriptor and its one check."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas.acpi.dmar import (DMAR_SCOPE_TYPES, DMAR_SUBTABLE_SIZES, DMAR_TYPES, AtsrFlags, DmarFlags,
                                            DmarType, DrhdFlags, SatcFlags, dmar)
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

# Linux drivers/iommu/intel/dmar.c parse_dmar_table(): a host address width below PAGE_SHIFT - 1 (11, for
# 4 KiB pages) is "Invalid DMAR haw" and the whole table is refused.
MIN_HOST_ADDRESS_WIDTH = 11


def pci_path(value, _context) -> str:
    return f"device {value[0]:#04x} function {value[1]}"


def check_host_address_width(table) -> list[Finding]:
    width = table.parsed.host_address_width
    if width >= MIN_HOST_ADDRESS_WIDTH:
        return []
    return [Finding(ERROR, table.name, "host_address_width",
                    f"{width} (a {width + 1}-bit DMA address); Linux refuses a DMAR with less than "
                    f"{MIN_HOST_ADDRESS_WIDTH}")]


DESCRIPTOR = TableDescriptor(
    signature="DMAR",
    title="DMA Remapping Reporting Table (DMAR)",
    schema=dmar,
    spec="Intel VT-d Architecture Specification 4.1 §8",
    min_length=48,
    meanings={
        (None, "type"): enum_name(DMAR_TYPES, "Reserved"),
        (None, "flags"): bit_names(DmarFlags),
        (None, "host_address_width"): lambda value, _context: f"{value + 1}-bit DMA addresses",
        (None, "entry_type"): enum_name(DMAR_SCOPE_TYPES, "Reserved"),
        (None, "pci_path"): pci_path,
        (DmarType.DRHD, "flags"): bit_names(DrhdFlags),
        (DmarType.ATSR, "flags"): bit_names(AtsrFlags),
        (DmarType.SATC, "flags"): bit_names(SatcFlags),
    },
    subtables=Subtables(names=DMAR_TYPES, sizes=DMAR_SUBTABLE_SIZES, keys={
        DmarType.DRHD: ("body.register_base_address", "base"),
        DmarType.RMRR: ("body.base_address", "base"),
        DmarType.ATSR: ("body.segment", "segment"),
        DmarType.RHSA: ("body.base_address", "base"),
        DmarType.ANDD: ("body.device_number", "device"),
        DmarType.SATC: ("body.segment", "segment"),
    }),
    items="subtable",
    checks=(check_host_address_width,),
)
