"""IVRS: the I/O Virtualization Reporting Structure of AMD IOMMUs, its IVHD and IVMD blocks and device entries."""
from enum import IntEnum, IntFlag

from construct import (Bytes, Construct, GreedyRange, IfThenElse, Int8ul, Int16ul, Int32ul, Int64ul, Pass, Struct,
                       Switch, this)

from qboot_tables.schemas.common import table, type_length_subtable, with_extra


def device_entry_size(entry_type: int, uid_length: int = 0) -> int:
    """A device entry's length from its type: bits 7:6 give 4, 8, 16 or 32 bytes (AMD IOMMU spec 3.08 §5.2.2.1),
    except the ACPI HID entry 0xF0, whose UID makes it 22 + UID length (Linux drivers/iommu/amd/init.c,
    ivhd_entry_length())."""
    return 22 + uid_length if entry_type == IvrsEntryType.ACPI_HID_DEVICE else 4 << (entry_type >> 6)


# AMD IOMMU 3.08 §5.2.2.2 Tables 94 and 95 device entry types. Bits 7:6 give the entry's length class; the
# padding entries are ACPICA's names (actbl2.h ACPI_IVRS_TYPE_PAD4, ACPI_IVRS_TYPE_PAD8), the spec reserves them.
class IvrsEntryType(IntEnum):
    PAD4 = 0x00
    ALL = 0x01
    SELECT = 0x02
    START_OF_RANGE = 0x03
    END_OF_RANGE = 0x04
    PAD8 = 0x40
    ALIAS_SELECT = 0x42
    ALIAS_START_OF_RANGE = 0x43
    EXTENDED_SELECT = 0x46
    EXTENDED_START_OF_RANGE = 0x47
    SPECIAL_DEVICE = 0x48
    ACPI_HID_DEVICE = 0xF0


ACPI_HID_DEVICE = IvrsEntryType.ACPI_HID_DEVICE  # the one entry whose length is not its type's length class

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
    "variety" / Int8ul,  # IvrsSpecialVariety
)
# AMD IOMMU 3.08 §5.2.2.2 Table 95: variable-length entry F0h, an ACPI device named by HID, CID and UID.
acpi_hid_data = Struct(
    "hid" / Bytes(8),
    "cid" / Bytes(8),
    "uid_format" / Int8ul,  # IvrsUidFormat
    "uid_length" / Int8ul,
    "uid" / Bytes(this.uid_length),
)

