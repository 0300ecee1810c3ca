"""SDEV: its descriptor."""
from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.schemas.acpi.sdev import SDEV_MIN_LENGTH, SDEV_TYPES, SdevFlags, SdevType, sdev
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="SDEV",
    title="Secure Devices Table (SDEV)",
    schema=sdev,
    spec="ACPI 6.5 §5.2.27",
    min_length=SDEV_MIN_LENGTH,
    meanings={
        (None, "type"): enum_name(SDEV_TYPES, "Reserved"),
        (None, "flags"): bit_names(SdevFlags),
    },
    subtables=Subtables(names=SDEV_TYPES, keys={SdevType.PCIE_ENDPOINT_DEVICE: ("body.pci_segment_number", "segment")}),
    items="subtable",
)
