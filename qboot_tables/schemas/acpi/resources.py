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


class PinConfiguration(IntEnum):  # GPIO and PinFunction pull configuration; 0x80-0xFF are vendor defined
    PullDefault = 0
    PullUp = 1
    PullDown = 2
    PullNone = 3


class IoRestriction(IntEnum):  # GpioIo
    IoRestrictionNone = 0
    IoRestrictionInputOnly = 1
    IoRestrictionOutputOnly = 2
    IoRestrictionNoneAndPreserve = 3


class GpioConnectionType(IntEnum):  # ACPI 6.5 §6.4.3.8.1
    INTERRUPT = 0
    IO = 1


class SerialBusType(IntEnum):  # ACPI 6.5 §6.4.3.8.2; 0xC0-0xFF are vendor defined
    I2C = 1
    SPI = 2
    UART = 3
    CSI2 = 4  # ACPI 6.4


class SlaveMode(IntEnum):  # the serial bus general flags bit 0
    ControllerInitiated = 0
    DeviceInitiated = 1


class AddressingMode(IntEnum):  # I2C
    AddressingMode7Bit = 0
    AddressingMode10Bit = 1


class WireMode(IntEnum):  # SPI
    FourWireMode = 0
    ThreeWireMode = 1


class DevicePolarity(IntEnum):  # SPI device selection polarity
    PolarityLow = 0
    PolarityHigh = 1


class ClockPolarity(IntEnum):  # SPI
    ClockPolarityLow = 0
    ClockPolarityHigh = 1


class ClockPhase(IntEnum):  # SPI
    ClockPhaseFirst = 0
    ClockPhaseSecond = 1


class Endianness(IntEnum):  # UART
    LittleEndian = 0
    BigEndian = 1


class BitsPerByte(IntEnum):  # UART; 5-7 are reserved
    DataBitsFive = 0
    DataBitsSix = 1
    DataBitsSeven = 2
    DataBitsEight = 3
    DataBitsNine = 4


class StopBits(IntEnum):  # UART
    StopBitsZero = 0
    StopBitsOne = 1
    StopBitsOnePlusHalf = 2
    StopBitsTwo = 3


class FlowControl(IntEnum):  # UART; 3 is reserved
    FlowControlNone = 0
    FlowControlHardware = 1
    FlowControlXON = 2


class Parity(IntEnum):  # UART; 5-255 are reserved
    ParityTypeNone = 0
    ParityTypeEven = 1
    ParityTypeOdd = 2
    ParityTypeMark = 3
    ParityTypeSpace = 4


class Csi2PhyType(IntEnum):  # CSI-2; written as a number in ASL
    C_PHY = 0
    D_PHY = 1


# ACPI 6.5 §6.4.3.10 Pin Configuration Types, written as numbers in ASL; 0x80-0xFF are vendor defined.
class PinConfigType(IntEnum):
    DEFAULT = 0
    BIAS_PULL_UP = 1
    BIAS_PULL_DOWN = 2
    BIAS_DEFAULT = 3
    BIAS_DISABLE = 4
    BIAS_HIGH_IMPEDANCE = 5
    BIAS_BUS_HOLD = 6
    DRIVE_OPEN_DRAIN = 7
    DRIVE_OPEN_SOURCE = 8
    DRIVE_PUSH_PULL = 9
    DRIVE_STRENGTH = 10
    SLEW_RATE = 11
    INPUT_DEBOUNCE = 12
    INPUT_SCHMITT_TRIGGER = 13


# The spec's names of the pin configuration types, which iasl writes in a comment after the number.
PIN_CONFIG_TYPE_NAMES = {
    PinConfigType.DEFAULT: "Default",
    PinConfigType.BIAS_PULL_UP: "Bias Pull-up",
    PinConfigType.BIAS_PULL_DOWN: "Bias Pull-down",
    PinConfigType.BIAS_DEFAULT: "Bias Default",
    PinConfigType.BIAS_DISABLE: "Bias Disable",
    PinConfigType.BIAS_HIGH_IMPEDANCE: "Bias High Impedance",
    PinConfigType.BIAS_BUS_HOLD: "Bias Bus Hold",
    PinConfigType.DRIVE_OPEN_DRAIN: "Drive Open Drain",
    PinConfigType.DRIVE_OPEN_SOURCE: "Drive Open Source",
    PinConfigType.DRIVE_PUSH_PULL: "Drive Push Pull",
    PinConfigType.DRIVE_STRENGTH: "Drive Strength",
    PinConfigType.SLEW_RATE: "Slew Rate",
    PinConfigType.INPUT_DEBOUNCE: "Input Debounce",
    PinConfigType.INPUT_SCHMITT_TRIGGER: "Input Schmitt Trigger",
}


class ClockScale(IntEnum):  # ClockInput frequency scale; 3 is reserved
    Hz = 0
    KHz = 1
    MHz = 2


