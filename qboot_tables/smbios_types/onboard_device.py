"""SMBIOS type 41, Onboard Devices Extended Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import bus_address
from qboot_tables.smbios_types.on_board_devices import device_type


def address(_value, context) -> str:
    # §7.42: segment, bus and device/function together; all ones when the device is not on PCI.
    c = context
    if (c.segment_group_number, c.bus_number, c.device_function_number) == (0xFFFF, 0xFF, 0xFF):
        return "none"
    return bus_address(c.segment_group_number, c.bus_number, c.device_function_number)


DESCRIPTOR = SmbiosDescriptor(
    type=41, title=S.TYPE_NAMES[41], schema=X.onboard_device_extended, spec="DSP0134 3.6.0 §7.42",
    min_length=0x0B, strings=frozenset({"reference_designation"}),
    meanings={"device_type": device_type, "device_function_number": address},
)
