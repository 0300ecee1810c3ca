"""SPCR: Microsoft's Serial Port Console Redirection Table, the serial console the firmware used."""
from enum import IntEnum, IntFlag

from construct import If, Int8ul, Int16ul, Int24ul, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table, through_nul

SPCR_SIZE = 80

# Microsoft "Serial Port Console Redirection Table" specification (revision 4, 2023), table 2. Revision 2 ends
# at byte 80 with a reserved dword at 76; revision 3 names that dword the UART clock frequency; revision 4 adds the
# precise baud rate and a namespace string at the offset it gives. iasl 20200925 knows revision 2.
spcr = table(
    "interface_type" / Int8ul,  # SpcrInterfaceType (the DBG2 serial port subtypes)
    "reserved1" / Int24ul,
    "serial_port" / generic_address,  # the UART's base address
    "interrupt_type" / Int8ul,  # SpcrInterruptType
    "pc_interrupt" / Int8ul,  # PC-AT IRQ
    "interrupt" / Int32ul,  # GSI
    "baud_rate" / Int8ul,  # SpcrBaudRate
    "parity" / Int8ul,  # 0: none
    "stop_bits" / Int8ul,  # 1: one stop bit
    "flow_control" / Int8ul,  # SpcrFlowControl
    "terminal_type" / Int8ul,  # SpcrTerminalType
    "language" / Int8ul,  # reserved, 0
    "pci_device_id" / Int16ul,  # 0xFFFF when not a PCI device
    "pci_vendor_id" / Int16ul,
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
    "pci_flags" / Int32ul,  # bit 0: the OS must not suppress PNP device enumeration or disable power management
    "pci_segment" / Int8ul,
    "uart_clock_frequency" / Int32ul,  # revision 3 on; reserved (0) before
    "revision4" / If(lambda ctx: ctx.header.revision >= 4, Struct(
        "precise_baud_rate" / Int32ul,  # when nonzero, overrides baud_rate
        "namespace_string_length" / Int16ul,
        "namespace_string_offset" / Int16ul,
        "namespace_string" / through_nul,  # at the offset above, which the spec sets to 88, right here
    )),
)



# Microsoft "Debug Port Table 2 (DBG2)", table 3, the serial port subtypes SPCR uses as interface types (names as
# in ACPICA actbl1.h ACPI_DBG2_*); 0x07 and 0x16 on are reserved.
class SpcrInterfaceType(IntEnum):
    COMPATIBLE_16550 = 0x00
    SUBSET_16550 = 0x01
    MAX311XE_SPI = 0x02
    ARM_PL011 = 0x03
    MSM8X60 = 0x04
    NVIDIA_16550 = 0x05
    TI_OMAP = 0x06
    APM88XXXX = 0x08
    MSM8974 = 0x09
    SAM5250 = 0x0A
    INTEL_USIF = 0x0B
    IMX6 = 0x0C
    ARM_SBSA_32BIT = 0x0D
    ARM_SBSA_GENERIC = 0x0E
    ARM_DCC = 0x0F
    BCM2835 = 0x10
    SDM845_1_8432MHZ = 0x11
    WITH_GAS_16550 = 0x12
    SDM845_7_372MHZ = 0x13
    INTEL_LPSS = 0x14
    RISCV_SBI_CONSOLE = 0x15


# The document's name of each interface type, for display.
SPCR_INTERFACE_TYPES = {
    SpcrInterfaceType.COMPATIBLE_16550: "16550 compatible",
    SpcrInterfaceType.SUBSET_16550: "16550 subset (DBGP revision 1)",
    SpcrInterfaceType.MAX311XE_SPI: "MAX311xE SPI UART",
    SpcrInterfaceType.ARM_PL011: "ARM PL011 UART",
    SpcrInterfaceType.MSM8X60: "MSM8x60",
    SpcrInterfaceType.NVIDIA_16550: "Nvidia 16550",
    SpcrInterfaceType.TI_OMAP: "TI OMAP",
    SpcrInterfaceType.APM88XXXX: "APM88xxxx",
    SpcrInterfaceType.MSM8974: "MSM8974",
    SpcrInterfaceType.SAM5250: "SAM5250",
    SpcrInterfaceType.INTEL_USIF: "Intel USIF",
    SpcrInterfaceType.IMX6: "i.MX 6",
    SpcrInterfaceType.ARM_SBSA_32BIT: "ARM SBSA (2.x only) Generic UART (deprecated)",
    SpcrInterfaceType.ARM_SBSA_GENERIC: "ARM SBSA Generic UART",
    SpcrInterfaceType.ARM_DCC: "ARM DCC",
    SpcrInterfaceType.BCM2835: "BCM2835",
    SpcrInterfaceType.SDM845_1_8432MHZ: "SDM845 at 1.8432 MHz",
    SpcrInterfaceType.WITH_GAS_16550: "16550 with Generic Address Structure",
    SpcrInterfaceType.SDM845_7_372MHZ: "SDM845 at 7.372 MHz",
    SpcrInterfaceType.INTEL_LPSS: "Intel LPSS",
    SpcrInterfaceType.RISCV_SBI_CONSOLE: "RISC-V SBI console",
}


# The SPCR specification, Interrupt Type.
class SpcrInterruptType(IntFlag):
    PC_AT = 1 << 0
    IO_APIC = 1 << 1
    IO_SAPIC = 1 << 2
    ARMH_GIC = 1 << 3
    RISCV_PLIC = 1 << 4


# The document's name of each interrupt type, for display.
SPCR_INTERRUPT_TYPES = {
    SpcrInterruptType.PC_AT: "PC-AT (8259) IRQ",
    SpcrInterruptType.IO_APIC: "I/O APIC",
    SpcrInterruptType.IO_SAPIC: "I/O SAPIC",
    SpcrInterruptType.ARMH_GIC: "ARMH GIC",
    SpcrInterruptType.RISCV_PLIC: "RISC-V PLIC/APLIC",
}


# The SPCR specification, Baud Rate: the codes the firmware used; AS_IS (0) keeps the rate as it is.
class SpcrBaudRate(IntEnum):
    AS_IS = 0
    BAUD_9600 = 3
    BAUD_19200 = 4
    BAUD_57600 = 6
    BAUD_115200 = 7


# The rate of each code, for display.
SPCR_BAUD_RATES = {SpcrBaudRate.AS_IS: "as is", SpcrBaudRate.BAUD_9600: "9600", SpcrBaudRate.BAUD_19200: "19200",
                   SpcrBaudRate.BAUD_57600: "57600", SpcrBaudRate.BAUD_115200: "115200"}


# The SPCR specification, Flow Control.
class SpcrFlowControl(IntFlag):
    DCD = 1 << 0
    RTS_CTS = 1 << 1
    XON_XOFF = 1 << 2


# The document's name of each flow control bit, for display.
SPCR_FLOW_CONTROL = {
    SpcrFlowControl.DCD: "DCD", SpcrFlowControl.RTS_CTS: "RTS/CTS", SpcrFlowControl.XON_XOFF: "XON/XOFF",
}


# The SPCR specification, Terminal Type.
class SpcrTerminalType(IntEnum):
    VT100 = 0
    VT100_PLUS = 1
    VT_UTF8 = 2
    ANSI = 3


# The document's name of each terminal type, for display.
SPCR_TERMINAL_TYPES = {SpcrTerminalType.VT100: "VT100", SpcrTerminalType.VT100_PLUS: "Extended VT100 (VT100+)",
                       SpcrTerminalType.VT_UTF8: "VT-UTF8", SpcrTerminalType.ANSI: "ANSI"}