class ClockMode(IntEnum):  # ClockInput
    Fixed = 0
    Variable = 1


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
# ACPI 6.5 §6.4.3.8.1 GPIO Connection Descriptor: interrupt and I/O flags
GPIO_INT_FLAGS = (Bits("edge_level", 0, 1, EdgeLevel), Bits("active_level", 1, 2, ActiveLevel),
                  Bits("shared", 3, 2, Sharing))
GPIO_IO_FLAGS = (Bits("io_restriction", 0, 2, IoRestriction), Bits("shared", 3, 2, Sharing))
# ACPI 6.5 §6.4.3.8.2 GenericSerialBus general flags
SERIAL_BUS_FLAGS = (Bits("slave_mode", 0, 1, SlaveMode), Bits("resource_usage", 1, 1, ResourceUsage),
                    Bits("shared", 2, 1, Sharing))
I2C_TYPE_FLAGS = (Bits("addressing_mode", 0, 1, AddressingMode),)  # §6.4.3.8.2.1
SPI_TYPE_FLAGS = (Bits("wire_mode", 0, 1, WireMode), Bits("device_selection_polarity", 1, 1, DevicePolarity))
# §6.4.3.8.2.3
UART_TYPE_FLAGS = (Bits("flow_control", 0, 2, FlowControl), Bits("stop_bits", 2, 2, StopBits),
                   Bits("bits_per_byte", 4, 3, BitsPerByte), Bits("is_big_endian", 7, 1, Endianness))
# §6.4.3.8.2.4; the PHY type (Csi2PhyType) stays a number, as ASL writes it
CSI2_TYPE_FLAGS = (Bits("phy_type", 0, 2), Bits("local_port_instance", 2, 6))
# ACPI 6.5 §6.4.3.14 Clock Input Resource Descriptor flags
CLOCK_INPUT_FLAGS = (Bits("mode", 0, 1, ClockMode), Bits("frequency_scale", 1, 2, ClockScale))


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

def _large(*fields):
    """A large descriptor: the tag byte, the 16-bit length of the rest, then the fields."""
    return Struct("tag" / Int8ul, "length" / Int16ul, *fields)


