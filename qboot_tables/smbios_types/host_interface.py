"""SMBIOS type 42, Management Controller Host Interface."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

# §7.43.1: 40h is the network host interface (Redfish), F0h OEM-defined; the rest come from DSP0239.
INTERFACE_TYPES = {**X.HOST_INTERFACE_TYPES, 0x40: "Network", 0xF0: "OEM"}
# §7.43.2 Protocol types.
PROTOCOL_TYPES = {0x02: "IPMI", 0x03: "MCTP", 0x04: "Redfish over IP", 0xF0: "OEM"}

DESCRIPTOR = SmbiosDescriptor(
    type=42, title=S.TYPE_NAMES[42], schema=X.management_controller_host_interface, spec="DSP0134 3.6.0 §7.43",
    min_length=0x05, enums={"interface_type": INTERFACE_TYPES, "protocol_type": PROTOCOL_TYPES},
)
