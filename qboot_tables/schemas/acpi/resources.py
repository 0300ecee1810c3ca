"""Resource descriptors (ACPI 6.5 §6.4): the byte layouts of a ResourceTemplate's descriptors and their constants.

Each Struct covers a whole descriptor from its tag byte, with offsets as the spec counts them, but only its fixed
part: the variable tails (resource source strings, vendor data, pin tables, interrupt lists) are found by the
offsets and lengths in that fixed part, which a hostile table may point anywhere, so qboot_tables.aml.resources
slices them. The IntEnum members of the flag fields are named by their ASL keywords (ACPI 6.5 §19.6), so that
both the ASL text and the JSON print `member.name`.
"""
from enum import IntEnum
from typing import NamedTuple

from construct import Int8ul, Int16ul, Int32ul, Int64ul, Struct


# ACPI 6.5 §6.4.2 Small Resource Items: the item name is bits 6:3 of the tag byte, the length of the
# body bits 2:0.
class SmallItem(IntEnum):
    IRQ = 0x04
    DMA = 0x05
    START_DEPENDENT = 0x06
    END_DEPENDENT = 0x07
    IO = 0x08
    FIXED_IO = 0x09
    FIXED_DMA = 0x0A
    VENDOR = 0x0E
    END_TAG = 0x0F


# ACPI 6.5 §6.4.3 Large Resource Items: bit 7 of the tag byte set, the item name in bits 6:0, then a
# 16-bit length of what follows the 3-byte header.
class LargeItem(IntEnum):
    MEMORY24 = 0x01
    GENERIC_REGISTER = 0x02
    VENDOR = 0x04
    MEMORY32 = 0x05
    FIXED_MEMORY32 = 0x06
    DWORD_ADDRESS = 0x07
    WORD_ADDRESS = 0x08
    EXTENDED_IRQ = 0x09
    QWORD_ADDRESS = 0x0A
    EXTENDED_ADDRESS = 0x0B
    GPIO = 0x0C
    PIN_FUNCTION = 0x0D
    SERIAL_BUS = 0x0E
    PIN_CONFIG = 0x0F
    PIN_GROUP = 0x10
    PIN_GROUP_FUNCTION = 0x11
    PIN_GROUP_CONFIG = 0x12
    CLOCK_INPUT = 0x13  # ACPI 6.5


# The items of SoC peripherals (GPIO, serial buses, pin control, clocks), described in schemas.acpi.resources_soc.
SOC_ITEMS = frozenset({LargeItem.GPIO, LargeItem.PIN_FUNCTION, LargeItem.SERIAL_BUS, LargeItem.PIN_CONFIG,
                       LargeItem.PIN_GROUP, LargeItem.PIN_GROUP_FUNCTION, LargeItem.PIN_GROUP_CONFIG,
                       LargeItem.CLOCK_INPUT})
LARGE_FLAG = 0x80
SMALL_HEADER_SIZE = 1
LARGE_HEADER_SIZE = 3
END_TAG_BYTE = (SmallItem.END_TAG << 3) | 1  # 0x79: an End Tag always has a one-byte body, its checksum


# --- flag values, named by their ASL keywords ------------------------------------------------------------------

class EdgeLevel(IntEnum):  # _HE
    Level = 0
    Edge = 1


class ActiveLevel(IntEnum):  # _LL; ActiveBoth only in a GPIO interrupt (2 bits there)
    ActiveHigh = 0
    ActiveLow = 1
    ActiveBoth = 2


class Sharing(IntEnum):  # _SHR, with the wake capability bit above it (ACPI 5.0)
    Exclusive = 0
    Shared = 1
    ExclusiveAndWake = 2
    SharedAndWake = 3


class DmaType(IntEnum):  # _TYP
    Compatibility = 0
    TypeA = 1
    TypeB = 2
    TypeF = 3


class DmaBusMaster(IntEnum):  # _BM
    NotBusMaster = 0
    BusMaster = 1


class DmaTransferSize(IntEnum):  # _SIZ; 3 is reserved
    Transfer8 = 0
    Transfer8_16 = 1
    Transfer16 = 2


class DmaTransferWidth(IntEnum):  # FixedDMA _SIZ; 6-255 are reserved
    Width8bit = 0
    Width16bit = 1
    Width32bit = 2
    Width64bit = 3
    Width128bit = 4
    Width256bit = 5


