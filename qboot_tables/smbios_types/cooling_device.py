"""SMBIOS type 27, Cooling Device."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32, optional_handle, packed

DESCRIPTOR = SmbiosDescriptor(
    type=27, title=S.TYPE_NAMES[27], schema=X.cooling_device, spec="DSP0134 3.6.0 §7.28", min_length=0x0C,
    strings=frozenset({"description"}),
    meanings={
        "temperature_probe_handle": optional_handle,
        "device_type_and_status": packed(("Type", 0, 5, X.COOLING_DEVICE_TYPES), ("Status", 5, 3, X.PROBE_STATUS)),
        "cooling_unit_group": lambda value, _context: str(value) if value else "none",
        "oem_defined": hex32,
        "nominal_speed": lambda value, _context: "Unknown Or Non-rotating" if value == 0x8000 else f"{value} rpm",
    },
)