# ACPI 6.5 §6.4.3.1 24-Bit Memory Range Descriptor (12 bytes); the addresses are bits 8-23 of the address.
memory24 = _large(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_minimum" / Int16ul,
    "address_maximum" / Int16ul,
    "address_alignment" / Int16ul,
    "range_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.2 Vendor-Defined Descriptor, Type 1: a UUID subtype byte and a 16-byte UUID, then vendor data.
# iasl treats the whole body as vendor bytes, and so does the decoder.
vendor_long = _large()

# ACPI 6.5 §6.4.3.3 32-Bit Memory Range Descriptor (20 bytes)
memory32 = _large(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_minimum" / Int32ul,
    "address_maximum" / Int32ul,
    "address_alignment" / Int32ul,
    "range_length" / Int32ul,
)

# ACPI 6.5 §6.4.3.4 32-Bit Fixed Memory Range Descriptor (12 bytes)
fixed_memory32 = _large(
    "information" / Int8ul,  # bit 0: ReadWrite
    "address_base" / Int32ul,
    "range_length" / Int32ul,
)


def address_space(integer):
    """ACPI 6.5 §6.4.3.5.1-§6.4.3.5.3 QWord, DWord and Word Address Space Descriptors: the same layout with
    64-, 32- or 16-bit numbers, then an optional resource source index byte and a NUL-terminated resource source
    name."""
    return _large(
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
extended_address = _large(
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
extended_irq = _large(
    "flags" / Int8ul,  # EXTENDED_IRQ_FLAGS
    "interrupt_count" / Int8ul,
)

# ACPI 6.5 §6.4.3.7 Generic Register Descriptor (15 bytes)
generic_register = _large(
    "address_space_id" / Int8ul,  # RegisterSpace
    "register_bit_width" / Int8ul,
    "register_bit_offset" / Int8ul,
    "access_size" / Int8ul,  # 0 undefined (legacy), 1 byte ... 4 qword
    "register_address" / Int64ul,
)

# ACPI 6.5 §6.4.3.8.1 GPIO Connection Descriptor: the fixed part (23 bytes), then at the offsets it gives, the pin
# table (16-bit pin numbers up to the resource source), the resource source name and the vendor data.
gpio = _large(
    "revision_id" / Int8ul,
    "connection_type" / Int8ul,  # GpioConnectionType
    "general_flags" / Int16ul,  # bit 0: ResourceUsage
    "interrupt_io_flags" / Int16ul,  # GPIO_INT_FLAGS or GPIO_IO_FLAGS
    "pin_config" / Int8ul,  # PinConfiguration, or vendor defined
    "drive_strength" / Int16ul,  # in 0.01 mA
    "debounce_timeout" / Int16ul,  # in 0.01 ms
    "pin_table_offset" / Int16ul,
    "resource_source_index" / Int8ul,  # 0
    "resource_source_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.8.2 GenericSerialBus Connection Descriptors: this common part (12 bytes), the bus type's
# fields (type_data_length bytes, counted from offset 12, vendor data included), then the resource source name.
serial_bus = _large(
    "revision_id" / Int8ul,
    "resource_source_index" / Int8ul,
    "serial_bus_type" / Int8ul,  # SerialBusType
    "general_flags" / Int8ul,  # SERIAL_BUS_FLAGS
    "type_specific_flags" / Int16ul,
    "type_specific_revision_id" / Int8ul,
    "type_data_length" / Int16ul,
)
SERIAL_BUS_COMMON_SIZE = 12

# ACPI 6.5 §6.4.3.8.2.1 I2C Serial Bus Connection Resource Descriptor: 6 bytes of type data before vendor data.
i2c_serial_bus = Struct(
    "connection_speed" / Int32ul,  # Hz
    "slave_address" / Int16ul,
)

# ACPI 6.5 §6.4.3.8.2.2 SPI Serial Bus Connection Resource Descriptor: 9 bytes of type data.
spi_serial_bus = Struct(
    "connection_speed" / Int32ul,  # Hz
    "data_bit_length" / Int8ul,
    "clock_phase" / Int8ul,  # ClockPhase
    "clock_polarity" / Int8ul,  # ClockPolarity
    "device_selection" / Int16ul,
)

# ACPI 6.5 §6.4.3.8.2.3 UART Serial Bus Connection Resource Descriptor: 10 bytes of type data.
uart_serial_bus = Struct(
    "initial_baud_rate" / Int32ul,
    "receive_buffer_size" / Int16ul,
    "transmit_buffer_size" / Int16ul,
    "parity" / Int8ul,  # Parity
    "lines_in_use" / Int8ul,  # bit 7 RTS ... bit 2 DCD (§6.4.3.8.2.3)
)

# ACPI 6.5 §6.4.3.8.2.4 Camera Serial Interface (CSI-2) Connection Resource Descriptor: no type data before the
# vendor data; PHY type and port instance are in the type-specific flags.
csi2_serial_bus = Struct()

# The type data each bus has before its vendor data.
SERIAL_BUS_TYPE_DATA = {
    SerialBusType.I2C: i2c_serial_bus,
    SerialBusType.SPI: spi_serial_bus,
    SerialBusType.UART: uart_serial_bus,
    SerialBusType.CSI2: csi2_serial_bus,
}

# ACPI 6.5 §6.4.3.9 Pin Function Descriptor: the fixed part (18 bytes), then pin table, resource source name and
# vendor data at the offsets it gives.
pin_function = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: Sharing (Exclusive or Shared)
    "pin_pull_configuration" / Int8ul,  # PinConfiguration, or vendor defined
    "function_number" / Int16ul,
    "pin_table_offset" / Int16ul,
    "resource_source_index" / Int8ul,
    "resource_source_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.10 Pin Configuration Descriptor: the fixed part (20 bytes), then as for the pin function.
pin_config = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: Sharing, bit 1: ResourceUsage
    "pin_config_type" / Int8ul,  # PinConfigType
    "pin_config_value" / Int32ul,
    "pin_table_offset" / Int16ul,
    "resource_source_index" / Int8ul,
    "resource_source_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.11 Pin Group Descriptor: the fixed part (14 bytes), then pin table, label and vendor data.
pin_group = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: ResourceUsage (a pin group is always a producer)
    "pin_table_offset" / Int16ul,
    "resource_label_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.12 Pin Group Function Descriptor: the fixed part (17 bytes), then resource source name, the
# label of the pin group it refers to, and vendor data.
pin_group_function = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: Sharing, bit 1: ResourceUsage
    "function_number" / Int16ul,
    "resource_source_index" / Int8ul,
    "resource_source_offset" / Int16ul,
    "resource_source_label_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.13 Pin Group Configuration Descriptor: the fixed part (20 bytes), then as for the pin group
# function.
pin_group_config = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: Sharing, bit 1: ResourceUsage
    "pin_config_type" / Int8ul,  # PinConfigType
    "pin_config_value" / Int32ul,
    "resource_source_index" / Int8ul,
    "resource_source_offset" / Int16ul,
    "resource_source_label_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.14 Clock Input Resource Descriptor: the fixed part (12 bytes), then an optional resource source
# index byte and name.
clock_input = _large(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # CLOCK_INPUT_FLAGS
    "frequency_divisor" / Int16ul,
    "frequency_numerator" / Int32ul,
)

# The fixed part of each descriptor, by item name.
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
    LargeItem.GPIO: gpio,
    LargeItem.PIN_FUNCTION: pin_function,
    LargeItem.SERIAL_BUS: serial_bus,
    LargeItem.PIN_CONFIG: pin_config,
    LargeItem.PIN_GROUP: pin_group,
    LargeItem.PIN_GROUP_FUNCTION: pin_group_function,
    LargeItem.PIN_GROUP_CONFIG: pin_group_config,
    LargeItem.CLOCK_INPUT: clock_input,
}
