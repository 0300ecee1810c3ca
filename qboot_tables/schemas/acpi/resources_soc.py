"""The resource descriptors of SoC peripherals (ACPI 6.5 §6.4.3.8-§6.4.3.14): GPIO and serial-bus connections,
pin control and clock inputs, with their constants.

They are apart from the other descriptors (schemas.acpi.resources) because PCs and QEMU's machines do not use them,
and their twenty IntEnums would cost every dump of those about 2 ms of its start-up: qboot_tables.aml.resources
imports this module when a template first holds one of these items (SOC_ITEMS).
"""
from enum import IntEnum

from construct import Int8ul, Int16ul, Int32ul, Struct

from qboot_tables.schemas.acpi.resources import (ActiveLevel, Bits, EdgeLevel, LargeItem, ResourceUsage, Sharing,
                                                 large_descriptor)


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


# --- descriptors --------------------------------------------------------------------------------------------------

# ACPI 6.5 §6.4.3.8.1 GPIO Connection Descriptor: the fixed part (23 bytes), then at the offsets it gives, the pin
# table (16-bit pin numbers up to the resource source), the resource source name and the vendor data.
gpio = large_descriptor(
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
serial_bus = large_descriptor(
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
pin_function = large_descriptor(
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
pin_config = large_descriptor(
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
pin_group = large_descriptor(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # bit 0: ResourceUsage (a pin group is always a producer)
    "pin_table_offset" / Int16ul,
    "resource_label_offset" / Int16ul,
    "vendor_data_offset" / Int16ul,
    "vendor_data_length" / Int16ul,
)

# ACPI 6.5 §6.4.3.12 Pin Group Function Descriptor: the fixed part (17 bytes), then resource source name, the
# label of the pin group it refers to, and vendor data.
pin_group_function = large_descriptor(
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
pin_group_config = large_descriptor(
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
clock_input = large_descriptor(
    "revision_id" / Int8ul,
    "flags" / Int16ul,  # CLOCK_INPUT_FLAGS
    "frequency_divisor" / Int16ul,
    "frequency_numerator" / Int32ul,
)

# The fixed part of each of these descriptors, by item name (schemas.acpi.resources.LARGE_DESCRIPTORS has the rest).
DESCRIPTORS = {
    LargeItem.GPIO: gpio,
    LargeItem.PIN_FUNCTION: pin_function,
    LargeItem.SERIAL_BUS: serial_bus,
    LargeItem.PIN_CONFIG: pin_config,
    LargeItem.PIN_GROUP: pin_group,
    LargeItem.PIN_GROUP_FUNCTION: pin_group_function,
    LargeItem.PIN_GROUP_CONFIG: pin_group_config,
    LargeItem.CLOCK_INPUT: clock_input,
}
