"""SMBIOS type 35, Management Device Component."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle, optional_handle

DESCRIPTOR = SmbiosDescriptor(
    type=35, title=S.TYPE_NAMES[35], schema=X.management_device_component, spec="DSP0134 3.6.0 §7.36",
    min_length=0x0B, strings=frozenset({"description"}),
    meanings={"management_device_handle": handle, "component_handle": handle, "threshold_handle": optional_handle},
    references={"management_device_handle": 34},
)
