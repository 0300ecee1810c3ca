"""SMBIOS type 43, TPM Device."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32


def vendor_id(value, _context) -> str:
    # §7.44: four ASCII bytes, shorter when NUL-padded.
    text = bytes(value).split(b"\0", 1)[0]
    return "".join(chr(b) if 32 <= b < 127 else "." for b in text)


def firmware_version_1(value, context) -> str:
    # §7.44: for TPM 1.2 the bytes are TPM_VERSION (major, minor, revMajor, revMinor); for 2.0 the dword is
    # TPM_PT_FIRMWARE_VERSION_1, the major version in its high word.
    if context.major_spec_version == 1:
        return f"{value >> 16 & 0xFF}.{value >> 24}"
    if context.major_spec_version == 2:
        return f"{value >> 16}.{value & 0xFFFF}"
    return f"0x{value:08X}"


def characteristics(value, _context) -> str:
    # §7.44.1: bit 2 says none are reported; bits 3-5 how the TPM family can be changed.
    if value & 4:
        return X.TPM_CHARACTERISTICS[2]
    names = [name for bit, name in X.TPM_CHARACTERISTICS.items() if bit > 2 and value >> bit & 1]
    return ", ".join(names) if names else "None"


DESCRIPTOR = SmbiosDescriptor(
    type=43, title=S.TYPE_NAMES[43], schema=X.tpm_device, spec="DSP0134 3.6.0 §7.44", min_length=0x1F,
    strings=frozenset({"description"}),
    meanings={"vendor_id": vendor_id, "firmware_version_1": firmware_version_1,
              "characteristics": characteristics, "oem_defined": hex32},
)