class IoDecode(IntEnum):  # _DEC of the I/O port descriptor
    Decode10 = 0
    Decode16 = 1


class ReadWrite(IntEnum):  # _RW
    ReadOnly = 0
    ReadWrite = 1


class ResourceUsage(IntEnum):
    ResourceProducer = 0
    ResourceConsumer = 1


class AddressDecode(IntEnum):  # _DEC of the address space descriptors
    PosDecode = 0
    SubDecode = 1


class MinFixed(IntEnum):  # _MIF
    MinNotFixed = 0
    MinFixed = 1


class MaxFixed(IntEnum):  # _MAF
    MaxNotFixed = 0
    MaxFixed = 1


class Cacheability(IntEnum):  # _MEM
    NonCacheable = 0
    Cacheable = 1
    WriteCombining = 2
    Prefetchable = 3


class MemoryRangeType(IntEnum):  # _MTP
    AddressRangeMemory = 0
    AddressRangeReserved = 1
    AddressRangeACPI = 2
    AddressRangeNVS = 3


class IsaRanges(IntEnum):  # _RNG; 0 is reserved
    NonISAOnlyRanges = 1
    ISAOnlyRanges = 2
    EntireRange = 3


class TranslationType(IntEnum):  # _TTP
    TypeStatic = 0
    TypeTranslation = 1


class TranslationDensity(IntEnum):  # _TRS
    DenseTranslation = 0
    SparseTranslation = 1


# ACPI 6.5 §6.4.3.5 Resource Type of the address space descriptors; 3-191 are reserved, 192-255 are vendor
# defined (the *Space macros).
class AddressResourceType(IntEnum):
    MEMORY = 0
    IO = 1
    BUS_NUMBER = 2


VENDOR_RESOURCE_TYPES = range(0xC0, 0x100)


# ACPI 6.5 §6.4.3.7 Generic Register Descriptor: the address space keywords of Register () (§19.6), by
# space ID. FFixedHW is 0x7F; any other ID is written as a number.
class RegisterSpace(IntEnum):
    SystemMemory = 0x00
    SystemIO = 0x01
    PCI_Config = 0x02
    EmbeddedControl = 0x03
    SMBus = 0x04
    SystemCMOS = 0x05
    PCIBARTarget = 0x06
    IPMI = 0x07
    GeneralPurposeIo = 0x08
    GenericSerialBus = 0x09
    PCC = 0x0A
    PlatformRtMechanism = 0x0B
    FFixedHW = 0x7F


# --- where each flag sits ---------------------------------------------------------------------------------------

class Bits(NamedTuple):
    """One field of a flags byte or word: its ASL argument name, lowest bit, width, and the values it takes (an
    IntEnum; a value outside it stays a plain int)."""
    name: str
    shift: int
    width: int
    values: type[IntEnum] | None = None


# ACPI 6.5 §6.4.2.1 IRQ Information
IRQ_FLAGS = (Bits("edge_level", 0, 1, EdgeLevel), Bits("active_level", 3, 1, ActiveLevel),
             Bits("shared", 4, 2, Sharing))
# ACPI 6.5 §6.4.2.2 DMA channel speed and transfer flags
DMA_FLAGS = (Bits("dma_type", 5, 2, DmaType), Bits("is_bus_master", 2, 1, DmaBusMaster),
             Bits("dma_transfer_size", 0, 2, DmaTransferSize))
# ACPI 6.5 §6.4.2.3 Start Dependent Functions priority byte
START_DEPENDENT_FLAGS = (Bits("compatibility_priority", 0, 2), Bits("performance_priority", 2, 2))
# ACPI 6.5 §6.4.3.5.1 General Flags of the address space descriptors; the order is the one of the
# *Memory and *Space macros (the *IO and *BusNumber macros put `decode` after the two fixed flags).
ADDRESS_GENERAL_FLAGS = (Bits("resource_usage", 0, 1, ResourceUsage), Bits("decode", 1, 1, AddressDecode),
                         Bits("is_min_fixed", 2, 1, MinFixed), Bits("is_max_fixed", 3, 1, MaxFixed))
# ACPI 6.5 §6.4.3.5.5 Memory Resource Flag (Resource Type = 0) Definitions
MEMORY_TYPE_FLAGS = (Bits("read_and_write", 0, 1, ReadWrite), Bits("cacheable", 1, 2, Cacheability),
                     Bits("memory_range_type", 3, 2, MemoryRangeType), Bits("translation_type", 5, 1, TranslationType))
