"""SDEV: the Secure Devices Table, the devices that a secure OS may claim."""
from enum import IntEnum, IntFlag

from construct import Array, Bytes, Construct, GreedyRange, If, Int8ul, Int16ul, Struct, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra


# ACPI 6.5 §5.2.27 Secure Device structure flags (SECURE_ACCESS_COMPONENTS_PRESENT: ACPI 6.4).
class SdevFlags(IntFlag):
    ALLOW_HANDOFF_TO_NON_SECURE_OS = 1 << 0
    SECURE_ACCESS_COMPONENTS_PRESENT = 1 << 1


def _has_secure_access_components(this) -> bool:
    return bool(this._.flags & SdevFlags.SECURE_ACCESS_COMPONENTS_PRESENT)


def _namespace_fixed_end(this) -> int:
    """Where a namespace device structure's fixed fields end, from its start: 4 header bytes, 8, and 4 more
    with secure access components."""
    return 16 if _has_secure_access_components(this) else 12


# ACPI 6.5 §5.2.27.3 ACPI_NAMESPACE_DEVICE based Secure Device Structure (type 0). The offsets count from the
# start of the structure. The device's namepath comes first and its vendor data after it, as the offsets say;
# bytes skipped on the way stay in `padding`/`data_padding`, and the secure access components (ACPI 6.4) in `extra`.
namespace_device = with_extra(
    "device_identifier_offset" / Int16ul,
    "device_identifier_length" / Int16ul,
    "vendor_specific_data_offset" / Int16ul,
    "vendor_specific_data_length" / Int16ul,
    "secure_access_components_offset" / If(_has_secure_access_components, Int16ul),
    "secure_access_components_length" / If(_has_secure_access_components, Int16ul),
    "padding" / Bytes(lambda this: max(0, this.device_identifier_offset - _namespace_fixed_end(this))),
    "device_identifier" / Bytes(this.device_identifier_length),  # an ACPI namepath, NUL-terminated
    "data_padding" / Bytes(lambda this: max(0, this.vendor_specific_data_offset - max(
        this.device_identifier_offset, _namespace_fixed_end(this)) - this.device_identifier_length)),
    "vendor_specific_data" / Bytes(this.vendor_specific_data_length),
)

PCIE_FIXED_END = 16

# ACPI 6.5 §5.2.27.4 PCIe Endpoint Device based Device Structure (type 1): the path from the start bus to the
# device, one (device, function) pair per bridge level, then vendor data, where the offsets say.
pcie_endpoint_device = with_extra(
    "pci_segment_number" / Int16ul,
    "start_bus_number" / Int16ul,
    "pci_path_offset" / Int16ul,
    "pci_path_length" / Int16ul,
    "vendor_specific_data_offset" / Int16ul,
    "vendor_specific_data_length" / Int16ul,
    "padding" / Bytes(lambda this: max(0, this.pci_path_offset - PCIE_FIXED_END)),
    "pci_path" / Array(this.pci_path_length // 2, Struct("device" / Int8ul, "function" / Int8ul)),
    "data_padding" / Bytes(lambda this: max(0, this.vendor_specific_data_offset - max(
        this.pci_path_offset, PCIE_FIXED_END) - this.pci_path_length // 2 * 2)),
    "vendor_specific_data" / Bytes(this.vendor_specific_data_length),
)


# ACPI 6.5 §5.2.27 Secure Device structure types.
class SdevType(IntEnum):
    NAMESPACE_DEVICE = 0
    PCIE_ENDPOINT_DEVICE = 1


SDEV_SUBTABLES: dict[int, Construct] = {
    SdevType.NAMESPACE_DEVICE: namespace_device, SdevType.PCIE_ENDPOINT_DEVICE: pcie_endpoint_device,
}

# ACPI 6.5 §5.2.27 Secure Devices Table (SDEV): the header, then Secure Device structures whose 4-byte header
# is type, flags and a 2-byte length.
sdev = table(
    "subtables" / GreedyRange(type_length_subtable(SDEV_SUBTABLES, length_field=Int16ul,
                                                   between=("flags" / Int8ul,))),  # SdevFlags
)
SDEV_MIN_LENGTH = 36

# The spec's name of each structure type, for display.
SDEV_TYPES = {SdevType.NAMESPACE_DEVICE: "ACPI_NAMESPACE_DEVICE based Secure Device",
              SdevType.PCIE_ENDPOINT_DEVICE: "PCIe Endpoint Device based Secure Device"}
