"""SMBIOS type 45, Firmware Inventory Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle, memory_size

# §7.46.1 Firmware Inventory Version Format Type and §7.46.2 Firmware ID Format Type (80h-FFh OEM).
VERSION_FORMATS = {0x00: "Free-form string", 0x01: "Major.Minor", 0x02: "32-bit hexadecimal string",
                   0x03: "64-bit hexadecimal string"}
ID_FORMATS = {0x00: "Free-form string", 0x01: "UEFI ESRT FwClass GUID", 0x02: "UEFI GUID"}


def image_size(value, _context) -> str:
    # §7.46: bytes; all ones unknown.
    if value == (1 << 64) - 1:
        return "Unknown"
    return "None" if value == 0 else memory_size(value)


def characteristics(value, _context) -> str:
    # §7.46.3: bit 0 updatable, bit 1 write-protected.
    return ", ".join(f"{name}: {'Yes' if value >> bit & 1 else 'No'}"
                     for bit, name in X.FIRMWARE_CHARACTERISTICS.items())


def oem_or(table: dict):
    return lambda value, _context: table.get(value, "OEM-specific" if value >= 0x80 else f"out of spec ({value})")


DESCRIPTOR = SmbiosDescriptor(
    type=45, title=S.TYPE_NAMES[45], schema=X.firmware_inventory, spec="DSP0134 3.6.0 §7.46", min_length=0x18,
    strings=frozenset({"firmware_component_name", "firmware_version", "firmware_id", "release_date", "manufacturer",
                       "lowest_supported_firmware_version"}),
    meanings={"image_size": image_size, "characteristics": characteristics,
              "version_format": oem_or(VERSION_FORMATS), "firmware_id_format": oem_or(ID_FORMATS),
              "associated_component_handles": handle},
    enums={"state": X.FIRMWARE_STATES},
)