# ACPI 6.5 §6.4.3.5.5 I/O Resource Flag (Resource Type = 1) Definitions
IO_TYPE_FLAGS = (Bits("isa_ranges", 0, 2, IsaRanges), Bits("translation_type", 4, 1, TranslationType),
                 Bits("translation_density", 5, 1, TranslationDensity))
# ACPI 6.5 §6.4.3.6 Extended Interrupt Descriptor flags
EXTENDED_IRQ_FLAGS = (Bits("resource_usage", 0, 1, ResourceUsage), Bits("edge_level", 1, 1, EdgeLevel),
                      Bits("active_level", 2, 1, ActiveLevel), Bits("shared", 3, 2, Sharing))


# --- small descriptors (ACPI 6.5 §6.4.2) -------------------------------------------------------------------------

# ACPI 6.5 §6.4.2.1 IRQ Descriptor: 3 bytes (IRQNoFlags, edge-triggered, active high, exclusive) or 4 with the
# information byte.
irq_no_flags = Struct(
    "tag" / Int8ul,
    "irq_mask" / Int16ul,  # bit n: ISA IRQ n
)
irq = Struct(
    "tag" / Int8ul,
    "irq_mask" / Int16ul,
    "information" / Int8ul,  # IRQ_FLAGS
)

# ACPI 6.5 §6.4.2.2 DMA Descriptor (3 bytes)
dma = Struct(
    "tag" / Int8ul,
    "channel_mask" / Int8ul,  # bit n: channel n
    "flags" / Int8ul,  # DMA_FLAGS
)

# ACPI 6.5 §6.4.2.3 Start Dependent Functions Descriptor: 1 byte, or 2 with the priority byte.
start_dependent_no_priority = Struct("tag" / Int8ul)
start_dependent = Struct(
    "tag" / Int8ul,
    "priority" / Int8ul,  # START_DEPENDENT_FLAGS
)

# ACPI 6.5 §6.4.2.4 End Dependent Functions Descriptor (1 byte)
end_dependent = Struct("tag" / Int8ul)

# ACPI 6.5 §6.4.2.5 I/O Port Descriptor (8 bytes)
io = Struct(
    "tag" / Int8ul,
    "information" / Int8ul,  # bit 0: IoDecode
    "address_min" / Int16ul,
    "address_max" / Int16ul,
    "address_alignment" / Int8ul,
    "range_length" / Int8ul,
)

# ACPI 6.5 §6.4.2.6 Fixed Location I/O Port Descriptor (4 bytes)
fixed_io = Struct(
    "tag" / Int8ul,
    "address_base" / Int16ul,  # only 10 bits decoded
    "range_length" / Int8ul,
)

# ACPI 6.5 §6.4.2.7 Fixed DMA Descriptor (6 bytes)
fixed_dma = Struct(
    "tag" / Int8ul,
    "dma_request_line" / Int16ul,
    "channel" / Int16ul,
    "dma_transfer_width" / Int8ul,  # DmaTransferWidth
)

# ACPI 6.5 §6.4.2.8 Vendor-Defined Descriptor, Type 0: the tag and up to 7 bytes of vendor data.
vendor_short = Struct("tag" / Int8ul)

# ACPI 6.5 §6.4.2.9 End Tag (2 bytes): the checksum makes the whole template sum to zero, or is 0 ("assume the
# checksum is correct").
end_tag = Struct(
    "tag" / Int8ul,
    "checksum" / Int8ul,
)


# --- large descriptors (ACPI 6.5 §6.4.3) -------------------------------------------------------------------------

def large_descriptor(*fields):
    """A large descriptor: the tag byte, the 16-bit length of the rest, then the fields."""
    return Struct("tag" / Int8ul, "length" / Int16ul, *fields)