# AMD IOMMU 3.08 §5.2.2.2 IVHD device entries: type, device ID and data setting, then what the type adds.
# A type this schema does not name keeps those bytes, sized by its type's length class.
device_entry = Struct(
    "entry_type" / Int8ul,  # IvrsEntryType
    "device_id" / Int16ul,  # bus << 8 | device << 3 | function
    "data_setting" / Int8ul,  # IvrsDataSetting, and SysMgt in bits 5:4
    "data" / Switch(this.entry_type, {
        IvrsEntryType.PAD8: extended_data,
        IvrsEntryType.ALIAS_SELECT: alias_data,
        IvrsEntryType.ALIAS_START_OF_RANGE: alias_data,
        IvrsEntryType.EXTENDED_SELECT: extended_data,
        IvrsEntryType.EXTENDED_START_OF_RANGE: extended_data,
        IvrsEntryType.SPECIAL_DEVICE: special_data,
        IvrsEntryType.ACPI_HID_DEVICE: acpi_hid_data,
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


# AMD IOMMU 3.08 §5.2.1 and §5.2.2 block types.
class IvrsType(IntEnum):
    IVHD_10 = 0x10
    IVHD_11 = 0x11
    IVHD_40 = 0x40
    IVMD_ALL = 0x20
    IVMD_SELECT = 0x21
    IVMD_RANGE = 0x22


IVHD_TYPES = (IvrsType.IVHD_10, IvrsType.IVHD_11, IvrsType.IVHD_40)
IVMD_TYPES = (IvrsType.IVMD_ALL, IvrsType.IVMD_SELECT, IvrsType.IVMD_RANGE)
IVRS_SUBTABLES: dict[int, Construct] = {
    IvrsType.IVHD_10: ivhd_10, IvrsType.IVHD_11: ivhd_11, IvrsType.IVHD_40: ivhd_11,
    **{kind: ivmd for kind in IVMD_TYPES},
}

# AMD IOMMU 3.08 §5.2.1 I/O Virtualization Reporting Structure (IVRS): the header, then IVHD and IVMD
# blocks, each with a 1-byte type, 1-byte flags and a 2-byte length.
ivrs = table(
    "info" / Int32ul,  # IVRS_INFO_FIELDS
    "reserved" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(IVRS_SUBTABLES, Int8ul, Int16ul, between=("flags" / Int8ul,))),
)

# The spec's name of each block type, for display.
IVRS_TYPES = {
    IvrsType.IVHD_10: "I/O Virtualization Hardware Definition (IVHD), type 10h",
    IvrsType.IVHD_11: "I/O Virtualization Hardware Definition (IVHD), type 11h",
    IvrsType.IVHD_40: "I/O Virtualization Hardware Definition (IVHD), type 40h",
    IvrsType.IVMD_ALL: "I/O Virtualization Memory Definition (IVMD), all peripherals",
    IvrsType.IVMD_SELECT: "I/O Virtualization Memory Definition (IVMD), specified peripheral",
    IvrsType.IVMD_RANGE: "I/O Virtualization Memory Definition (IVMD), peripheral range",
}
# The IVHD and IVMD blocks whose length the spec fixes; IVHD blocks end in device entries.
IVRS_SUBTABLE_SIZES = {kind: 32 for kind in IVMD_TYPES}
# AMD IOMMU 3.08 §5.2.1 Table 89 IVinfo field: {name: (first bit, bit count, value names or None)}.
IVRS_INFO_FIELDS = {
    "EFRSup": (0, 1, None),
    "DMAremap": (1, 1, None),
    "GVAsize": (5, 3, None),
    "PAsize": (8, 7, None),
    "VAsize": (15, 7, None),
    "HtAtsResv": (22, 1, None),
}


# AMD IOMMU 3.08 §5.2.2.1 Table 91 IVHD flags.
class IvhdFlags(IntFlag):
    HtTunEn = 1 << 0
    PassPW = 1 << 1
    ResPassPW = 1 << 2
    Isoc = 1 << 3
    IotlbSup = 1 << 4
    Coherent = 1 << 5
    PreFSup = 1 << 6
    PPRSup = 1 << 7


# AMD IOMMU 3.08 §5.2.2.3 Table 100 IVMD flags.
class IvmdFlags(IntFlag):
    Unity = 1 << 0
    IR = 1 << 1
    IW = 1 << 2
    ExclusionRange = 1 << 3


# AMD IOMMU 3.08 §5.2.2.1 IOMMU Info: the MSI number and unit ID.
IVRS_IVHD_INFO_FIELDS = {"MSINum": (0, 5, None), "UnitID": (8, 5, None)}
# The spec's name of each device entry type, for display.
IVRS_ENTRY_TYPES = {
    IvrsEntryType.PAD4: "Reserved (padding)",
    IvrsEntryType.ALL: "All",
    IvrsEntryType.SELECT: "Select",
    IvrsEntryType.START_OF_RANGE: "Start of Range",
    IvrsEntryType.END_OF_RANGE: "End of Range",
    IvrsEntryType.ALIAS_SELECT: "Alias Select",
    IvrsEntryType.ALIAS_START_OF_RANGE: "Alias Start of Range",
    IvrsEntryType.EXTENDED_SELECT: "Extended Select",
    IvrsEntryType.EXTENDED_START_OF_RANGE: "Extended Start of Range",
    IvrsEntryType.SPECIAL_DEVICE: "Special Device",
    IvrsEntryType.ACPI_HID_DEVICE: "ACPI HID Device",
}


# AMD IOMMU 3.08 §5.2.2.2 Table 96 DTE setting; bits 5:4 are SysMgt, a 2-bit field.
class IvrsDataSetting(IntFlag):
    INITPass = 1 << 0
    EIntPass = 1 << 1
    NMIPass = 1 << 2
    Lint0Pass = 1 << 6
    Lint1Pass = 1 << 7


IVRS_DATA_SETTING_SYSMGT = (4, 2)  # first bit, bit count


# AMD IOMMU 3.08 §5.2.2.2 Table 97 special device variety.
class IvrsSpecialVariety(IntEnum):
    IOAPIC = 1
    HPET = 2


# AMD IOMMU 3.08 §5.2.2.2 Table 98 UID format.
class IvrsUidFormat(IntEnum):
    NOT_PRESENT = 0
    INTEGER = 1
    STRING = 2


# The spec's meaning of each UID format, for display.
IVRS_UID_FORMATS = {IvrsUidFormat.NOT_PRESENT: "not present", IvrsUidFormat.INTEGER: "integer",
                    IvrsUidFormat.STRING: "string"}
