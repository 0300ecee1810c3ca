"""IVRS: the I/O Virtualization Reporting Structure of AMD IOMMUs, its IVHD and IVMD blocks and device entries."""
from construct import Bytes, GreedyRange, IfThenElse, Int8ul, Int16ul, Int32ul, Int64ul, Pass, Struct, Switch, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra


def device_entry_size(entry_type: int, uid_length: int = 0) -> int:
    """A device entry's length from its type: bits 7:6 give 4, 8, 16 or 32 bytes (AMD IOMMU spec 3.08 §5.2.2.1),
    except the ACPI HID entry 0xF0, whose UID makes it 22 + UID length (Linux drivers/iommu/amd/init.c,
    ivhd_entry_length())."""
    return 22 + uid_length if entry_type == ACPI_HID_DEVICE else 4 << (entry_type >> 6)


ACPI_HID_DEVICE = 0xF0

# AMD I/O Virtualization Technology (IOMMU) Specification 48882 rev. 3.08 §5.2.2.2 Table 94: 8-byte entries
# 42h (alias select) and 43h (alias start of range): the device ID that requests from the range carry.
alias_data = Struct(
    "reserved1" / Int8ul,
    "source_device_id" / Int16ul,
    "reserved2" / Int8ul,
)
# AMD IOMMU 3.08 §5.2.2.2 Table 94: 8-byte entries 46h (extended select) and 47h (extended start of range).
extended_data = Struct("extended_data" / Int32ul)  # bit 31: ATS disabled for the device
# AMD IOMMU 3.08 §5.2.2.2 Table 94: 8-byte entry 48h, special device (an IOAPIC or an HPET).
special_data = Struct(
    "handle" / Int8ul,  # IOAPIC ID or HPET number
    "source_device_id" / Int16ul,
    "variety" / Int8ul,  # IVRS_SPECIAL_VARIETIES
)
# AMD IOMMU 3.08 §5.2.2.2 Table 95: variable-length entry F0h, an ACPI device named by HID, CID and UID.
acpi_hid_data = Struct(
    "hid" / Bytes(8),
    "cid" / Bytes(8),
    "uid_format" / Int8ul,  # IVRS_UID_FORMATS
    "uid_length" / Int8ul,
    "uid" / Bytes(this.uid_length),
)

# AMD IOMMU 3.08 §5.2.2.2 IVHD device entries: type, device ID and data setting, then what the type adds.
# A type this schema does not name keeps those bytes, sized by its type's length class.
device_entry = Struct(
    "entry_type" / Int8ul,  # IVRS_ENTRY_TYPES
    "device_id" / Int16ul,  # bus << 8 | device << 3 | function
    "data_setting" / Int8ul,  # IVRS_DATA_SETTING_FLAGS
    "data" / Switch(this.entry_type, {
        0x40: extended_data,
        0x42: alias_data,
        0x43: alias_data,
        0x46: extended_data,
        0x47: extended_data,
        0x48: special_data,
        ACPI_HID_DEVICE: acpi_hid_data,
    }, default=IfThenElse(this.entry_type < 0x40, Pass, Bytes(lambda ctx: device_entry_size(ctx.entry_type) - 4))),
)


# AMD IOMMU 3.08 §5.2.2.1 IVHD block type 10h (24 bytes and device entries). The device ID, right after the
# length, is the IOMMU's own.
def _ivhd(*fields):
    return with_extra(
        "device_id" / Int16ul,
        "capability_offset" / Int16ul,
        "base_address" / Int64ul,
        "pci_segment_group" / Int16ul,
        "info" / Int16ul,  # IVRS_IVHD_INFO_FIELDS
        *fields,
        "entries" / GreedyRange(device_entry),
    )


ivhd_10 = _ivhd("feature_reporting" / Int32ul)
# AMD IOMMU 3.08 §5.2.2.1 IVHD block types 11h and 40h (40 bytes and device entries): the IOMMU attributes
# and images of its Extended Feature Registers. Type 40h may also hold the F0h entries.
ivhd_11 = _ivhd(
    "attributes" / Int32ul,
    "efr_register_image" / Int64ul,
    "efr_register_image_2" / Int64ul,  # reserved before rev. 3.05
)