# ACPI 6.5 §6.4.3.1 24-Bit Memory Range Descriptor (12 bytes); the addresses are bits 8-23 of the address.
memory24 = large_descriptor(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_minimum" / Int16ul,
    "address_maximum" / Int16ul,
    "address_alignment" / Int16ul,
    "range_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.2 Vendor-Defined Descriptor, Type 1: a UUID subtype byte and a 16-byte UUID, then vendor data.
# iasl treats the whole body as vendor bytes, and so does the decoder.
vendor_long = large_descriptor()

# ACPI 6.5 §6.4.3.3 32-Bit Memory Range Descriptor (20 bytes)
memory32 = large_descriptor(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_minimum" / Int32ul,
    "address_maximum" / Int32ul,
    "address_alignment" / Int32ul,
    "range_length" / Int32ul,
)

# ACPI 6.5 §6.4.3.4 32-Bit Fixed Memory Range Descriptor (12 bytes)
fixed_memory32 = large_descriptor(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_base" / Int32ul,
    "range_length" / Int32ul,
)


def address_space(integer):
    """ACPI 6.5 §6.4.3.5.1-§6.4.3.5.3 QWord, DWord and Word Address Space Descriptors: the same layout with
    64-, 32- or 16-bit numbers, then an optional resource source index byte and a NUL-terminated resource source
    name."""
    return large_descriptor(
        "resource_type" / Int8ul,  # AddressResourceType, or vendor defined
        "general_flags" / Int8ul,  # ADDRESS_GENERAL_FLAGS
        "type_specific_flags" / Int8ul,  # MEMORY_TYPE_FLAGS, IO_TYPE_FLAGS, or vendor defined
        "address_granularity" / integer,
        "address_minimum" / integer,
        "address_maximum" / integer,
        "address_translation" / integer,
        "range_length" / integer,
    )


word_address = address_space(Int16ul)  # 16 bytes before the resource source
dword_address = address_space(Int32ul)  # 26
qword_address = address_space(Int64ul)  # 46

# ACPI 6.5 §6.4.3.5.4 Extended Address Space Descriptor (56 bytes, no resource source)
extended_address = large_descriptor(
    "resource_type" / Int8ul,
    "general_flags" / Int8ul,
    "type_specific_flags" / Int8ul,
    "revision_id" / Int8ul,  # 1
    "reserved" / Int8ul,
    "address_granularity" / Int64ul,
    "address_minimum" / Int64ul,
    "address_maximum" / Int64ul,
    "address_translation" / Int64ul,
    "range_length" / Int64ul,
    "type_specific_attributes" / Int64ul,  # for memory: the EFI memory attributes (EFI_MEMORY_UC, ...)
)

# ACPI 6.5 §6.4.3.6 Extended Interrupt Descriptor: the fixed part, then interrupt_count 32-bit interrupt
# numbers, then an optional resource source index byte and name.
extended_irq = large_descriptor(
    "flags" / Int8ul,  # EXTENDED_IRQ_FLAGS
    "interrupt_count" / Int8ul,
)

# ACPI 6.5 §6.4.3.7 Generic Register Descriptor (15 bytes)
generic_register = large_descriptor(
    "address_space_id" / Int8ul,  # RegisterSpace
    "register_bit_width" / Int8ul,
    "register_bit_offset" / Int8ul,
    "access_size" / Int8ul,  # 0 undefined (legacy), 1 byte ... 4 qword
    "register_address" / Int64ul,
)

# The fixed part of each descriptor, by item name; those of SOC_ITEMS are in schemas.acpi.resources_soc.
SMALL_DESCRIPTORS = {
    SmallItem.IRQ: irq,  # irq_no_flags when the body is 2 bytes
    SmallItem.DMA: dma,
    SmallItem.START_DEPENDENT: start_dependent,  # start_dependent_no_priority when there is no body
    SmallItem.END_DEPENDENT: end_dependent,
    SmallItem.IO: io,
    SmallItem.FIXED_IO: fixed_io,
    SmallItem.FIXED_DMA: fixed_dma,
    SmallItem.VENDOR: vendor_short,
    SmallItem.END_TAG: end_tag,
}
LARGE_DESCRIPTORS = {
    LargeItem.MEMORY24: memory24,
    LargeItem.GENERIC_REGISTER: generic_register,
    LargeItem.VENDOR: vendor_long,
    LargeItem.MEMORY32: memory32,
    LargeItem.FIXED_MEMORY32: fixed_memory32,
    LargeItem.DWORD_ADDRESS: dword_address,
    LargeItem.WORD_ADDRESS: word_address,
    LargeItem.EXTENDED_IRQ: extended_irq,
    LargeItem.QWORD_ADDRESS: qword_address,
    LargeItem.EXTENDED_ADDRESS: extended_address,
}
