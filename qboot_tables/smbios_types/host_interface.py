"""SMBIOS type 42, Management Controller Host Interface."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

NETWORK = 0x40  # §7.43.1: the network host interface (Redfish, DSP0270), the only one with a defined descriptor
# §7.43.1: 40h is the network host interface, F0h OEM-defined; the rest come from DSP0239.
INTERFACE_TYPES = {**X.HOST_INTERFACE_TYPES, NETWORK: "Network", 0xF0: "OEM"}
# §7.43.2 Protocol types.
PROTOCOL_TYPES = {0x00: "Reserved", 0x01: "Reserved", 0x02: "IPMI", 0x03: "MCTP", 0x04: "Redfish over IP",
                  0xF0: "OEM"}
# DSP0270 §8.3: the network interface's device types (80h-FFh are OEM-defined, with a descriptor of their own).
DEVICE_TYPES = {0x02: "USB", 0x03: "PCI/PCIe"}


def _word(data: bytes, at: int) -> str:
    return f"0x{int.from_bytes(data[at:at + 2], 'little'):04x}"


def interface_data(value, context) -> str:
    # DSP0270 §8.3: for a network interface the first byte is the device type, then its descriptor: USB idVendor
    # and idProduct, or PCI vendor, device, subvendor and subdevice IDs.
    data = bytes(value)
    if context.interface_type != NETWORK or not data:
        return ""
    kind = data[0]
    name = DEVICE_TYPES.get(kind, "OEM" if kind >= 0x80 else f"out of spec ({kind})")
    parts = [f"Device Type: {name}"]
    descriptor = data[1:]
    if kind == 0x02 and len(descriptor) >= 4:
        parts += [f"idVendor: {_word(descriptor, 0)}", f"idProduct: {_word(descriptor, 2)}"]
    elif kind == 0x03 and len(descriptor) >= 8:
        parts += [f"{label}: {_word(descriptor, 2 * i)}"
                  for i, label in enumerate(("VendorID", "DeviceID", "SubVendorID", "SubDeviceID"))]
    return "; ".join(parts)


def protocol(value, _context) -> str:
    return f"{value:02x} ({PROTOCOL_TYPES.get(value, f'out of spec ({value})')})"


DESCRIPTOR = SmbiosDescriptor(
    type=42, title=S.TYPE_NAMES[42], schema=X.management_controller_host_interface, spec="DSP0134 3.6.0 §7.43",
    min_length=0x05, meanings={"interface_type_specific_data": interface_data, "protocol_type": protocol},
    enums={"interface_type": INTERFACE_TYPES},
)