# AMD IOMMU 3.08 §5.2.2.3 IVMD block types 20h (all peripherals), 21h (one peripheral) and 22h (a range of
# peripherals), 32 bytes: memory a device needs mapped or excluded.
ivmd = with_extra(
    "device_id" / Int16ul,  # 21h: the device; 22h: the start of the range; 20h: reserved
    "auxiliary_data" / Int16ul,  # 22h: the end of the range
    "reserved" / Int64ul,
    "start_address" / Int64ul,
    "memory_length" / Int64ul,
)

IVRS_SUBTABLES = {0x10: ivhd_10, 0x11: ivhd_11, 0x40: ivhd_11, 0x20: ivmd, 0x21: ivmd, 0x22: ivmd}

# AMD IOMMU 3.08 §5.2.1 I/O Virtualization Reporting Structure (IVRS): the header, then IVHD and IVMD
# blocks, each with a 1-byte type, 1-byte flags and a 2-byte length.
ivrs = table(
    "info" / Int32ul,  # IVRS_INFO_FIELDS
    "reserved" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(IVRS_SUBTABLES, Int8ul, Int16ul, between=("flags" / Int8ul,))),
)

# AMD IOMMU 3.08 §5.2.1 and §5.2.2 block types.
IVRS_TYPES = {
    0x10: "I/O Virtualization Hardware Definition (IVHD), type 10h",
    0x11: "I/O Virtualization Hardware Definition (IVHD), type 11h",
    0x40: "I/O Virtualization Hardware Definition (IVHD), type 40h",
    0x20: "I/O Virtualization Memory Definition (IVMD), all peripherals",
    0x21: "I/O Virtualization Memory Definition (IVMD), specified peripheral",
    0x22: "I/O Virtualization Memory Definition (IVMD), peripheral range",
}
# The IVHD and IVMD blocks whose length the spec fixes; IVHD blocks end in device entries.
IVRS_SUBTABLE_SIZES = {0x20: 32, 0x21: 32, 0x22: 32}
# AMD IOMMU 3.08 §5.2.1 Table 89 IVinfo field: {name: (first bit, bit count, value names or None)}.
IVRS_INFO_FIELDS = {
    "EFRSup": (0, 1, None),
    "DMAremap": (1, 1, None),
    "GVAsize": (5, 3, None),
    "PAsize": (8, 7, None),
    "VAsize": (15, 7, None),
    "HtAtsResv": (22, 1, None),
}
# AMD IOMMU 3.08 §5.2.2.1 Table 91 IVHD flags, bit -> name.
IVRS_IVHD_FLAGS = {0: "HtTunEn", 1: "PassPW", 2: "ResPassPW", 3: "Isoc", 4: "IotlbSup", 5: "Coherent",
                   6: "PreFSup", 7: "PPRSup"}
# AMD IOMMU 3.08 §5.2.2.3 Table 100 IVMD flags, bit -> name.
IVRS_IVMD_FLAGS = {0: "Unity", 1: "IR", 2: "IW", 3: "ExclusionRange"}
# AMD IOMMU 3.08 §5.2.2.1 IOMMU Info: the MSI number and unit ID.
IVRS_IVHD_INFO_FIELDS = {"MSINum": (0, 5, None), "UnitID": (8, 5, None)}
# AMD IOMMU 3.08 §5.2.2.2 Tables 94 and 95 device entry types.
IVRS_ENTRY_TYPES = {
    0x00: "Reserved (padding)",
    0x01: "All",
    0x02: "Select",
    0x03: "Start of Range",
    0x04: "End of Range",
    0x42: "Alias Select",
    0x43: "Alias Start of Range",
    0x46: "Extended Select",
    0x47: "Extended Start of Range",
    0x48: "Special Device",
    0xF0: "ACPI HID Device",
}
# AMD IOMMU 3.08 §5.2.2.2 Table 96 DTE setting, bit -> name; bits 5:4 are SysMgt, a 2-bit field.
IVRS_DATA_SETTING_FLAGS = {0: "INITPass", 1: "EIntPass", 2: "NMIPass", 6: "Lint0Pass", 7: "Lint1Pass"}
IVRS_DATA_SETTING_SYSMGT = (4, 2)  # first bit, bit count
# AMD IOMMU 3.08 §5.2.2.2 Table 97 special device variety.
IVRS_SPECIAL_VARIETIES = {1: "IOAPIC", 2: "HPET"}
# AMD IOMMU 3.08 §5.2.2.2 Table 98 UID format.
IVRS_UID_FORMATS = {0: "not present", 1: "integer", 2: "string"}
